//! Gradient check for one weight or bias: the central difference of the batch objective
//! `J(θ) = (1/N) Σ_r ℓ_r(θ) + penalty(W)` against the backprop gradient the trainer
//! recorded (`dw` of the step's trace, regularization included):
//!
//! `g_num = (J(w + h) − J(w − h)) / 2h`, relative error `|g_bp − g_num| / max(|g_bp|, |g_num|, 10⁻⁸)`.
//!
//! The check runs at the parameters the gradient was computed at: the current ones
//! before the update phase, `params_before` of the trace after it.

use super::stepper::{chunks, Trainer};
use crate::nn::network::{self, Workspace};
use crate::nn::{Loss, Network, Regularization};
use ndarray::Array2;

/// Step of the central difference.
pub const H: f64 = 1e-5;

/// Floor of the relative error's denominator (gradients below it count as zero).
pub const REL_FLOOR: f64 = 1e-8;

/// A parameter of the network. Layers count from 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Param {
    /// `W[l][i, j]`: from input `i` to neuron `j` of layer `l`.
    Weight(usize, usize, usize),
    /// `b[l][j]`.
    Bias(usize, usize),
}

/// Why a check cannot run now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckError {
    /// No traced step yet.
    NoStep,
    /// The backward phase of the parameter's layer has not run in this step.
    BackwardPending,
    /// The parameter is not in the network.
    NotInNetwork,
}

impl std::fmt::Display for CheckError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            CheckError::NoStep => "no traced step yet: take a step in step mode first",
            CheckError::BackwardPending => "the backward phase of this layer has not run yet in this step",
            CheckError::NotInNetwork => "that parameter is not in the network",
        })
    }
}

/// The result of a check.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GradCheck {
    /// The parameter checked.
    pub param: Param,
    /// Step `h`.
    pub h: f64,
    /// `(J(θ + h) − J(θ − h)) / 2h`.
    pub numeric: f64,
    /// The backprop gradient (`dw` or `db` of the trace).
    pub backprop: f64,
    /// `|g_bp − g_num| / max(|g_bp|, |g_num|, 10⁻⁸)`.
    pub relative_error: f64,
    /// Samples in the batch.
    pub batch_len: usize,
}

/// `J = (1/N) Σ_r ℓ_r + penalty(W)` over the rows `batch` of `(x, y)`.
pub fn batch_objective(
    net: &Network,
    ws: &mut Workspace,
    x: &Array2<f64>,
    y: &Array2<f64>,
    batch: &[usize],
    loss: Loss,
    reg: &Regularization,
) -> f64 {
    ws.resize(net, batch.len());
    ws.load_rows(x, y, batch);
    network::forward(net, ws);
    let data = network::loss_phase(net, ws, loss);
    let penalty: f64 = net.layers.iter().map(|l| reg.penalty(l.w.as_slice().expect("standard layout"))).sum();
    data + penalty
}

/// The central difference of [`batch_objective`] with respect to one parameter.
pub fn numeric_grad(
    net: &Network,
    x: &Array2<f64>,
    y: &Array2<f64>,
    batch: &[usize],
    (loss, reg): (Loss, &Regularization),
    param: Param,
    h: f64,
) -> f64 {
    let mut net = net.clone();
    let mut ws = Workspace::new(&net, batch.len());
    let p0 = *param_mut(&mut net, param);
    *param_mut(&mut net, param) = p0 + h;
    let plus = batch_objective(&net, &mut ws, x, y, batch, loss, reg);
    *param_mut(&mut net, param) = p0 - h;
    let minus = batch_objective(&net, &mut ws, x, y, batch, loss, reg);
    (plus - minus) / (2.0 * h)
}

/// The parameter's place in the network.
fn param_mut(net: &mut Network, param: Param) -> &mut f64 {
    match param {
        Param::Weight(l, i, j) => &mut net.layers[l].w[[i, j]],
        Param::Bias(l, j) => &mut net.layers[l].b[j],
    }
}

/// `|a − b| / max(|a|, |b|, 10⁻⁸)`.
pub fn relative_error(a: f64, b: f64) -> f64 {
    (a - b).abs() / a.abs().max(b.abs()).max(REL_FLOOR)
}

/// Checks one parameter for the trainer's current step. Needs a traced step whose
/// backward phase of the parameter's layer has run.
pub fn check(trainer: &Trainer, param: Param) -> Result<GradCheck, CheckError> {
    let tr = trainer.trace();
    let net = trainer.net();
    let layer = match param {
        Param::Weight(l, ..) | Param::Bias(l, _) => l,
    };
    if tr.layers.is_empty() || tr.batch.is_empty() {
        return Err(CheckError::NoStep);
    }
    let lt = tr.layers.get(layer).ok_or(CheckError::NotInNetwork)?;
    let (dw, db) = match (lt.dw.as_ref(), lt.db.as_ref()) {
        (Some(dw), Some(db)) => (dw, db),
        _ => return Err(CheckError::BackwardPending),
    };
    let backprop = match param {
        Param::Weight(_, i, j) if i < dw.nrows() && j < dw.ncols() => dw[[i, j]],
        Param::Bias(_, j) if j < db.len() => db[j],
        _ => return Err(CheckError::NotInNetwork),
    };
    // The parameters the gradient was computed at.
    let at = match &tr.update {
        Some(u) => {
            let mut at = net.clone();
            for (t, chunk) in at.tensors_mut().zip(chunks(&u.params_before, &net.tensor_sizes())) {
                t.copy_from_slice(chunk);
            }
            at
        }
        None => net.clone(),
    };
    let c = trainer.config();
    let d = trainer.data();
    let numeric = numeric_grad(&at, &d.train_x, &d.train_y, &tr.batch, (c.loss, &c.regularization), param, H);
    Ok(GradCheck { param, h: H, numeric, backprop, relative_error: relative_error(backprop, numeric), batch_len: tr.batch.len() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::regularization::RegKind;
    use crate::nn::{Activation, Init, NetworkSpec, OptimizerConfig, Rng, Schedule};
    use crate::train::{Phase, TrainConfig, TrainData};

    fn trainer(hidden: Activation, out: Activation, loss: Loss, reg: Regularization, opt: OptimizerConfig) -> Trainer {
        let mut rng = Rng::new(3);
        let n = 24;
        let x = Array2::from_shape_fn((n, 2), |_| rng.uniform(-2.0, 2.0));
        let k = if out == Activation::Softmax { 3 } else { 1 };
        let y = Array2::from_shape_fn((n, k), |(r, c)| {
            let s = x[[r, 0]] * x[[r, 1]];
            if k == 1 {
                if loss == Loss::Mse { s.tanh() } else { (s > 0.0) as u8 as f64 }
            } else {
                ((r % k) == c) as u8 as f64
            }
        });
        let spec = NetworkSpec::mlp(2, &[4, 3], hidden, k, out);
        let net = Network::new(&spec, &Init::Xavier, &mut rng).unwrap();
        let config = TrainConfig {
            loss,
            optimizer: opt,
            schedule: Schedule::Constant,
            regularization: reg,
            batch_size: 8,
            shuffle: true,
            seed: 5,
        };
        let mut t = Trainer::new(net, config, TrainData::train_only(x, y)).unwrap();
        t.set_tracing(true);
        t
    }

    fn all_weights_agree(t: &Trainer) {
        for (l, layer) in t.net().layers.iter().enumerate() {
            for j in 0..layer.units() {
                for i in 0..layer.inputs() {
                    let c = check(t, Param::Weight(l, i, j)).unwrap();
                    assert!(c.relative_error < 1e-6, "layer {l} w[{i},{j}]: {c:?}");
                    assert_eq!(c.batch_len, 8);
                }
                let c = check(t, Param::Bias(l, j)).unwrap();
                assert!(c.relative_error < 1e-6, "layer {l} b[{j}]: {c:?}");
            }
        }
    }

    #[test]
    fn backprop_matches_central_differences_before_and_after_the_update() {
        use crate::nn::optimizer::OptimizerKind;
        let cases = [
            (Activation::Tanh, Activation::Sigmoid, Loss::BinaryCrossEntropy, RegKind::L2, OptimizerKind::Adam),
            (Activation::Sigmoid, Activation::Linear, Loss::Mse, RegKind::L1, OptimizerKind::Momentum),
            (Activation::Tanh, Activation::Softmax, Loss::SoftmaxCrossEntropy, RegKind::None, OptimizerKind::Rmsprop),
        ];
        for (hidden, out, loss, kind, opt) in cases {
            let mut t = trainer(hidden, out, loss, Regularization { kind, rate: 0.01 }, opt.preset(0.05));
            // A few whole steps first, so the weights are not the initial ones.
            t.run(3);
            let layers = t.net().layers.len();
            for _ in 0..Phase::count(layers) - 1 {
                t.next_phase();
            }
            assert_eq!(t.next_phase_kind(), Phase::Update);
            all_weights_agree(&t);
            // After the update the check uses the parameters before it.
            t.next_phase();
            all_weights_agree(&t);
        }
    }

    #[test]
    fn needs_the_backward_phase() {
        let mut t = trainer(
            Activation::Tanh,
            Activation::Sigmoid,
            Loss::BinaryCrossEntropy,
            Regularization::NONE,
            OptimizerConfig::Sgd(Default::default()),
        );
        assert_eq!(check(&t, Param::Weight(0, 0, 0)), Err(CheckError::NoStep));
        t.next_phase();
        assert_eq!(check(&t, Param::Weight(0, 0, 0)), Err(CheckError::BackwardPending), "forward only");
        assert_eq!(check(&t, Param::Bias(9, 0)), Err(CheckError::NotInNetwork));
    }

    #[test]
    fn relative_error_has_a_floor() {
        assert_eq!(relative_error(0.0, 0.0), 0.0);
        assert!((relative_error(1.0, 1.1) - 0.1 / 1.1).abs() < 1e-15);
        assert!(relative_error(1e-12, 2e-12) < 1e-3);
    }
}
