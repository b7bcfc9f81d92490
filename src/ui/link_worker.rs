//! The diagram's weight lines, stroked off the main thread by `links-worker.js` on an
//! OffscreenCanvas: a few hundred wide anti-aliased curves take 12–20 ms on a software
//! canvas, which would otherwise land inside an animation frame while training runs.
//! The worker returns an `ImageBitmap` that is copied onto the diagram's canvas when it
//! arrives. Where workers or OffscreenCanvas are missing (or the worker fails), the lines
//! are stroked on the page's canvas as before.

use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageBitmap, MessageEvent, Worker};

/// The worker script, next to `index.html` (copied there by Trunk).
const SCRIPT: &str = "links-worker.js";

/// The dash pattern of negative values (CSS pixels on, off).
pub const DASH: [f64; 2] = [5.0, 2.5];

/// Curves stroked alike: one colour, width and dash. `curves` holds 8 numbers per cubic
/// Bézier (start, two controls, end), in CSS pixels.
#[derive(Clone, Debug, PartialEq)]
pub struct StrokeGroup {
    /// CSS colour.
    pub colour: String,
    /// Line width (CSS pixels).
    pub width: f64,
    /// Dashed ([`DASH`]) or solid.
    pub dashed: bool,
    /// The curves, 8 numbers each.
    pub curves: Vec<f64>,
}

/// A drawing: groups in painting order, on a `w × h` CSS-pixel canvas at `ratio`.
#[derive(Clone, Debug, PartialEq)]
pub struct Strokes {
    /// Width (CSS pixels).
    pub w: f64,
    /// Height (CSS pixels).
    pub h: f64,
    /// devicePixelRatio.
    pub ratio: f64,
    /// The groups, bottom first.
    pub groups: Vec<StrokeGroup>,
}

impl Strokes {
    fn device_size(&self) -> (u32, u32) {
        ((self.w * self.ratio).round().max(1.0) as u32, (self.h * self.ratio).round().max(1.0) as u32)
    }
}

/// The dash pattern as `setLineDash` takes it: [`DASH`], or empty for a solid line.
fn dash_array(dashed: bool) -> js_sys::Array {
    let a = js_sys::Array::new();
    if dashed {
        for v in DASH {
            a.push(&JsValue::from(v));
        }
    }
    a
}

/// Strokes the groups on a context whose transform maps CSS pixels (the fallback path).
fn stroke_here(ctx: &CanvasRenderingContext2d, groups: &[StrokeGroup]) {
    for g in groups {
        ctx.begin_path();
        for c in g.curves.chunks_exact(8) {
            ctx.move_to(c[0], c[1]);
            ctx.bezier_curve_to(c[2], c[3], c[4], c[5], c[6], c[7]);
        }
        ctx.set_stroke_style_str(&g.colour);
        ctx.set_line_width(g.width);
        let _ = ctx.set_line_dash(&dash_array(g.dashed));
        ctx.stroke();
    }
    let _ = ctx.set_line_dash(&dash_array(false));
}

/// Draws on the page's canvas directly.
fn draw_here(canvas: &HtmlCanvasElement, s: &Strokes) {
    if let Some(ctx) = super::canvas::prepare_sized(canvas, s.w, s.h) {
        ctx.clear_rect(0.0, 0.0, s.w, s.h);
        stroke_here(&ctx, &s.groups);
    }
}

/// The worker's message for a drawing.
fn message(id: u32, s: &Strokes) -> JsValue {
    let set = |o: &js_sys::Object, k: &str, v: &JsValue| {
        let _ = js_sys::Reflect::set(o, &JsValue::from_str(k), v);
    };
    let (w, h) = s.device_size();
    let msg = js_sys::Object::new();
    set(&msg, "id", &JsValue::from(id));
    set(&msg, "w", &JsValue::from(w));
    set(&msg, "h", &JsValue::from(h));
    set(&msg, "ratio", &JsValue::from(s.ratio));
    let groups = js_sys::Array::new();
    for g in &s.groups {
        let o = js_sys::Object::new();
        set(&o, "colour", &JsValue::from_str(&g.colour));
        set(&o, "width", &JsValue::from(g.width));
        set(&o, "dash", &dash_array(g.dashed));
        set(&o, "curves", &js_sys::Float64Array::from(&g.curves[..]));
        groups.push(&o);
    }
    set(&msg, "groups", &groups);
    msg.into()
}

/// The worker and what it is doing.
struct Link {
    worker: Worker,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(JsValue)>,
    /// The job in progress: its id, canvas and drawing (drawn here if the worker fails).
    busy: Option<(u32, HtmlCanvasElement, Strokes)>,
    /// The newest drawing asked for while busy (older ones are dropped).
    queued: Option<(HtmlCanvasElement, Strokes)>,
    next_id: u32,
    /// The worker failed: draw on the main thread from now on.
    failed: bool,
}

impl Link {
    fn post(&mut self, canvas: HtmlCanvasElement, s: Strokes) {
        let id = self.next_id;
        self.next_id = self.next_id.wrapping_add(1);
        if self.worker.post_message(&message(id, &s)).is_ok() {
            self.busy = Some((id, canvas, s));
        } else {
            self.failed = true;
            draw_here(&canvas, &s);
        }
    }

    /// The worker failed (it could not draw, or its script did not load): draw the job in
    /// progress and the queued one here, and everything after.
    fn fail(&mut self) {
        self.failed = true;
        for (canvas, s) in self.busy.take().map(|(_, c, s)| (c, s)).into_iter().chain(self.queued.take()) {
            draw_here(&canvas, &s);
        }
    }
}

thread_local! {
    /// `None`: not tried yet; `Some(None)`: no worker here.
    static LINK: RefCell<Option<Option<Rc<RefCell<Link>>>>> = const { RefCell::new(None) };
    /// The last drawing asked for: asked again unchanged (same canvas size), it is skipped.
    static LAST: RefCell<Option<Strokes>> = const { RefCell::new(None) };
}

fn start() -> Option<Rc<RefCell<Link>>> {
    let global = js_sys::global();
    let has = |name: &str| js_sys::Reflect::has(&global, &JsValue::from_str(name)).unwrap_or(false);
    if !has("Worker") || !has("OffscreenCanvas") {
        return None;
    }
    let worker = Worker::new(SCRIPT).ok()?;
    let link: Rc<RefCell<Option<Rc<RefCell<Link>>>>> = Rc::new(RefCell::new(None));
    let weak = link.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        let Some(l) = weak.borrow().clone() else {
            return;
        };
        arrived(&l, e.data());
    });
    let weak = link.clone();
    let on_error = Closure::<dyn FnMut(JsValue)>::new(move |_: JsValue| {
        if let Some(l) = weak.borrow().clone() {
            l.borrow_mut().fail();
        }
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    let l = Rc::new(RefCell::new(Link { worker, _on_message: on_message, _on_error: on_error, busy: None, queued: None, next_id: 0, failed: false }));
    *link.borrow_mut() = Some(l.clone());
    Some(l)
}

/// A finished job: copy its bitmap onto its canvas, then start the queued one.
fn arrived(l: &Rc<RefCell<Link>>, data: JsValue) {
    let get = |k: &str| js_sys::Reflect::get(&data, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED);
    let id = get("id").as_f64().map(|v| v as u32);
    let mut link = l.borrow_mut();
    if link.busy.as_ref().map(|b| b.0) != id {
        return;
    }
    let Some((_, canvas, s)) = link.busy.take() else {
        return;
    };
    match get("bitmap").dyn_into::<ImageBitmap>() {
        Ok(bitmap) => {
            let (w, h) = (bitmap.width(), bitmap.height());
            if canvas.width() != w || canvas.height() != h {
                canvas.set_width(w);
                canvas.set_height(h);
            }
            if let Some(ctx) = super::canvas::context_2d(&canvas) {
                let _ = ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
                ctx.clear_rect(0.0, 0.0, w as f64, h as f64);
                let _ = ctx.draw_image_with_image_bitmap(&bitmap, 0.0, 0.0);
            }
            bitmap.close();
        }
        Err(_) => {
            // The worker could not draw (reported as `error`): draw here from now on.
            draw_here(&canvas, &s);
            link.fail();
            return;
        }
    }
    if let Some((canvas, s)) = link.queued.take() {
        link.post(canvas, s);
    }
}

/// Draws `s` on `canvas`: through the worker when there is one (the canvas changes when
/// the bitmap arrives, a frame or two later), else right here. An unchanged drawing is
/// not redone.
pub fn draw(canvas: &HtmlCanvasElement, s: Strokes) {
    let same = LAST.with(|last| last.borrow().as_ref() == Some(&s));
    let (w, h) = s.device_size();
    if same && canvas.width() == w && canvas.height() == h {
        return;
    }
    LAST.with(|last| *last.borrow_mut() = Some(s.clone()));
    let link = LINK.with(|cell| cell.borrow_mut().get_or_insert_with(start).clone());
    match link {
        Some(l) if !l.borrow().failed => {
            let mut link = l.borrow_mut();
            if link.busy.is_some() {
                link.queued = Some((canvas.clone(), s));
            } else {
                link.post(canvas.clone(), s);
            }
        }
        _ => draw_here(canvas, &s),
    }
}
