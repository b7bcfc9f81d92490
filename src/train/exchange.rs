//! The playground's configuration as an experiment file (export / import), and the
//! per-step CSV trace of a playground run.
//!
//! An exported file is a complete experiment: the runner (`gradlab run`) reproduces the
//! playground's run exactly, because the initial weights are written inline and the split
//! shares are the playground's percentages. What the file format has no field for (the
//! weight seed, speed, view options, points edited by hand, and hyper-parameters of
//! optimizers that are not selected) travels in the optional `playground` field as the URL
//! hash. On import the file's own fields win, so a file edited by hand still imports; what
//! the playground cannot show is an error naming the field.

use super::experiment::{layer_params, DataSpec, Experiment, ExperimentError, InitSpec, NetworkDef, FORMAT, VERSION};
use super::playground::{limits, Head, Playground};
use super::report::{csv_header, csv_row};
use super::url::{decode, encode, Notice};
use crate::data::{Feature, Generator, SplitRatio};
use crate::nn::optimizer::OptimizerKind;
use crate::nn::regularization::RegKind;
use crate::nn::{Activation, Init, Loss, OptimizerConfig, Schedule};

fn err(path: &str, message: impl Into<String>) -> ExperimentError {
    ExperimentError { path: path.to_string(), message: message.into() }
}

/// The experiment for a playground configuration; `steps` is how many updates the
/// runner should make (e.g. the updates made so far in the page).
pub fn to_experiment(p: &Playground, title: Option<String>, steps: u64) -> Result<Experiment, String> {
    let net = p.initial_network(p.inputs())?;
    let (output, loss) = p.head.parts();
    let test = 100u32.saturating_sub(p.train_pct + p.val_pct);
    Ok(Experiment {
        format: FORMAT.to_string(),
        version: VERSION,
        title,
        data: DataSpec::Generated(p.generator()),
        // Percentages, normalised by the reader exactly as the playground does.
        split: SplitRatio { train: p.train_pct as f64, validation: p.val_pct as f64, test: test as f64 },
        features: p.dataset.is_2d().then(|| p.features.clone()),
        network: NetworkDef { hidden: p.hidden.clone(), activation: p.activation, activations: None, output, outputs: None },
        init: InitSpec::Inline { layers: layer_params(&net) },
        loss,
        optimizer: p.optimizer_config(),
        schedule: p.schedule,
        regularization: p.regularization(),
        batch_size: p.batch,
        shuffle: true,
        seed: p.seed,
        steps,
        playground: Some(encode(p)),
    })
}

/// The experiment file's text for a playground configuration (written by hand, without
/// serde, to keep serde_json out of the page's bundle; a test reads it back with
/// [`Experiment::from_json`] and compares with [`to_experiment`]).
pub fn export(p: &Playground, title: Option<String>, steps: u64) -> Result<String, String> {
    let e = to_experiment(p, title, steps)?;
    Ok(write_json(&e))
}

/// A JSON string literal.
fn q(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 2);
    o.push('"');
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            c if (c as u32) < 0x20 => o.push_str(&format!("\\u{:04x}", c as u32)),
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

/// A JSON number that reads back to the same `f64` (shortest round-trip form).
fn n(v: f64) -> String {
    format!("{v:?}")
}

fn nums(v: &[f64]) -> String {
    format!("[{}]", v.iter().map(|x| n(*x)).collect::<Vec<_>>().join(", "))
}

fn write_json(e: &Experiment) -> String {
    let mut f: Vec<String> = vec![format!("\"format\": {}", q(&e.format)), format!("\"version\": {}", e.version)];
    if let Some(t) = &e.title {
        f.push(format!("\"title\": {}", q(t)));
    }
    if let DataSpec::Generated(g) = &e.data {
        f.push(format!(
            "\"data\": {{\"generator\": {}, \"samples\": {}, \"noise\": {}, \"seed\": {}, \"bits\": {}, \"dims\": {}}}",
            q(g.generator.name()),
            g.samples,
            n(g.noise),
            g.seed,
            g.bits,
            g.dims
        ));
    }
    f.push(format!(
        "\"split\": {{\"train\": {}, \"validation\": {}, \"test\": {}}}",
        n(e.split.train),
        n(e.split.validation),
        n(e.split.test)
    ));
    if let Some(fs) = &e.features {
        f.push(format!("\"features\": [{}]", fs.iter().map(|x| q(x.name())).collect::<Vec<_>>().join(", ")));
    }
    f.push(format!(
        "\"network\": {{\"hidden\": [{}], \"activation\": {}, \"output\": {}}}",
        e.network.hidden.iter().map(|h| h.to_string()).collect::<Vec<_>>().join(", "),
        q(e.network.activation.name()),
        q(e.network.output.name())
    ));
    match &e.init {
        InitSpec::Named(Init::Uniform { scale }) => f.push(format!("\"init\": {{\"name\": \"uniform\", \"scale\": {}}}", n(*scale))),
        InitSpec::Named(i) => f.push(format!("\"init\": {}", q(i.name()))),
        InitSpec::Inline { layers } => {
            let ls: Vec<String> = layers
                .iter()
                .map(|l| {
                    let rows: Vec<String> = l.w.iter().map(|r| format!("        {}", nums(r))).collect();
                    format!("    {{\"w\": [\n{}\n      ],\n      \"b\": {}}}", rows.join(",\n"), nums(&l.b))
                })
                .collect();
            f.push(format!("\"init\": {{\"layers\": [\n{}\n  ]}}", ls.join(",\n")));
        }
    }
    f.push(format!("\"loss\": {}", q(e.loss.name())));
    f.push(format!(
        "\"optimizer\": {}",
        match e.optimizer {
            OptimizerConfig::Sgd(s) => format!(
                "{{\"name\": \"sgd\", \"lr\": {}, \"momentum\": {}, \"dampening\": {}, \"nesterov\": {}}}",
                n(s.lr),
                n(s.momentum),
                n(s.dampening),
                s.nesterov
            ),
            OptimizerConfig::Adagrad(a) => format!(
                "{{\"name\": \"adagrad\", \"lr\": {}, \"lr_decay\": {}, \"initial_accumulator_value\": {}, \"eps\": {}}}",
                n(a.lr),
                n(a.lr_decay),
                n(a.initial_accumulator_value),
                n(a.eps)
            ),
            OptimizerConfig::Rmsprop(r) => format!(
                "{{\"name\": \"rmsprop\", \"lr\": {}, \"alpha\": {}, \"eps\": {}, \"momentum\": {}, \"centered\": {}}}",
                n(r.lr),
                n(r.alpha),
                n(r.eps),
                n(r.momentum),
                r.centered
            ),
            OptimizerConfig::Adam(a) => format!(
                "{{\"name\": \"adam\", \"lr\": {}, \"beta1\": {}, \"beta2\": {}, \"eps\": {}, \"amsgrad\": {}}}",
                n(a.lr),
                n(a.beta1),
                n(a.beta2),
                n(a.eps),
                a.amsgrad
            ),
        }
    ));
    f.push(format!(
        "\"schedule\": {}",
        match e.schedule {
            Schedule::Constant => "{\"name\": \"constant\"}".to_string(),
            Schedule::InverseTime { decay } => format!("{{\"name\": \"inverse_time\", \"decay\": {}}}", n(decay)),
            Schedule::Step { step_size, gamma } => {
                format!("{{\"name\": \"step\", \"step_size\": {step_size}, \"gamma\": {}}}", n(gamma))
            }
            Schedule::Exponential { gamma } => format!("{{\"name\": \"exponential\", \"gamma\": {}}}", n(gamma)),
        }
    ));
    let kind = match e.regularization.kind {
        RegKind::None => "none",
        RegKind::L1 => "l1",
        RegKind::L2 => "l2",
    };
    f.push(format!("\"regularization\": {{\"kind\": {}, \"rate\": {}}}", q(kind), n(e.regularization.rate)));
    f.push(format!("\"batch_size\": {}", e.batch_size));
    f.push(format!("\"shuffle\": {}", e.shuffle));
    f.push(format!("\"seed\": {}", e.seed));
    f.push(format!("\"steps\": {}", e.steps));
    if let Some(h) = &e.playground {
        f.push(format!("\"playground\": {}", q(h)));
    }
    format!("{{\n  {}\n}}\n", f.join(",\n  "))
}

/// Reads an experiment file into a playground configuration. Never panics; errors name the
/// field. Reads with [`super::experiment_lite`] (no serde in the page's bundle).
pub fn import(text: &str) -> Result<Playground, ExperimentError> {
    from_experiment(&super::experiment_lite::read(text)?)
}

/// The experiment file's field that a URL-hash key stands for.
fn field_of(key: &str) -> &'static str {
    match key {
        "d" => "data.generator",
        "nz" => "data.noise",
        "n" => "data.samples",
        "tr" => "split.train",
        "va" => "split.validation",
        "b" => "batch_size",
        "s" => "seed",
        "h" => "network.hidden",
        "a" => "network.activation",
        "o" => "loss",
        "lr" => "optimizer.lr",
        "mu" => "optimizer.momentum",
        "b1" => "optimizer.beta1",
        "b2" => "optimizer.beta2",
        "al" => "optimizer.alpha",
        "sch" => "schedule",
        "rr" => "regularization.rate",
        "i" => "init",
        _ => "playground",
    }
}

fn notice_error(n: &Notice, within_playground: bool) -> ExperimentError {
    let key = match n {
        Notice::Unknown { key } | Notice::Malformed { key, .. } | Notice::Clamped { key, .. } | Notice::TooMany { key, .. } => key.as_str(),
    };
    let path = if within_playground { "playground" } else { field_of(key) };
    err(path, n.message().replace("The link's setting", "the setting").replace("in the link", "in the playground settings"))
}

/// The playground configuration an experiment describes; see the module documentation.
pub fn from_experiment(e: &Experiment) -> Result<Playground, ExperimentError> {
    let mut p = match &e.playground {
        Some(h) => {
            let (q, notices) = decode(h);
            if let Some(n) = notices.first() {
                return Err(notice_error(n, true));
            }
            q
        }
        None => Playground::default(),
    };
    // Data.
    let DataSpec::Generated(g) = &e.data else {
        return Err(err("data", "the playground needs a generator; inline rows can only be run with `gradlab run`"));
    };
    let stock = Generator::new(g.generator, g.samples, g.noise, g.seed);
    if g.bits != stock.bits {
        return Err(err("data.bits", format!("the playground uses {} binary digits, got {}", stock.bits, g.bits)));
    }
    if g.dims != stock.dims {
        return Err(err("data.dims", format!("the playground uses {} inputs, got {}", stock.dims, g.dims)));
    }
    if g.seed != e.seed {
        return Err(err("data.seed", format!("the playground uses one seed for data, split and training; must equal seed ({})", e.seed)));
    }
    if !(limits::SAMPLES.0..=limits::SAMPLES.1).contains(&g.samples) {
        return Err(err("data.samples", format!("the playground allows {} to {}, got {}", limits::SAMPLES.0, limits::SAMPLES.1, g.samples)));
    }
    p.dataset = g.generator;
    p.samples = g.samples;
    p.noise = g.noise;
    p.seed = e.seed;
    // Split: shares to whole percentages.
    let total = e.split.train + e.split.validation + e.split.test;
    let pct = |v: f64| (v / total * 100.0).round() as u32;
    p.train_pct = pct(e.split.train);
    p.val_pct = pct(e.split.validation);
    if !(10..=90).contains(&p.train_pct) {
        return Err(err("split.train", format!("the playground trains on 10 % to 90 % of the data, got {} %", p.train_pct)));
    }
    if p.val_pct > 40 {
        return Err(err("split.validation", format!("the playground allows at most 40 %, got {} %", p.val_pct)));
    }
    // Features.
    if p.dataset.is_2d() {
        p.features = e.features.as_deref().map_or_else(|| vec![Feature::X1, Feature::X2], Feature::canonical);
    }
    // Network.
    let hidden = &e.network.hidden;
    if hidden.len() > limits::MAX_LAYERS {
        return Err(err("network.hidden", format!("the playground allows at most {} hidden layers, got {}", limits::MAX_LAYERS, hidden.len())));
    }
    if let Some(i) = hidden.iter().position(|&u| u == 0 || u > limits::MAX_NEURONS) {
        return Err(err(&format!("network.hidden[{i}]"), format!("the playground allows 1 to {} neurons, got {}", limits::MAX_NEURONS, hidden[i])));
    }
    p.hidden = hidden.clone();
    p.activation = match &e.network.activations {
        Some(a) if a.windows(2).any(|w| w[0] != w[1]) => {
            return Err(err("network.activations", "the playground uses one activation for all hidden layers"));
        }
        Some(a) if !a.is_empty() => a[0],
        _ => e.network.activation,
    };
    if !p.activation.is_elementwise() {
        return Err(err("network.activation", "softmax is only allowed on the output layer"));
    }
    p.head = match (e.network.output, e.loss) {
        (Activation::Sigmoid, Loss::BinaryCrossEntropy) => Head::SigmoidBce,
        (Activation::Softmax, Loss::SoftmaxCrossEntropy) => Head::SoftmaxCe,
        (Activation::Linear, Loss::Mse) => Head::LinearMse,
        (Activation::Tanh, Loss::Mse) => Head::TanhMse,
        (o, l) => {
            return Err(err("loss", format!("the playground pairs outputs and losses as sigmoid + bce, softmax + softmax_ce, linear + mse or tanh + mse; got {} + {}", o.name(), l.name())));
        }
    };
    if !p.head.fits(p.regression()) {
        return Err(err("loss", "cross-entropy needs class labels; use mse for this generator"));
    }
    if let Some(k) = e.network.outputs {
        if k != p.outputs() {
            return Err(err("network.outputs", format!("must be {} for this output, got {k}", p.outputs())));
        }
    }
    // Optimizer: the playground's kinds and the hyper-parameters it shows.
    match e.optimizer {
        OptimizerConfig::Sgd(s) => {
            p.optimizer = if s.momentum == 0.0 {
                OptimizerKind::Sgd
            } else if s.nesterov {
                OptimizerKind::Nesterov
            } else {
                OptimizerKind::Momentum
            };
            if s.momentum != 0.0 {
                p.momentum = s.momentum;
            }
        }
        OptimizerConfig::Adagrad(_) => p.optimizer = OptimizerKind::Adagrad,
        OptimizerConfig::Rmsprop(r) => {
            p.optimizer = OptimizerKind::Rmsprop;
            p.alpha = r.alpha;
        }
        OptimizerConfig::Adam(a) => {
            p.optimizer = OptimizerKind::Adam;
            p.beta1 = a.beta1;
            p.beta2 = a.beta2;
        }
    }
    p.lr = e.optimizer.lr();
    if p.optimizer_config() != e.optimizer {
        return Err(err(
            "optimizer",
            "has settings the playground cannot show (it sets lr, momentum, nesterov, Adam's beta1/beta2 and RMSprop's alpha; the rest keep PyTorch's defaults)",
        ));
    }
    p.schedule = e.schedule;
    p.reg = e.regularization.kind;
    p.reg_rate = e.regularization.rate;
    if !(1..=limits::SAMPLES.1).contains(&e.batch_size) {
        return Err(err("batch_size", format!("the playground allows 1 to {}, got {}", limits::SAMPLES.1, e.batch_size)));
    }
    p.batch = e.batch_size;
    if !e.shuffle {
        return Err(err("shuffle", "the playground reshuffles every epoch; must be true"));
    }
    if e.seed > u32::MAX as u64 {
        return Err(err("seed", format!("the playground allows 0 to {}, got {}", u32::MAX, e.seed)));
    }
    // Initial weights: a named initializer, or inline weights that are the playground's own.
    match &e.init {
        InitSpec::Named(i) => p.init = *i,
        InitSpec::Inline { layers } => {
            let mine = p.initial_network(p.inputs()).map(|n| layer_params(&n)).map_err(|m| err("init", m))?;
            let close = |a: &f64, b: &f64| (a - b).abs() <= 1e-12 * a.abs().max(1.0);
            let same = mine.len() == layers.len()
                && mine.iter().zip(layers).all(|(m, l)| {
                    m.b.len() == l.b.len()
                        && m.b.iter().zip(&l.b).all(|(a, b)| close(a, b))
                        && m.w.len() == l.w.len()
                        && m.w.iter().zip(&l.w).all(|(r, s)| r.len() == s.len() && r.iter().zip(s).all(|(a, b)| close(a, b)))
                });
            if !same {
                return Err(err(
                    "init.layers",
                    "the playground starts from its own seeded weights and these differ; use a named initializer such as \"xavier\"",
                ));
            }
        }
    }
    // Everything must survive the link unchanged (ranges such as lr ≤ 10).
    let (q, notices) = decode(&encode(&p));
    if let Some(n) = notices.first() {
        return Err(notice_error(n, false));
    }
    if q != p {
        return Err(err("playground", "these settings cannot be represented in the playground"));
    }
    Ok(p)
}

/// The per-step CSV (`step,epoch,lr,loss,grad_norm_1,…`, as `gradlab run --trace`) of the
/// first `updates` updates of a run of `p` from its initial weights (the playground is
/// seeded, so this replays the page's run exactly when its settings were not changed
/// mid-run). At most `max_rows` rows; returns the text and the rows written.
pub fn trace_csv(p: &Playground, updates: u64, max_rows: u64) -> Result<(String, u64), String> {
    let mut t = p.build()?.trainer;
    let mut out = csv_header(t.net().layers.len());
    out.push('\n');
    let n = updates.min(max_rows);
    let mut rows = 0;
    for _ in 0..n {
        let lr = t.current_lr();
        t.step();
        out.push_str(&csv_row(&t, lr));
        out.push('\n');
        rows += 1;
        if t.divergence().is_some() {
            break;
        }
    }
    Ok((out, rows))
}
