//! The update about to be made, as three displacement vectors in parameter space (for
//! the arrows on the loss surface in step mode). A copy of the trainer finishes the
//! current step (or makes the next one); the trainer itself is not touched.

use super::Trainer;
use crate::nn::OptimizerConfig;

/// The next update as displacements `Δθ` (flat, optimizer order).
#[derive(Clone, Debug, PartialEq)]
pub struct StepPreview {
    /// Plain gradient step `−α_t g` (g includes any L1/L2 term).
    pub gradient: Vec<f64>,
    /// The optimizer's velocity as a step, if it has one: SGD momentum/Nesterov and
    /// RMSprop with momentum `−α_t b_t`; Adam `−α_t m_t / (1 − β₁ᵗ)`.
    pub velocity: Option<Vec<f64>>,
    /// The actual update `θ_{t+1} − θ_t`.
    pub step: Vec<f64>,
    /// The update count the step makes (`t + 1`).
    pub update: u64,
}

/// Previews the next update of `trainer` (`None` if it has diverged).
pub fn preview(trainer: &Trainer) -> Option<StepPreview> {
    if trainer.divergence().is_some() {
        return None;
    }
    let mut t = trainer.clone();
    t.set_tracing(false);
    let before = t.updates();
    let lr = t.current_lr();
    let theta0 = t.net().flat_params();
    while t.updates() == before {
        t.next_phase();
    }
    let ws = t.workspace();
    let gradient: Vec<f64> =
        ws.gw.iter().zip(&ws.gb).flat_map(|(w, b)| w.iter().chain(b.iter())).map(|g| -lr * g).collect();
    let step: Vec<f64> = t.net().flat_params().iter().zip(&theta0).map(|(a, b)| a - b).collect();
    let state = &t.optimizer().state;
    let flat = |f: &dyn Fn(&crate::nn::SlotState) -> &Vec<f64>| -> Vec<f64> { state.slots.iter().flat_map(|s| f(s).iter().copied()).collect() };
    let velocity = match t.config().optimizer {
        OptimizerConfig::Sgd(c) if c.momentum != 0.0 => Some(flat(&|s| &s.momentum).iter().map(|b| -lr * b).collect()),
        OptimizerConfig::Rmsprop(c) if c.momentum > 0.0 => Some(flat(&|s| &s.momentum).iter().map(|b| -lr * b).collect()),
        OptimizerConfig::Adam(c) => {
            let bc1 = 1.0 - c.beta1.powi(state.step as i32);
            Some(flat(&|s| &s.mean).iter().map(|m| -lr * m / bc1).collect())
        }
        _ => None,
    };
    Some(StepPreview { gradient, velocity, step, update: t.updates() })
}
