//! Reads an experiment file into an [`Experiment`] without serde, for the browser's import
//! (see [`super::json`] for why). Same fields, defaults and checks as
//! [`Experiment::from_json`] (native tests compare the two on valid, broken and 7,000
//! mutated files); errors name the field (`network.hidden[1]: expected a whole number, got
//! string "a"`).
//!
//! Reading records the first error and goes on with placeholder values, so reading a field
//! is one call with no early return: the code has no clean-up path per field, which keeps
//! this reader small in the page's bundle. Only the first error is reported, in the order
//! the fields are read here.

use super::decimal::parse_f64;
use super::experiment::{DataSpec, Experiment, ExperimentError, InitSpec, LayerParams, NetworkDef, FORMAT, VERSION};
use super::json::{parse, Json};
use crate::data::{Feature, Generator, GeneratorKind, SplitRatio};
use crate::nn::optimizer::{AdagradConfig, AdamConfig, RmspropConfig, SgdConfig};
use crate::nn::regularization::RegKind;
use crate::nn::{Activation, Init, Loss, OptimizerConfig, Regularization, Schedule};

/// The first error met, if any.
#[derive(Default)]
struct Rd(Option<ExperimentError>);

impl Rd {
    fn fail(&mut self, path: &str, message: String) {
        if self.0.is_none() {
            self.0 = Some(ExperimentError { path: path.to_string(), message });
        }
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn index(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

// ---------------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------------

fn wrong(r: &mut Rd, path: &str, what: &str, j: &Json) {
    r.fail(path, format!("expected {what}, got {}", j.describe()));
}

/// A finite number, or what is wrong with `j`.
fn number(j: &Json) -> Result<f64, String> {
    match j {
        Json::Num(n) => parse_f64(n).filter(|v| v.is_finite()).ok_or_else(|| format!("number {n} is out of range")),
        _ => Err(format!("expected a number, got {}", j.describe())),
    }
}

/// A finite number; `0` after an error.
fn f64_(r: &mut Rd, path: &str, j: &Json) -> f64 {
    number(j).unwrap_or_else(|m| {
        r.fail(path, m);
        0.0
    })
}

/// A whole number ≥ 0 up to `max`; `0` after an error.
fn whole(r: &mut Rd, path: &str, j: &Json, max: u64) -> u64 {
    match j {
        Json::Num(n) => match n.parse::<u64>() {
            Ok(v) if v <= max => v,
            Ok(v) => {
                r.fail(path, format!("{v} is too large"));
                0
            }
            Err(_) => {
                r.fail(path, format!("expected a whole number ≥ 0, got {n}"));
                0
            }
        },
        _ => {
            wrong(r, path, "a whole number", j);
            0
        }
    }
}

fn u64_(r: &mut Rd, path: &str, j: &Json) -> u64 {
    whole(r, path, j, u64::MAX)
}

fn usize_(r: &mut Rd, path: &str, j: &Json) -> usize {
    whole(r, path, j, usize::MAX as u64) as usize
}

fn bool_(r: &mut Rd, path: &str, j: &Json) -> bool {
    match j {
        Json::Bool(b) => *b,
        _ => {
            wrong(r, path, "a boolean", j);
            false
        }
    }
}

/// A string; `""` after an error.
fn str_<'a>(r: &mut Rd, path: &str, j: &'a Json) -> &'a str {
    match j {
        Json::Str(s) => s,
        _ => {
            wrong(r, path, "a string", j);
            ""
        }
    }
}

/// An array; empty after an error.
fn arr<'a>(r: &mut Rd, path: &str, j: &'a Json) -> &'a [Json] {
    match j {
        Json::Arr(a) => a,
        _ => {
            wrong(r, path, "an array", j);
            &[]
        }
    }
}

/// A name that `from` knows; `fallback` after an error.
fn named<T>(r: &mut Rd, path: &str, j: &Json, what: &str, from: fn(&str) -> Option<T>, fallback: T) -> T {
    let s = str_(r, path, j);
    if r.0.is_some() {
        return fallback;
    }
    from(s).unwrap_or_else(|| {
        r.fail(path, format!("unknown {what} \"{s}\""));
        fallback
    })
}

fn f64s(r: &mut Rd, path: &str, j: &Json) -> Vec<f64> {
    // The element's path is only spelled out for an error (files can hold many numbers).
    arr(r, path, j)
        .iter()
        .enumerate()
        .map(|(i, v)| {
            number(v).unwrap_or_else(|m| {
                r.fail(&index(path, i), m);
                0.0
            })
        })
        .collect()
}

fn rows(r: &mut Rd, path: &str, j: &Json) -> Vec<Vec<f64>> {
    let a = arr(r, path, j);
    let mut out = Vec::with_capacity(a.len());
    for (i, v) in a.iter().enumerate() {
        if r.0.is_some() {
            break;
        }
        out.push(f64s(r, &index(path, i), v));
    }
    out
}

fn names<T: Copy>(r: &mut Rd, path: &str, j: &Json, what: &str, from: fn(&str) -> Option<T>, fallback: T) -> Vec<T> {
    let a = arr(r, path, j);
    let mut out = Vec::with_capacity(a.len());
    for (i, v) in a.iter().enumerate() {
        out.push(named(r, &index(path, i), v, what, from, fallback));
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Objects
// ---------------------------------------------------------------------------------------------

/// An object being read: fields are taken one by one; what is left is an unknown field.
struct Obj<'a> {
    path: String,
    fields: Vec<(&'a str, &'a Json)>,
}

impl<'a> Obj<'a> {
    /// `j` as an object (a repeated key is an error); empty after an error.
    fn new(r: &mut Rd, path: &str, j: &'a Json) -> Obj<'a> {
        let mut o = Obj { path: path.to_string(), fields: Vec::new() };
        match j {
            Json::Obj(f) => {
                for (k, v) in f {
                    if o.fields.iter().any(|(q, _)| q == k) {
                        r.fail(&join(path, k), "duplicate field".into());
                        return o;
                    }
                    o.fields.push((k.as_str(), v));
                }
            }
            _ => wrong(r, path, "an object", j),
        }
        o
    }

    /// Fails on a field not in `known` (checked first, as serde does).
    fn only(self, r: &mut Rd, known: &[&str]) -> Self {
        if let Some((k, _)) = self.fields.iter().find(|(k, _)| !known.contains(k)) {
            r.fail(&join(&self.path, k), format!("unknown field `{k}`"));
        }
        self
    }

    fn at(&self, key: &str) -> String {
        join(&self.path, key)
    }

    fn has(&self, key: &str) -> bool {
        self.fields.iter().any(|(k, _)| *k == key)
    }

    fn take(&mut self, key: &str) -> Option<&'a Json> {
        let i = self.fields.iter().position(|(k, _)| *k == key)?;
        Some(self.fields.remove(i).1)
    }

    /// A field that must be there; `null` after recording that it is missing.
    fn need(&mut self, r: &mut Rd, key: &str) -> &'a Json {
        match self.take(key) {
            Some(j) => j,
            None => {
                r.fail(&self.at(key), format!("missing field `{key}`"));
                &Json::Null
            }
        }
    }

    /// An optional field: absent and `null` are both `None` (as serde reads an `Option`).
    fn opt(&mut self, key: &str) -> Option<&'a Json> {
        self.take(key).filter(|j| **j != Json::Null)
    }

    fn f64_or(&mut self, r: &mut Rd, key: &str, default: f64) -> f64 {
        match self.take(key) {
            Some(j) => f64_(r, &self.at(key), j),
            None => default,
        }
    }

    fn f64_req(&mut self, r: &mut Rd, key: &str) -> f64 {
        let j = self.need(r, key);
        f64_(r, &self.at(key), j)
    }

    fn u64_or(&mut self, r: &mut Rd, key: &str, default: u64) -> u64 {
        match self.take(key) {
            Some(j) => u64_(r, &self.at(key), j),
            None => default,
        }
    }

    fn usize_or(&mut self, r: &mut Rd, key: &str, default: usize) -> usize {
        match self.take(key) {
            Some(j) => usize_(r, &self.at(key), j),
            None => default,
        }
    }

    fn bool_or(&mut self, r: &mut Rd, key: &str, default: bool) -> bool {
        match self.take(key) {
            Some(j) => bool_(r, &self.at(key), j),
            None => default,
        }
    }

    fn str_req(&mut self, r: &mut Rd, key: &str) -> &'a str {
        let j = self.need(r, key);
        str_(r, &self.at(key), j)
    }

    /// Fails on a field nobody took.
    fn done(self, r: &mut Rd) {
        if let Some((k, _)) = self.fields.first() {
            r.fail(&join(&self.path, k), format!("unknown field `{k}`"));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Sections
// ---------------------------------------------------------------------------------------------

fn data(r: &mut Rd, j: &Json) -> DataSpec {
    let mut o = Obj::new(r, "data", j);
    if o.has("generator") {
        let g = o.need(r, "generator");
        let kind = named(r, "data.generator", g, "generator", GeneratorKind::from_name, GeneratorKind::Circle);
        let stock = Generator::new(kind, 500, 0.0, 0);
        let g = Generator {
            generator: kind,
            samples: o.usize_or(r, "samples", stock.samples),
            noise: o.f64_or(r, "noise", 0.0),
            seed: o.u64_or(r, "seed", 0),
            bits: o.usize_or(r, "bits", stock.bits),
            dims: o.usize_or(r, "dims", stock.dims),
        };
        o.done(r);
        return DataSpec::Generated(g);
    }
    if o.has("x") || o.has("y") {
        let x = o.need(r, "x");
        let x = rows(r, "data.x", x);
        let y = o.need(r, "y");
        let y = rows(r, "data.y", y);
        o.done(r);
        return DataSpec::Inline { x, y };
    }
    r.fail("data", "needs a \"generator\", or \"x\" and \"y\" arrays".into());
    DataSpec::Inline { x: Vec::new(), y: Vec::new() }
}

fn init(r: &mut Rd, j: &Json) -> InitSpec {
    match j {
        Json::Str(s) => InitSpec::Named(Init::from_name(s).unwrap_or_else(|| {
            r.fail("init", format!("unknown initializer \"{s}\""));
            Init::Xavier
        })),
        Json::Obj(_) => {
            let mut o = Obj::new(r, "init", j);
            if let Some(layers) = o.take("layers") {
                let a = arr(r, "init.layers", layers);
                let mut out = Vec::with_capacity(a.len());
                for (i, l) in a.iter().enumerate() {
                    let p = index("init.layers", i);
                    let mut lo = Obj::new(r, &p, l);
                    let w = lo.need(r, "w");
                    let w = rows(r, &join(&p, "w"), w);
                    let b = lo.need(r, "b");
                    let b = f64s(r, &join(&p, "b"), b);
                    lo.done(r);
                    out.push(LayerParams { w, b });
                }
                o.done(r);
                return InitSpec::Inline { layers: out };
            }
            let name = o.str_req(r, "name");
            let init = match name {
                "uniform" => Init::Uniform { scale: o.f64_or(r, "scale", 0.5) },
                other => Init::from_name(other).unwrap_or_else(|| {
                    if r.0.is_none() {
                        r.fail("init.name", format!("unknown initializer \"{other}\""));
                    }
                    Init::Xavier
                }),
            };
            o.done(r);
            InitSpec::Named(init)
        }
        _ => {
            wrong(r, "init", "a name or an object", j);
            InitSpec::Named(Init::Xavier)
        }
    }
}

fn optimizer(r: &mut Rd, j: &Json) -> OptimizerConfig {
    if !matches!(j, Json::Obj(_)) {
        r.fail("optimizer", "must be an object with a \"name\" (sgd, adagrad, rmsprop or adam)".into());
        return OptimizerConfig::Sgd(SgdConfig::default());
    }
    let mut o = Obj::new(r, "optimizer", j);
    let c = match o.str_req(r, "name") {
        "sgd" => {
            let d = SgdConfig::default();
            OptimizerConfig::Sgd(SgdConfig {
                lr: o.f64_or(r, "lr", d.lr),
                momentum: o.f64_or(r, "momentum", d.momentum),
                dampening: o.f64_or(r, "dampening", d.dampening),
                nesterov: o.bool_or(r, "nesterov", d.nesterov),
            })
        }
        "adagrad" => {
            let d = AdagradConfig::default();
            OptimizerConfig::Adagrad(AdagradConfig {
                lr: o.f64_or(r, "lr", d.lr),
                lr_decay: o.f64_or(r, "lr_decay", d.lr_decay),
                initial_accumulator_value: o.f64_or(r, "initial_accumulator_value", d.initial_accumulator_value),
                eps: o.f64_or(r, "eps", d.eps),
            })
        }
        "rmsprop" => {
            let d = RmspropConfig::default();
            OptimizerConfig::Rmsprop(RmspropConfig {
                lr: o.f64_or(r, "lr", d.lr),
                alpha: o.f64_or(r, "alpha", d.alpha),
                eps: o.f64_or(r, "eps", d.eps),
                momentum: o.f64_or(r, "momentum", d.momentum),
                centered: o.bool_or(r, "centered", d.centered),
            })
        }
        "adam" => {
            let d = AdamConfig::default();
            OptimizerConfig::Adam(AdamConfig {
                lr: o.f64_or(r, "lr", d.lr),
                beta1: o.f64_or(r, "beta1", d.beta1),
                beta2: o.f64_or(r, "beta2", d.beta2),
                eps: o.f64_or(r, "eps", d.eps),
                amsgrad: o.bool_or(r, "amsgrad", d.amsgrad),
            })
        }
        other => {
            if r.0.is_none() {
                r.fail("optimizer.name", format!("unknown optimizer \"{other}\", expected sgd, adagrad, rmsprop or adam"));
            }
            return OptimizerConfig::Sgd(SgdConfig::default());
        }
    };
    o.done(r);
    c
}

fn schedule(r: &mut Rd, j: &Json) -> Schedule {
    if !matches!(j, Json::Obj(_)) {
        r.fail("schedule", "must be an object with a \"name\"".into());
        return Schedule::Constant;
    }
    let mut o = Obj::new(r, "schedule", j);
    let s = match o.str_req(r, "name") {
        "constant" => Schedule::Constant,
        "inverse_time" => Schedule::InverseTime { decay: o.f64_req(r, "decay") },
        "step" => {
            let j = o.need(r, "step_size");
            let step_size = u64_(r, "schedule.step_size", j);
            Schedule::Step { step_size, gamma: o.f64_req(r, "gamma") }
        }
        "exponential" => Schedule::Exponential { gamma: o.f64_req(r, "gamma") },
        other => {
            if r.0.is_none() {
                r.fail("schedule.name", format!("unknown schedule \"{other}\", expected constant, inverse_time, step or exponential"));
            }
            return Schedule::Constant;
        }
    };
    o.done(r);
    s
}

fn loss(s: &str) -> Option<Loss> {
    match s {
        "binary_cross_entropy" => Some(Loss::BinaryCrossEntropy),
        "softmax_cross_entropy" => Some(Loss::SoftmaxCrossEntropy),
        s => Loss::from_name(s),
    }
}

fn reg_kind(s: &str) -> Option<RegKind> {
    match s {
        "none" => Some(RegKind::None),
        "l1" => Some(RegKind::L1),
        "l2" => Some(RegKind::L2),
        _ => None,
    }
}

/// Parses and checks a file like [`Experiment::from_json`]. Never panics; errors name the field.
pub fn read(text: &str) -> Result<Experiment, ExperimentError> {
    let err = |message: String| Err(ExperimentError { path: String::new(), message });
    if text.len() > 64 * 1024 * 1024 {
        return err("file is larger than 64 MiB".into());
    }
    let v = match parse(text) {
        Ok(v) => v,
        Err(e) => return err(format!("not valid JSON: {e}")),
    };
    if !matches!(v, Json::Obj(_)) {
        return err("the file must hold a JSON object".into());
    }
    let r = &mut Rd::default();
    let mut o = Obj::new(r, "", &v).only(
        r,
        &[
            "format", "version", "title", "data", "split", "features", "network", "init", "loss", "optimizer", "schedule",
            "regularization", "batch_size", "shuffle", "seed", "steps", "playground",
        ],
    );
    let format = o.str_req(r, "format").to_string();
    let version = o.need(r, "version");
    let version = whole(r, "version", version, u32::MAX as u64) as u32;
    if r.0.is_none() && format != FORMAT {
        r.fail("format", format!("must be \"{FORMAT}\", got \"{format}\""));
    }
    if r.0.is_none() && version != VERSION {
        r.fail("version", format!("only version {VERSION} is supported, got {version}"));
    }
    let title = o.opt("title").map(|j| str_(r, "title", j).to_string());
    let data = {
        let j = o.need(r, "data");
        data(r, j)
    };
    let split = match o.take("split") {
        None => SplitRatio::default(),
        Some(j) => {
            let mut s = Obj::new(r, "split", j).only(r, &["train", "validation", "test"]);
            let ratio = SplitRatio { train: s.f64_req(r, "train"), validation: s.f64_or(r, "validation", 0.0), test: s.f64_or(r, "test", 0.0) };
            s.done(r);
            ratio
        }
    };
    let features = o.opt("features").map(|j| names(r, "features", j, "feature", Feature::from_name, Feature::X1));
    let network = {
        let j = o.need(r, "network");
        let mut n = Obj::new(r, "network", j).only(r, &["hidden", "activation", "activations", "output", "outputs"]);
        let hidden = n.need(r, "hidden");
        let hidden = arr(r, "network.hidden", hidden).iter().enumerate().map(|(i, h)| usize_(r, &index("network.hidden", i), h)).collect();
        let activation = match n.take("activation") {
            Some(j) => named(r, "network.activation", j, "activation", Activation::from_name, Activation::Tanh),
            None => Activation::Tanh,
        };
        let activations = n.opt("activations").map(|j| names(r, "network.activations", j, "activation", Activation::from_name, Activation::Tanh));
        let output = n.need(r, "output");
        let output = named(r, "network.output", output, "activation", Activation::from_name, Activation::Sigmoid);
        let outputs = n.opt("outputs").map(|j| usize_(r, "network.outputs", j));
        n.done(r);
        NetworkDef { hidden, activation, activations, output, outputs }
    };
    let init = match o.opt("init") {
        None => InitSpec::Named(Init::Xavier),
        Some(j) => init(r, j),
    };
    let loss = {
        let j = o.need(r, "loss");
        named(r, "loss", j, "loss", loss, Loss::Mse)
    };
    let optimizer = {
        let j = o.need(r, "optimizer");
        optimizer(r, j)
    };
    let schedule = match o.opt("schedule") {
        None => Schedule::Constant,
        Some(j) => schedule(r, j),
    };
    let regularization = match o.take("regularization") {
        None => Regularization::default(),
        Some(j) => {
            let mut g = Obj::new(r, "regularization", j).only(r, &["kind", "rate"]);
            let kind = match g.take("kind") {
                Some(j) => named(r, "regularization.kind", j, "regularization", reg_kind, RegKind::None),
                None => RegKind::None,
            };
            let rate = g.f64_or(r, "rate", 0.0);
            g.done(r);
            Regularization { kind, rate }
        }
    };
    let batch_size = {
        let j = o.need(r, "batch_size");
        usize_(r, "batch_size", j)
    };
    let shuffle = o.bool_or(r, "shuffle", true);
    let seed = o.u64_or(r, "seed", 0);
    let steps = o.u64_or(r, "steps", 0);
    let playground = o.opt("playground").map(|j| str_(r, "playground", j).to_string());
    o.done(r);
    if let Some(e) = r.0.take() {
        return Err(e);
    }
    let exp = Experiment {
        format,
        version,
        title,
        data,
        split,
        features,
        network,
        init,
        loss,
        optimizer,
        schedule,
        regularization,
        batch_size,
        shuffle,
        seed,
        steps,
        playground,
    };
    exp.validate()?;
    Ok(exp)
}
