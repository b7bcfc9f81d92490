//! Activation functions `a = σ(z)` and their derivatives `σ'(z)`.

use serde::{Deserialize, Serialize};

/// Negative slope of the leaky ReLU (PyTorch's default `negative_slope = 0.01`).
pub const LEAKY_SLOPE: f64 = 0.01;

/// An activation function. `Softmax` acts on a whole row and is only valid on the
/// output layer (paired with softmax cross-entropy).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Activation {
    /// `σ(z) = z`, `σ'(z) = 1`.
    Linear,
    /// `σ(z) = 1 / (1 + e^(−z))`, `σ'(z) = σ(z)(1 − σ(z))`.
    Sigmoid,
    /// `σ(z) = tanh z`, `σ'(z) = 1 − tanh² z`.
    Tanh,
    /// `σ(z) = max(0, z)`, `σ'(z) = 1 if z > 0 else 0` (0 at z = 0, as PyTorch).
    Relu,
    /// `σ(z) = z if z > 0 else 0.01·z`, `σ'(z) = 1 if z > 0 else 0.01`.
    LeakyRelu,
    /// `softmax(z)_k = e^(z_k − max z) / Σ_j e^(z_j − max z)` over a row;
    /// Jacobian `∂a_k/∂z_j = a_k(δ_kj − a_j)`.
    Softmax,
}

impl Activation {
    /// All activations allowed on hidden layers.
    pub const HIDDEN: [Activation; 5] = [
        Activation::Linear,
        Activation::Sigmoid,
        Activation::Tanh,
        Activation::Relu,
        Activation::LeakyRelu,
    ];

    /// The name used in experiment files and URLs.
    pub fn name(self) -> &'static str {
        match self {
            Activation::Linear => "linear",
            Activation::Sigmoid => "sigmoid",
            Activation::Tanh => "tanh",
            Activation::Relu => "relu",
            Activation::LeakyRelu => "leaky_relu",
            Activation::Softmax => "softmax",
        }
    }

    /// Parses [`Activation::name`].
    pub fn from_name(s: &str) -> Option<Self> {
        [Activation::Softmax]
            .into_iter()
            .chain(Self::HIDDEN)
            .find(|a| a.name() == s)
    }

    /// Whether the function acts on each element alone (everything but softmax).
    pub fn is_elementwise(self) -> bool {
        self != Activation::Softmax
    }

    /// `σ(z)` for an element-wise activation. For `Softmax` use [`apply_row`](Self::apply_row).
    #[inline]
    pub fn apply(self, z: f64) -> f64 {
        match self {
            Activation::Linear | Activation::Softmax => z,
            Activation::Sigmoid => sigmoid(z),
            Activation::Tanh => z.tanh(),
            Activation::Relu => {
                if z > 0.0 {
                    z
                } else {
                    0.0
                }
            }
            Activation::LeakyRelu => {
                if z > 0.0 {
                    z
                } else {
                    LEAKY_SLOPE * z
                }
            }
        }
    }

    /// `σ'(z)`, given both `z` and `a = σ(z)` (whichever is cheaper is used).
    #[inline]
    pub fn derivative(self, z: f64, a: f64) -> f64 {
        match self {
            Activation::Linear | Activation::Softmax => 1.0,
            Activation::Sigmoid => a * (1.0 - a),
            Activation::Tanh => 1.0 - a * a,
            Activation::Relu => {
                if z > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
            Activation::LeakyRelu => {
                if z > 0.0 {
                    1.0
                } else {
                    LEAKY_SLOPE
                }
            }
        }
    }

    /// Applies the activation to one row `z`, writing `a`.
    #[inline]
    pub fn apply_row(self, z: &[f64], a: &mut [f64]) {
        if self == Activation::Softmax {
            softmax(z, a);
        } else {
            for (ai, &zi) in a.iter_mut().zip(z) {
                *ai = self.apply(zi);
            }
        }
    }
}

/// Numerically stable logistic function `1 / (1 + e^(−z))`.
#[inline]
pub fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

/// Stable softmax of a row: `a_k = e^(z_k − m) / Σ_j e^(z_j − m)` with `m = max z`.
pub fn softmax(z: &[f64], a: &mut [f64]) {
    let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut sum = 0.0;
    for (ai, &zi) in a.iter_mut().zip(z) {
        *ai = (zi - m).exp();
        sum += *ai;
    }
    for ai in a.iter_mut() {
        *ai /= sum;
    }
}

/// `log Σ_j e^(z_j)`, computed as `m + log Σ_j e^(z_j − m)`.
pub fn log_sum_exp(z: &[f64]) -> f64 {
    let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    m + z.iter().map(|&zi| (zi - m).exp()).sum::<f64>().ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derivatives_match_finite_differences() {
        let h = 1e-6;
        for act in Activation::HIDDEN {
            for &z in &[-2.3, -0.4, 0.3, 1.7] {
                let numeric = (act.apply(z + h) - act.apply(z - h)) / (2.0 * h);
                let analytic = act.derivative(z, act.apply(z));
                assert!((numeric - analytic).abs() < 1e-8, "{act:?} at {z}");
            }
        }
    }

    #[test]
    fn sigmoid_is_stable_and_softmax_sums_to_one() {
        assert_eq!(sigmoid(-1000.0), 0.0);
        assert_eq!(sigmoid(1000.0), 1.0);
        let mut a = [0.0; 3];
        softmax(&[1000.0, 1001.0, 999.0], &mut a);
        assert!((a.iter().sum::<f64>() - 1.0).abs() < 1e-15);
        assert!(a[1] > a[0] && a[0] > a[2]);
        assert!((log_sum_exp(&[1000.0, 1000.0]) - (1000.0 + 2f64.ln())).abs() < 1e-12);
    }

    #[test]
    fn names_round_trip() {
        for a in Activation::HIDDEN.into_iter().chain([Activation::Softmax]) {
            assert_eq!(Activation::from_name(a.name()), Some(a));
        }
        assert_eq!(Activation::from_name("swish"), None);
    }
}
