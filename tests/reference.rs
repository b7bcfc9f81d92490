//! Conformance against PyTorch: every fixture in `tests/reference/fixtures/` (made by
//! `tests/reference/generate.py`, see `tests/reference/README.md`) holds a gradlab
//! experiment with inline data and initial parameters, plus what PyTorch (float64)
//! computed for it: the batch loss of every update and the final parameters.
//!
//! Each experiment is parsed with [`Experiment::from_json`] and built with
//! [`Experiment::build`] (which checks it and loads the inline parameters); it is then
//! trained with a [`Trainer`] on the inline rows **in file order**. (`build` also shuffles
//! the samples before splitting them, even with `split: {"train": 1}`, so its trainer
//! would see the rows in another order than PyTorch did. Full-batch fixtures, where the
//! order does not matter, are additionally run through `report::run` end to end.)
//!
//! Error measure: for an engine value `a` and a PyTorch value `b`,
//! `rel(a, b) = |a − b| / max(|b|, 1e-8)`, i.e. the relative error, turning into an
//! absolute error (scaled by 1e8) for values within 1e-8 of zero. Every step loss and
//! every final weight and bias must have `rel ≤ 1e-6`.

use gradlab::nn::Network;
use gradlab::train::experiment::{layer_params, DataSpec, LayerParams};
use gradlab::train::{report, Experiment, TrainData, Trainer};
use ndarray::Array2;
use serde_json::Value;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Largest relative error allowed.
const TOLERANCE: f64 = 1e-6;
/// Below this magnitude the error is measured in absolute terms (see the module docs).
const FLOOR: f64 = 1e-8;
/// The fixture set must not shrink unnoticed (the test cannot pass vacuously).
const MIN_FIXTURES: usize = 90;

fn rel(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        return f64::INFINITY;
    }
    (a - b).abs() / b.abs().max(FLOOR)
}

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference/fixtures")
}

/// A fixture: name, experiment, expected losses and parameters.
struct Fixture {
    name: String,
    experiment: Experiment,
    losses: Vec<f64>,
    params: Vec<LayerParams>,
}

fn load_fixtures() -> Vec<Fixture> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(fixture_dir())
        .expect("tests/reference/fixtures exists")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{name}: {e}"));
            let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: not JSON: {e}"));
            let exp_text = serde_json::to_string(&v["experiment"]).unwrap();
            let experiment = Experiment::from_json(&exp_text).unwrap_or_else(|e| panic!("{name}: experiment: {e}"));
            let losses: Vec<f64> = serde_json::from_value(v["expected"]["losses"].clone())
                .unwrap_or_else(|e| panic!("{name}: expected.losses: {e}"));
            let params: Vec<LayerParams> = serde_json::from_value(v["expected"]["params"].clone())
                .unwrap_or_else(|e| panic!("{name}: expected.params: {e}"));
            Fixture { name, experiment, losses, params }
        })
        .collect()
}

fn matrix(rows: &[Vec<f64>]) -> Array2<f64> {
    let cols = rows[0].len();
    Array2::from_shape_vec((rows.len(), cols), rows.concat()).expect("rectangular")
}

/// Compares values and records the largest error and every failure.
#[derive(Default)]
struct Check {
    max: f64,
    worst: String,
    failures: Vec<String>,
}

impl Check {
    fn value(&mut self, what: &str, engine: f64, torch: f64) {
        let e = rel(engine, torch);
        if e > self.max || self.worst.is_empty() {
            self.max = self.max.max(e);
            self.worst = what.to_string();
        }
        if e > TOLERANCE {
            self.failures.push(format!("{what}: engine {engine:e} vs PyTorch {torch:e} (rel. error {e:.3e})"));
        }
    }

    fn losses(&mut self, prefix: &str, engine: &[f64], torch: &[f64]) {
        if engine.len() != torch.len() {
            self.failures.push(format!("{prefix}losses: engine made {} steps, PyTorch {}", engine.len(), torch.len()));
        }
        for (t, (&a, &b)) in engine.iter().zip(torch).enumerate() {
            self.value(&format!("{prefix}losses[{t}] (step {})", t + 1), a, b);
        }
    }

    fn params(&mut self, prefix: &str, engine: &[LayerParams], torch: &[LayerParams]) {
        assert_eq!(engine.len(), torch.len(), "{prefix}: layer count");
        for (l, (a, b)) in engine.iter().zip(torch).enumerate() {
            assert_eq!(a.w.len(), b.w.len(), "{prefix}params[{l}].w: rows");
            for (i, (ra, rb)) in a.w.iter().zip(&b.w).enumerate() {
                assert_eq!(ra.len(), rb.len(), "{prefix}params[{l}].w[{i}]: columns");
                for (j, (&x, &y)) in ra.iter().zip(rb).enumerate() {
                    self.value(&format!("{prefix}params[{l}].w[{i}][{j}]"), x, y);
                }
            }
            assert_eq!(a.b.len(), b.b.len(), "{prefix}params[{l}].b: length");
            for (j, (&x, &y)) in a.b.iter().zip(&b.b).enumerate() {
                self.value(&format!("{prefix}params[{l}].b[{j}]"), x, y);
            }
        }
    }
}

/// Trains the fixture's experiment on its rows in file order; returns the step losses
/// and the final parameters.
fn train_in_file_order(f: &Fixture) -> (Vec<f64>, Vec<LayerParams>) {
    let exp = &f.experiment;
    let DataSpec::Inline { x, y } = &exp.data else {
        panic!("{}: fixtures must have inline data", f.name);
    };
    assert!(!exp.shuffle, "{}: fixtures must not shuffle", f.name);
    let built = exp.build().unwrap_or_else(|e| panic!("{}: build: {e}", f.name));
    let (x, y) = (matrix(x), matrix(y));
    assert_eq!(built.trainer.data().train_x.nrows(), x.nrows(), "{}: every row must be in the training set", f.name);
    // The inline initial parameters, as the experiment loaded them.
    let net: Network = built.trainer.net().clone();
    let init: Vec<LayerParams> =
        serde_json::from_value(serde_json::to_value(&exp.init).unwrap()["layers"].clone()).unwrap();
    assert_eq!(layer_params(&net), init, "{}: initial parameters were not loaded exactly", f.name);
    let mut t = Trainer::new(net, exp.train_config(), TrainData::train_only(x, y))
        .unwrap_or_else(|e| panic!("{}: trainer: {e}", f.name));
    let mut losses = Vec::new();
    for _ in 0..exp.steps {
        losses.push(t.step());
        if t.divergence().is_some() {
            break;
        }
    }
    (losses, layer_params(t.net()))
}

#[test]
fn engine_matches_pytorch_on_every_fixture() {
    let fixtures = load_fixtures();
    assert!(
        fixtures.len() >= MIN_FIXTURES,
        "found {} fixtures in {}, expected at least {MIN_FIXTURES} (run tests/reference/generate.py)",
        fixtures.len(),
        fixture_dir().display()
    );
    let mut summary = String::new();
    let mut failures = Vec::new();
    let (mut overall, mut overall_at) = (0.0f64, String::new());
    let mut end_to_end = 0;
    for f in &fixtures {
        assert!(f.losses.len() >= 20, "{}: fewer than 20 expected steps", f.name);
        assert_eq!(f.losses.len() as u64, f.experiment.steps, "{}: steps vs expected losses", f.name);
        let mut check = Check::default();
        let (losses, params) = train_in_file_order(f);
        check.losses("", &losses, &f.losses);
        check.params("", &params, &f.params);

        // Full batch: the row order does not matter, so the whole `gradlab run` path must agree too.
        let rows = match &f.experiment.data {
            DataSpec::Inline { x, .. } => x.len(),
            _ => unreachable!(),
        };
        if f.experiment.batch_size >= rows {
            let r = report::run(&f.experiment, None).unwrap_or_else(|e| panic!("{}: run: {e}", f.name));
            check.losses("report::run ", &r.losses, &f.losses);
            check.params("report::run ", &r.params, &f.params);
            end_to_end += 1;
        }

        let _ = writeln!(summary, "{:<48} max rel. error {:.3e} at {}", f.name, check.max, check.worst);
        if check.max > overall {
            overall = check.max;
            overall_at = format!("{}: {}", f.name, check.worst);
        }
        failures.extend(check.failures.into_iter().map(|m| format!("{}: {m}", f.name)));
    }
    println!("{summary}");
    println!(
        "{} fixtures ({end_to_end} also through report::run); largest relative error {overall:.3e} ({overall_at})",
        fixtures.len()
    );
    assert!(end_to_end >= 2, "expected full-batch fixtures to exercise report::run");
    if !failures.is_empty() {
        let shown: Vec<&str> = failures.iter().take(40).map(String::as_str).collect();
        panic!(
            "{} values differ from PyTorch by more than {TOLERANCE:e} (showing {}):\n{}",
            failures.len(),
            shown.len(),
            shown.join("\n")
        );
    }
}

/// The comparison is sharp enough to notice a small change: a learning rate off by
/// 0.01 % must already break the tolerance.
#[test]
fn tolerance_detects_a_slightly_wrong_learning_rate() {
    let fixtures = load_fixtures();
    let f = fixtures.iter().find(|f| f.name == "adam__mse__tanh").expect("fixture adam__mse__tanh");
    let mut exp = f.experiment.clone();
    let lr = exp.optimizer.lr();
    exp.optimizer.set_lr(lr * (1.0 + 1e-4));
    let tweaked = Fixture { name: f.name.clone(), experiment: exp, losses: f.losses.clone(), params: f.params.clone() };
    let (losses, params) = train_in_file_order(&tweaked);
    let mut check = Check::default();
    check.losses("", &losses, &f.losses);
    check.params("", &params, &f.params);
    assert!(check.max > TOLERANCE, "a 1e-4 change of the learning rate went unnoticed (max error {:e})", check.max);
}

/// Every fixture's schedule, penalty and optimizer variant matters: turning one off
/// moves the results beyond the tolerance, so the fixtures really test them.
#[test]
fn fixture_settings_are_not_inert() {
    use gradlab::nn::optimizer::{AdamConfig, OptimizerConfig, RmspropConfig, SgdConfig};
    use gradlab::nn::regularization::RegKind;
    use gradlab::nn::{Regularization, Schedule};
    let mut tried = 0;
    let mut inert = Vec::new();
    for f in load_fixtures() {
        let base = &f.experiment;
        let mut variants: Vec<(&str, Experiment)> = Vec::new();
        let mut v = |what, change: &dyn Fn(&mut Experiment)| {
            let mut e = base.clone();
            change(&mut e);
            variants.push((what, e));
        };
        if base.schedule != Schedule::Constant {
            v("schedule off", &|e| e.schedule = Schedule::Constant);
        }
        if base.regularization.kind != RegKind::None {
            v("regularization off", &|e| e.regularization = Regularization::NONE);
        }
        match base.optimizer {
            OptimizerConfig::Sgd(c) if c.nesterov => {
                v("nesterov off", &|e| e.optimizer = OptimizerConfig::Sgd(SgdConfig { nesterov: false, ..c }))
            }
            OptimizerConfig::Sgd(c) if c.dampening != 0.0 => {
                v("dampening off", &|e| e.optimizer = OptimizerConfig::Sgd(SgdConfig { dampening: 0.0, ..c }))
            }
            OptimizerConfig::Rmsprop(c) if c.centered => {
                v("centered off", &|e| e.optimizer = OptimizerConfig::Rmsprop(RmspropConfig { centered: false, ..c }))
            }
            OptimizerConfig::Adam(c) if c.amsgrad => {
                v("amsgrad off", &|e| e.optimizer = OptimizerConfig::Adam(AdamConfig { amsgrad: false, ..c }))
            }
            _ => {}
        }
        for (what, exp) in variants {
            let g =
                Fixture { name: f.name.clone(), experiment: exp, losses: f.losses.clone(), params: f.params.clone() };
            let (losses, params) = train_in_file_order(&g);
            let mut check = Check::default();
            check.losses("", &losses, &f.losses);
            check.params("", &params, &f.params);
            tried += 1;
            println!("{:<48} {what:<20} max rel. error {:.3e}", f.name, check.max);
            if check.max <= TOLERANCE {
                inert.push(format!("{}: {what} (max error {:e})", f.name, check.max));
            }
        }
    }
    assert!(tried >= 20, "only {tried} variants tried");
    assert!(inert.is_empty(), "settings that make no measurable difference:\n{}", inert.join("\n"));
}
