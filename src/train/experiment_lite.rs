//! Reads an experiment file into an [`Experiment`] without serde, for the browser's import
//! (see [`super::json`] for why). Same fields, defaults and checks as
//! [`Experiment::from_json`] (a native test compares the two on valid and broken files);
//! errors name the field (`network.hidden[1]: expected a whole number, got string "a"`).

use super::experiment::{DataSpec, Experiment, ExperimentError, InitSpec, LayerParams, NetworkDef, FORMAT, VERSION};
use super::json::{parse, Json};
use super::decimal::parse_f64;
use crate::data::{Feature, Generator, GeneratorKind, SplitRatio};
use crate::nn::optimizer::{AdagradConfig, AdamConfig, RmspropConfig, SgdConfig};
use crate::nn::regularization::RegKind;
use crate::nn::{Activation, Init, Loss, OptimizerConfig, Regularization, Schedule};

type R<T> = Result<T, ExperimentError>;

fn err(path: &str, message: impl Into<String>) -> ExperimentError {
    ExperimentError { path: path.to_string(), message: message.into() }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// An object being read: fields are taken one by one; what is left is an unknown field.
struct Obj<'a> {
    path: String,
    fields: Vec<(&'a str, &'a Json)>,
}

impl<'a> Obj<'a> {
    fn new(path: &str, j: &'a Json) -> R<Obj<'a>> {
        let Json::Obj(f) = j else {
            return Err(err(path, format!("expected an object, got {}", j.describe())));
        };
        let mut fields: Vec<(&str, &Json)> = Vec::with_capacity(f.len());
        for (k, v) in f {
            if fields.iter().any(|(q, _)| q == k) {
                return Err(err(&join(path, k), "duplicate field"));
            }
            fields.push((k.as_str(), v));
        }
        Ok(Obj { path: path.to_string(), fields })
    }

    fn at(&self, key: &str) -> String {
        join(&self.path, key)
    }

    fn take(&mut self, key: &str) -> Option<&'a Json> {
        let i = self.fields.iter().position(|(k, _)| *k == key)?;
        Some(self.fields.remove(i).1)
    }

    fn need(&mut self, key: &str) -> R<&'a Json> {
        self.take(key).ok_or_else(|| err(&self.at(key), format!("missing field `{key}`")))
    }

    fn opt<T>(&mut self, key: &str, read: impl Fn(&str, &Json) -> R<T>) -> R<Option<T>> {
        // `null` is an absent optional field, as with serde's `Option`.
        let path = self.at(key);
        self.take(key).filter(|j| **j != Json::Null).map(|j| read(&path, j)).transpose()
    }

    fn or<T>(&mut self, key: &str, default: T, read: impl Fn(&str, &Json) -> R<T>) -> R<T> {
        Ok(self.opt(key, read)?.unwrap_or(default))
    }

    fn req<T>(&mut self, key: &str, read: impl Fn(&str, &Json) -> R<T>) -> R<T> {
        let j = self.need(key)?;
        read(&self.at(key), j)
    }

    /// Fails on a field not in `known` (checked first, as serde does).
    fn only(self, known: &[&str]) -> R<Self> {
        match self.fields.iter().find(|(k, _)| !known.contains(k)) {
            Some((k, _)) => Err(err(&join(&self.path, k), format!("unknown field `{k}`"))),
            None => Ok(self),
        }
    }

    /// Fails on a field nobody took.
    fn done(self) -> R<()> {
        match self.fields.first() {
            Some((k, _)) => Err(err(&join(&self.path, k), format!("unknown field `{k}`"))),
            None => Ok(()),
        }
    }
}

fn f64_(path: &str, j: &Json) -> R<f64> {
    match j {
        Json::Num(n) => parse_f64(n).filter(|v| v.is_finite()).ok_or_else(|| err(path, format!("number {n} is out of range"))),
        _ => Err(err(path, format!("expected a number, got {}", j.describe()))),
    }
}

fn u64_(path: &str, j: &Json) -> R<u64> {
    match j {
        Json::Num(n) => n.parse::<u64>().map_err(|_| err(path, format!("expected a whole number ≥ 0, got {n}"))),
        _ => Err(err(path, format!("expected a whole number, got {}", j.describe()))),
    }
}

fn usize_(path: &str, j: &Json) -> R<usize> {
    u64_(path, j).and_then(|v| usize::try_from(v).map_err(|_| err(path, format!("{v} is too large"))))
}

fn u32_(path: &str, j: &Json) -> R<u32> {
    u64_(path, j).and_then(|v| u32::try_from(v).map_err(|_| err(path, format!("{v} is too large"))))
}

fn bool_(path: &str, j: &Json) -> R<bool> {
    match j {
        Json::Bool(b) => Ok(*b),
        _ => Err(err(path, format!("expected a boolean, got {}", j.describe()))),
    }
}

fn str_<'a>(path: &str, j: &'a Json) -> R<&'a str> {
    match j {
        Json::Str(s) => Ok(s),
        _ => Err(err(path, format!("expected a string, got {}", j.describe()))),
    }
}

fn arr<'a>(path: &str, j: &'a Json) -> R<&'a [Json]> {
    match j {
        Json::Arr(a) => Ok(a),
        _ => Err(err(path, format!("expected an array, got {}", j.describe()))),
    }
}

fn list<T>(path: &str, j: &Json, read: impl Fn(&str, &Json) -> R<T>) -> R<Vec<T>> {
    arr(path, j)?.iter().enumerate().map(|(i, v)| read(&format!("{path}[{i}]"), v)).collect()
}

fn named<T>(path: &str, j: &Json, what: &str, from: impl Fn(&str) -> Option<T>) -> R<T> {
    let s = str_(path, j)?;
    from(s).ok_or_else(|| err(path, format!("unknown {what} \"{s}\"")))
}

fn activation(path: &str, j: &Json) -> R<Activation> {
    named(path, j, "activation", Activation::from_name)
}

fn rows(path: &str, j: &Json) -> R<Vec<Vec<f64>>> {
    list(path, j, |p, r| list(p, r, f64_))
}

fn data(j: &Json) -> R<DataSpec> {
    let mut o = Obj::new("data", j)?;
    if o.fields.iter().any(|(k, _)| *k == "generator") {
        let kind = o.req("generator", |p, j| named(p, j, "generator", GeneratorKind::from_name))?;
        let stock = Generator::new(kind, 500, 0.0, 0);
        let g = Generator {
            generator: kind,
            samples: o.or("samples", stock.samples, usize_)?,
            noise: o.or("noise", 0.0, f64_)?,
            seed: o.or("seed", 0, u64_)?,
            bits: o.or("bits", stock.bits, usize_)?,
            dims: o.or("dims", stock.dims, usize_)?,
        };
        o.done()?;
        return Ok(DataSpec::Generated(g));
    }
    if o.fields.iter().any(|(k, _)| *k == "x" || *k == "y") {
        let x = o.req("x", rows)?;
        let y = o.req("y", rows)?;
        o.done()?;
        return Ok(DataSpec::Inline { x, y });
    }
    Err(err("data", "needs a \"generator\", or \"x\" and \"y\" arrays"))
}

fn init(j: &Json) -> R<InitSpec> {
    match j {
        Json::Str(s) => Init::from_name(s).map(InitSpec::Named).ok_or_else(|| err("init", format!("unknown initializer \"{s}\""))),
        Json::Obj(_) => {
            let mut o = Obj::new("init", j)?;
            if let Some(layers) = o.take("layers") {
                let layers = list("init.layers", layers, |p, l| {
                    let mut o = Obj::new(p, l)?;
                    let lp = LayerParams { w: o.req("w", rows)?, b: o.req("b", |p, j| list(p, j, f64_))? };
                    o.done()?;
                    Ok(lp)
                })?;
                o.done()?;
                return Ok(InitSpec::Inline { layers });
            }
            let name = o.req("name", |p, j| str_(p, j).map(str::to_string))?;
            let init = match name.as_str() {
                "uniform" => Init::Uniform { scale: o.or("scale", 0.5, f64_)? },
                other => Init::from_name(other).ok_or_else(|| err("init.name", format!("unknown initializer \"{other}\"")))?,
            };
            o.done()?;
            Ok(InitSpec::Named(init))
        }
        _ => Err(err("init", format!("expected a name or an object, got {}", j.describe()))),
    }
}

fn optimizer(j: &Json) -> R<OptimizerConfig> {
    if !matches!(j, Json::Obj(_)) {
        return Err(err("optimizer", "must be an object with a \"name\" (sgd, adagrad, rmsprop or adam)"));
    }
    let mut o = Obj::new("optimizer", j)?;
    let name = o.req("name", |p, j| str_(p, j).map(str::to_string))?;
    let c = match name.as_str() {
        "sgd" => {
            let d = SgdConfig::default();
            OptimizerConfig::Sgd(SgdConfig {
                lr: o.or("lr", d.lr, f64_)?,
                momentum: o.or("momentum", d.momentum, f64_)?,
                dampening: o.or("dampening", d.dampening, f64_)?,
                nesterov: o.or("nesterov", d.nesterov, bool_)?,
            })
        }
        "adagrad" => {
            let d = AdagradConfig::default();
            OptimizerConfig::Adagrad(AdagradConfig {
                lr: o.or("lr", d.lr, f64_)?,
                lr_decay: o.or("lr_decay", d.lr_decay, f64_)?,
                initial_accumulator_value: o.or("initial_accumulator_value", d.initial_accumulator_value, f64_)?,
                eps: o.or("eps", d.eps, f64_)?,
            })
        }
        "rmsprop" => {
            let d = RmspropConfig::default();
            OptimizerConfig::Rmsprop(RmspropConfig {
                lr: o.or("lr", d.lr, f64_)?,
                alpha: o.or("alpha", d.alpha, f64_)?,
                eps: o.or("eps", d.eps, f64_)?,
                momentum: o.or("momentum", d.momentum, f64_)?,
                centered: o.or("centered", d.centered, bool_)?,
            })
        }
        "adam" => {
            let d = AdamConfig::default();
            OptimizerConfig::Adam(AdamConfig {
                lr: o.or("lr", d.lr, f64_)?,
                beta1: o.or("beta1", d.beta1, f64_)?,
                beta2: o.or("beta2", d.beta2, f64_)?,
                eps: o.or("eps", d.eps, f64_)?,
                amsgrad: o.or("amsgrad", d.amsgrad, bool_)?,
            })
        }
        other => {
            return Err(err("optimizer.name", format!("unknown optimizer \"{other}\", expected sgd, adagrad, rmsprop or adam")));
        }
    };
    o.done()?;
    Ok(c)
}

fn schedule(j: &Json) -> R<Schedule> {
    if !matches!(j, Json::Obj(_)) {
        return Err(err("schedule", "must be an object with a \"name\""));
    }
    let mut o = Obj::new("schedule", j)?;
    let name = o.req("name", |p, j| str_(p, j).map(str::to_string))?;
    let s = match name.as_str() {
        "constant" => Schedule::Constant,
        "inverse_time" => Schedule::InverseTime { decay: o.req("decay", f64_)? },
        "step" => Schedule::Step { step_size: o.req("step_size", u64_)?, gamma: o.req("gamma", f64_)? },
        "exponential" => Schedule::Exponential { gamma: o.req("gamma", f64_)? },
        other => {
            return Err(err(
                "schedule.name",
                format!("unknown schedule \"{other}\", expected constant, inverse_time, step or exponential"),
            ));
        }
    };
    o.done()?;
    Ok(s)
}

/// Parses and checks a file like [`Experiment::from_json`]. Never panics; errors name the field.
pub fn read(text: &str) -> R<Experiment> {
    if text.len() > 64 * 1024 * 1024 {
        return Err(err("", "file is larger than 64 MiB"));
    }
    let v = parse(text).map_err(|e| err("", format!("not valid JSON: {e}")))?;
    if !matches!(v, Json::Obj(_)) {
        return Err(err("", "the file must hold a JSON object"));
    }
    let mut o = Obj::new("", &v)?.only(&[
        "format", "version", "title", "data", "split", "features", "network", "init", "loss", "optimizer", "schedule",
        "regularization", "batch_size", "shuffle", "seed", "steps", "playground",
    ])?;
    let format = o.req("format", |p, j| str_(p, j).map(str::to_string))?;
    let version = o.req("version", u32_)?;
    if format != FORMAT {
        return Err(err("format", format!("must be \"{FORMAT}\", got \"{format}\"")));
    }
    if version != VERSION {
        return Err(err("version", format!("only version {VERSION} is supported, got {version}")));
    }
    let title = o.opt("title", |p, j| str_(p, j).map(str::to_string))?;
    let data = data(o.need("data")?)?;
    let split = o.or("split", SplitRatio::default(), |p, j| {
        let mut s = Obj::new(p, j)?.only(&["train", "validation", "test"])?;
        let r = SplitRatio { train: s.req("train", f64_)?, validation: s.or("validation", 0.0, f64_)?, test: s.or("test", 0.0, f64_)? };
        s.done()?;
        Ok(r)
    })?;
    let features = o.opt("features", |p, j| list(p, j, |p, j| named(p, j, "feature", Feature::from_name)))?;
    let network = o.req("network", |p, j| {
        let mut n = Obj::new(p, j)?.only(&["hidden", "activation", "activations", "output", "outputs"])?;
        let d = NetworkDef {
            hidden: n.req("hidden", |p, j| list(p, j, usize_))?,
            activation: n.or("activation", Activation::Tanh, activation)?,
            activations: n.opt("activations", |p, j| list(p, j, activation))?,
            output: n.req("output", activation)?,
            outputs: n.opt("outputs", usize_)?,
        };
        n.done()?;
        Ok(d)
    })?;
    let init = match o.take("init") {
        None | Some(Json::Null) => InitSpec::Named(Init::Xavier),
        Some(j) => init(j)?,
    };
    let loss = o.req("loss", |p, j| {
        named(p, j, "loss", |s| match s {
            "binary_cross_entropy" => Some(Loss::BinaryCrossEntropy),
            "softmax_cross_entropy" => Some(Loss::SoftmaxCrossEntropy),
            s => Loss::from_name(s),
        })
    })?;
    let optimizer = optimizer(o.need("optimizer")?)?;
    let schedule = match o.take("schedule") {
        None | Some(Json::Null) => Schedule::Constant,
        Some(j) => schedule(j)?,
    };
    let regularization = o.or("regularization", Regularization::default(), |p, j| {
        let mut r = Obj::new(p, j)?.only(&["kind", "rate"])?;
        let kind = r.or("kind", RegKind::None, |p, j| {
            named(p, j, "regularization", |s| match s {
                "none" => Some(RegKind::None),
                "l1" => Some(RegKind::L1),
                "l2" => Some(RegKind::L2),
                _ => None,
            })
        })?;
        let reg = Regularization { kind, rate: r.or("rate", 0.0, f64_)? };
        r.done()?;
        Ok(reg)
    })?;
    let batch_size = o.req("batch_size", usize_)?;
    let shuffle = o.or("shuffle", true, bool_)?;
    let seed = o.or("seed", 0, u64_)?;
    let steps = o.or("steps", 0, u64_)?;
    let playground = match o.take("playground") {
        None | Some(Json::Null) => None,
        Some(j) => Some(str_("playground", j)?.to_string()),
    };
    o.done()?;
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
