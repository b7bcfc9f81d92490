//! What a traced step records, phase by phase, for the UI to draw.
//! Per-sample quantities are for each sample's own loss `ℓ_r`; batch gradients are
//! their mean (plus the regularization term for weights).

use crate::nn::{OptimizerState, UpdateTerms};
use ndarray::{Array1, Array2, Array3};
use serde::Serialize;

/// One layer's numbers in a step. `None` means the phase has not run yet.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct LayerTrace {
    /// The layer's input batch `[n, inputs]`.
    pub input: Option<Array2<f64>>,
    /// `z = x·W + b`, `[n, units]`.
    pub z: Option<Array2<f64>>,
    /// `a = σ(z)`, `[n, units]`.
    pub a: Option<Array2<f64>>,
    /// `∂ℓ_r/∂a`, `[n, units]`.
    pub da: Option<Array2<f64>>,
    /// `σ′(z)` for element-wise activations, `[n, units]` (absent for softmax, whose
    /// `∂ℓ/∂z = a − y` is taken together with the cross-entropy).
    pub dact: Option<Array2<f64>>,
    /// `∂ℓ_r/∂z = ∂ℓ_r/∂a · σ′(z)`, `[n, units]`.
    pub dz: Option<Array2<f64>>,
    /// Per-sample `∂ℓ_r/∂W = a_prev[r]ᵀ δ[r]`, `[n, inputs, units]`.
    pub dw_samples: Option<Array3<f64>>,
    /// Batch data gradient `∂L/∂W = mean_r ∂ℓ_r/∂W` (without regularization).
    pub dw_data: Option<Array2<f64>>,
    /// The regularization term of the gradient: `λw` (L2), `λ·sign w` (L1) or 0.
    pub dw_reg: Option<Array2<f64>>,
    /// Gradient the optimizer uses: `dw_data` plus `λw` (L2) or `λ·sign w` (L1).
    pub dw: Option<Array2<f64>>,
    /// Batch gradient `∂L/∂b = mean_r δ[r]`.
    pub db: Option<Array1<f64>>,
}

/// The optimizer update of a step.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UpdateTrace {
    /// The update number `t` (1 for the first update).
    pub t: u64,
    /// Learning rate `α_t` from the schedule.
    pub lr: f64,
    /// Optimizer state before the update.
    pub state_before: OptimizerState,
    /// Optimizer state after the update.
    pub state_after: OptimizerState,
    /// Parameters before, flattened in optimizer order `W₀, b₀, W₁, b₁, …`.
    pub params_before: Vec<f64>,
    /// Parameters after the update, same order.
    pub params_after: Vec<f64>,
    /// `Δθ = θ_after − θ_before`, same order.
    pub delta: Vec<f64>,
    /// The rule's intermediate quantities (effective learning rate, `ṽ`, `m̂`, `v̂`).
    pub terms: UpdateTerms,
    /// Adam's bias corrections `(1 − β₁ᵗ, 1 − β₂ᵗ)`, for Adam only.
    pub bias_corrections: Option<(f64, f64)>,
}

/// Everything recorded during one step.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct StepTrace {
    /// Indices (into the training set) of the samples in the batch.
    pub batch: Vec<usize>,
    /// Targets of the batch `[n, outputs]`.
    pub y: Option<Array2<f64>>,
    /// Per-layer numbers.
    pub layers: Vec<LayerTrace>,
    /// Per-sample losses `ℓ_r`.
    pub sample_loss: Option<Vec<f64>>,
    /// Batch loss `L`.
    pub loss: Option<f64>,
    /// The update.
    pub update: Option<UpdateTrace>,
}

/// Column `j` of layer `l`'s `W` sits at this offset in the flattened parameters.
pub fn weight_offset(sizes: &[usize], layer: usize, i: usize, j: usize, units: usize) -> usize {
    sizes[..2 * layer].iter().sum::<usize>() + i * units + j
}

/// Offset of bias `j` of layer `l` in the flattened parameters.
pub fn bias_offset(sizes: &[usize], layer: usize, j: usize) -> usize {
    sizes[..2 * layer + 1].iter().sum::<usize>() + j
}
