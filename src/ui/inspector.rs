//! The step-mode inspector: for the focused weight, bias or neuron and one sample of
//! the batch, the numbers of each phase written out in MathML — all read from the
//! trainer's [`StepTrace`](crate::train::StepTrace), none recomputed here.

use super::engine::EngineHandle;
use super::i18n::{use_lang, Lang};
use super::mathml::{d, derivation, f, i, math, mn, n, num, o, row, row_class, sub, t, M};
use super::network_view::Focus;
use crate::nn::{Activation, Loss, OptimizerConfig};
use crate::train::gradcheck::{CheckError, GradCheck, Param};
use crate::train::trace::{bias_offset, weight_offset};
use crate::train::Phase;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// The parameter the inspector follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// `W[l][i, j]`.
    Weight(usize, usize, usize),
    /// `b[l][j]`.
    Bias(usize, usize),
}

impl Target {
    /// From the diagram's focus (a neuron stands for its bias); `None` → the first weight.
    pub fn from_focus(f: Option<Focus>) -> Target {
        match f {
            Some(Focus::Weight(l, i, j)) => Target::Weight(l, i, j),
            Some(Focus::Bias(l, j)) | Some(Focus::Neuron(l, j)) => Target::Bias(l, j),
            None => Target::Weight(0, 0, 0),
        }
    }
    /// Layer and neuron.
    pub fn neuron(self) -> (usize, usize) {
        match self {
            Target::Weight(l, _, j) | Target::Bias(l, j) => (l, j),
        }
    }
    /// The parameter a gradient check uses.
    pub fn param(self) -> Param {
        match self {
            Target::Weight(l, i, j) => Param::Weight(l, i, j),
            Target::Bias(l, j) => Param::Bias(l, j),
        }
    }
}

/// Props of [`Inspector`].
#[derive(Properties, PartialEq)]
pub struct InspectorProps {
    /// The engine.
    pub engine: EngineHandle,
    /// Re-render when this changes.
    pub version: u64,
    /// What to inspect.
    pub target: Target,
    /// Which sample of the batch.
    pub sample: usize,
    /// Chooses the sample.
    pub on_sample: Callback<usize>,
    /// The phase just completed (`None` between steps).
    pub phase: Option<Phase>,
    /// Result of the last gradient check.
    pub check: Option<Result<GradCheck, CheckError>>,
    /// Runs a gradient check.
    pub on_check: Callback<()>,
}

fn weight_name(l: usize, ii: usize, j: usize) -> M {
    format!("<msubsup><mi>w</mi><mrow><mn>{}</mn><mo>→</mo><mn>{}</mn></mrow><mrow><mo>(</mo><mn>{}</mn><mo>)</mo></mrow></msubsup>", ii + 1, j + 1, l + 1)
}

fn layer_sym(s: &str, l: usize, j: usize) -> M {
    format!("<msubsup>{}<mn>{}</mn><mrow><mo>(</mo><mn>{}</mn><mo>)</mo></mrow></msubsup>", i(s), j + 1, l + 1)
}

/// Full-precision text for the test ids (round-trips through `Number(...)`).
fn exact(v: f64) -> String {
    format!("{v}")
}

fn section(title: &str, current: bool, body: Html) -> Html {
    html! {
        <section class={classes!("insp-section", current.then_some("current"))}>
            <h3>{ title.to_string() }</h3>
            { body }
        </section>
    }
}

/// The inspector panel.
#[component]
pub fn Inspector(props: &InspectorProps) -> Html {
    let lang = use_lang();
    let e = props.engine.0.borrow();
    let trainer = &e.trainer;
    let net = trainer.net();
    let tr = trainer.trace();
    let layers = net.layers.len();
    let (l, j) = props.target.neuron();
    let valid = l < layers
        && j < net.layers[l].units()
        && match props.target {
            Target::Weight(_, ii, _) => ii < net.layers[l].inputs(),
            Target::Bias(..) => true,
        };
    if !valid {
        return html! { <div class="inspector" data-testid="inspector"><p class="muted">{ lang.pick("Focus a neuron, weight or bias in the diagram.", "在网络图中选中一个神经元、权重或偏置。") }</p></div> };
    }
    let (d_in, units) = (net.layers[l].inputs(), net.layers[l].units());
    let sizes = net.tensor_sizes();
    let flat = match props.target {
        Target::Weight(_, ii, _) => weight_offset(&sizes, l, ii, j, units),
        Target::Bias(..) => bias_offset(&sizes, l, j),
    };
    let current_value = match props.target {
        Target::Weight(_, ii, _) => net.layers[l].w[[ii, j]],
        Target::Bias(..) => net.layers[l].b[j],
    };
    let pname = match props.target {
        Target::Weight(_, ii, _) => weight_name(l, ii, j),
        Target::Bias(..) => layer_sym("b", l, j),
    };
    let title = match (props.target, lang) {
        (Target::Weight(_, ii, _), Lang::En) => {
            let from = if l == 0 { format!("input {}", ii + 1) } else { format!("layer {} neuron {}", l, ii + 1) };
            format!("weight {from} → layer {} neuron {}", l + 1, j + 1)
        }
        (Target::Weight(_, ii, _), Lang::Zh) => {
            let from = if l == 0 { format!("输入 {}", ii + 1) } else { format!("第 {} 层第 {} 个神经元", l, ii + 1) };
            format!("权重：{from} → 第 {} 层第 {} 个神经元", l + 1, j + 1)
        }
        (Target::Bias(..), Lang::En) => format!("bias of layer {} neuron {}", l + 1, j + 1),
        (Target::Bias(..), Lang::Zh) => format!("第 {} 层第 {} 个神经元的偏置", l + 1, j + 1),
    };
    // Parameters the step used: before the update (kept in the trace once it has run).
    let step_params: Vec<f64> = match &tr.update {
        Some(u) => u.params_before.clone(),
        None => net.flat_params(),
    };
    let nb = tr.batch.len();
    let r = props.sample.min(nb.saturating_sub(1));
    let phase = props.phase;
    let is = |p: fn(Phase) -> bool| phase.is_some_and(p);
    let lt = tr.layers.get(l);
    let mut sections = Vec::new();

    // ----- forward -----
    if let Some((x, z, a)) = lt.and_then(|lt| Some((lt.input.as_ref()?, lt.z.as_ref()?, lt.a.as_ref()?))) {
        let mut terms = Vec::new();
        for ii in 0..d_in {
            let w = step_params[weight_offset(&sizes, l, ii, j, units)];
            let hl = matches!(props.target, Target::Weight(_, fi, _) if fi == ii);
            if ii > 0 {
                terms.push(o("+"));
            }
            let term = vec![n(w), o("·"), n(x[[r, ii]])];
            terms.push(if hl { row_class("hl", term) } else { row(term) });
        }
        let b = step_params[bias_offset(&sizes, l, j)];
        let sym_terms: Vec<M> = vec![
            "<munder><mo>∑</mo><mi>i</mi></munder>".into(),
            format!("<msub><mi>w</mi><mrow><mi>i</mi><mn>{}</mn></mrow></msub>", j + 1),
            o("·"),
            if l == 0 { "<msub><mi>x</mi><mi>i</mi></msub>".into() } else { layer_sym("a", l - 1, 0) },
            o("+"),
            layer_sym("b", l, j),
        ];
        let act = net.layers[l].activation;
        let body = html! {
            <>
            { derivation(vec![vec![f("@ = @", &[], &[&layer_sym("z", l, j), &row(sym_terms)])], vec![f("@ + #", &[b], &[&row(terms)])], vec![n(z[[r, j]])]]) }
            { m("@ = @ ( @ ) = #", &[a[[r, j]]], &[&layer_sym("a", l, j), &i(act_name(act)), &layer_sym("z", l, j)]) }
            </>
        };
        sections.push(section(&match lang { Lang::En => format!("Forward · layer {}", l + 1), Lang::Zh => format!("前向传播 · 第 {} 层", l + 1) }, is(|p| matches!(p, Phase::Forward(_))), body));
    }

    // ----- loss -----
    if let (Some(loss), Some(sl), Some(y), Some(out)) =
        (tr.loss, tr.sample_loss.as_ref(), tr.y.as_ref(), tr.layers.last().and_then(|t| t.a.as_ref()))
    {
        let k = y.ncols();
        let preds: Vec<M> = (0..k).map(|c| n(out[[r, c]])).collect();
        let targets: Vec<M> = (0..k).map(|c| n(y[[r, c]])).collect();
        let join = |v: Vec<M>| {
            if v.len() == 1 {
                return v.into_iter().next().unwrap_or_default();
            }
            let mut items = vec![o("(")];
            for (c, h) in v.into_iter().enumerate() {
                if c > 0 {
                    items.push(o(","));
                }
                items.push(h);
            }
            items.push(o(")"));
            row(items)
        };
        let formula = match trainer.config().loss {
            Loss::Mse => f("{ { 1 } / { K } ∑ @^2 }", &[], &[&f("{ ( a − y ) }", &[], &[])]),
            Loss::BinaryCrossEntropy => f("{ − [ y log a + ( 1 − y ) log ( 1 − a ) ] }", &[], &[]),
            Loss::SoftmaxCrossEntropy => f("{ − ∑ y log a }", &[], &[]),
        };
        let body = html! {
            <>
            <p class="insp-kv">{ lang.pick("prediction ", "预测 ") }<b data-testid="inspector-prediction">{ (0..k).map(|c| num(out[[r, c]])).collect::<Vec<_>>().join(", ") }</b>
                { lang.pick(" · target ", " · 目标 ") }<b>{ (0..k).map(|c| num(y[[r, c]])).collect::<Vec<_>>().join(", ") }</b></p>
            { derivation(vec![
                vec![f("@ = @", &[], &[&sub("ℓ", &format!("{}", r + 1)), &formula])],
                vec![f("@ @ , @ @", &[], &[&t(lang.pick("with a = ", "其中 a = ")), &join(preds), &t(" y = "), &join(targets)])],
                vec![n(sl[r])],
            ]) }
            { derivation(vec![
                vec![f("L = { 1 } / { N } @ ℓ_r @ @ @", &[], &[&munder_sum(), &t(lang.pick(" (mean over the batch, N = ", "（批内平均，N = ")), &mn(nb as u64), &t(lang.pick(")", "）"))])],
                vec![n(loss)],
            ]) }
            </>
        };
        sections.push(section(lang.pick("Loss", "损失"), is(|p| p == Phase::Loss), body));
    }

    // ----- backward -----
    if let Some((da, dz)) = lt.and_then(|lt| Some((lt.da.as_ref()?, lt.dz.as_ref()?))) {
        let (dav, dzv) = (da[[r, j]], dz[[r, j]]);
        let softmax = net.layers[l].activation == Activation::Softmax;
        let sigma = lt.and_then(|lt| lt.dact.as_ref()).map(|s| s[[r, j]]).unwrap_or(f64::NAN);
        let sp = format!("<mrow><msup><mi>σ</mi><mo>′</mo></msup><mo>(</mo>{}<mo>)</mo></mrow>", layer_sym("z", l, j));
        let dz_sym = d("ℓ", layer_sym("z", l, j));
        let mut rows = vec![m("@ = #", &[dav], &[&d("ℓ", layer_sym("a", l, j))])];
        if softmax {
            rows.push(m("@ = a − y = # @", &[dzv], &[&dz_sym, &t(lang.pick("  (softmax and cross-entropy together)", "（softmax 与交叉熵合并求导）"))]));
        } else {
            rows.push(m("@ = #", &[sigma], &[&sp]));
            rows.push(m("@ = @ · @ = # · # = #", &[dav, sigma, dzv], &[&dz_sym, &d("ℓ", i("a")), &sp]));
        }
        let lt = lt.expect("checked");
        match props.target {
            Target::Weight(_, ii, _) => {
                if let (Some(per), Some(data), Some(full), Some(x)) = (lt.dw_samples.as_ref(), lt.dw_data.as_ref(), lt.dw.as_ref(), lt.input.as_ref()) {
                    let prev = if l == 0 { sub("x", &format!("{}", ii + 1)) } else { layer_sym("a", l - 1, ii) };
                    let (chain, nums) = if softmax {
                        (f("@ = @ · @", &[], &[&d("ℓ", pname.clone()), &d("ℓ", i("z")), &prev]), f("# · #", &[dzv, x[[r, ii]]], &[]))
                    } else {
                        (
                            f("@ = @ · @ · @", &[], &[&d("ℓ", pname.clone()), &d("ℓ", i("a")), &sp, &prev]),
                            f("# · # · #", &[dav, sigma, x[[r, ii]]], &[]),
                        )
                    };
                    rows.push(derivation(vec![vec![chain], vec![nums], vec![n(per[[r, ii, j]])]]));
                    let samples: Vec<f64> = (0..per.shape()[0]).map(|s| per[[s, ii, j]]).collect();
                    let reg = lt.dw_reg.as_ref().map(|g| g[[ii, j]]);
                    rows.push(per_sample(&samples, data[[ii, j]], reg, full[[ii, j]], r, &tr.batch, lang));
                }
            }
            Target::Bias(..) => {
                if let Some(db) = lt.db.as_ref() {
                    rows.push(m("@ = @ = #", &[dzv], &[&d("ℓ", pname.clone()), &d("ℓ", i("z"))]));
                    let samples: Vec<f64> = (0..dz.nrows()).map(|s| dz[[s, j]]).collect();
                    rows.push(per_sample(&samples, db[j], None, db[j], r, &tr.batch, lang));
                }
            }
        }
        sections.push(section(&match lang { Lang::En => format!("Backward · layer {}", l + 1), Lang::Zh => format!("反向传播 · 第 {} 层", l + 1) }, is(|p| matches!(p, Phase::Backward(_))), html! { <>{ for rows }</> }));
    }

    // ----- update -----
    if let Some(u) = tr.update.as_ref() {
        let slot = 2 * l + matches!(props.target, Target::Bias(..)) as usize;
        let idx = match props.target {
            Target::Weight(_, ii, _) => ii * units + j,
            Target::Bias(..) => j,
        };
        let g = match props.target {
            Target::Weight(_, ii, _) => lt.and_then(|t| t.dw.as_ref()).map(|w| w[[ii, j]]),
            Target::Bias(..) => lt.and_then(|t| t.db.as_ref()).map(|b| b[j]),
        }
        .unwrap_or(f64::NAN);
        let old = u.params_before.get(flat).copied().unwrap_or(f64::NAN);
        let delta = u.delta.get(flat).copied().unwrap_or(f64::NAN);
        let new = u.params_after.get(flat).copied().unwrap_or(f64::NAN);
        let pick = |s: &crate::nn::OptimizerState, f: fn(&crate::nn::SlotState) -> &Vec<f64>| {
            s.slots.get(slot).and_then(|x| f(x).get(idx)).copied().unwrap_or(f64::NAN)
        };
        let (sb, sa) = (&u.state_before, &u.state_after);
        let lr = u.lr;
        let p = pname.as_str();
        let mut rows = vec![m("g = @ = # , γ = # , t = @", &[g, lr], &[&d("L", pname.clone()), &mn(u.t)])];
        match trainer.config().optimizer {
            OptimizerConfig::Sgd(c) if c.momentum == 0.0 => {
                rows.push(m("@ ← @ − γ g = # − # · #", &[old, lr, g], &[p, p]));
            }
            OptimizerConfig::Sgd(c) => {
                let (b0, b1) = (pick(sb, |s| &s.momentum), pick(sa, |s| &s.momentum));
                if u.t == 1 {
                    rows.push(m("b_1 = g = #", &[b1], &[]));
                } else {
                    rows.push(m("b_t = μ b_t−1 + ( 1 − τ ) g = # · # + # · # = #", &[c.momentum, b0, 1.0 - c.dampening, g, b1], &[]));
                }
                if c.nesterov {
                    rows.push(m("@ ← @ − γ ( g + μ b_t ) = # − # · ( # + # · # )", &[old, lr, g, c.momentum, b1], &[p, p]));
                } else {
                    rows.push(m("@ ← @ − γ b_t = # − # · #", &[old, lr, b1], &[p, p]));
                }
            }
            OptimizerConfig::Adagrad(c) => {
                let (s0, s1) = (pick(sb, |s| &s.square), pick(sa, |s| &s.square));
                let clr = u.terms.effective_lr;
                rows.push(m("G ← G + g^2 = # + #^2 = #", &[s0, g, s1], &[]));
                rows.push(m("@ ← @ − { γ̃ g } / { √G + ε } = # − { # · # } / { √# + # }", &[old, clr, g, s1, c.eps], &[p, p]));
            }
            OptimizerConfig::Rmsprop(c) => {
                let (v0, v1) = (pick(sb, |s| &s.square), pick(sa, |s| &s.square));
                rows.push(m("v ← α v + ( 1 − α ) g^2 = # · # + # · #^2 = #", &[c.alpha, v0, 1.0 - c.alpha, g, v1], &[]));
                let vt = u.terms.v_tilde.as_ref().and_then(|v| v.get(flat)).copied().unwrap_or(f64::NAN);
                if c.centered {
                    let (m0, m1) = (pick(sb, |s| &s.mean), pick(sa, |s| &s.mean));
                    rows.push(m("ḡ ← α ḡ + ( 1 − α ) g = # · # + # · # = #", &[c.alpha, m0, 1.0 - c.alpha, g, m1], &[]));
                    rows.push(m("ṽ = v − ḡ^2 = #", &[vt], &[]));
                }
                if c.momentum > 0.0 {
                    let (b0, b1) = (pick(sb, |s| &s.momentum), pick(sa, |s| &s.momentum));
                    rows.push(m("b ← μ b + { g } / { √ṽ + ε } = # · # + { # } / { √# + # } = #", &[c.momentum, b0, g, vt, c.eps, b1], &[]));
                    rows.push(m("@ ← @ − γ b = # − # · #", &[old, lr, b1], &[p, p]));
                } else {
                    rows.push(m("@ ← @ − { γ g } / { √ṽ + ε } = # − { # · # } / { √# + # }", &[old, lr, g, vt, c.eps], &[p, p]));
                }
            }
            OptimizerConfig::Adam(c) => {
                let (m0, m1) = (pick(sb, |s| &s.mean), pick(sa, |s| &s.mean));
                let (v0, v1) = (pick(sb, |s| &s.square), pick(sa, |s| &s.square));
                let (bc1, bc2) = u.bias_corrections.unwrap_or((f64::NAN, f64::NAN));
                let m_hat = u.terms.m_hat.as_ref().and_then(|v| v.get(flat)).copied().unwrap_or(f64::NAN);
                let v_hat = u.terms.v_hat.as_ref().and_then(|v| v.get(flat)).copied().unwrap_or(f64::NAN);
                rows.push(m("m ← β_1 m + ( 1 − β_1 ) g = # · # + # · # = #", &[c.beta1, m0, 1.0 - c.beta1, g, m1], &[]));
                rows.push(m("v ← β_2 v + ( 1 − β_2 ) g^2 = # · # + # · #^2 = #", &[c.beta2, v0, 1.0 - c.beta2, g, v1], &[]));
                let vmax = if c.amsgrad { pick(sa, |s| &s.max_square) } else { v1 };
                if c.amsgrad {
                    rows.push(m("v_max = max ( v_max , v ) = #", &[vmax], &[]));
                }
                rows.push(m("m̂ = { m } / { 1 − β_1^t } = { # } / { # } = #", &[m1, bc1, m_hat], &[]));
                rows.push(m("v̂ = { @ } / { 1 − β_2^t } = { # } / { # } = #", &[vmax, bc2, v_hat], &[&f(if c.amsgrad { "v_max" } else { "v" }, &[], &[])]));
                rows.push(derivation(vec![
                    vec![f("@ ← @ − { γ m̂ } / { √v̂ + ε }", &[], &[p, p])],
                    vec![f("# − { # · # } / { √# + # }", &[old, lr, m_hat, v_hat, c.eps], &[])],
                ]));
            }
        }
        rows.push(html! {
            <p class="insp-kv big">{ lang.pick("old ", "旧值 ") }<b>{ num(old) }</b>{ lang.pick(" → new ", " → 新值 ") }<b>{ num(new) }</b>
                { " · Δ = " }<b data-testid="inspector-dw">{ exact(delta) }</b></p>
        });
        sections.push(section(lang.pick("Update", "参数更新"), is(|p| p == Phase::Update), rows.into_iter().collect::<Html>()));
    }

    // ----- gradient check -----
    let pshort = param_short(props.target.param());
    let check = match &props.check {
        Some(Ok(c)) => html! {
            <p class={classes!("insp-kv", if c.relative_error < 1e-6 { "ok" } else { "bad" })} data-testid="grad-check-result">
                { match lang {
                    Lang::En => format!("{}: numeric (J(θ+h) − J(θ−h))/2h = {} · backprop {} · relative error {:.3e}", param_short(c.param), num(c.numeric), num(c.backprop), c.relative_error),
                    Lang::Zh => format!("{}：数值梯度 (J(θ+h) − J(θ−h))/2h = {} · 反向传播 {} · 相对误差 {:.3e}", param_short(c.param), num(c.numeric), num(c.backprop), c.relative_error),
                } }
            </p>
        },
        Some(Err(err)) => html! { <p class="insp-kv bad" data-testid="grad-check-result">{ check_error(*err, lang) }</p> },
        None => html! {},
    };
    let on_check = props.on_check.reform(|_: MouseEvent| ());
    let on_sample = {
        let cb = props.on_sample.clone();
        Callback::from(move |ev: Event| {
            let el: HtmlSelectElement = ev.target_unchecked_into();
            cb.emit(el.selected_index().max(0) as usize);
        })
    };
    html! {
        <div class="inspector" data-testid="inspector">
            <div class="insp-head">
                <strong>{ title }</strong>
                <span class="insp-kv">{ lang.pick("value now ", "当前值 ") }<b data-testid="inspector-w">{ exact(current_value) }</b></span>
                if nb > 0 {
                    <label class="field inline"><span class="field-label">{ lang.pick("sample", "样本") }</span>
                        <select data-testid="inspector-sample" onchange={on_sample}>
                            { for tr.batch.iter().enumerate().map(|(s, idx)| html! {
                                <option selected={s == r}>{ match lang { Lang::En => format!("{} of {nb} (#{idx})", s + 1), Lang::Zh => format!("第 {} 个，共 {nb} 个（#{idx}）", s + 1) } }</option>
                            }) }
                        </select>
                    </label>
                }
            </div>
            if sections.is_empty() {
                <p class="muted">{ lang.pick("Press “Next phase” (or “.”) to run the forward pass of the first layer; the numbers of every phase appear here.", "按“下一阶段”（或“.”）运行第一层的前向传播；每个阶段的数值都会显示在这里。") }</p>
            }
            { for sections }
            <div class="insp-check">
                <button type="button" class="btn btn-small" data-testid="grad-check" onclick={on_check}
                    title={lang.pick("Compare backprop with a central difference of the batch loss (mean + penalty)", "用批损失（平均值 + 正则项）的中心差分检验反向传播的梯度").to_string()}>
                    { format!("{} {pshort}", lang.pick("Gradient check", "梯度检验")) }
                </button>
                { check }
            </div>
        </div>
    }
}

/// A formula from a template ([`f`]) on its own line.
fn m(template: &str, nums: &[f64], parts: &[&str]) -> Html {
    math(vec![f(template, nums, parts)])
}

fn act_name(a: Activation) -> &'static str {
    match a {
        Activation::Linear => "id",
        Activation::Sigmoid => "sigmoid",
        Activation::Tanh => "tanh",
        Activation::Relu => "ReLU",
        Activation::LeakyRelu => "leakyReLU",
        Activation::Softmax => "softmax",
    }
}

/// The per-sample gradients of the parameter beside their mean and the gradient with the penalty.
/// `reg` is the L1/L2 term of a weight's gradient (`None` for a bias, which is not penalized).
fn per_sample(samples: &[f64], mean: f64, reg: Option<f64>, full: f64, current: usize, batch: &[usize], lang: Lang) -> Html {
    const SHOWN: usize = 16;
    html! {
        <div class="per-sample">
            <div class="per-list">
                { for samples.iter().take(SHOWN).enumerate().map(|(s, v)| html! {
                    <span class={classes!("chip-num", (s == current).then_some("current"))} title={format!("{} #{}", lang.pick("sample", "样本"), batch.get(s).copied().unwrap_or(0))}>
                        <small>{ format!("ℓ{}", s + 1) }</small>{ num(*v) }
                    </span>
                }) }
                if samples.len() > SHOWN { <span class="muted">{ match lang { Lang::En => format!("… {} more", samples.len() - SHOWN), Lang::Zh => format!("…… 另有 {} 个", samples.len() - SHOWN) } }</span> }
            </div>
            <p class="insp-kv">{ match lang { Lang::En => format!("mean over {} samples ", samples.len()), Lang::Zh => format!("{} 个样本的平均值 ", samples.len()) } }<b data-testid="inspector-grad-data">{ num(mean) }</b>
                if let Some(reg) = reg {
                    { lang.pick(" · L1/L2 term ", " · L1/L2 正则项 ") }<b data-testid="inspector-grad-reg">{ num(reg) }</b>
                }
                { lang.pick(" · gradient the optimizer uses ", " · 优化器实际使用的梯度 ") }<b data-testid="inspector-grad">{ num(full) }</b></p>
        </div>
    }
}

/// `∑` with the index `r` under it.
fn munder_sum() -> M {
    "<munder><mo>∑</mo><mi>r</mi></munder>".into()
}

/// `w[l]i→j` or `b[l]j`, counting from 1.
fn param_short(p: Param) -> String {
    match p {
        Param::Weight(l, i, j) => format!("w[{}]{}→{}", l + 1, i + 1, j + 1),
        Param::Bias(l, j) => format!("b[{}]{}", l + 1, j + 1),
    }
}

/// Why the gradient check could not run, in words.
fn check_error(e: CheckError, lang: Lang) -> &'static str {
    match e {
        CheckError::NoStep => lang.pick("Gradient check not possible yet: take a step in step mode first.", "暂时无法检验梯度：请先在单步模式中走一步。"),
        CheckError::BackwardPending => lang.pick(
            "Gradient check not possible yet: the backward phase of this layer has not run in this step.",
            "暂时无法检验梯度：本步中这一层的反向传播还没有运行。",
        ),
        CheckError::NotInNetwork => lang.pick("That parameter is not in the network.", "网络中没有这个参数。"),
    }
}
