//! The playground's configuration: everything the main screen lets a user choose,
//! how it becomes data + network + trainer, and (in [`super::url`]) its URL-hash form.

use super::stepper::{TrainConfig, TrainData, Trainer};
use crate::data::{features::featurize, Dataset, Feature, Generator, GeneratorKind, Split, SplitRatio, Task};
use crate::nn::optimizer::OptimizerKind;
use crate::nn::regularization::RegKind;
use crate::nn::{Activation, Init, Loss, Network, NetworkSpec, OptimizerConfig, Regularization, Rng, Schedule};
use ndarray::Array2;

/// Output activation and loss, chosen together so they fit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Head {
    /// One sigmoid output with binary cross-entropy (classification).
    SigmoidBce,
    /// One softmax output per class with cross-entropy (classification).
    SoftmaxCe,
    /// One linear output with mean squared error.
    LinearMse,
    /// One tanh output with mean squared error.
    TanhMse,
}

impl Head {
    /// All heads.
    pub const ALL: [Head; 4] = [Head::SigmoidBce, Head::SoftmaxCe, Head::LinearMse, Head::TanhMse];

    /// URL name.
    pub fn name(self) -> &'static str {
        match self {
            Head::SigmoidBce => "sigmoid_bce",
            Head::SoftmaxCe => "softmax_ce",
            Head::LinearMse => "linear_mse",
            Head::TanhMse => "tanh_mse",
        }
    }

    /// Parses [`Head::name`].
    pub fn from_name(s: &str) -> Option<Head> {
        Self::ALL.into_iter().find(|h| h.name() == s)
    }

    /// Output activation and loss.
    pub fn parts(self) -> (Activation, Loss) {
        match self {
            Head::SigmoidBce => (Activation::Sigmoid, Loss::BinaryCrossEntropy),
            Head::SoftmaxCe => (Activation::Softmax, Loss::SoftmaxCrossEntropy),
            Head::LinearMse => (Activation::Linear, Loss::Mse),
            Head::TanhMse => (Activation::Tanh, Loss::Mse),
        }
    }

    /// Whether the head fits the task (cross-entropy needs class labels).
    pub fn fits(self, regression: bool) -> bool {
        !regression || matches!(self, Head::LinearMse | Head::TanhMse)
    }
}

/// How much training one animation frame does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Speed {
    /// A fixed number of updates.
    Updates(u32),
    /// A fixed number of epochs.
    Epochs(u32),
    /// As many updates as fit in the frame's time budget.
    Max,
}

/// The speed settings, slowest first.
pub const SPEEDS: [Speed; 8] = [
    Speed::Updates(1),
    Speed::Updates(5),
    Speed::Updates(20),
    Speed::Epochs(1),
    Speed::Epochs(3),
    Speed::Epochs(10),
    Speed::Epochs(30),
    Speed::Max,
];

/// A point added by hand: `(x₁, x₂, class or target)`.
pub type AddedPoint = (f64, f64, f64);

/// Where a displayed point comes from, so the UI can remove it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// Index into the generated data.
    Generated(usize),
    /// Index into [`Playground::added`].
    Added(usize),
}

/// Everything the playground's controls set.
#[derive(Clone, Debug, PartialEq)]
pub struct Playground {
    /// Data generator.
    pub dataset: GeneratorKind,
    /// Noise, 0 to 0.5.
    pub noise: f64,
    /// Samples generated.
    pub samples: usize,
    /// Training share in percent.
    pub train_pct: u32,
    /// Validation share in percent (test gets the rest).
    pub val_pct: u32,
    /// Mini-batch size.
    pub batch: usize,
    /// Seed of data, split, weights and shuffling.
    pub seed: u64,
    /// Extra seed for the initial weights only ("new weights" bumps it).
    pub weight_seed: u64,
    /// Input features (2-D data).
    pub features: Vec<Feature>,
    /// Hidden layer widths (0 to 8 layers, 1 to 32 neurons).
    pub hidden: Vec<usize>,
    /// Hidden activation.
    pub activation: Activation,
    /// Output activation + loss.
    pub head: Head,
    /// Optimizer.
    pub optimizer: OptimizerKind,
    /// Learning rate.
    pub lr: f64,
    /// Momentum μ (momentum, Nesterov; RMSprop's momentum).
    pub momentum: f64,
    /// Adam β₁.
    pub beta1: f64,
    /// Adam β₂.
    pub beta2: f64,
    /// RMSprop α.
    pub alpha: f64,
    /// Learning-rate schedule.
    pub schedule: Schedule,
    /// Regularization kind.
    pub reg: RegKind,
    /// Regularization rate λ.
    pub reg_rate: f64,
    /// Weight initializer.
    pub init: Init,
    /// Index into [`SPEEDS`].
    pub speed: usize,
    /// Show the output as decision regions only.
    pub discretize: bool,
    /// Show test points.
    pub show_test: bool,
    /// Log-scale loss chart.
    pub log_scale: bool,
    /// Points added by hand (they join the training set).
    pub added: Vec<AddedPoint>,
    /// Indices of generated points removed by hand.
    pub removed: Vec<usize>,
}

/// Limits of the controls.
pub mod limits {
    /// Most hidden layers.
    pub const MAX_LAYERS: usize = 8;
    /// Most neurons per hidden layer.
    pub const MAX_NEURONS: usize = 32;
    /// Fewest / most samples.
    pub const SAMPLES: (usize, usize) = (20, 2000);
    /// Most points added by hand.
    pub const MAX_ADDED: usize = 500;
}

impl Default for Playground {
    fn default() -> Self {
        Playground {
            dataset: GeneratorKind::Circle,
            noise: 0.0,
            samples: 500,
            train_pct: 50,
            val_pct: 0,
            batch: 10,
            seed: 1,
            weight_seed: 0,
            features: vec![Feature::X1, Feature::X2],
            hidden: vec![4, 2],
            activation: Activation::Tanh,
            head: Head::SigmoidBce,
            optimizer: OptimizerKind::Sgd,
            lr: 0.03,
            momentum: 0.9,
            beta1: 0.9,
            beta2: 0.999,
            alpha: 0.99,
            schedule: Schedule::Constant,
            reg: RegKind::None,
            reg_rate: 0.0,
            init: Init::Xavier,
            speed: 3,
            discretize: false,
            show_test: true,
            log_scale: false,
            added: Vec::new(),
            removed: Vec::new(),
        }
    }
}

/// The raw train, validation and test points and where each came from.
pub struct Parts {
    /// Training points (hand-added ones last).
    pub train: Dataset,
    /// Validation points.
    pub validation: Dataset,
    /// Test points.
    pub test: Dataset,
    /// Origin of each point of the three parts.
    pub sources: [Vec<Source>; 3],
}

/// What [`Playground::build`] makes.
pub struct Built {
    /// The trainer.
    pub trainer: Trainer,
    /// Raw training points (2-D data: `(x₁, x₂)` rows) and their labels.
    pub train: Dataset,
    /// Raw validation points.
    pub validation: Dataset,
    /// Raw test points.
    pub test: Dataset,
    /// Origin of each training, validation and test point.
    pub sources: [Vec<Source>; 3],
}

impl Playground {
    /// Whether the data is real-valued.
    pub fn regression(&self) -> bool {
        self.dataset.is_regression()
    }

    /// The optimizer configuration with these hyper-parameters (PyTorch defaults otherwise).
    pub fn optimizer_config(&self) -> OptimizerConfig {
        let mut c = self.optimizer.preset(self.lr);
        match &mut c {
            OptimizerConfig::Sgd(s) if s.momentum != 0.0 => s.momentum = self.momentum,
            OptimizerConfig::Adam(a) => {
                a.beta1 = self.beta1;
                a.beta2 = self.beta2;
            }
            OptimizerConfig::Rmsprop(r) => r.alpha = self.alpha,
            _ => {}
        }
        c
    }

    /// The regularization.
    pub fn regularization(&self) -> Regularization {
        Regularization { kind: self.reg, rate: self.reg_rate }
    }

    /// The training settings.
    pub fn train_config(&self) -> TrainConfig {
        TrainConfig {
            loss: self.head.parts().1,
            optimizer: self.optimizer_config(),
            schedule: self.schedule,
            regularization: self.regularization(),
            batch_size: self.batch,
            shuffle: true,
            seed: self.seed,
        }
    }

    /// Input width.
    pub fn inputs(&self) -> usize {
        if self.dataset.is_2d() {
            self.features.len()
        } else {
            self.generator().generate().map(|d| d.x.ncols()).unwrap_or(1)
        }
    }

    /// Output width.
    pub fn outputs(&self) -> usize {
        if self.head == Head::SoftmaxCe {
            2
        } else {
            1
        }
    }

    /// The network shape.
    pub fn network_spec(&self, inputs: usize) -> NetworkSpec {
        NetworkSpec::mlp(inputs, &self.hidden, self.activation, self.outputs(), self.head.parts().0)
    }

    /// The data generator.
    pub fn generator(&self) -> Generator {
        Generator::new(self.dataset, self.samples, self.noise, self.seed)
    }

    /// The split shares.
    pub fn split_ratio(&self) -> SplitRatio {
        let test = 100u32.saturating_sub(self.train_pct + self.val_pct);
        SplitRatio { train: self.train_pct as f64, validation: self.val_pct as f64, test: test as f64 }
    }

    /// Raw data after the split and the hand edits (removals, then additions to training).
    pub fn datasets(&self) -> Result<Parts, String> {
        let data = self.generator().generate()?;
        // Split first, so editing points never moves the others between parts.
        let parts = Split::partition(data.len(), &self.split_ratio(), self.seed)
            .map(|p| p.into_iter().filter(|i| !self.removed.contains(i)).collect::<Vec<_>>());
        let mut split = Split {
            train: data.select(&parts[0]),
            validation: data.select(&parts[1]),
            test: data.select(&parts[2]),
        };
        if !self.added.is_empty() && self.dataset.is_2d() {
            let rows = split.train.len() + self.added.len();
            let mut x: Vec<f64> = split.train.x.iter().copied().collect();
            let mut y: Vec<f64> = split.train.y.iter().copied().collect();
            for &(a, b, c) in &self.added {
                x.extend([a, b]);
                y.push(c);
            }
            let x = Array2::from_shape_vec((rows, 2), x).expect("two inputs per point");
            let y = Array2::from_shape_vec((rows, 1), y).expect("one label per point");
            split.train = Dataset { x, y, task: split.train.task };
        }
        let mut sources = parts.map(|p| p.into_iter().map(Source::Generated).collect::<Vec<_>>());
        if self.dataset.is_2d() {
            sources[0].extend((0..self.added.len()).map(Source::Added));
        }
        Ok(Parts { train: split.train, validation: split.validation, test: split.test, sources })
    }

    /// Inputs and targets the network trains on.
    pub fn prepare(&self, d: &Dataset) -> (Array2<f64>, Array2<f64>) {
        let x = if self.dataset.is_2d() { featurize(&d.x, &self.features) } else { d.x.clone() };
        (x, d.targets(self.outputs()))
    }

    /// The training data for the trainer.
    pub fn train_data(&self, train: &Dataset, validation: &Dataset, test: &Dataset) -> TrainData {
        let (train_x, train_y) = self.prepare(train);
        let (val_x, val_y) = self.prepare(validation);
        let (test_x, test_y) = self.prepare(test);
        TrainData { train_x, train_y, val_x, val_y, test_x, test_y }
    }

    /// Initial weights for this configuration (seeded).
    pub fn initial_network(&self, inputs: usize) -> Result<Network, String> {
        let seed = self.seed ^ 0x1417_0000 ^ self.weight_seed.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        Network::new(&self.network_spec(inputs), &self.init, &mut Rng::new(seed))
    }

    /// Makes the data, the network and the trainer.
    pub fn build(&self) -> Result<Built, String> {
        let Parts { train, validation, test, sources } = self.datasets()?;
        let data = self.train_data(&train, &validation, &test);
        let net = self.initial_network(data.train_x.ncols())?;
        let mut config = self.train_config();
        config.batch_size = config.batch_size.min(data.train_x.nrows()).max(1);
        let trainer = Trainer::new(net, config, data)?;
        Ok(Built { trainer, train, validation, test, sources })
    }

    /// Whether a change from `old` to `self` needs a new network (shape, data or init);
    /// otherwise the running trainer can take the new settings as they are.
    pub fn needs_rebuild(&self, old: &Playground) -> bool {
        self.dataset != old.dataset
            || self.noise != old.noise
            || self.samples != old.samples
            || self.train_pct != old.train_pct
            || self.val_pct != old.val_pct
            || self.seed != old.seed
            || self.weight_seed != old.weight_seed
            || self.features != old.features
            || self.hidden != old.hidden
            || self.activation != old.activation
            || self.head != old.head
            || self.init != old.init
            || self.added != old.added
            || self.removed != old.removed
    }

    /// The task of the data.
    pub fn task(&self) -> Task {
        if self.regression() {
            Task::Regression
        } else {
            Task::Classification { classes: 2 }
        }
    }
}
