//! The engine behind the page: the trainer, its data, the chart series and the
//! heatmap buffers. It lives outside Yew state (`Rc<RefCell<Engine>>`), so weight
//! matrices are never copied by a re-render.

use crate::data::features::featurize;
use crate::data::{Dataset, Feature};
use crate::nn::network::Workspace;
use crate::nn::Activation;
use crate::train::playground::{Head, Playground, Source, Speed, SPEEDS};
use crate::train::stepper::Metrics;
use crate::train::Trainer;
use crate::viz::heatmap::{clamp_signed, prob_to_signed};
use crate::viz::{Heatmap, Palette, Series};
use ndarray::Array2;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

/// Side of the output heatmap grid.
pub const OUTPUT_GRID: usize = 100;
/// Side of each neuron's heatmap grid.
pub const NEURON_GRID: usize = 24;
/// The data domain, `[-6, 6]²`.
pub const DOMAIN: (f64, f64) = (-6.0, 6.0);
/// Points kept per chart series.
pub const SERIES_CAP: usize = 600;

/// Gradient-norm records kept for the chart.
pub const GRAD_NORM_CAP: usize = 120;

/// How much one press of "next" runs in step mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Granularity {
    /// One phase of a one-sample step.
    Sample,
    /// One phase of a mini-batch step.
    Batch,
    /// A whole epoch of mini-batch steps.
    Epoch,
}

/// Loss (and accuracy) curves over updates.
#[derive(Clone, Debug)]
pub struct Curves {
    /// Training loss.
    pub train: Series,
    /// Validation loss.
    pub validation: Series,
    /// Test loss.
    pub test: Series,
    /// Training accuracy.
    pub train_acc: Series,
    /// Test accuracy.
    pub test_acc: Series,
}

impl Curves {
    fn new() -> Self {
        let s = || Series::new(SERIES_CAP);
        Curves { train: s(), validation: s(), test: s(), train_acc: s(), test_acc: s() }
    }
}

/// Small numbers for Yew state.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    /// Completed epochs.
    pub epoch: u64,
    /// Updates made.
    pub updates: u64,
    /// Learning rate of the next update.
    pub lr: f64,
    /// Current metrics.
    pub train_loss: f64,
    /// Validation loss (NaN if no validation data).
    pub validation_loss: f64,
    /// Test loss (NaN if no test data).
    pub test_loss: f64,
    /// Training accuracy (classification).
    pub train_acc: f64,
    /// Test accuracy (classification).
    pub test_acc: f64,
    /// Increases on every engine change, to trigger redraws of views that read the engine.
    pub version: u64,
}

/// The engine.
pub struct Engine {
    /// The configuration the trainer was built from (plus live settings).
    pub config: Playground,
    /// The trainer.
    pub trainer: Trainer,
    /// Raw 2-D training points.
    pub train: Dataset,
    /// Raw validation points.
    pub validation: Dataset,
    /// Raw test points.
    pub test: Dataset,
    /// Origins of the points (for removing by hand).
    pub sources: [Vec<Source>; 3],
    /// Loss curves.
    pub curves: Curves,
    /// Latest metrics.
    pub metrics: Metrics,
    /// Output over the domain (values in `[-1, 1]`).
    pub output: Heatmap,
    /// Each neuron's activation over the domain: `[layer][neuron] → NEURON_GRID²` values in `[-1, 1]`.
    pub neurons: Vec<Vec<Vec<f64>>>,
    /// Features over the neuron grid: `[feature] → values` in `[-1, 1]`.
    pub feature_maps: Vec<Vec<f64>>,
    grid_out: Array2<f64>,
    grid_neurons: Array2<f64>,
    /// Output values being computed a slice per frame (swapped in when complete).
    pending: Vec<f64>,
    /// Next grid row of `pending` to compute.
    pending_at: usize,
    ws: Workspace,
    /// Colour palette.
    pub palette: Palette,
    /// Per-layer gradient norms `(update, ‖g_l‖)` after recent updates, oldest first.
    pub grad_norms: VecDeque<(u64, Vec<f64>)>,
    /// Whether step mode is on.
    pub step_mode: bool,
    /// What "next" runs in step mode.
    pub granularity: Granularity,
    /// The update count right after a traced update made by [`next_phase`](Self::next_phase) (the
    /// trace's update is the current phase while this equals the trainer's count).
    pub traced_update: Option<u64>,
    version: u64,
}

/// A shared handle; equality is identity, so it can be a Yew prop.
#[derive(Clone)]
pub struct EngineHandle(pub Rc<RefCell<Engine>>);

impl PartialEq for EngineHandle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

fn grid_inputs(map: &Heatmap, cfg: &Playground) -> Array2<f64> {
    let pts = map.points();
    let raw = Array2::from_shape_vec((map.n * map.n, 2), pts).expect("n² points");
    if cfg.dataset.is_2d() {
        featurize(&raw, &cfg.features)
    } else {
        raw
    }
}

impl Engine {
    /// Builds everything for `config`.
    pub fn new(config: Playground) -> Result<Engine, String> {
        let built = config.build()?;
        let output = Heatmap::new(OUTPUT_GRID, DOMAIN.0, DOMAIN.1);
        let neuron_map = Heatmap::new(NEURON_GRID, DOMAIN.0, DOMAIN.1);
        let feature_maps = feature_maps(&neuron_map, &config.features);
        let mut e = Engine {
            grid_out: grid_inputs(&output, &config),
            grid_neurons: grid_inputs(&neuron_map, &config),
            ws: Workspace::default(),
            pending: vec![0.0; OUTPUT_GRID * OUTPUT_GRID],
            pending_at: 0,
            trainer: built.trainer,
            train: built.train,
            validation: built.validation,
            test: built.test,
            sources: built.sources,
            curves: Curves::new(),
            metrics: Metrics::BLANK,
            output,
            neurons: Vec::new(),
            feature_maps,
            palette: Palette::OrangeBlue,
            grad_norms: VecDeque::new(),
            step_mode: false,
            granularity: Granularity::Batch,
            traced_update: None,
            config,
            version: 0,
        };
        e.refresh();
        Ok(e)
    }

    /// Takes settings that do not need a new network (learning rate, optimizer,
    /// schedule, regularization, batch size, view options). Returns a note when the
    /// optimizer's state had to start afresh.
    pub fn apply_live(&mut self, config: &Playground) -> Result<Option<String>, String> {
        let mut note = None;
        if self.trainer.set_optimizer(config.optimizer_config())? {
            note = Some("The optimizer changed, so its state (velocity, averages) starts afresh; the weights are kept.".to_string());
        }
        self.trainer.set_schedule(config.schedule)?;
        self.trainer.set_regularization(config.regularization())?;
        self.trainer.set_batch_size(config.batch.min(self.trainer.data().train_x.nrows()).max(1))?;
        self.config = config.clone();
        self.version += 1;
        Ok(note)
    }

    /// Back to the same initial weights.
    pub fn reset(&mut self) {
        self.trainer.reset();
        self.curves = Curves::new();
        self.grad_norms.clear();
        self.traced_update = None;
        self.refresh();
    }

    /// Runs one frame's worth of training. `now` reads a clock in milliseconds; `budget`
    /// bounds the time spent for [`Speed::Max`]. Returns the updates made.
    pub fn train_frame(&mut self, now: &dyn Fn() -> f64, budget: f64) -> u64 {
        let before = self.trainer.updates();
        let n_train = self.trainer.data().train_x.nrows().max(1);
        let per_epoch = n_train.div_ceil(self.trainer.config().batch_size.max(1)) as u64;
        match SPEEDS[self.config.speed.min(SPEEDS.len() - 1)] {
            Speed::Updates(k) => {
                self.trainer.run(k as u64);
            }
            Speed::Epochs(k) => {
                self.trainer.run(per_epoch * k as u64);
            }
            Speed::Max => {
                let start = now();
                while now() - start < budget {
                    if self.trainer.run(per_epoch.clamp(1, 50)) < per_epoch.clamp(1, 50) {
                        break;
                    }
                    if self.trainer.divergence().is_some() {
                        break;
                    }
                }
            }
        }
        let made = self.trainer.updates() - before;
        if made > 0 {
            self.record_grad_norms();
            self.traced_update = None;
        }
        made
    }

    /// One step (update) exactly.
    pub fn step_once(&mut self) {
        self.trainer.step();
        self.record_grad_norms();
        self.traced_update = (self.trainer.tracing()).then(|| self.trainer.updates());
    }

    /// Appends the trainer's per-layer gradient norms (after an update) to the bounded record.
    pub fn record_grad_norms(&mut self) {
        let t = self.trainer.updates();
        if self.grad_norms.back().is_some_and(|(u, _)| *u >= t) {
            // Went back in time: drop what no longer happened.
            while self.grad_norms.back().is_some_and(|(u, _)| *u >= t) {
                self.grad_norms.pop_back();
            }
        }
        self.grad_norms.push_back((t, self.trainer.grad_norms().to_vec()));
        while self.grad_norms.len() > GRAD_NORM_CAP {
            self.grad_norms.pop_front();
        }
    }

    /// Turns step mode on or off: tracing follows it; the step unit follows the granularity.
    pub fn set_step_mode(&mut self, on: bool) {
        self.step_mode = on;
        self.traced_update = None;
        self.trainer.set_tracing(on);
        self.apply_unit();
        self.version += 1;
    }

    /// Sets the granularity of "next".
    pub fn set_granularity(&mut self, g: Granularity) {
        self.granularity = g;
        self.apply_unit();
        self.version += 1;
    }

    fn apply_unit(&mut self) {
        use crate::train::StepUnit;
        let unit = if self.step_mode && self.granularity == Granularity::Sample { StepUnit::Sample } else { StepUnit::Batch };
        self.trainer.set_unit(unit);
    }

    /// "Next" in step mode: one phase, or a whole epoch. Returns the updates made.
    pub fn next_phase(&mut self) -> u64 {
        let before = self.trainer.updates();
        match self.granularity {
            Granularity::Epoch => {
                self.trainer.step_epoch();
            }
            Granularity::Sample | Granularity::Batch => {
                self.trainer.next_phase();
            }
        }
        let made = self.trainer.updates() - before;
        if made > 0 {
            self.record_grad_norms();
        }
        self.traced_update = (made > 0 && self.trainer.phases_done() == 0).then(|| self.trainer.updates());
        made
    }

    /// "Previous" in step mode: undoes one phase (restoring the exact earlier state).
    pub fn prev_phase(&mut self) -> bool {
        let before = self.trainer.updates();
        let ok = self.trainer.prev_phase();
        self.traced_update = None;
        let now = self.trainer.updates();
        if now < before {
            while self.grad_norms.back().is_some_and(|(u, _)| *u > now) {
                self.grad_norms.pop_back();
            }
        }
        ok
    }

    /// Goes to update `target` of the timeline: back through the snapshots (exact earlier
    /// states), or forward by replaying whole steps. Stops early when the history runs
    /// out or training diverges. Returns whether the parameters changed.
    pub fn go_to(&mut self, target: u64) -> bool {
        let start = self.trainer.updates();
        if self.trainer.phases_done() > 0 {
            self.trainer.back();
        }
        while self.trainer.updates() > target {
            if !self.trainer.back() {
                break;
            }
        }
        while self.trainer.updates() < target && self.trainer.divergence().is_none() {
            self.trainer.step();
            self.record_grad_norms();
        }
        let now = self.trainer.updates();
        while self.grad_norms.back().is_some_and(|(u, _)| *u > now) {
            self.grad_norms.pop_back();
        }
        self.traced_update = (self.trainer.tracing() && now > 0 && self.trainer.trace().update.is_some()).then_some(now);
        now != start
    }

    /// The earliest update the timeline can go back to.
    pub fn earliest_reachable(&self) -> u64 {
        self.trainer.updates().saturating_sub(self.trainer.history_len() as u64)
    }

    /// Recomputes metrics, appends them to the curves and redraws the heatmap values.
    pub fn refresh(&mut self) {
        self.record_metrics();
        self.compute_output();
        self.compute_neurons();
        self.version += 1;
    }

    /// Evaluates and appends to the curves.
    pub fn record_metrics(&mut self) {
        self.metrics = self.trainer.metrics();
        let x = self.trainer.updates() as f64;
        let m = self.metrics;
        self.curves.train.push(x, m.train_loss);
        self.curves.validation.push(x, m.validation_loss);
        self.curves.test.push(x, m.test_loss);
        self.curves.train_acc.push(x, m.train_accuracy);
        self.curves.test_acc.push(x, m.test_accuracy);
    }

    /// Maps one output row to `[-1, 1]` for colouring.
    fn signed_output(&self, row: &[f64]) -> f64 {
        match self.config.head {
            Head::SigmoidBce => prob_to_signed(row[0]),
            Head::SoftmaxCe => prob_to_signed(row[row.len() - 1]),
            Head::LinearMse | Head::TanhMse if self.config.regression() => clamp_signed(row[0]),
            Head::LinearMse | Head::TanhMse => clamp_signed(prob_to_signed(row[0])),
        }
    }

    /// Fills the output heatmap completely.
    pub fn compute_output(&mut self) {
        self.pending_at = 0;
        while !self.compute_output_slice(usize::MAX) {}
    }

    /// Computes up to `max_points` more points of the output heatmap into a second
    /// buffer and swaps it in when the grid is complete (so a frame never shows a
    /// half-updated map). Returns whether a complete map was swapped in.
    pub fn compute_output_slice(&mut self, max_points: usize) -> bool {
        if !self.config.dataset.is_2d() {
            return true;
        }
        let net = self.trainer.net();
        let k = net.outputs();
        let last = net.layers.len() - 1;
        let total = self.grid_out.nrows();
        let end = self.pending_at.saturating_add(max_points).min(total);
        let mut values = std::mem::take(&mut self.pending);
        values.resize(total, 0.0);
        for start in (self.pending_at..end).step_by(500) {
            let stop = (start + 500).min(end);
            let block = self.grid_out.slice(ndarray::s![start..stop, ..]);
            self.trainer.forward_block(&mut self.ws, block);
            for r in 0..stop - start {
                values[start + r] = self.signed_output(&self.ws.a[last][r * k..(r + 1) * k]);
            }
        }
        self.pending = values;
        self.pending_at = end;
        if end == total {
            std::mem::swap(&mut self.pending, &mut self.output.values);
            self.pending_at = 0;
            true
        } else {
            false
        }
    }

    /// Fills every neuron's small heatmap.
    pub fn compute_neurons(&mut self) {
        if !self.config.dataset.is_2d() {
            self.neurons.clear();
            return;
        }
        let block = self.grid_neurons.view();
        self.trainer.forward_block(&mut self.ws, block);
        let net = self.trainer.net();
        let cells = NEURON_GRID * NEURON_GRID;
        let last = net.layers.len() - 1;
        let mut out = Vec::with_capacity(net.layers.len());
        for (l, layer) in net.layers.iter().enumerate() {
            let u = layer.units();
            let a = &self.ws.a[l];
            let mut per = Vec::with_capacity(u);
            for j in 0..u {
                let vals: Vec<f64> = (0..cells)
                    .map(|r| {
                        let v = a[r * u + j];
                        if l == last {
                            let row = &a[r * u..(r + 1) * u];
                            self.signed_output(row)
                        } else {
                            match layer.activation {
                                Activation::Sigmoid => prob_to_signed(v),
                                _ => clamp_signed(v),
                            }
                        }
                    })
                    .collect();
                per.push(vals);
            }
            out.push(per);
        }
        self.neurons = out;
    }

    /// Summary for Yew state.
    pub fn summary(&self) -> Summary {
        Summary {
            epoch: self.trainer.epoch(),
            updates: self.trainer.updates(),
            lr: self.trainer.current_lr(),
            train_loss: self.metrics.train_loss,
            validation_loss: self.metrics.validation_loss,
            test_loss: self.metrics.test_loss,
            train_acc: self.metrics.train_accuracy,
            test_acc: self.metrics.test_accuracy,
            version: self.version,
        }
    }

    /// Marks the engine changed.
    pub fn touch(&mut self) {
        self.version += 1;
    }
}

fn feature_maps(map: &Heatmap, features: &[Feature]) -> Vec<Vec<f64>> {
    let pts = map.points();
    Feature::ALL
        .iter()
        .map(|f| {
            let _ = features;
            pts.chunks(2)
                .map(|p| {
                    let v = f.eval(p[0], p[1]);
                    // Scale so each feature's typical range fills the colour map.
                    let scale = match f {
                        Feature::X1 | Feature::X2 => 6.0,
                        Feature::X1Sq | Feature::X2Sq => 36.0,
                        Feature::X1X2 => 36.0,
                        Feature::SinX1 | Feature::SinX2 => 1.0,
                    };
                    let v = v / scale;
                    if matches!(f, Feature::X1Sq | Feature::X2Sq) {
                        2.0 * v - 1.0
                    } else {
                        v
                    }
                })
                .collect()
        })
        .collect()
}
