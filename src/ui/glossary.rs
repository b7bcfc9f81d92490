//! A small glossary of the concepts the screen names, in English and Chinese, and the
//! [`Gloss`] marker that attaches one entry to a label: a focusable `?` whose popover
//! (`role="tooltip"`, referenced by `aria-describedby`) opens on hover and on keyboard focus.

use super::i18n::{use_lang, Lang};
use std::cell::Cell;
use yew::prelude::*;

/// A concept with a glossary entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Term {
    /// 神经网络.
    NeuralNetwork,
    /// 权重.
    Weight,
    /// 偏置.
    Bias,
    /// 激活函数.
    Activation,
    /// 损失函数.
    Loss,
    /// 梯度下降.
    GradientDescent,
    /// 反向传播.
    Backpropagation,
    /// 动量.
    Momentum,
    /// 学习率.
    LearningRate,
    /// 正则化.
    Regularization,
    /// 轮次.
    Epoch,
    /// 批 / 批大小.
    Batch,
    /// 过拟合.
    Overfitting,
    /// 噪声.
    Noise,
    /// 训练集 / 验证集 / 测试集.
    Split,
    /// 更新次数.
    Update,
}

impl Term {
    /// Every entry, in reading order.
    pub const ALL: [Term; 16] = [
        Term::NeuralNetwork,
        Term::Weight,
        Term::Bias,
        Term::Activation,
        Term::Loss,
        Term::GradientDescent,
        Term::Backpropagation,
        Term::Momentum,
        Term::LearningRate,
        Term::Regularization,
        Term::Epoch,
        Term::Batch,
        Term::Overfitting,
        Term::Noise,
        Term::Split,
        Term::Update,
    ];

    /// The term itself.
    pub fn name(self, lang: Lang) -> &'static str {
        let (en, zh) = match self {
            Term::NeuralNetwork => ("neural network", "神经网络"),
            Term::Weight => ("weight", "权重"),
            Term::Bias => ("bias", "偏置"),
            Term::Activation => ("activation function", "激活函数"),
            Term::Loss => ("loss function", "损失函数"),
            Term::GradientDescent => ("gradient descent", "梯度下降"),
            Term::Backpropagation => ("backpropagation", "反向传播"),
            Term::Momentum => ("momentum", "动量"),
            Term::LearningRate => ("learning rate", "学习率"),
            Term::Regularization => ("regularization", "正则化"),
            Term::Epoch => ("epoch", "轮次"),
            Term::Batch => ("batch", "批"),
            Term::Overfitting => ("overfitting", "过拟合"),
            Term::Noise => ("noise", "噪声"),
            Term::Split => ("training / validation / test set", "训练集 / 验证集 / 测试集"),
            Term::Update => ("update", "更新"),
        };
        lang.pick(en, zh)
    }

    /// A one- or two-sentence explanation.
    pub fn definition(self, lang: Lang) -> &'static str {
        let (en, zh) = match self {
            Term::NeuralNetwork => (
                "Layers of simple units (neurons). Each computes a weighted sum of its inputs plus a bias and passes it through an activation function; stacked, they can bend a straight line into any boundary.",
                "由许多简单单元（神经元）分层组成。每个神经元先求输入的加权和再加上偏置，然后经过激活函数；多层叠加后，能把直线弯成任意形状的分界线。",
            ),
            Term::Weight => (
                "A number on a connection that says how strongly one neuron's output counts in the next neuron's sum. Training adjusts the weights.",
                "连接上的一个数，表示上一个神经元的输出在下一个神经元的加权和中占多大分量。训练就是调整权重。",
            ),
            Term::Bias => (
                "A number added to a neuron's weighted sum; it shifts where the neuron switches on, like the intercept b in y = w·x + b.",
                "加到神经元加权和上的一个数，用来平移神经元“开启”的位置，就像 y = w·x + b 中的截距 b。",
            ),
            Term::Activation => (
                "The non-linear function a neuron applies to its weighted sum (tanh, ReLU, sigmoid …). Without it, any number of layers would still be one linear map.",
                "神经元对加权和施加的非线性函数（tanh、ReLU、sigmoid 等）。没有它，多少层叠在一起也只是一个线性变换。",
            ),
            Term::Loss => (
                "A single number that measures how wrong the predictions are (e.g. mean squared error, cross-entropy). Training tries to make it small.",
                "用一个数衡量预测错得有多严重（如均方误差、交叉熵）。训练的目标就是让它变小。",
            ),
            Term::GradientDescent => (
                "Move every parameter a small step against its gradient: θ ← θ − α·∂L/∂θ. Repeated, this walks downhill on the loss.",
                "让每个参数沿梯度的反方向走一小步：θ ← θ − α·∂L/∂θ。反复进行，损失就沿“下坡”不断减小。",
            ),
            Term::Backpropagation => (
                "The chain rule applied from the loss back through the layers, giving the gradient ∂L/∂θ of every weight and bias in one backward pass.",
                "从损失出发，沿网络逐层向后应用链式法则，一次反向计算就得到每个权重和偏置的梯度 ∂L/∂θ。",
            ),
            Term::Momentum => (
                "The update keeps a running velocity v ← μv + g, so steps build up in a steady direction and zig-zags cancel out.",
                "更新时保留一个“速度” v ← μv + g，方向一致的步子会越走越快，来回震荡则相互抵消。",
            ),
            Term::LearningRate => (
                "The step size α of each update. Too small: slow learning. Too large: the loss jumps around or blows up.",
                "每次更新的步长 α。太小学得慢；太大损失会来回跳动甚至发散。",
            ),
            Term::Regularization => (
                "A penalty on large weights added to the loss: L1 (λ·Σ|w|) pushes weights to exactly zero, L2 (λ·Σw²) shrinks them. It fights overfitting.",
                "在损失中加上对大权重的惩罚：L1（λ·Σ|w|）会把权重压成 0，L2（λ·Σw²）让权重整体变小。用来抑制过拟合。",
            ),
            Term::Epoch => (
                "One pass over the whole training set. With batches of size B and N training points, an epoch is about N / B updates.",
                "把整个训练集完整过一遍。训练集有 N 个样本、批大小为 B 时，一轮大约是 N / B 次更新。",
            ),
            Term::Batch => (
                "The group of training points whose average gradient makes one update. Size 1 is stochastic gradient descent; the whole set is batch gradient descent.",
                "一次更新所用的那组训练样本，用它们梯度的平均值来更新。批大小为 1 即随机梯度下降；用整个训练集即批量梯度下降。",
            ),
            Term::Overfitting => (
                "The network memorizes the training points, noise included: training loss keeps falling while validation and test loss rise.",
                "网络把训练样本（连同噪声）死记硬背下来：训练损失不断下降，验证集和测试集上的损失却上升。",
            ),
            Term::Noise => (
                "Random jitter added to the data, so the classes overlap and a perfect fit would be overfitting.",
                "给数据加上的随机扰动，使各类别互相交叠；这时把训练数据拟合得完美无缺反而是过拟合。",
            ),
            Term::Split => (
                "The network learns from the training set; the validation set guides choices such as when to stop; the test set is kept aside to measure how well it generalizes.",
                "网络从训练集学习；验证集用来做选择（如何时停止）；测试集留到最后，用来衡量泛化能力。",
            ),
            Term::Update => (
                "One step of the optimizer: compute the gradient on one batch and change every weight and bias once.",
                "优化器的一步：在一个批上计算梯度，并把每个权重和偏置各修改一次。",
            ),
        };
        lang.pick(en, zh)
    }

    /// A stable id fragment.
    pub fn key(self) -> &'static str {
        match self {
            Term::NeuralNetwork => "network",
            Term::Weight => "weight",
            Term::Bias => "bias",
            Term::Activation => "activation",
            Term::Loss => "loss",
            Term::GradientDescent => "gradient-descent",
            Term::Backpropagation => "backprop",
            Term::Momentum => "momentum",
            Term::LearningRate => "learning-rate",
            Term::Regularization => "regularization",
            Term::Epoch => "epoch",
            Term::Batch => "batch",
            Term::Overfitting => "overfitting",
            Term::Noise => "noise",
            Term::Split => "split",
            Term::Update => "update",
        }
    }
}

thread_local! {
    static NEXT_ID: Cell<u32> = const { Cell::new(0) };
}

/// A [`Gloss`] marker for `term` (one shared function keeps each use site small).
#[inline(never)]
pub fn gloss(term: Term) -> Html {
    html! { <Gloss {term} /> }
}

/// Props of [`Gloss`].
#[derive(Properties, PartialEq)]
pub struct GlossProps {
    /// The entry shown.
    pub term: Term,
}

/// A `?` marker: keyboard-focusable, its explanation opens on hover and focus and is the
/// marker's accessible description.
#[component]
pub fn Gloss(props: &GlossProps) -> Html {
    let lang = use_lang();
    let id = use_memo((), |_| {
        NEXT_ID.with(|n| {
            let v = n.get();
            n.set(v + 1);
            v
        })
    });
    let tip_id = format!("gloss-{}-{}", props.term.key(), *id);
    let name = props.term.name(lang);
    // Escape hides an open explanation (it shows while the marker has the focus).
    let onkeydown = Callback::from(|ev: KeyboardEvent| {
        if ev.key() == "Escape" {
            if let Some(el) = ev.target_dyn_into::<web_sys::HtmlElement>() {
                let _ = el.blur();
            }
        }
    });
    html! {
        <span class="gloss" data-testid={format!("gloss-{}", props.term.key())}>
            <button type="button" class="gloss-btn" aria-describedby={tip_id.clone()} {onkeydown}
                aria-label={format!("{} {}", lang.pick("What is", "什么是"), name).trim().to_string()}>{ "?" }</button>
            <span class="gloss-tip" role="tooltip" id={tip_id}>
                <b>{ name }</b>{ lang.pick(": ", "：") }{ props.term.definition(lang) }
            </span>
        </span>
    }
}
