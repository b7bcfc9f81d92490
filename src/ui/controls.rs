//! The control panels: data (left) and training settings (top bar).

use crate::data::{Generator, GeneratorKind};
use crate::nn::optimizer::OptimizerKind;
use crate::nn::regularization::RegKind;
use crate::nn::{Activation, Init, Schedule};
use crate::train::playground::{Head, Playground};
use crate::viz::Palette;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// A labelled `<select>`; `options` pairs a value with its text.
pub fn select<T: Clone + PartialEq + 'static>(
    testid: &str,
    label: &str,
    options: Vec<(T, String)>,
    current: &T,
    on: Callback<T>,
) -> Html {
    let opts = options.clone();
    let onchange = Callback::from(move |e: Event| {
        let el: HtmlSelectElement = e.target_unchecked_into();
        if let Some((v, _)) = usize::try_from(el.selected_index()).ok().and_then(|i| opts.get(i)) {
            on.emit(v.clone());
        }
    });
    html! {
        <label class="field">
            <span class="field-label">{ label }</span>
            <select data-testid={testid.to_string()} {onchange}>
                { for options.iter().map(|(v, text)| html! {
                    <option selected={v == current}>{ text.clone() }</option>
                }) }
            </select>
        </label>
    }
}

/// A labelled range input with its value shown; `bounds` is `(min, max, step)`; emits the
/// new value on input.
pub fn range(testid: &str, label: &str, bounds: (f64, f64, f64), value: f64, shown: String, on: Callback<f64>) -> Html {
    let (min, max, step) = bounds;
    let oninput = Callback::from(move |e: InputEvent| {
        let el: HtmlInputElement = e.target_unchecked_into();
        if let Ok(v) = el.value().parse::<f64>() {
            on.emit(v);
        }
    });
    html! {
        <label class="field">
            <span class="field-label">{ label }{ ": " }<output>{ shown }</output></span>
            <input type="range" data-testid={testid.to_string()} min={min.to_string()} max={max.to_string()}
                step={step.to_string()} value={value.to_string()} {oninput} />
        </label>
    }
}

/// The learning rates offered (TensorFlow Playground's list plus a few).
pub const LEARNING_RATES: [f64; 12] = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 0.05];

fn num(v: f64) -> String {
    format!("{v}")
}

/// Emits a changed copy of `cfg`.
pub fn edit<T: 'static>(cfg: &Playground, on: &Callback<Playground>, f: fn(&mut Playground, T)) -> Callback<T> {
    let cfg = cfg.clone();
    let on = on.clone();
    Callback::from(move |v: T| {
        let mut p = cfg.clone();
        f(&mut p, v);
        on.emit(p);
    })
}

/// Props of the panels.
#[derive(Properties, PartialEq)]
pub struct PanelProps {
    /// Current configuration.
    pub config: Playground,
    /// Proposes a new configuration.
    pub on_change: Callback<Playground>,
}

/// Training settings: optimizer and its hyper-parameters, schedule, regularization,
/// activation, output + loss, initializer.
#[component]
pub fn TrainingBar(props: &PanelProps) -> Html {
    let c = &props.config;
    let on = &props.on_change;
    let mut lrs: Vec<f64> = LEARNING_RATES.to_vec();
    if !lrs.contains(&c.lr) {
        lrs.push(c.lr);
    }
    lrs.sort_by(|a, b| a.total_cmp(b));
    let opt_names = [
        (OptimizerKind::Sgd, "SGD"),
        (OptimizerKind::Momentum, "Momentum"),
        (OptimizerKind::Nesterov, "Nesterov"),
        (OptimizerKind::Adagrad, "AdaGrad"),
        (OptimizerKind::Rmsprop, "RMSProp"),
        (OptimizerKind::Adam, "Adam"),
    ];
    let heads: Vec<(Head, String)> = [
        (Head::SigmoidBce, "sigmoid + cross-entropy"),
        (Head::SoftmaxCe, "softmax + cross-entropy"),
        (Head::LinearMse, "linear + MSE"),
        (Head::TanhMse, "tanh + MSE"),
    ]
    .into_iter()
    .filter(|(h, _)| h.fits(c.regression()))
    .map(|(h, s)| (h, s.to_string()))
    .collect();
    let schedules = vec![
        (Schedule::Constant, "constant".to_string()),
        (Schedule::InverseTime { decay: 1e-6 }, "α/(1+10⁻⁶t) (Keras decay)".to_string()),
        (Schedule::InverseTime { decay: 1e-3 }, "α/(1+10⁻³t)".to_string()),
        (Schedule::Step { step_size: 500, gamma: 0.5 }, "×0.5 every 500".to_string()),
        (Schedule::Exponential { gamma: 0.999 }, "×0.999 per update".to_string()),
    ];
    let mut schedules = schedules;
    if !schedules.iter().any(|(s, _)| *s == c.schedule) {
        schedules.push((c.schedule, format!("{:?}", c.schedule)));
    }
    let reg_rates = [0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0];
    let mut reg_opts: Vec<(f64, String)> = reg_rates.iter().map(|&r| (r, num(r))).collect();
    if !reg_rates.contains(&c.reg_rate) {
        reg_opts.push((c.reg_rate, num(c.reg_rate)));
    }
    let hint = match c.head {
        Head::SigmoidBce => "One output p = σ(z) is the probability of class 1; cross-entropy −[y log p + (1−y) log(1−p)] punishes confident mistakes.",
        Head::SoftmaxCe => "One output per class; softmax turns them into probabilities and cross-entropy −log p(class) scores them.",
        Head::LinearMse => "A linear output trained to match the target with mean squared error (ŷ−y)².",
        Head::TanhMse => "A tanh output in (−1, 1) trained with mean squared error (ŷ−y)².",
    };
    html! {
        <div class="training-bar">
            { select("optimizer", "Optimizer", opt_names.iter().map(|(k, s)| (*k, s.to_string())).collect(), &c.optimizer,
                edit(c, on, |p, v| p.optimizer = v)) }
            { select("learning-rate", "Learning rate α", lrs.iter().map(|&v| (v, num(v))).collect(), &c.lr,
                edit(c, on, |p, v| p.lr = v)) }
            if matches!(c.optimizer, OptimizerKind::Momentum | OptimizerKind::Nesterov) {
                { select("momentum", "Momentum μ", [0.5, 0.9, 0.95, 0.99].iter().map(|&v| (v, num(v))).collect(), &c.momentum,
                    edit(c, on, |p, v| p.momentum = v)) }
            }
            if c.optimizer == OptimizerKind::Adam {
                { select("beta1", "β₁", [0.0, 0.5, 0.9, 0.95].iter().map(|&v| (v, num(v))).collect(), &c.beta1,
                    edit(c, on, |p, v| p.beta1 = v)) }
                { select("beta2", "β₂", [0.9, 0.99, 0.999, 0.9999].iter().map(|&v| (v, num(v))).collect(), &c.beta2,
                    edit(c, on, |p, v| p.beta2 = v)) }
            }
            if c.optimizer == OptimizerKind::Rmsprop {
                { select("alpha", "α (smoothing)", [0.9, 0.99, 0.999].iter().map(|&v| (v, num(v))).collect(), &c.alpha,
                    edit(c, on, |p, v| p.alpha = v)) }
            }
            { select("schedule", "LR schedule", schedules, &c.schedule, edit(c, on, |p, v| p.schedule = v)) }
            { select("regularization", "Regularization",
                vec![(RegKind::None, "none".into()), (RegKind::L1, "L1".into()), (RegKind::L2, "L2".into())], &c.reg,
                edit(c, on, |p, v| p.reg = v)) }
            if c.reg != RegKind::None {
                { select("reg-rate", "Rate λ", reg_opts, &c.reg_rate, edit(c, on, |p, v| p.reg_rate = v)) }
            }
            { select("activation", "Activation", Activation::HIDDEN.iter().map(|a| (*a, a.name().replace('_', " "))).collect(), &c.activation,
                edit(c, on, |p, v| p.activation = v)) }
            <div class="field" title={hint}>
                { select("head", "Output + loss", heads, &c.head, edit(c, on, |p, v| p.head = v)) }
            </div>
            { select("init", "Initial weights", Init::ALL.iter().map(|i| (*i, i.name().to_string())).collect(), &c.init,
                edit(c, on, |p, v| p.init = v)) }
        </div>
    }
}

fn draw_thumb(canvas: &HtmlCanvasElement, kind: GeneratorKind) {
    let Some(ctx) = canvas.get_context("2d").ok().flatten().and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok()) else {
        return;
    };
    let s = 48.0;
    canvas.set_width(96);
    canvas.set_height(96);
    let _ = ctx.set_transform(2.0, 0.0, 0.0, 2.0, 0.0, 0.0);
    ctx.set_fill_style_str("#f7f7f7");
    ctx.fill_rect(0.0, 0.0, s, s);
    let Ok(d) = Generator::new(kind, 200, 0.05, 7).generate() else {
        return;
    };
    let palette = Palette::OrangeBlue;
    if !kind.is_2d() {
        // Rows of bits / values as a small matrix.
        let rows = 12.min(d.len());
        let cols = d.x.ncols().min(20);
        let (cw, rh) = (s / cols as f64, s / rows as f64);
        for r in 0..rows {
            for c in 0..cols {
                let col = palette.color(2.0 * d.x[[r, c]] - 1.0);
                ctx.set_fill_style_str(&col.hex());
                ctx.fill_rect(c as f64 * cw, r as f64 * rh, cw - 0.5, rh - 0.5);
            }
        }
        return;
    }
    for i in 0..d.len() {
        let (x, y) = ((d.x[[i, 0]] + 6.0) / 12.0 * s, (6.0 - d.x[[i, 1]]) / 12.0 * s);
        let v = if kind.is_regression() { d.y[[i, 0]].clamp(-1.0, 1.0) } else if d.y[[i, 0]] >= 0.5 { 1.0 } else { -1.0 };
        ctx.set_fill_style_str(&palette.color(v).hex());
        ctx.fill_rect(x - 1.0, y - 1.0, 2.2, 2.2);
    }
}

/// Props of [`DataPanel`].
#[derive(Properties, PartialEq)]
pub struct DataPanelProps {
    /// Current configuration.
    pub config: Playground,
    /// Proposes a new configuration.
    pub on_change: Callback<Playground>,
    /// Class a click adds (true = class 1).
    pub add_class: bool,
    /// Sets it.
    pub on_add_class: Callback<bool>,
}

/// Data: dataset thumbnails, noise, split, batch size, seed, and the click-to-add class.
#[component]
pub fn DataPanel(props: &DataPanelProps) -> Html {
    let thumbs = use_node_ref();
    {
        let thumbs = thumbs.clone();
        use_effect_with((), move |_| {
            if let Some(root) = thumbs.cast::<web_sys::Element>() {
                for kind in GeneratorKind::ALL {
                    if let Ok(Some(el)) = root.query_selector(&format!("canvas[data-thumb={}]", kind.name())) {
                        if let Ok(c) = el.dyn_into::<HtmlCanvasElement>() {
                            draw_thumb(&c, kind);
                        }
                    }
                }
            }
        });
    }
    let seed_error = use_state(|| None::<String>);
    let c = &props.config;
    let on = &props.on_change;
    let names = |k: GeneratorKind| match k {
        GeneratorKind::Circle => "circle",
        GeneratorKind::Xor => "XOR",
        GeneratorKind::Gauss => "gaussians",
        GeneratorKind::Spiral => "spiral",
        GeneratorKind::Moons => "two moons",
        GeneratorKind::Plane => "plane (regression)",
        GeneratorKind::MultiGauss => "bumps (regression)",
        GeneratorKind::EvenOdd => "even / odd",
        GeneratorKind::Keras => "Keras random",
    };
    let n_train = (c.samples as f64 * c.train_pct as f64 / 100.0).round().max(1.0);
    let pick = |k: GeneratorKind| {
        let cfg = c.clone();
        let on = on.clone();
        Callback::from(move |_: MouseEvent| {
            let mut p = cfg.clone();
            p.dataset = k;
            p.added.clear();
            p.removed.clear();
            if !p.head.fits(p.regression()) {
                p.head = Head::LinearMse;
            } else if !k.is_regression() && matches!(p.head, Head::LinearMse | Head::TanhMse) && cfg.regression() {
                p.head = Head::SigmoidBce;
            }
            on.emit(p);
        })
    };
    let regenerate = {
        let cfg = c.clone();
        let on = on.clone();
        Callback::from(move |_: MouseEvent| {
            let mut p = cfg.clone();
            p.seed = p.seed.wrapping_add(1) % 100_000;
            p.added.clear();
            p.removed.clear();
            on.emit(p);
        })
    };
    let set_class = |v: bool| {
        let cb = props.on_add_class.clone();
        Callback::from(move |_: MouseEvent| cb.emit(v))
    };
    let test_pct = 100 - c.train_pct - c.val_pct;
    let on_seed = {
        let cfg = c.clone();
        let on = on.clone();
        let seed_error = seed_error.clone();
        Callback::from(move |e: Event| {
            let el: HtmlInputElement = e.target_unchecked_into();
            match el.value().trim().parse::<u64>() {
                Ok(v) if v <= 99_999 => {
                    seed_error.set(None);
                    let mut p = cfg.clone();
                    p.seed = v;
                    p.added.clear();
                    p.removed.clear();
                    on.emit(p);
                }
                _ => {
                    seed_error.set(Some(format!(
                        "“{}” is not a seed: use a whole number from 0 to 99999. The seed stays {}.",
                        el.value(),
                        cfg.seed
                    )));
                    el.set_value(&cfg.seed.to_string());
                }
            }
        })
    };
    html! {
        <div class="data-panel">
            <div class="datasets" data-testid="dataset" role="radiogroup" aria-label="dataset" ref={thumbs}>
                { for GeneratorKind::ALL.iter().map(|&k| html! {
                    <button type="button" class={classes!("thumb", (k == c.dataset).then_some("selected"))}
                        role="radio" aria-checked={(k == c.dataset).to_string()} title={names(k)}
                        data-testid={format!("dataset-{}", k.name())} onclick={pick(k)}>
                        <canvas data-thumb={k.name()} width="96" height="96" />
                        <span>{ names(k) }</span>
                    </button>
                }) }
            </div>
            { range("noise", "Noise", (0.0, 50.0, 5.0), c.noise * 100.0, format!("{:.0}%", c.noise * 100.0),
                edit(c, on, |p, v: f64| p.noise = (v / 100.0).clamp(0.0, 0.5))) }
            { range("train-ratio", "Training data", (10.0, 90.0, 10.0), c.train_pct as f64, format!("{}%", c.train_pct),
                edit(c, on, |p, v: f64| { p.train_pct = v as u32; p.val_pct = p.val_pct.min(100 - p.train_pct); })) }
            { range("val-ratio", "Validation data", (0.0, 40.0, 5.0), c.val_pct as f64, format!("{}% (test {}%)", c.val_pct, test_pct),
                edit(c, on, |p, v: f64| p.val_pct = (v as u32).min(100 - p.train_pct))) }
            { range("batch", "Batch size", (1.0, n_train, 1.0), (c.batch as f64).min(n_train), format!("{}", c.batch),
                edit(c, on, |p, v: f64| p.batch = v.max(1.0) as usize)) }
            <div class="row">
                <button type="button" class="btn" data-testid="regenerate" onclick={regenerate}>{ "Regenerate" }</button>
                <label class="seed">{ "seed " }
                    <input type="text" inputmode="numeric" data-testid="seed" value={c.seed.to_string()} size="6"
                        aria-invalid={(*seed_error).is_some().to_string()} onchange={on_seed} />
                </label>
            </div>
            if let Some(err) = (*seed_error).clone() {
                <p class="field-error" role="alert" data-testid="seed-error">{ err }</p>
            }
            if c.dataset.is_2d() {
                <div class="add-class" role="radiogroup" aria-label="class a click adds">
                    <span class="field-label">{ "Click adds:" }</span>
                    <button type="button" class={classes!("chip", "chip-pos", props.add_class.then_some("selected"))}
                        aria-checked={props.add_class.to_string()} role="radio" onclick={set_class(true)}>{ "● class 1" }</button>
                    <button type="button" class={classes!("chip", "chip-neg", (!props.add_class).then_some("selected"))}
                        aria-checked={(!props.add_class).to_string()} role="radio" onclick={set_class(false)}>{ "● class 0" }</button>
                    <p class="muted small">{ "Shift-click adds the other class; right-click or long-press removes a point." }</p>
                </div>
            }
        </div>
    }
}
