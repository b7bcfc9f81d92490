//! Running an experiment to completion (the native command) and the benchmark setups.

use super::experiment::{layer_params, Experiment, ExperimentError, LayerParams};
use super::stepper::{Metrics, Trainer};
use serde::Serialize;
use std::fmt::Write as _;

/// What `gradlab run` prints.
#[derive(Clone, Debug, Serialize)]
pub struct RunReport {
    /// Updates made (fewer than asked when training diverged).
    pub steps: u64,
    /// Completed epochs.
    pub epochs: u64,
    /// Batch training loss of every update.
    pub losses: Vec<f64>,
    /// Final loss and accuracy on train, validation and test (accuracy `null` for regression).
    #[serde(rename = "final")]
    pub final_metrics: FinalMetrics,
    /// Why training stopped early, if it diverged.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diverged: Option<String>,
    /// Final parameters.
    pub params: Vec<LayerParams>,
}

/// Final metrics; accuracies are `None` for regression, losses `None` for an empty part.
#[derive(Clone, Debug, Serialize)]
pub struct FinalMetrics {
    /// Training loss.
    pub train_loss: Option<f64>,
    /// Validation loss.
    pub validation_loss: Option<f64>,
    /// Test loss.
    pub test_loss: Option<f64>,
    /// Training accuracy.
    pub train_accuracy: Option<f64>,
    /// Validation accuracy.
    pub validation_accuracy: Option<f64>,
    /// Test accuracy.
    pub test_accuracy: Option<f64>,
}

impl FinalMetrics {
    /// From [`Metrics`], hiding NaN and accuracies that do not apply.
    pub fn new(m: Metrics, classification: bool) -> Self {
        let some = |v: f64| (!v.is_nan()).then_some(v);
        let acc = |v: f64| if classification { some(v) } else { None };
        FinalMetrics {
            train_loss: some(m.train_loss),
            validation_loss: some(m.validation_loss),
            test_loss: some(m.test_loss),
            train_accuracy: acc(m.train_accuracy),
            validation_accuracy: acc(m.validation_accuracy),
            test_accuracy: acc(m.test_accuracy),
        }
    }
}

/// The CSV header of a per-step trace for a network of `layers` layers.
pub fn csv_header(layers: usize) -> String {
    let mut h = String::from("step,epoch,lr,loss");
    for l in 1..=layers {
        let _ = write!(h, ",grad_norm_{l}");
    }
    h
}

/// One CSV row after an update (`lr` is the rate that update used).
pub fn csv_row(t: &Trainer, lr: f64) -> String {
    let mut row = format!("{},{},{},{}", t.updates(), t.epoch(), lr, t.last_loss());
    for g in t.grad_norms() {
        let _ = write!(row, ",{g}");
    }
    row
}

/// Runs the experiment's `steps` updates. `csv`, if given, receives the per-step trace.
pub fn run(exp: &Experiment, mut csv: Option<&mut String>) -> Result<RunReport, ExperimentError> {
    let built = exp.build()?;
    let mut t = built.trainer;
    if let Some(out) = csv.as_deref_mut() {
        out.push_str(&csv_header(t.net().layers.len()));
        out.push('\n');
    }
    let mut losses = Vec::with_capacity(exp.steps as usize);
    let mut diverged = None;
    for _ in 0..exp.steps {
        let lr = t.current_lr();
        losses.push(t.step());
        if let Some(out) = csv.as_deref_mut() {
            out.push_str(&csv_row(&t, lr));
            out.push('\n');
        }
        if let Some(why) = t.divergence() {
            diverged = Some(why);
            break;
        }
    }
    let metrics = t.metrics();
    Ok(RunReport {
        steps: t.updates(),
        epochs: t.epoch(),
        losses,
        final_metrics: FinalMetrics::new(metrics, built.classification),
        diverged,
        params: layer_params(t.net()),
    })
}

/// The benchmark setups: (a) circle, x1 x2, 4-2 tanh, batch 10; (b) spiral, all seven
/// features, 8-8-8-8-8-8 tanh, batch 10, 250 training points.
pub fn bench_experiments() -> Vec<(&'static str, Experiment)> {
    let a = r#"{"format":"gradlab-experiment","version":1,"title":"bench a: circle 4-2 tanh",
      "data":{"generator":"circle","samples":500,"noise":0.1,"seed":1},"split":{"train":0.5,"test":0.5},
      "features":["x1","x2"],"network":{"hidden":[4,2],"activation":"tanh","output":"sigmoid"},
      "loss":"bce","optimizer":{"name":"sgd","lr":0.03},"batch_size":10,"seed":1}"#;
    let b = r#"{"format":"gradlab-experiment","version":1,"title":"bench b: spiral 8x6 tanh, 7 features",
      "data":{"generator":"spiral","samples":500,"noise":0.1,"seed":1},"split":{"train":0.5,"test":0.5},
      "features":["x1","x2","x1^2","x2^2","x1*x2","sin(x1)","sin(x2)"],
      "network":{"hidden":[8,8,8,8,8,8],"activation":"tanh","output":"sigmoid"},
      "loss":"bce","optimizer":{"name":"sgd","lr":0.03},"batch_size":10,"seed":1}"#;
    vec![
        ("a: circle, x1 x2, 4-2 tanh, batch 10", Experiment::from_json(a).expect("bench a is valid")),
        ("b: spiral, 7 features, 8-8-8-8-8-8 tanh, batch 10", Experiment::from_json(b).expect("bench b is valid")),
    ]
}
