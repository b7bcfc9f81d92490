//! The network diagram: input features (toggle them), hidden layers (add/remove layers
//! and neurons), the output neuron; every neuron shows a small heatmap of what it
//! computes, weights are lines (colour = sign, thickness = magnitude), biases small
//! squares. Hover or focus a neuron, weight or bias for a card with its live value
//! and gradient.

use super::engine::{EngineHandle, NEURON_GRID};
use super::i18n::{use_lang, Lang};
use crate::train::trace::weight_offset;
use crate::data::Feature;
use crate::train::playground::{limits, Playground};
use crate::train::Phase;
use super::link_worker::{StrokeGroup, Strokes};
use crate::viz::Palette;
use wasm_bindgen::{Clamped, JsCast};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, HtmlElement};
use yew::prelude::*;

/// What the card describes. Layers count the network's dense layers from 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    /// Neuron `j` of layer `l`.
    Neuron(usize, usize),
    /// Weight from input `i` to neuron `j` of layer `l`.
    Weight(usize, usize, usize),
    /// Bias of neuron `j` of layer `l`.
    Bias(usize, usize),
}

/// Props of [`NetworkView`].
#[derive(Properties, PartialEq)]
pub struct NetworkViewProps {
    /// The engine.
    pub engine: EngineHandle,
    /// The configuration.
    pub config: Playground,
    /// Redraw when this changes.
    pub version: u64,
    /// Proposes a new configuration.
    pub on_change: Callback<Playground>,
    /// The focused element.
    pub focus: Option<Focus>,
    /// Sets the focus.
    pub on_focus: Callback<Option<Focus>>,
    /// In step mode, the phase just completed (highlights its layer, dims what is pending).
    #[prop_or_default]
    pub phase: Option<Phase>,
    /// The element the inspector follows (kept highlighted when the pointer leaves).
    #[prop_or_default]
    pub pinned: Option<Focus>,
}

/// What the links' colour and thickness show.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LinkMode {
    /// The weights `w`.
    #[default]
    Weights,
    /// The gradients `∂L/∂w` (of the step under way in step mode, else of the last step).
    Gradients,
    /// The last update's change `Δw`.
    Deltas,
}

impl LinkMode {
    const ALL: [LinkMode; 3] = [LinkMode::Weights, LinkMode::Gradients, LinkMode::Deltas];
    fn label(self, lang: Lang) -> &'static str {
        match self {
            LinkMode::Weights => lang.pick("weights w", "权重 w"),
            LinkMode::Gradients => lang.pick("gradients ∂L/∂w", "梯度 ∂L/∂w"),
            LinkMode::Deltas => lang.pick("last change Δw", "上次变化 Δw"),
        }
    }
}

/// The value a link shows in `mode` for weight `i → j` of layer `l`; NaN (drawn grey)
/// when it does not exist yet, e.g. a gradient whose backward phase has not run.
fn link_value(e: &super::engine::Engine, mode: LinkMode, l: usize, i: usize, j: usize) -> f64 {
    let t = &e.trainer;
    let net = t.net();
    let units = net.layers[l].units();
    match mode {
        LinkMode::Weights => net.layers[l].w[[i, j]],
        LinkMode::Gradients if t.tracing() && (t.phases_done() > 0 || t.trace().update.is_some()) => {
            t.trace().layers.get(l).and_then(|lt| lt.dw.as_ref()).map(|g| g[[i, j]]).unwrap_or(f64::NAN)
        }
        LinkMode::Gradients if t.updates() > 0 => t.workspace().gw.get(l).and_then(|g| g.get(i * units + j)).copied().unwrap_or(f64::NAN),
        LinkMode::Gradients => f64::NAN,
        LinkMode::Deltas => match &t.trace().update {
            Some(u) if t.tracing() => u.delta.get(weight_offset(&net.tensor_sizes(), l, i, j, units)).copied().unwrap_or(f64::NAN),
            _ if t.tracing() && t.phases_done() > 0 => f64::NAN,
            _ => t.previous_net().map(|p| net.layers[l].w[[i, j]] - p.layers[l].w[[i, j]]).unwrap_or(f64::NAN),
        },
    }
}

/// How layer `l` stands in the step: `"active"` (this phase's layer), `"pending"` (its
/// forward values are not computed yet), `"grad-pending"` (its gradients are not), or none.
pub fn layer_state(phase: Option<Phase>, l: usize, layers: usize) -> Option<&'static str> {
    match phase? {
        Phase::Forward(k) if l == k => Some("active"),
        Phase::Forward(k) if l > k => Some("pending"),
        Phase::Forward(_) => Some("grad-pending"),
        Phase::Loss if l + 1 == layers => Some("active"),
        Phase::Loss => Some("grad-pending"),
        Phase::Backward(k) if l == k => Some("active"),
        Phase::Backward(k) if l < k => Some("grad-pending"),
        Phase::Backward(_) => None,
        Phase::Update => Some("updated"),
    }
}

struct Geo {
    node: f64,
    col_gap: f64,
    row_gap: f64,
    top: f64,
    left: f64,
    width: f64,
    height: f64,
}

impl Geo {
    fn new(cols: usize, max_rows: usize) -> Geo {
        let (node, row_gap) = if max_rows > 10 { (22.0, 28.0) } else if max_rows > 7 { (28.0, 36.0) } else { (34.0, 46.0) };
        let col_gap = if cols > 6 { 74.0 } else { 96.0 };
        let top = 34.0;
        let left = 62.0;
        Geo {
            node,
            col_gap,
            row_gap,
            top,
            left,
            width: left + (cols.max(1) - 1) as f64 * col_gap + node + 40.0,
            height: top + max_rows.max(1) as f64 * row_gap + 8.0,
        }
    }
    fn pos(&self, col: usize, row: usize, rows: usize, max_rows: usize) -> (f64, f64) {
        let offset = (max_rows - rows) as f64 * self.row_gap / 2.0;
        (self.left + col as f64 * self.col_gap, self.top + offset + row as f64 * self.row_gap)
    }
}

/// Node positions for a configuration and network.
struct Layout {
    g: Geo,
    /// Input column rows: label, feature index (2-D data), enabled.
    input_rows: Vec<(String, Option<usize>, bool)>,
    enabled_rows: Vec<usize>,
    max_rows: usize,
    units: Vec<usize>,
}

impl Layout {
    fn new(cfg: &Playground, net: &crate::nn::Network) -> Layout {
        let input_rows: Vec<(String, Option<usize>, bool)> = if cfg.dataset.is_2d() {
            Feature::ALL
                .iter()
                .enumerate()
                .map(|(fi, f)| (f.label().to_string(), Some(fi), cfg.features.contains(f)))
                .collect()
        } else {
            (0..net.inputs()).map(|i| (format!("x{}", i + 1), None, true)).collect()
        };
        let units: Vec<usize> = net.layers.iter().map(|l| l.units()).collect();
        let max_rows = input_rows.len().max(units.iter().copied().max().unwrap_or(1));
        let enabled_rows = input_rows.iter().enumerate().filter(|(_, r)| r.2).map(|(k, _)| k).collect();
        Layout { g: Geo::new(net.layers.len() + 1, max_rows), input_rows, enabled_rows, max_rows, units }
    }

    /// Top-left corner of node `j` in column `col` (0 = inputs, `l + 1` = layer `l`).
    fn node(&self, col: usize, j: usize) -> (f64, f64) {
        if col == 0 {
            let row = self.enabled_rows.get(j).copied().unwrap_or(j);
            self.g.pos(0, row, self.input_rows.len(), self.max_rows)
        } else {
            self.g.pos(col, j, self.units[col - 1], self.max_rows)
        }
    }

    /// The cubic Bézier of the weight `i → j` of layer `l`: start, two controls, end.
    fn link(&self, l: usize, i: usize, j: usize) -> [(f64, f64); 4] {
        let (x0, y0) = self.node(l, i);
        let (x1, y1) = self.node(l + 1, j);
        let (x0, y0, x1, y1) = (x0 + self.g.node, y0 + self.g.node / 2.0, x1, y1 + self.g.node / 2.0);
        let mx = (x0 + x1) / 2.0;
        [(x0, y0), (mx, y0), (mx, y1), (x1, y1)]
    }
}

fn bezier(p: &[(f64, f64); 4], t: f64) -> (f64, f64) {
    let u = 1.0 - t;
    let (a, b, c, d) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
    (a * p[0].0 + b * p[1].0 + c * p[2].0 + d * p[3].0, a * p[0].1 + b * p[1].1 + c * p[2].1 + d * p[3].1)
}

/// The weight whose line passes within `tol` pixels of `(x, y)`, if any.
fn hit_link(layout: &Layout, net: &crate::nn::Network, x: f64, y: f64, tol: f64) -> Option<Focus> {
    let mut best: Option<(Focus, f64)> = None;
    for (l, layer) in net.layers.iter().enumerate() {
        for i in 0..layer.inputs() {
            for j in 0..layer.units() {
                let p = layout.link(l, i, j);
                if x < p[0].0 - tol || x > p[3].0 + tol {
                    continue;
                }
                for k in 0..=24 {
                    let (bx, by) = bezier(&p, k as f64 / 24.0);
                    let d = ((bx - x).powi(2) + (by - y).powi(2)).sqrt();
                    if d <= tol && best.is_none_or(|b| d < b.1) {
                        best = Some((Focus::Weight(l, i, j), d));
                    }
                }
            }
        }
    }
    best.map(|b| b.0)
}

/// Thickness levels of the link strokes: links are grouped by (sign, level) and each
/// group is stroked as one path, a few dozen canvas calls instead of one per weight.
const LINK_LEVELS: usize = 12;

/// Draws every weight as a curve: colour = sign, thickness = magnitude of `value(l, i, j)`
/// (the weight itself, or its gradient, or its last change), relative to the largest.
/// The strokes are made by [`link_worker`](super::link_worker), off the main thread.
#[allow(clippy::too_many_arguments)]
fn draw_links(
    canvas: &HtmlCanvasElement,
    layout: &Layout,
    net: &crate::nn::Network,
    palette: Palette,
    focus: Option<Focus>,
    phase: Option<Phase>,
    value: &dyn Fn(usize, usize, usize) -> f64,
) {
    let mut max_v = 0.0f64;
    for (l, layer) in net.layers.iter().enumerate() {
        for i in 0..layer.inputs() {
            for j in 0..layer.units() {
                let v = value(l, i, j).abs();
                if v.is_finite() {
                    max_v = max_v.max(v);
                }
            }
        }
    }
    let max_v = max_v.max(1e-12);
    let width_of = |level: usize| 0.6 + 5.0 * level as f64 / (LINK_LEVELS - 1) as f64;
    let mut focused = None;
    let layers = net.layers.len();
    let mut out: Vec<StrokeGroup> = Vec::new();
    // Groups: sign (0 negative, 1 positive, 2 not finite) × thickness level.
    let mut groups: Vec<Vec<f64>> = vec![Vec::new(); 3 * LINK_LEVELS];
    for (l, layer) in net.layers.iter().enumerate() {
        for g in groups.iter_mut() {
            g.clear();
        }
        for i in 0..layer.inputs() {
            for j in 0..layer.units() {
                let v = value(l, i, j);
                let p = layout.link(l, i, j);
                let (sign, level) = if v.is_finite() {
                    let level = ((v.abs() / max_v).sqrt() * (LINK_LEVELS - 1) as f64).round() as usize;
                    (usize::from(v >= 0.0), level.min(LINK_LEVELS - 1))
                } else {
                    (2, 0)
                };
                if focus == Some(Focus::Weight(l, i, j)) {
                    focused = Some((p, palette.color([-1.0, 1.0, f64::NAN][sign]).hex(), width_of(level)));
                    continue;
                }
                groups[sign * LINK_LEVELS + level].extend(p.iter().flat_map(|&(x, y)| [x, y]));
            }
        }
        // Opacity by step state, pre-blended with the white background: opaque strokes
        // rasterize much faster than translucent ones.
        let alpha = match layer_state(phase, l, layers) {
            Some("pending") => 0.18,
            Some("grad-pending") => 0.55,
            _ => 0.85,
        };
        let blend = |c: crate::viz::Rgb| {
            let m = |v: u8| (alpha * v as f64 + (1.0 - alpha) * 255.0).round() as u8;
            crate::viz::Rgb(m(c.0), m(c.1), m(c.2)).hex()
        };
        let colours = [blend(palette.color(-1.0)), blend(palette.color(1.0)), blend(palette.color(f64::NAN))];
        for (k, curves) in groups.iter_mut().enumerate() {
            if curves.is_empty() {
                continue;
            }
            out.push(StrokeGroup {
                colour: colours[k / LINK_LEVELS].clone(),
                width: width_of(k % LINK_LEVELS),
                // Negative values dashed, so the sign does not rest on colour alone.
                dashed: k / LINK_LEVELS == 0,
                curves: std::mem::take(curves),
            });
        }
    }
    if let Some((p, c, width)) = focused {
        let curves: Vec<f64> = p.iter().flat_map(|&(x, y)| [x, y]).collect();
        out.push(StrokeGroup { colour: "#ffbf47".into(), width: width + 5.0, dashed: false, curves: curves.clone() });
        out.push(StrokeGroup { colour: c, width: width + 1.0, dashed: false, curves });
    }
    let strokes = Strokes { w: layout.g.width, h: layout.g.height, ratio: super::canvas::dpr(), groups: out };
    super::link_worker::draw(canvas, strokes);
}

fn fmt(v: f64) -> String {
    if v == 0.0 {
        "0".into()
    } else if v.abs() >= 1e4 || v.abs() < 1e-3 {
        format!("{v:.3e}")
    } else {
        format!("{v:.4}")
    }
}

thread_local! {
    /// Every node's small map side by side in one image, uploaded with a single
    /// `put_image_data` and copied out node by node.
    static ATLAS: HtmlCanvasElement = super::canvas::scratch_canvas();
    static ATLAS_RGBA: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Paints every node's face on the faces canvas, which lies above the links' canvas: a
/// white square, and for 2-D data the node's heatmap (input features, hidden neurons, the
/// output). One canvas for all the faces keeps each refresh to one canvas upload.
fn draw_node_maps(ctx: &CanvasRenderingContext2d, layout: &Layout, e: &super::engine::Engine, phase: Option<Phase>) {
    let g = &layout.g;
    let n = NEURON_GRID;
    let layers = layout.units.len();
    // (values, top-left, opacity) per node.
    type Face<'a> = (Option<&'a Vec<f64>>, (f64, f64), f64);
    let mut items: Vec<Face> = Vec::new();
    for (k, (_, fi, on)) in layout.input_rows.iter().enumerate() {
        let values = fi.and_then(|fi| e.feature_maps.get(fi));
        items.push((values, g.pos(0, k, layout.input_rows.len(), layout.max_rows), if *on { 1.0 } else { 0.35 }));
    }
    for (l, &units) in layout.units.iter().enumerate() {
        let alpha = if layer_state(phase, l, layers) == Some("pending") { 0.25 } else { 1.0 };
        for j in 0..units {
            let values = e.neurons.get(l).and_then(|layer| layer.get(j));
            items.push((values, layout.node(l + 1, j), alpha));
        }
    }
    let inner = g.node - 2.0;
    ctx.set_fill_style_str("#ffffff");
    for (_, (x, y), _) in &items {
        ctx.fill_rect(x + 1.0, y + 1.0, inner, inner);
    }
    let maps: Vec<_> = items.iter().filter_map(|(v, p, a)| v.map(|v| (v, *p, *a))).collect();
    if maps.is_empty() {
        return;
    }
    let cols = (maps.len() as f64).sqrt().ceil() as usize;
    let rows = maps.len().div_ceil(cols);
    let (aw, ah) = (cols * n, rows * n);
    ATLAS.with(|atlas| {
        ATLAS_RGBA.with(|buf| {
            let mut buf = buf.borrow_mut();
            buf.clear();
            buf.resize(aw * ah * 4, 0);
            for (k, (values, _, _)) in maps.iter().enumerate() {
                let (cx, cy) = ((k % cols) * n, (k / cols) * n);
                for (r, &v) in values.iter().enumerate().take(n * n) {
                    let (px, py) = (cx + r % n, cy + r / n);
                    let col = e.palette.color(v * 0.9);
                    let o = (py * aw + px) * 4;
                    buf[o..o + 4].copy_from_slice(&[col.0, col.1, col.2, 255]);
                }
            }
            if atlas.width() != aw as u32 || atlas.height() != ah as u32 {
                atlas.set_width(aw as u32);
                atlas.set_height(ah as u32);
            }
            let Some(actx) = super::canvas::context_2d(atlas) else {
                return;
            };
            if let Ok(img) = web_sys::ImageData::new_with_u8_clamped_array_and_sh(Clamped(&buf), aw as u32, ah as u32) {
                let _ = actx.put_image_data(&img, 0.0, 0.0);
            }
        });
        ctx.set_image_smoothing_enabled(true);
        for (k, (_, (x, y), alpha)) in maps.iter().enumerate() {
            let (sx, sy) = (((k % cols) * n) as f64, ((k / cols) * n) as f64);
            ctx.set_global_alpha(*alpha);
            let _ = ctx.draw_image_with_html_canvas_element_and_sw_and_sh_and_dx_and_dy_and_dw_and_dh(
                atlas, sx, sy, n as f64, n as f64, x + 1.0, y + 1.0, inner, inner,
            );
        }
        ctx.set_global_alpha(1.0);
    });
}

/// The diagram.
#[component]
pub fn NetworkView(props: &NetworkViewProps) -> Html {
    let lang = use_lang();
    let root = use_node_ref();
    let links_ref = use_node_ref();
    let faces_ref = use_node_ref();
    let mode = use_state(LinkMode::default);
    {
        let links_ref = links_ref.clone();
        let faces_ref = faces_ref.clone();
        let engine = props.engine.clone();
        let highlight = props.focus.or(props.pinned);
        let pending = use_mut_ref(|| None::<super::canvas::Deferred>);
        use_effect_with((props.version, props.config.clone(), highlight, props.phase, *mode), move |(_, cfg, focus, phase, mode)| {
            let (cfg, focus, phase, mode) = (cfg.clone(), *focus, *phase, *mode);
            let draw = move || {
                if let Some(c) = links_ref.cast::<HtmlCanvasElement>() {
                    let e = engine.0.borrow();
                    let layout = Layout::new(&cfg, e.trainer.net());
                    let net = e.trainer.net();
                    let sizes_ok = |l: usize, i: usize, j: usize| l < net.layers.len() && i < net.layers[l].inputs() && j < net.layers[l].units();
                    draw_links(&c, &layout, net, e.palette, focus, phase, &|l, i, j| {
                        if sizes_ok(l, i, j) { link_value(&e, mode, l, i, j) } else { f64::NAN }
                    });
                    if let Some(f) = faces_ref.cast::<HtmlCanvasElement>() {
                        if let Some(ctx) = super::canvas::prepare_sized(&f, layout.g.width, layout.g.height) {
                            ctx.clear_rect(0.0, 0.0, layout.g.width, layout.g.height);
                            draw_node_maps(&ctx, &layout, &e, phase);
                        }
                    }
                }
            };
            // The next frame: this refresh's DOM update and the diagram's canvas upload
            // then land on different frames.
            *pending.borrow_mut() = Some(super::canvas::after_frames(1, Box::new(draw)));
        });
    }
    let cfg = &props.config;
    let e = props.engine.0.borrow();
    let net = e.trainer.net();
    let grads = e.trainer.workspace();
    let has_grads = e.trainer.updates() > 0 || e.trainer.phases_done() > 0;
    let palette: Palette = e.palette;
    let two_d = cfg.dataset.is_2d();
    let layout = Layout::new(cfg, net);
    let g = &layout.g;
    let input_rows = &layout.input_rows;
    let max_rows = layout.max_rows;
    let node_pos = |col: usize, j: usize| layout.node(col, j);
    let max_w = net
        .layers
        .iter()
        .flat_map(|l| l.w.iter().map(|v| v.abs()))
        .filter(|v| v.is_finite())
        .fold(0.0f64, f64::max)
        .max(1e-9);
    let focus = props.focus;
    let on_focus = props.on_focus.clone();
    let set_focus = |f: Focus| {
        let on_focus = on_focus.clone();
        Callback::from(move |_: FocusEvent| on_focus.emit(Some(f)))
    };
    let hover = |f: Focus| {
        let on_focus = on_focus.clone();
        Callback::from(move |_: MouseEvent| on_focus.emit(Some(f)))
    };
    let change = |f: Box<dyn Fn(&mut Playground)>| {
        let cfg = cfg.clone();
        let on_change = props.on_change.clone();
        Callback::from(move |_: MouseEvent| {
            let mut p = cfg.clone();
            f(&mut p);
            on_change.emit(p);
        })
    };
    let mut nodes = Vec::new();
    for (k, (label, fi, on)) in input_rows.iter().enumerate() {
        let (x, y) = g.pos(0, k, input_rows.len(), max_rows);
        let style = format!("left:{x}px;top:{y}px;width:{}px;height:{}px", g.node, g.node);
        let toggle = fi.map(|fi| {
            let feat = Feature::ALL[fi];
            change(Box::new(move |p: &mut Playground| {
                if p.features.contains(&feat) {
                    if p.features.len() > 1 {
                        p.features.retain(|f| *f != feat);
                    }
                } else {
                    p.features.push(feat);
                    p.features = Feature::canonical(&p.features);
                }
            }))
        });
        nodes.push(html! {
            <div class={classes!("node", "input", (!on).then_some("off"))} {style}>
                if let Some(fi) = fi {
                    <button type="button" class="node-btn" onclick={toggle.clone().unwrap()}
                        aria-pressed={on.to_string()} aria-label={label.clone()} data-testid={format!("feature-{}", Feature::ALL[*fi].name())}
                        title={match (lang, *on) {
                            (Lang::En, true) => format!("{label}: click to remove this input feature"),
                            (Lang::En, false) => format!("{label}: click to add this input feature"),
                            (Lang::Zh, true) => format!("{label}：点击移除这个输入特征"),
                            (Lang::Zh, false) => format!("{label}：点击加入这个输入特征"),
                        }}>
                    </button>
                } else {
                    <span class="bit">{ label.clone() }</span>
                }
                if fi.is_some() { <span class="input-label">{ label.clone() }</span> }
            </div>
        });
    }
    for (l, layer) in net.layers.iter().enumerate() {
        for j in 0..layer.units() {
            let (x, y) = node_pos(l + 1, j);
            let style = format!("left:{x}px;top:{y}px;width:{}px;height:{}px", g.node, g.node);
            let b = layer.b[j];
            let bc = palette.color(if b >= 0.0 { 1.0 } else { -1.0 });
            let bsize = 3.0 + 5.0 * (b.abs() / max_w).sqrt().min(1.0);
            let fnode = Focus::Neuron(l, j);
            let fbias = Focus::Bias(l, j);
            let is_out = l == net.layers.len() - 1;
            let state = layer_state(props.phase, l, net.layers.len());
            // The bias is a sibling of its neuron (both focusable, so not nested): a small
            // square at the neuron's corner, size = magnitude, colour and shape = sign
            // (a diamond when negative).
            let bias_style = format!(
                "left:{:.1}px;top:{:.1}px;background:{};width:{bsize:.1}px;height:{bsize:.1}px",
                x - 5.0,
                y + g.node - bsize + 5.0,
                bc.hex()
            );
            nodes.push(html! {
                <>
                <div class={classes!("node", is_out.then_some("output"), (focus == Some(fnode)).then_some("focused"), state)} {style}
                     tabindex="0" role="button" data-testid={format!("neuron-{}-{}", l + 1, j + 1)}
                     aria-label={match lang { Lang::En => format!("layer {} neuron {}", l + 1, j + 1), Lang::Zh => format!("第 {} 层第 {} 个神经元", l + 1, j + 1) }}
                     onfocus={set_focus(fnode)} onmouseenter={hover(fnode)} />
                <span class={classes!("bias", (b < 0.0).then_some("neg"))} tabindex="0" role="button"
                    aria-label={match lang { Lang::En => format!("bias of layer {} neuron {}", l + 1, j + 1), Lang::Zh => format!("第 {} 层第 {} 个神经元的偏置", l + 1, j + 1) }}
                    style={bias_style} onfocus={set_focus(fbias)} onmouseenter={hover(fbias)} />
                </>
            });
        }
    }
    // Column headers with +/- controls for hidden layers.
    let mut headers = Vec::new();
    headers.push(html! { <div class="col-head" style={format!("left:{}px", g.left - 30.0)}>{ if two_d { lang.pick("features", "特征") } else { lang.pick("inputs", "输入") } }</div> });
    for (h, &units) in cfg.hidden.iter().enumerate() {
        let x = g.left + (h + 1) as f64 * g.col_gap - 22.0;
        let add = change(Box::new(move |p: &mut Playground| p.hidden[h] = (p.hidden[h] + 1).min(limits::MAX_NEURONS)));
        let sub = change(Box::new(move |p: &mut Playground| p.hidden[h] = p.hidden[h].saturating_sub(1).max(1)));
        headers.push(html! {
            <div class="col-head" style={format!("left:{x}px")}>
                <button type="button" class="btn btn-tiny" onclick={sub} disabled={units <= 1} aria-label={match lang { Lang::En => format!("fewer neurons in layer {}", h + 1), Lang::Zh => format!("第 {} 层减少一个神经元", h + 1) }}>{ "−" }</button>
                <span>{ format!("{units}") }</span>
                <button type="button" class="btn btn-tiny" onclick={add} disabled={units >= limits::MAX_NEURONS} aria-label={match lang { Lang::En => format!("more neurons in layer {}", h + 1), Lang::Zh => format!("第 {} 层增加一个神经元", h + 1) }}>{ "+" }</button>
            </div>
        });
    }
    headers.push(html! {
        <div class="col-head" style={format!("left:{}px", g.left + cfg.hidden.len() as f64 * g.col_gap + g.col_gap - 18.0)}>{ lang.pick("output", "输出") }</div>
    });
    // The card for the focused element, with live numbers.
    let card = focus.and_then(|f| {
        let (l, title, value, grad, extra): (usize, String, f64, Option<f64>, String) = match f {
            Focus::Weight(l, i, j) if l < net.layers.len() && i < net.layers[l].inputs() && j < net.layers[l].units() => (
                l,
                format!("{} w[{}]{}→{}", lang.pick("weight", "权重"), l + 1, i + 1, j + 1),
                net.layers[l].w[[i, j]],
                has_grads.then(|| grads.gw.get(l).and_then(|g| g.get(i * net.layers[l].units() + j)).copied()).flatten(),
                String::new(),
            ),
            Focus::Bias(l, j) if l < net.layers.len() && j < net.layers[l].units() => (
                l,
                format!("{} b[{}]{}", lang.pick("bias", "偏置"), l + 1, j + 1),
                net.layers[l].b[j],
                has_grads.then(|| grads.gb.get(l).and_then(|g| g.get(j)).copied()).flatten(),
                String::new(),
            ),
            Focus::Neuron(l, j) if l < net.layers.len() && j < net.layers[l].units() => (
                l,
                match lang { Lang::En => format!("neuron {} of layer {}", j + 1, l + 1), Lang::Zh => format!("第 {} 层第 {} 个神经元", l + 1, j + 1) },
                net.layers[l].b[j],
                has_grads.then(|| grads.gb.get(l).and_then(|g| g.get(j)).copied()).flatten(),
                format!("a = {}(z), z = Σ w·x + b", net.layers[l].activation.name()),
            ),
            _ => return None,
        };
        let _ = l;
        Some(html! {
            <div class="card" data-testid="focus-card" role="status">
                <strong>{ title }</strong>
                if !extra.is_empty() { <div class="muted">{ extra }</div> }
                <div>{ if matches!(f, Focus::Neuron(..)) { lang.pick("bias b = ", "偏置 b = ") } else { lang.pick("value = ", "值 = ") } }<span data-testid="focus-value">{ fmt(value) }</span></div>
                <div>{ if matches!(f, Focus::Neuron(..)) { "∂L/∂b = " } else { "∂L/∂θ = " } }
                    <span data-testid="focus-grad">{ grad.map(fmt).unwrap_or_else(|| lang.pick("— (no step yet)", "—（尚未训练）").into()) }</span></div>
            </div>
        })
    });
    let add_layer = change(Box::new(|p: &mut Playground| {
        if p.hidden.len() < limits::MAX_LAYERS {
            p.hidden.push(*p.hidden.last().unwrap_or(&4));
        }
    }));
    let remove_layer = change(Box::new(|p: &mut Playground| {
        p.hidden.pop();
    }));
    let onmousemove = {
        let on_focus = props.on_focus.clone();
        let engine = props.engine.clone();
        let cfg = cfg.clone();
        let root = root.clone();
        let current = focus;
        Callback::from(move |ev: MouseEvent| {
            // Nodes handle their own hover; this finds the weight under the pointer.
            let over_node = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .is_some_and(|t| t.closest(".node").ok().flatten().is_some());
            if over_node {
                return;
            }
            let Some(el) = root.cast::<HtmlElement>() else {
                return;
            };
            let rect = el.get_bounding_client_rect();
            let (x, y) = (ev.client_x() as f64 - rect.left(), ev.client_y() as f64 - rect.top());
            let e = engine.0.borrow();
            let layout = Layout::new(&cfg, e.trainer.net());
            if let Some(f) = hit_link(&layout, e.trainer.net(), x, y, 4.0) {
                if current != Some(f) {
                    on_focus.emit(Some(f));
                }
            }
        })
    };
    let on_mode = {
        let mode = mode.clone();
        Callback::from(move |ev: Event| {
            let el: web_sys::HtmlSelectElement = ev.target_unchecked_into();
            if let Some(m) = usize::try_from(el.selected_index()).ok().and_then(|k| LinkMode::ALL.get(k)) {
                mode.set(*m);
            }
        })
    };
    let leave = {
        let on_focus = props.on_focus.clone();
        Callback::from(move |_: MouseEvent| on_focus.emit(None))
    };
    html! {
        <div class="network" data-testid="network">
            <div class="network-bar">
                <button type="button" class="btn btn-small" data-testid="layer-add" onclick={add_layer}
                    disabled={cfg.hidden.len() >= limits::MAX_LAYERS}>{ lang.pick("+ layer", "+ 层") }</button>
                <button type="button" class="btn btn-small" data-testid="layer-remove" onclick={remove_layer}
                    disabled={cfg.hidden.is_empty()}>{ lang.pick("− layer", "− 层") }</button>
                <span class="muted">{ match lang {
                    Lang::En => format!("{} hidden layer{} · {} parameters", cfg.hidden.len(), if cfg.hidden.len() == 1 { "" } else { "s" }, net.param_count()),
                    Lang::Zh => format!("{} 个隐藏层 · {} 个参数", cfg.hidden.len(), net.param_count()),
                } }</span>
                <label class="field inline link-mode"><span class="field-label">{ lang.pick("lines show", "连线显示") }</span>
                    <select data-testid="link-mode" onchange={on_mode}>
                        { for LinkMode::ALL.iter().map(|m| html! { <option selected={*m == *mode}>{ m.label(lang) }</option> }) }
                    </select>
                </label>
            </div>
            <div class="network-scroll">
                <div class="network-canvas" ref={root} style={format!("width:{}px;height:{}px", g.width, g.height)}
                     onmouseleave={leave} {onmousemove}>
                    <canvas class="links" ref={links_ref} aria-hidden="true" style={format!("width:{}px;height:{}px", g.width, g.height)} />
                    <canvas class="faces" ref={faces_ref} aria-hidden="true" style={format!("width:{}px;height:{}px", g.width, g.height)} />
                    { for headers }
                    { for nodes }
                </div>
            </div>
            { card.unwrap_or_default() }
        </div>
    }
}
