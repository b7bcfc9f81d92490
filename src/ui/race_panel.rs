//! The optimizer race: 2–6 racers forked from the current weights, each with its own
//! optimizer preset and learning rate, trained in lock step on the same mini-batches by
//! the panel's own animation loop (with a time budget per frame). Shows the loss curves,
//! a decision-boundary thumbnail per racer (2-D data), the racers' paths on one shared
//! loss surface, and a table of loss and accuracy at the current update.

use super::canvas::{animate, blit_rgba, now, prepare, scratch_canvas};
use super::engine::{EngineHandle, DOMAIN};
use super::i18n::{use_lang, Lang};
use super::race_chart::{self, STYLES};
use super::surface_canvas::{self, ImageCache, Trail};
use super::surface_view::RANGES;
use crate::data::features::featurize;
use crate::data::Feature;
use crate::nn::network::Workspace;
use crate::nn::optimizer::OptimizerKind;
use crate::train::playground::Head;
use crate::train::decimal::parse_f64;
use crate::train::race::{push_trail, Race, RacerSpec, MAX_RACERS, MIN_RACERS};
use crate::train::surface::{Axes, LossProbe, Plane, Surface};
use crate::viz::heatmap::{clamp_signed, prob_to_signed};
use crate::viz::{Heatmap, Palette};
use gloo::render::AnimationFrame;
use ndarray::Array2;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use web_sys::{HtmlCanvasElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Training time per frame (ms); drawing comes on top, every few frames.
const TRAIN_BUDGET: f64 = 5.0;
/// Side of each thumbnail's grid.
const THUMB_GRID: usize = 32;
/// Grid of the shared surface.
const SURFACE_RES: usize = 21;

thread_local! {
    static SCRATCH: HtmlCanvasElement = scratch_canvas();
}

/// A change to one racer's settings (an error message refuses it).
type SpecEdit = Box<dyn Fn(&mut RacerSpec) -> Result<(), String>>;

/// A preset's name.
pub fn kind_name(lang: Lang, k: OptimizerKind) -> &'static str {
    match k {
        OptimizerKind::Sgd => "SGD",
        OptimizerKind::Momentum => lang.pick("Momentum 0.9", "动量 0.9"),
        OptimizerKind::Nesterov => lang.pick("Nesterov 0.9", "Nesterov 动量 0.9"),
        OptimizerKind::Adagrad => "AdaGrad",
        OptimizerKind::Rmsprop => "RMSProp",
        OptimizerKind::Adam => "Adam",
    }
}

fn racer_name(lang: Lang, s: &RacerSpec) -> String {
    format!("{} α={}", kind_name(lang, s.kind), s.lr)
}

/// What the table shows for one racer.
#[derive(Clone, Debug, PartialEq)]
struct Row {
    updates: u64,
    train_loss: f64,
    test_loss: f64,
    train_acc: f64,
    test_acc: f64,
    stopped: bool,
}

struct Thumbs {
    grid: Array2<f64>,
    map: Heatmap,
    ws: Workspace,
    rgba: Vec<u8>,
    head: Head,
    regression: bool,
    palette: Palette,
}

struct RaceState {
    race: Race,
    surface: Option<Surface>,
    generation: u64,
    cache: ImageCache,
    trails: Vec<Vec<(f64, f64)>>,
    thumbs: Option<Thumbs>,
    last_draw: f64,
    last_thumbs: f64,
    last_table: f64,
}

impl RaceState {
    fn rows(&self) -> Vec<Row> {
        self.race
            .racers
            .iter()
            .map(|r| Row {
                updates: r.trainer.updates(),
                train_loss: r.metrics.train_loss,
                test_loss: r.metrics.test_loss,
                train_acc: r.metrics.train_accuracy,
                test_acc: r.metrics.test_accuracy,
                stopped: r.stopped.is_some(),
            })
            .collect()
    }

    fn new_surface(&mut self, range: f64) {
        let Some(first) = self.race.racers.first() else {
            return;
        };
        let t = &first.trainer;
        // The plane goes through the common starting point.
        let mut start = t.net().clone();
        for (dst, src) in start.tensors_mut().zip(first.trainer.initial_net().clone().tensors_mut()) {
            dst.copy_from_slice(src);
        }
        self.surface = Plane::new(&start, Axes::Random(1))
            .and_then(|p| Surface::new(p, LossProbe::for_trainer(t), SURFACE_RES, range))
            .ok();
        self.generation += 1;
        self.trails = vec![Vec::new(); self.race.racers.len()];
        self.push_trails();
    }

    fn push_trails(&mut self) {
        let Some(s) = &self.surface else {
            return;
        };
        for (r, trail) in self.race.racers.iter().zip(self.trails.iter_mut()) {
            push_trail(trail, s.plane.project(&r.trainer.net().flat_params()), 500);
        }
    }

    fn draw(&mut self, chart: &NodeRef, surface: &NodeRef, names: &[String], log: bool) {
        if let Some(c) = chart.cast::<HtmlCanvasElement>() {
            race_chart::draw(&c, &self.race, names, log);
        }
        if let Some(c) = surface.cast::<HtmlCanvasElement>() {
            let trails: Vec<Trail> = self
                .trails
                .iter()
                .enumerate()
                .map(|(k, t)| {
                    let st = &STYLES[k % STYLES.len()];
                    Trail { points: t, color: st.color, dash: st.dash, marker: st.marker }
                })
                .collect();
            surface_canvas::draw(&c, self.surface.as_ref(), self.generation, &mut self.cache, &trails, &[]);
        }
    }

    fn draw_thumbs(&mut self, refs: &[NodeRef]) {
        let Some(th) = self.thumbs.as_mut() else {
            return;
        };
        for (r, node) in self.race.racers.iter().zip(refs) {
            let Some(c) = node.cast::<HtmlCanvasElement>() else {
                continue;
            };
            let ws = r.trainer.forward_block(&mut th.ws, th.grid.view());
            let last = r.trainer.net().layers.len() - 1;
            let k = r.trainer.net().outputs();
            for (cell, v) in th.map.values.iter_mut().enumerate() {
                let row = &ws.a[last][cell * k..(cell + 1) * k];
                *v = match th.head {
                    Head::SigmoidBce => prob_to_signed(row[0]),
                    Head::SoftmaxCe => prob_to_signed(row[k - 1]),
                    _ if th.regression => clamp_signed(row[0]),
                    _ => clamp_signed(prob_to_signed(row[0])),
                };
            }
            th.map.fill_rgba(&mut th.rgba, th.palette, false, |v| v);
            if let Some((ctx, w, h)) = prepare(&c) {
                SCRATCH.with(|s| blit_rgba(&ctx, s, &th.rgba, THUMB_GRID as u32, (0.0, 0.0, w.min(h), w.min(h))));
            }
        }
    }
}

fn thumbs_for(engine: &EngineHandle) -> Option<Thumbs> {
    let e = engine.0.borrow();
    if !e.config.dataset.is_2d() {
        return None;
    }
    let map = Heatmap::new(THUMB_GRID, DOMAIN.0, DOMAIN.1);
    let raw = Array2::from_shape_vec((THUMB_GRID * THUMB_GRID, 2), map.points()).ok()?;
    let features: &[Feature] = &e.config.features;
    Some(Thumbs {
        grid: featurize(&raw, features),
        map,
        ws: Workspace::default(),
        rgba: Vec::new(),
        head: e.config.head,
        regression: e.config.regression(),
        palette: e.palette,
    })
}

fn fmt(v: f64) -> String {
    if v.is_nan() {
        "—".into()
    } else if v.abs() >= 1e4 || (v != 0.0 && v.abs() < 1e-3) {
        format!("{v:.2e}")
    } else {
        format!("{v:.4}")
    }
}

fn fmt_acc(v: f64) -> String {
    if v.is_nan() {
        "—".into()
    } else {
        format!("{:.1}%", v * 100.0)
    }
}

/// A line sample with the racer's dash and marker (for the table and the setup list).
fn swatch(k: usize) -> Html {
    let st = &STYLES[k % STYLES.len()];
    let dash = st.dash.iter().map(|d| d.to_string()).collect::<Vec<_>>().join(" ");
    let m = match st.marker % 6 {
        0 => html! { <circle cx="15" cy="6" r="3.5" fill={st.color} stroke="#fff" /> },
        1 => html! { <rect x="11.5" y="2.5" width="7" height="7" fill={st.color} stroke="#fff" /> },
        2 => html! { <polygon points="15,1.5 19,9.5 11,9.5" fill={st.color} stroke="#fff" /> },
        3 => html! { <polygon points="15,1 20,6 15,11 10,6" fill={st.color} stroke="#fff" /> },
        4 => html! { <path d="M11.5 2.5 L18.5 9.5 M18.5 2.5 L11.5 9.5" stroke={st.color} stroke-width="2" /> },
        _ => html! { <path d="M10.5 6 L19.5 6 M15 1.5 L15 10.5" stroke={st.color} stroke-width="2" /> },
    };
    html! {
        <svg class="race-swatch" width="30" height="12" viewBox="0 0 30 12" aria-hidden="true">
            <line x1="0" y1="6" x2="30" y2="6" stroke={st.color} stroke-width="2" stroke-dasharray={dash} />
            { m }
        </svg>
    }
}

/// Props of [`RacePanel`].
#[derive(Properties, PartialEq)]
pub struct RacePanelProps {
    /// The engine (the race forks its trainer).
    pub engine: EngineHandle,
}

/// The race panel.
#[component]
pub fn RacePanel(props: &RacePanelProps) -> Html {
    let lang = use_lang();
    let specs = use_state(|| vec![RacerSpec::preset(OptimizerKind::Sgd), RacerSpec::preset(OptimizerKind::Adam)]);
    let running = use_state(|| false);
    let rows = use_state(Vec::<Row>::new);
    let error = use_state(|| None::<String>);
    let log = use_state(|| false);
    let range = use_state(|| 1.0f64);
    let log_flag = use_mut_ref(|| Cell::new(false));
    log_flag.borrow().set(*log);
    let state: Rc<RefCell<Option<RaceState>>> = use_mut_ref(|| None);
    let chart = use_node_ref();
    let surface = use_node_ref();
    let thumb_refs = use_memo((), |_| (0..MAX_RACERS).map(|_| NodeRef::default()).collect::<Vec<_>>());
    let names: Rc<Vec<String>> = Rc::new(specs.iter().map(|s| racer_name(lang, s)).collect());
    let is_2d = props.engine.0.borrow().config.dataset.is_2d();

    // The race's animation loop.
    {
        let state = state.clone();
        let running_h = running.clone();
        let rows = rows.clone();
        let chart = chart.clone();
        let surface = surface.clone();
        let thumb_refs = thumb_refs.clone();
        let names = names.clone();
        let log_flag = log_flag.clone();
        use_effect_with(*running, move |&on| {
            let handle: Rc<RefCell<Option<AnimationFrame>>> = Rc::new(RefCell::new(None));
            if on {
                let tick: Rc<dyn Fn(f64) -> bool> = Rc::new(move |_| {
                    let mut guard = state.borrow_mut();
                    let Some(rs) = guard.as_mut() else {
                        running_h.set(false);
                        return false;
                    };
                    rs.race.run_for(&now, TRAIN_BUDGET);
                    if let Some(s) = rs.surface.as_mut() {
                        if !s.done() {
                            s.compute_rows(1);
                        }
                    }
                    let t = now();
                    let stopped = rs.race.all_stopped();
                    if t - rs.last_draw > 100.0 || stopped {
                        rs.last_draw = t;
                        rs.race.record();
                        rs.push_trails();
                        rs.draw(&chart, &surface, &names, log_flag.borrow().get());
                    }
                    if t - rs.last_thumbs > 400.0 || stopped {
                        rs.last_thumbs = t;
                        rs.draw_thumbs(&thumb_refs);
                    }
                    if t - rs.last_table > 250.0 || stopped {
                        rs.last_table = t;
                        rows.set(rs.rows());
                    }
                    if stopped {
                        running_h.set(false);
                        return false;
                    }
                    true
                });
                animate(handle.clone(), tick);
            }
            move || {
                handle.borrow_mut().take();
            }
        });
    }

    // Redraw when the log scale, the range, the names or the layout change.
    {
        let state = state.clone();
        let chart = chart.clone();
        let surface = surface.clone();
        let thumb_refs = thumb_refs.clone();
        let names = names.clone();
        use_effect_with((*log, *range, (*names).clone(), rows.len()), move |(log, range, _, _)| {
            if let Some(rs) = state.borrow_mut().as_mut() {
                if rs.surface.as_ref().is_some_and(|s| s.range != *range) {
                    rs.new_surface(*range);
                }
                rs.draw(&chart, &surface, &names, *log);
                rs.draw_thumbs(&thumb_refs);
            }
        });
    }

    let discard = {
        let state = state.clone();
        let running = running.clone();
        let rows = rows.clone();
        move || {
            running.set(false);
            state.borrow_mut().take();
            rows.set(Vec::new());
        }
    };
    let fork = {
        let state = state.clone();
        let engine = props.engine.clone();
        let specs = specs.clone();
        let error = error.clone();
        let rows = rows.clone();
        let range = range.clone();
        move || -> bool {
            let race = {
                let e = engine.0.borrow();
                Race::fork(&e.trainer, &specs)
            };
            match race {
                Ok(race) => {
                    let mut rs = RaceState {
                        trails: vec![Vec::new(); race.racers.len()],
                        race,
                        surface: None,
                        generation: 0,
                        cache: ImageCache::default(),
                        thumbs: thumbs_for(&engine),
                        last_draw: 0.0,
                        last_thumbs: 0.0,
                        last_table: 0.0,
                    };
                    rs.new_surface(*range);
                    rows.set(rs.rows());
                    *state.borrow_mut() = Some(rs);
                    error.set(None);
                    true
                }
                Err(e) => {
                    error.set(Some(e));
                    false
                }
            }
        }
    };
    let on_start = {
        let running = running.clone();
        let state = state.clone();
        let fork = fork.clone();
        Callback::from(move |_: MouseEvent| {
            if *running {
                running.set(false);
                return;
            }
            let fresh = state.borrow().as_ref().is_none_or(|rs| rs.race.all_stopped());
            if fresh && !fork() {
                return;
            }
            running.set(true);
        })
    };
    let on_new = {
        let running = running.clone();
        let fork = fork.clone();
        Callback::from(move |_: MouseEvent| {
            if fork() {
                running.set(true);
            }
        })
    };
    let on_add = {
        let specs = specs.clone();
        let discard = discard.clone();
        Callback::from(move |_: MouseEvent| {
            if specs.len() >= MAX_RACERS {
                return;
            }
            let kind = OptimizerKind::ALL.into_iter().find(|k| specs.iter().all(|s| s.kind != *k)).unwrap_or(OptimizerKind::Adam);
            let mut v = (*specs).clone();
            v.push(RacerSpec::preset(kind));
            specs.set(v);
            discard();
        })
    };
    let edit = |k: usize| {
        let specs = specs.clone();
        let discard = discard.clone();
        let error = error.clone();
        move |f: SpecEdit| {
            let mut v = (*specs).clone();
            if let Some(s) = v.get_mut(k) {
                match f(s) {
                    Ok(()) => {
                        specs.set(v);
                        discard();
                        error.set(None);
                    }
                    Err(e) => error.set(Some(e)),
                }
            }
        }
    };
    let started = state.borrow().is_some();
    let classification = !props.engine.0.borrow().config.regression();
    let log_toggle = {
        let log = log.clone();
        Callback::from(move |_: Event| log.set(!*log))
    };
    let on_range = {
        let range = range.clone();
        Callback::from(move |ev: Event| {
            if let Some(r) = parse_f64(&ev.target_unchecked_into::<HtmlSelectElement>().value()) {
                range.set(r);
            }
        })
    };
    html! {
        <div class="lab-card race" data-testid="race">
            <h3 class="chart-title">{ lang.pick("Optimizer race — same start, same mini-batches", "优化器竞赛 —— 相同起点、相同小批量") }</h3>
            <p class="small muted">{ lang.pick(
                "Each racer is a copy of the current network with its own optimizer and learning rate, a fresh optimizer state, and the same shuffled mini-batches, so only the update rule differs.",
                "每位选手都是当前网络的副本，使用各自的优化器与学习率、全新的优化器状态以及同样打乱的小批量数据，因此只有更新规则不同。") }</p>
            <ol class="racers">
                { for specs.iter().enumerate().map(|(k, s)| {
                    let on_kind = {
                        let edit = edit(k);
                        Callback::from(move |ev: Event| {
                            let v = ev.target_unchecked_into::<HtmlSelectElement>().value();
                            if let Some(kind) = OptimizerKind::from_name(&v) {
                                edit(Box::new(move |s: &mut RacerSpec| { *s = RacerSpec { kind, lr: s.lr }; Ok(()) }));
                            }
                        })
                    };
                    let on_lr = {
                        let edit = edit(k);
                        Callback::from(move |ev: Event| {
                            let input = ev.target_unchecked_into::<HtmlInputElement>();
                            let text = input.value();
                            edit(Box::new(move |s: &mut RacerSpec| match parse_f64(text.trim()) {
                                Some(v) if v.is_finite() && v > 0.0 && v <= 10.0 => { s.lr = v; Ok(()) }
                                _ => Err(format!("learning rate: a number in (0, 10], got “{text}”")),
                            }));
                        })
                    };
                    let on_remove = {
                        let specs = specs.clone();
                        let discard = discard.clone();
                        Callback::from(move |_: MouseEvent| {
                            if specs.len() > MIN_RACERS {
                                let mut v = (*specs).clone();
                                v.remove(k);
                                specs.set(v);
                                discard();
                            }
                        })
                    };
                    html! {
                        <li class="racer" data-testid={format!("racer-{k}")}>
                            { swatch(k) }
                            <select aria-label={lang.pick("Optimizer", "优化器")} data-testid={format!("racer-opt-{k}")} onchange={on_kind}>
                                { for OptimizerKind::ALL.iter().map(|o| html! {
                                    <option value={o.name()} selected={*o == s.kind}>{ kind_name(lang, *o) }</option>
                                }) }
                            </select>
                            <label class="lr">{ "α " }
                                <input type="number" step="any" min="0" value={s.lr.to_string()} data-testid={format!("racer-lr-{k}")}
                                    aria-label={lang.pick("Learning rate", "学习率")} onchange={on_lr} />
                            </label>
                            <button class="btn btn-tiny" disabled={specs.len() <= MIN_RACERS} onclick={on_remove}
                                aria-label={lang.pick("Remove this racer", "移除该选手")} title={lang.pick("Remove", "移除")}>{ "×" }</button>
                        </li>
                    }
                }) }
            </ol>
            <div class="race-bar">
                <button class="btn btn-small" data-testid="race-add" disabled={specs.len() >= MAX_RACERS} onclick={on_add}>
                    { lang.pick("+ Add racer", "+ 添加选手") }
                </button>
                <button class={classes!("btn", "btn-play", running.then_some("playing"))} data-testid="race-start"
                    aria-pressed={running.to_string()} onclick={on_start}>
                    { if *running { lang.pick("Pause race", "暂停竞赛") } else if started { lang.pick("Resume race", "继续竞赛") } else { lang.pick("Start race", "开始竞赛") } }
                </button>
                <button class="btn btn-small" data-testid="race-new" onclick={on_new}
                    title={lang.pick("Fork the current weights again and start over", "从当前权重重新分叉并重新开始")}>
                    { lang.pick("Restart from current weights", "从当前权重重新开始") }
                </button>
                <label class="small"><input type="checkbox" data-testid="race-log" checked={*log} onchange={log_toggle} />
                    { lang.pick(" log scale", " 对数刻度") }</label>
            </div>
            if let Some(err) = &*error {
                <p class="field-error" role="alert">{ format!("{} {err}", lang.pick("Not changed:", "未更改：")) }</p>
            }
            <div class="race-grid">
                <div class="race-main">
                    <canvas ref={chart.clone()} class="race-chart" data-testid="race-chart" role="img"
                        aria-label={lang.pick("Training loss of each racer over updates", "各选手的训练损失随更新次数的变化")} />
                    <super::png::SavePng canvas={chart.clone()} file_name="gradlab-race.png" testid="png-race" what={("race chart".into(), "竞赛图".into())} />
                    <table class="race-table" data-testid="race-table">
                        <thead><tr>
                            <th>{ lang.pick("racer", "选手") }</th>
                            <th>{ lang.pick("update", "更新") }</th>
                            <th>{ lang.pick("train loss", "训练损失") }</th>
                            <th>{ lang.pick("test loss", "测试损失") }</th>
                            if classification {
                                <th>{ lang.pick("train acc.", "训练准确率") }</th>
                                <th>{ lang.pick("test acc.", "测试准确率") }</th>
                            }
                        </tr></thead>
                        <tbody>
                            { for rows.iter().zip(names.iter()).enumerate().map(|(k, (r, name))| html! {
                                <tr data-testid={format!("race-row-{k}")}>
                                    <td>{ swatch(k) }{ " " }{ name.clone() }
                                        if r.stopped { <span class="field-error">{ lang.pick(" (diverged)", "（发散）") }</span> }</td>
                                    <td data-testid={format!("race-updates-{k}")}>{ r.updates }</td>
                                    <td data-testid={format!("race-loss-{k}")}>{ fmt(r.train_loss) }</td>
                                    <td>{ fmt(r.test_loss) }</td>
                                    if classification {
                                        <td>{ fmt_acc(r.train_acc) }</td>
                                        <td>{ fmt_acc(r.test_acc) }</td>
                                    }
                                </tr>
                            }) }
                        </tbody>
                    </table>
                    if !started {
                        <p class="small muted">{ lang.pick("Press “Start race” to fork the current weights.", "按“开始竞赛”从当前权重分叉。") }</p>
                    }
                </div>
                <div class="race-side">
                    <canvas ref={surface} class="race-surface" data-testid="race-surface" role="img"
                        aria-label={lang.pick("The racers' paths on one loss surface through their common start (two random directions)",
                            "各选手在同一损失曲面上的路径（经过共同起点的两个随机方向）")} />
                    <label class="field inline small">
                        <span class="field-label">{ lang.pick("Range ±", "范围 ±") }</span>
                        <select onchange={on_range}>
                            { for RANGES.iter().map(|r| html! { <option value={r.to_string()} selected={*r == *range}>{ r.to_string() }</option> }) }
                        </select>
                    </label>
                </div>
            </div>
            if is_2d {
                <div class="race-thumbs">
                    { for specs.iter().enumerate().map(|(k, _)| html! {
                        <figure class="race-thumb">
                            <canvas ref={thumb_refs[k].clone()} data-testid={format!("race-thumb-{k}")} role="img"
                                aria-label={format!("{} {}", lang.pick("Decision boundary of", "决策边界："), names[k])} />
                            <figcaption>{ swatch(k) }{ names[k].clone() }</figcaption>
                        </figure>
                    }) }
                </div>
            }
        </div>
    }
}
