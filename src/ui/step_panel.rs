//! Step mode: the toggle, the granularity, previous/next phase (keys "," and "."),
//! the phase read-out, and the per-layer gradient-norm chart.

use super::engine::{Engine, Granularity};
use crate::train::{Phase, Trainer};
use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use web_sys::{HtmlCanvasElement, HtmlSelectElement, KeyboardEvent};
use yew::prelude::*;

/// The phase the trainer has just completed: `last_phase()`, or `Update` right after a
/// traced update (the step counter is back at 0 then), or `None` between steps.
pub fn current_phase(e: &Engine) -> Option<Phase> {
    let t = &e.trainer;
    t.last_phase().or_else(|| (t.phases_done() == 0 && t.trace().update.is_some() && e.traced_update == Some(t.updates())).then_some(Phase::Update))
}

/// What a phase does, in words.
pub fn describe(p: Phase, layers: usize) -> String {
    match p {
        Phase::Forward(l) if l + 1 == layers => format!("output layer {}: z = a·W + b, a = σ(z)", l + 1),
        Phase::Forward(l) => format!("layer {}: z = x·W + b, a = σ(z)", l + 1),
        Phase::Loss => "per-sample losses, their mean, ∂ℓ/∂z at the output".into(),
        Phase::Backward(l) => format!("layer {}: ∂L/∂W, ∂L/∂b and the error sent back", l + 1),
        Phase::Update => "the optimizer changed every parameter".into(),
    }
}

/// The read-out: `"<id> — <what>"` or `"ready — next: <id>"`.
pub fn phase_text(e: &Engine) -> String {
    let t: &Trainer = &e.trainer;
    let layers = t.net().layers.len();
    match current_phase(e) {
        Some(p) if p == Phase::Update => format!("update — {} · next: {}", describe(p, layers), t.next_phase_kind().id()),
        Some(p) => format!("{} — {}", p.id(), describe(p, layers)),
        None => format!("ready — next: {}", t.next_phase_kind().id()),
    }
}

/// Props of [`StepBar`].
#[derive(Properties, PartialEq)]
pub struct StepBarProps {
    /// Step mode on.
    pub on: bool,
    /// Granularity.
    pub granularity: Granularity,
    /// Phase read-out.
    pub phase: String,
    /// Whether "previous" can go back.
    pub can_prev: bool,
    /// Toggles step mode.
    pub on_toggle: Callback<bool>,
    /// Sets the granularity.
    pub on_granularity: Callback<Granularity>,
    /// Next phase.
    pub on_next: Callback<()>,
    /// Previous phase.
    pub on_prev: Callback<()>,
}

const GRANULARITIES: [(Granularity, &str); 3] =
    [(Granularity::Sample, "one sample"), (Granularity::Batch, "one mini-batch"), (Granularity::Epoch, "one epoch")];

/// The step-mode bar.
#[component]
pub fn StepBar(props: &StepBarProps) -> Html {
    // "." and "," anywhere but in a text field.
    {
        let (on, next, prev) = (props.on, props.on_next.clone(), props.on_prev.clone());
        use_effect_with((on, next, prev), move |(on, next, prev)| {
            let listener = on.then(|| {
                let (next, prev) = (next.clone(), prev.clone());
                EventListener::new_with_options(&gloo::utils::document(), "keydown", EventListenerOptions::enable_prevent_default(), move |ev| {
                    let Some(ev) = ev.dyn_ref::<KeyboardEvent>() else { return };
                    if ev.ctrl_key() || ev.meta_key() || ev.alt_key() || in_text_field(ev) {
                        return;
                    }
                    match ev.key().as_str() {
                        "." => {
                            ev.prevent_default();
                            next.emit(());
                        }
                        "," => {
                            ev.prevent_default();
                            prev.emit(());
                        }
                        _ => {}
                    }
                })
            });
            move || drop(listener)
        });
    }
    let on_toggle = {
        let cb = props.on_toggle.clone();
        let on = props.on;
        Callback::from(move |_: Event| cb.emit(!on))
    };
    let on_gran = {
        let cb = props.on_granularity.clone();
        Callback::from(move |ev: Event| {
            let el: HtmlSelectElement = ev.target_unchecked_into();
            if let Some((g, _)) = usize::try_from(el.selected_index()).ok().and_then(|i| GRANULARITIES.get(i)) {
                cb.emit(*g);
            }
        })
    };
    let epoch = props.granularity == Granularity::Epoch;
    html! {
        <div class={classes!("step-bar", props.on.then_some("on"))}>
            <label class="step-toggle"><input type="checkbox" data-testid="step-mode" checked={props.on} onchange={on_toggle} />
                { " Step mode" }</label>
            <label class="field inline"><span class="field-label">{ "next runs" }</span>
                <select data-testid="granularity" onchange={on_gran} disabled={!props.on}>
                    { for GRANULARITIES.iter().map(|(g, label)| html! {
                        <option selected={*g == props.granularity}>{ if *g == Granularity::Epoch { label.to_string() } else { format!("{label}: phase by phase") } }</option>
                    }) }
                </select>
            </label>
            <button type="button" class="btn btn-small" data-testid="prev-phase" disabled={!props.on || !props.can_prev}
                onclick={props.on_prev.reform(|_: MouseEvent| ())} title="Previous phase (,) — restores the exact earlier state">{ "◀ Previous" }</button>
            <button type="button" class="btn btn-small btn-next" data-testid="next-phase" disabled={!props.on}
                onclick={props.on_next.reform(|_: MouseEvent| ())} title="Next phase (.)">{ if epoch { "Next epoch ▶" } else { "Next phase ▶" } }</button>
            <span class={classes!("phase", (!props.on).then_some("muted"))} data-testid="phase" aria-live="polite">
                { if props.on { props.phase.clone() } else { "off — turn on to walk through forward pass, loss, backprop and update".to_string() } }
            </span>
        </div>
    }
}

fn in_text_field(ev: &KeyboardEvent) -> bool {
    let Some(el) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else {
        return false;
    };
    let tag = el.tag_name().to_ascii_lowercase();
    let typ = el.get_attribute("type").unwrap_or_default().to_ascii_lowercase();
    tag == "textarea"
        || tag == "select"
        || (tag == "input" && !matches!(typ.as_str(), "checkbox" | "radio" | "button" | "range" | "submit"))
        || el.get_attribute("contenteditable").is_some_and(|v| v != "false")
}

/// Colours of the layers in the chart.
const LAYER_COLOURS: [&str; 9] = ["#1f4e8c", "#e07a1f", "#2a9d5b", "#a4161a", "#7b4fb3", "#0f8b8d", "#b5651d", "#5b6470", "#c2185b"];

/// Draws `‖∂L/∂θ_l‖` per layer over the recorded updates (log scale).
pub fn draw_grad_norms(canvas: &HtmlCanvasElement, e: &Engine) {
    let w = canvas.client_width().max(200) as f64;
    let h = canvas.client_height().max(120) as f64;
    let Some(ctx) = super::canvas::prepare_sized(canvas, w, h) else {
        return;
    };
    ctx.clear_rect(0.0, 0.0, w, h);
    let (left, right, top, bottom) = (44.0, 8.0, 8.0, 20.0);
    let (pw, ph) = (w - left - right, h - top - bottom);
    ctx.set_stroke_style_str("#d9dee4");
    ctx.set_line_width(1.0);
    ctx.stroke_rect(left, top, pw, ph);
    ctx.set_font("11px system-ui, sans-serif");
    ctx.set_fill_style_str("#5b6470");
    let data = &e.grad_norms;
    let vals = data.iter().flat_map(|(_, v)| v.iter().copied()).filter(|v| v.is_finite() && *v > 0.0);
    let (mut lo, mut hi) = vals.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
    if !lo.is_finite() {
        let _ = ctx.fill_text("gradient norms appear after the first update", left + 8.0, top + ph / 2.0);
        return;
    }
    let (mut llo, mut lhi) = (lo.log10().floor(), hi.log10().ceil());
    if lhi - llo < 1.0 {
        lhi = llo + 1.0;
    }
    if lhi - llo > 12.0 {
        llo = lhi - 12.0;
    }
    lo = 10f64.powf(llo);
    hi = 10f64.powf(lhi);
    let y_of = |v: f64| top + ph * (1.0 - (v.max(lo).log10() - llo) / (lhi - llo));
    for k in (llo as i32)..=(lhi as i32) {
        let y = y_of(10f64.powi(k));
        ctx.set_stroke_style_str("#eef1f4");
        ctx.begin_path();
        ctx.move_to(left, y);
        ctx.line_to(left + pw, y);
        ctx.stroke();
        let _ = ctx.fill_text(&format!("1e{k}"), 4.0, y + 4.0);
    }
    let (u0, u1) = (data.front().map(|d| d.0).unwrap_or(0), data.back().map(|d| d.0).unwrap_or(1));
    let span = (u1.saturating_sub(u0)).max(1) as f64;
    let x_of = |u: u64| left + pw * (u.saturating_sub(u0)) as f64 / span;
    let _ = ctx.fill_text(&format!("update {u0}"), left, h - 5.0);
    let label = format!("{u1}");
    let _ = ctx.fill_text(&label, left + pw - 7.0 * label.len() as f64, h - 5.0);
    let layers = data.back().map(|d| d.1.len()).unwrap_or(0);
    let _ = hi;
    for l in 0..layers {
        let col = LAYER_COLOURS[l % LAYER_COLOURS.len()];
        ctx.set_stroke_style_str(col);
        ctx.set_fill_style_str(col);
        ctx.set_line_width(1.8);
        ctx.begin_path();
        let mut started = false;
        for (u, v) in data.iter().filter_map(|(u, v)| v.get(l).map(|x| (*u, *x))) {
            if !(v.is_finite() && v > 0.0) {
                started = false;
                continue;
            }
            let (x, y) = (x_of(u), y_of(v));
            if started {
                ctx.line_to(x, y);
            } else {
                ctx.move_to(x, y);
                started = true;
            }
        }
        ctx.stroke();
        if data.len() == 1 {
            if let Some(v) = data[0].1.get(l) {
                ctx.begin_path();
                let _ = ctx.arc(left + pw / 2.0, y_of(*v), 3.0, 0.0, std::f64::consts::TAU);
                ctx.fill();
            }
        }
        // Legend.
        let lx = left + 8.0 + l as f64 * 62.0;
        ctx.fill_rect(lx, top + 6.0, 10.0, 3.0);
        ctx.set_fill_style_str("#1b1f24");
        let name = if l + 1 == layers { "output".to_string() } else { format!("layer {}", l + 1) };
        let _ = ctx.fill_text(&name, lx + 13.0, top + 11.0);
    }
}
