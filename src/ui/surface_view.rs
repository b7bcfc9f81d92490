//! The loss-surface view of the main training: the loss over a plane through the current
//! parameters (two random filter-normalized directions, or two chosen weights), computed
//! a few rows per animation frame with a progress bar, the trajectory of training
//! projected on it, and in step mode the update about to be made as arrows.

use super::engine::EngineHandle;
use super::i18n::use_lang;
use super::weight_select::WeightSelect;
use super::network_view::Focus;
use super::surface_canvas::{self, Arrow, ImageCache, Trail};
use crate::train::race::push_trail;
use crate::train::decimal::parse_f64;
use crate::train::step_preview::preview;
use crate::train::surface::{flat_index, Axes, LossProbe, Plane, Surface, WeightRef, RESOLUTIONS};
use crate::train::Trainer;
use gloo::render::AnimationFrame;
use super::canvas::{animate, now};
use std::cell::RefCell;
use std::hash::{Hash, Hasher};
use std::rc::Rc;
use web_sys::{HtmlCanvasElement, HtmlSelectElement};
use yew::prelude::*;

/// Half-widths of the grid offered.
pub const RANGES: [f64; 7] = [0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0];
/// Points kept in the trajectory.
const TRAIL_CAP: usize = 600;
/// Work per frame while computing (ms).
const FRAME_BUDGET: f64 = 4.0;

/// Identifies the network shape and data a surface was computed for.
pub(crate) fn fingerprint(t: &Trainer) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    t.net().spec().hash(&mut h);
    t.data().train_x.nrows().hash(&mut h);
    t.data().train_x.iter().chain(t.data().train_y.iter()).fold(0.0, |a, v| a + v).to_bits().hash(&mut h);
    h.finish()
}

/// The surface settings.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Settings {
    weights: bool,
    w1: WeightRef,
    w2: WeightRef,
    res: usize,
    range: f64,
    seed: u64,
    /// Bumped to recompute around the current parameters.
    recenter: u32,
}

#[derive(Default)]
struct State {
    surface: Option<Surface>,
    generation: u64,
    cache: ImageCache,
    trail: Vec<(f64, f64)>,
    last_updates: u64,
    fingerprint: u64,
    arrows: Vec<Arrow>,
}

/// Props of [`SurfaceView`].
#[derive(Properties, PartialEq)]
pub struct SurfaceViewProps {
    /// The engine.
    pub engine: EngineHandle,
    /// The engine's summary version (a new trajectory point when it changes).
    pub version: u64,
    /// The weight or neuron last focused in the network diagram.
    pub focus: Option<Focus>,
}

fn all_weights(t: &Trainer) -> Vec<WeightRef> {
    let mut out = Vec::new();
    for (layer, l) in t.net().layers.iter().enumerate() {
        for i in 0..l.inputs() {
            for j in 0..l.units() {
                out.push(WeightRef { layer, i, j });
            }
        }
    }
    out
}

fn build(engine: &EngineHandle, s: &Settings) -> Result<Surface, String> {
    let e = engine.0.borrow();
    let t = &e.trainer;
    let axes = if s.weights { Axes::Weights(s.w1, s.w2) } else { Axes::Random(s.seed) };
    let plane = Plane::new(t.net(), axes)?;
    Surface::new(plane, LossProbe::for_trainer(t), s.res, s.range)
}

fn redraw(canvas: &NodeRef, state: &mut State) {
    let Some(c) = canvas.cast::<HtmlCanvasElement>() else {
        return;
    };
    let State { surface, generation, cache, trail, arrows, .. } = state;
    let trails = [Trail { points: trail, color: "#d7263d", dash: &[], marker: 0 }];
    surface_canvas::draw(&c, surface.as_ref(), *generation, cache, &trails, arrows);
}

/// Arrow colours: gradient step, velocity, actual step.
pub const ARROW_COLOURS: [&str; 3] = ["#ffffff", "#ffb000", "#ff2d75"];

/// Projects the next update onto the plane as arrows scaled so the longest spans 30 % of
/// the half-width; returns them with the scale factor.
fn step_arrows(t: &Trainer, s: &Surface) -> Option<(Vec<Arrow>, f64)> {
    let p = preview(t)?;
    // The actual step first, so a velocity along it (SGD momentum: Δθ = −α b_t) stays visible on top.
    let mut deltas: Vec<((f64, f64), usize, &'static [f64])> =
        vec![(s.plane.project_delta(&p.step), 2, &[]), (s.plane.project_delta(&p.gradient), 0, &[4.0, 3.0])];
    if let Some(v) = &p.velocity {
        deltas.push((s.plane.project_delta(v), 1, &[1.5, 2.5]));
    }
    let longest = deltas.iter().map(|(d, _, _)| (d.0 * d.0 + d.1 * d.1).sqrt()).fold(0.0, f64::max);
    if !(longest.is_finite() && longest > 0.0) {
        return None;
    }
    let k = 0.3 * s.range / longest;
    let arrows =
        deltas.into_iter().map(|(d, c, dash)| Arrow { delta: (d.0 * k, d.1 * k), color: ARROW_COLOURS[c], dash }).collect();
    Some((arrows, k))
}

/// The loss-surface view.
#[component]
pub fn SurfaceView(props: &SurfaceViewProps) -> Html {
    let lang = use_lang();
    let canvas = use_node_ref();
    let state = use_mut_ref(State::default);
    let settings = use_state(|| Settings {
        weights: false,
        w1: WeightRef { layer: 0, i: 0, j: 0 },
        w2: WeightRef { layer: 0, i: 1, j: 0 },
        res: 31,
        range: 1.0,
        seed: 1,
        recenter: 0,
    });
    let progress = use_state(|| 0.0f64);
    let computing = use_state(|| false);
    let error = use_state(|| None::<String>);
    let arrow_scale = use_state(|| None::<f64>);

    // (Re)build the surface when the settings change.
    {
        let engine = props.engine.clone();
        let state = state.clone();
        let computing = computing.clone();
        let progress = progress.clone();
        let error = error.clone();
        let canvas = canvas.clone();
        use_effect_with(*settings, move |s| {
            match build(&engine, s) {
                Ok(surface) => {
                    let mut st = state.borrow_mut();
                    let e = engine.0.borrow();
                    st.generation += 1;
                    st.trail.clear();
                    st.trail.push((0.0, 0.0));
                    st.last_updates = e.trainer.updates();
                    st.fingerprint = fingerprint(&e.trainer);
                    st.arrows.clear();
                    st.surface = Some(surface);
                    error.set(None);
                    progress.set(0.0);
                    computing.set(true);
                    redraw(&canvas, &mut st);
                }
                Err(err) => error.set(Some(err)),
            }
        });
    }

    // Computes a few rows per animation frame.
    {
        let state = state.clone();
        let canvas = canvas.clone();
        let progress = progress.clone();
        let computing_h = computing.clone();
        use_effect_with(*computing, move |&on| {
            let handle: Rc<RefCell<Option<AnimationFrame>>> = Rc::new(RefCell::new(None));
            if on {
                let tick: Rc<dyn Fn(f64) -> bool> = Rc::new(move |_| {
                    let t0 = now();
                    let mut st = state.borrow_mut();
                    let Some(s) = st.surface.as_mut() else {
                        computing_h.set(false);
                        return false;
                    };
                    let mut p = s.progress();
                    while !s.done() && (now() - t0 < FRAME_BUDGET) {
                        p = s.compute_rows(1);
                    }
                    let done = s.done();
                    redraw(&canvas, &mut st);
                    progress.set(p);
                    if done {
                        computing_h.set(false);
                    }
                    !done
                });
                animate(handle.clone(), tick);
            }
            move || {
                handle.borrow_mut().take();
            }
        });
    }

    // A new trajectory point (and, in step mode, the next update's arrows) whenever the
    // engine changes; a new surface when its network or data changed.
    {
        let engine = props.engine.clone();
        let state = state.clone();
        let canvas = canvas.clone();
        let settings = settings.clone();
        let arrow_scale = arrow_scale.clone();
        let pending = use_mut_ref(|| None::<super::canvas::Deferred>);
        use_effect_with(props.version, move |_| {
            // Two frames later, so the panel refresh, the diagram and this canvas are
            // uploaded on different frames.
            let update = move || {
                let e = engine.0.borrow();
                let mut st = state.borrow_mut();
                let fp = fingerprint(&e.trainer);
                if st.surface.is_some() && fp != st.fingerprint {
                    st.fingerprint = fp;
                    let mut s = *settings;
                    let weights = all_weights(&e.trainer);
                    if flat_index(e.trainer.net(), s.w1).is_none() || flat_index(e.trainer.net(), s.w2).is_none() {
                        s.w1 = weights[0];
                        s.w2 = weights.get(1).copied().unwrap_or(weights[0]);
                    }
                    s.recenter += 1;
                    drop(st);
                    drop(e);
                    settings.set(s);
                    return;
                }
                let updates = e.trainer.updates();
                if updates < st.last_updates {
                    st.trail.clear();
                }
                st.last_updates = updates;
                let mut scale = None;
                let st = &mut *st;
                if let Some(s) = st.surface.as_ref() {
                    let p = s.plane.project(&e.trainer.net().flat_params());
                    if st.trail.last() != Some(&p) {
                        push_trail(&mut st.trail, p, TRAIL_CAP);
                    }
                    let arrows = if e.step_mode { step_arrows(&e.trainer, s) } else { None };
                    match arrows {
                        Some((a, k)) => {
                            st.arrows = a;
                            scale = Some(k);
                        }
                        None => st.arrows.clear(),
                    }
                }
                redraw(&canvas, st);
                arrow_scale.set(scale);
            };
            *pending.borrow_mut() = Some(super::canvas::after_frames(2, Box::new(update)));
        });
    }

    let (weights, last_layer, focused) = {
        let e = props.engine.0.borrow();
        let focused = match props.focus {
            Some(Focus::Weight(layer, i, j)) => {
                let w = WeightRef { layer, i, j };
                flat_index(e.trainer.net(), w).map(|_| w)
            }
            _ => None,
        };
        (all_weights(&e.trainer), e.trainer.net().layers.len() - 1, focused)
    };
    let s = *settings;
    let set = |f: fn(&mut Settings, &str)| {
        let settings = settings.clone();
        Callback::from(move |ev: Event| {
            let v = ev.target_unchecked_into::<HtmlSelectElement>().value();
            let mut s = *settings;
            f(&mut s, &v);
            settings.set(s);
        })
    };
    let on_w1 = {
        let settings = settings.clone();
        use_callback(*settings, move |w: WeightRef, _| {
            settings.set(Settings { w1: w, weights: true, ..*settings });
        })
    };
    let on_w2 = {
        let settings = settings.clone();
        use_callback(*settings, move |w: WeightRef, _| {
            settings.set(Settings { w2: w, weights: true, ..*settings });
        })
    };
    let use_focused = {
        let settings = settings.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(w) = focused {
                let mut s = *settings;
                if s.w1 != w {
                    s.w2 = s.w1;
                    s.w1 = w;
                }
                s.weights = true;
                settings.set(s);
            }
        })
    };
    let recenter = {
        let settings = settings.clone();
        Callback::from(move |_: MouseEvent| {
            let mut s = *settings;
            s.recenter += 1;
            settings.set(s);
        })
    };
    let new_dirs = {
        let settings = settings.clone();
        Callback::from(move |_: MouseEvent| {
            let mut s = *settings;
            s.seed = s.seed.wrapping_add(1);
            s.weights = false;
            settings.set(s);
        })
    };
    let pct = (*progress * 100.0).round();
    let step_mode = props.engine.0.borrow().step_mode;
    html! {
        <div class="lab-card surface-view">
            <h3 class="chart-title">{ lang.pick("Loss surface around the current weights", "当前权重附近的损失曲面") }</h3>
            <div class="lab-controls">
                <label class="field">
                    <span class="field-label">{ lang.pick("Axes", "坐标轴") }</span>
                    <select data-testid="surface-axes" onchange={set(|s, v| s.weights = v == "weights")}>
                        <option value="random" selected={!s.weights}>{ lang.pick("two random directions (filter-normalized)", "两个随机方向（按神经元归一化）") }</option>
                        <option value="weights" selected={s.weights}>{ lang.pick("two chosen weights", "两个选定的权重") }</option>
                    </select>
                </label>
                <WeightSelect weights={weights.clone()} {last_layer} current={s.w1} disabled={!s.weights}
                    label={lang.pick("Horizontal: weight", "横轴：权重").to_string()} testid="surface-w1" on_change={on_w1} />
                <WeightSelect {weights} {last_layer} current={s.w2} disabled={!s.weights}
                    label={lang.pick("Vertical: weight", "纵轴：权重").to_string()} testid="surface-w2" on_change={on_w2} />
                <button class="btn btn-small" data-testid="surface-use-focus" disabled={focused.is_none()} onclick={use_focused}
                    title={lang.pick("Hover or click a weight in the network diagram first", "先在网络图中悬停或点击一个权重")}>
                    { lang.pick("Use the focused weight", "使用选中的权重") }
                </button>
                <label class="field">
                    <span class="field-label">{ lang.pick("Resolution", "分辨率") }</span>
                    <select data-testid="surface-res" onchange={set(|s, v| if let Ok(r) = v.parse() { s.res = r })}>
                        { for RESOLUTIONS.iter().map(|r| html! { <option value={r.to_string()} selected={*r == s.res}>{ format!("{r} × {r}") }</option> }) }
                    </select>
                </label>
                <label class="field">
                    <span class="field-label">{ lang.pick("Range ±", "范围 ±") }</span>
                    <select data-testid="surface-range" onchange={set(|s, v| if let Some(r) = parse_f64(v) { s.range = r })}>
                        { for RANGES.iter().map(|r| html! { <option value={r.to_string()} selected={*r == s.range}>{ r.to_string() }</option> }) }
                    </select>
                </label>
                <button class="btn btn-small" data-testid="surface-recenter" onclick={recenter}>{ lang.pick("Recentre here", "以当前点为中心") }</button>
                <button class="btn btn-small" onclick={new_dirs}>{ lang.pick("New directions", "换一组方向") }</button>
            </div>
            if let Some(err) = &*error {
                <p class="field-error" role="alert">{ format!("{} {err}", lang.pick("The surface could not be made; the previous one is kept:", "无法生成损失曲面，保留原来的：")) }</p>
            }
            <div class="surface-wrap">
                <canvas ref={canvas.clone()} class="surface-canvas" data-testid="loss-surface" role="img"
                    aria-label={lang.pick("Loss over a plane through the current weights, dark is low; the red line is the path of training",
                        "经过当前权重的平面上的损失，颜色越深损失越低；红线是训练的路径")} />
                <super::png::SavePng canvas={canvas.clone()} file_name="gradlab-loss-surface.png" testid="png-surface" what={("loss surface".into(), "损失曲面".into())} />
                <div class="surface-side small">
                    <progress data-testid="surface-progress" max="100" value={pct.to_string()}
                        aria-label={lang.pick("Surface computed", "曲面计算进度")} />
                    <span>{ if *computing { format!("{} {pct}%", lang.pick("computing", "计算中")) } else { lang.pick("ready", "完成").to_string() } }</span>
                    <p class="legend">
                        <span class="ramp" aria-hidden="true" />{ lang.pick(" dark = low loss, light = high (log scale); white lines are iso-loss contours.", " 深色为低损失，浅色为高损失（对数刻度）；白线为等损失线。") }
                    </p>
                    <p class="legend"><span class="trail-swatch" aria-hidden="true" />{ lang.pick(" path of training, projected on the plane (● now)", " 训练路径在平面上的投影（● 当前）") }</p>
                    if step_mode {
                        if let Some(k) = *arrow_scale {
                            <p class="legend" data-testid="surface-arrows">
                                <span class="arrow-key grad">{ "⇢" }</span>{ lang.pick(" gradient step −α∇L  ", " 梯度步 −α∇L  ") }
                                <span class="arrow-key vel">{ "⇢" }</span>{ lang.pick(" velocity (momentum / Adam m̂)  ", " 速度（动量 / Adam m̂）  ") }
                                <span class="arrow-key step">{ "→" }</span>{ lang.pick(" actual step", " 实际更新") }
                                { format!(" (×{k:.2e})") }
                            </p>
                        } else {
                            <p class="legend muted">{ lang.pick("The next update's arrows appear here in step mode.", "单步模式下此处显示下一次更新的箭头。") }</p>
                        }
                    }
                    <p class="legend muted">{ lang.pick(
                        "The plane is fixed where it was computed; the network also moves off it, so the path is its shadow. Recentre to look again from here.",
                        "平面固定在计算时的位置；网络也会离开这个平面，所以路径只是它的投影。点击“以当前点为中心”重新计算。") }</p>
                </div>
            </div>
        </div>
    }
}
