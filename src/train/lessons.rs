//! The classroom lessons: each one a complete playground configuration with a title and a
//! short explanation (what to watch, what to try) in English and Simplified Chinese.
//! A lesson's link is the URL hash of its configuration ([`super::url::encode`]); the page
//! recognises a loaded lesson by comparing the configuration ([`find`]).

use super::playground::Playground;
use super::url::{decode, encode};

/// An English/Chinese text pair.
pub type Text = (&'static str, &'static str);

/// One lesson.
#[derive(Clone, Debug, PartialEq)]
pub struct Lesson {
    /// Short identifier (`keras`, `even-odd`, …).
    pub id: &'static str,
    /// Title.
    pub title: Text,
    /// A short name for the picker.
    pub short: Text,
    /// What to watch.
    pub watch: Text,
    /// What to try.
    pub try_this: Text,
    /// The configuration it loads.
    pub config: Playground,
}

impl Lesson {
    /// The lesson's link (URL hash without `#`).
    pub fn hash(&self) -> String {
        encode(&self.config)
    }
}

// Each lesson's configuration is written as its link (the URL-hash keys of
// [`super::url`]; keys left out keep the playground's defaults): `d` data set, `n` samples,
// `nz` noise, `tr`/`va` training and validation percent, `b` batch size, `f` input features,
// `h` hidden layer sizes (`-` for none), `a` hidden activation, `o` output and loss, `opt`
// optimizer, `lr` learning rate, `mu` momentum, `sch` schedule, `reg`/`rr` regularization and
// its rate, `i` initializer, `sp` speed (7 is the fastest), `log` log-scale loss chart.
// Text, not struct literals: the page reads them with the URL codec it already has.

/// Lesson 1: the course's Keras example, a network memorizing random labels.
///
/// 20 uniform inputs with random 0/1 labels, 20→32 ReLU→16 ReLU→1 sigmoid, binary
/// cross-entropy, `SGD(lr=0.01, decay=1e-6, momentum=0.9, nesterov=True)`, batch 32.
/// 300 samples: 210 to memorize, 90 to test (so test accuracy is 50 % ± about 5 %).
const KERAS: &str = "d=keras&n=300&tr=70&va=0&b=32&s=1&h=32,16&a=relu&o=sigmoid_bce&opt=nesterov&lr=0.01&mu=0.9&sch=inv:0.000001&i=xavier&sp=7";

/// Lesson 2: even or odd, logistic regression on 8 binary digits.
const EVEN_ODD: &str = "d=even_odd&n=200&tr=70&b=10&h=-&o=sigmoid_bce&opt=sgd&lr=0.1&i=zeros&sp=3";

/// Lesson 3: XOR with sigmoid and no hidden layer (a straight boundary cannot separate it).
const XOR: &str = "d=xor&nz=0&h=-&a=sigmoid&o=sigmoid_bce&opt=sgd&lr=0.1&sp=3";

/// Lesson 4: spiral with tanh (switch to ReLU to compare).
const SPIRAL: &str = "d=spiral&nz=0&f=x1,x2,sin(x1),sin(x2)&h=8,8,6&a=tanh&o=sigmoid_bce&opt=adam&lr=0.01&b=10&sp=4";

/// Lesson 5: a learning rate far too large; the linear output is unbounded, so the
/// squared error blows up to infinity within about a hundred updates.
const TOO_HIGH: &str = "d=plane&nz=0&h=4&a=tanh&o=linear_mse&opt=sgd&lr=3&b=10&sp=0";

/// Lesson 6: a ravine. A linear model on x₁, x₂ and x₁² (scales 6 vs 36): the loss surface is
/// a long narrow valley, where plain SGD zig-zags and momentum rolls along.
const RAVINE: &str = "d=plane&nz=0&f=x1,x2,x1^2&h=-&o=linear_mse&opt=sgd&lr=0.002&mu=0.9&b=250&log=1&sp=0";

/// Lesson 7: L1 regularization on a network with more inputs and neurons than it needs.
const REGULARIZATION: &str =
    "d=gauss&nz=0.2&f=x1,x2,x1^2,x2^2,x1*x2,sin(x1),sin(x2)&h=6,4&a=tanh&o=sigmoid_bce&opt=sgd&lr=0.03&reg=l1&rr=0.01&b=10&sp=4";

/// A lesson's configuration from its link.
fn config(hash: &str) -> Playground {
    decode(hash).0
}

/// All lessons, in teaching order.
pub fn all() -> Vec<Lesson> {
    vec![
        Lesson {
            id: "keras",
            short: ("Keras: memorizing noise", "Keras：记住噪声"),
            title: ("Keras example: memorizing noise", "Keras 示例：记住噪声"),
            watch: (
                "The inputs are random numbers and the labels are coin flips — there is nothing to learn. \
                 Still, training accuracy climbs above 90 % while test accuracy stays near 50 %: \
                 the network memorizes the training set. This is overfitting, and it is why we keep a test split.",
                "输入是随机数，标签是抛硬币——没有任何规律可学。可训练准确率仍然升到 90 % 以上，\
                 测试准确率却停在 50 % 左右：网络把训练集背了下来。这就是过拟合，也是我们要留出测试集的原因。",
            ),
            try_this: (
                "Make the network smaller (fewer neurons) or add L2 regularization and press Reset: \
                 training accuracy rises more slowly, test accuracy does not improve — there is no signal.",
                "把网络变小（减少神经元）或加入 L2 正则化，再按“重置”：训练准确率上升变慢，\
                 测试准确率仍不提高——数据里本来就没有信号。",
            ),
            config: config(KERAS),
        },
        Lesson {
            id: "even-odd",
            short: ("Even or odd", "奇偶"),
            title: ("Even or odd", "奇数还是偶数"),
            watch: (
                "Each number is given as 8 binary digits, lowest bit first. Only the lowest bit decides \
                 whether a number is even. Watch its weight grow (a thick line) while the other weights stay small.",
                "每个整数用 8 个二进制位表示，最低位在前。只有最低位决定奇偶。\
                 观察它的权重不断变大（连线变粗），而其他权重一直很小。",
            ),
            try_this: (
                "Hover the weights to read their values. Add a hidden layer: does it still find the lowest bit?",
                "把鼠标移到权重上查看数值。加一个隐藏层：网络还能找到最低位吗？",
            ),
            config: config(EVEN_ODD),
        },
        Lesson {
            id: "xor",
            short: ("XOR needs a layer", "异或需要隐藏层"),
            title: ("XOR: why one layer is not enough", "异或：为什么一层不够"),
            watch: (
                "Without a hidden layer the network can only draw one straight boundary, \
                 and no straight line separates the XOR quadrants: the loss stops falling near 0.69 and accuracy stays near 50 %.",
                "没有隐藏层时，网络只能画出一条直线边界，而没有任何直线能分开异或的四个象限：\
                 损失停在 0.69 左右，准确率在 50 % 附近。",
            ),
            try_this: (
                "Add a hidden layer with 2–4 sigmoid neurons and train again. Or keep no hidden layer and \
                 turn on the input x₁x₂: one well-chosen feature also solves it.",
                "加一个含 2–4 个 sigmoid 神经元的隐藏层再训练。或者不要隐藏层，打开输入特征 x₁x₂：\
                 一个合适的特征也能解决它。",
            ),
            config: config(XOR),
        },
        Lesson {
            id: "spiral",
            short: ("Spiral: tanh vs ReLU", "螺旋：tanh/ReLU"),
            title: ("Spiral: tanh vs ReLU", "螺旋：tanh 与 ReLU"),
            watch: (
                "Three tanh layers wind a smooth boundary around the two spirals. \
                 Watch the neurons' small maps: each later layer combines the curves of the one before.",
                "三层 tanh 网络绕着两条螺旋画出平滑的边界。观察神经元的小图：后一层把前一层的曲线组合起来。",
            ),
            try_this: (
                "Switch the activation to ReLU and press Reset: the boundary becomes a polygon of straight pieces. \
                 Compare how fast the loss falls.",
                "把激活函数换成 ReLU 并按“重置”：边界变成由直线段拼成的多边形。比较损失下降的速度。",
            ),
            config: config(SPIRAL),
        },
        Lesson {
            id: "too-high",
            short: ("Learning rate too high", "学习率太大"),
            title: ("Learning rate too high", "学习率太大"),
            watch: (
                "With learning rate 3 every update overshoots the minimum by more than it corrects, \
                 so the error grows instead of shrinking. Within about a hundred updates the numbers overflow \
                 to infinity and training pauses with an explanation.",
                "学习率为 3 时，每次更新都越过最小值，而且越过的比纠正的还多，误差越来越大。\
                 大约一百次更新后数值溢出为无穷大，训练自动暂停并给出说明。",
            ),
            try_this: (
                "Lower the learning rate to 0.03, press Reset and play again: the loss now falls smoothly.",
                "把学习率降到 0.03，按“重置”后再播放：损失平稳下降。",
            ),
            config: config(TOO_HIGH),
        },
        Lesson {
            id: "ravine",
            short: ("Momentum in a ravine", "峡谷中的动量"),
            title: ("Momentum vs SGD in a ravine", "峡谷中的动量与 SGD"),
            watch: (
                "The input x₁² is six times larger than x₁ and x₂, so the loss surface is a long, narrow valley. \
                 Plain SGD must use a small step and creeps along the valley floor (log-scale loss chart).",
                "输入 x₁² 比 x₁、x₂ 大六倍，损失曲面成了一条又长又窄的峡谷。\
                 普通 SGD 只能用小步长，沿着谷底缓慢前进（损失图为对数坐标）。",
            ),
            try_this: (
                "Switch the optimizer to Momentum (same learning rate) and press Reset: the velocity builds up \
                 along the valley and the loss falls much faster. Compare the paths in the optimizer lab below.",
                "把优化器换成 Momentum（学习率不变）并按“重置”：速度沿峡谷累积，损失下降快得多。\
                 在下方的优化器实验室中比较它们的路径。",
            ),
            config: config(RAVINE),
        },
        Lesson {
            id: "regularization",
            short: ("L1 vs L2", "L1 与 L2"),
            title: ("Regularization: L1 vs L2", "正则化：L1 与 L2"),
            watch: (
                "Two blobs need only x₁ and x₂, but this network gets seven inputs and ten neurons. \
                 L1 pulls every weight toward zero by the same amount, so the useless ones die: their lines vanish.",
                "两团点只需要 x₁ 和 x₂，这个网络却有七个输入和十个神经元。\
                 L1 把每个权重以相同的量拉向零，无用的权重因此消失：它们的连线不见了。",
            ),
            try_this: (
                "Switch to L2 and press Reset: L2 shrinks each weight in proportion to its size, \
                 so all lines get thinner but few disappear. Raise the rate to see both take over the loss.",
                "换成 L2 并按“重置”：L2 按权重大小成比例地缩小它们，所有连线都变细，但很少消失。\
                 调大正则化率，看看它们如何主导损失。",
            ),
            config: config(REGULARIZATION),
        },
    ]
}

/// The lesson whose configuration is `p`, if any. The weight seed, speed and view options
/// are ignored, so "new weights" or a slower speed keep the lesson selected.
pub fn find(p: &Playground) -> Option<usize> {
    let key = |q: &Playground| Playground {
        weight_seed: 0,
        speed: 0,
        discretize: false,
        show_test: true,
        log_scale: false,
        ..q.clone()
    };
    let k = key(p);
    all().iter().position(|l| key(&l.config) == k)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every lesson's link is read without a notice (no misspelt key or value falls back to
    /// a default unnoticed), and it is the canonical link of what it loads, up to the keys
    /// left at their defaults.
    #[test]
    fn lesson_links_read_cleanly() {
        for hash in [KERAS, EVEN_ODD, XOR, SPIRAL, TOO_HIGH, RAVINE, REGULARIZATION] {
            let (p, notices) = decode(hash);
            assert!(notices.is_empty(), "{hash}: {notices:?}");
            let full = encode(&p);
            for pair in hash.split('&') {
                assert!(full.split('&').any(|q| q == pair), "{hash}: {pair} is not how the codec writes it ({full})");
            }
        }
    }
}
