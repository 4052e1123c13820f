//! Parallel execution: how many threads a call uses, and running a kernel over disjoint parts
//! of the output on a rayon pool.
//!
//! Every parallel kernel in the library computes each output element from the input alone, so
//! splitting the output changes nothing in the numbers: results are bit-identical for every
//! thread count. With one thread the kernel runs on the calling thread and no pool is touched.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use crate::array::strided::ArrayMut;
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

/// Set when any part of a parallel call fails, so the other parts stop at their next check.
#[derive(Debug, Default)]
pub struct Stop(AtomicBool);

impl Stop {
    /// Whether the call is being abandoned.
    #[inline]
    pub fn is_set(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
    fn set(&self) {
        self.0.store(true, Ordering::Relaxed)
    }
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
    let stop = Stop::default();
    let shape = output.shape().to_vec();
    let axis = (0..shape.len())
        .filter(|&a| Some(a) != keep_whole)
        .max_by_key(|&a| (shape[a], usize::MAX - a));
    let axis = match axis {
        Some(a) if threads > 1 && shape[a] > 1 && output.layout().len() > 1 => a,
        _ => return work(output, 0, 0, &stop),
    };
    // No more threads than parts of work: a pool per count lives as long as the process.
    let threads = threads.min(shape[axis]);
    let parts = match output.split(axis, threads * PARTS_PER_THREAD) {
        Some(parts) => parts,
        None => return work(output, 0, 0, &stop),
    };
    // The calling thread works too, beside `threads - 1` pool threads: parts are taken in
    // order from a shared counter by whichever thread is free.
    let pool = pool(threads - 1)?;
    let slots: Vec<Mutex<Option<(usize, ArrayMut<'_>)>>> =
        parts.into_iter().map(|p| Mutex::new(Some(p))).collect();
    let next = AtomicUsize::new(0);
    let errors: Mutex<Vec<(usize, Error)>> = Mutex::new(Vec::new());
    let run_parts = || loop {
        let k = next.fetch_add(1, Ordering::Relaxed);
        let Some(slot) = slots.get(k) else { return };
        if stop.is_set() {
            return;
        }
        let taken = slot.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some((start, mut part)) = taken {
            if let Err(e) = work(&mut part, axis, start, &stop) {
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
    });
    let errors = errors.into_inner().unwrap_or_else(|e| e.into_inner());
    match errors.into_iter().min_by_key(|(k, _)| *k) {
        Some((_, e)) => Err(e),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::array::dtype::DType;
    use crate::array::strided::OwnedArray;

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
