//! The main screen: header with the timeline, training settings, and three columns —
//! data, network, output. The trainer lives in an [`Engine`] outside Yew state; a
//! `requestAnimationFrame` loop trains and draws, and small summaries go into state.

use super::banner::{Banner, Level, Message};
use super::canvas::{animate, now};
use super::controls::{select, DataPanel, TrainingBar};
use super::engine::{Engine, EngineHandle, Granularity};
use super::glossary::{gloss, Term};
use super::i18n::Lang;
use super::keyboard::{use_shortcuts, ShortcutList, Shortcuts};
use super::inspector::{Inspector, Target};
use super::lab::OptimizerLab;
use super::lessons_panel::LessonsPanel;
use super::png::SavePng;
use super::share_bar::ShareBar;
use super::network_view::{Focus, NetworkView};
use super::output_plot::OutputPlot;
use super::scrubber::Scrubber;
use super::step_panel::{self, StepBar};
use super::timeline::Timeline;
use super::{hash, loss_chart, output_plot, prefs};
use crate::train::gradcheck::{self, CheckError, GradCheck};
use crate::train::playground::{Playground, Source};
use crate::train::frame_pace::{FrameKind, FramePace};
use crate::viz::Palette;
use gloo::render::AnimationFrame;
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

/// Canvases the loop draws on.
#[derive(Clone, PartialEq)]
struct Canvases {
    output: NodeRef,
    loss: NodeRef,
    /// Per-layer gradient norms.
    norms: NodeRef,
    /// Whether the chart shows accuracy instead of loss.
    accuracy: Rc<std::cell::Cell<bool>>,
    /// Presenter mode: thicker lines, larger labels.
    big: Rc<std::cell::Cell<bool>>,
    /// The UI language (chart captions).
    lang: Rc<std::cell::Cell<Lang>>,
}

fn draw_all(engine: &EngineHandle, canvases: &Canvases) {
    draw_output(engine, canvases);
    draw_charts(engine, canvases);
}

/// The output plot (heatmap and points).
fn draw_output(engine: &EngineHandle, canvases: &Canvases) {
    if let Some(c) = canvases.output.cast::<HtmlCanvasElement>() {
        output_plot::draw(&c, &engine.0.borrow(), canvases.big.get());
    }
}

/// The loss (or accuracy) chart and the gradient-norm chart.
fn draw_charts(engine: &EngineHandle, canvases: &Canvases) {
    draw_loss_chart(engine, canvases);
    draw_norms_chart(engine, canvases);
}

fn draw_loss_chart(engine: &EngineHandle, canvases: &Canvases) {
    let e = engine.0.borrow();
    if let Some(c) = canvases.loss.cast::<HtmlCanvasElement>() {
        let accuracy = canvases.accuracy.get() && !e.config.regression();
        loss_chart::draw(&c, &e.curves, e.config.log_scale && !accuracy, accuracy, canvases.big.get(), canvases.lang.get());
    }
}

fn draw_norms_chart(engine: &EngineHandle, canvases: &Canvases) {
    if let Some(c) = canvases.norms.cast::<HtmlCanvasElement>() {
        step_panel::draw_grad_norms(&c, &engine.0.borrow(), canvases.lang.get());
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

/// "That setting cannot be used", in both languages.
fn cannot_use(err: &str) -> Message {
    Message::new(
        Level::Error,
        format!("That setting cannot be used: {err}. The previous settings are kept."),
        format!("该设置无法使用：{err}。已保留之前的设置。"),
    )
}

/// The training has diverged.
fn diverged_msg() -> Message {
    Message::new(
        Level::Error,
        "The network has diverged (NaN or infinite values). Press Reset, and lower the learning rate.",
        "网络已经发散（出现 NaN 或无穷大）。请按“重置”，并调低学习率。",
    )
}

/// A note from [`Engine::apply_live`] with its Chinese text (the engine's notes are English).
fn engine_note(note: String) -> Message {
    let zh = if note.starts_with("The optimizer changed") {
        "优化器变了，所以它的状态（速度、滑动平均）从头开始；权重保持不变。".to_string()
    } else {
        note.clone()
    };
    Message::new(Level::Notice, note, zh)
}

/// The application.
#[component]
pub fn App() -> Html {
    let messages = use_reducer(Messages::default);
    // Built once: the configuration from the link, its notices, and the engine.
    let boot = use_memo((), |_| {
        let (cfg, notices) = hash::load();
        let (cfg, notices, e) = match Engine::new(cfg.clone()) {
            Ok(e) => (cfg, notices.iter().map(|n| (n.message(), n.message_zh())).collect::<Vec<_>>(), e),
            Err(err) => {
                let cfg = Playground::default();
                let e = Engine::new(cfg.clone()).unwrap_or_else(|e| panic!("the default configuration builds: {e}"));
                let msg = (
                    format!("The link's configuration could not be built ({err}); the defaults are used."),
                    format!("无法按链接中的配置建立网络（{err}），已改用默认配置。"),
                );
                (cfg, vec![msg], e)
            }
        };
        (cfg, notices, EngineHandle(Rc::new(RefCell::new(e))))
    });
    let engine: EngineHandle = boot.2.clone();
    let config = use_state(|| boot.0.clone());
    let summary = use_state(|| engine.0.borrow().summary());
    let playing = use_state(|| false);
    // Cleared the moment training is paused, so no frame already scheduled trains once more
    // before the loop's effect is cleaned up.
    let running = use_memo((), |_| Rc::new(std::cell::Cell::new(false)));
    let focus = use_state(|| None::<Focus>);
    let add_class = use_state(|| true);
    let show_acc = use_state(|| false);
    let accuracy_flag = use_memo((), |_| Rc::new(std::cell::Cell::new(false)));
    accuracy_flag.set(*show_acc);
    let lang = use_state(prefs::initial_lang);
    let presenter = use_state(prefs::initial_presenter);
    let palette = use_state(prefs::initial_palette);
    let help = use_state(|| false);
    let big_flag = use_memo((), |_| Rc::new(std::cell::Cell::new(false)));
    big_flag.set(*presenter);
    let lang_flag = use_memo((), |_| Rc::new(std::cell::Cell::new(Lang::En)));
    lang_flag.set(*lang);
    let canvases = Canvases {
        output: use_node_ref(),
        loss: use_node_ref(),
        norms: use_node_ref(),
        accuracy: (*accuracy_flag).clone(),
        big: (*big_flag).clone(),
        lang: (*lang_flag).clone(),
    };
    let step_mode = use_state(|| false);
    let granularity = use_state(|| Granularity::Batch);
    let inspect = use_state(|| None::<Focus>);
    let sample = use_state(|| 0usize);
    let check = use_state(|| None::<Result<GradCheck, CheckError>>);

    // Start-up: notices from the link, the panic self-test, the first drawing.
    {
        let messages = messages.clone();
        let boot = boot.clone();
        let engine = engine.clone();
        let canvases = canvases.clone();
        use_effect_with((), move |_| {
            for (en, zh) in &boot.1 {
                messages.dispatch(MsgAction::Push(Message::new(Level::Notice, en.clone(), zh.clone())));
            }
            let self_test = hash::debug_panic();
            hash::store(&boot.0);
            draw_all(&engine, &canvases);
            if self_test {
                panic!("debug-panic requested in the URL (self-test of the error banner)");
            }
        });
    }

    // Redraw when the engine changed outside the animation loop.
    {
        let engine = engine.clone();
        let canvases = canvases.clone();
        // While playing, the animation loop draws (spread over frames); this covers the rest.
        use_effect_with((summary.version, (*config).clone(), *show_acc, *presenter, *lang, *playing), move |(_, _, _, _, _, playing)| {
            if !*playing {
                draw_all(&engine, &canvases)
            }
        });
    }

    // The language: `<html lang>`, remembered.
    use_effect_with(*lang, |&l| {
        if let Some(root) = gloo::utils::document().document_element() {
            let _ = root.set_attribute("lang", l.code());
        }
        prefs::set(prefs::LANG, l.code());
    });
    use_effect_with(*presenter, |&on| prefs::set(prefs::PRESENTER, if on { "1" } else { "0" }));
    // The palette: the engine draws with it; remembered.
    {
        let engine = engine.clone();
        let summary = summary.clone();
        use_effect_with(*palette, move |&p| {
            if engine.0.borrow().palette != p {
                engine.0.borrow_mut().palette = p;
                engine.0.borrow_mut().touch();
                summary.set(engine.0.borrow().summary());
            }
            prefs::set(prefs::PALETTE, prefs::palette_code(p));
        });
    }

    // The animation loop while playing.
    {
        let engine = engine.clone();
        let canvases = canvases.clone();
        let summary = summary.clone();
        let playing_h = playing.clone();
        let messages = messages.clone();
        let running = (*running).clone();
        use_effect_with(*playing, move |&on| {
            let handle: Rc<RefCell<Option<AnimationFrame>>> = Rc::new(RefCell::new(None));
            running.set(on);
            if on {
                let last_ui = Rc::new(std::cell::Cell::new(0.0f64));
                // 0: nothing pending; 1: the diagram draws (its own deferred redraw); 2: the loss chart
                // (and the lab's surface); 3: the gradient-norm chart (and the lab's rate chart).
                let stage = Rc::new(std::cell::Cell::new(0u8));
                // At the fastest speed each kind of frame trains for as long as it can spare
                // (learned from the frame intervals), so the heavier frames do not overrun.
                let pace = RefCell::new(FramePace::new());
                // Each frame trains first. The panels refresh about ten times a second, spread
                // over four frames so no single frame carries all the drawing: frame one
                // evaluates the metrics and neuron maps and re-renders (counters, texts),
                // frame two is the diagram's canvas, frame three the loss chart, frame four
                // the gradient norms. The other frames advance the output map a slice at a
                // time and draw it only when a complete new map is ready.
                let tick: Rc<dyn Fn(f64) -> bool> = Rc::new(move |frame_time| {
                    if !running.get() {
                        return false;
                    }
                    let t0 = now();
                    let ui_due = stage.get() == 0 && t0 - last_ui.get() > 100.0;
                    let chart = stage.get();
                    let kind = match (ui_due, chart) {
                        (true, _) => FrameKind::Refresh,
                        (false, 0) => FrameKind::Light,
                        (false, k) => FrameKind::Chart(k - 1),
                    };
                    let budget = pace.borrow_mut().begin(frame_time, kind);
                    let (diverged, ui_due, chart, output_ready) = {
                        let mut e = engine.0.borrow_mut();
                        e.train_frame(&now, budget);
                        let diverged = e.trainer.divergence();
                        let mut output_ready = false;
                        if ui_due || diverged.is_some() {
                            last_ui.set(t0);
                            stage.set(1);
                            e.record_metrics();
                            e.compute_neurons();
                            e.touch();
                        } else if chart == 0 {
                            // Up to 4 ms of output map after training (timed from here, so
                            // the map also advances at the fastest speed).
                            let t1 = now();
                            while !output_ready && now() - t1 < 4.0 {
                                output_ready = e.compute_output_slice(250);
                            }
                        } else {
                            stage.set((chart + 1) % 4);
                        }
                        if diverged.is_some() {
                            e.compute_output();
                            output_ready = true;
                        }
                        let ui = ui_due || diverged.is_some();
                        (diverged, ui, chart, output_ready)
                    };
                    if output_ready {
                        draw_output(&engine, &canvases);
                    }
                    if diverged.is_some() {
                        draw_charts(&engine, &canvases);
                    } else if chart == 2 {
                        draw_loss_chart(&engine, &canvases);
                    } else if chart == 3 {
                        draw_norms_chart(&engine, &canvases);
                    }
                    if ui_due {
                        summary.set(engine.0.borrow().summary());
                    }
                    if let Some(why) = diverged {
                        let lr = engine.0.borrow().config.lr;
                        let (u, what) = { let e = engine.0.borrow(); (e.trainer.updates(), e.trainer.divergence().unwrap_or_default()) };
                        let why_zh = match what.strip_prefix("the loss became ").and_then(|r| r.split(" at update").next()) {
                            Some(v) => format!("损失在第 {u} 次更新时变成了 {v}"),
                            None => format!("某个参数在第 {u} 次更新时变成了 NaN 或无穷大"),
                        };
                        messages.dispatch(MsgAction::Push(Message::new(
                            Level::Error,
                            format!(
                                "Training paused: {why}. The learning rate {lr} is too large for this network and optimizer \
                                 — the updates overshoot and grow without bound. Try a smaller learning rate (e.g. 0.03), \
                                 then press Reset."
                            ),
                            format!(
                                "训练已暂停：{why_zh}。学习率 {lr} 对这个网络和优化器来说太大了——每次更新都冲过了头，\
                                 数值越来越大。请换一个更小的学习率（如 0.03），然后按“重置”。"
                            ),
                        )));
                        playing_h.set(false);
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
                            messages.dispatch(MsgAction::Push(Message::new(
                                Level::Notice,
                                "The network's shape changed, so it starts again from new initial weights.",
                                "网络结构变了，所以从新的初始权重重新开始。",
                            )));
                        }
                    }
                    Err(err) => {
                        messages.dispatch(MsgAction::Push(cannot_use(&err)));
                        return;
                    }
                }
            } else {
                let result = engine.0.borrow_mut().apply_live(&next);
                match result {
                    Ok(Some(note)) => messages.dispatch(MsgAction::Push(engine_note(note))),
                    Ok(None) => {}
                    Err(err) => {
                        messages.dispatch(MsgAction::Push(cannot_use(&err)));
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
        let running = (*running).clone();
        let refresh = refresh.clone();
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
                messages.dispatch(MsgAction::Push(diverged_msg()));
                return;
            }
            if *playing {
                // Pausing: the counters and views show exactly where training stopped.
                running.set(false);
                refresh();
            }
            playing.set(!*playing);
        })
    };
    let on_step = {
        let running = (*running).clone();
        let engine = engine.clone();
        let refresh = refresh.clone();
        let playing = playing.clone();
        Callback::from(move |_| {
            running.set(false);
            playing.set(false);
            if engine.0.borrow().trainer.divergence().is_some() {
                return;
            }
            engine.0.borrow_mut().step_once();
            refresh();
        })
    };
    let on_reset = {
        let running = (*running).clone();
        let engine = engine.clone();
        let summary = summary.clone();
        let playing = playing.clone();
        let messages = messages.clone();
        Callback::from(move |_| {
            running.set(false);
            playing.set(false);
            engine.0.borrow_mut().reset();
            messages.dispatch(MsgAction::Clear);
            summary.set(engine.0.borrow().summary());
        })
    };
    let on_new_weights = {
        let running = (*running).clone();
        let config = config.clone();
        let on_change = on_change.clone();
        let playing = playing.clone();
        Callback::from(move |_| {
            running.set(false);
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
                    // `removed` is kept sorted and distinct (as the URL codec writes it).
                    if let Err(at) = p.removed.binary_search(&i) {
                        p.removed.insert(at, i);
                    }
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
        let running = (*running).clone();
        let engine = engine.clone();
        let playing = playing.clone();
        let step_mode = step_mode.clone();
        let after_phase = after_phase.clone();
        Callback::from(move |on: bool| {
            running.set(false);
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
                messages.dispatch(MsgAction::Push(diverged_msg()));
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
    let on_go = {
        let engine = engine.clone();
        let after_phase = after_phase.clone();
        let playing = playing.clone();
        Callback::from(move |t: u64| {
            playing.set(false);
            engine.0.borrow_mut().go_to(t);
            // A full refresh (metrics and maps), whatever the update count now is.
            after_phase(u64::MAX);
        })
    };
    let toggle_lang = {
        let lang = lang.clone();
        Callback::from(move |_: ()| lang.set(lang.other()))
    };
    let toggle_presenter = {
        let presenter = presenter.clone();
        Callback::from(move |_: ()| presenter.set(!*presenter))
    };
    let open_help = {
        let help = help.clone();
        Callback::from(move |_: ()| help.set(!*help))
    };
    let close_help = {
        let help = help.clone();
        Callback::from(move |_: ()| help.set(false))
    };
    use_shortcuts(Shortcuts {
        play: on_play.clone(),
        step: if *step_mode { on_next.clone() } else { on_step.clone() },
        reset: on_reset.clone(),
        presenter: toggle_presenter.clone(),
        lang: toggle_lang.clone(),
        help: open_help.clone(),
        close_help: close_help.clone(),
        help_open: *help,
    });
    let on_palette = {
        let palette = palette.clone();
        Callback::from(move |p: Palette| palette.set(p))
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
            let result = gradcheck::check(&engine.0.borrow().trainer, Target::from_focus(*inspect).param());
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
    let (cur_phase, next_phase, layers, can_prev, diverged) = {
        let e = engine.0.borrow();
        let p = (*step_mode).then(|| step_panel::current_phase(&e)).flatten();
        let t = &e.trainer;
        (p, t.next_phase_kind(), t.net().layers.len(), t.history_len() > 0 || t.phases_done() > 0, t.divergence().is_some())
    };
    let l = *lang;
    let points = {
        let e = engine.0.borrow();
        let (tr, va, te) = (e.train.len(), e.validation.len(), e.test.len());
        match l {
            Lang::En => format!("{tr} train, {va} validation, {te} test points"),
            Lang::Zh => format!("训练 {tr} 个、验证 {va} 个、测试 {te} 个点"),
        }
    };
    let classification = !cfg.regression();
    let plot_label = match l {
        Lang::En => format!(
            "Output of the network over the plane with the data points. Training loss {}, test loss {}.",
            fmt_loss(s.train_loss),
            fmt_loss(s.test_loss)
        ),
        Lang::Zh => format!(
            "网络在整个平面上的输出及数据点。训练损失 {}，测试损失 {}。",
            fmt_loss(s.train_loss),
            fmt_loss(s.test_loss)
        ),
    };
    let chart_label = match (l, *show_acc && classification) {
        (Lang::En, true) => format!("Accuracy over updates: training {}, test {}", fmt_acc(s.train_acc), fmt_acc(s.test_acc)),
        (Lang::Zh, true) => format!("准确率随更新次数的变化：训练 {}，测试 {}", fmt_acc(s.train_acc), fmt_acc(s.test_acc)),
        (Lang::En, false) => format!("Loss over updates: training {}, test {}", fmt_loss(s.train_loss), fmt_loss(s.test_loss)),
        (Lang::Zh, false) => format!("损失随更新次数的变化：训练 {}，测试 {}", fmt_loss(s.train_loss), fmt_loss(s.test_loss)),
    };
    let palettes = vec![
        (Palette::OrangeBlue, l.pick("orange / blue", "橙 / 蓝").to_string()),
        (Palette::PurpleGreen, l.pick("purple / green (high contrast)", "紫 / 绿（高对比度）").to_string()),
    ];
    let root_class = classes!(
        "app",
        (*presenter).then_some("presenter"),
        (*palette == Palette::PurpleGreen).then_some("palette-pg"),
        if l == Lang::Zh { "lang-zh" } else { "lang-en" }
    );
    html! {
        <ContextProvider<Lang> context={l}>
        <div class={root_class}>
            <header class="app-header" data-testid="app-header">
                <h1><span class="logo" aria-hidden="true">{ "∇" }</span>{ "gradlab · 梯度实验室" }</h1>
                <p class="tagline">{ l.pick("Watch a neural network learn — forward pass, backprop and every optimizer step.",
                    "看神经网络如何学习——前向传播、反向传播和优化器的每一步。") }</p>
                <div class="header-tools">
                    <button type="button" class="btn btn-small" data-testid="lang" lang={l.other().code()}
                        aria-label={l.pick("中文 — switch the language to Chinese (L)", "English — 切换为英文界面（L）")}
                        title={l.pick("Switch to Chinese (L)", "切换为英文（L）")}
                        onclick={toggle_lang.reform(|_: MouseEvent| ())}>{ l.other().native_name() }</button>
                    <button type="button" class={classes!("btn", "btn-small", (*presenter).then_some("on"))} data-testid="presenter"
                        aria-pressed={presenter.to_string()}
                        title={l.pick("Presenter mode: large type, thick lines, fewer controls (P)", "演示模式：大字号、粗线条、精简控件（P）")}
                        onclick={toggle_presenter.reform(|_: MouseEvent| ())}>{ l.pick("Presenter", "演示模式") }</button>
                    <button type="button" class="btn btn-small" data-testid="shortcuts-button" aria-haspopup="dialog"
                        aria-label={l.pick("Keyboard shortcuts (?)", "键盘快捷键（?）")} title={l.pick("Keyboard shortcuts (?)", "键盘快捷键（?）")}
                        onclick={open_help.reform(|_: MouseEvent| ())}><span aria-hidden="true">{ "⌨ ?" }</span></button>
                </div>
            </header>
            <Banner messages={messages.0.clone()} on_dismiss={dismiss} />
            <div class="classroom">
                <LessonsPanel config={cfg.clone()} on_load={on_load.clone()} />
                <ShareBar config={cfg.clone()} engine={engine.clone()} on_import={on_load} {on_message} />
            </div>
            
            <section class="region region-controls" aria-label={l.pick("training controls", "训练控制")}>
                <Timeline playing={*playing} summary={s.clone()} speed={cfg.speed} {on_play} {on_step} {on_reset}
                    {on_new_weights} {on_speed} />
                <TrainingBar config={cfg.clone()} on_change={on_change.clone()} />
                <StepBar on={*step_mode} granularity={*granularity} phase={cur_phase} next={next_phase} {layers} {can_prev} {diverged}
                    on_toggle={on_step_mode} {on_granularity} {on_next} {on_prev} />
                if *step_mode {
                    <Scrubber engine={engine.clone()} version={s.version} on_go={on_go} />
                }
            </section>
            <main class="columns">
                <section class="region region-data" aria-labelledby="h-data">
                    <h2 id="h-data">{ l.pick("Data", "数据") }</h2>
                    <DataPanel config={cfg.clone()} on_change={on_change.clone()} add_class={*add_class}
                        {on_add_class} palette={*palette} />
                </section>
                <section class="region region-network" aria-labelledby="h-network">
                    <h2 id="h-network">{ l.pick("Network", "神经网络") }{ gloss(Term::NeuralNetwork) }</h2>
                    <p class="legend small net-legend" data-testid="network-legend">
                        { l.pick("Lines are weights", "连线是权重") }{ gloss(Term::Weight) }
                        { l.pick(" (colour = sign, thickness = size), small squares are biases",
                            "（颜色表示正负，粗细表示大小），小方块是偏置") }{ gloss(Term::Bias) }
                        { l.pick(". Training runs backpropagation", "。训练时运行反向传播") }{ gloss(Term::Backpropagation) }
                        { l.pick(" and gradient descent.", "和梯度下降。") }
                    </p>
                    <NetworkView engine={engine.clone()} config={cfg.clone()} version={s.version}
                        on_change={on_change.clone()} focus={*focus} {on_focus} phase={cur_phase}
                        pinned={if *step_mode { *inspect } else { None }} />
                    if *step_mode {
                        <Inspector engine={engine.clone()} version={s.version} target={Target::from_focus(*inspect)}
                            sample={*sample} {on_sample} phase={cur_phase} check={*check} {on_check} />
                    }
                </section>
                <section class="region region-output" aria-labelledby="h-output">
                    <h2 id="h-output">{ l.pick("Output", "输出") }</h2>
                    if cfg.dataset.is_2d() {
                        <OutputPlot engine={engine.clone()} canvas={canvases.output.clone()} {on_add} {on_remove} label={plot_label} />
                        <SavePng canvas={canvases.output.clone()} file_name="gradlab-output.png" testid="png-output" what={("output plot".into(), "输出图".into())} />
                                                <div class="toggles secondary">
                            <label><input type="checkbox" data-testid="show-test" checked={cfg.show_test}
                                onchange={toggle(|p| p.show_test = !p.show_test)} />{ l.pick(" show test data", " 显示测试数据") }</label>
                            <label><input type="checkbox" data-testid="discretize" checked={cfg.discretize}
                                onchange={toggle(|p| p.discretize = !p.discretize)} />{ l.pick(" discretize output", " 输出离散化") }</label>
                        </div>
                        <p class="legend small">
                            <span data-testid="points">{ points }</span>{ " · " }
                            <span class="shape" aria-hidden="true">{ "●" }</span>{ l.pick(" train  ", " 训练  ") }
                            <span class="shape" aria-hidden="true">{ "◆" }</span>{ l.pick(" validation  ", " 验证  ") }
                            <span class="shape" aria-hidden="true">{ "▲" }</span>{ l.pick(" test  ", " 测试  ") }
                            <span class="shape" aria-hidden="true">{ "◎" }</span>{ l.pick(" added by you", " 你添加的点") }
                        </p>
                    } else {
                        <p class="muted">{ l.pick(
                            "This data set has more than two inputs, so there is no plane to draw; follow the loss and accuracy below.",
                            "这个数据集的输入多于两个，无法画成平面；请看下面的损失和准确率。") }</p>
                    }
                    <div class="metrics">
                        <div class="metric m-train"><span class="swatch solid" aria-hidden="true" />{ l.pick("Training loss ", "训练损失 ") }
                            { gloss(Term::Loss) }{ " " }<b data-testid="loss-train">{ fmt_loss(s.train_loss) }</b></div>
                        if s.validation_loss.is_finite() {
                            <div class="metric m-val"><span class="swatch dotted" aria-hidden="true" />{ l.pick("Validation loss ", "验证损失 ") }<b data-testid="loss-validation">{ fmt_loss(s.validation_loss) }</b></div>
                        }
                        <div class="metric m-test"><span class="swatch dashed" aria-hidden="true" />{ l.pick("Test loss ", "测试损失 ") }<b data-testid="loss-test">{ fmt_loss(s.test_loss) }</b>
                            { gloss(Term::Overfitting) }</div>
                        if classification {
                            <div class="metric">{ l.pick("Accuracy: train ", "准确率：训练 ") }<b data-testid="acc-train">{ fmt_acc(s.train_acc) }</b>
                                { l.pick(", test ", "，测试 ") }<b data-testid="acc-test">{ fmt_acc(s.test_acc) }</b></div>
                        }
                    </div>
                    <canvas ref={canvases.loss.clone()} class="loss-canvas" data-testid="loss-chart" role="img"
                        aria-label={chart_label} />
                    <div class="toggles small">
                        <SavePng canvas={canvases.loss.clone()} file_name="gradlab-chart.png" testid="png-loss" what={("loss chart".into(), "损失图".into())} />
                        if classification {
                            <label><input type="checkbox" data-testid="show-accuracy" checked={*show_acc}
                                onchange={{ let a = show_acc.clone(); Callback::from(move |_: Event| a.set(!*a)) }} />{ l.pick(" accuracy instead of loss", " 显示准确率而非损失") }</label>
                        }
                        <label><input type="checkbox" data-testid="log-scale" checked={cfg.log_scale} disabled={*show_acc && classification}
                            onchange={toggle(|p| p.log_scale = !p.log_scale)} />{ l.pick(" log scale", " 对数坐标") }</label>
                    </div>
                    <div class="palette-row" title={l.pick("Both palettes stay distinguishable with the common colour-vision deficiencies; shapes and line styles carry the same meaning.",
                        "两种配色在常见色觉障碍下都能分辨；形状和线型也表达同样的含义。")}>
                        { select("palette", l.pick("Colours", "配色"), palettes, &*palette, on_palette) }
                    </div>
                    <div class="secondary">
                        <h3 class="chart-title">{ l.pick("Gradient norm per layer ‖∂L/∂θ‖", "各层梯度范数 ‖∂L/∂θ‖") }</h3>
                        <canvas ref={canvases.norms.clone()} class="norms-canvas" data-testid="grad-norm-chart" role="img"
                            aria-label={l.pick("Per-layer gradient norms over recent updates, log scale", "最近各次更新中每层的梯度范数（对数坐标）")} />
                        <SavePng canvas={canvases.norms.clone()} file_name="gradlab-gradient-norms.png" testid="png-norms" what={("gradient-norm chart".into(), "梯度范数图".into())} />
                    </div>
                </section>
            </main>
            <OptimizerLab engine={engine.clone()} version={s.version} focus={*inspect} />
            <footer class="footer small muted">{ l.pick(
                "gradlab — every number is computed by the engine whose gradients and optimizers are checked against PyTorch.",
                "gradlab —— 每个数字都由本引擎算出，其梯度与优化器均已与 PyTorch 逐一核对。") }</footer>
            if *help {
                <ShortcutList on_close={close_help} />
            }
        </div>
        </ContextProvider<Lang>>
    }
}
