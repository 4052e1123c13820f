//! NumPy's elementwise arithmetic between arrays, for functions that scipy composes in
//! Python (`out = a - b` as `np.subtract(a, b, out=out)`): the operands' types promoted as
//! `np.promote_types` does, the operation in that type (integers wrap), the result cast into
//! the output's type under NumPy's `same_kind` rule (an error otherwise, as NumPy raises).

#![forbid(unsafe_code)]

use super::dtype::{with_native, DType, Native};
use super::{advance, ArrayMut, ArrayRef};
use crate::error::Error;
use crate::parallel::for_each_part;

/// A binary ufunc.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    /// `np.add` (logical or for bool).
    Add,
    /// `np.subtract` (not defined for bool: NumPy raises `TypeError`).
    Subtract,
    /// `np.bitwise_xor` (for bool operands).
    Xor,
}

/// (kind, bits) of a real type: kind 0 bool, 1 signed, 2 unsigned, 3 float.
fn kind(d: DType) -> (u8, u32) {
    match d {
        DType::Bool => (0, 8),
        DType::Int8 => (1, 8),
        DType::Int16 => (1, 16),
        DType::Int32 => (1, 32),
        DType::Int64 => (1, 64),
        DType::UInt8 => (2, 8),
        DType::UInt16 => (2, 16),
        DType::UInt32 => (2, 32),
        DType::UInt64 => (2, 64),
        DType::Float32 => (3, 32),
        DType::Float64 => (3, 64),
        DType::Complex64 | DType::Complex128 => (4, 0),
    }
}

fn signed(bits: u32) -> DType {
    match bits {
        8 => DType::Int8,
        16 => DType::Int16,
        32 => DType::Int32,
        _ => DType::Int64,
    }
}

/// `np.promote_types(a, b)` for real types.
pub fn promote(a: DType, b: DType) -> DType {
    let ((ka, ba), (kb, bb)) = (kind(a), kind(b));
    match (ka, kb) {
        (0, _) => b,
        (_, 0) => a,
        (1, 1) | (2, 2) | (3, 3) => {
            if ba >= bb {
                a
            } else {
                b
            }
        }
        (1, 2) | (2, 1) => {
            let (sbits, ubits) = if ka == 1 { (ba, bb) } else { (bb, ba) };
            if sbits > ubits {
                signed(sbits)
            } else if ubits < 64 {
                signed(2 * ubits)
            } else {
                DType::Float64
            }
        }
        (3, _) | (_, 3) => {
            let (fbits, ibits) = if ka == 3 { (ba, bb) } else { (bb, ba) };
            if fbits == 32 && ibits <= 16 {
                DType::Float32
            } else {
                DType::Float64
            }
        }
        _ => DType::Float64,
    }
}

/// `np.can_cast(from, to, 'same_kind')` for real types.
pub fn can_cast_same_kind(from: DType, to: DType) -> bool {
    let (kf, kt) = (kind(from).0, kind(to).0);
    match kf {
        0 => true,
        1 => kt == 1 || kt == 3,
        2 => kt == 1 || kt == 2 || kt == 3,
        3 => kt == 3,
        _ => false,
    }
}

/// Checks that `op` on operands of types `a` and `b` into an output of type `out` is what
/// NumPy computes without raising; returns the type it computes in.
pub fn check_binary(op: BinaryOp, a: DType, b: DType, out: DType) -> Result<DType, Error> {
    for d in [a, b, out] {
        crate::args::real(d, "operand")?;
    }
    let c = promote(a, b);
    if op == BinaryOp::Subtract && c == DType::Bool {
        return Err(Error::InvalidArgument(
            "numpy boolean subtract, the `-` operator, is not supported, use the bitwise_xor, \
             the `^` operator, or the logical_xor function instead."
                .into(),
        ));
    }
    if op == BinaryOp::Xor && kind(c).0 == 3 {
        return Err(Error::InvalidArgument(format!(
            "ufunc 'bitwise_xor' not supported for the input types ({}, {})",
            a.name(),
            b.name()
        )));
    }
    if !can_cast_same_kind(c, out) {
        return Err(Error::InvalidArgument(format!(
            "Cannot cast ufunc '{}' output from dtype('{}') to dtype('{}') with casting rule \
             'same_kind'",
            match op {
                BinaryOp::Add => "add",
                BinaryOp::Subtract => "subtract",
                BinaryOp::Xor => "bitwise_xor",
            },
            c.name(),
            out.name()
        )));
    }
    Ok(c)
}

/// An operand of [`binary`]: an array, or the output itself (as in `np.subtract(a, out,
/// out=out)`).
#[derive(Clone, Copy, Debug)]
pub enum Operand<'r, 'a> {
    Array(&'r ArrayRef<'a>),
    Output,
}

/// `out = op(a, b)` elementwise as NumPy computes it (see the module; checked with
/// [`check_binary`]). Each line of the operands is read before it is written, so the output
/// may be an operand ([`Operand::Output`]); an array operand must not overlap the output.
/// Runs on `threads` threads.
pub fn binary(
    op: BinaryOp,
    a: Operand<'_, '_>,
    b: Operand<'_, '_>,
    out: &mut ArrayMut<'_>,
    threads: usize,
) -> Result<(), Error> {
    let dtype = |x: Operand<'_, '_>| match x {
        Operand::Array(v) => v.dtype(),
        Operand::Output => out.dtype(),
    };
    let (da, db) = (dtype(a), dtype(b));
    for x in [a, b] {
        if let Operand::Array(v) = x {
            if v.shape() != out.shape() {
                return Err(Error::ShapeMismatch(format!(
                    "an operand of shape {:?} for an output of shape {:?}",
                    v.shape(),
                    out.shape()
                )));
            }
        }
    }
    let c = check_binary(op, da, db, out.dtype())?;
    if out.is_empty() {
        return Ok(());
    }
    let last = out.rank() - 1;
    with_native!(c, C => {
        for_each_part(out, Some(last), threads, |part, axis, start, stop| {
            let n = part.shape()[last];
            let mut x: Vec<C> = vec![C::default(); n];
            let mut y: Vec<C> = vec![C::default(); n];
            let mut index = vec![0usize; part.rank()];
            let mut global = index.clone();
            let shape = part.shape().to_vec();
            loop {
                if stop.tick(n as u64) {
                    return Ok(());
                }
                global.copy_from_slice(&index);
                global[axis] += start;
                for (operand, buffer) in [(a, &mut x), (b, &mut y)] {
                    match operand {
                        Operand::Array(v) => read_as(v, &global, last, buffer),
                        Operand::Output => read_as(&part.view(), &index, last, buffer),
                    }
                }
                apply(op, &mut x, &y);
                part.store_run_as(&index, last, 0, &x);
                if !advance(&mut index, &shape, Some(last)) {
                    return Ok(());
                }
            }
        })
    })
}

/// The line through `index` along `axis` of `array`, cast into `C` by NumPy's rules.
fn read_as<C: Native>(array: &ArrayRef<'_>, index: &[usize], axis: usize, out: &mut [C]) {
    with_native!(array.dtype(), A => {
        let mut raw: Vec<A> = vec![A::default(); out.len()];
        array.read_run_as(index, axis, 0, &mut raw);
        for (o, &v) in out.iter_mut().zip(&raw) {
            *o = C::from_scalar(v.to_scalar());
        }
    })
}

/// `x = op(x, y)` in the compute type.
fn apply<C: Native>(op: BinaryOp, x: &mut [C], y: &[C]) {
    match op {
        BinaryOp::Add if C::DTYPE == DType::Bool => {
            for (u, &v) in x.iter_mut().zip(y) {
                *u = C::from_scalar(super::dtype::Scalar::Bool(
                    u.to_scalar().is_nonzero() || v.to_scalar().is_nonzero(),
                ));
            }
        }
        BinaryOp::Add => {
            for (u, &v) in x.iter_mut().zip(y) {
                *u = u.c_add(v);
            }
        }
        BinaryOp::Subtract => {
            for (u, &v) in x.iter_mut().zip(y) {
                *u = c_sub(*u, v);
            }
        }
        BinaryOp::Xor => {
            for (u, &v) in x.iter_mut().zip(y) {
                *u = c_xor(*u, v);
            }
        }
    }
}

/// `a - b` in the type (integers wrap).
#[inline(always)]
fn c_sub<C: Native>(a: C, b: C) -> C {
    use super::dtype::Scalar;
    match (a.to_scalar(), b.to_scalar()) {
        (Scalar::Int(x), Scalar::Int(y)) => C::from_scalar(Scalar::Int(x.wrapping_sub(y))),
        (Scalar::UInt(x), Scalar::UInt(y)) => C::from_scalar(Scalar::UInt(x.wrapping_sub(y))),
        (Scalar::Float(x), Scalar::Float(y)) => {
            // float32 differences round once from the exact double difference, as float32
            // arithmetic does.
            C::from_scalar(Scalar::Float(x - y))
        }
        _ => a,
    }
}

/// `a ^ b` for integers and bools.
#[inline(always)]
fn c_xor<C: Native>(a: C, b: C) -> C {
    use super::dtype::Scalar;
    match (a.to_scalar(), b.to_scalar()) {
        (Scalar::Int(x), Scalar::Int(y)) => C::from_scalar(Scalar::Int(x ^ y)),
        (Scalar::UInt(x), Scalar::UInt(y)) => C::from_scalar(Scalar::UInt(x ^ y)),
        (Scalar::Bool(x), Scalar::Bool(y)) => C::from_scalar(Scalar::Bool(x ^ y)),
        _ => a,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn promotion_is_numpys() {
        use DType::*;
        assert_eq!(promote(Int8, UInt8), Int16);
        assert_eq!(promote(UInt64, Int8), Float64);
        assert_eq!(promote(UInt16, Float32), Float32);
        assert_eq!(promote(Int32, Float32), Float64);
        assert_eq!(promote(Bool, UInt8), UInt8);
        assert_eq!(promote(Int16, UInt8), Int16);
        assert!(can_cast_same_kind(UInt8, Int8));
        assert!(!can_cast_same_kind(Int8, UInt8));
        assert!(!can_cast_same_kind(Float32, Int64));
        assert!(check_binary(BinaryOp::Subtract, Bool, Bool, Bool).is_err());
        assert_eq!(check_binary(BinaryOp::Add, Bool, Bool, Bool).unwrap(), Bool);
    }
}
