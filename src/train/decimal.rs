//! Decimal text → `f64`, the one number parser of the URL codec, the experiment-file reader
//! and the page's text fields.
//!
//! The grammar is checked here: `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?`
//! — Rust's `f64::from_str` grammar without `inf`/`nan`/`infinity` (no caller accepts a
//! non-finite number, and the callers reject them with a message of their own).
//!
//! The conversion is correctly rounded on both targets, so both give the same bits:
//! natively it is `str::parse::<f64>`; in WebAssembly it is the browser's `parseFloat`
//! (ECMAScript StringToNumber, correctly rounded; V8 is exact for any length). That keeps
//! Rust's decimal-to-float tables and slow path out of the page: 15 KB of the gzipped
//! bundle. `js-sys` is a wasm32-only dependency, so the native core still has no web
//! dependency; a browser test (`tests/web.rs`) checks the two conversions agree bit for bit.

/// Whether `s` is a decimal number in the grammar above (no spaces, no `inf`/`nan`).
pub fn is_decimal(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    let mut mantissa = digits(&mut i);
    if i < b.len() && b[i] == b'.' {
        i += 1;
        mantissa += digits(&mut i);
    }
    if mantissa == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// `s` as the nearest `f64` (ties to even), or `None` if it is not [`is_decimal`].
/// Out-of-range magnitudes give ±∞ or ±0 as in Rust; callers that need finite values filter.
pub fn parse_f64(s: &str) -> Option<f64> {
    if !is_decimal(s) {
        return None;
    }
    #[cfg(target_arch = "wasm32")]
    {
        Some(js_sys::parse_float(s))
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        s.parse::<f64>().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_rust_decimal_forms() {
        for s in ["0", "-0", "+1", "1.", ".5", "-.5", "1.25", "1e5", "1E+5", "2.5e-3", "00012", "1e400", "1e-400"] {
            assert!(is_decimal(s), "{s}");
            assert_eq!(parse_f64(s).map(f64::to_bits), s.parse::<f64>().ok().map(f64::to_bits), "{s}");
        }
        assert_eq!(parse_f64("1e400"), Some(f64::INFINITY));
        assert_eq!(parse_f64("-1e-400").map(f64::to_bits), Some((-0.0f64).to_bits()));
    }

    #[test]
    fn rejects_what_is_not_a_plain_decimal() {
        for s in ["", "+", "-", ".", "e5", ".e5", "1e", "1e+", "1.2.3", " 1", "1 ", "1,5", "0x10", "inf", "-inf", "NaN", "infinity", "1_000", "١", "1e5.0", "--1"] {
            assert!(!is_decimal(s), "{s:?}");
            assert_eq!(parse_f64(s), None, "{s:?}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(5000))]

        /// On strings over the grammar's alphabet, the check agrees with Rust's own parser
        /// (apart from the words inf/nan, which that alphabet cannot spell).
        #[test]
        fn grammar_matches_rust(s in "[-+0-9.eE]{0,12}") {
            prop_assert_eq!(is_decimal(&s), s.parse::<f64>().is_ok(), "{:?}", s);
        }

        /// Every double's shortest text reads back to the same bits.
        #[test]
        fn shortest_text_round_trips(bits in any::<u64>()) {
            let x = f64::from_bits(bits);
            prop_assume!(x.is_finite());
            for text in [format!("{x}"), format!("{x:e}"), format!("{x:.3}")] {
                prop_assert_eq!(parse_f64(&text).map(f64::to_bits), text.parse::<f64>().ok().map(f64::to_bits), "{}", text);
            }
            prop_assert_eq!(parse_f64(&format!("{x}")).map(f64::to_bits), Some(bits));
        }
    }
}
