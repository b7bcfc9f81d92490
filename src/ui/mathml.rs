//! Tiny MathML builders (no library): formulas are written as MathML text, inserted as
//! raw nodes, and laid out by the browser.

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

/// A piece of MathML markup. Formulas are built as text and inserted as one raw node per
/// formula: far less code than a virtual-DOM node per `<mi>` (the inspector writes
/// hundreds), and the browser lays the MathML out the same way.
pub type M = String;

/// Text with `&`, `<` and `>` escaped.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn tag(name: &str, inner: &str) -> M {
    format!("<{name}>{inner}</{name}>")
}

/// `<mn>`, parenthesised when negative (so `w · (−0.5)` reads right).
pub fn n(v: f64) -> M {
    if v < 0.0 {
        format!("<mrow><mo>(</mo><mn>{}</mn><mo>)</mo></mrow>", num(v))
    } else {
        tag("mn", &num(v))
    }
}

/// `<mn>` of a count.
pub fn mn(v: u64) -> M {
    tag("mn", &v.to_string())
}

/// `<mi>`.
pub fn i(s: &str) -> M {
    tag("mi", &esc(s))
}

/// `<mo>`.
pub fn o(s: &str) -> M {
    tag("mo", &esc(s))
}

/// `<mtext>`.
pub fn t(s: &str) -> M {
    tag("mtext", &esc(s))
}

/// `base` with a subscript.
pub fn sub(base: &str, s: &str) -> M {
    format!("<msub>{}{}</msub>", i(base), tag("mn", &esc(s)))
}

/// `base` with a superscript.
pub fn sup(base: M, s: M) -> M {
    format!("<msup>{base}{s}</msup>")
}

/// `∂a/∂b` as a fraction.
pub fn d(a: &str, b: M) -> M {
    format!("<mfrac><mrow><mi>∂</mi>{}</mrow><mrow><mi>∂</mi>{b}</mrow></mfrac>", i(a))
}

/// A fraction.
pub fn frac(a: M, b: M) -> M {
    format!("<mfrac>{a}{b}</mfrac>")
}

/// A square root.
pub fn sqrt(a: M) -> M {
    tag("msqrt", &a)
}

/// The operators a template writes as `<mo>`.
const OPERATORS: &str = "←+−·=(),[]∑";

/// A formula written as a template: space-separated tokens, where `#` is the next number of
/// `nums` (as [`n`]), `@` the next piece of `parts`, an operator character is `<mo>`, `a_s`
/// is `a` with the subscript `s` ([`sub`]), `a^s` is `a` (any token) with the superscript `s`
/// ([`sup`]), `√a` the square root of `a`, `{ … }` a group, `{ … } / { … }` a fraction, and
/// anything else `<mi>`. `"m ← β_1 m + { # } / { √v + ε }"` is `m ← β₁m + 0.9/(√v + ε)`.
/// One call and one string per formula instead of a call per symbol: the inspector writes
/// dozens of formulas, and this keeps them small in the bundle.
pub fn f(template: &str, nums: &[f64], parts: &[&str]) -> M {
    let (mut nums, mut parts) = (nums.iter(), parts.iter());
    // Open groups, innermost last: their items, and whether a fraction bar waits for its
    // denominator.
    let mut stack: Vec<(Vec<M>, bool)> = vec![(Vec::new(), false)];
    for token in template.split(' ').filter(|t| !t.is_empty()) {
        let item = match token {
            "{" => {
                stack.push((Vec::new(), false));
                continue;
            }
            "/" => {
                if let Some(top) = stack.last_mut() {
                    top.1 = true;
                }
                continue;
            }
            "}" if stack.len() > 1 => row(stack.pop().map(|g| g.0).unwrap_or_default()),
            _ => piece(token, &mut nums, &mut parts),
        };
        if let Some((items, bar)) = stack.last_mut() {
            match (*bar, items.pop()) {
                (true, Some(numerator)) => items.push(frac(numerator, item)),
                (_, last) => {
                    items.extend(last);
                    items.push(item);
                }
            }
            *bar = false;
        }
    }
    stack.into_iter().flat_map(|g| g.0).collect()
}

fn piece(token: &str, nums: &mut std::slice::Iter<f64>, parts: &mut std::slice::Iter<&str>) -> M {
    if let Some((base, s)) = token.rsplit_once('^').filter(|(b, _)| !b.is_empty()) {
        return sup(piece(base, nums, parts), i(s));
    }
    if let Some(rest) = token.strip_prefix('√').filter(|r| !r.is_empty()) {
        return sqrt(piece(rest, nums, parts));
    }
    match token {
        "#" => n(nums.next().copied().unwrap_or(f64::NAN)),
        "@" => parts.next().map_or_else(String::new, |p| p.to_string()),
        _ if token.chars().count() == 1 && OPERATORS.contains(token) => o(token),
        _ => match token.split_once('_').filter(|(b, s)| !b.is_empty() && !s.is_empty()) {
            Some((base, s)) => sub(base, s),
            None => i(token),
        },
    }
}

/// A row.
pub fn row(items: Vec<M>) -> M {
    tag("mrow", &items.concat())
}

/// A row with a class (the inspector highlights the focused weight's term).
pub fn row_class(class: &str, items: Vec<M>) -> M {
    format!("<mrow class=\"{class}\">{}</mrow>", items.concat())
}

/// MathML text as one node.
fn raw(markup: String) -> Html {
    Html::from_html_unchecked(AttrValue::from(markup))
}

/// A formula on its own line (left-aligned).
pub fn math(items: Vec<M>) -> Html {
    raw(format!("<div class=\"eq\"><math><mrow>{}</mrow></math></div>", items.concat()))
}

/// A derivation over several lines: the symbolic form, then each further line starting
/// with `=` (substituted numbers, result). Narrow screens get short lines instead of one
/// formula scrolling sideways.
pub fn derivation(lines: Vec<Vec<M>>) -> Html {
    let mut out = String::from("<div class=\"eq eq-lines\">");
    for (k, items) in lines.into_iter().enumerate() {
        let (class, eq) = if k > 0 { ("eq-line cont", "<mo>=</mo>") } else { ("eq-line", "") };
        out.push_str(&format!("<div class=\"{class}\"><math><mrow>{eq}{}</mrow></math></div>", items.concat()));
    }
    out.push_str("</div>");
    raw(out)
}
