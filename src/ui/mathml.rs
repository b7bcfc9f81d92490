//! Tiny MathML builders (no library): Yew creates `<math>` and its children in the
//! MathML namespace, and the browser lays them out.

use yew::prelude::*;

/// A number as the inspector prints it: four decimals, or scientific for very large or small.
pub fn num(v: f64) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v == 0.0 {
        "0".into()
    } else if v.abs() >= 1e4 || v.abs() < 1e-3 {
        format!("{v:.3e}").replace('-', "−")
    } else {
        format!("{v:.4}").replace('-', "−")
    }
}

/// `<mn>`, parenthesised when negative (so `w · (−0.5)` reads right).
pub fn n(v: f64) -> Html {
    if v < 0.0 {
        html! { <mrow><mo>{ "(" }</mo><mn>{ num(v) }</mn><mo>{ ")" }</mo></mrow> }
    } else {
        html! { <mn>{ num(v) }</mn> }
    }
}

/// `<mi>`.
pub fn i(s: &str) -> Html {
    html! { <mi>{ s.to_string() }</mi> }
}

/// `<mo>`.
pub fn o(s: &str) -> Html {
    html! { <mo>{ s.to_string() }</mo> }
}

/// `<mtext>`.
pub fn t(s: &str) -> Html {
    html! { <mtext>{ s.to_string() }</mtext> }
}

/// `base` with a subscript.
pub fn sub(base: &str, s: &str) -> Html {
    html! { <msub><mi>{ base.to_string() }</mi><mn>{ s.to_string() }</mn></msub> }
}

/// `base` with a superscript.
pub fn sup(base: Html, s: Html) -> Html {
    html! { <msup>{ base }{ s }</msup> }
}

/// `∂a/∂b` as a fraction.
pub fn d(a: &str, b: Html) -> Html {
    html! { <mfrac><mrow><mi>{ "∂" }</mi><mi>{ a.to_string() }</mi></mrow><mrow><mi>{ "∂" }</mi>{ b }</mrow></mfrac> }
}

/// A fraction.
pub fn frac(a: Html, b: Html) -> Html {
    html! { <mfrac>{ a }{ b }</mfrac> }
}

/// A square root.
pub fn sqrt(a: Html) -> Html {
    html! { <msqrt>{ a }</msqrt> }
}

/// A row.
pub fn row(items: Vec<Html>) -> Html {
    html! { <mrow>{ for items }</mrow> }
}

/// A formula on its own line (left-aligned).
pub fn math(items: Vec<Html>) -> Html {
    html! { <div class="eq"><math><mrow>{ for items }</mrow></math></div> }
}

/// A derivation over several lines: the symbolic form, then each further line starting
/// with `=` (substituted numbers, result). Narrow screens get short lines instead of one
/// formula scrolling sideways.
pub fn derivation(lines: Vec<Vec<Html>>) -> Html {
    html! {
        <div class="eq eq-lines">
            { for lines.into_iter().enumerate().map(|(k, items)| html! {
                <div class={classes!("eq-line", (k > 0).then_some("cont"))}>
                    <math><mrow>
                        if k > 0 { <mo>{ "=" }</mo> }
                        { for items }
                    </mrow></math>
                </div>
            }) }
        </div>
    }
}
