//! The experiment file: a versioned JSON description of a whole training run.
//! The app exports and imports the same format. See `README.md` ("Experiment files")
//! for the field list; [`Experiment::from_json`] reports errors as `path: problem`.

use super::stepper::{TrainConfig, TrainData, Trainer};
use crate::data::{features::featurize, Dataset, Feature, Generator, Split, SplitRatio, Task};
use crate::nn::network::{MAX_LAYERS, MAX_UNITS};
use crate::nn::{Activation, Init, Loss, Network, NetworkSpec, OptimizerConfig, Regularization, Rng, Schedule};
use ndarray::{Array1, Array2};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;

/// The `format` field's required value.
pub const FORMAT: &str = "gradlab-experiment";
/// The current version.
pub const VERSION: u32 = 1;
/// Most rows of inline data.
pub const MAX_ROWS: usize = 100_000;
/// Most steps a file may ask for.
pub const MAX_STEPS: u64 = 10_000_000;

/// An error in an experiment file: where, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExperimentError {
    /// Dotted path of the field (`network.hidden[1]`), or empty for the whole file.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ExperimentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for ExperimentError {}

fn err(path: impl Into<String>, message: impl Into<String>) -> ExperimentError {
    ExperimentError { path: path.into(), message: message.into() }
}

/// Turns `"field: problem"` messages from validators into errors under `prefix`.
fn prefixed(prefix: &str, msg: String) -> ExperimentError {
    match msg.split_once(": ") {
        Some((field, rest)) if !field.contains(' ') => {
            let path = if prefix.is_empty() { field.to_string() } else { format!("{prefix}.{field}") };
            err(path, rest)
        }
        _ => err(prefix, msg),
    }
}

/// Where the samples come from.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum DataSpec {
    /// A named generator with its settings.
    Generated(Generator),
    /// Inline arrays: `x` rows are inputs, `y` rows are the targets the network trains on.
    Inline {
        /// Input rows.
        x: Vec<Vec<f64>>,
        /// Target rows.
        y: Vec<Vec<f64>>,
    },
}

/// Initial parameters.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum InitSpec {
    /// Drawn by an initializer.
    Named(Init),
    /// Given layer by layer.
    Inline {
        /// One entry per layer.
        layers: Vec<LayerParams>,
    },
}

/// One layer's parameters: `w` as `[inputs][units]`, `b` as `[units]`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayerParams {
    /// Weights, one row per input.
    pub w: Vec<Vec<f64>>,
    /// Biases.
    pub b: Vec<f64>,
}

/// The network's shape (inputs follow from the data).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkDef {
    /// Hidden layer widths.
    pub hidden: Vec<usize>,
    /// Hidden activation (all hidden layers).
    #[serde(default = "default_activation")]
    pub activation: Activation,
    /// Per-hidden-layer activations, overriding `activation`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activations: Option<Vec<Activation>>,
    /// Output activation.
    pub output: Activation,
    /// Output width (default: 1, or the number of classes for softmax).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outputs: Option<usize>,
}

fn default_activation() -> Activation {
    Activation::Tanh
}
fn default_true() -> bool {
    true
}

/// A whole experiment.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Experiment {
    /// Always [`FORMAT`].
    pub format: String,
    /// Always [`VERSION`].
    pub version: u32,
    /// Optional title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Samples.
    pub data: DataSpec,
    /// Train / validation / test shares.
    pub split: SplitRatio,
    /// Derived features (2-D generators only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub features: Option<Vec<Feature>>,
    /// Network shape.
    pub network: NetworkDef,
    /// Initial parameters.
    pub init: InitSpec,
    /// Loss, written as [`Loss::name`] (`mse`, `bce`, `softmax_ce`).
    pub loss: Loss,
    /// Optimizer.
    pub optimizer: OptimizerConfig,
    /// Schedule.
    pub schedule: Schedule,
    /// Regularization.
    pub regularization: Regularization,
    /// Mini-batch size.
    pub batch_size: usize,
    /// Shuffle every epoch.
    pub shuffle: bool,
    /// Seed for initialization, split and shuffling.
    pub seed: u64,
    /// Updates to run (the command-line runner).
    pub steps: u64,
    /// The app's settings that the fields above cannot hold (view, speed, weight seed,
    /// points edited by hand), as its URL hash; optional, ignored by the runner.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub playground: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    format: String,
    version: u32,
    #[serde(default)]
    title: Option<String>,
    data: Value,
    #[serde(default)]
    split: SplitRatio,
    #[serde(default)]
    features: Option<Vec<Feature>>,
    network: NetworkDef,
    #[serde(default)]
    init: Option<Value>,
    loss: Loss,
    optimizer: Value,
    #[serde(default)]
    schedule: Option<Value>,
    #[serde(default)]
    regularization: Regularization,
    batch_size: usize,
    #[serde(default = "default_true")]
    shuffle: bool,
    #[serde(default)]
    seed: u64,
    #[serde(default)]
    steps: u64,
    #[serde(default)]
    playground: Option<String>,
}


fn parse<T: DeserializeOwned>(prefix: &str, v: Value) -> Result<T, ExperimentError> {
    serde_path_to_error::deserialize(v).map_err(|e| {
        let inner = e.path().to_string();
        let path = match (prefix.is_empty(), inner == ".") {
            (true, _) => inner,
            (false, true) => prefix.to_string(),
            (false, false) if inner.starts_with('[') => format!("{prefix}{inner}"),
            (false, false) => format!("{prefix}.{inner}"),
        };
        let path = if path == "." { String::new() } else { path };
        let message = e.into_inner().to_string();
        // serde reports a missing field (and, inside a tagged enum, an unknown one) at the
        // enclosing object; the path should name the field itself.
        let named = ["missing field `", "unknown field `"]
            .iter()
            .find_map(|p| message.strip_prefix(p))
            .and_then(|rest| rest.split_once('`'))
            .map(|(field, _)| field.to_string());
        let path = match named {
            Some(f) if !(path == f || path.ends_with(&format!(".{f}"))) => {
                if path.is_empty() {
                    f
                } else {
                    format!("{path}.{f}")
                }
            }
            _ => path,
        };
        err(path, message)
    })
}

/// What [`Experiment::build`] makes.
pub struct Built {
    /// The trainer, ready to step.
    pub trainer: Trainer,
    /// The raw data before splitting and featurizing (for plots).
    pub dataset: Dataset,
    /// Whether accuracy is meaningful.
    pub classification: bool,
}

impl Experiment {
    /// Parses and checks a file. Never panics; errors name the field.
    pub fn from_json(text: &str) -> Result<Experiment, ExperimentError> {
        if text.len() > 64 * 1024 * 1024 {
            return Err(err("", "file is larger than 64 MiB"));
        }
        let v: Value = serde_json::from_str(text).map_err(|e| err("", format!("not valid JSON: {e}")))?;
        if !v.is_object() {
            return Err(err("", "the file must hold a JSON object"));
        }
        let raw: Raw = parse("", v)?;
        if raw.format != FORMAT {
            return Err(err("format", format!("must be \"{FORMAT}\", got \"{}\"", raw.format)));
        }
        if raw.version != VERSION {
            return Err(err("version", format!("only version {VERSION} is supported, got {}", raw.version)));
        }
        let data = parse_data(raw.data)?;
        let init = match raw.init {
            None => InitSpec::Named(Init::Xavier),
            Some(Value::String(s)) => InitSpec::Named(
                Init::from_name(&s).ok_or_else(|| err("init", format!("unknown initializer \"{s}\"")))?,
            ),
            Some(v @ Value::Object(_)) if v.get("layers").is_some() => {
                #[derive(Deserialize)]
                #[serde(deny_unknown_fields)]
                struct L {
                    layers: Vec<LayerParams>,
                }
                InitSpec::Inline { layers: parse::<L>("init", v)?.layers }
            }
            Some(v) => {
                if let Value::Object(m) = &v {
                    let uniform = m.get("name").and_then(Value::as_str) == Some("uniform");
                    if let Some(k) = m.keys().find(|k| !(k.as_str() == "name" || (uniform && k.as_str() == "scale"))) {
                        return Err(err(format!("init.{k}"), "unknown field for this initializer"));
                    }
                    if uniform && m.get("scale").is_some_and(|v| !v.is_number()) {
                        return Err(err("init.scale", "must be a number"));
                    }
                }
                InitSpec::Named(parse("init", v)?)
            }
        };
        let exp = Experiment {
            format: raw.format,
            version: raw.version,
            title: raw.title,
            data,
            split: raw.split,
            features: raw.features,
            network: raw.network,
            init,
            loss: raw.loss,
            optimizer: parse_optimizer(raw.optimizer)?,
            schedule: match raw.schedule {
                None => Schedule::Constant,
                Some(v) => parse_schedule(v)?,
            },
            regularization: raw.regularization,
            batch_size: raw.batch_size,
            shuffle: raw.shuffle,
            seed: raw.seed,
            steps: raw.steps,
            playground: raw.playground,
        };
        exp.validate()?;
        Ok(exp)
    }

    /// Pretty JSON in the file format.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("experiment serializes")
    }

    pub(crate) fn validate(&self) -> Result<(), ExperimentError> {
        self.split.validate().map_err(|m| prefixed("", m))?;
        self.optimizer.validate().map_err(|m| prefixed("optimizer", m))?;
        self.schedule.validate().map_err(|m| prefixed("schedule", m))?;
        if !(self.regularization.rate.is_finite() && self.regularization.rate >= 0.0) {
            return Err(err("regularization.rate", "must be a finite number ≥ 0"));
        }
        if self.batch_size == 0 || self.batch_size > MAX_ROWS {
            return Err(err("batch_size", format!("must be between 1 and {MAX_ROWS}, got {}", self.batch_size)));
        }
        if self.steps > MAX_STEPS {
            return Err(err("steps", format!("must be at most {MAX_STEPS}, got {}", self.steps)));
        }
        let hidden = &self.network.hidden;
        if hidden.len() >= MAX_LAYERS {
            return Err(err(
                "network.hidden",
                format!("at most {} hidden layers, got {}", MAX_LAYERS - 1, hidden.len()),
            ));
        }
        if let Some(i) = hidden.iter().position(|&u| u == 0 || u > MAX_UNITS) {
            return Err(err(format!("network.hidden[{i}]"), format!("must be between 1 and {MAX_UNITS}, got {}", hidden[i])));
        }
        if let Some(k) = self.network.outputs {
            if k == 0 || k > MAX_UNITS {
                return Err(err("network.outputs", format!("must be between 1 and {MAX_UNITS}, got {k}")));
            }
        }
        match &self.network.activations {
            Some(a) if a.len() != hidden.len() => {
                return Err(err(
                    "network.activations",
                    format!("has {} entries but there are {} hidden layers", a.len(), hidden.len()),
                ));
            }
            Some(a) => {
                if let Some(i) = a.iter().position(|&a| a == Activation::Softmax) {
                    return Err(err(format!("network.activations[{i}]"), "softmax is only allowed on the output layer"));
                }
            }
            None if self.network.activation == Activation::Softmax && !hidden.is_empty() => {
                return Err(err("network.activation", "softmax is only allowed on the output layer"));
            }
            None => {}
        }
        self.loss.check_output(self.network.output).map_err(|m| err("loss", m))?;
        if let InitSpec::Named(Init::Uniform { scale }) = self.init {
            if !(scale.is_finite() && (0.0..=1e6).contains(&scale)) {
                return Err(err("init.scale", format!("must be a number between 0 and 1e6, got {scale:?}")));
            }
        }
        match &self.data {
            DataSpec::Generated(g) => {
                g.validate().map_err(|m| prefixed("data", m))?;
                if self.features.is_some() && !g.generator.is_2d() {
                    return Err(err("features", "only 2-D generators have derived features"));
                }
            }
            DataSpec::Inline { x, y } => {
                if self.features.is_some() {
                    return Err(err("features", "only 2-D generators have derived features"));
                }
                inline_dataset(x, y)?;
            }
        }
        if let Some(f) = &self.features {
            if f.is_empty() {
                return Err(err("features", "choose at least one feature"));
            }
        }
        Ok(())
    }

    /// Output width: explicit, or the number of classes for softmax, else 1.
    fn outputs(&self, data: &Dataset) -> usize {
        match (self.network.outputs, self.network.output, data.task) {
            (Some(k), _, _) => k,
            (None, Activation::Softmax, Task::Classification { classes }) => classes,
            (None, _, _) => match &self.data {
                DataSpec::Inline { y, .. } => y.first().map_or(1, |r| r.len()),
                _ => 1,
            },
        }
    }

    /// The network spec for `inputs` inputs and `outputs` outputs.
    pub fn network_spec(&self, inputs: usize, outputs: usize) -> NetworkSpec {
        let acts = self.network.activations.clone().unwrap_or_else(|| vec![self.network.activation; self.network.hidden.len()]);
        let mut spec = NetworkSpec::mlp(inputs, &self.network.hidden, Activation::Tanh, outputs, self.network.output);
        for (l, a) in spec.layers.iter_mut().zip(acts) {
            l.activation = a;
        }
        spec
    }

    /// The training settings.
    pub fn train_config(&self) -> TrainConfig {
        TrainConfig {
            loss: self.loss,
            optimizer: self.optimizer,
            schedule: self.schedule,
            regularization: self.regularization,
            batch_size: self.batch_size,
            shuffle: self.shuffle,
            seed: self.seed,
        }
    }

    /// Makes the data, the network and the trainer.
    pub fn build(&self) -> Result<Built, ExperimentError> {
        let dataset = match &self.data {
            DataSpec::Generated(g) => g.generate().map_err(|m| prefixed("data", m))?,
            DataSpec::Inline { x, y } => inline_dataset(x, y)?,
        };
        let outputs = self.outputs(&dataset);
        let split = Split::new(&dataset, &self.split, self.seed);
        let feats: Option<Vec<Feature>> = match &self.data {
            DataSpec::Generated(g) if g.generator.is_2d() => {
                Some(self.features.clone().unwrap_or_else(|| vec![Feature::X1, Feature::X2]))
            }
            _ => None,
        };
        let prep = |d: &Dataset| -> (Array2<f64>, Array2<f64>) {
            let x = match &feats {
                Some(f) => featurize(&d.x, f),
                None => d.x.clone(),
            };
            let y = match &self.data {
                DataSpec::Inline { .. } => d.y.clone(),
                _ => d.targets(outputs),
            };
            (x, y)
        };
        let (train_x, train_y) = prep(&split.train);
        let (val_x, val_y) = prep(&split.validation);
        let (test_x, test_y) = prep(&split.test);
        if train_y.ncols() != outputs {
            return Err(err(
                "network.outputs",
                format!("is {outputs} but the targets have {} columns", train_y.ncols()),
            ));
        }
        let spec = self.network_spec(train_x.ncols(), outputs);
        spec.validate().map_err(|m| match m.split_once(": ") {
            // The file names the hidden widths, not the engine's `layers`.
            Some(("layers", rest)) => err("network.hidden", rest),
            Some(("inputs", rest)) => err(if self.features.is_some() { "features" } else { "data" }, format!("inputs {rest}")),
            _ => prefixed("network", m),
        })?;
        let net = match &self.init {
            InitSpec::Named(init) => Network::new(&spec, init, &mut Rng::new(self.seed)).map_err(|m| prefixed("network", m))?,
            InitSpec::Inline { layers } => inline_network(&spec, layers)?,
        };
        let data = TrainData { train_x, train_y, val_x, val_y, test_x, test_y };
        let trainer = Trainer::new(net, self.train_config(), data).map_err(|m| prefixed("", m))?;
        let classification = match &self.data {
            DataSpec::Generated(g) => !g.generator.is_regression(),
            DataSpec::Inline { .. } => self.loss != Loss::Mse,
        };
        Ok(Built { trainer, dataset, classification })
    }
}

/// The optimizer object: `name` picks the algorithm, the other fields are its settings
/// (parsed per algorithm so that errors name the field, e.g. `optimizer.lr`).
fn parse_optimizer(v: Value) -> Result<OptimizerConfig, ExperimentError> {
    let Value::Object(mut map) = v else {
        return Err(err("optimizer", "must be an object with a \"name\" (sgd, adagrad, rmsprop or adam)"));
    };
    let name = match map.remove("name") {
        Some(Value::String(s)) => s,
        Some(_) => return Err(err("optimizer.name", "must be a string")),
        None => return Err(err("optimizer.name", "missing field `name`")),
    };
    let rest = Value::Object(map);
    Ok(match name.as_str() {
        "sgd" => OptimizerConfig::Sgd(parse("optimizer", rest)?),
        "adagrad" => OptimizerConfig::Adagrad(parse("optimizer", rest)?),
        "rmsprop" => OptimizerConfig::Rmsprop(parse("optimizer", rest)?),
        "adam" => OptimizerConfig::Adam(parse("optimizer", rest)?),
        other => {
            return Err(err(
                "optimizer.name",
                format!("unknown optimizer \"{other}\", expected sgd, adagrad, rmsprop or adam"),
            ))
        }
    })
}

/// The schedule object, parsed per kind so that errors name the field.
fn parse_schedule(v: Value) -> Result<Schedule, ExperimentError> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Constant {}
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct InverseTime {
        decay: f64,
    }
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Step {
        step_size: u64,
        gamma: f64,
    }
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Exponential {
        gamma: f64,
    }
    let Value::Object(mut map) = v else {
        return Err(err("schedule", "must be an object with a \"name\""));
    };
    let name = match map.remove("name") {
        Some(Value::String(s)) => s,
        Some(_) => return Err(err("schedule.name", "must be a string")),
        None => return Err(err("schedule.name", "missing field `name`")),
    };
    let rest = Value::Object(map);
    Ok(match name.as_str() {
        "constant" => {
            parse::<Constant>("schedule", rest)?;
            Schedule::Constant
        }
        "inverse_time" => Schedule::InverseTime { decay: parse::<InverseTime>("schedule", rest)?.decay },
        "step" => {
            let s: Step = parse("schedule", rest)?;
            Schedule::Step { step_size: s.step_size, gamma: s.gamma }
        }
        "exponential" => Schedule::Exponential { gamma: parse::<Exponential>("schedule", rest)?.gamma },
        other => {
            return Err(err(
                "schedule.name",
                format!("unknown schedule \"{other}\", expected constant, inverse_time, step or exponential"),
            ))
        }
    })
}

fn parse_data(v: Value) -> Result<DataSpec, ExperimentError> {
    let Value::Object(map) = &v else {
        return Err(err("data", "must be an object with a \"generator\", or with \"x\" and \"y\" arrays"));
    };
    if map.contains_key("generator") {
        return Ok(DataSpec::Generated(parse("data", v)?));
    }
    if map.contains_key("x") || map.contains_key("y") {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Inline {
            x: Vec<Vec<f64>>,
            y: Vec<Vec<f64>>,
        }
        let i: Inline = parse("data", v)?;
        return Ok(DataSpec::Inline { x: i.x, y: i.y });
    }
    Err(err("data", "needs a \"generator\", or \"x\" and \"y\" arrays"))
}

fn matrix(path: &str, rows: &[Vec<f64>]) -> Result<Array2<f64>, ExperimentError> {
    let cols = rows.first().map_or(0, |r| r.len());
    if cols == 0 {
        return Err(err(path, "must be a non-empty array of non-empty rows"));
    }
    let mut flat = Vec::with_capacity(rows.len() * cols);
    for (i, r) in rows.iter().enumerate() {
        if r.len() != cols {
            return Err(err(format!("{path}[{i}]"), format!("has {} values, expected {cols} like the first row", r.len())));
        }
        if let Some(j) = r.iter().position(|v| !v.is_finite()) {
            return Err(err(format!("{path}[{i}][{j}]"), "must be a finite number"));
        }
        flat.extend_from_slice(r);
    }
    Ok(Array2::from_shape_vec((rows.len(), cols), flat).expect("rows × cols values"))
}

fn inline_dataset(x: &[Vec<f64>], y: &[Vec<f64>]) -> Result<Dataset, ExperimentError> {
    if x.len() > MAX_ROWS {
        return Err(err("data.x", format!("has {} rows, the limit is {MAX_ROWS}", x.len())));
    }
    let xm = matrix("data.x", x)?;
    let ym = matrix("data.y", y)?;
    if xm.nrows() != ym.nrows() {
        return Err(err("data.y", format!("has {} rows but data.x has {}", ym.nrows(), xm.nrows())));
    }
    Ok(Dataset { x: xm, y: ym, task: Task::Regression })
}

fn inline_network(spec: &NetworkSpec, layers: &[LayerParams]) -> Result<Network, ExperimentError> {
    if layers.len() != spec.layers.len() {
        return Err(err("init.layers", format!("has {} layers, the network has {}", layers.len(), spec.layers.len())));
    }
    let mut params = Vec::new();
    let mut fan_in = spec.inputs;
    for (i, (lp, ls)) in layers.iter().zip(&spec.layers).enumerate() {
        let w = matrix(&format!("init.layers[{i}].w"), &lp.w)?;
        if w.dim() != (fan_in, ls.units) {
            return Err(err(
                format!("init.layers[{i}].w"),
                format!("is {}×{}, expected {}×{} (inputs × units)", w.nrows(), w.ncols(), fan_in, ls.units),
            ));
        }
        if lp.b.len() != ls.units {
            return Err(err(format!("init.layers[{i}].b"), format!("has {} values, expected {}", lp.b.len(), ls.units)));
        }
        if lp.b.iter().any(|v| !v.is_finite()) {
            return Err(err(format!("init.layers[{i}].b"), "values must be finite numbers"));
        }
        params.push((w, Array1::from(lp.b.clone())));
        fan_in = ls.units;
    }
    Network::from_params(spec, params).map_err(|m| prefixed("init", m))
}

/// A network's parameters in the file's inline form.
pub fn layer_params(net: &Network) -> Vec<LayerParams> {
    net.layers
        .iter()
        .map(|l| LayerParams { w: l.w.rows().into_iter().map(|r| r.to_vec()).collect(), b: l.b.to_vec() })
        .collect()
}
