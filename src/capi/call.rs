//! The context of one C call: its options, and the conversions every entry point shares
//! (descriptors to views, codes to enums, small argument arrays copied before anything is
//! written, footprint-or-size, per-axis values). An entry point is its signature plus a body
//! of such conversions and one call of the core.

use super::codes::mode_from_code;
use super::types::*;
use super::{guard, ndi_mode, ndi_status};
use crate::array::{ArrayMut, ArrayRef};
use crate::boundary::Mode;
use crate::engine::Footprint;
use crate::error::Error;
use crate::interpolation::{Region, Spline, Tile};
use crate::parallel::{self, Threads};

/// Runs the body of exported function `name` with the context of its `options`: catches
/// panics, reports the status and message, and reports progress and cancellation to the
/// options' progress callback.
///
/// # Safety
/// `options` is NULL or points to a readable `ndi_options` of its `struct_size`.
pub(crate) unsafe fn entry<F>(name: &str, options: *const ndi_options, body: F) -> ndi_status
where
    F: FnOnce(&Call) -> Result<(), Error>,
{
    // SAFETY: forwarded caller contract.
    unsafe { run(name, options, false, body) }
}

/// [`entry`] for the functions that evaluate tiles ([`Call::tile`]): the options' regions
/// and `NDI_FLAG_PREFILTERED` are theirs to read. Every other function rejects them.
///
/// # Safety
/// As [`entry`].
pub(crate) unsafe fn entry_tile<F>(name: &str, options: *const ndi_options, body: F) -> ndi_status
where
    F: FnOnce(&Call) -> Result<(), Error>,
{
    // SAFETY: forwarded caller contract.
    unsafe { run(name, options, true, body) }
}

/// [`entry`] and [`entry_tile`].
///
/// # Safety
/// As [`entry`].
unsafe fn run<F>(name: &str, options: *const ndi_options, tiles: bool, body: F) -> ndi_status
where
    F: FnOnce(&Call) -> Result<(), Error>,
{
    guard(name, || {
        // SAFETY: forwarded caller contract.
        let call = Call {
            options: unsafe { read_options(options)? },
        };
        if !tiles && call.options.has_tile() {
            return Err(Error::InvalidArgument(
                "takes no regions (options.output_origin, output_shape, input_origin, \
                 input_shape) and no NDI_FLAG_PREFILTERED: those are for the interpolation \
                 functions"
                    .into(),
            ));
        }
        match call.options.progress {
            // Not the report of an enclosing call (this one may run inside its callback).
            None => parallel::without_progress(|| body(&call)),
            Some(progress) => {
                let user_data = UserData::new(call.options.progress_user_data);
                // SAFETY: the caller's progress function, called on this thread only, with
                // the caller's user data, as documented on ndi_options.
                let report =
                    move |fraction: f64| unsafe { progress(fraction, user_data.get()) != 0 };
                parallel::with_progress(report, || body(&call))
            }
        }
    })
}

/// One call's options, and the argument conversions.
pub(crate) struct Call {
    options: ndi_options,
}

impl Call {
    /// Threads for a function without a callback.
    pub(crate) fn threads(&self) -> Result<Threads, Error> {
        self.options.threads_for(false)
    }

    /// Threads for a function with a callback: the calling thread only, unless the callback is
    /// declared thread-safe.
    pub(crate) fn callback_threads(&self) -> Result<Threads, Error> {
        self.options.threads_for(true)
    }

    /// Threads and NaN policy for the order filters (no callback).
    pub(crate) fn order_options(&self) -> Result<crate::filters::OrderOptions, Error> {
        Ok(crate::filters::OrderOptions {
            threads: self.threads()?,
            nan_policy: self.options.nan_policy()?,
        })
    }

    /// The imaginary part of `cval` for complex arrays.
    pub(crate) fn cval_imag(&self) -> f64 {
        self.options.cval_imag
    }

    /// The options' tile for a call of input rank `in_rank` and output rank `out_rank`:
    /// each region's two arrays of that rank, copied (they may lie in the output's memory).
    ///
    /// # Safety
    /// Each region pointer of the options is NULL or points to that many readable values
    /// (the documented contract of `ndi_options`).
    pub(crate) unsafe fn tile(&self, in_rank: usize, out_rank: usize) -> Result<Tile, Error> {
        let o = &self.options;
        // SAFETY (both): forwarded caller contract.
        let output = unsafe { region(o.output_origin, o.output_shape, out_rank, "output")? };
        let input = unsafe { region(o.input_origin, o.input_shape, in_rank, "input")? };
        Ok(Tile {
            output,
            input,
            prefiltered: o.flags & NDI_FLAG_PREFILTERED != 0,
        })
    }

    /// An input array.
    ///
    /// # Safety
    /// `array` is NULL or a valid descriptor of memory readable for `'a` (see `ndi_array`).
    pub(crate) unsafe fn input<'a>(
        &self,
        array: *const ndi_array,
        name: &str,
    ) -> Result<ArrayRef<'a>, Error> {
        // SAFETY: forwarded caller contract.
        unsafe { input_view(array, name) }
    }

    /// An output array.
    ///
    /// # Safety
    /// `array` is NULL or a valid descriptor of memory writable for `'a` (see `ndi_array`).
    pub(crate) unsafe fn output<'a>(
        &self,
        array: *const ndi_array,
        name: &str,
    ) -> Result<ArrayMut<'a>, Error> {
        // SAFETY: forwarded caller contract.
        unsafe { output_view(array, name) }
    }

    /// A boundary mode code.
    pub(crate) fn mode(&self, code: ndi_mode) -> Result<Mode, Error> {
        mode_from_code(code)
    }

    /// A spline order, 0 to 5 (the core checks narrower ranges where it has them).
    pub(crate) fn order(&self, order: i32) -> Result<usize, Error> {
        let negative = || {
            Error::InvalidArgument(format!(
                "spline order {order} not supported: must be 0 to 5"
            ))
        };
        crate::args::spline_order(usize::try_from(order).map_err(|_| negative())?, 0, 5)
    }

    /// The interpolation settings of a call (`cval`'s imaginary part from the options).
    pub(crate) fn spline(
        &self,
        order: i32,
        mode: ndi_mode,
        cval: f64,
        prefilter: i32,
    ) -> Result<Spline, Error> {
        Ok(Spline {
            order: self.order(order)?,
            mode: self.mode(mode)?,
            cval,
            cval_imag: self.cval_imag(),
            prefilter: prefilter != 0,
        })
    }

    /// A copy of `len` values of a C array argument (`name`), taken before anything is
    /// written (the values may lie in the output's memory). NULL is an error unless `len` is 0.
    ///
    /// # Safety
    /// `ptr` is NULL or points to `len` readable values.
    pub(crate) unsafe fn values<T: Copy>(
        &self,
        ptr: *const T,
        len: usize,
        name: &str,
    ) -> Result<Vec<T>, Error> {
        // SAFETY: forwarded caller contract.
        Ok(unsafe { c_slice(ptr, len, name)? }.to_vec())
    }

    /// As [`Call::values`], with NULL meaning `len` copies of `default`.
    ///
    /// # Safety
    /// As [`Call::values`].
    pub(crate) unsafe fn values_or<T: Copy>(
        &self,
        ptr: *const T,
        len: usize,
        default: T,
        name: &str,
    ) -> Result<Vec<T>, Error> {
        if ptr.is_null() {
            return Ok(vec![default; len]);
        }
        // SAFETY: forwarded caller contract.
        unsafe { self.values(ptr, len, name) }
    }

    /// `rank` origins (NULL: zeros).
    ///
    /// # Safety
    /// `origins` is NULL or points to `rank` readable values.
    pub(crate) unsafe fn origins(
        &self,
        origins: *const isize,
        rank: usize,
    ) -> Result<Vec<isize>, Error> {
        // SAFETY: forwarded caller contract.
        unsafe { self.values_or(origins, rank, 0, "origins") }
    }

    /// A footprint: the non-zero elements of `footprint`, or with `footprint` NULL a full box
    /// of `size` (`rank` sizes, each >= 1, that `origins` fit, checked before the box is
    /// allocated; a box whose walk cannot be allocated is `Error::OutOfMemory`).
    ///
    /// # Safety
    /// `footprint` is NULL or a valid input descriptor; `size` is NULL or points to `rank`
    /// readable values.
    pub(crate) unsafe fn footprint(
        &self,
        footprint: *const ndi_array,
        size: *const isize,
        rank: usize,
        origins: &[isize],
    ) -> Result<Footprint, Error> {
        if !footprint.is_null() {
            // SAFETY: forwarded caller contract.
            let mask = unsafe { self.input(footprint, "footprint")? };
            return Footprint::from_array(&mask);
        }
        if size.is_null() {
            return Err(Error::NullPointer("footprint and size".into()));
        }
        // SAFETY: forwarded caller contract.
        let size = unsafe { c_slice(size, rank, "size")? };
        let sizes = size
            .iter()
            .enumerate()
            .map(|(axis, &s)| {
                usize::try_from(s).ok().filter(|&s| s >= 1).ok_or_else(|| {
                    Error::InvalidArgument(format!("size {s} on axis {axis}: sizes must be >= 1"))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        // The origins fit the box before the box is made (a huge size must not allocate
        // anything when another argument is wrong).
        for (axis, (&s, &o)) in sizes.iter().zip(origins).enumerate() {
            crate::args::samples_before(s, o, axis)?;
        }
        Footprint::from_size(&sizes)
    }
}

/// A region of the options: `origin` and `shape` both NULL (none) or both `rank` values,
/// each >= 0.
///
/// # Safety
/// Each pointer is NULL or points to `rank` readable values.
unsafe fn region(
    origin: *const isize,
    shape: *const isize,
    rank: usize,
    what: &str,
) -> Result<Option<Region>, Error> {
    match (origin.is_null(), shape.is_null()) {
        (true, true) => return Ok(None),
        (false, false) => {}
        (null_origin, _) => {
            let (set, null) = if null_origin {
                ("shape", "origin")
            } else {
                ("origin", "shape")
            };
            return Err(Error::NullPointer(format!(
                "options.{what}_{null} (options.{what}_{set} is set; set both or neither)"
            )));
        }
    }
    let values = |ptr, name: &str| -> Result<Vec<usize>, Error> {
        // SAFETY: forwarded caller contract.
        let raw = unsafe { c_slice(ptr, rank, name)? };
        raw.iter()
            .enumerate()
            .map(|(a, &v)| {
                usize::try_from(v).map_err(|_| {
                    Error::InvalidArgument(format!("{name}[{a}] is {v}; it must be >= 0"))
                })
            })
            .collect()
    };
    Ok(Some(Region {
        origin: values(origin, &format!("options.{what}_origin"))?,
        shape: values(shape, &format!("options.{what}_shape"))?,
    }))
}
