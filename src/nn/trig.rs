//! `sin` and `cos` for the data generators, the `sin x` features and the Box–Muller
//! normals.
//!
//! Natively these are the standard library's. In WebAssembly they are a port of the
//! fdlibm algorithm that Rust's wasm libm uses (the `libm` crate, MIT; from FreeBSD's
//! msun): the same polynomial kernels and the same Cody–Waite argument reduction, so the
//! page computes the same bits as before, in every browser. Only the reduction of huge
//! arguments (|x| ≥ 2²⁰·π/2, with its 2/π table) is left out; there the page asks the
//! browser's `Math.sin` / `Math.cos` (no data set comes near). That keeps 2.3 KB of gzip out
//! of the bundle. A browser test (`tests/web.rs`) checks the port against libm bit for bit.

/// `sin x` (radians).
#[inline]
pub fn sin(x: f64) -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        fdlibm::sin(x)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        x.sin()
    }
}

/// `cos x` (radians).
#[inline]
pub fn cos(x: f64) -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        fdlibm::cos(x)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        x.cos()
    }
}

/// The port (compiled natively too, so the native tests check it against the C library).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
#[allow(clippy::excessive_precision)] // the constants as fdlibm writes them
pub(crate) mod fdlibm {
    const INV_PIO2: f64 = f64::from_bits(0x3FE45F306DC9C883); // 2/π
    const PIO2_1: f64 = 1.57079632673412561417e+00;
    const PIO2_1T: f64 = 6.07710050650619224932e-11;
    const PIO2_2: f64 = 6.07710050630396597660e-11;
    const PIO2_2T: f64 = 2.02226624879595063154e-21;
    const PIO2_3: f64 = 2.02226624871116645580e-21;
    const PIO2_3T: f64 = 8.47842766036889956997e-32;
    const TO_INT: f64 = 1.5 / f64::EPSILON;

    /// `sin` on [−π/4, π/4] of `x + y` (`y` the tail of a reduced argument; `iy = 0` when
    /// there is none): `x + x³·(S1 + x²·r(x²))`, the minimax polynomial of fdlibm's `__sin`.
    fn k_sin(x: f64, y: f64, iy: i32) -> f64 {
        const S1: f64 = -1.66666666666666324348e-01;
        const S2: f64 = 8.33333333332248946124e-03;
        const S3: f64 = -1.98412698298579493134e-04;
        const S4: f64 = 2.75573137070700676789e-06;
        const S5: f64 = -2.50507602534068634195e-08;
        const S6: f64 = 1.58969099521155010221e-10;
        let z = x * x;
        let w = z * z;
        let r = S2 + z * (S3 + z * S4) + z * w * (S5 + z * S6);
        let v = z * x;
        if iy == 0 {
            x + v * (S1 + z * r)
        } else {
            x - ((z * (0.5 * y - v * r) - y) - v * S1)
        }
    }

    /// `cos` on [−π/4, π/4] of `x + y`: `1 − x²/2 + x⁴·r(x²)`, fdlibm's `__cos`.
    fn k_cos(x: f64, y: f64) -> f64 {
        const C1: f64 = 4.16666666666666019037e-02;
        const C2: f64 = -1.38888888888741095749e-03;
        const C3: f64 = 2.48015872894767294178e-05;
        const C4: f64 = -2.75573143513906633035e-07;
        const C5: f64 = 2.08757232129817482790e-09;
        const C6: f64 = -1.13596475577881948265e-11;
        let z = x * x;
        let w = z * z;
        let r = z * (C1 + z * (C2 + z * C3)) + w * w * (C4 + z * (C5 + z * C6));
        let hz = 0.5 * z;
        let w = 1.0 - hz;
        w + (((1.0 - w) - hz) + (z * r - x * y))
    }

    /// `x = n·π/2 + (y0 + y1)` with |y0 + y1| ≤ π/4, for |x| < 2²⁰·π/2 (fdlibm's
    /// `__rem_pio2` without its large-argument path): π/2 in three parts of 33 bits, so
    /// `n·PIO2_k` is exact, and up to three rounds when `x` is close to a multiple of π/2.
    /// `None` for larger (or non-finite) `x`.
    fn rem_pio2(x: f64) -> Option<(i32, f64, f64)> {
        let negative = x.is_sign_negative();
        let ix = (x.to_bits() >> 32) as u32 & 0x7fffffff;
        // |x| ≤ 9π/4 and not close to a multiple of π/2: one round with k = 1…4.
        let near = (ix & 0xfffff) == 0x921fb || ix == 0x4012d97c || ix == 0x401921fb;
        if ix <= 0x401c463b && !near {
            let k = if ix <= 0x4002d97c {
                1.0
            } else if ix <= 0x400f6a7a {
                2.0
            } else if ix <= 0x4015fdbc {
                3.0
            } else {
                4.0
            };
            let k = if negative { -k } else { k };
            let z = x - k * PIO2_1;
            let y0 = z - k * PIO2_1T;
            let y1 = (z - y0) - k * PIO2_1T;
            return Some((k as i32, y0, y1));
        }
        if ix >= 0x413921fb {
            return None;
        }
        let f_n = (x * INV_PIO2 + TO_INT) - TO_INT;
        let n = f_n as i32;
        // One more round: subtract `f_n·hi` from `r` and carry the error with `f_n·lo`,
        // giving the new `(r, w)` and `y0 = r − w`.
        let round = |t: f64, hi: f64, lo: f64| {
            let w = f_n * hi;
            let r = t - w;
            let w = f_n * lo - ((t - r) - w);
            (r, w, r - w)
        };
        let (mut r, mut w) = (x - f_n * PIO2_1, f_n * PIO2_1T);
        let mut y0 = r - w;
        let ex = (ix >> 20) as i32;
        let exponent = |v: f64| (v.to_bits() >> 52) as i32 & 0x7ff;
        if ex - exponent(y0) > 16 {
            (r, w, y0) = round(r, PIO2_2, PIO2_2T);
            if ex - exponent(y0) > 49 {
                (r, w, y0) = round(r, PIO2_3, PIO2_3T);
            }
        }
        Some((n, y0, (r - y0) - w))
    }

    /// `sin x`.
    pub fn sin(x: f64) -> f64 {
        let ix = (x.to_bits() >> 32) as u32 & 0x7fffffff;
        if ix <= 0x3fe921fb {
            return if ix < 0x3e500000 { x } else { k_sin(x, 0.0, 0) };
        }
        match rem_pio2(x) {
            Some((n, y0, y1)) => match n & 3 {
                0 => k_sin(y0, y1, 1),
                1 => k_cos(y0, y1),
                2 => -k_sin(y0, y1, 1),
                _ => -k_cos(y0, y1),
            },
            None => huge_sin(x),
        }
    }

    /// `cos x`.
    pub fn cos(x: f64) -> f64 {
        let ix = (x.to_bits() >> 32) as u32 & 0x7fffffff;
        if ix <= 0x3fe921fb {
            return if ix < 0x3e46a09e { 1.0 } else { k_cos(x, 0.0) };
        }
        match rem_pio2(x) {
            Some((n, y0, y1)) => match n & 3 {
                0 => k_cos(y0, y1),
                1 => -k_sin(y0, y1, 1),
                2 => -k_cos(y0, y1),
                _ => k_sin(y0, y1, 1),
            },
            None => huge_cos(x),
        }
    }

    #[cfg(target_arch = "wasm32")]
    fn huge_sin(x: f64) -> f64 {
        js_sys::Math::sin(x)
    }
    #[cfg(target_arch = "wasm32")]
    fn huge_cos(x: f64) -> f64 {
        js_sys::Math::cos(x)
    }
    #[cfg(not(target_arch = "wasm32"))]
    fn huge_sin(x: f64) -> f64 {
        x.sin()
    }
    #[cfg(not(target_arch = "wasm32"))]
    fn huge_cos(x: f64) -> f64 {
        x.cos()
    }
}

#[cfg(test)]
mod tests {
    use super::fdlibm;

    /// The C library and fdlibm are both within an ulp of the exact value; they agree on
    /// almost every argument, and the port must never be further than one ulp away.
    #[test]
    fn port_is_within_one_ulp_of_the_c_library() {
        let ulps = |a: f64, b: f64| (a.to_bits() as i64).wrapping_sub(b.to_bits() as i64).unsigned_abs();
        let mut r = crate::nn::Rng::new(5);
        for i in 0..200_000 {
            let x = if i % 2 == 0 { r.uniform(-50.0, 50.0) } else { r.uniform(-1.6e6, 1.6e6) };
            assert!(ulps(fdlibm::sin(x), x.sin()) <= 1, "sin({x:e})");
            assert!(ulps(fdlibm::cos(x), x.cos()) <= 1, "cos({x:e})");
        }
        assert_eq!(fdlibm::sin(0.0), 0.0);
        assert_eq!(fdlibm::cos(0.0), 1.0);
        assert!(fdlibm::sin(-0.0).is_sign_negative());
        assert!(fdlibm::sin(f64::NAN).is_nan() && fdlibm::cos(f64::INFINITY).is_nan());
        assert_eq!(fdlibm::sin(1e300), 1e300f64.sin());
    }
}
