//! The learning-rate schedule: `α_t` over updates for the configured schedule, with the
//! current update marked.

use super::engine::EngineHandle;
use super::i18n::use_lang;
use crate::nn::Schedule;
use crate::train::lr_curve::{lr_series, HORIZONS};
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use web_sys::{HtmlCanvasElement, HtmlSelectElement};
use yew::prelude::*;

fn draw(canvas: &HtmlCanvasElement, schedule: &Schedule, base: f64, horizon: u64, now: u64) {
    let ratio = super::canvas::fit_backing_store(canvas);
    let Some(ctx) = super::canvas::context_2d(canvas) else {
        return;
    };
    let _ = ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
    let Some(backend) = CanvasBackend::with_canvas_object(canvas.clone()) else {
        return;
    };
    let root = backend.into_drawing_area();
    let _ = root.fill(&WHITE);
    let pts = lr_series(schedule, base, horizon, 200);
    let hi = pts.iter().map(|p| p.1).filter(|v| v.is_finite()).fold(0.0, f64::max).max(1e-12) * 1.1;
    let px = |v: f64| (v * ratio).round() as u32;
    let font = (FontFamily::SansSerif, 12.0 * ratio).into_font().color(&RGBColor(0x33, 0x33, 0x33));
    let Ok(mut chart) = ChartBuilder::on(&root)
        .margin(px(6.0)).margin_right(px(16.0))
        .x_label_area_size(px(20.0))
        .y_label_area_size(px(52.0))
        .build_cartesian_2d(0.0..horizon as f64, 0.0..hi)
    else {
        return;
    };
    let _ = chart
        .configure_mesh()
        .x_labels(3)
        .y_labels(3)
        .disable_x_mesh()
        .light_line_style(RGBColor(0xee, 0xee, 0xee))
        .bold_line_style(RGBColor(0xdd, 0xdd, 0xdd))
        .axis_style(RGBColor(0x88, 0x88, 0x88))
        .label_style(font)
        .x_label_formatter(&|v| if *v >= 1e4 { format!("{v:.0e}") } else { format!("{v:.0}") })
        .y_label_formatter(&|v| if *v != 0.0 && v.abs() < 1e-2 { format!("{v:.1e}") } else { format!("{v:.3}") })
        .draw();
    let _ = root.present();
    // The line and the current-update marker straight on the canvas; plotters maps coordinates.
    let at = |x: f64, y: f64| {
        let (a, b) = chart.backend_coord(&(x, y));
        (a as f64, b as f64)
    };
    ctx.begin_path();
    for (k, &(x, y)) in pts.iter().enumerate() {
        let (a, b) = at(x, y);
        if k == 0 {
            ctx.move_to(a, b);
        } else {
            ctx.line_to(a, b);
        }
    }
    ctx.set_stroke_style_str("#1f4e8c");
    ctx.set_line_width(2.0 * ratio);
    ctx.stroke();
    if now <= horizon {
        let x = now as f64;
        let (a, top) = at(x, hi);
        let (_, bottom) = at(x, 0.0);
        ctx.begin_path();
        ctx.move_to(a, top);
        ctx.line_to(a, bottom);
        ctx.set_stroke_style_str("#c05a00");
        ctx.set_line_width(1.5 * ratio);
        ctx.stroke();
        let (_, y) = at(x, schedule.lr(base, now));
        ctx.begin_path();
        let _ = ctx.arc(a, y, 4.0 * ratio, 0.0, std::f64::consts::TAU);
        ctx.set_fill_style_str("#c05a00");
        ctx.fill();
    }
}

/// Props of [`LrChart`].
#[derive(Properties, PartialEq)]
pub struct LrChartProps {
    /// The engine (its schedule and base rate).
    pub engine: EngineHandle,
    /// The engine's summary version (redraw when it changes).
    pub version: u64,
}

/// The learning-rate schedule chart.
#[component]
pub fn LrChart(props: &LrChartProps) -> Html {
    let lang = use_lang();
    let canvas = use_node_ref();
    let horizon = use_state(|| HORIZONS[0]);
    let (schedule, base, updates) = {
        let e = props.engine.0.borrow();
        (e.trainer.config().schedule, e.trainer.config().optimizer.lr(), e.trainer.updates())
    };
    // The horizon follows training: at least the chosen one, and past the current update.
    let shown = HORIZONS.iter().copied().find(|h| *h >= *horizon && *h >= updates).unwrap_or(updates.max(*horizon));
    {
        let canvas = canvas.clone();
        // Redrawn when the marker moves by about a pixel, not on every update.
        let tick = updates * 400 / shown.max(1);
        let pending = use_mut_ref(|| None::<super::canvas::Deferred>);
        use_effect_with((schedule_key(&schedule), base.to_bits(), shown, tick), move |_| {
            // Three frames later: away from the panel refresh and the other canvases.
            let draw_later = move || {
                if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                    draw(&c, &schedule, base, shown, updates);
                }
            };
            *pending.borrow_mut() = Some(super::canvas::after_frames(3, Box::new(draw_later)));
        });
    }
    let on_horizon = {
        let horizon = horizon.clone();
        Callback::from(move |ev: Event| {
            if let Ok(h) = ev.target_unchecked_into::<HtmlSelectElement>().value().parse::<u64>() {
                horizon.set(h);
            }
        })
    };
    let formula = match schedule {
        Schedule::Constant => "α_t = α".to_string(),
        Schedule::InverseTime { decay } => format!("α_t = α / (1 + {decay}·t)"),
        Schedule::Step { step_size, gamma } => format!("α_t = α · {gamma}^⌊t/{step_size}⌋"),
        Schedule::Exponential { gamma } => format!("α_t = α · {gamma}^t"),
    };
    let now_lr = schedule.lr(base, updates);
    html! {
        <div class="lab-card lr-card">
            <h3 class="chart-title">{ lang.pick("Learning-rate schedule", "学习率调度") }</h3>
            <p class="small"><code data-testid="lr-formula">{ formula }</code>
                { format!("; α = {base}; {} t = {updates}: α_t = {now_lr:.4e}", lang.pick("now", "当前")) }</p>
            <canvas ref={canvas.clone()} class="lr-canvas" data-testid="lr-schedule-chart" role="img"
                aria-label={format!("{} {now_lr:.4e}", lang.pick("Learning rate over updates; the current rate is", "学习率随更新次数的变化；当前学习率为"))} />
            <super::png::SavePng canvas={canvas.clone()} file_name="gradlab-learning-rate.png" testid="png-lr" what={("learning-rate chart".into(), "学习率图".into())} />
            <label class="field inline small">
                <span class="field-label">{ lang.pick("Show the first", "显示前") }</span>
                <select onchange={on_horizon} data-testid="lr-horizon">
                    { for HORIZONS.iter().map(|h| html! { <option value={h.to_string()} selected={*h == *horizon}>{ h.to_string() }</option> }) }
                </select>
                <span class="field-label">{ lang.pick("updates", "次更新") }</span>
            </label>
            <p class="small muted">{ lang.pick(
                "Keras's decay=1e-6 (the course's example) halves the rate only after a million updates: over a few thousand the line is flat.",
                "Keras 的 decay=1e-6（课程示例）要到一百万次更新后学习率才减半：在几千次更新内几乎是一条水平线。") }</p>
        </div>
    }
}

fn schedule_key(s: &Schedule) -> (u8, u64, u64) {
    match *s {
        Schedule::Constant => (0, 0, 0),
        Schedule::InverseTime { decay } => (1, decay.to_bits(), 0),
        Schedule::Step { step_size, gamma } => (2, step_size, gamma.to_bits()),
        Schedule::Exponential { gamma } => (3, gamma.to_bits(), 0),
    }
}
