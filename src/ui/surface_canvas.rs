//! Draws a loss surface on a canvas: the contour image (rendered at the canvas's pixel
//! size, so it is sharp at any devicePixelRatio), trajectories with their own colour,
//! dash and marker, and step arrows from the current point.

use super::canvas::{context_2d, dpr, prepare, scratch_canvas};
use crate::train::surface::Surface;
use crate::viz::contour::surface_rgba;
use std::f64::consts::TAU;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// The rendered contour image, kept on its own offscreen canvas and re-rendered only when
/// the surface or the size changed (a redraw is then one `drawImage`).
#[derive(Default)]
pub struct ImageCache {
    rgba: Vec<u8>,
    key: (u64, u64, usize),
    canvas: Option<HtmlCanvasElement>,
}

/// A trajectory in plane coordinates.
pub struct Trail<'a> {
    /// Points `(α, β)`, oldest first.
    pub points: &'a [(f64, f64)],
    /// CSS colour.
    pub color: &'a str,
    /// Dash pattern in CSS pixels (empty = solid).
    pub dash: &'a [f64],
    /// Marker at the newest point: 0 circle, 1 square, 2 triangle, 3 diamond, 4 cross, 5 plus.
    pub marker: usize,
}

/// An arrow from the current point, in plane coordinates.
pub struct Arrow {
    /// `(Δα, Δβ)` (already scaled for display).
    pub delta: (f64, f64),
    /// CSS colour.
    pub color: &'static str,
    /// Dash pattern.
    pub dash: &'static [f64],
}

/// Sets a dash pattern (CSS pixels).
pub fn set_dash(ctx: &CanvasRenderingContext2d, dash: &[f64]) {
    let arr = js_sys::Array::new();
    for d in dash {
        arr.push(&(*d).into());
    }
    let _ = ctx.set_line_dash(&arr);
}

/// Adds a marker's outline to the current path.
pub fn marker(ctx: &CanvasRenderingContext2d, kind: usize, x: f64, y: f64, r: f64) {
    match kind % 6 {
        0 => {
            ctx.move_to(x + r, y);
            let _ = ctx.arc(x, y, r, 0.0, TAU);
        }
        1 => ctx.rect(x - r, y - r, 2.0 * r, 2.0 * r),
        2 => {
            ctx.move_to(x, y - r * 1.2);
            ctx.line_to(x + r * 1.1, y + r * 0.8);
            ctx.line_to(x - r * 1.1, y + r * 0.8);
            ctx.close_path();
        }
        3 => {
            ctx.move_to(x, y - r * 1.3);
            ctx.line_to(x + r * 1.3, y);
            ctx.line_to(x, y + r * 1.3);
            ctx.line_to(x - r * 1.3, y);
            ctx.close_path();
        }
        4 => {
            ctx.move_to(x - r, y - r);
            ctx.line_to(x + r, y + r);
            ctx.move_to(x + r, y - r);
            ctx.line_to(x - r, y + r);
        }
        _ => {
            ctx.move_to(x - r * 1.2, y);
            ctx.line_to(x + r * 1.2, y);
            ctx.move_to(x, y - r * 1.2);
            ctx.line_to(x, y + r * 1.2);
        }
    }
}

/// Draws everything. `generation` identifies the surface (bump it for a new one).
pub fn draw(
    canvas: &HtmlCanvasElement,
    surface: Option<&Surface>,
    generation: u64,
    cache: &mut ImageCache,
    trails: &[Trail],
    arrows: &[Arrow],
) {
    let Some((ctx, w, h)) = prepare(canvas) else {
        return;
    };
    let side = w.min(h);
    ctx.set_fill_style_str("#f3f5f8");
    ctx.fill_rect(0.0, 0.0, w, h);
    let Some(s) = surface else {
        return;
    };
    let out = ((side * dpr()).round() as usize).clamp(16, 640);
    let key = (generation, s.progress().to_bits(), out);
    let image = cache.canvas.get_or_insert_with(scratch_canvas);
    if cache.key != key {
        surface_rgba(&s.values, s.res, out, 10, &mut cache.rgba);
        cache.key = key;
        image.set_width(out as u32);
        image.set_height(out as u32);
        if let Some(ictx) = context_2d(image) {
            if let Ok(img) = web_sys::ImageData::new_with_u8_clamped_array_and_sh(wasm_bindgen::Clamped(&cache.rgba), out as u32, out as u32) {
                let _ = ictx.put_image_data(&img, 0.0, 0.0);
            }
        }
    }
    ctx.set_image_smoothing_enabled(true);
    let _ = ctx.draw_image_with_html_canvas_element_and_dw_and_dh(image, 0.0, 0.0, side, side);
    let range = s.range;
    let to_px = |(a, b): (f64, f64)| ((a + range) / (2.0 * range) * side, (range - b) / (2.0 * range) * side);
    ctx.save();
    ctx.begin_path();
    ctx.rect(0.0, 0.0, side, side);
    ctx.clip();
    // Axes through the centre.
    ctx.set_stroke_style_str("rgba(255,255,255,0.45)");
    ctx.set_line_width(1.0);
    set_dash(&ctx, &[3.0, 3.0]);
    ctx.begin_path();
    ctx.move_to(side / 2.0, 0.0);
    ctx.line_to(side / 2.0, side);
    ctx.move_to(0.0, side / 2.0);
    ctx.line_to(side, side / 2.0);
    ctx.stroke();
    for t in trails {
        if t.points.is_empty() {
            continue;
        }
        // A white halo under the line keeps it visible on dark and light areas.
        for (colour, width) in [("rgba(255,255,255,0.85)", 4.0), (t.color, 2.0)] {
            ctx.begin_path();
            for (k, &p) in t.points.iter().enumerate() {
                let (x, y) = to_px(p);
                if k == 0 {
                    ctx.move_to(x, y);
                } else {
                    ctx.line_to(x, y);
                }
            }
            set_dash(&ctx, if width > 3.0 { &[] } else { t.dash });
            ctx.set_stroke_style_str(colour);
            ctx.set_line_width(width);
            ctx.set_line_join("round");
            ctx.stroke();
        }
        set_dash(&ctx, &[]);
        let (x, y) = to_px(*t.points.last().expect("not empty"));
        ctx.begin_path();
        marker(&ctx, t.marker, x, y, 4.5);
        ctx.set_fill_style_str(t.color);
        if t.marker % 6 < 4 {
            ctx.fill();
        }
        ctx.set_stroke_style_str("#ffffff");
        ctx.set_line_width(if t.marker % 6 < 4 { 1.2 } else { 2.5 });
        ctx.stroke();
        if t.marker % 6 >= 4 {
            ctx.begin_path();
            marker(&ctx, t.marker, x, y, 4.5);
            ctx.set_stroke_style_str(t.color);
            ctx.set_line_width(1.6);
            ctx.stroke();
        }
    }
    if let Some(from) = trails.first().and_then(|t| t.points.last().copied()) {
        let (x0, y0) = to_px(from);
        for a in arrows {
            let (x1, y1) = to_px((from.0 + a.delta.0, from.1 + a.delta.1));
            arrow(&ctx, (x0, y0), (x1, y1), a.color, a.dash);
        }
    }
    ctx.restore();
    set_dash(&ctx, &[]);
    // Tick labels: −range, 0, +range on both axes.
    ctx.set_font("11px system-ui, sans-serif");
    ctx.set_fill_style_str("#ffffff");
    let r = fmt_tick(range);
    let _ = ctx.fill_text(&format!("−{r}"), 3.0, side - 4.0);
    let _ = ctx.fill_text(&format!("+{r}"), side - 8.0 - 6.0 * r.len() as f64, side - 4.0);
    let _ = ctx.fill_text(&format!("+{r}"), 3.0, 12.0);
}

fn fmt_tick(v: f64) -> String {
    let s = format!("{v}");
    if s.len() > 6 {
        format!("{v:.2e}")
    } else {
        s
    }
}

fn arrow(ctx: &CanvasRenderingContext2d, (x0, y0): (f64, f64), (x1, y1): (f64, f64), color: &str, dash: &[f64]) {
    let len = ((x1 - x0).powi(2) + (y1 - y0).powi(2)).sqrt();
    if !len.is_finite() || len < 1.0 {
        return;
    }
    let (ux, uy) = ((x1 - x0) / len, (y1 - y0) / len);
    // A white halo under solid arrows only: a dashed arrow drawn over a solid one (velocity
    // along the step) must not hide it.
    let halo: &[(&str, f64)] = if dash.is_empty() { &[("#ffffff", 4.5)] } else { &[] };
    for &(c, wdt) in halo.iter().chain(&[(color, if dash.is_empty() { 2.2 } else { 2.6 })]) {
        set_dash(ctx, if wdt > 4.0 { &[] } else { dash });
        ctx.begin_path();
        ctx.move_to(x0, y0);
        ctx.line_to(x1 - ux * 6.0, y1 - uy * 6.0);
        ctx.set_stroke_style_str(c);
        ctx.set_line_width(wdt);
        ctx.stroke();
    }
    set_dash(ctx, &[]);
    ctx.begin_path();
    ctx.move_to(x1, y1);
    ctx.line_to(x1 - ux * 9.0 - uy * 5.0, y1 - uy * 9.0 + ux * 5.0);
    ctx.line_to(x1 - ux * 9.0 + uy * 5.0, y1 - uy * 9.0 - ux * 5.0);
    ctx.close_path();
    ctx.set_fill_style_str(color);
    ctx.fill();
    ctx.set_stroke_style_str("#ffffff");
    ctx.set_line_width(1.0);
    ctx.stroke();
}
