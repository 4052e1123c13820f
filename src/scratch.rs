//! Scratch memory: the temporaries a call needs (prefilter coefficients, aliasing copies,
//! intermediates) come from here and go back here when the call is done.
//!
//! A large fresh allocation is a fresh mapping, and touching its pages costs a fault each
//! (about 1 ms per 8 MiB on the machines measured, and faults do not scale across threads). The
//! pool keeps freed buffers, up to [`limit`] bytes in all, so that the next call of a similar
//! size reuses pages that are already mapped. Buffers are handed out with whatever values their
//! last user left in them unless asked for zeros: every user overwrites what it reads.

#![forbid(unsafe_code)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::error::Error;

/// Default bound on the bytes the pool keeps between calls.
pub const DEFAULT_LIMIT: usize = 256 << 20;

/// Buffers smaller than this are not pooled: the allocator serves them from memory it already
/// has, without faults.
const MIN_POOLED_BYTES: usize = 256 << 10;

static LIMIT: AtomicUsize = AtomicUsize::new(DEFAULT_LIMIT);

/// Free buffers, and the bytes they hold.
struct Pool {
    free: Vec<Vec<u64>>,
    bytes: usize,
}

static POOL: Mutex<Pool> = Mutex::new(Pool {
    free: Vec::new(),
    bytes: 0,
});

fn pool() -> std::sync::MutexGuard<'static, Pool> {
    POOL.lock().unwrap_or_else(|e| e.into_inner())
}

/// The bound on the bytes kept between calls.
pub fn limit() -> usize {
    LIMIT.load(Ordering::Relaxed)
}

/// Sets the bound on the bytes kept between calls (0: keep nothing) and frees what exceeds it.
pub fn set_limit(bytes: usize) {
    LIMIT.store(bytes, Ordering::Relaxed);
    let mut pool = pool();
    while pool.bytes > bytes {
        // Largest first: they are the ones that cost the most to keep.
        let Some((k, _)) = pool
            .free
            .iter()
            .enumerate()
            .max_by_key(|(_, v)| v.capacity())
        else {
            break;
        };
        let v = pool.free.swap_remove(k);
        pool.bytes -= v.capacity() * 8;
    }
}

/// Bytes the pool holds now.
pub fn pooled_bytes() -> usize {
    pool().bytes
}

/// A buffer of 8-byte words from the pool, returned to it when dropped.
#[derive(Debug)]
pub(crate) struct Scratch {
    words: Vec<u64>,
}

impl Scratch {
    /// A buffer of `len` words, zero-filled when `zeroed`; otherwise holding unspecified (but
    /// initialised) values. [`Error::OutOfMemory`] naming `what` when it cannot be allocated.
    pub(crate) fn words(len: usize, zeroed: bool, what: &str) -> Result<Scratch, Error> {
        let reused = if len * 8 >= MIN_POOLED_BYTES {
            let mut pool = pool();
            // The smallest free buffer that holds `len` words.
            let best = pool
                .free
                .iter()
                .enumerate()
                .filter(|(_, v)| v.capacity() >= len)
                .min_by_key(|(_, v)| v.capacity())
                .map(|(k, _)| k);
            best.map(|k| {
                let v = pool.free.swap_remove(k);
                pool.bytes -= v.capacity() * 8;
                v
            })
        } else {
            None
        };
        let words = match reused {
            Some(mut v) => {
                // The capacity holds `len`: no allocation. Values beyond the old length are
                // zeros; those below it are the last user's.
                v.resize(len, 0);
                if zeroed {
                    v.fill(0);
                }
                v
            }
            None => {
                let mut v = Vec::new();
                v.try_reserve_exact(len).map_err(|_| {
                    Error::OutOfMemory(format!("cannot allocate {what} of {} bytes", len * 8))
                })?;
                v.resize(len, 0);
                v
            }
        };
        Ok(Scratch { words })
    }

    pub(crate) fn as_slice(&self) -> &[u64] {
        &self.words
    }

    pub(crate) fn as_mut_slice(&mut self) -> &mut [u64] {
        &mut self.words
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let bytes = self.words.capacity() * 8;
        if bytes < MIN_POOLED_BYTES {
            return;
        }
        let mut pool = pool();
        if pool.bytes + bytes <= limit() {
            pool.bytes += bytes;
            pool.free.push(std::mem::take(&mut self.words));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // One test touches the process-wide pool, so that parallel tests do not race on it.
    #[test]
    fn buffers_are_reused_within_the_limit() {
        // Larger than any other test of this binary asks for, so that none takes it meanwhile.
        let len = 6 << 20;
        let first = Scratch::words(len, true, "a test buffer").unwrap();
        let address = first.as_slice().as_ptr() as usize;
        drop(first);
        assert!(pooled_bytes() >= len * 8);
        // A smaller request reuses the same pages, with the values left in them.
        let mut again = Scratch::words(len / 2, false, "a test buffer").unwrap();
        assert_eq!(again.as_slice().as_ptr() as usize, address);
        again.as_mut_slice().fill(7);
        drop(again);
        let zeroed = Scratch::words(len, true, "a test buffer").unwrap();
        assert!(zeroed.as_slice().iter().all(|&w| w == 0));
        drop(zeroed);
        // Over the limit, nothing is kept.
        set_limit(0);
        assert_eq!(pooled_bytes(), 0);
        drop(Scratch::words(len, false, "a test buffer").unwrap());
        assert_eq!(pooled_bytes(), 0);
        set_limit(DEFAULT_LIMIT);
    }
}
