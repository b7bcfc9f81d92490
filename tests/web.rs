//! In-browser tests (wasm-bindgen-test in headless Chromium).
//!
//! Run with `./test.sh`, or alone:
//!
//! ```sh
//! CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=tests/browser/runner.sh \
//!   cargo test --target wasm32-unknown-unknown --test web
//! ```
//!
//! `tests/browser/runner.sh` points wasm-bindgen-test-runner at Debian's chromedriver and at
//! `tests/browser/webdriver.json` (Chromium binary and flags).
#![cfg(target_arch = "wasm32")]

use gradlab::nn::Rng;
use gradlab::train::decimal::parse_f64;
use gradlab::train::report::bench_experiments;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

wasm_bindgen_test_configure!(run_in_browser);

// ---------------------------------------------------------------------------------------------
// Engine in the browser
// ---------------------------------------------------------------------------------------------

/// Builds bench setup (a) — circle, x1 x2, 4-2 tanh, SGD, batch 10, seed 1 — and runs `steps`
/// updates. Returns (training loss before, training loss after, the per-step batch losses).
fn train_bench_a(steps: usize) -> (f64, f64, Vec<f64>) {
    let (_, exp) = bench_experiments().into_iter().next().expect("bench setup (a) exists");
    let mut t = exp.build().expect("bench setup (a) builds").trainer;
    let before = t.metrics().train_loss;
    let losses: Vec<f64> = (0..steps).map(|_| t.step()).collect();
    let after = t.metrics().train_loss;
    assert_eq!(t.updates(), steps as u64);
    assert!(t.divergence().is_none(), "diverged: {:?}", t.divergence());
    (before, after, losses)
}

#[wasm_bindgen_test]
fn training_reduces_the_loss() {
    let (before, after, losses) = train_bench_a(50);
    assert_eq!(losses.len(), 50);
    assert!(losses.iter().all(|l| l.is_finite()), "non-finite batch loss: {losses:?}");
    assert!(before.is_finite() && after.is_finite());
    assert!(after < before, "training loss did not fall in 50 steps: {before} -> {after}");
}

#[wasm_bindgen_test]
fn seeded_training_is_reproducible() {
    let (b1, a1, l1) = train_bench_a(50);
    let (b2, a2, l2) = train_bench_a(50);
    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&l1), bits(&l2), "same seed, different batch losses");
    assert_eq!(b1.to_bits(), b2.to_bits());
    assert_eq!(a1.to_bits(), a2.to_bits());
}

/// Known answers computed natively (x86_64): the integer stream and the uniform doubles must be
/// bit-identical in WebAssembly; they use only integer ops and exact conversions.
#[wasm_bindgen_test]
fn rng_matches_native_known_answers() {
    let mut r = Rng::new(42);
    let u: Vec<u64> = (0..4).map(|_| r.next_u64()).collect();
    assert_eq!(
        u,
        [0x15780b2e0c2ec716, 0x6104d9866d113a7e, 0xae17533239e499a1, 0xecb8ad4703b360a1]
    );

    let mut r = Rng::new(42);
    let f: Vec<u64> = (0..3).map(|_| r.next_f64().to_bits()).collect();
    assert_eq!(f, [0x3fb5780b2e0c2ec0, 0x3fd84136619b444e, 0x3fe5c2ea66473c93]);

    // Box–Muller goes through ln/cos (libm in wasm, the C library natively): allow a few ulps.
    let mut r = Rng::new(7);
    let native = [-0.2790239910251981, 1.8997685786889567, 2.136306014732201];
    for (i, want) in native.iter().enumerate() {
        let got = r.normal();
        assert!(
            (got - want).abs() <= 4.0 * f64::EPSILON * want.abs(),
            "normal #{i}: wasm {got:e} vs native {want:e}"
        );
    }
}

/// In the page, `parse_f64` converts with the browser's `parseFloat`; it must give the bits
/// Rust's own parser gives (compiled into this test only): shortest, exponent and fixed texts
/// of 20,000 random doubles, hard rounding cases, long digit strings and the range limits.
#[wasm_bindgen_test]
fn decimal_parse_matches_rust_bit_for_bit() {
    let same = |text: &str| {
        let want = text.parse::<f64>().ok().map(f64::to_bits);
        let got = parse_f64(text).map(f64::to_bits);
        assert_eq!(got, want, "parse_f64({text:?}) in the browser differs from Rust");
        assert!(got.is_some(), "{text:?} was rejected");
    };
    let hard = [
        "9007199254740993", "9007199254740995", "1e23", "8.98846567431158e307", "1.7976931348623157e308",
        "1.7976931348623158e308", "1.7976931348623159e308", "2.2250738585072011e-308", "2.2250738585072014e-308",
        "4.9406564584124654e-324", "2.4703282292062327e-324", "2.4703282292062328e-324", "1e-400", "1e400",
        "0.1000000000000000055511151231257827021181583404541015625", "0.30000000000000004", "-0.0", "+.5", "5.",
        "123456789012345678901234567890e-20", "7.038531e-26", "0.000000000000000000000000000000000000001e38",
        "2.00000000000000011102230246251565404236316680908203125",
        "2.00000000000000011102230246251565404236316680908203124",
    ];
    for text in hard {
        same(text);
    }
    let mut r = Rng::new(2024);
    for i in 0..20_000 {
        // Every fifth double is drawn near 1 so the fixed-point text keeps its digits.
        let x = if i % 5 == 0 { r.uniform(-3.0, 3.0) } else { f64::from_bits(r.next_u64()) };
        if !x.is_finite() {
            continue;
        }
        same(&format!("{x}"));
        same(&format!("{x:e}"));
        same(&format!("{x:.6}"));
        assert_eq!(parse_f64(&format!("{x}")).map(f64::to_bits), Some(x.to_bits()), "{x} does not round-trip");
    }
    for bad in ["", "inf", "NaN", " 1", "1e", "0x10", "1,5"] {
        assert_eq!(parse_f64(bad), None, "{bad:?} was accepted");
    }
}

/// In the page, `sin` and `cos` are a port of libm's fdlibm code without its huge-argument
/// reduction (`gradlab::nn::trig`). Up to |x| < 2²⁰·π/2 they must give the bits Rust's wasm
/// libm gives (compiled into this test only); beyond, the browser's `Math.sin` / `Math.cos`
/// answer, within 10⁻¹⁵. Checked on small, large and huge arguments, neighbours of multiples
/// of π/2 (hard for argument reduction) and 40,000 random doubles, most in the generators' range.
#[wasm_bindgen_test]
fn trig_matches_libm_bit_for_bit() {
    use gradlab::nn::trig::{cos, sin};
    let same = |x: f64| {
        for (name, got, want) in [("sin", sin(x), x.sin()), ("cos", cos(x), x.cos())] {
            if x.abs() < 1.6e6 {
                assert_eq!(got.to_bits(), want.to_bits(), "{name}({x:e}) in the browser is {got:e}, libm says {want:e}");
            } else {
                assert!((got - want).abs() <= 1e-15, "{name}({x:e}) in the browser is {got:e}, libm says {want:e}");
            }
        }
    };
    for k in (-64..=64).filter(|&k| k != 0) {
        // x and its two neighbours (away from and toward zero).
        let x = k as f64 * std::f64::consts::FRAC_PI_2;
        same(x);
        same(f64::from_bits(x.to_bits() + 1));
        same(f64::from_bits(x.to_bits() - 1));
    }
    for x in [0.0, -0.0, 1e-300, 5e-324, 1e-8, 2e-8, 0.5, 0.78, 0.79, 1.0, 2.0, 3.0, 4.0, 5.0, 7.0, 1e5, 1.6e6, 1e9, 1e15, 1e22, 1e300, f64::MAX] {
        same(x);
        same(-x);
    }
    let mut r = Rng::new(99);
    for i in 0..40_000 {
        let x = match i % 4 {
            0 => f64::from_bits(r.next_u64()),
            1 => r.uniform(-1.6e6, 1.6e6),
            _ => r.uniform(-40.0, 40.0),
        };
        if x.is_finite() {
            same(x);
        }
    }
    assert!(sin(f64::NAN).is_nan() && cos(f64::INFINITY).is_nan());
}

/// The inspector's formula templates give the markup of the builders they stand for.
#[wasm_bindgen_test]
fn formula_templates_build_the_same_mathml() {
    use gradlab::ui::mathml::{f, frac, i, n, o, row, sqrt, sub, sup};
    assert_eq!(
        f("m ← β_1 m + # · g^2", &[0.9], &[]),
        [i("m"), o("←"), sub("β", "1"), i("m"), o("+"), n(0.9), o("·"), sup(i("g"), i("2"))].concat()
    );
    assert_eq!(
        f("@ − { γ g } / { √# + ε } = #^2", &[4.0, -0.5], &["<mi>w</mi>"]),
        [
            "<mi>w</mi>".to_string(),
            o("−"),
            frac(row(vec![i("γ"), i("g")]), row(vec![sqrt(n(4.0)), o("+"), i("ε")])),
            o("="),
            sup(n(-0.5), i("2")),
        ]
        .concat()
    );
    assert_eq!(f("{ 1 − β_2^t }", &[], &[]), row(vec![i("1"), o("−"), sup(sub("β", "2"), i("t"))]));
    // Missing numbers and parts do not panic.
    assert_eq!(f("# @ }", &[], &[]), [n(f64::NAN), i("}")].concat());
}

// ---------------------------------------------------------------------------------------------
// The runner really runs in a browser with a DOM and a 2D canvas
// ---------------------------------------------------------------------------------------------

#[wasm_bindgen_test]
fn runs_in_chromium() {
    let ua = web_sys::window().expect("a window").navigator().user_agent().expect("user agent");
    assert!(ua.contains("Chrome"), "not Chromium? user agent: {ua}");
}

#[wasm_bindgen_test]
fn canvas_draws_and_reads_back_pixels() {
    let document = web_sys::window().and_then(|w| w.document()).expect("a document");
    let canvas: HtmlCanvasElement = document
        .create_element("canvas")
        .expect("create <canvas>")
        .dyn_into()
        .expect("it is an HtmlCanvasElement");
    canvas.set_width(16);
    canvas.set_height(8);
    let body = document.body().expect("a <body>");
    body.append_child(&canvas).expect("append canvas");

    let ctx: CanvasRenderingContext2d = canvas
        .get_context("2d")
        .expect("getContext")
        .expect("a 2d context")
        .dyn_into()
        .expect("it is a CanvasRenderingContext2d");
    ctx.set_fill_style_str("rgb(255, 0, 0)");
    ctx.fill_rect(0.0, 0.0, 8.0, 8.0);
    ctx.set_fill_style_str("rgb(0, 0, 255)");
    ctx.fill_rect(8.0, 4.0, 8.0, 4.0);

    let data = ctx.get_image_data(0.0, 0.0, 16.0, 8.0).expect("getImageData").data().0;
    assert_eq!(data.len(), 16 * 8 * 4);
    let px = |x: usize, y: usize| {
        let i = (y * 16 + x) * 4;
        [data[i], data[i + 1], data[i + 2], data[i + 3]]
    };
    assert_eq!(px(0, 0), [255, 0, 0, 255], "left half is red");
    assert_eq!(px(7, 7), [255, 0, 0, 255], "left half is red");
    assert_eq!(px(12, 6), [0, 0, 255, 255], "lower right is blue");
    assert_eq!(px(12, 1), [0, 0, 0, 0], "upper right is untouched");

    canvas.remove();
    assert!(!canvas.is_connected(), "the canvas was removed again");
}
