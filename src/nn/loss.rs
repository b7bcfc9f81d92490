//! Loss functions, PyTorch conventions. For a batch of `N` samples the loss is
//! `L = (1/N) Σ_r ℓ_r`, where `ℓ_r` is the loss of sample `r` defined below.
//! The gradients here are per sample, `∂ℓ_r/∂z`; the batch gradient is their mean.

use super::activation::{log_sum_exp, Activation};
use serde::{Deserialize, Serialize};

/// A loss function over one output row (`K` outputs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Loss {
    /// Mean squared error, `ℓ = (1/K) Σ_k (a_k − y_k)²` (PyTorch `MSELoss`).
    /// `∂ℓ/∂a_k = 2(a_k − y_k)/K`, `∂ℓ/∂z_k = ∂ℓ/∂a_k · σ'(z_k)`.
    Mse,
    /// Binary cross-entropy on a sigmoid output,
    /// `ℓ = (1/K) Σ_k −[y log p + (1 − y) log(1 − p)]`, `p = σ(z)`, computed from the
    /// logit as `max(z, 0) − z·y + log(1 + e^(−|z|))` (PyTorch `BCEWithLogitsLoss`).
    /// `∂ℓ/∂z_k = (p_k − y_k)/K`.
    #[serde(rename = "bce", alias = "binary_cross_entropy")]
    BinaryCrossEntropy,
    /// Softmax cross-entropy, `ℓ = −Σ_k y_k log softmax(z)_k = logΣe^z − Σ_k y_k z_k`
    /// for one-hot `y` (PyTorch `CrossEntropyLoss`). `∂ℓ/∂z_k = softmax(z)_k − y_k`.
    #[serde(rename = "softmax_ce", alias = "softmax_cross_entropy")]
    SoftmaxCrossEntropy,
}

impl Loss {
    /// All losses.
    pub const ALL: [Loss; 3] = [Loss::Mse, Loss::BinaryCrossEntropy, Loss::SoftmaxCrossEntropy];

    /// The name used in experiment files and URLs.
    pub fn name(self) -> &'static str {
        match self {
            Loss::Mse => "mse",
            Loss::BinaryCrossEntropy => "bce",
            Loss::SoftmaxCrossEntropy => "softmax_ce",
        }
    }

    /// Parses [`Loss::name`].
    pub fn from_name(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.name() == s)
    }

    /// Checks that the output activation fits this loss; the error explains the pairing.
    pub fn check_output(self, out: Activation) -> Result<(), String> {
        match (self, out) {
            (Loss::Mse, a) if a.is_elementwise() => Ok(()),
            (Loss::Mse, _) => Err("MSE needs an element-wise output (linear, sigmoid or tanh), not softmax".into()),
            (Loss::BinaryCrossEntropy, Activation::Sigmoid) => Ok(()),
            (Loss::BinaryCrossEntropy, a) => Err(format!(
                "binary cross-entropy needs a sigmoid output (a probability), not {}",
                a.name()
            )),
            (Loss::SoftmaxCrossEntropy, Activation::Softmax) => Ok(()),
            (Loss::SoftmaxCrossEntropy, a) => Err(format!(
                "softmax cross-entropy needs a softmax output, not {}",
                a.name()
            )),
        }
    }

    /// `ℓ` for one sample, from the output row's logits `z`, activations `a` and target `y`.
    pub fn sample_loss(self, z: &[f64], a: &[f64], y: &[f64]) -> f64 {
        let k = z.len() as f64;
        match self {
            Loss::Mse => a.iter().zip(y).map(|(&ai, &yi)| (ai - yi) * (ai - yi)).sum::<f64>() / k,
            Loss::BinaryCrossEntropy => {
                z.iter()
                    .zip(y)
                    .map(|(&zi, &yi)| zi.max(0.0) - zi * yi + (-zi.abs()).exp().ln_1p())
                    .sum::<f64>()
                    / k
            }
            Loss::SoftmaxCrossEntropy => {
                let lse = log_sum_exp(z);
                z.iter().zip(y).map(|(&zi, &yi)| yi * (lse - zi)).sum()
            }
        }
    }

    /// Writes `∂ℓ/∂z` for one sample (`out` is the output activation).
    pub fn sample_grad_z(self, out: Activation, z: &[f64], a: &[f64], y: &[f64], dz: &mut [f64]) {
        let k = z.len() as f64;
        match self {
            Loss::Mse => {
                for i in 0..z.len() {
                    dz[i] = 2.0 * (a[i] - y[i]) / k * out.derivative(z[i], a[i]);
                }
            }
            Loss::BinaryCrossEntropy => {
                for i in 0..z.len() {
                    dz[i] = (a[i] - y[i]) / k;
                }
            }
            Loss::SoftmaxCrossEntropy => {
                for i in 0..z.len() {
                    dz[i] = a[i] - y[i];
                }
            }
        }
    }

    /// Writes `∂ℓ/∂a` for one sample (shown in the UI; training uses `∂ℓ/∂z`).
    /// MSE: `2(a − y)/K`; BCE: `(a − y) / (a(1 − a)K)`; softmax CE: `−y_k / a_k`.
    pub fn sample_grad_a(self, a: &[f64], y: &[f64], da: &mut [f64]) {
        let k = a.len() as f64;
        for i in 0..a.len() {
            da[i] = match self {
                Loss::Mse => 2.0 * (a[i] - y[i]) / k,
                Loss::BinaryCrossEntropy => (a[i] - y[i]) / (a[i] * (1.0 - a[i]) * k),
                Loss::SoftmaxCrossEntropy => -y[i] / a[i],
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numeric_dz(loss: Loss, out: Activation, z: &[f64], y: &[f64]) -> Vec<f64> {
        let h = 1e-6;
        let eval = |z: &[f64]| {
            let mut a = vec![0.0; z.len()];
            out.apply_row(z, &mut a);
            loss.sample_loss(z, &a, y)
        };
        (0..z.len())
            .map(|i| {
                let (mut p, mut m) = (z.to_vec(), z.to_vec());
                p[i] += h;
                m[i] -= h;
                (eval(&p) - eval(&m)) / (2.0 * h)
            })
            .collect()
    }

    #[test]
    fn grad_z_matches_finite_differences_for_every_valid_pair() {
        let z = [0.3, -1.2, 2.0];
        let y_onehot = [0.0, 0.0, 1.0];
        let y_bin = [1.0, 0.0, 1.0];
        for loss in Loss::ALL {
            for out in [Activation::Linear, Activation::Sigmoid, Activation::Tanh, Activation::Softmax] {
                if loss.check_output(out).is_err() {
                    continue;
                }
                let y = if loss == Loss::SoftmaxCrossEntropy { &y_onehot } else { &y_bin };
                let mut a = [0.0; 3];
                out.apply_row(&z, &mut a);
                let mut dz = [0.0; 3];
                loss.sample_grad_z(out, &z, &a, y, &mut dz);
                for (n, d) in numeric_dz(loss, out, &z, y).iter().zip(dz) {
                    assert!((n - d).abs() < 1e-8, "{loss:?}/{out:?}: {n} vs {d}");
                }
            }
        }
    }

    #[test]
    fn known_values() {
        // BCE of logit 0 is log 2 whatever the label.
        assert!((Loss::BinaryCrossEntropy.sample_loss(&[0.0], &[0.5], &[1.0]) - 2f64.ln()).abs() < 1e-15);
        // Stable for huge logits.
        let l = Loss::BinaryCrossEntropy.sample_loss(&[-800.0], &[0.0], &[1.0]);
        assert!((l - 800.0).abs() < 1e-9);
        // Uniform softmax over 4 classes: log 4.
        let ce = Loss::SoftmaxCrossEntropy.sample_loss(&[1.0; 4], &[0.25; 4], &[0.0, 1.0, 0.0, 0.0]);
        assert!((ce - 4f64.ln()).abs() < 1e-15);
        assert_eq!(Loss::Mse.sample_loss(&[0.0, 0.0], &[1.0, 3.0], &[0.0, 0.0]), 5.0);
    }

    #[test]
    fn serde_names_are_the_file_names() {
        for l in Loss::ALL {
            assert_eq!(serde_json::to_string(&l).unwrap(), format!("\"{}\"", l.name()));
        }
        let old: Loss = serde_json::from_str("\"binary_cross_entropy\"").unwrap();
        assert_eq!(old, Loss::BinaryCrossEntropy);
    }

    #[test]
    fn pairings_are_checked() {
        assert!(Loss::BinaryCrossEntropy.check_output(Activation::Linear).is_err());
        assert!(Loss::SoftmaxCrossEntropy.check_output(Activation::Sigmoid).is_err());
        assert!(Loss::Mse.check_output(Activation::Softmax).is_err());
        assert!(Loss::Mse.check_output(Activation::Tanh).is_ok());
    }
}
