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
            Activation::Tanh => tanh(z),
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

    /// Applies the activation to one row `z`, writing `a` (one loop per function,
    /// so the hot loop has no branch on the activation).
    #[inline]
    pub fn apply_row(self, z: &[f64], a: &mut [f64]) {
        let pairs = a.iter_mut().zip(z);
        match self {
            Activation::Softmax => softmax(z, a),
            Activation::Linear => a.copy_from_slice(z),
            Activation::Sigmoid => pairs.for_each(|(ai, &zi)| *ai = sigmoid(zi)),
            Activation::Tanh => pairs.for_each(|(ai, &zi)| *ai = tanh(zi)),
            Activation::Relu => pairs.for_each(|(ai, &zi)| *ai = if zi > 0.0 { zi } else { 0.0 }),
            Activation::LeakyRelu => pairs.for_each(|(ai, &zi)| *ai = if zi > 0.0 { zi } else { LEAKY_SLOPE * zi }),
        }
    }

    /// Multiplies `g` element-wise by `σ'(z)` (given `z` and `a = σ(z)`): the chain-rule
    /// step `∂ℓ/∂z = ∂ℓ/∂a ⊙ σ'(z)` for a row.
    #[inline]
    pub fn mul_derivative_row(self, z: &[f64], a: &[f64], g: &mut [f64]) {
        match self {
            Activation::Linear | Activation::Softmax => {}
            Activation::Sigmoid => g.iter_mut().zip(a).for_each(|(gi, &ai)| *gi *= ai * (1.0 - ai)),
            Activation::Tanh => g.iter_mut().zip(a).for_each(|(gi, &ai)| *gi *= 1.0 - ai * ai),
            Activation::Relu => g.iter_mut().zip(z).for_each(|(gi, &zi)| *gi = if zi > 0.0 { *gi } else { 0.0 }),
            Activation::LeakyRelu => g.iter_mut().zip(z).for_each(|(gi, &zi)| *gi *= if zi > 0.0 { 1.0 } else { LEAKY_SLOPE }),
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

/// `tanh z`, with Cephes' method (relative error about 1e-16, checked against the
/// standard library in the tests): for `|z| ≤ 0.625` the rational approximation
/// `z + z·z²·P(z²)/Q(z²)`, otherwise `1 − 2/(e^(2|z|) + 1)` with the sign of `z`.
/// It needs one `exp` instead of the `expm1` of the usual routine, which makes it
/// several times faster; it is the tanh of every forward pass.
#[inline]
pub fn tanh(z: f64) -> f64 {
    const P: [f64; 3] = [-9.643_991_794_250_522e-1, -9.928_772_310_019_186e1, -1.614_687_684_417_084_5e3];
    const Q: [f64; 3] = [1.128_116_784_916_329_3e2, 2.235_488_390_601_004_5e3, 4.844_063_053_251_255e3];
    let x = z.abs();
    if x > 0.625 {
        if x > 22.0 {
            return z.signum();
        }
        let r = 1.0 - 2.0 / ((2.0 * x).exp() + 1.0);
        if z < 0.0 {
            -r
        } else {
            r
        }
    } else {
        if z == 0.0 || z.is_nan() {
            return z;
        }
        let s = z * z;
        let p = (P[0] * s + P[1]) * s + P[2];
        let q = ((s + Q[0]) * s + Q[1]) * s + Q[2];
        z + z * s * (p / q)
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
    fn fast_tanh_matches_the_standard_library() {
        let mut worst: f64 = 0.0;
        let mut z = -30.0;
        while z <= 30.0 {
            let (a, b) = (tanh(z), z.tanh());
            if b != 0.0 {
                worst = worst.max(((a - b) / b).abs());
            }
            z += 0.000_731;
        }
        for &z in &[1e-300, -1e-12, 1e-8, 0.624_999_9, 0.625_000_1, 21.9, 22.1, 700.0, -700.0] {
            let (a, b) = (tanh(z), f64::tanh(z));
            worst = worst.max(((a - b) / b).abs());
        }
        assert!(worst < 1e-15, "relative error {worst}");
        assert_eq!(tanh(0.0), 0.0);
        assert!(tanh(f64::NAN).is_nan());
        assert_eq!(tanh(f64::INFINITY), 1.0);
        assert_eq!(tanh(f64::NEG_INFINITY), -1.0);
    }

    #[test]
    fn row_functions_match_the_element_functions() {
        let z = [-2.0, -0.3, 0.0, 0.4, 3.0];
        for act in Activation::HIDDEN {
            let mut a = [0.0; 5];
            act.apply_row(&z, &mut a);
            let mut g = [1.5; 5];
            act.mul_derivative_row(&z, &a, &mut g);
            for i in 0..5 {
                assert_eq!(a[i], act.apply(z[i]));
                assert_eq!(g[i], 1.5 * act.derivative(z[i], a[i]));
            }
        }
    }

    #[test]
    fn names_round_trip() {
        for a in Activation::HIDDEN.into_iter().chain([Activation::Softmax]) {
            assert_eq!(Activation::from_name(a.name()), Some(a));
        }
        assert_eq!(Activation::from_name("swish"), None);
    }
}
