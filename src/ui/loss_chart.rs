//! The loss chart, drawn with plotters on a canvas (few labels; sharp at any DPR).

use super::engine::Curves;
use super::i18n::Lang;
use crate::viz::series::y_range;
use crate::viz::Series;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

/// Line colours: train, validation, test.
pub const COLORS: [RGBColor; 3] = [RGBColor(0x1f, 0x4e, 0x8c), RGBColor(0x55, 0x55, 0x55), RGBColor(0xc0, 0x5a, 0x00)];

/// A loss axis label: `v` is the loss, or its log₁₀ on a log axis.
pub fn loss_tick(v: f64, log: bool) -> String {
    if log {
        format!("{:.0e}", 10f64.powf(v))
    } else if v.abs() >= 1e4 {
        format!("{v:.0e}")
    } else if v.abs() >= 10.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}

/// Draws the loss curves (train solid, validation dotted, test dashed), or with `accuracy`
/// the training and test accuracy on a 0–100 % axis; `log` uses a log10 y-axis for loss.
/// `big` (presenter mode) uses thicker lines and larger labels; the x-axis caption is in
/// `lang`. Returns false if there was nothing to draw.
pub fn draw(canvas: &HtmlCanvasElement, curves: &Curves, log: bool, accuracy: bool, big: bool, lang: Lang) -> bool {
    let ratio = super::canvas::fit_backing_store(canvas);
    if let Some(ctx) = super::canvas::context_2d(canvas) {
        let _ = ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
    }
    let Some(backend) = CanvasBackend::with_canvas_object(canvas.clone()) else {
        return false;
    };
    let root = backend.into_drawing_area();
    let _ = root.fill(&WHITE);
    let empty = Series::new(4);
    let all: [&Series; 3] = if accuracy {
        [&curves.train_acc, &empty, &curves.test_acc]
    } else {
        [&curves.train, &curves.validation, &curves.test]
    };
    let range = if accuracy { Some((0.0, 1.0)) } else { y_range(&all, log) };
    let Some((y0, y1)) = range else {
        return false;
    };
    let x_max = all.iter().filter_map(|s| s.points().last().map(|p| p.0)).fold(1.0, f64::max);
    let x_min = all.iter().filter_map(|s| s.points().first().map(|p| p.0)).fold(x_max, f64::min);
    let x_max = x_max.max(x_min + 10.0);
    let px = |v: f64| (v * ratio).round() as u32;
    let k = if big { 1.6 } else { 1.0 };
    let font = (FontFamily::SansSerif, 12.0 * k * ratio).into_font().color(&RGBColor(0x22, 0x22, 0x22));
    let Ok(mut chart) = ChartBuilder::on(&root)
        .margin(px(6.0))
        .margin_right(px(14.0 * k))
        .x_label_area_size(px(32.0 * k))
        .y_label_area_size(px(46.0 * k))
        .build_cartesian_2d(x_min..x_max, y0..y1)
    else {
        return false;
    };
    let fmt_y = move |v: &f64| {
        if accuracy {
            format!("{:.0}%", v * 100.0)
        } else {
            loss_tick(*v, log)
        }
    };
    let _ = chart
        .configure_mesh()
        .x_labels(4)
        .y_labels(4)
        .disable_x_mesh()
        .light_line_style(RGBColor(0xee, 0xee, 0xee))
        .bold_line_style(RGBColor(0xdd, 0xdd, 0xdd))
        .axis_style(if big { RGBColor(0x22, 0x22, 0x22) } else { RGBColor(0x88, 0x88, 0x88) })
        .label_style(font)
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&fmt_y)
        .draw();
    let _ = root.present();
    // The lines are drawn straight on the canvas, one path each with native dashes
    // (plotters would stroke every dash separately); plotters maps the coordinates.
    let Some(ctx) = super::canvas::context_2d(canvas) else {
        return false;
    };
    let tr = move |y: f64| if log { y.log10() } else { y };
    for (i, s) in all.iter().enumerate() {
        let mut first = true;
        ctx.begin_path();
        for &(x, y) in s.points() {
            if log && y <= 0.0 {
                continue;
            }
            let (px, py) = chart.backend_coord(&(x, tr(y).clamp(y0, y1)));
            if first {
                ctx.move_to(px as f64, py as f64);
                first = false;
            } else {
                ctx.line_to(px as f64, py as f64);
            }
        }
        let dash = js_sys::Array::new();
        match i {
            0 => {}
            1 => {
                dash.push(&(2.0 * ratio).into());
                dash.push(&(3.0 * ratio).into());
            }
            _ => {
                dash.push(&(7.0 * ratio).into());
                dash.push(&(4.0 * ratio).into());
            }
        }
        let _ = ctx.set_line_dash(&dash);
        let c = COLORS[i];
        ctx.set_stroke_style_str(&format!("rgb({},{},{})", c.0, c.1, c.2));
        ctx.set_line_width(if i == 0 { 2.5 } else { 2.0 } * k * k * ratio);
        ctx.set_line_join("round");
        ctx.stroke();
    }
    let _ = ctx.set_line_dash(&js_sys::Array::new());
    // The x-axis caption, under the tick labels at the right end of the axis.
    let caption = lang.pick("updates →", "更新次数 →");
    let (right, _) = chart.backend_coord(&(x_max, y1));
    ctx.set_font(&format!("{}px sans-serif", (11.0 * k * ratio).round()));
    ctx.set_fill_style_str("#444444");
    ctx.set_text_align("right");
    ctx.set_text_baseline("bottom");
    let _ = ctx.fill_text(caption, right as f64, canvas.height() as f64 - 1.0 * ratio);
    ctx.set_text_align("start");
    ctx.set_text_baseline("alphabetic");
    true
}
