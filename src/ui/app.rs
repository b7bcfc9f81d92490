//! The main screen: header with the timeline, training settings, and three columns —
//! data, network, output. The trainer lives in an [`Engine`] outside Yew state; a
//! `requestAnimationFrame` loop trains and draws, and small summaries go into state.

use super::banner::{Banner, Level, Message};
use super::controls::{DataPanel, TrainingBar};
use super::engine::{Engine, EngineHandle, Granularity};
use super::inspector::{Inspector, Target};
use super::lessons_panel::LessonsPanel;
use super::png::SavePng;
use super::share_bar::ShareBar;
use super::network_view::{Focus, NetworkView};
use super::output_plot::OutputPlot;
use super::step_panel::{self, StepBar};
use super::timeline::Timeline;
use super::{hash, loss_chart, output_plot};
use crate::train::gradcheck::{self, GradCheck};
use crate::train::playground::{Playground, Source};
use gloo::render::{request_animation_frame, AnimationFrame};
use std::cell::RefCell;
use std::rc::Rc;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

/// Messages shown in the banner.
pub enum MsgAction {
    /// Adds a message (the same text is shown once).
    Push(Message),
    /// Clears all.
    Clear,
}

#[derive(Default, PartialEq)]
struct Messages(Vec<Message>);

impl Reducible for Messages {
    type Action = MsgAction;
    fn reduce(self: Rc<Self>, action: MsgAction) -> Rc<Self> {
        match action {
            MsgAction::Push(m) => {
                if self.0.contains(&m) {
                    return self;
                }
                let mut v = self.0.clone();
                v.push(m);
                if v.len() > 6 {
                    v.remove(0);
                }
                Rc::new(Messages(v))
            }
            MsgAction::Clear => Rc::new(Messages(Vec::new())),
        }
    }
}

fn now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

/// Canvases the loop draws on.
#[derive(Clone, PartialEq)]
struct Canvases {
    output: NodeRef,
    loss: NodeRef,
    /// Per-layer gradient norms.
    norms: NodeRef,
    /// Whether the chart shows accuracy instead of loss.
    accuracy: Rc<std::cell::Cell<bool>>,
}

fn draw_all(engine: &EngineHandle, canvases: &Canvases, with_chart: bool) {
    let e = engine.0.borrow();
    if let Some(c) = canvases.output.cast::<HtmlCanvasElement>() {
        output_plot::draw(&c, &e);
    }
    if with_chart {
        if let Some(c) = canvases.loss.cast::<HtmlCanvasElement>() {
            let accuracy = canvases.accuracy.get() && !e.config.regression();
            loss_chart::draw(&c, &e.curves, e.config.log_scale && !accuracy, accuracy);
        }
        if let Some(c) = canvases.norms.cast::<HtmlCanvasElement>() {
            step_panel::draw_grad_norms(&c, &e);
        }
    }
}

fn fmt_loss(v: f64) -> String {
    if v.is_nan() {
        "—".into()
    } else {
        format!("{v:.3}")
    }
}

fn fmt_acc(v: f64) -> String {
    if v.is_nan() {
        "—".into()
    } else {
        format!("{:.1}%", v * 100.0)
    }
}

/// The application.
#[component]
pub fn App() -> Html {
    let messages = use_reducer(Messages::default);
    // Built once: the configuration from the link, its notices, and the engine.
    let boot = use_memo((), |_| {
        let (cfg, notices) = hash::load();
        let (cfg, notices, e) = match Engine::new(cfg.clone()) {
            Ok(e) => (cfg, notices.iter().map(|n| n.message()).collect::<Vec<_>>(), e),
            Err(err) => {
                let cfg = Playground::default();
                let e = Engine::new(cfg.clone()).expect("the default configuration builds");
                (cfg, vec![format!("The link's configuration could not be built ({err}); the defaults are used.")], e)
            }
        };
        (cfg, notices, EngineHandle(Rc::new(RefCell::new(e))))
    });
    let engine: EngineHandle = boot.2.clone();
    let config = use_state(|| boot.0.clone());
    let summary = use_state(|| engine.0.borrow().summary());
    let playing = use_state(|| false);
    let focus = use_state(|| None::<Focus>);
    let add_class = use_state(|| true);
    let show_acc = use_state(|| false);
    let accuracy_flag = use_memo((), |_| Rc::new(std::cell::Cell::new(false)));
    accuracy_flag.set(*show_acc);
    let canvases = Canvases { output: use_node_ref(), loss: use_node_ref(), norms: use_node_ref(), accuracy: (*accuracy_flag).clone() };
    let step_mode = use_state(|| false);
    let granularity = use_state(|| Granularity::Batch);
    let inspect = use_state(|| None::<Focus>);
    let sample = use_state(|| 0usize);
    let check = use_state(|| None::<Result<GradCheck, String>>);

    // Start-up: notices from the link, the panic self-test, the first drawing.
    {
        let messages = messages.clone();
        let boot = boot.clone();
        let engine = engine.clone();
        let canvases = canvases.clone();
        use_effect_with((), move |_| {
            for n in &boot.1 {
                messages.dispatch(MsgAction::Push(Message { level: Level::Notice, text: n.clone() }));
            }
            let self_test = hash::debug_panic();
            hash::store(&boot.0);
            draw_all(&engine, &canvases, true);
            if self_test {
                panic!("debug-panic requested in the URL (self-test of the error banner)");
            }
        });
    }

    // Redraw when the engine changed outside the animation loop.
    {
        let engine = engine.clone();
        let canvases = canvases.clone();
        use_effect_with((summary.version, (*config).clone(), *show_acc), move |_| draw_all(&engine, &canvases, true));
    }

    // The animation loop while playing.
    {
        let engine = engine.clone();
        let canvases = canvases.clone();
        let summary = summary.clone();
        let playing_h = playing.clone();
        let messages = messages.clone();
        use_effect_with(*playing, move |&on| {
            let handle: Rc<RefCell<Option<AnimationFrame>>> = Rc::new(RefCell::new(None));
            if on {
                let last_ui = Rc::new(RefCell::new(0.0f64));
                let tick: Rc<dyn Fn() -> bool> = Rc::new(move || {
                    let t0 = now();
                    let (diverged, ui_due) = {
                        let mut e = engine.0.borrow_mut();
                        e.train_frame(&now, 6.0);
                        let diverged = e.trainer.divergence();
                        let ui_due = t0 - *last_ui.borrow() > 100.0 || diverged.is_some();
                        // The output map is computed a slice at a time within the frame's budget
                        // (about 6 ms of work, less on frames that also refresh the panels).
                        let budget = if ui_due { 3.0 } else { 6.0 };
                        while !e.compute_output_slice(250) && now() - t0 < budget {}
                        if ui_due {
                            *last_ui.borrow_mut() = t0;
                            e.record_metrics();
                            e.compute_neurons();
                            e.touch();
                        }
                        (diverged, ui_due)
                    };
                    draw_all(&engine, &canvases, ui_due);
                    if ui_due {
                        summary.set(engine.0.borrow().summary());
                    }
                    if let Some(why) = diverged {
                        let lr = engine.0.borrow().config.lr;
                        messages.dispatch(MsgAction::Push(Message {
                            level: Level::Error,
                            text: format!(
                                "Training paused: {why}. The learning rate {lr} is too large for this network and optimizer \
                                 — the updates overshoot and grow without bound. Try a smaller learning rate (e.g. 0.03), \
                                 then press Reset."
                            ),
                        }));
                        playing_h.set(false);
                        return false;
                    }
                    true
                });
                schedule(handle.clone(), tick);
            }
            move || {
                handle.borrow_mut().take();
            }
        });
    }

    // Memoised on the configuration, so panels whose props did not change skip re-rendering
    // while the animation loop updates the counters.
    let on_change = {
        let config = config.clone();
        let engine = engine.clone();
        let messages = messages.clone();
        let summary = summary.clone();
        use_callback((*config).clone(), move |next: Playground, _| {
            let old = (*config).clone();
            if next == old {
                return;
            }
            if next.needs_rebuild(&old) {
                match Engine::new(next.clone()) {
                    Ok(mut fresh) => {
                        let trained = engine.0.borrow().trainer.updates() > 0;
                        let shape_changed = next.hidden != old.hidden || next.features != old.features || next.head != old.head;
                        fresh.palette = engine.0.borrow().palette;
                        let (on, g) = { let e = engine.0.borrow(); (e.step_mode, e.granularity) };
                        fresh.set_granularity(g);
                        fresh.set_step_mode(on);
                        *engine.0.borrow_mut() = fresh;
                        if trained && shape_changed {
                            messages.dispatch(MsgAction::Push(Message {
                                level: Level::Notice,
                                text: "The network's shape changed, so it starts again from new initial weights.".into(),
                            }));
                        }
                    }
                    Err(err) => {
                        messages.dispatch(MsgAction::Push(Message { level: Level::Error, text: format!("That setting cannot be used: {err}. The previous settings are kept.") }));
                        return;
                    }
                }
            } else {
                let result = engine.0.borrow_mut().apply_live(&next);
                match result {
                    Ok(Some(note)) => messages.dispatch(MsgAction::Push(Message { level: Level::Notice, text: note })),
                    Ok(None) => {}
                    Err(err) => {
                        messages.dispatch(MsgAction::Push(Message { level: Level::Error, text: format!("That setting cannot be used: {err}. The previous settings are kept.") }));
                        return;
                    }
                }
            }
            hash::store(&next);
            config.set(next);
            engine.0.borrow_mut().touch();
            summary.set(engine.0.borrow().summary());
        })
    };

    let refresh = {
        let engine = engine.clone();
        let summary = summary.clone();
        move || {
            engine.0.borrow_mut().refresh();
            summary.set(engine.0.borrow().summary());
        }
    };
    let on_play = {
        let playing = playing.clone();
        let messages = messages.clone();
        let engine = engine.clone();
        let step_mode = step_mode.clone();
        Callback::from(move |_| {
            if *step_mode && !*playing {
                // Playing leaves step mode (tracing every update would slow training down).
                engine.0.borrow_mut().set_step_mode(false);
                step_mode.set(false);
            }
            if !*playing && engine.0.borrow().trainer.divergence().is_some() {
                messages.dispatch(MsgAction::Push(Message {
                    level: Level::Error,
                    text: "The network has diverged (NaN or infinite values). Press Reset, and lower the learning rate.".into(),
                }));
                return;
            }
            playing.set(!*playing);
        })
    };
    let on_step = {
        let engine = engine.clone();
        let refresh = refresh.clone();
        let playing = playing.clone();
        Callback::from(move |_| {
            playing.set(false);
            if engine.0.borrow().trainer.divergence().is_some() {
                return;
            }
            engine.0.borrow_mut().step_once();
            refresh();
        })
    };
    let on_reset = {
        let engine = engine.clone();
        let summary = summary.clone();
        let playing = playing.clone();
        let messages = messages.clone();
        Callback::from(move |_| {
            playing.set(false);
            engine.0.borrow_mut().reset();
            messages.dispatch(MsgAction::Clear);
            summary.set(engine.0.borrow().summary());
        })
    };
    let on_new_weights = {
        let config = config.clone();
        let on_change = on_change.clone();
        let playing = playing.clone();
        Callback::from(move |_| {
            playing.set(false);
            let mut p = (*config).clone();
            p.weight_seed = p.weight_seed.wrapping_add(1) % 100_000;
            on_change.emit(p);
        })
    };
    let on_speed = {
        let config = config.clone();
        let on_change = on_change.clone();
        Callback::from(move |i: usize| {
            let mut p = (*config).clone();
            p.speed = i;
            on_change.emit(p);
        })
    };
    let on_add = {
        let config = config.clone();
        let on_change = on_change.clone();
        let add_class = add_class.clone();
        Callback::from(move |(x1, x2, other): (f64, f64, bool)| {
            let mut p = (*config).clone();
            if p.added.len() >= crate::train::playground::limits::MAX_ADDED {
                return;
            }
            let class1 = *add_class != other;
            let y = if class1 { 1.0 } else if p.regression() { -1.0 } else { 0.0 };
            let r = |v: f64| (v * 100.0).round() / 100.0;
            p.added.push((r(x1), r(x2), y));
            on_change.emit(p);
        })
    };
    let on_remove = {
        let config = config.clone();
        let on_change = on_change.clone();
        Callback::from(move |src: Source| {
            let mut p = (*config).clone();
            match src {
                Source::Generated(i) => {
                    p.removed.push(i);
                    p.removed.sort_unstable();
                }
                Source::Added(j) => {
                    if j < p.added.len() {
                        p.added.remove(j);
                    }
                }
            }
            on_change.emit(p);
        })
    };
    let toggle = |f: fn(&mut Playground)| {
        let config = config.clone();
        let on_change = on_change.clone();
        Callback::from(move |_: Event| {
            let mut p = (*config).clone();
            f(&mut p);
            on_change.emit(p);
        })
    };
    let on_focus = {
        let focus = focus.clone();
        let inspect = inspect.clone();
        use_callback((), move |f: Option<Focus>, _| {
            if f.is_some() {
                inspect.set(f);
            }
            focus.set(f)
        })
    };
    // Step mode: after a phase, refresh the views (metrics and heatmaps only when the
    // parameters changed, i.e. an update was made or undone).
    let after_phase = {
        let engine = engine.clone();
        let summary = summary.clone();
        let check = check.clone();
        move |before: u64| {
            let changed = engine.0.borrow().trainer.updates() != before;
            if changed {
                engine.0.borrow_mut().refresh();
            } else {
                engine.0.borrow_mut().touch();
            }
            check.set(None);
            summary.set(engine.0.borrow().summary());
        }
    };
    let on_step_mode = {
        let engine = engine.clone();
        let playing = playing.clone();
        let step_mode = step_mode.clone();
        let after_phase = after_phase.clone();
        Callback::from(move |on: bool| {
            playing.set(false);
            engine.0.borrow_mut().set_step_mode(on);
            step_mode.set(on);
            let u = engine.0.borrow().trainer.updates();
            after_phase(u);
        })
    };
    let on_granularity = {
        let engine = engine.clone();
        let granularity = granularity.clone();
        let after_phase = after_phase.clone();
        Callback::from(move |g: Granularity| {
            engine.0.borrow_mut().set_granularity(g);
            granularity.set(g);
            let u = engine.0.borrow().trainer.updates();
            after_phase(u);
        })
    };
    let on_next = {
        let engine = engine.clone();
        let after_phase = after_phase.clone();
        let step_mode = step_mode.clone();
        let messages = messages.clone();
        Callback::from(move |_: ()| {
            if !*step_mode {
                return;
            }
            let before = engine.0.borrow().trainer.updates();
            if engine.0.borrow().trainer.divergence().is_some() {
                messages.dispatch(MsgAction::Push(Message {
                    level: Level::Error,
                    text: "The network has diverged (NaN or infinite values). Press Reset, and lower the learning rate.".into(),
                }));
                return;
            }
            engine.0.borrow_mut().next_phase();
            after_phase(before);
        })
    };
    let on_prev = {
        let engine = engine.clone();
        let after_phase = after_phase.clone();
        let step_mode = step_mode.clone();
        Callback::from(move |_: ()| {
            if !*step_mode {
                return;
            }
            let before = engine.0.borrow().trainer.updates();
            if engine.0.borrow_mut().prev_phase() {
                after_phase(before);
            }
        })
    };
    let on_sample = {
        let sample = sample.clone();
        Callback::from(move |r: usize| sample.set(r))
    };
    let on_check = {
        let engine = engine.clone();
        let check = check.clone();
        let inspect = inspect.clone();
        Callback::from(move |_: ()| {
            let (l, i, j) = Target::from_focus(*inspect).check_weight();
            let result = gradcheck::check_weight(&engine.0.borrow().trainer, l, i, j);
            check.set(Some(result));
        })
    };
    let on_add_class = {
        let a = add_class.clone();
        use_callback((), move |v: bool, _| a.set(v))
    };
    // Lessons and imports: the new configuration, from its initial weights, paused.
    let on_load = {
        let (on_change, engine, summary, playing, messages) = (on_change.clone(), engine.clone(), summary.clone(), playing.clone(), messages.clone());
        Callback::from(move |p: Playground| {
            playing.set(false);
            messages.dispatch(MsgAction::Clear);
            engine.0.borrow_mut().reset(); // so a new shape is no surprise worth a notice
            on_change.emit(p);
            engine.0.borrow_mut().reset();
            summary.set(engine.0.borrow().summary());
        })
    };
    let on_message = {
        let messages = messages.clone();
        Callback::from(move |m: Message| messages.dispatch(MsgAction::Push(m)))
    };
    let dismiss = {
        let messages = messages.clone();
        Callback::from(move |_| messages.dispatch(MsgAction::Clear))
    };

    let cfg = (*config).clone();
    let s = (*summary).clone();
    let (cur_phase, phase_text, can_prev) = {
        let e = engine.0.borrow();
        let p = (*step_mode).then(|| step_panel::current_phase(&e)).flatten();
        (p, step_panel::phase_text(&e), e.trainer.history_len() > 0 || e.trainer.phases_done() > 0)
    };
    let points = {
        let e = engine.0.borrow();
        format!("{} train, {} validation, {} test points", e.train.len(), e.validation.len(), e.test.len())
    };
    let classification = !cfg.regression();
    let plot_label = format!(
        "Output of the network over the plane with the data points. Training loss {}, test loss {}.",
        fmt_loss(s.train_loss),
        fmt_loss(s.test_loss)
    );
    html! {
        <div class="app">
            <header class="app-header" data-testid="app-header">
                <h1><span class="logo" aria-hidden="true">{ "∇" }</span>{ "gradlab · 梯度实验室" }</h1>
                <p class="tagline">{ "Watch a neural network learn — forward pass, backprop and every optimizer step." }</p>
            </header>
            <Banner messages={messages.0.clone()} on_dismiss={dismiss} />
            <div class="classroom">
                <LessonsPanel config={cfg.clone()} on_load={on_load.clone()} />
                <ShareBar config={cfg.clone()} engine={engine.clone()} on_import={on_load} {on_message} />
            </div>
            <section class="region region-controls" aria-label="training controls">
                <Timeline playing={*playing} summary={s.clone()} speed={cfg.speed} {on_play} {on_step} {on_reset}
                    {on_new_weights} {on_speed} />
                <TrainingBar config={cfg.clone()} on_change={on_change.clone()} />
                <StepBar on={*step_mode} granularity={*granularity} phase={phase_text} {can_prev}
                    on_toggle={on_step_mode} {on_granularity} {on_next} {on_prev} />
            </section>
            <main class="columns">
                <section class="region region-data" aria-label="data">
                    <h2>{ "Data" }</h2>
                    <DataPanel config={cfg.clone()} on_change={on_change.clone()} add_class={*add_class}
                        {on_add_class} />
                </section>
                <section class="region region-network" aria-label="network">
                    <h2>{ "Network" }</h2>
                    <NetworkView engine={engine.clone()} config={cfg.clone()} version={s.version}
                        on_change={on_change.clone()} focus={*focus} {on_focus} phase={cur_phase} />
                    if *step_mode {
                        <Inspector engine={engine.clone()} version={s.version} target={Target::from_focus(*inspect)}
                            sample={*sample} {on_sample} phase={cur_phase} check={(*check).clone()} {on_check} />
                    }
                </section>
                <section class="region region-output" aria-label="output">
                    <h2>{ "Output" }</h2>
                    if cfg.dataset.is_2d() {
                        <OutputPlot engine={engine.clone()} canvas={canvases.output.clone()} {on_add} {on_remove} label={plot_label} />
                        <SavePng canvas={canvases.output.clone()} file_name="gradlab-output.png" testid="png-output" what={("output plot".into(), "输出图".into())} />
                        <div class="toggles">
                            <label><input type="checkbox" data-testid="show-test" checked={cfg.show_test}
                                onchange={toggle(|p| p.show_test = !p.show_test)} />{ " show test data" }</label>
                            <label><input type="checkbox" data-testid="discretize" checked={cfg.discretize}
                                onchange={toggle(|p| p.discretize = !p.discretize)} />{ " discretize output" }</label>
                        </div>
                        <p class="legend small">
                            <span data-testid="points">{ points }</span>{ " · " }
                            <span class="shape">{ "●" }</span>{ " train  " }
                            <span class="shape">{ "◆" }</span>{ " validation  " }
                            <span class="shape">{ "▲" }</span>{ " test  " }
                            <span class="shape">{ "◎" }</span>{ " added by you" }
                        </p>
                    } else {
                        <p class="muted">{ "This data set has more than two inputs, so there is no plane to draw; follow the loss and accuracy below." }</p>
                    }
                    <div class="metrics">
                        <div class="metric m-train"><span class="swatch solid" />{ "Training loss " }<b data-testid="loss-train">{ fmt_loss(s.train_loss) }</b></div>
                        if s.validation_loss.is_finite() {
                            <div class="metric m-val"><span class="swatch dotted" />{ "Validation loss " }<b data-testid="loss-validation">{ fmt_loss(s.validation_loss) }</b></div>
                        }
                        <div class="metric m-test"><span class="swatch dashed" />{ "Test loss " }<b data-testid="loss-test">{ fmt_loss(s.test_loss) }</b></div>
                        if classification {
                            <div class="metric">{ "Accuracy: train " }<b data-testid="acc-train">{ fmt_acc(s.train_acc) }</b>
                                { ", test " }<b data-testid="acc-test">{ fmt_acc(s.test_acc) }</b></div>
                        }
                    </div>
                    <canvas ref={canvases.loss.clone()} class="loss-canvas" data-testid="loss-chart" role="img"
                        aria-label={if *show_acc && classification {
                            format!("Accuracy over updates: training {}, test {}", fmt_acc(s.train_acc), fmt_acc(s.test_acc))
                        } else {
                            format!("Loss over updates: training {}, test {}", fmt_loss(s.train_loss), fmt_loss(s.test_loss))
                        }} />
                    <div class="toggles small">
                        <SavePng canvas={canvases.loss.clone()} file_name="gradlab-chart.png" testid="png-loss" what={("loss chart".into(), "损失图".into())} />
                        if classification {
                            <label><input type="checkbox" data-testid="show-accuracy" checked={*show_acc}
                                onchange={{ let a = show_acc.clone(); Callback::from(move |_: Event| a.set(!*a)) }} />{ " accuracy instead of loss" }</label>
                        }
                        <label><input type="checkbox" data-testid="log-scale" checked={cfg.log_scale} disabled={*show_acc && classification}
                            onchange={toggle(|p| p.log_scale = !p.log_scale)} />{ " log scale" }</label>
                    </div>
                    <h3 class="chart-title">{ "Gradient norm per layer ‖∂L/∂θ‖" }</h3>
                    <canvas ref={canvases.norms.clone()} class="norms-canvas" data-testid="grad-norm-chart" role="img"
                        aria-label="Per-layer gradient norms over recent updates, log scale" />
                </section>
            </main>
            <footer class="footer small muted">{ "gradlab — every number is computed by the engine whose gradients and optimizers are checked against PyTorch." }</footer>
        </div>
    }
}

fn schedule(handle: Rc<RefCell<Option<AnimationFrame>>>, tick: Rc<dyn Fn() -> bool>) {
    let h = handle.clone();
    let frame = request_animation_frame(move |_| {
        if tick() {
            schedule(h, tick);
        }
    });
    *handle.borrow_mut() = Some(frame);
}
