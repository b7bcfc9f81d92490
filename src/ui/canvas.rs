//! Canvas glue: sizing for devicePixelRatio, RGBA blits and simple shapes, and the
//! animation-frame helpers the drawing loops share (clock, loop, deferred work).

use gloo::render::{request_animation_frame, AnimationFrame};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::{Clamped, JsCast};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// The page's device pixel ratio (at least 1).
pub fn dpr() -> f64 {
    web_sys::window().map(|w| w.device_pixel_ratio()).unwrap_or(1.0).max(1.0)
}

/// Sizes the canvas's backing store to its CSS size × devicePixelRatio (when it has a
/// CSS size) and returns the ratio — for charts drawn by plotters, which scales itself.
pub fn fit_backing_store(canvas: &HtmlCanvasElement) -> f64 {
    let ratio = dpr();
    let (cw, ch) = (canvas.client_width() as f64, canvas.client_height() as f64);
    if cw > 0.0 && ch > 0.0 {
        let (pw, ph) = ((cw * ratio).round() as u32, (ch * ratio).round() as u32);
        if canvas.width() != pw || canvas.height() != ph {
            canvas.set_width(pw);
            canvas.set_height(ph);
        }
    }
    ratio
}

/// Makes the canvas's backing store match its CSS size × devicePixelRatio and returns
/// its 2-D context scaled so that drawing uses CSS pixels, with the CSS size.
pub fn prepare(canvas: &HtmlCanvasElement) -> Option<(CanvasRenderingContext2d, f64, f64)> {
    let ratio = dpr();
    let (w, h) = (canvas.client_width() as f64, canvas.client_height() as f64);
    let (w, h) = if w > 0.0 && h > 0.0 { (w, h) } else { (canvas.width() as f64 / ratio, canvas.height() as f64 / ratio) };
    prepare_sized(canvas, w, h).map(|ctx| (ctx, w, h))
}

/// Gives the canvas a backing store of `w × h` CSS pixels × devicePixelRatio, and returns
/// its 2-D context scaled so that drawing uses CSS pixels.
pub fn prepare_sized(canvas: &HtmlCanvasElement, w: f64, h: f64) -> Option<CanvasRenderingContext2d> {
    let ratio = dpr();
    let (pw, ph) = ((w * ratio).round() as u32, (h * ratio).round() as u32);
    if canvas.width() != pw || canvas.height() != ph {
        canvas.set_width(pw.max(1));
        canvas.set_height(ph.max(1));
    }
    let ctx = context_2d(canvas)?;
    ctx.set_transform(ratio, 0.0, 0.0, ratio, 0.0, 0.0).ok()?;
    Some(ctx)
}

/// Draws an `n × n` RGBA buffer scaled to the `dest = (x, y, w, h)` rectangle (CSS pixels), through a
/// scratch canvas (smoothing on, so the field looks continuous at any size).
pub fn blit_rgba(ctx: &CanvasRenderingContext2d, scratch: &HtmlCanvasElement, rgba: &[u8], n: u32, dest: (f64, f64, f64, f64)) {
    let (x, y, w, h) = dest;
    if scratch.width() != n || scratch.height() != n {
        scratch.set_width(n);
        scratch.set_height(n);
    }
    let Some(sctx) = context_2d(scratch) else {
        return;
    };
    if let Ok(img) = web_sys::ImageData::new_with_u8_clamped_array_and_sh(Clamped(rgba), n, n) {
        let _ = sctx.put_image_data(&img, 0.0, 0.0);
        ctx.set_image_smoothing_enabled(true);
        let _ = ctx.draw_image_with_html_canvas_element_and_dw_and_dh(scratch, x, y, w, h);
    }
}

/// A detached canvas for scratch work.
pub fn scratch_canvas() -> HtmlCanvasElement {
    gloo::utils::document().create_element("canvas").expect("canvas").unchecked_into()
}

/// Whether a canvas has any non-transparent pixel (used by tests and the benchmark).
pub fn has_ink(canvas: &HtmlCanvasElement) -> bool {
    let Some(ctx) = context_2d(canvas) else {
        return false;
    };
    ctx.get_image_data(0.0, 0.0, canvas.width() as f64, canvas.height() as f64)
        .map(|d| d.data().0.chunks(4).any(|p| p[3] != 0))
        .unwrap_or(false)
}

/// The canvas's 2D context; `None` if the browser gives none.
pub fn context_2d(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas.get_context("2d").ok()??.dyn_into().ok()
}

/// Milliseconds on the page's monotonic clock (`performance.now()`); 0 without one.
pub fn now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

/// Calls `tick` on every animation frame with the frame's timestamp while it returns `true`.
/// The pending frame is kept in `handle`; dropping it (or emptying `handle`) stops the loop.
pub fn animate(handle: Rc<RefCell<Option<AnimationFrame>>>, tick: Rc<dyn Fn(f64) -> bool>) {
    let h = handle.clone();
    let frame = request_animation_frame(move |time| {
        if tick(time) {
            animate(h, tick);
        }
    });
    *handle.borrow_mut() = Some(frame);
}

/// Work scheduled some animation frames ahead; dropping it cancels the work.
pub struct Deferred {
    _frame: Rc<RefCell<Option<AnimationFrame>>>,
}

/// Runs `f` `frames` animation frames from now (at least one). Canvas redraws that follow a
/// panel refresh use it, so the refresh's DOM update and each canvas upload fall on
/// different frames instead of one long one.
pub fn after_frames(frames: u32, f: Box<dyn FnOnce()>) -> Deferred {
    let slot = Rc::new(RefCell::new(None));
    schedule_after(slot.clone(), frames.max(1), f);
    Deferred { _frame: slot }
}

fn schedule_after(slot: Rc<RefCell<Option<AnimationFrame>>>, n: u32, f: Box<dyn FnOnce()>) {
    let next = slot.clone();
    let frame = request_animation_frame(move |_| if n <= 1 { f() } else { schedule_after(next, n - 1, f) });
    *slot.borrow_mut() = Some(frame);
}
