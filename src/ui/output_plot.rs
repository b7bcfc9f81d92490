//! The output plot: the network's output over the plane (RGBA buffer + `put_image_data`)
//! with the data points on top. Train points are circles, validation diamonds, test
//! triangles, hand-added points have a ring — shape, not only colour, tells them apart.
//! Click adds a point of the selected class, shift-click the other class; right-click
//! or a long press removes the nearest point.

use super::canvas::{blit_rgba, dpr, prepare, prepare_sized, scratch_canvas};
use super::engine::{Engine, EngineHandle, DOMAIN};
use crate::train::playground::Source;
use gloo::timers::callback::Timeout;
use std::cell::RefCell;
use std::f64::consts::PI;
use std::rc::Rc;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};
use yew::prelude::*;

thread_local! {
    static SCRATCH: HtmlCanvasElement = scratch_canvas();
    static RGBA: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    /// The data points (and axis ticks), drawn once per change of the data and reused
    /// on every redraw of the map: one image copy instead of hundreds of paths per frame.
    static POINTS: HtmlCanvasElement = scratch_canvas();
    static POINTS_KEY: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// A fingerprint of everything the points layer shows (FNV-1a over sizes, options,
/// coordinates, labels and origins).
fn points_key(e: &Engine, side: f64) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |v: u64| {
        h ^= v;
        h = h.wrapping_mul(0x0100_0000_01b3);
    };
    eat(side.to_bits());
    eat(dpr().to_bits());
    eat(e.palette as u64);
    eat(e.config.show_test as u64);
    eat(e.config.regression() as u64);
    for d in [&e.train, &e.validation, &e.test] {
        eat(d.len() as u64);
        for v in d.x.iter().chain(d.y.iter()) {
            eat(v.to_bits());
        }
    }
    for s in &e.sources {
        for src in s {
            eat(matches!(src, Source::Added(_)) as u64);
        }
    }
    h | 1
}

/// Colour in `[-1, 1]` of a label (class 0/1, or a regression target).
fn label_value(regression: bool, y: f64) -> f64 {
    if regression {
        y.clamp(-1.0, 1.0)
    } else if y >= 0.5 {
        1.0
    } else {
        -1.0
    }
}

/// Adds one point's shape as a sub-path of the current path.
fn shape(ctx: &CanvasRenderingContext2d, kind: usize, x: f64, y: f64, r: f64) {
    match kind {
        0 => {
            ctx.move_to(x + r, y);
            let _ = ctx.arc(x, y, r, 0.0, 2.0 * PI);
        }
        1 => {
            ctx.move_to(x, y - r * 1.3);
            ctx.line_to(x + r * 1.3, y);
            ctx.line_to(x, y + r * 1.3);
            ctx.line_to(x - r * 1.3, y);
            ctx.close_path();
        }
        _ => {
            ctx.move_to(x, y - r * 1.4);
            ctx.line_to(x + r * 1.25, y + r * 0.8);
            ctx.line_to(x - r * 1.25, y + r * 0.8);
            ctx.close_path();
        }
    }
}

/// Points of one shape (0 circle, 1 diamond, 2 triangle) and colour level, in pixels.
type ShapeGroup = ((usize, i32), Vec<(f64, f64)>);

/// Draws the plot onto `canvas`: the output map, then the (cached) points layer; `big`
/// (presenter mode) draws larger points and labels.
pub fn draw(canvas: &HtmlCanvasElement, e: &Engine, big: bool) {
    let Some((ctx, w, h)) = prepare(canvas) else {
        return;
    };
    let palette = e.palette;
    let side = w.min(h);
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(0.0, 0.0, w, h);
    RGBA.with(|buf| {
        let mut buf = buf.borrow_mut();
        let map = &e.output;
        map.fill_rgba(&mut buf, palette, e.config.discretize, |v| v);
        SCRATCH.with(|s| blit_rgba(&ctx, s, &buf, map.n as u32, (0.0, 0.0, side, side)));
    });
    POINTS.with(|layer| {
        let key = points_key(e, side) ^ u64::from(big);
        if POINTS_KEY.get() != key {
            let Some(lctx) = prepare_sized(layer, side, side) else {
                return;
            };
            lctx.clear_rect(0.0, 0.0, side, side);
            draw_points(&lctx, e, side, big);
            POINTS_KEY.set(key);
        }
        let _ = ctx.draw_image_with_html_canvas_element_and_dw_and_dh(layer, 0.0, 0.0, side, side);
    });
}

/// Draws the data points and the axis ticks in a `side × side` square.
fn draw_points(ctx: &CanvasRenderingContext2d, e: &Engine, side: f64, big: bool) {
    let palette = e.palette;
    let to_px = |x1: f64, x2: f64| {
        let (u, v) = e.output.to_unit(x1, x2);
        (u * side, v * side)
    };
    let regression = e.config.regression();
    let r = if big { (side / 60.0).clamp(4.0, 8.0) } else { (side / 110.0).clamp(2.5, 5.0) };
    // Outline width factor: a little thicker in presenter mode (thick outlines would turn
    // small triangles black).
    let k = if big { 1.3 } else { 1.0 };
    let parts: [(&crate::data::Dataset, usize, bool); 3] =
        [(&e.train, 0, true), (&e.validation, 1, e.config.show_test), (&e.test, 2, e.config.show_test)];
    // One path per (shape, colour): a few canvas calls instead of one per point.
    let mut groups: Vec<ShapeGroup> = Vec::new();
    let mut rings = Vec::new();
    for (part, (d, kind, visible)) in parts.iter().enumerate() {
        if !visible {
            continue;
        }
        for i in 0..d.len() {
            let (px, py) = to_px(d.x[[i, 0]], d.x[[i, 1]]);
            let level = (label_value(regression, d.y[[i, 0]]) * 16.0).round() as i32;
            match groups.iter_mut().find(|g| g.0 == (*kind, level)) {
                Some(g) => g.1.push((px, py)),
                None => groups.push(((*kind, level), vec![(px, py)])),
            }
            if matches!(e.sources[part].get(i), Some(Source::Added(_))) {
                rings.push((px, py));
            }
        }
    }
    for ((kind, level), pts) in &groups {
        ctx.begin_path();
        for &(px, py) in pts {
            shape(ctx, *kind, px, py, r);
        }
        let c = palette.color(*level as f64 / 16.0);
        ctx.set_fill_style_str(&c.hex());
        ctx.fill();
        ctx.set_line_width(k * if *kind == 0 { 1.0 } else { 1.5 });
        ctx.set_stroke_style_str(if *kind == 0 { "#ffffff" } else { "#111111" });
        ctx.stroke();
    }
    if !rings.is_empty() {
        ctx.begin_path();
        for &(px, py) in &rings {
            ctx.move_to(px + r + 2.5 * k, py);
            let _ = ctx.arc(px, py, r + 2.5 * k, 0.0, 2.0 * PI);
        }
        ctx.set_stroke_style_str("#111111");
        ctx.set_line_width(1.5 * k);
        ctx.stroke();
    }
    // Axes ticks at −6, 0, 6.
    ctx.set_fill_style_str("#333333");
    ctx.set_font(if big { "bold 18px sans-serif" } else { "11px sans-serif" });
    let f = if big { 1.8 } else { 1.0 };
    for (t, label) in [(DOMAIN.0, "-6"), (0.0, "0"), (DOMAIN.1, "6")] {
        let (px, _) = to_px(t, 0.0);
        let _ = ctx.fill_text(label, (px - 6.0 * f).clamp(1.0, side - 14.0 * f), side - 3.0 * f);
    }
}

/// The nearest point to `(x1, x2)` within `radius` (domain units): `(part, row)`.
pub fn nearest(e: &Engine, x1: f64, x2: f64, radius: f64) -> Option<(usize, usize)> {
    let mut best: Option<(usize, usize, f64)> = None;
    for (part, d) in [&e.train, &e.validation, &e.test].iter().enumerate() {
        for i in 0..d.len() {
            let dist = ((d.x[[i, 0]] - x1).powi(2) + (d.x[[i, 1]] - x2).powi(2)).sqrt();
            if dist <= radius && best.is_none_or(|b| dist < b.2) {
                best = Some((part, i, dist));
            }
        }
    }
    best.map(|(p, i, _)| (p, i))
}

/// Props of [`OutputPlot`].
#[derive(Properties, PartialEq)]
pub struct OutputPlotProps {
    /// The engine.
    pub engine: EngineHandle,
    /// Canvas handle (the app's animation loop draws on it).
    pub canvas: NodeRef,
    /// Adds a point `(x₁, x₂, other_class)`; `other_class` is true for shift-click.
    pub on_add: Callback<(f64, f64, bool)>,
    /// Removes a point by its origin.
    pub on_remove: Callback<Source>,
    /// Accessible description (current values).
    pub label: AttrValue,
}

/// The plot's canvas and its pointer handling.
#[component]
pub fn OutputPlot(props: &OutputPlotProps) -> Html {
    let press: Rc<RefCell<Option<Timeout>>> = use_mut_ref(|| None);
    let long_fired = use_mut_ref(|| false);
    let domain_at = {
        let canvas = props.canvas.clone();
        move |cx: i32, cy: i32| -> Option<(f64, f64)> {
            let c = canvas.cast::<HtmlCanvasElement>()?;
            let rect = c.get_bounding_client_rect();
            let side = rect.width().min(rect.height());
            let (u, v) = ((cx as f64 - rect.left()) / side, (cy as f64 - rect.top()) / side);
            if !(0.0..=1.0).contains(&u) || !(0.0..=1.0).contains(&v) {
                return None;
            }
            Some((DOMAIN.0 + u * (DOMAIN.1 - DOMAIN.0), DOMAIN.1 - v * (DOMAIN.1 - DOMAIN.0)))
        }
    };
    let remove_at = {
        let engine = props.engine.clone();
        let on_remove = props.on_remove.clone();
        let domain_at = domain_at.clone();
        move |cx: i32, cy: i32| {
            if let Some((x1, x2)) = domain_at(cx, cy) {
                let e = engine.0.borrow();
                if let Some((part, i)) = nearest(&e, x1, x2, 0.4) {
                    if let Some(src) = e.sources[part].get(i).copied() {
                        drop(e);
                        on_remove.emit(src);
                    }
                }
            }
        }
    };
    let onclick = {
        let on_add = props.on_add.clone();
        let domain_at = domain_at.clone();
        let long_fired = long_fired.clone();
        Callback::from(move |ev: MouseEvent| {
            if std::mem::take(&mut *long_fired.borrow_mut()) {
                return;
            }
            if let Some((x1, x2)) = domain_at(ev.client_x(), ev.client_y()) {
                on_add.emit((x1, x2, ev.shift_key()));
            }
        })
    };
    let oncontextmenu = {
        let remove_at = remove_at.clone();
        Callback::from(move |ev: MouseEvent| {
            ev.prevent_default();
            remove_at(ev.client_x(), ev.client_y());
        })
    };
    let onpointerdown = {
        let press = press.clone();
        let long_fired = long_fired.clone();
        let remove_at = remove_at.clone();
        Callback::from(move |ev: PointerEvent| {
            if ev.pointer_type() != "touch" {
                return;
            }
            let (x, y) = (ev.client_x(), ev.client_y());
            let remove_at = remove_at.clone();
            let long_fired = long_fired.clone();
            *press.borrow_mut() = Some(Timeout::new(550, move || {
                *long_fired.borrow_mut() = true;
                remove_at(x, y);
            }));
        })
    };
    let cancel = {
        let press = press.clone();
        Callback::from(move |_: PointerEvent| {
            press.borrow_mut().take();
        })
    };
    html! {
        <canvas ref={props.canvas.clone()} class="output-canvas" data-testid="heatmap"
            role="img" aria-label={props.label.clone()}
            {onclick} {oncontextmenu} {onpointerdown} onpointerup={cancel.clone()}
            onpointercancel={cancel.clone()} onpointerleave={cancel} />
    }
}
