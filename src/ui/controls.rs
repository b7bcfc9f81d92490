//! The control panels: data (left) and training settings (top bar).

use super::glossary::{gloss, Term};
use super::i18n::{use_lang, Lang};
use crate::data::{Generator, GeneratorKind};
use crate::nn::optimizer::OptimizerKind;
use crate::nn::regularization::RegKind;
use crate::nn::{Activation, Init, Schedule};
use crate::train::playground::{Head, Playground};
use crate::train::decimal::parse_f64;
use crate::viz::Palette;
use wasm_bindgen::JsCast;
use web_sys::{HtmlCanvasElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// A labelled `<select>`; `options` pairs a value with its text.
pub fn select<T: Clone + PartialEq + 'static>(
    testid: &str,
    label: &str,
    options: Vec<(T, String)>,
    current: &T,
    on: Callback<T>,
) -> Html {
    select_with(testid, label, None, options, current, on)
}

/// A labelled `<select>` with an optional glossary marker after its label. Only the
/// mapping between values and positions is generic; the markup is built once, in
/// [`select_markup`] (fewer monomorphized copies in the wasm bundle).
pub fn select_with<T: Clone + PartialEq + 'static>(
    testid: &str,
    label: &str,
    term: Option<Term>,
    options: Vec<(T, String)>,
    current: &T,
    on: Callback<T>,
) -> Html {
    let selected = options.iter().position(|(v, _)| v == current);
    let (values, texts): (Vec<T>, Vec<String>) = options.into_iter().unzip();
    let on = Callback::from(move |i: usize| {
        if let Some(v) = values.get(i) {
            on.emit(v.clone());
        }
    });
    select_markup(testid, label, term, texts, selected, on)
}

/// The markup of [`select_with`]; emits the chosen position.
fn select_markup(testid: &str, label: &str, term: Option<Term>, texts: Vec<String>, selected: Option<usize>, on: Callback<usize>) -> Html {
    let onchange = Callback::from(move |e: Event| {
        let el: HtmlSelectElement = e.target_unchecked_into();
        if let Ok(i) = usize::try_from(el.selected_index()) {
            on.emit(i);
        }
    });
    let id = format!("f-{testid}");
    html! {
        <div class="field">
            <span class="field-label"><label for={id.clone()}>{ label }</label>
                if let Some(t) = term { { gloss(t) } }</span>
            <select id={id} data-testid={testid.to_string()} {onchange}>
                { for texts.into_iter().enumerate().map(|(i, text)| html! {
                    <option selected={Some(i) == selected}>{ text }</option>
                }) }
            </select>
        </div>
    }
}

/// A labelled range input with its value shown and an optional glossary marker; `bounds`
/// is `(min, max, step)`; emits the new value on input.
pub fn range(testid: &str, label: &str, term: Option<Term>, bounds: (f64, f64, f64), value: f64, shown: String, on: Callback<f64>) -> Html {
    let (min, max, step) = bounds;
    let oninput = Callback::from(move |e: InputEvent| {
        let el: HtmlInputElement = e.target_unchecked_into();
        if let Some(v) = parse_f64(&el.value()) {
            on.emit(v);
        }
    });
    let id = format!("f-{testid}");
    html! {
        <div class="field">
            <span class="field-label"><label for={id.clone()}>{ label }</label>
                if let Some(t) = term { { gloss(t) } }
                { ": " }<output for={id.clone()}>{ shown.clone() }</output></span>
            <input type="range" id={id} data-testid={testid.to_string()} min={min.to_string()} max={max.to_string()}
                step={step.to_string()} value={value.to_string()} aria-valuetext={shown} {oninput} />
        </div>
    }
}

/// The text of an activation function (standard symbols are kept in both languages).
pub fn activation_name(a: Activation, lang: Lang) -> String {
    match a {
        Activation::Linear => lang.pick("linear", "线性").into(),
        Activation::Relu => "ReLU".into(),
        Activation::LeakyRelu => "leaky ReLU".into(),
        other => other.name().into(),
    }
}

/// The text of an initializer.
pub fn init_name(i: Init, lang: Lang) -> String {
    match i {
        Init::Xavier => "Xavier".into(),
        Init::He => "He (Kaiming)".into(),
        Init::Uniform { .. } => lang.pick("uniform", "均匀分布").into(),
        Init::Pytorch => lang.pick("PyTorch default", "PyTorch 默认").into(),
        Init::Zeros => lang.pick("zeros", "全零").into(),
    }
}

/// The text of a data set.
pub fn dataset_name(k: GeneratorKind, lang: Lang) -> &'static str {
    match k {
        GeneratorKind::Circle => lang.pick("circle", "圆形"),
        GeneratorKind::Xor => lang.pick("XOR", "异或"),
        GeneratorKind::Gauss => lang.pick("gaussians", "高斯簇"),
        GeneratorKind::Spiral => lang.pick("spiral", "螺旋"),
        GeneratorKind::Moons => lang.pick("two moons", "双月"),
        GeneratorKind::Plane => lang.pick("plane (regression)", "平面（回归）"),
        GeneratorKind::MultiGauss => lang.pick("bumps (regression)", "多峰（回归）"),
        GeneratorKind::EvenOdd => lang.pick("even / odd", "奇偶数"),
        GeneratorKind::Keras => lang.pick("Keras random", "Keras 随机数据"),
    }
}

/// The learning rates offered (TensorFlow Playground's list plus a few).
pub const LEARNING_RATES: [f64; 12] = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.05, 0.1, 0.3, 1.0, 3.0, 10.0];

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
    let lang = use_lang();
    let c = &props.config;
    let on = &props.on_change;
    // The preset rates (ascending) with the current one in its place.
    let mut lrs: Vec<f64> = LEARNING_RATES.to_vec();
    if !lrs.contains(&c.lr) {
        lrs.insert(lrs.partition_point(|r| *r < c.lr), c.lr);
    }
    let opt_names = [
        (OptimizerKind::Sgd, "SGD"),
        (OptimizerKind::Momentum, lang.pick("Momentum", "动量法")),
        (OptimizerKind::Nesterov, lang.pick("Nesterov", "Nesterov 动量")),
        (OptimizerKind::Adagrad, "AdaGrad"),
        (OptimizerKind::Rmsprop, "RMSProp"),
        (OptimizerKind::Adam, "Adam"),
    ];
    let heads: Vec<(Head, String)> = [
        (Head::SigmoidBce, lang.pick("sigmoid + cross-entropy", "sigmoid + 交叉熵")),
        (Head::SoftmaxCe, lang.pick("softmax + cross-entropy", "softmax + 交叉熵")),
        (Head::LinearMse, lang.pick("linear + MSE", "线性 + 均方误差")),
        (Head::TanhMse, lang.pick("tanh + MSE", "tanh + 均方误差")),
    ]
    .into_iter()
    .filter(|(h, _)| h.fits(c.regression()))
    .map(|(h, s)| (h, s.to_string()))
    .collect();
    let schedules = vec![
        (Schedule::Constant, lang.pick("constant", "恒定").to_string()),
        (Schedule::InverseTime { decay: 1e-6 }, lang.pick("α/(1+10⁻⁶t) (Keras decay)", "α/(1+10⁻⁶t)（Keras 衰减）").to_string()),
        (Schedule::InverseTime { decay: 1e-3 }, "α/(1+10⁻³t)".to_string()),
        (Schedule::Step { step_size: 500, gamma: 0.5 }, lang.pick("×0.5 every 500", "每 500 次 ×0.5").to_string()),
        (Schedule::Exponential { gamma: 0.999 }, lang.pick("×0.999 per update", "每次更新 ×0.999").to_string()),
    ];
    let mut schedules = schedules;
    if !schedules.iter().any(|(s, _)| *s == c.schedule) {
        let text = match c.schedule {
            Schedule::Constant => lang.pick("constant", "恒定").to_string(),
            Schedule::InverseTime { decay } => format!("α/(1+{decay}t)"),
            Schedule::Step { step_size, gamma } => match lang {
                Lang::En => format!("×{gamma} every {step_size}"),
                Lang::Zh => format!("每 {step_size} 次 ×{gamma}"),
            },
            Schedule::Exponential { gamma } => format!("×{gamma} {}", lang.pick("per update", "每次更新")),
        };
        schedules.push((c.schedule, text));
    }
    let reg_rates = [0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0];
    let mut reg_opts: Vec<(f64, String)> = reg_rates.iter().map(|&r| (r, num(r))).collect();
    if !reg_rates.contains(&c.reg_rate) {
        reg_opts.push((c.reg_rate, num(c.reg_rate)));
    }
    let hint = match c.head {
        Head::SigmoidBce => lang.pick(
            "One output p = σ(z) is the probability of class 1; cross-entropy −[y log p + (1−y) log(1−p)] punishes confident mistakes.",
            "一个输出 p = σ(z) 表示属于类别 1 的概率；交叉熵 −[y log p + (1−y) log(1−p)] 会重罚“很自信却错了”的预测。",
        ),
        Head::SoftmaxCe => lang.pick(
            "One output per class; softmax turns them into probabilities and cross-entropy −log p(class) scores them.",
            "每个类别一个输出；softmax 把它们变成概率，交叉熵 −log p(类别) 给它们打分。",
        ),
        Head::LinearMse => lang.pick(
            "A linear output trained to match the target with mean squared error (ŷ−y)².",
            "线性输出，用均方误差 (ŷ−y)² 去拟合目标值。",
        ),
        Head::TanhMse => lang.pick(
            "A tanh output in (−1, 1) trained with mean squared error (ŷ−y)².",
            "取值在 (−1, 1) 的 tanh 输出，用均方误差 (ŷ−y)² 训练。",
        ),
    };
    let g = Some;
    html! {
        <div class="training-bar">
            { select_with("optimizer", lang.pick("Optimizer", "优化器"), g(Term::GradientDescent),
                opt_names.iter().map(|(k, s)| (*k, s.to_string())).collect(), &c.optimizer,
                edit(c, on, |p, v| p.optimizer = v)) }
            { select_with("learning-rate", lang.pick("Learning rate α", "学习率 α"), g(Term::LearningRate),
                lrs.iter().map(|&v| (v, num(v))).collect(), &c.lr, edit(c, on, |p, v| p.lr = v)) }
            if matches!(c.optimizer, OptimizerKind::Momentum | OptimizerKind::Nesterov) {
                { select_with("momentum", lang.pick("Momentum μ", "动量 μ"), g(Term::Momentum),
                    [0.5, 0.9, 0.95, 0.99].iter().map(|&v| (v, num(v))).collect(), &c.momentum,
                    edit(c, on, |p, v| p.momentum = v)) }
            }
            if c.optimizer == OptimizerKind::Adam {
                { select("beta1", "β₁", [0.0, 0.5, 0.9, 0.95].iter().map(|&v| (v, num(v))).collect(), &c.beta1,
                    edit(c, on, |p, v| p.beta1 = v)) }
                { select("beta2", "β₂", [0.9, 0.99, 0.999, 0.9999].iter().map(|&v| (v, num(v))).collect(), &c.beta2,
                    edit(c, on, |p, v| p.beta2 = v)) }
            }
            if c.optimizer == OptimizerKind::Rmsprop {
                { select("alpha", lang.pick("α (smoothing)", "α（平滑系数）"), [0.9, 0.99, 0.999].iter().map(|&v| (v, num(v))).collect(), &c.alpha,
                    edit(c, on, |p, v| p.alpha = v)) }
            }
            <div class="secondary">
                { select("schedule", lang.pick("LR schedule", "学习率调度"), schedules, &c.schedule, edit(c, on, |p, v| p.schedule = v)) }
            </div>
            { select_with("regularization", lang.pick("Regularization", "正则化"), g(Term::Regularization),
                vec![(RegKind::None, lang.pick("none", "无").into()), (RegKind::L1, "L1".into()), (RegKind::L2, "L2".into())], &c.reg,
                edit(c, on, |p, v| p.reg = v)) }
            if c.reg != RegKind::None {
                { select("reg-rate", lang.pick("Rate λ", "正则化率 λ"), reg_opts, &c.reg_rate, edit(c, on, |p, v| p.reg_rate = v)) }
            }
            { select_with("activation", lang.pick("Activation", "激活函数"), g(Term::Activation),
                Activation::HIDDEN.iter().map(|a| (*a, activation_name(*a, lang))).collect(), &c.activation,
                edit(c, on, |p, v| p.activation = v)) }
            <div class="field-wrap" title={hint}>
                { select_with("head", lang.pick("Output + loss", "输出 + 损失函数"), g(Term::Loss), heads, &c.head, edit(c, on, |p, v| p.head = v)) }
            </div>
            <div class="secondary">
                { select("init", lang.pick("Initial weights", "初始权重"), Init::ALL.iter().map(|i| (*i, init_name(*i, lang))).collect(), &c.init,
                    edit(c, on, |p, v| p.init = v)) }
            </div>
        </div>
    }
}

fn draw_thumb(canvas: &HtmlCanvasElement, kind: GeneratorKind, palette: Palette) {
    let Some(ctx) = super::canvas::context_2d(canvas) else {
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
    /// Colours of the thumbnails.
    #[prop_or_default]
    pub palette: Palette,
}

/// Data: dataset thumbnails, noise, split, batch size, seed, and the click-to-add class.
#[component]
pub fn DataPanel(props: &DataPanelProps) -> Html {
    let lang = use_lang();
    let thumbs = use_node_ref();
    {
        let thumbs = thumbs.clone();
        use_effect_with(props.palette, move |&palette| {
            if let Some(root) = thumbs.cast::<web_sys::Element>() {
                for kind in GeneratorKind::ALL {
                    if let Ok(Some(el)) = root.query_selector(&format!("canvas[data-thumb={}]", kind.name())) {
                        if let Ok(c) = el.dyn_into::<HtmlCanvasElement>() {
                            draw_thumb(&c, kind, palette);
                        }
                    }
                }
            }
        });
    }
    let seed_error = use_state(|| None::<String>);
    let c = &props.config;
    let on = &props.on_change;
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
                    seed_error.set(Some(match lang {
                        Lang::En => format!("“{}” is not a seed: use a whole number from 0 to 99999. The seed stays {}.", el.value(), cfg.seed),
                        Lang::Zh => format!("“{}”不是有效的种子：请输入 0 到 99999 之间的整数。种子仍为 {}。", el.value(), cfg.seed),
                    }));
                    el.set_value(&cfg.seed.to_string());
                }
            }
        })
    };
    let names = |k: GeneratorKind| dataset_name(k, lang);
    html! {
        <div class="data-panel">
            <div class="datasets" data-testid="dataset" role="radiogroup" aria-label={lang.pick("Data set", "数据集")} ref={thumbs}>
                { for GeneratorKind::ALL.iter().map(|&k| html! {
                    <button type="button" class={classes!("thumb", (k == c.dataset).then_some("selected"))}
                        role="radio" aria-checked={(k == c.dataset).to_string()}
                        data-testid={format!("dataset-{}", k.name())} onclick={pick(k)}>
                        <canvas data-thumb={k.name()} width="96" height="96" aria-hidden="true" />
                        <span>{ names(k) }</span>
                    </button>
                }) }
            </div>
            { range("noise", lang.pick("Noise", "噪声"), Some(Term::Noise), (0.0, 50.0, 5.0), c.noise * 100.0, format!("{:.0}%", c.noise * 100.0),
                edit(c, on, |p, v: f64| p.noise = (v / 100.0).clamp(0.0, 0.5))) }
            { range("train-ratio", lang.pick("Training data", "训练集比例"), Some(Term::Split), (10.0, 90.0, 10.0), c.train_pct as f64, format!("{}%", c.train_pct),
                edit(c, on, |p, v: f64| { p.train_pct = v as u32; p.val_pct = p.val_pct.min(100 - p.train_pct); })) }
            { range("val-ratio", lang.pick("Validation data", "验证集比例"), None, (0.0, 40.0, 5.0), c.val_pct as f64,
                format!("{}% ({} {}%)", c.val_pct, lang.pick("test", "测试集"), test_pct),
                edit(c, on, |p, v: f64| p.val_pct = (v as u32).min(100 - p.train_pct))) }
            { range("batch", lang.pick("Batch size", "批大小"), Some(Term::Batch), (1.0, n_train, 1.0), (c.batch as f64).min(n_train), format!("{}", c.batch),
                edit(c, on, |p, v: f64| p.batch = v.max(1.0) as usize)) }
            <div class="row secondary">
                <button type="button" class="btn" data-testid="regenerate" onclick={regenerate}>{ lang.pick("Regenerate", "重新生成") }</button>
                <label class="seed">{ lang.pick("seed", "种子") }
                    <input type="text" inputmode="numeric" data-testid="seed" value={c.seed.to_string()} size="6"
                        aria-invalid={(*seed_error).is_some().to_string()} onchange={on_seed} />
                </label>
            </div>
            if let Some(err) = (*seed_error).clone() {
                <p class="field-error" role="alert" data-testid="seed-error">{ err }</p>
            }
            if c.dataset.is_2d() {
                <div class="add-class secondary" role="radiogroup" aria-labelledby="add-class-label">
                    <span class="field-label" id="add-class-label">{ lang.pick("Click adds:", "点击添加：") }</span>
                    <button type="button" class={classes!("chip", "chip-pos", props.add_class.then_some("selected"))}
                        aria-checked={props.add_class.to_string()} role="radio" onclick={set_class(true)}>
                        <span class="dot" aria-hidden="true">{ "● " }</span>{ lang.pick("class 1", "类别 1") }</button>
                    <button type="button" class={classes!("chip", "chip-neg", (!props.add_class).then_some("selected"))}
                        aria-checked={(!props.add_class).to_string()} role="radio" onclick={set_class(false)}>
                        <span class="dot" aria-hidden="true">{ "● " }</span>{ lang.pick("class 0", "类别 0") }</button>
                    <p class="muted small">{ lang.pick(
                        "Shift-click adds the other class; right-click or long-press removes a point.",
                        "按住 Shift 点击添加另一类；右键或长按删除一个点。") }</p>
                </div>
            }
        </div>
    }
}
