//! Optimizers exactly as PyTorch's `torch.optim` documents and implements them, with
//! its defaults. `g` is the gradient (already including any L1/L2 term), `γ` the learning
//! rate of this update (from the schedule), `t` the update count starting at 1.

use serde::{Deserialize, Serialize};

/// `torch.optim.SGD`. Defaults: `lr = 1e-3`, `momentum = 0`, `dampening = 0`, `nesterov = false`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SgdConfig {
    /// Learning rate `γ`.
    pub lr: f64,
    /// Momentum `μ`.
    pub momentum: f64,
    /// Dampening `τ`.
    pub dampening: f64,
    /// Nesterov momentum.
    pub nesterov: bool,
}

impl Default for SgdConfig {
    fn default() -> Self {
        SgdConfig { lr: 1e-3, momentum: 0.0, dampening: 0.0, nesterov: false }
    }
}

/// `torch.optim.Adagrad`. Defaults: `lr = 1e-2`, `lr_decay = 0`, `initial_accumulator_value = 0`, `eps = 1e-10`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AdagradConfig {
    /// Learning rate `γ`.
    pub lr: f64,
    /// Learning-rate decay `η`.
    pub lr_decay: f64,
    /// Initial value of the accumulator.
    pub initial_accumulator_value: f64,
    /// `ε`.
    pub eps: f64,
}

impl Default for AdagradConfig {
    fn default() -> Self {
        AdagradConfig { lr: 1e-2, lr_decay: 0.0, initial_accumulator_value: 0.0, eps: 1e-10 }
    }
}

/// `torch.optim.RMSprop`. Defaults: `lr = 1e-2`, `alpha = 0.99`, `eps = 1e-8`, `momentum = 0`, `centered = false`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RmspropConfig {
    /// Learning rate `γ`.
    pub lr: f64,
    /// Smoothing constant `α`.
    pub alpha: f64,
    /// `ε`.
    pub eps: f64,
    /// Momentum `μ`.
    pub momentum: f64,
    /// Centered RMSprop (normalise by the estimated variance).
    pub centered: bool,
}

impl Default for RmspropConfig {
    fn default() -> Self {
        RmspropConfig { lr: 1e-2, alpha: 0.99, eps: 1e-8, momentum: 0.0, centered: false }
    }
}

/// `torch.optim.Adam`. Defaults: `lr = 1e-3`, `betas = (0.9, 0.999)`, `eps = 1e-8`, `amsgrad = false`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AdamConfig {
    /// Learning rate `γ`.
    pub lr: f64,
    /// `β₁`.
    pub beta1: f64,
    /// `β₂`.
    pub beta2: f64,
    /// `ε`.
    pub eps: f64,
    /// AMSGrad variant.
    pub amsgrad: bool,
}

impl Default for AdamConfig {
    fn default() -> Self {
        AdamConfig { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, amsgrad: false }
    }
}

/// An optimizer and its hyper-parameters.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "name", rename_all = "snake_case")]
pub enum OptimizerConfig {
    /// Stochastic gradient descent, with optional (Nesterov) momentum.
    Sgd(SgdConfig),
    /// AdaGrad.
    Adagrad(AdagradConfig),
    /// RMSProp.
    Rmsprop(RmspropConfig),
    /// Adam.
    Adam(AdamConfig),
}

/// The six optimizers the UI offers (SGD momentum and Nesterov are SGD settings).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OptimizerKind {
    /// Plain SGD.
    Sgd,
    /// SGD with momentum 0.9.
    Momentum,
    /// SGD with Nesterov momentum 0.9.
    Nesterov,
    /// AdaGrad.
    Adagrad,
    /// RMSProp.
    Rmsprop,
    /// Adam.
    Adam,
}

impl OptimizerKind {
    /// All kinds, in menu order.
    pub const ALL: [OptimizerKind; 6] = [
        OptimizerKind::Sgd,
        OptimizerKind::Momentum,
        OptimizerKind::Nesterov,
        OptimizerKind::Adagrad,
        OptimizerKind::Rmsprop,
        OptimizerKind::Adam,
    ];

    /// Name for URLs.
    pub fn name(self) -> &'static str {
        match self {
            OptimizerKind::Sgd => "sgd",
            OptimizerKind::Momentum => "momentum",
            OptimizerKind::Nesterov => "nesterov",
            OptimizerKind::Adagrad => "adagrad",
            OptimizerKind::Rmsprop => "rmsprop",
            OptimizerKind::Adam => "adam",
        }
    }

    /// Parses [`OptimizerKind::name`].
    pub fn from_name(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == s)
    }

    /// The preset with PyTorch defaults and learning rate `lr` (momentum presets use μ = 0.9).
    pub fn preset(self, lr: f64) -> OptimizerConfig {
        match self {
            OptimizerKind::Sgd => OptimizerConfig::Sgd(SgdConfig { lr, ..Default::default() }),
            OptimizerKind::Momentum => OptimizerConfig::Sgd(SgdConfig { lr, momentum: 0.9, ..Default::default() }),
            OptimizerKind::Nesterov => {
                OptimizerConfig::Sgd(SgdConfig { lr, momentum: 0.9, nesterov: true, ..Default::default() })
            }
            OptimizerKind::Adagrad => OptimizerConfig::Adagrad(AdagradConfig { lr, ..Default::default() }),
            OptimizerKind::Rmsprop => OptimizerConfig::Rmsprop(RmspropConfig { lr, ..Default::default() }),
            OptimizerKind::Adam => OptimizerConfig::Adam(AdamConfig { lr, ..Default::default() }),
        }
    }
}

impl OptimizerConfig {
    /// The base learning rate.
    pub fn lr(&self) -> f64 {
        match self {
            OptimizerConfig::Sgd(c) => c.lr,
            OptimizerConfig::Adagrad(c) => c.lr,
            OptimizerConfig::Rmsprop(c) => c.lr,
            OptimizerConfig::Adam(c) => c.lr,
        }
    }

    /// Sets the base learning rate.
    pub fn set_lr(&mut self, lr: f64) {
        match self {
            OptimizerConfig::Sgd(c) => c.lr = lr,
            OptimizerConfig::Adagrad(c) => c.lr = lr,
            OptimizerConfig::Rmsprop(c) => c.lr = lr,
            OptimizerConfig::Adam(c) => c.lr = lr,
        }
    }

    /// The UI kind this configuration belongs to.
    pub fn kind(&self) -> OptimizerKind {
        match self {
            OptimizerConfig::Sgd(c) if c.momentum != 0.0 && c.nesterov => OptimizerKind::Nesterov,
            OptimizerConfig::Sgd(c) if c.momentum != 0.0 => OptimizerKind::Momentum,
            OptimizerConfig::Sgd(_) => OptimizerKind::Sgd,
            OptimizerConfig::Adagrad(_) => OptimizerKind::Adagrad,
            OptimizerConfig::Rmsprop(_) => OptimizerKind::Rmsprop,
            OptimizerConfig::Adam(_) => OptimizerKind::Adam,
        }
    }

    /// Checks the hyper-parameters as PyTorch does; the error names the field.
    pub fn validate(&self) -> Result<(), String> {
        fn finite_ge0(name: &str, v: f64) -> Result<(), String> {
            if v.is_finite() && v >= 0.0 {
                Ok(())
            } else {
                Err(format!("{name}: must be a finite number ≥ 0, got {v}"))
            }
        }
        fn unit(name: &str, v: f64) -> Result<(), String> {
            if (0.0..1.0).contains(&v) {
                Ok(())
            } else {
                Err(format!("{name}: must be in [0, 1), got {v}"))
            }
        }
        finite_ge0("lr", self.lr())?;
        match *self {
            OptimizerConfig::Sgd(c) => {
                finite_ge0("momentum", c.momentum)?;
                finite_ge0("dampening", c.dampening)?;
                if c.nesterov && (c.momentum <= 0.0 || c.dampening != 0.0) {
                    return Err("nesterov: requires a momentum > 0 and zero dampening".into());
                }
            }
            OptimizerConfig::Adagrad(c) => {
                finite_ge0("lr_decay", c.lr_decay)?;
                finite_ge0("initial_accumulator_value", c.initial_accumulator_value)?;
                finite_ge0("eps", c.eps)?;
            }
            OptimizerConfig::Rmsprop(c) => {
                finite_ge0("alpha", c.alpha)?;
                finite_ge0("eps", c.eps)?;
                finite_ge0("momentum", c.momentum)?;
            }
            OptimizerConfig::Adam(c) => {
                unit("beta1", c.beta1)?;
                unit("beta2", c.beta2)?;
                finite_ge0("eps", c.eps)?;
            }
        }
        Ok(())
    }
}

/// Per-tensor optimizer state. Which buffers are used depends on the optimizer:
/// SGD: `momentum` (PyTorch `momentum_buffer`); AdaGrad: `square` (`sum`);
/// RMSprop: `square` (`square_avg`), `mean` (`grad_avg`), `momentum` (`momentum_buffer`);
/// Adam: `mean` (`exp_avg`, m), `square` (`exp_avg_sq`, v), `max_square` (`max_exp_avg_sq`).
/// Unused buffers are empty.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SlotState {
    /// Velocity / momentum buffer.
    pub momentum: Vec<f64>,
    /// Running (sum or average of) squared gradients.
    pub square: Vec<f64>,
    /// Running average of gradients.
    pub mean: Vec<f64>,
    /// AMSGrad's running maximum of `square`.
    pub max_square: Vec<f64>,
}

/// The whole optimizer state: the update count `t` and one [`SlotState`] per tensor.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OptimizerState {
    /// Updates made so far (PyTorch's `state['step']`).
    pub step: u64,
    /// One per parameter tensor, in the order `W₀, b₀, W₁, b₁, …`.
    pub slots: Vec<SlotState>,
}

/// Intermediate quantities of one update (see [`Optimizer::explain`]); vectors are per
/// parameter, flattened in slot order `W₀, b₀, W₁, b₁, …`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UpdateTerms {
    /// The learning rate the rule multiplies by: `γ` (AdaGrad: the decayed `γ̃`).
    pub effective_lr: f64,
    /// RMSprop's `ṽ`.
    pub v_tilde: Option<Vec<f64>>,
    /// Adam's bias-corrected first moment `m̂`.
    pub m_hat: Option<Vec<f64>>,
    /// Adam's bias-corrected second moment `v̂`.
    pub v_hat: Option<Vec<f64>>,
}

/// An optimizer with its state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Optimizer {
    /// Hyper-parameters; they may change between updates.
    pub config: OptimizerConfig,
    /// State carried from update to update.
    pub state: OptimizerState,
}

impl Optimizer {
    /// A fresh optimizer for tensors of the given sizes.
    pub fn new(config: OptimizerConfig, sizes: &[usize]) -> Self {
        let mut o = Optimizer { config, state: OptimizerState::default() };
        o.reset(sizes);
        o
    }

    /// Clears the state (as a newly constructed `torch.optim` optimizer).
    pub fn reset(&mut self, sizes: &[usize]) {
        let (m, s, a, x) = match self.config {
            OptimizerConfig::Sgd(c) => (c.momentum != 0.0, false, false, false),
            OptimizerConfig::Adagrad(_) => (false, true, false, false),
            OptimizerConfig::Rmsprop(c) => (c.momentum > 0.0, true, c.centered, false),
            OptimizerConfig::Adam(c) => (false, true, true, c.amsgrad),
        };
        let init_sq = match self.config {
            OptimizerConfig::Adagrad(c) => c.initial_accumulator_value,
            _ => 0.0,
        };
        let buf = |on: bool, n: usize, v: f64| if on { vec![v; n] } else { Vec::new() };
        self.state = OptimizerState {
            step: 0,
            slots: sizes
                .iter()
                .map(|&n| SlotState {
                    momentum: buf(m, n, 0.0),
                    square: buf(s, n, init_sq),
                    mean: buf(a, n, 0.0),
                    max_square: buf(x, n, 0.0),
                })
                .collect(),
        };
    }

    /// Changes the hyper-parameters. The state is kept when its buffers still fit the
    /// new configuration (same algorithm and same set of buffers), otherwise it is reset
    /// and `true` is returned.
    pub fn set_config(&mut self, config: OptimizerConfig, sizes: &[usize]) -> bool {
        let old = std::mem::replace(&mut self.config, config);
        let mut probe = Optimizer { config, state: OptimizerState::default() };
        probe.reset(sizes);
        let shape = |s: &OptimizerState| {
            s.slots
                .iter()
                .map(|t| (t.momentum.len(), t.square.len(), t.mean.len(), t.max_square.len()))
                .collect::<Vec<_>>()
        };
        let same_algo = std::mem::discriminant(&old) == std::mem::discriminant(&config);
        if same_algo && shape(&probe.state) == shape(&self.state) {
            false
        } else {
            self.state = probe.state;
            true
        }
    }

    /// Adam's bias corrections `(1 − β₁ᵗ, 1 − β₂ᵗ)` for update `t`.
    pub fn adam_bias_corrections(c: &AdamConfig, t: u64) -> (f64, f64) {
        (1.0 - c.beta1.powi(t as i32), 1.0 - c.beta2.powi(t as i32))
    }

    /// The intermediate quantities of update `t` (just made, with learning rate `lr`),
    /// per parameter in slot order, read from the state after the update — what the
    /// step-mode inspector writes into each formula:
    /// - AdaGrad: `γ̃ = γ / (1 + (t − 1) η)`;
    /// - RMSprop: `ṽ = v − ḡ²` (centered) or `ṽ = v`;
    /// - Adam: `m̂ = m / (1 − β₁ᵗ)`, `v̂ = v / (1 − β₂ᵗ)` (AMSGrad: `v̂ = v_max / (1 − β₂ᵗ)`).
    pub fn explain(&self, lr: f64, t: u64) -> UpdateTerms {
        let flat = |f: &dyn Fn(&SlotState) -> Vec<f64>| self.state.slots.iter().flat_map(f).collect::<Vec<f64>>();
        match self.config {
            OptimizerConfig::Sgd(_) => UpdateTerms { effective_lr: lr, ..UpdateTerms::default() },
            OptimizerConfig::Adagrad(c) => UpdateTerms { effective_lr: lr / (1.0 + (t.max(1) - 1) as f64 * c.lr_decay), ..UpdateTerms::default() },
            OptimizerConfig::Rmsprop(c) => UpdateTerms {
                effective_lr: lr,
                v_tilde: Some(if c.centered {
                    flat(&|s| s.square.iter().zip(&s.mean).map(|(v, m)| v - m * m).collect())
                } else {
                    flat(&|s| s.square.clone())
                }),
                ..UpdateTerms::default()
            },
            OptimizerConfig::Adam(c) => {
                let (bc1, bc2) = Optimizer::adam_bias_corrections(&c, t);
                UpdateTerms {
                    effective_lr: lr,
                    m_hat: Some(flat(&|s| s.mean.iter().map(|m| m / bc1).collect())),
                    v_hat: Some(flat(&|s| {
                        let v = if c.amsgrad { &s.max_square } else { &s.square };
                        v.iter().map(|v| v / bc2).collect()
                    })),
                    ..UpdateTerms::default()
                }
            }
        }
    }

    /// One update of every tensor with learning rate `lr` (`γ`, already scheduled).
    /// `tensors` yields `(θ, g)` pairs in the order of the slots.
    pub fn step<'a>(&mut self, lr: f64, tensors: impl Iterator<Item = (&'a mut [f64], &'a [f64])>) {
        self.state.step += 1;
        let t = self.state.step;
        let config = self.config;
        for ((theta, g), slot) in tensors.zip(self.state.slots.iter_mut()) {
            match config {
                OptimizerConfig::Sgd(c) => sgd(&c, lr, t, theta, g, slot),
                OptimizerConfig::Adagrad(c) => adagrad(&c, lr, t, theta, g, slot),
                OptimizerConfig::Rmsprop(c) => rmsprop(&c, lr, theta, g, slot),
                OptimizerConfig::Adam(c) => adam(&c, lr, t, theta, g, slot),
            }
        }
    }
}

/// SGD (PyTorch). With momentum `μ`:
/// `b₁ = g`, `b_t = μ b_{t−1} + (1 − τ) g`; Nesterov `g ← g + μ b_t`, otherwise `g ← b_t`;
/// then `θ ← θ − γ g`. Without momentum: `θ ← θ − γ g`.
fn sgd(c: &SgdConfig, lr: f64, t: u64, theta: &mut [f64], g: &[f64], s: &mut SlotState) {
    if c.momentum == 0.0 {
        for (p, &gi) in theta.iter_mut().zip(g) {
            *p += -lr * gi;
        }
        return;
    }
    for i in 0..theta.len() {
        let b = if t == 1 { g[i] } else { c.momentum * s.momentum[i] + (1.0 - c.dampening) * g[i] };
        s.momentum[i] = b;
        let d = if c.nesterov { g[i] + c.momentum * b } else { b };
        theta[i] += -lr * d;
    }
}

/// AdaGrad (PyTorch): `γ̃ = γ / (1 + (t − 1) η)`, `state_sum ← state_sum + g²`,
/// `θ ← θ − γ̃ g / (√state_sum + ε)`.
fn adagrad(c: &AdagradConfig, lr: f64, t: u64, theta: &mut [f64], g: &[f64], s: &mut SlotState) {
    let clr = lr / (1.0 + (t - 1) as f64 * c.lr_decay);
    for i in 0..theta.len() {
        s.square[i] += g[i] * g[i];
        theta[i] += -clr * g[i] / (s.square[i].sqrt() + c.eps);
    }
}

/// RMSprop (PyTorch): `v ← α v + (1 − α) g²`; centered: `ḡ ← α ḡ + (1 − α) g`, `ṽ = v − ḡ²`,
/// else `ṽ = v`; with momentum `μ > 0`: `b ← μ b + g / (√ṽ + ε)`, `θ ← θ − γ b`;
/// otherwise `θ ← θ − γ g / (√ṽ + ε)`.
fn rmsprop(c: &RmspropConfig, lr: f64, theta: &mut [f64], g: &[f64], s: &mut SlotState) {
    for i in 0..theta.len() {
        let gi = g[i];
        s.square[i] = s.square[i] * c.alpha + (1.0 - c.alpha) * gi * gi;
        let v = if c.centered {
            s.mean[i] += (1.0 - c.alpha) * (gi - s.mean[i]);
            s.square[i] - s.mean[i] * s.mean[i]
        } else {
            s.square[i]
        };
        let avg = v.sqrt() + c.eps;
        if c.momentum > 0.0 {
            s.momentum[i] = c.momentum * s.momentum[i] + gi / avg;
            theta[i] += -lr * s.momentum[i];
        } else {
            theta[i] += -lr * gi / avg;
        }
    }
}

/// Adam (PyTorch): `m ← β₁ m + (1 − β₁) g`, `v ← β₂ v + (1 − β₂) g²`,
/// `m̂ = m / (1 − β₁ᵗ)`, `v̂ = v / (1 − β₂ᵗ)` (AMSGrad: `v̂ = max_t v / (1 − β₂ᵗ)`),
/// `θ ← θ − γ m̂ / (√v̂ + ε)`. Computed as PyTorch does:
/// `θ ← θ − (γ / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)`.
fn adam(c: &AdamConfig, lr: f64, t: u64, theta: &mut [f64], g: &[f64], s: &mut SlotState) {
    let (bc1, bc2) = Optimizer::adam_bias_corrections(c, t);
    let step_size = lr / bc1;
    let bc2_sqrt = bc2.sqrt();
    for i in 0..theta.len() {
        let gi = g[i];
        s.mean[i] += (1.0 - c.beta1) * (gi - s.mean[i]);
        s.square[i] = s.square[i] * c.beta2 + (1.0 - c.beta2) * gi * gi;
        let v = if c.amsgrad {
            s.max_square[i] = s.max_square[i].max(s.square[i]);
            s.max_square[i]
        } else {
            s.square[i]
        };
        let denom = v.sqrt() / bc2_sqrt + c.eps;
        theta[i] += -step_size * s.mean[i] / denom;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(config: OptimizerConfig, grads: &[f64]) -> (f64, Optimizer) {
        let mut o = Optimizer::new(config, &[1]);
        let mut theta = [1.0];
        for &g in grads {
            o.step(config.lr(), std::iter::once((&mut theta[..], &[g][..])));
        }
        (theta[0], o)
    }

    #[test]
    fn sgd_momentum_by_hand() {
        // b1 = 1, θ = 1 − 0.1·1 = 0.9; b2 = 0.9·1 + 2 = 2.9, θ = 0.9 − 0.29 = 0.61.
        let (theta, o) = run(OptimizerKind::Momentum.preset(0.1), &[1.0, 2.0]);
        assert!((theta - 0.61).abs() < 1e-15);
        assert!((o.state.slots[0].momentum[0] - 2.9).abs() < 1e-15);
        // Nesterov: b1 = 1, d = 1 + 0.9 = 1.9, θ = 0.81; b2 = 2.9, d = 2 + 2.61 = 4.61, θ = 0.349.
        let (theta, _) = run(OptimizerKind::Nesterov.preset(0.1), &[1.0, 2.0]);
        assert!((theta - 0.349).abs() < 1e-15);
    }

    #[test]
    fn adam_first_step_is_lr_times_sign() {
        // After one step m̂ = g and v̂ = g², so the step is γ·g/(|g| + ε) ≈ γ·sign(g).
        let (theta, o) = run(OptimizerKind::Adam.preset(0.01), &[-3.0]);
        assert!((theta - 1.01).abs() < 1e-9);
        assert_eq!(o.state.step, 1);
    }

    #[test]
    fn adagrad_and_rmsprop_by_hand() {
        let (theta, _) = run(OptimizerKind::Adagrad.preset(0.1), &[2.0]);
        assert!((theta - (1.0 - 0.1 * 2.0 / (2.0 + 1e-10))).abs() < 1e-15);
        let (theta, _) = run(OptimizerKind::Rmsprop.preset(0.01), &[2.0]);
        let v: f64 = 0.01 * 4.0;
        assert!((theta - (1.0 - 0.01 * 2.0 / (v.sqrt() + 1e-8))).abs() < 1e-15);
    }

    #[test]
    fn config_changes_keep_or_reset_state() {
        let sizes = [3, 1];
        let mut o = Optimizer::new(OptimizerKind::Momentum.preset(0.1), &sizes);
        o.state.slots[0].momentum[0] = 5.0;
        assert!(!o.set_config(OptimizerKind::Nesterov.preset(0.5), &sizes));
        assert_eq!(o.state.slots[0].momentum[0], 5.0);
        assert!(o.set_config(OptimizerKind::Adam.preset(0.5), &sizes));
        assert_eq!(o.state.slots[0].mean, vec![0.0; 3]);
    }

    #[test]
    fn json_defaults_and_validation() {
        let c: OptimizerConfig = serde_json::from_str(r#"{"name":"adam","lr":0.01}"#).unwrap();
        assert_eq!(c, OptimizerConfig::Adam(AdamConfig { lr: 0.01, ..Default::default() }));
        assert!(serde_json::from_str::<OptimizerConfig>(r#"{"name":"adam","lr":0.01,"beta3":1}"#).is_err());
        assert!(OptimizerKind::Adam.preset(-1.0).validate().is_err());
        assert!(OptimizerConfig::Sgd(SgdConfig { nesterov: true, ..Default::default() }).validate().is_err());
        for k in OptimizerKind::ALL {
            assert_eq!(k.preset(0.1).kind(), k);
            assert_eq!(OptimizerKind::from_name(k.name()), Some(k));
        }
    }
}
