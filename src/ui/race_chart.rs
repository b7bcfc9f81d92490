//! The race's loss curves on one plotters chart: each racer has its own colour, dash
//! pattern and marker (so they are told apart without colour), with a legend and an
//! optional log scale.

use super::surface_canvas::{marker, set_dash};
use crate::train::race::Race;
use crate::viz::series::y_range;
use crate::viz::Series;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// A racer's look: colour (Okabe–Ito, readable with colour-vision deficiencies), dash
/// pattern (CSS pixels) and marker (see [`marker`]).
pub struct Style {
    /// CSS colour.
    pub color: &'static str,
    /// Dash pattern.
    pub dash: &'static [f64],
    /// Marker kind.
    pub marker: usize,
}

/// One style per racer slot.
pub const STYLES: [Style; 6] = [
    Style { color: "#0072b2", dash: &[], marker: 0 },
    Style { color: "#d55e00", dash: &[7.0, 4.0], marker: 1 },
    Style { color: "#009e73", dash: &[2.0, 3.0], marker: 2 },
    Style { color: "#cc79a7", dash: &[9.0, 3.0, 2.0, 3.0], marker: 3 },
    Style { color: "#8a6d00", dash: &[14.0, 5.0], marker: 4 },
    Style { color: "#3d3d3d", dash: &[4.0, 2.0, 1.0, 2.0, 1.0, 2.0], marker: 5 },
];

/// Draws the curves; `names` label the legend. Returns false when there is nothing to draw.
pub fn draw(canvas: &HtmlCanvasElement, race: &Race, names: &[String], log: bool) -> bool {
    let ratio = super::canvas::fit_backing_store(canvas);
    let Some(ctx) = super::canvas::context_2d(canvas) else {
        return false;
    };
    let _ = ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
    let Some(backend) = CanvasBackend::with_canvas_object(canvas.clone()) else {
        return false;
    };
    let root = backend.into_drawing_area();
    let _ = root.fill(&WHITE);
    let series: Vec<&Series> = race.racers.iter().map(|r| &r.loss).collect();
    let Some((y0, y1)) = y_range(&series, log) else {
        return false;
    };
    let x_max = series.iter().filter_map(|s| s.points().last().map(|p| p.0)).fold(1.0, f64::max).max(10.0);
    let px = |v: f64| (v * ratio).round() as u32;
    let font = (FontFamily::SansSerif, 12.0 * ratio).into_font().color(&RGBColor(0x33, 0x33, 0x33));
    let Ok(mut chart) = ChartBuilder::on(&root)
        .margin(px(6.0))
        .x_label_area_size(px(20.0))
        .y_label_area_size(px(46.0))
        .build_cartesian_2d(0.0..x_max, y0..y1)
    else {
        return false;
    };
    let fmt_y = move |v: &f64| super::loss_chart::loss_tick(*v, log);
    let _ = chart
        .configure_mesh()
        .x_labels(4)
        .y_labels(4)
        .disable_x_mesh()
        .light_line_style(RGBColor(0xee, 0xee, 0xee))
        .bold_line_style(RGBColor(0xdd, 0xdd, 0xdd))
        .axis_style(RGBColor(0x88, 0x88, 0x88))
        .label_style(font)
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&fmt_y)
        .draw();
    let _ = root.present();
    // Lines straight on the canvas with native dashes; plotters maps the coordinates.
    let tr = move |y: f64| if log { y.log10() } else { y };
    for (k, s) in series.iter().enumerate() {
        let st = &STYLES[k % STYLES.len()];
        let pts: Vec<(f64, f64)> = s
            .points()
            .iter()
            .filter(|p| !log || p.1 > 0.0)
            .map(|&(x, y)| {
                let (a, b) = chart.backend_coord(&(x, tr(y).clamp(y0, y1)));
                (a as f64, b as f64)
            })
            .collect();
        ctx.begin_path();
        for (i, &(x, y)) in pts.iter().enumerate() {
            if i == 0 {
                ctx.move_to(x, y);
            } else {
                ctx.line_to(x, y);
            }
        }
        let dash: Vec<f64> = st.dash.iter().map(|d| d * ratio).collect();
        set_dash(&ctx, &dash);
        ctx.set_stroke_style_str(st.color);
        ctx.set_line_width(2.0 * ratio);
        ctx.set_line_join("round");
        ctx.stroke();
        set_dash(&ctx, &[]);
        // Markers every ~60 px along the curve and at its end.
        let mut last_x = f64::NEG_INFINITY;
        ctx.begin_path();
        for (i, &(x, y)) in pts.iter().enumerate() {
            if x - last_x >= 60.0 * ratio || i + 1 == pts.len() {
                marker(&ctx, st.marker, x, y, 3.5 * ratio);
                last_x = x;
            }
        }
        draw_marker_path(&ctx, st, ratio);
    }
    // Legend, top right: line sample, marker, name.
    let font_px = 11.0 * ratio;
    ctx.set_font(&format!("{font_px}px system-ui, sans-serif"));
    // plotters leaves its own text alignment on the context.
    ctx.set_text_align("left");
    ctx.set_text_baseline("middle");
    let row = 14.0 * ratio;
    let width = names.iter().map(|n| n.chars().count()).max().unwrap_or(4) as f64 * 7.0 * ratio + 42.0 * ratio;
    let x0 = canvas.width() as f64 - width - 8.0 * ratio;
    let y0 = 8.0 * ratio;
    ctx.set_fill_style_str("rgba(255,255,255,0.88)");
    ctx.fill_rect(x0 - 4.0 * ratio, y0 - 2.0 * ratio, width + 4.0 * ratio, row * names.len() as f64 + 4.0 * ratio);
    for (k, name) in names.iter().enumerate() {
        let st = &STYLES[k % STYLES.len()];
        let y = y0 + row * (k as f64 + 0.5);
        let dash: Vec<f64> = st.dash.iter().map(|d| d * ratio).collect();
        set_dash(&ctx, &dash);
        ctx.begin_path();
        ctx.move_to(x0, y);
        ctx.line_to(x0 + 28.0 * ratio, y);
        ctx.set_stroke_style_str(st.color);
        ctx.set_line_width(2.0 * ratio);
        ctx.stroke();
        set_dash(&ctx, &[]);
        ctx.begin_path();
        marker(&ctx, st.marker, x0 + 14.0 * ratio, y, 3.5 * ratio);
        draw_marker_path(&ctx, st, ratio);
        ctx.set_fill_style_str("#1b1f24");
        let _ = ctx.fill_text(name, x0 + 33.0 * ratio, y);
    }
    true
}

fn draw_marker_path(ctx: &CanvasRenderingContext2d, st: &Style, ratio: f64) {
    if st.marker % 6 < 4 {
        ctx.set_fill_style_str(st.color);
        ctx.fill();
        ctx.set_stroke_style_str("#ffffff");
        ctx.set_line_width(ratio);
    } else {
        ctx.set_stroke_style_str(st.color);
        ctx.set_line_width(2.0 * ratio);
    }
    ctx.stroke();
}
