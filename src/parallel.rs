//! Parallel execution: how many threads a call uses, and running a kernel over disjoint parts
//! of the output on a rayon pool.
//!
//! Every parallel kernel in the library computes each output element from the input alone, so
//! splitting the output changes nothing in the numbers: results are bit-identical for every
//! thread count. With one thread the kernel runs on the calling thread and no pool is touched.

#![forbid(unsafe_code)]

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use crate::array::ArrayMut;
use crate::error::Error;

/// Upper bound on a requested thread count (a guard against absurd values, not a tuning knob).
pub const MAX_THREADS: usize = 1024;

/// Process-wide default thread count; 0 means all available cores.
static DEFAULT_THREADS: AtomicUsize = AtomicUsize::new(0);

/// Sets the thread count used by calls that do not choose one (0 = all available cores).
pub fn set_default_threads(threads: usize) -> Result<(), Error> {
    check_count(threads)?;
    DEFAULT_THREADS.store(threads, Ordering::Relaxed);
    Ok(())
}

/// The process-wide default set by [`set_default_threads`] (initially 0, all cores).
pub fn default_threads() -> usize {
    DEFAULT_THREADS.load(Ordering::Relaxed)
}

fn check_count(threads: usize) -> Result<(), Error> {
    if threads > MAX_THREADS {
        return Err(Error::InvalidArgument(format!(
            "thread count {threads} exceeds the maximum of {MAX_THREADS}"
        )));
    }
    Ok(())
}

/// Number of cores the process may use.
pub fn available_cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// How many threads a call runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Threads {
    /// The process-wide default ([`set_default_threads`]).
    #[default]
    Default,
    /// All available cores.
    All,
    /// Exactly this many (1 = the calling thread only).
    Count(usize),
}

impl Threads {
    /// The resolved count, at least 1.
    pub fn resolve(self) -> Result<usize, Error> {
        let n = match self {
            Threads::Default => default_threads(),
            Threads::All => 0,
            Threads::Count(0) => {
                return Err(Error::InvalidArgument(
                    "thread count 0: use Threads::All for all cores".into(),
                ))
            }
            Threads::Count(n) => n,
        };
        check_count(n)?;
        Ok(if n == 0 { available_cores() } else { n })
    }
}

/// The caller's progress report: called with the fraction of the work done; `false` cancels.
pub type Report = Arc<dyn Fn(f64) -> bool + Send + Sync>;

/// The progress report of the call running on this thread, and the fraction its earlier passes
/// reached (each new pass takes half of what remains, so that the fraction never decreases).
struct Reporting {
    report: Report,
    base: f64,
}

thread_local! {
    static REPORTING: std::cell::RefCell<Option<Reporting>> = const { std::cell::RefCell::new(None) };
}

/// Runs `body` with `report` as the progress report of every pass it runs on this thread:
/// `report(fraction)` is called from this thread every few milliseconds of work (fractions
/// non-decreasing, proportional to the work for a single pass, 1.0 at the end), whatever the
/// number of threads. When it returns `false` the call stops promptly and `body` fails with
/// [`Error::Cancelled`].
pub fn with_progress<R>(
    report: impl Fn(f64) -> bool + Send + Sync + 'static,
    body: impl FnOnce() -> Result<R, Error>,
) -> Result<R, Error> {
    let report: Report = Arc::new(report);
    let result = reporting_to(
        Some(Reporting {
            report: report.clone(),
            base: 0.0,
        }),
        body,
    )?;
    if !report(1.0) {
        return Err(cancelled());
    }
    Ok(result)
}

/// Runs `body` with no progress report on this thread, whatever an enclosing
/// [`with_progress`] installed: a call made from inside a callback (or from inside a progress
/// report) of another call must not report to, nor move the fractions of, the outer call.
pub fn without_progress<R>(body: impl FnOnce() -> R) -> R {
    reporting_to(None, body)
}

/// Runs `body` with `reporting` as this thread's progress report, restoring the previous one
/// on the way out (a panic included).
fn reporting_to<R>(reporting: Option<Reporting>, body: impl FnOnce() -> R) -> R {
    let previous = REPORTING.with(|r| std::mem::replace(&mut *r.borrow_mut(), reporting));
    struct Restore(Option<Option<Reporting>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let previous = self.0.take().flatten();
            REPORTING.with(|r| *r.borrow_mut() = previous);
        }
    }
    let _restore = Restore(Some(previous));
    body()
}

fn cancelled() -> Error {
    Error::Cancelled("cancelled by the progress callback".into())
}

/// Shared by the parts of one pass: set when any part fails (so the others stop at their next
/// check), and the pass's progress, reported from the thread that started it.
#[derive(Default)]
pub struct Stop {
    stopped: AtomicBool,
    progress: Option<Progress>,
}

/// A pass's progress: work done of `total`, and when the report was last called.
struct Progress {
    report: Report,
    owner: std::thread::ThreadId,
    /// The fraction earlier passes of the call reached, and the share of what remains that
    /// this pass covers.
    base: f64,
    share: f64,
    total: u64,
    done: AtomicU64,
    cancelled: AtomicBool,
    last: Mutex<std::time::Instant>,
}

/// Time between progress reports.
const REPORT_EVERY: std::time::Duration = std::time::Duration::from_millis(2);

impl Stop {
    /// A stop for a pass of `total` units of work, reporting to this thread's progress report
    /// (see [`with_progress`]) if any.
    pub fn new(total: u64) -> Stop {
        let progress = REPORTING.with(|r| {
            let mut r = r.borrow_mut();
            let r = r.as_mut()?;
            let remaining = 1.0 - r.base;
            let share = remaining / 2.0;
            let base = r.base;
            r.base += share;
            Some(Progress {
                report: r.report.clone(),
                owner: std::thread::current().id(),
                base,
                share,
                total: total.max(1),
                done: AtomicU64::new(0),
                cancelled: AtomicBool::new(false),
                last: Mutex::new(std::time::Instant::now()),
            })
        });
        Stop {
            stopped: AtomicBool::new(false),
            progress,
        }
    }

    /// Whether the pass is being abandoned (a part failed, or the call was cancelled).
    #[inline]
    pub fn is_set(&self) -> bool {
        self.stopped.load(Ordering::Relaxed)
    }

    /// Records `work` units done by the calling thread since its last tick, reports progress
    /// when it is time (on the thread that started the pass), and returns [`Stop::is_set`].
    /// Engines tick between lines (or segments): often enough that a cancelled call stops
    /// within a few milliseconds.
    #[inline]
    pub fn tick(&self, work: u64) -> bool {
        if self.progress.is_some() {
            self.record(work);
        }
        self.is_set()
    }

    /// [`Stop::tick`]'s work with a progress report: kept out of the engines' loops.
    #[cold]
    #[inline(never)]
    fn record(&self, work: u64) {
        if let Some(p) = &self.progress {
            p.done.fetch_add(work, Ordering::Relaxed);
            if std::thread::current().id() == p.owner {
                self.report(false);
            }
        }
    }

    /// Calls the progress report if `REPORT_EVERY` has passed (or `now`), and stops the pass
    /// when it cancels.
    fn report(&self, now: bool) {
        let Some(p) = &self.progress else { return };
        let mut last = p.last.lock().unwrap_or_else(|e| e.into_inner());
        // Once cancelled, the report is not called again (the other threads are stopping).
        if p.cancelled.load(Ordering::Relaxed) || (!now && last.elapsed() < REPORT_EVERY) {
            return;
        }
        let done = p.done.load(Ordering::Relaxed).min(p.total);
        let fraction = p.base + p.share * (done as f64 / p.total as f64);
        if !(p.report)(fraction) {
            p.cancelled.store(true, Ordering::Relaxed);
            self.set();
        }
        *last = std::time::Instant::now();
    }

    fn set(&self) {
        self.stopped.store(true, Ordering::Relaxed)
    }

    /// [`Error::Cancelled`] if the progress report cancelled the pass.
    fn outcome(&self) -> Result<(), Error> {
        match &self.progress {
            Some(p) if p.cancelled.load(Ordering::Relaxed) => Err(cancelled()),
            _ => Ok(()),
        }
    }
}

/// Runs `work(stop)` on the calling thread as one pass of `total` units of work: what
/// sequential engines (callbacks called in order) run under, with progress and cancellation
/// as [`for_each_part`] has them.
pub fn run_here<F>(total: u64, work: F) -> Result<(), Error>
where
    F: FnOnce(&Stop) -> Result<(), Error>,
{
    let stop = Stop::new(total);
    work(&stop)?;
    stop.outcome()
}

/// The pools started so far, by thread count.
type Pools = Mutex<Vec<(usize, Arc<rayon::ThreadPool>)>>;

/// One rayon pool per thread count, created on first use and kept for the process.
fn pool(threads: usize) -> Result<Arc<rayon::ThreadPool>, Error> {
    static POOLS: OnceLock<Pools> = OnceLock::new();
    let pools = POOLS.get_or_init(|| Mutex::new(Vec::new()));
    let mut pools = pools.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, p)) = pools.iter().find(|(n, _)| *n == threads) {
        return Ok(p.clone());
    }
    let p = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("ndimage-{i}"))
        .build()
        .map_err(|e| Error::OutOfMemory(format!("cannot start {threads} threads: {e}")))?;
    let p = Arc::new(p);
    pools.push((threads, p.clone()));
    Ok(p)
}

/// Parts per thread: more parts than threads balance uneven work.
const PARTS_PER_THREAD: usize = 4;

/// Runs `work(part, axis, start, stop)` over disjoint parts of `output`, split along the longest
/// axis not in `keep_whole` (whose lines a kernel needs entire); `start` is the part's first
/// index along `axis`. With one thread, or nothing to split, `work` runs once on the calling
/// thread over the whole output (`axis` 0, `start` 0).
///
/// A part that fails sets `stop`; the others check it between lines and return `Ok` early.
/// When several parts fail, the error of the lowest-numbered one is returned.
pub fn for_each_part<F>(
    output: &mut ArrayMut<'_>,
    keep_whole: Option<usize>,
    threads: usize,
    work: F,
) -> Result<(), Error>
where
    F: Fn(&mut ArrayMut<'_>, usize, usize, &Stop) -> Result<(), Error> + Sync,
{
    for_each_part_keeping(output, keep_whole.as_slice(), threads, work)
}

/// [`for_each_part`] keeping every axis of `keep_whole` whole (a kernel that reads several
/// components of one array along a line, say: the components' axis and the line's axis).
pub fn for_each_part_keeping<F>(
    output: &mut ArrayMut<'_>,
    keep_whole: &[usize],
    threads: usize,
    work: F,
) -> Result<(), Error>
where
    F: Fn(&mut ArrayMut<'_>, usize, usize, &Stop) -> Result<(), Error> + Sync,
{
    let stop = Stop::new(output.layout().len() as u64);
    let shape = output.shape().to_vec();
    let axis = (0..shape.len())
        .filter(|a| !keep_whole.contains(a))
        .max_by_key(|&a| (shape[a], usize::MAX - a));
    let axis = match axis {
        Some(a) if threads > 1 && shape[a] > 1 && output.layout().len() > 1 => a,
        _ => {
            work(output, 0, 0, &stop)?;
            return stop.outcome();
        }
    };
    // No more threads than parts of work: a pool per count lives as long as the process.
    let threads = threads.min(shape[axis]);
    let parts = match output.split(axis, threads * PARTS_PER_THREAD) {
        Some(parts) => parts,
        None => {
            work(output, 0, 0, &stop)?;
            return stop.outcome();
        }
    };
    let slots: Vec<Mutex<Option<(usize, ArrayMut<'_>)>>> =
        parts.into_iter().map(|p| Mutex::new(Some(p))).collect();
    run_tasks(slots.len(), threads, &stop, |k| {
        let taken = slots[k].lock().unwrap_or_else(|e| e.into_inner()).take();
        match taken {
            Some((start, mut part)) => work(&mut part, axis, start, &stop),
            None => Ok(()),
        }
    })
}

/// Runs `work(k, stop)` for every task `k` in `0 .. tasks` on `threads` threads (the calling
/// thread among them), as one pass of `total` units of work: for algorithms that divide their
/// work themselves (between passes that must finish in turn, say). Tasks are taken in order by
/// whichever thread is free; the calling thread reports progress. A failing task sets `stop`
/// (the others should check it and return `Ok` early); the lowest failing task's error is
/// returned. With one thread the tasks run in order on the calling thread.
pub fn for_each_task<F>(tasks: usize, threads: usize, total: u64, work: F) -> Result<(), Error>
where
    F: Fn(usize, &Stop) -> Result<(), Error> + Sync,
{
    let stop = Stop::new(total);
    if threads <= 1 || tasks <= 1 {
        for k in 0..tasks {
            if stop.is_set() {
                break;
            }
            work(k, &stop)?;
        }
        return stop.outcome();
    }
    run_tasks(tasks, threads.min(tasks), &stop, |k| work(k, &stop))
}

/// The calling thread and `threads - 1` pool threads take tasks `0 .. tasks` in order from a
/// shared counter until none is left or `stop` is set.
fn run_tasks<F>(tasks: usize, threads: usize, stop: &Stop, work: F) -> Result<(), Error>
where
    F: Fn(usize) -> Result<(), Error> + Sync,
{
    let pool = pool(threads - 1)?;
    let next = AtomicUsize::new(0);
    let running = AtomicUsize::new(threads);
    let errors: Mutex<Vec<(usize, Error)>> = Mutex::new(Vec::new());
    let run = || loop {
        let k = next.fetch_add(1, Ordering::Relaxed);
        if k >= tasks || stop.is_set() {
            running.fetch_sub(1, Ordering::Release);
            return;
        }
        if let Err(e) = work(k) {
            stop.set();
            errors
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((k, e));
        }
    };
    pool.in_place_scope(|scope| {
        for _ in 1..threads {
            scope.spawn(|_| run());
        }
        run();
        // Out of tasks: keep reporting progress (and taking a cancellation) while the other
        // threads finish theirs.
        if stop.progress.is_some() {
            while running.load(Ordering::Acquire) > 0 {
                std::thread::sleep(REPORT_EVERY / 2);
                stop.report(false);
            }
        }
    });
    let errors = errors.into_inner().unwrap_or_else(|e| e.into_inner());
    match errors.into_iter().min_by_key(|(k, _)| *k) {
        Some((_, e)) => Err(e),
        None => stop.outcome(),
    }
}

/// Runs `work(k, stop)` for every part `k` in `0..parts` on up to `threads` threads (the
/// calling thread among them) as one pass of `total` units of work, and returns the results in
/// part order: for whole-array algorithms whose parts compute partial results (of input
/// slabs, of group ranges) that the caller then merges in that order, so that the merged
/// result is the same for every thread count. With one thread the parts run in order on the
/// calling thread.
///
/// A part that fails sets `stop`; the others check it and return early. When several parts
/// fail, the error of the lowest-numbered one is returned.
pub fn map_parts<R, F>(parts: usize, threads: usize, total: u64, work: F) -> Result<Vec<R>, Error>
where
    R: Send,
    F: Fn(usize, &Stop) -> Result<R, Error> + Sync,
{
    let stop = Stop::new(total);
    let threads = threads.min(parts).max(1);
    if threads == 1 {
        let mut results = Vec::with_capacity(parts);
        for k in 0..parts {
            results.push(work(k, &stop)?);
            if stop.is_set() {
                break;
            }
        }
        stop.outcome()?;
        return Ok(results);
    }
    let pool = pool(threads - 1)?;
    let slots: Vec<Mutex<Option<R>>> = (0..parts).map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let running = AtomicUsize::new(threads);
    let errors: Mutex<Vec<(usize, Error)>> = Mutex::new(Vec::new());
    let run_parts = || loop {
        let k = next.fetch_add(1, Ordering::Relaxed);
        if k >= parts || stop.is_set() {
            running.fetch_sub(1, Ordering::Release);
            return;
        }
        match work(k, &stop) {
            Ok(r) => *slots[k].lock().unwrap_or_else(|e| e.into_inner()) = Some(r),
            Err(e) => {
                stop.set();
                errors
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push((k, e));
            }
        }
    };
    pool.in_place_scope(|scope| {
        for _ in 1..threads {
            scope.spawn(|_| run_parts());
        }
        run_parts();
        if stop.progress.is_some() {
            while running.load(Ordering::Acquire) > 0 {
                std::thread::sleep(REPORT_EVERY / 2);
                stop.report(false);
            }
        }
    });
    let errors = errors.into_inner().unwrap_or_else(|e| e.into_inner());
    if let Some((_, e)) = errors.into_iter().min_by_key(|(k, _)| *k) {
        return Err(e);
    }
    stop.outcome()?;
    slots
        .into_iter()
        .map(|slot| {
            slot.into_inner()
                .unwrap_or_else(|e| e.into_inner())
                .ok_or_else(cancelled)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::array::dtype::DType;
    use crate::array::OwnedArray;

    #[test]
    fn map_parts_returns_results_in_part_order() {
        for threads in [1, 2, 3, 8] {
            let results = map_parts(10, threads, 10, |k, stop| {
                stop.tick(1);
                Ok(k * k)
            })
            .unwrap();
            assert_eq!(results, (0..10).map(|k| k * k).collect::<Vec<_>>());
            let failed = map_parts(10, threads, 10, |k, _| {
                if k >= 4 {
                    Err(Error::CallbackFailed(format!("part {k}")))
                } else {
                    Ok(k)
                }
            });
            assert!(matches!(failed, Err(Error::CallbackFailed(_))));
        }
    }

    #[test]
    fn parts_cover_the_output_once() {
        let mut out = OwnedArray::zeros(DType::Float64, &[7, 5]).unwrap();
        let mut view = out.view_mut();
        for threads in [1, 2, 3, 8] {
            let visits = Mutex::new(vec![0u32; 35]);
            for_each_part(&mut view, None, threads, |part, axis, start, _| {
                let mut v = visits.lock().unwrap();
                let shape = part.shape().to_vec();
                for i in 0..shape[0] {
                    for j in 0..shape[1] {
                        let (mut gi, mut gj) = (i, j);
                        if axis == 0 {
                            gi += start
                        } else {
                            gj += start
                        }
                        v[gi * 5 + gj] += 1;
                    }
                }
                Ok(())
            })
            .unwrap();
            assert!(visits.into_inner().unwrap().iter().all(|&c| c == 1));
        }
    }

    #[test]
    fn the_lowest_failing_part_is_reported() {
        let mut out = OwnedArray::zeros(DType::Float64, &[64]).unwrap();
        let mut view = out.view_mut();
        let r = for_each_part(&mut view, None, 4, |_, _, start, _| {
            if start >= 16 {
                Err(Error::CallbackFailed(format!("part {start}")))
            } else {
                Ok(())
            }
        });
        // Which later parts ran depends on timing; the first failing part always runs unless
        // an earlier one failed, and none did.
        assert!(matches!(r, Err(Error::CallbackFailed(m)) if m.starts_with("part ")));
    }

    #[test]
    fn thread_counts_resolve() {
        assert_eq!(Threads::Count(3).resolve().unwrap(), 3);
        assert!(Threads::All.resolve().unwrap() >= 1);
        assert!(Threads::Count(0).resolve().is_err());
        assert!(Threads::Count(MAX_THREADS + 1).resolve().is_err());
    }
}
