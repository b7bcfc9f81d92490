//! The trainer: runs training steps whole (the fast path) or phase by phase, can
//! record a [`StepTrace`] and can go back to the exact state before recent steps.
//! Both paths call the same kernels in the same order, so they agree bit for bit.

use super::history::{copy_cursor, copy_net, copy_opt_state, Cursor, History};
use super::loss_log::LossLog;
use super::phase::{Phase, StepUnit};
use super::trace::{LayerTrace, StepTrace, UpdateTrace};
use crate::nn::network::{self, Workspace};
use crate::nn::{Loss, Network, Optimizer, OptimizerConfig, Regularization, Schedule};
use ndarray::{Array1, Array2, Array3, ArrayView2};
use serde::{Deserialize, Serialize};

/// How to train.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainConfig {
    /// Loss function.
    pub loss: Loss,
    /// Optimizer and hyper-parameters.
    pub optimizer: OptimizerConfig,
    /// Learning-rate schedule.
    pub schedule: Schedule,
    /// Weight penalty.
    pub regularization: Regularization,
    /// Mini-batch size (1 = SGD; ≥ training-set size = batch gradient descent).
    pub batch_size: usize,
    /// Reshuffle the training samples every epoch.
    pub shuffle: bool,
    /// Seed of the shuffling.
    pub seed: u64,
}

/// Featurized inputs and targets of the three parts.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainData {
    /// Training inputs `[n, inputs]`.
    pub train_x: Array2<f64>,
    /// Training targets `[n, outputs]`.
    pub train_y: Array2<f64>,
    /// Validation inputs.
    pub val_x: Array2<f64>,
    /// Validation targets.
    pub val_y: Array2<f64>,
    /// Test inputs.
    pub test_x: Array2<f64>,
    /// Test targets.
    pub test_y: Array2<f64>,
}

impl TrainData {
    /// Training data only.
    pub fn train_only(x: Array2<f64>, y: Array2<f64>) -> Self {
        let (d, k) = (x.ncols(), y.ncols());
        TrainData {
            train_x: x,
            train_y: y,
            val_x: Array2::zeros((0, d)),
            val_y: Array2::zeros((0, k)),
            test_x: Array2::zeros((0, d)),
            test_y: Array2::zeros((0, k)),
        }
    }

    fn check(&self, net: &Network) -> Result<(), String> {
        if self.train_x.nrows() == 0 {
            return Err("data: the training set is empty".into());
        }
        for (name, x, y) in [
            ("train", &self.train_x, &self.train_y),
            ("validation", &self.val_x, &self.val_y),
            ("test", &self.test_x, &self.test_y),
        ] {
            if x.ncols() != net.inputs() {
                return Err(format!("data.{name}: {} input columns but the network has {} inputs", x.ncols(), net.inputs()));
            }
            if y.ncols() != net.outputs() || y.nrows() != x.nrows() {
                return Err(format!(
                    "data.{name}: targets are {}×{}, expected {}×{}",
                    y.nrows(),
                    y.ncols(),
                    x.nrows(),
                    net.outputs()
                ));
            }
            if x.iter().chain(y.iter()).any(|v| !v.is_finite()) {
                return Err(format!("data.{name}: values must be finite numbers"));
            }
        }
        Ok(())
    }
}

/// Loss and accuracy on the three parts (NaN for an empty part).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Metrics {
    /// Training loss.
    pub train_loss: f64,
    /// Training accuracy.
    pub train_accuracy: f64,
    /// Validation loss.
    pub validation_loss: f64,
    /// Validation accuracy.
    pub validation_accuracy: f64,
    /// Test loss.
    pub test_loss: f64,
    /// Test accuracy.
    pub test_accuracy: f64,
}

impl Metrics {
    /// Nothing measured yet: every value NaN.
    pub const BLANK: Metrics = Metrics {
        train_loss: f64::NAN,
        train_accuracy: f64::NAN,
        validation_loss: f64::NAN,
        validation_accuracy: f64::NAN,
        test_loss: f64::NAN,
        test_accuracy: f64::NAN,
    };
}

/// Snapshots kept for going back, at most.
pub const HISTORY_STEPS: usize = 200;

/// The trainer.
#[derive(Clone, Debug)]
pub struct Trainer {
    net: Network,
    initial: Network,
    optimizer: Optimizer,
    config: TrainConfig,
    data: TrainData,
    cursor: Cursor,
    updates: u64,
    ws: Workspace,
    eval_ws: Workspace,
    batch: Vec<usize>,
    ends_epoch: bool,
    done: usize,
    unit: StepUnit,
    history: History,
    tracing: bool,
    trace: StepTrace,
    grad_norms: Vec<f64>,
    last_loss: f64,
    losses: LossLog,
}

impl Trainer {
    /// A trainer for `net` (its parameters are the initial ones `reset` returns to).
    pub fn new(net: Network, config: TrainConfig, data: TrainData) -> Result<Self, String> {
        validate_config(&net, &config)?;
        data.check(&net)?;
        let optimizer = Optimizer::new(config.optimizer, &net.tensor_sizes());
        let ws = Workspace::new(&net, config.batch_size.min(data.train_x.nrows()));
        let eval_ws = Workspace::new(&net, 256);
        let cursor = Cursor::new(data.train_x.nrows(), config.shuffle, config.seed);
        let per_snapshot = net.param_count() * 3 + data.train_x.nrows() + 16;
        let history = History::new((4_000_000 / per_snapshot).clamp(8, HISTORY_STEPS));
        Ok(Trainer {
            grad_norms: vec![0.0; net.layers.len()],
            initial: net.clone(),
            net,
            optimizer,
            config,
            data,
            cursor,
            updates: 0,
            ws,
            eval_ws,
            batch: Vec::new(),
            ends_epoch: false,
            done: 0,
            unit: StepUnit::Batch,
            history,
            tracing: false,
            trace: StepTrace::default(),
            last_loss: f64::NAN,
            losses: LossLog::new(HISTORY_STEPS),
        })
    }

    // ----- read access -------------------------------------------------------------

    /// The parameters before the last update (`None` before the first, or after the
    /// history was cleared): `θ − this` is the last update's `Δθ`.
    pub fn previous_net(&self) -> Option<&Network> {
        self.history.last().filter(|s| s.updates + 1 == self.updates).map(|s| &s.net)
    }

    /// The batch loss of recent updates (kept after going back, for replay).
    pub fn loss_log(&self) -> &LossLog {
        &self.losses
    }

    /// Current parameters.
    pub fn net(&self) -> &Network {
        &self.net
    }
    /// The initial parameters (`reset` returns to them).
    pub fn initial_net(&self) -> &Network {
        &self.initial
    }
    /// The optimizer and its state.
    pub fn optimizer(&self) -> &Optimizer {
        &self.optimizer
    }
    /// Training settings.
    pub fn config(&self) -> &TrainConfig {
        &self.config
    }
    /// The data.
    pub fn data(&self) -> &TrainData {
        &self.data
    }
    /// Updates made.
    pub fn updates(&self) -> u64 {
        self.updates
    }
    /// Completed epochs.
    pub fn epoch(&self) -> u64 {
        self.cursor.epoch
    }
    /// Learning rate the next update uses, `α_t` with `t` = updates made.
    pub fn current_lr(&self) -> f64 {
        self.config.schedule.lr(self.config.optimizer.lr(), self.updates)
    }
    /// Mean loss of the batch of the last completed loss phase.
    pub fn last_loss(&self) -> f64 {
        self.last_loss
    }
    /// Per-layer norm of the last batch gradient, `‖(∂L/∂W, ∂L/∂b)‖₂`.
    pub fn grad_norms(&self) -> &[f64] {
        &self.grad_norms
    }
    /// The trace of the current (or last) step.
    pub fn trace(&self) -> &StepTrace {
        &self.trace
    }
    /// Whether phases record a trace.
    pub fn tracing(&self) -> bool {
        self.tracing
    }
    /// The sample indices of the current step's batch.
    pub fn batch(&self) -> &[usize] {
        &self.batch
    }
    /// The step unit used by phase stepping.
    pub fn unit(&self) -> StepUnit {
        self.unit
    }
    /// The kernels' buffers (current batch, activations, gradients).
    pub fn workspace(&self) -> &Workspace {
        &self.ws
    }
    /// Phases completed in the current step (0 = between steps).
    pub fn phases_done(&self) -> usize {
        self.done
    }
    /// The last completed phase of the current step, if a step is under way.
    pub fn last_phase(&self) -> Option<Phase> {
        (self.done > 0).then(|| Phase::nth(self.net.layers.len(), self.done - 1))
    }
    /// The phase the next call to [`next_phase`](Self::next_phase) runs.
    pub fn next_phase_kind(&self) -> Phase {
        Phase::nth(self.net.layers.len(), self.done)
    }
    /// Snapshots available for going back.
    pub fn history_len(&self) -> usize {
        self.history.len()
    }
    /// Update counts of the available snapshots, oldest first.
    pub fn history_updates(&self) -> Vec<u64> {
        self.history.updates().collect()
    }
    /// Why training should stop, if the loss or a parameter is NaN or infinite.
    pub fn divergence(&self) -> Option<String> {
        if self.updates > 0 && !self.last_loss.is_finite() {
            Some(format!("the loss became {} at update {}", self.last_loss, self.updates))
        } else if !self.net.all_finite() {
            Some(format!("a parameter became NaN or infinite at update {}", self.updates))
        } else {
            None
        }
    }

    // ----- settings that keep the network ----------------------------------------------

    /// Turns trace recording on or off (takes effect from the next phase).
    pub fn set_tracing(&mut self, on: bool) {
        self.tracing = on;
    }
    /// Chooses whether phase stepping and [`step`](Self::step) use one sample or a mini-batch.
    pub fn set_unit(&mut self, unit: StepUnit) {
        self.unit = unit;
    }
    /// Changes the base learning rate, keeping parameters and optimizer state.
    pub fn set_lr(&mut self, lr: f64) -> Result<(), String> {
        let mut c = self.config.optimizer;
        c.set_lr(lr);
        self.set_optimizer(c).map(|_| ())
    }
    /// Changes optimizer or hyper-parameters, keeping the parameters. The optimizer
    /// state is kept if it fits; returns `true` when it had to be reset.
    pub fn set_optimizer(&mut self, config: OptimizerConfig) -> Result<bool, String> {
        config.validate()?;
        self.losses.forget_after(self.updates);
        self.config.optimizer = config;
        Ok(self.optimizer.set_config(config, &self.net.tensor_sizes()))
    }
    /// Changes the schedule (it is a function of the update count, nothing resets).
    pub fn set_schedule(&mut self, schedule: Schedule) -> Result<(), String> {
        schedule.validate()?;
        self.losses.forget_after(self.updates);
        self.config.schedule = schedule;
        Ok(())
    }
    /// Changes L1/L2 regularization from the next backward phase on.
    pub fn set_regularization(&mut self, reg: Regularization) -> Result<(), String> {
        validate_reg(&reg)?;
        self.losses.forget_after(self.updates);
        self.config.regularization = reg;
        Ok(())
    }
    /// Changes the mini-batch size from the next step on.
    pub fn set_batch_size(&mut self, size: usize) -> Result<(), String> {
        if size == 0 {
            return Err("batch_size: must be at least 1".into());
        }
        self.config.batch_size = size;
        self.losses.forget_after(self.updates);
        Ok(())
    }
    /// Turns per-epoch shuffling on or off (from the next epoch).
    pub fn set_shuffle(&mut self, on: bool) {
        self.config.shuffle = on;
        self.losses.forget_after(self.updates);
    }
    /// Replaces the data (e.g. points added by hand); parameters are kept, the epoch
    /// restarts and the history is cleared.
    pub fn set_data(&mut self, data: TrainData) -> Result<(), String> {
        data.check(&self.net)?;
        self.abandon_step();
        let epoch = self.cursor.epoch;
        self.cursor = Cursor::new(data.train_x.nrows(), self.config.shuffle, self.config.seed ^ self.updates);
        self.cursor.epoch = epoch;
        self.data = data;
        self.history.clear();
        self.losses.clear();
        Ok(())
    }

    // ----- resets ------------------------------------------------------------------

    /// Back to the initial parameters, a fresh optimizer and the first epoch.
    pub fn reset(&mut self) {
        copy_net(&mut self.net, &self.initial);
        self.optimizer.reset(&self.net.tensor_sizes());
        self.cursor = Cursor::new(self.data.train_x.nrows(), self.config.shuffle, self.config.seed);
        self.updates = 0;
        self.done = 0;
        self.history.clear();
        self.trace = StepTrace::default();
        self.grad_norms.fill(0.0);
        self.last_loss = f64::NAN;
        self.losses.clear();
    }

    /// New initial parameters (same shape), then [`reset`](Self::reset).
    pub fn reinit(&mut self, net: Network) -> Result<(), String> {
        if net.spec() != self.net.spec() {
            return Err("network: new parameters must have the same shape".into());
        }
        self.initial = net;
        self.reset();
        Ok(())
    }

    // ----- stepping ----------------------------------------------------------------

    /// Completes the current step, or runs one whole step. Returns the batch loss.
    pub fn step(&mut self) -> f64 {
        loop {
            self.run_phase();
            if self.done == 0 {
                break;
            }
        }
        self.last_loss
    }

    /// Runs steps until the current epoch ends. Returns the last batch loss.
    pub fn step_epoch(&mut self) -> f64 {
        let epoch = self.cursor.epoch;
        while self.cursor.epoch == epoch {
            self.step();
            if self.divergence().is_some() {
                break;
            }
        }
        self.last_loss
    }

    /// Runs `n` whole steps, stopping early on divergence. Returns the steps made.
    pub fn run(&mut self, n: u64) -> u64 {
        for i in 0..n {
            self.step();
            if self.divergence().is_some() {
                return i + 1;
            }
        }
        n
    }

    /// Runs the next phase and returns it.
    pub fn next_phase(&mut self) -> Phase {
        self.run_phase()
    }

    /// Undoes the last phase. Within a step it only marks the phase pending again
    /// (parameters change only in `Update`); between steps it restores the snapshot
    /// of the last step and replays it up to, not including, its update. Returns
    /// `false` when there is nothing to go back to.
    pub fn prev_phase(&mut self) -> bool {
        let layers = self.net.layers.len();
        match self.done {
            0 => {
                if !self.restore_last() {
                    return false;
                }
                for _ in 0..Phase::count(layers) - 1 {
                    self.run_phase();
                }
                true
            }
            1 => {
                self.clear_trace_phase(0);
                self.restore_last()
            }
            d => {
                self.clear_trace_phase(d - 1);
                self.done -= 1;
                true
            }
        }
    }

    /// Goes back one whole step: abandons a step under way, or else restores the state
    /// before the last update. Returns `false` when there is nothing to go back to.
    pub fn back(&mut self) -> bool {
        if self.done > 0 {
            self.abandon_step();
            return true;
        }
        let ok = self.restore_last();
        self.trace = StepTrace::default();
        ok
    }

    /// Loss and accuracy of the current parameters on train, validation and test.
    pub fn metrics(&mut self) -> Metrics {
        let loss = self.config.loss;
        let d = &self.data;
        let (tl, ta) = network::evaluate(&self.net, &mut self.eval_ws, &d.train_x, &d.train_y, loss);
        let (vl, va) = network::evaluate(&self.net, &mut self.eval_ws, &d.val_x, &d.val_y, loss);
        let (sl, sa) = network::evaluate(&self.net, &mut self.eval_ws, &d.test_x, &d.test_y, loss);
        Metrics {
            train_loss: tl,
            train_accuracy: ta,
            validation_loss: vl,
            validation_accuracy: va,
            test_loss: sl,
            test_accuracy: sa,
        }
    }

    /// Loss of the current network on the whole training set with its parameters
    /// replaced by `params` (flattened, optimizer order). Used for loss surfaces and
    /// gradient checks; the network itself is left unchanged.
    pub fn loss_at(&mut self, params: &[f64]) -> f64 {
        let mut net = self.net.clone();
        for (t, chunk) in net.tensors_mut().zip(chunks(params, &self.net.tensor_sizes())) {
            t.copy_from_slice(chunk);
        }
        let d = &self.data;
        network::evaluate(&net, &mut self.eval_ws, &d.train_x, &d.train_y, self.config.loss).0
    }

    /// Evaluates the network on a block of inputs, leaving every layer's activations
    /// in the returned workspace rows (used for heatmaps of each neuron).
    pub fn forward_block<'a>(&self, ws: &'a mut Workspace, x: ArrayView2<f64>) -> &'a Workspace {
        ws.resize(&self.net, x.nrows());
        ws.load_x(x);
        network::forward(&self.net, ws);
        ws
    }

    // ----- internals ---------------------------------------------------------------

    fn restore_last(&mut self) -> bool {
        let Some(s) = self.history.pop() else {
            return false;
        };
        copy_net(&mut self.net, &s.net);
        copy_opt_state(&mut self.optimizer.state, &s.opt);
        copy_cursor(&mut self.cursor, &s.cursor);
        self.updates = s.updates;
        // The optimizer may have been changed since; its old state may not fit.
        // (Skipped when it is unchanged: checking allocates.)
        if s.opt_config != self.config.optimizer {
            self.optimizer.set_config(self.config.optimizer, &self.net.tensor_sizes());
        }
        self.done = 0;
        true
    }

    fn abandon_step(&mut self) {
        if self.done > 0 {
            self.restore_last();
            self.trace = StepTrace::default();
        }
    }

    fn begin_step(&mut self) {
        self.history.push(&self.net, &self.optimizer, &self.cursor, self.updates);
        let size = match self.unit {
            StepUnit::Sample => 1,
            StepUnit::Batch => self.config.batch_size,
        };
        self.ends_epoch = self.cursor.next_batch(size, self.config.shuffle, &mut self.batch);
        self.ws.resize(&self.net, self.batch.len());
        self.ws.load_rows(&self.data.train_x, &self.data.train_y, &self.batch);
        if self.tracing {
            let k = self.net.outputs();
            self.trace = StepTrace {
                batch: self.batch.clone(),
                y: Some(rows(&self.ws.y, self.batch.len(), k)),
                layers: vec![LayerTrace::default(); self.net.layers.len()],
                ..Default::default()
            };
        }
    }

    fn run_phase(&mut self) -> Phase {
        let layers = self.net.layers.len();
        if self.done == 0 {
            self.begin_step();
        }
        let phase = Phase::nth(layers, self.done);
        match phase {
            Phase::Forward(l) => {
                network::forward_layer(&self.net, &mut self.ws, l);
                if self.tracing {
                    let (n, d, u) = (self.ws.n, self.net.layers[l].inputs(), self.net.layers[l].units());
                    let input = if l == 0 { &self.ws.x } else { &self.ws.a[l - 1] };
                    let t = &mut self.trace.layers[l];
                    t.input = Some(rows(input, n, d));
                    t.z = Some(rows(&self.ws.z[l], n, u));
                    t.a = Some(rows(&self.ws.a[l], n, u));
                }
            }
            Phase::Loss => {
                self.last_loss = network::loss_phase(&self.net, &mut self.ws, self.config.loss);
                if self.tracing {
                    let (n, k) = (self.ws.n, self.net.outputs());
                    self.trace.sample_loss = Some(self.ws.sample_loss[..n].to_vec());
                    self.trace.loss = Some(self.last_loss);
                    let t = &mut self.trace.layers[layers - 1];
                    t.da = Some(rows(&self.ws.da[layers - 1], n, k));
                    t.dz = Some(rows(&self.ws.dz[layers - 1], n, k));
                    t.dact = activation_derivative(&self.net, &self.ws, layers - 1);
                }
            }
            Phase::Backward(l) => {
                network::backward_layer(&self.net, &mut self.ws, l);
                let (n, d, u) = (self.ws.n, self.net.layers[l].inputs(), self.net.layers[l].units());
                if self.tracing {
                    let input = if l == 0 { &self.ws.x } else { &self.ws.a[l - 1] };
                    let dz = &self.ws.dz[l];
                    let mut per = Array3::zeros((n, d, u));
                    for r in 0..n {
                        for i in 0..d {
                            for j in 0..u {
                                per[[r, i, j]] = input[r * d + i] * dz[r * u + j];
                            }
                        }
                    }
                    self.trace.layers[l].dw_samples = Some(per);
                    self.trace.layers[l].dw_data = Some(rows(&self.ws.gw[l], d, u));
                    if l > 0 {
                        let dact = activation_derivative(&self.net, &self.ws, l - 1);
                        let t = &mut self.trace.layers[l - 1];
                        t.da = Some(rows(&self.ws.da[l - 1], n, d));
                        t.dz = Some(rows(&self.ws.dz[l - 1], n, d));
                        t.dact = dact;
                    }
                }
                network::add_regularization(&self.net, &mut self.ws, l, &self.config.regularization);
                self.grad_norms[l] = (sum_sq(&self.ws.gw[l]) + sum_sq(&self.ws.gb[l])).sqrt();
                if self.tracing {
                    let (w, reg) = (&self.net.layers[l].w, &self.config.regularization);
                    self.trace.layers[l].dw_reg = Some(Array2::from_shape_fn((d, u), |(i, j)| reg.grad(w[[i, j]])));
                    self.trace.layers[l].dw = Some(rows(&self.ws.gw[l], d, u));
                    self.trace.layers[l].db = Some(Array1::from(self.ws.gb[l].clone()));
                }
            }
            Phase::Update => self.update(),
        }
        self.done += 1;
        if self.done == Phase::count(layers) {
            self.done = 0;
        }
        phase
    }

        /// `θ ← optimizer(θ, ∂L/∂θ, α_t)` for every tensor, with `α_t` from the schedule.
    fn update(&mut self) {
        let lr = self.current_lr();
        let before = self.tracing.then(|| (self.optimizer.state.clone(), self.net.flat_params()));
        let grads = self.ws.gw.iter().zip(&self.ws.gb).flat_map(|(w, b)| [w.as_slice(), b.as_slice()]);
        self.optimizer.step(lr, self.net.tensors_mut().zip(grads));
        self.updates += 1;
        self.losses.record(self.updates, self.last_loss);
        if self.ends_epoch {
            self.cursor.epoch += 1;
        }
        if let Some((state_before, params_before)) = before {
            let params_after = self.net.flat_params();
            let delta = params_after.iter().zip(&params_before).map(|(a, b)| a - b).collect();
            let terms = self.optimizer.explain(lr, self.optimizer.state.step);
            let bias_corrections = match self.config.optimizer {
                OptimizerConfig::Adam(c) => Some(Optimizer::adam_bias_corrections(&c, self.optimizer.state.step)),
                _ => None,
            };
            self.trace.update = Some(UpdateTrace {
                t: self.optimizer.state.step,
                lr,
                state_before,
                state_after: self.optimizer.state.clone(),
                params_before,
                params_after,
                delta,
                terms,
                bias_corrections,
            });
        }
    }

    fn clear_trace_phase(&mut self, i: usize) {
        let layers = self.net.layers.len();
        if self.trace.layers.len() != layers {
            return;
        }
        match Phase::nth(layers, i) {
            Phase::Forward(l) => {
                let t = &mut self.trace.layers[l];
                t.input = None;
                t.z = None;
                t.a = None;
            }
            Phase::Loss => {
                self.trace.loss = None;
                self.trace.sample_loss = None;
                self.trace.layers[layers - 1].da = None;
                self.trace.layers[layers - 1].dz = None;
                self.trace.layers[layers - 1].dact = None;
            }
            Phase::Backward(l) => {
                let t = &mut self.trace.layers[l];
                t.dw_samples = None;
                t.dw_data = None;
                t.dw_reg = None;
                t.dw = None;
                t.db = None;
                if l > 0 {
                    self.trace.layers[l - 1].da = None;
                    self.trace.layers[l - 1].dz = None;
                    self.trace.layers[l - 1].dact = None;
                }
            }
            Phase::Update => self.trace.update = None,
        }
    }
}

/// `Σ v²`, with four partial sums (which vectorize).
fn sum_sq(v: &[f64]) -> f64 {
    let (chunks, rest) = v.as_chunks::<4>();
    let mut acc = [0.0f64; 4];
    for c in chunks {
        for k in 0..4 {
            acc[k] += c[k] * c[k];
        }
    }
    let mut s = (acc[0] + acc[1]) + (acc[2] + acc[3]);
    for &x in rest {
        s += x * x;
    }
    s
}

fn rows(buf: &[f64], n: usize, k: usize) -> Array2<f64> {
    Array2::from_shape_vec((n, k), buf[..n * k].to_vec()).expect("buffer has n·k values")
}

/// `σ′(z)` of layer `l` for the workspace's batch, `[n, units]`; `None` for softmax
/// (not element-wise).
fn activation_derivative(net: &Network, ws: &Workspace, l: usize) -> Option<Array2<f64>> {
    let act = net.layers[l].activation;
    if !act.is_elementwise() {
        return None;
    }
    let (n, u) = (ws.n, net.layers[l].units());
    Some(Array2::from_shape_fn((n, u), |(r, j)| act.derivative(ws.z[l][r * u + j], ws.a[l][r * u + j])))
}

/// Splits a flat parameter vector into tensor-sized chunks.
pub fn chunks<'a>(flat: &'a [f64], sizes: &[usize]) -> Vec<&'a [f64]> {
    let mut out = Vec::with_capacity(sizes.len());
    let mut at = 0;
    for &s in sizes {
        out.push(&flat[at..at + s]);
        at += s;
    }
    out
}

fn validate_reg(reg: &Regularization) -> Result<(), String> {
    if reg.rate.is_finite() && reg.rate >= 0.0 {
        Ok(())
    } else {
        Err(format!("regularization.rate: must be a finite number ≥ 0, got {}", reg.rate))
    }
}

fn validate_config(net: &Network, c: &TrainConfig) -> Result<(), String> {
    c.loss.check_output(net.output_activation()).map_err(|e| format!("loss: {e}"))?;
    c.optimizer.validate().map_err(|e| format!("optimizer.{e}"))?;
    c.schedule.validate().map_err(|e| format!("schedule.{e}"))?;
    validate_reg(&c.regularization)?;
    if c.batch_size == 0 {
        return Err("batch_size: must be at least 1".into());
    }
    Ok(())
}
