//! The network diagram: input features (toggle them), hidden layers (add/remove layers
//! and neurons), the output neuron; every neuron shows a small heatmap of what it
//! computes, weights are lines (colour = sign, thickness = magnitude), biases small
//! squares. Hover or focus a neuron, weight or bias for a card with its live value
//! and gradient.

use super::engine::{EngineHandle, NEURON_GRID};
use crate::data::Feature;
use crate::train::playground::{limits, Playground};
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

fn fmt(v: f64) -> String {
    if v == 0.0 {
        "0".into()
    } else if v.abs() >= 1e4 || v.abs() < 1e-3 {
        format!("{v:.3e}")
    } else {
        format!("{v:.4}")
    }
}

/// Draws the neuron heatmaps into the `canvas[data-map]` elements under `root`.
fn draw_maps(root: &HtmlElement, engine: &EngineHandle) {
    let e = engine.0.borrow();
    let Ok(list) = root.query_selector_all("canvas[data-map]") else {
        return;
    };
    let n = NEURON_GRID as u32;
    let mut rgba = vec![0u8; (n * n * 4) as usize];
    for k in 0..list.length() {
        let Some(c) = list.item(k).and_then(|n| n.dyn_into::<HtmlCanvasElement>().ok()) else {
            continue;
        };
        let Some(spec) = c.get_attribute("data-map") else {
            continue;
        };
        let values: Option<&Vec<f64>> = match spec.split_once(':') {
            Some(("f", f)) => f.parse::<usize>().ok().and_then(|f| e.feature_maps.get(f)),
            Some((l, j)) => match (l.parse::<usize>(), j.parse::<usize>()) {
                (Ok(l), Ok(j)) => e.neurons.get(l).and_then(|layer| layer.get(j)),
                _ => None,
            },
            None => None,
        };
        let Some(values) = values else {
            continue;
        };
        for (px, &v) in rgba.chunks_exact_mut(4).zip(values) {
            let col = e.palette.color(v * 0.9);
            px.copy_from_slice(&[col.0, col.1, col.2, 255]);
        }
        if c.width() != n {
            c.set_width(n);
            c.set_height(n);
        }
        if let Some(ctx) = c.get_context("2d").ok().flatten().and_then(|x| x.dyn_into::<CanvasRenderingContext2d>().ok()) {
            if let Ok(img) = web_sys::ImageData::new_with_u8_clamped_array_and_sh(Clamped(&rgba), n, n) {
                let _ = ctx.put_image_data(&img, 0.0, 0.0);
            }
        }
    }
}

/// The diagram.
#[component]
pub fn NetworkView(props: &NetworkViewProps) -> Html {
    let root = use_node_ref();
    {
        let root = root.clone();
        let engine = props.engine.clone();
        use_effect_with((props.version, props.config.clone()), move |_| {
            if let Some(el) = root.cast::<HtmlElement>() {
                draw_maps(&el, &engine);
            }
        });
    }
    let cfg = &props.config;
    let e = props.engine.0.borrow();
    let net = e.trainer.net();
    let grads = e.trainer.workspace();
    let has_grads = e.trainer.updates() > 0 || e.trainer.phases_done() > 0;
    let palette: Palette = e.palette;
    let two_d = cfg.dataset.is_2d();
    // Columns: inputs, hidden layers, output.
    let input_rows: Vec<(String, Option<usize>, bool)> = if two_d {
        Feature::ALL
            .iter()
            .enumerate()
            .map(|(fi, f)| (f.label().to_string(), Some(fi), cfg.features.contains(f)))
            .collect()
    } else {
        (0..net.inputs()).map(|i| (format!("x{}", i + 1), None, true)).collect()
    };
    let cols = net.layers.len() + 1;
    let max_rows = input_rows.len().max(net.layers.iter().map(|l| l.units()).max().unwrap_or(1));
    let g = Geo::new(cols, max_rows);
    // Position of network input i (among enabled features) in the input column.
    let enabled_rows: Vec<usize> = input_rows.iter().enumerate().filter(|(_, r)| r.2).map(|(k, _)| k).collect();
    let node_pos = |layer_col: usize, j: usize| -> (f64, f64) {
        if layer_col == 0 {
            g.pos(0, enabled_rows[j], input_rows.len(), max_rows)
        } else {
            g.pos(layer_col, j, net.layers[layer_col - 1].units(), max_rows)
        }
    };
    let max_w = net
        .layers
        .iter()
        .flat_map(|l| l.w.iter().map(|v| v.abs()))
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
    let mut links = Vec::new();
    for (l, layer) in net.layers.iter().enumerate() {
        for i in 0..layer.inputs() {
            for j in 0..layer.units() {
                let w = layer.w[[i, j]];
                let (x0, y0) = node_pos(l, i);
                let (x1, y1) = node_pos(l + 1, j);
                let (x0, y0, x1, y1) = (x0 + g.node, y0 + g.node / 2.0, x1, y1 + g.node / 2.0);
                let mx = (x0 + x1) / 2.0;
                let d = format!("M{x0:.1},{y0:.1} C{mx:.1},{y0:.1} {mx:.1},{y1:.1} {x1:.1},{y1:.1}");
                let c = palette.color(if w.is_nan() { f64::NAN } else if w >= 0.0 { 1.0 } else { -1.0 });
                let width = if w.is_finite() { 0.6 + 5.0 * (w.abs() / max_w).sqrt() } else { 1.0 };
                let f = Focus::Weight(l, i, j);
                let focused = focus == Some(f);
                links.push(html! {
                    <g class={classes!("link", focused.then_some("focused"))} onmouseenter={hover(f)}>
                        <path d={d.clone()} class="link-line" stroke={c.hex()} stroke-width={format!("{:.2}", if focused { width + 2.0 } else { width })} />
                        <path d={d} class="link-hit" />
                    </g>
                });
            }
        }
    }
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
                    p.features.sort();
                }
            }))
        });
        nodes.push(html! {
            <div class={classes!("node", "input", (!on).then_some("off"))} {style}>
                if let Some(fi) = fi {
                    <button type="button" class="node-btn" onclick={toggle.clone().unwrap()}
                        aria-pressed={on.to_string()} data-testid={format!("feature-{}", Feature::ALL[*fi].name())}
                        title={format!("{label}: click to {} this input feature", if *on { "remove" } else { "add" })}>
                        <canvas data-map={format!("f:{fi}")} class="map" />
                    </button>
                } else {
                    <span class="bit">{ label.clone() }</span>
                }
                <span class="input-label">{ label.clone() }</span>
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
            nodes.push(html! {
                <div class={classes!("node", is_out.then_some("output"), (focus == Some(fnode)).then_some("focused"))} {style}
                     tabindex="0" role="button" data-testid={format!("neuron-{}-{}", l + 1, j + 1)}
                     aria-label={format!("layer {} neuron {}", l + 1, j + 1)}
                     onfocus={set_focus(fnode)} onmouseenter={hover(fnode)}>
                    <canvas data-map={format!("{l}:{j}")} class="map" />
                    <span class="bias" tabindex="0" role="button" aria-label={format!("bias of layer {} neuron {}", l + 1, j + 1)}
                        style={format!("background:{};width:{bsize:.1}px;height:{bsize:.1}px", bc.hex())}
                        onfocus={set_focus(fbias)} onmouseenter={hover(fbias)} />
                </div>
            });
        }
    }
    // Column headers with +/- controls for hidden layers.
    let mut headers = Vec::new();
    headers.push(html! { <div class="col-head" style={format!("left:{}px", g.left - 30.0)}>{ if two_d { "features" } else { "inputs" } }</div> });
    for (h, &units) in cfg.hidden.iter().enumerate() {
        let x = g.left + (h + 1) as f64 * g.col_gap - 22.0;
        let add = change(Box::new(move |p: &mut Playground| p.hidden[h] = (p.hidden[h] + 1).min(limits::MAX_NEURONS)));
        let sub = change(Box::new(move |p: &mut Playground| p.hidden[h] = p.hidden[h].saturating_sub(1).max(1)));
        headers.push(html! {
            <div class="col-head" style={format!("left:{x}px")}>
                <button type="button" class="btn btn-tiny" onclick={sub} disabled={units <= 1} aria-label={format!("fewer neurons in layer {}", h + 1)}>{ "−" }</button>
                <span>{ format!("{units}") }</span>
                <button type="button" class="btn btn-tiny" onclick={add} disabled={units >= limits::MAX_NEURONS} aria-label={format!("more neurons in layer {}", h + 1)}>{ "+" }</button>
            </div>
        });
    }
    headers.push(html! {
        <div class="col-head" style={format!("left:{}px", g.left + cfg.hidden.len() as f64 * g.col_gap + g.col_gap - 18.0)}>{ "output" }</div>
    });
    // The card for the focused element, with live numbers.
    let card = focus.and_then(|f| {
        let (l, title, value, grad, extra): (usize, String, f64, Option<f64>, String) = match f {
            Focus::Weight(l, i, j) if l < net.layers.len() && i < net.layers[l].inputs() && j < net.layers[l].units() => (
                l,
                format!("weight w[{}]{}→{}", l + 1, i + 1, j + 1),
                net.layers[l].w[[i, j]],
                has_grads.then(|| grads.gw.get(l).and_then(|g| g.get(i * net.layers[l].units() + j)).copied()).flatten(),
                String::new(),
            ),
            Focus::Bias(l, j) if l < net.layers.len() && j < net.layers[l].units() => (
                l,
                format!("bias b[{}]{}", l + 1, j + 1),
                net.layers[l].b[j],
                has_grads.then(|| grads.gb.get(l).and_then(|g| g.get(j)).copied()).flatten(),
                String::new(),
            ),
            Focus::Neuron(l, j) if l < net.layers.len() && j < net.layers[l].units() => (
                l,
                format!("neuron {} of layer {}", j + 1, l + 1),
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
                <div>{ if matches!(f, Focus::Neuron(..)) { "bias b = " } else { "value = " } }<span data-testid="focus-value">{ fmt(value) }</span></div>
                <div>{ if matches!(f, Focus::Neuron(..)) { "∂L/∂b = " } else { "∂L/∂θ = " } }
                    <span data-testid="focus-grad">{ grad.map(fmt).unwrap_or_else(|| "— (no step yet)".into()) }</span></div>
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
    let leave = {
        let on_focus = props.on_focus.clone();
        Callback::from(move |_: MouseEvent| on_focus.emit(None))
    };
    html! {
        <div class="network" data-testid="network">
            <div class="network-bar">
                <button type="button" class="btn btn-small" data-testid="layer-add" onclick={add_layer}
                    disabled={cfg.hidden.len() >= limits::MAX_LAYERS}>{ "+ layer" }</button>
                <button type="button" class="btn btn-small" data-testid="layer-remove" onclick={remove_layer}
                    disabled={cfg.hidden.is_empty()}>{ "− layer" }</button>
                <span class="muted">{ format!("{} hidden layer{} · {} parameters", cfg.hidden.len(), if cfg.hidden.len() == 1 { "" } else { "s" }, net.param_count()) }</span>
            </div>
            <div class="network-scroll">
                <div class="network-canvas" ref={root} style={format!("width:{}px;height:{}px", g.width, g.height)} onmouseleave={leave}>
                    <svg class="links" width={g.width.to_string()} height={g.height.to_string()} aria-hidden="true">{ for links }</svg>
                    { for headers }
                    { for nodes }
                </div>
            </div>
            { card.unwrap_or_default() }
        </div>
    }
}
