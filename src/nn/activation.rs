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

    /// The chain-rule step `∂ℓ/∂z = ∂ℓ/∂a ⊙ σ'(z)` for a row (given `z` and `a = σ(z)`),
    /// writing `dz` from `da`: the same values as a copy then [`mul_derivative_row`](Self::mul_derivative_row).
    #[inline]
    pub fn chain_rule_row(self, z: &[f64], a: &[f64], da: &[f64], dz: &mut [f64]) {
        let (dz, da, z, a) = (&mut dz[..da.len()], da, &z[..da.len()], &a[..da.len()]);
        match self {
            Activation::Linear | Activation::Softmax => dz.copy_from_slice(da),
            Activation::Sigmoid => {
                for ((o, &g), &ai) in dz.iter_mut().zip(da).zip(a) {
                    *o = g * (ai * (1.0 - ai));
                }
            }
            Activation::Tanh => {
                for ((o, &g), &ai) in dz.iter_mut().zip(da).zip(a) {
                    *o = g * (1.0 - ai * ai);
                }
            }
            Activation::Relu => {
                for ((o, &g), &zi) in dz.iter_mut().zip(da).zip(z) {
                    *o = if zi > 0.0 { g } else { 0.0 };
                }
            }
            Activation::LeakyRelu => {
                for ((o, &g), &zi) in dz.iter_mut().zip(da).zip(z) {
                    *o = g * if zi > 0.0 { 1.0 } else { LEAKY_SLOPE };
                }
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

/// `tanh z` as `(e^(2|z|) − 1)/(e^(2|z|) + 1)` with the sign of `z` (`|z|` capped
/// at 22, where the result is 1 to double precision), the exponential as in Cephes:
/// `2|z| = n·ln 2 + r` with `−0.17 < r < 0.52` and `e^r = (Q + rP)/(Q − rP)` (polynomials
/// `P(r²)` with `P(0) = 1` and `Q(r²)`), which gives
/// `tanh |z| = (m + 2rP)/(m + 2Q)` with `m = (2ⁿ − 1)(Q + rP)`: one division, no
/// cancellation for small `z` (there `n = 0` and `m = 0`), relative error below 4e-16
/// (checked against the standard library in the tests). With no branch, a loop of these
/// compiles to SIMD code several times faster than the standard library's tanh.
/// It is the tanh of every forward pass.
#[inline(always)]
pub fn tanh(z: f64) -> f64 {
    const P: [f64; 2] = [1.261_771_930_748_105_9e-4, 3.029_944_077_074_419_6e-2];
    const Q: [f64; 4] = [3.001_985_051_386_644_6e-6, 2.524_483_403_496_841e-3, 2.272_655_482_081_550_3e-1, 2.0];
    // ln 2 = C1 + C2, C1 with few bits so that n·C1 is exact.
    const C1: f64 = 6.931_457_519_531_25e-1;
    const C2: f64 = 1.428_606_820_309_417_2e-6;
    // Adding 1.5·2⁵² rounds to an integer, which then sits in the low mantissa bits.
    const ROUND: f64 = 6_755_399_441_055_744.0;
    let x = z.abs();
    let y = 2.0 * if x > 22.0 { 22.0 } else { x }; // NaN stays NaN
    // n = round(y/ln 2 − 1/4): r stays where P and Q are accurate, and n = 0 up to y ≈ 0.52.
    let t = (y * std::f64::consts::LOG2_E - 0.25) + ROUND;
    let nf = t - ROUND;
    let r = (y - nf * C1) - nf * C2;
    let rr = r * r;
    let rp = r + r * ((P[0] * rr + P[1]) * rr);
    let q = ((Q[0] * rr + Q[1]) * rr + Q[2]) * rr + Q[3];
    let two_n = f64::from_bits(t.to_bits().wrapping_add(1023) << 52);
    let m = (two_n - 1.0) * (q + rp);
    ((m + (rp + rp)) / (m + (q + q))).copysign(z)
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
        assert!(tanh(-0.0) == 0.0 && tanh(-0.0).is_sign_negative());
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
            let mut dz = [0.0; 5];
            act.chain_rule_row(&z, &a, &[1.5; 5], &mut dz);
            assert_eq!(dz, g);
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
