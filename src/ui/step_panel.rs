//! Step mode: the toggle, the granularity, previous/next phase (keys "," and "."),
//! the phase read-out, and the per-layer gradient-norm chart.

use super::engine::{Engine, Granularity};
use super::i18n::{use_lang, Lang};
use crate::train::Phase;
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
pub fn describe(p: Phase, layers: usize, lang: Lang) -> String {
    match (p, lang) {
        (Phase::Forward(l), Lang::En) if l + 1 == layers => format!("output layer {}: z = a·W + b, a = σ(z)", l + 1),
        (Phase::Forward(l), Lang::Zh) if l + 1 == layers => format!("输出层（第 {} 层）：z = a·W + b，a = σ(z)", l + 1),
        (Phase::Forward(l), Lang::En) => format!("layer {}: z = x·W + b, a = σ(z)", l + 1),
        (Phase::Forward(l), Lang::Zh) => format!("第 {} 层：z = x·W + b，a = σ(z)", l + 1),
        (Phase::Loss, Lang::En) => "per-sample losses, their mean, ∂ℓ/∂z at the output".into(),
        (Phase::Loss, Lang::Zh) => "每个样本的损失及其平均值，输出层的 ∂ℓ/∂z".into(),
        (Phase::Backward(l), Lang::En) => format!("layer {}: ∂L/∂W, ∂L/∂b and the error sent back", l + 1),
        (Phase::Backward(l), Lang::Zh) => format!("第 {} 层：∂L/∂W、∂L/∂b，并把误差向前一层传回", l + 1),
        (Phase::Update, Lang::En) => "the optimizer changed every parameter".into(),
        (Phase::Update, Lang::Zh) => "优化器更新了每个参数".into(),
    }
}

/// A phase's short name: the id (`forward-2`, `loss`, `backward-1`, `update`) in English.
pub fn phase_name(p: Phase, lang: Lang) -> String {
    match (p, lang) {
        (_, Lang::En) => p.id(),
        (Phase::Forward(l), Lang::Zh) => format!("前向传播·第 {} 层", l + 1),
        (Phase::Loss, Lang::Zh) => "损失".into(),
        (Phase::Backward(l), Lang::Zh) => format!("反向传播·第 {} 层", l + 1),
        (Phase::Update, Lang::Zh) => "参数更新".into(),
    }
}

/// The read-out: `"<id> — <what>"` or `"ready — next: <id>"`.
pub fn phase_text(current: Option<Phase>, next: Phase, layers: usize, lang: Lang) -> String {
    let (ready, nx) = (lang.pick("ready", "就绪"), lang.pick("next", "下一步"));
    match current {
        Some(p) if p == Phase::Update => format!("{} — {} · {nx}: {}", phase_name(p, lang), describe(p, layers, lang), phase_name(next, lang)),
        Some(p) => format!("{} — {}", phase_name(p, lang), describe(p, layers, lang)),
        None => format!("{ready} — {nx}: {}", phase_name(next, lang)),
    }
}

/// Props of [`StepBar`].
#[derive(Properties, PartialEq)]
pub struct StepBarProps {
    /// Step mode on.
    pub on: bool,
    /// Granularity.
    pub granularity: Granularity,
    /// The phase just completed (`None` between steps).
    pub phase: Option<Phase>,
    /// The phase "next" runs.
    pub next: Phase,
    /// Layers of the network.
    pub layers: usize,
    /// Whether "previous" can go back.
    pub can_prev: bool,
    /// Training has diverged (auto-play stops).
    #[prop_or_default]
    pub diverged: bool,
    /// Toggles step mode.
    pub on_toggle: Callback<bool>,
    /// Sets the granularity.
    pub on_granularity: Callback<Granularity>,
    /// Next phase.
    pub on_next: Callback<()>,
    /// Previous phase.
    pub on_prev: Callback<()>,
}

const GRANULARITIES: [Granularity; 3] = [Granularity::Sample, Granularity::Batch, Granularity::Epoch];

fn granularity_label(g: Granularity, lang: Lang) -> &'static str {
    match g {
        Granularity::Sample => lang.pick("one sample: phase by phase", "一个样本：逐阶段"),
        Granularity::Batch => lang.pick("one mini-batch: phase by phase", "一个小批量：逐阶段"),
        Granularity::Epoch => lang.pick("one epoch", "一个轮次"),
    }
}

/// Auto-play paces: phases per second.
const PACES: [f64; 5] = [0.5, 1.0, 2.0, 4.0, 8.0];

/// The step-mode bar.
#[component]
pub fn StepBar(props: &StepBarProps) -> Html {
    let lang = use_lang();
    let auto = use_state(|| false);
    let pace = use_state(|| 1usize);
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
    // Auto-play: "next" at the chosen pace while step mode is on and nothing diverged.
    {
        let running = *auto && props.on && !props.diverged;
        let next = props.on_next.clone();
        let ms = (1000.0 / PACES[(*pace).min(PACES.len() - 1)]) as u32;
        use_effect_with((running, ms, next), move |(running, ms, next)| {
            let next = next.clone();
            let timer = running.then(|| gloo::timers::callback::Interval::new(*ms, move || next.emit(())));
            move || drop(timer)
        });
    }
    let on_toggle = {
        let cb = props.on_toggle.clone();
        let on = props.on;
        let auto = auto.clone();
        Callback::from(move |_: Event| {
            if on {
                auto.set(false);
            }
            cb.emit(!on)
        })
    };
    let on_gran = {
        let cb = props.on_granularity.clone();
        Callback::from(move |ev: Event| {
            let el: HtmlSelectElement = ev.target_unchecked_into();
            if let Some(g) = usize::try_from(el.selected_index()).ok().and_then(|i| GRANULARITIES.get(i)) {
                cb.emit(*g);
            }
        })
    };
    let on_auto = {
        let auto = auto.clone();
        Callback::from(move |_: MouseEvent| auto.set(!*auto))
    };
    let on_pace = {
        let pace = pace.clone();
        Callback::from(move |ev: Event| {
            let el: HtmlSelectElement = ev.target_unchecked_into();
            pace.set(usize::try_from(el.selected_index()).unwrap_or(1).min(PACES.len() - 1));
        })
    };
    let epoch = props.granularity == Granularity::Epoch;
    let playing = *auto && props.on && !props.diverged;
    let text = phase_text(props.phase, props.next, props.layers, lang);
    let id = props.phase.map(|p| p.id()).unwrap_or_else(|| "ready".into());
    html! {
        <div class={classes!("step-bar", props.on.then_some("on"))}>
            <label class="step-toggle"><input type="checkbox" data-testid="step-mode" checked={props.on} onchange={on_toggle} />
                { " " }{ lang.pick("Step mode", "单步模式") }</label>
            <label class="field inline"><span class="field-label">{ lang.pick("next runs", "“下一步”执行") }</span>
                <select data-testid="granularity" onchange={on_gran} disabled={!props.on}>
                    { for GRANULARITIES.iter().map(|g| html! {
                        <option selected={*g == props.granularity}>{ granularity_label(*g, lang) }</option>
                    }) }
                </select>
            </label>
            <button type="button" class="btn btn-small" data-testid="prev-phase" disabled={!props.on || !props.can_prev}
                onclick={props.on_prev.reform(|_: MouseEvent| ())}
                title={lang.pick("Previous phase (,) — restores the exact earlier state", "上一阶段（,）— 精确恢复之前的状态").to_string()}>
                { lang.pick("◀ Previous", "◀ 上一步") }</button>
            <button type="button" class="btn btn-small btn-next" data-testid="next-phase" disabled={!props.on}
                onclick={props.on_next.reform(|_: MouseEvent| ())} title={lang.pick("Next phase (.)", "下一阶段（.）").to_string()}>
                { if epoch { lang.pick("Next epoch ▶", "下一轮次 ▶") } else { lang.pick("Next phase ▶", "下一阶段 ▶") } }</button>
            <button type="button" class={classes!("btn", "btn-small", playing.then_some("playing"))} data-testid="auto-play"
                disabled={!props.on || props.diverged} aria-pressed={playing.to_string()} onclick={on_auto}
                title={lang.pick("Play the phases one after another at the chosen pace", "按所选速度自动逐阶段播放").to_string()}>
                { if playing { lang.pick("❚❚ Stop auto", "❚❚ 停止自动") } else { lang.pick("▶▶ Auto", "▶▶ 自动") } }</button>
            <label class="field inline"><span class="field-label">{ lang.pick("pace", "速度") }</span>
                <select data-testid="auto-pace" onchange={on_pace} disabled={!props.on}>
                    { for PACES.iter().enumerate().map(|(k, p)| html! {
                        <option selected={k == *pace}>{ match lang { Lang::En => format!("{p} / s"), Lang::Zh => format!("每秒 {p} 步") } }</option>
                    }) }
                </select>
            </label>
            <span class={classes!("phase", (!props.on).then_some("muted"))} data-testid="phase" data-phase={id} aria-live="polite">
                { if props.on { text } else { lang.pick("off — turn on to walk through forward pass, loss, backprop and update", "未开启 — 打开后可逐步查看前向传播、损失、反向传播和参数更新").to_string() } }
            </span>
        </div>
    }
}

fn in_text_field(ev: &KeyboardEvent) -> bool {
    ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).is_some_and(|el| super::keyboard::is_text_field(&el))
}

/// Colours of the layers in the chart.
const LAYER_COLOURS: [&str; 9] = ["#1f4e8c", "#e07a1f", "#2a9d5b", "#a4161a", "#7b4fb3", "#0f8b8d", "#b5651d", "#5b6470", "#c2185b"];

/// Dash patterns of the layers in the chart (solid, dashed, dotted, dash-dot, …).
const LAYER_DASHES: [&[f64]; 6] = [&[], &[6.0, 3.0], &[2.0, 2.5], &[8.0, 3.0, 2.0, 3.0], &[12.0, 4.0], &[1.0, 4.0]];

/// Draws `‖∂L/∂θ_l‖` per layer over the recorded updates (log scale).
pub fn draw_grad_norms(canvas: &HtmlCanvasElement, e: &Engine, lang: Lang) {
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
        let _ = ctx.fill_text(lang.pick("gradient norms appear after the first update", "第一次更新后显示梯度范数"), left + 8.0, top + ph / 2.0);
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
    let _ = ctx.fill_text(&format!("{} {u0}", lang.pick("update", "更新")), left, h - 5.0);
    let label = format!("{u1}");
    let _ = ctx.fill_text(&label, left + pw - 7.0 * label.len() as f64, h - 5.0);
    let layers = data.back().map(|d| d.1.len()).unwrap_or(0);
    let _ = hi;
    for l in 0..layers {
        let col = LAYER_COLOURS[l % LAYER_COLOURS.len()];
        // Dash patterns as well as colours, so layers are told apart without colour.
        let dash = LAYER_DASHES[l % LAYER_DASHES.len()];
        let dash_js = js_sys::Array::new();
        for d in dash {
            dash_js.push(&(*d).into());
        }
        let _ = ctx.set_line_dash(&dash_js);
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
        // Legend: a short dashed sample and the name, wrapping to a new row when full.
        let name = if l + 1 == layers { lang.pick("output", "输出").to_string() } else { format!("{}{}", lang.pick("layer ", "第"), l + 1) + lang.pick("", "层") };
        let per_row = ((pw - 8.0) / 64.0).floor().max(1.0) as usize;
        let (lx, ly) = (left + 6.0 + (l % per_row) as f64 * 64.0, top + 9.0 + (l / per_row) as f64 * 13.0);
        ctx.begin_path();
        ctx.move_to(lx, ly);
        ctx.line_to(lx + 14.0, ly);
        ctx.stroke();
        let _ = ctx.set_line_dash(&js_sys::Array::new());
        ctx.set_fill_style_str("#1b1f24");
        let _ = ctx.fill_text(&name, lx + 17.0, ly + 4.0);
    }
}
