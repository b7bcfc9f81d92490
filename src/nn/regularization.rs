//! L1 / L2 regularization, applied to weights only (never to biases).

use serde::{Deserialize, Serialize};

/// Which penalty is added to the loss.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegKind {
    /// No penalty.
    #[default]
    None,
    /// `penalty = λ Σ|w|`, gradient `λ·sign(w)` (with `sign(0) = 0`, as `torch.sign`).
    L1,
    /// `penalty = ½ λ Σ w²`, gradient `λ·w` (the same as PyTorch's `weight_decay = λ`).
    L2,
}

/// A penalty and its rate `λ`. It can change between steps without a reset.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Regularization {
    /// The penalty.
    #[serde(default)]
    pub kind: RegKind,
    /// `λ ≥ 0`.
    #[serde(default)]
    pub rate: f64,
}

impl Regularization {
    /// No regularization.
    pub const NONE: Regularization = Regularization { kind: RegKind::None, rate: 0.0 };

    /// Whether it changes anything.
    pub fn is_active(&self) -> bool {
        self.kind != RegKind::None && self.rate != 0.0
    }

    /// The gradient of the penalty with respect to one weight: `λ·w` (L2) or `λ·sign(w)` (L1).
    #[inline]
    pub fn grad(&self, w: f64) -> f64 {
        match self.kind {
            RegKind::None => 0.0,
            RegKind::L2 => self.rate * w,
            RegKind::L1 => self.rate * sign(w),
        }
    }

    /// The penalty of a set of weights: `½λΣw²` (L2) or `λΣ|w|` (L1).
    pub fn penalty(&self, w: &[f64]) -> f64 {
        match self.kind {
            RegKind::None => 0.0,
            RegKind::L2 => 0.5 * self.rate * w.iter().map(|v| v * v).sum::<f64>(),
            RegKind::L1 => self.rate * w.iter().map(|v| v.abs()).sum::<f64>(),
        }
    }

    /// Adds the penalty's gradient to `g` for the weights `w`.
    pub fn add_grad(&self, w: &[f64], g: &mut [f64]) {
        if self.is_active() {
            for (gi, &wi) in g.iter_mut().zip(w) {
                *gi += self.grad(wi);
            }
        }
    }
}

/// `torch.sign`: −1, 0 or 1.
#[inline]
pub fn sign(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gradient_is_derivative_of_penalty() {
        let w = [0.7, -0.2, 1.5];
        for kind in [RegKind::L1, RegKind::L2] {
            let r = Regularization { kind, rate: 0.3 };
            let mut g = [0.0; 3];
            r.add_grad(&w, &mut g);
            for i in 0..3 {
                let h = 1e-6;
                let (mut p, mut m) = (w, w);
                p[i] += h;
                m[i] -= h;
                let numeric = (r.penalty(&p) - r.penalty(&m)) / (2.0 * h);
                assert!((numeric - g[i]).abs() < 1e-8);
            }
        }
        assert_eq!(sign(0.0), 0.0);
        assert!(!Regularization::NONE.is_active());
    }
}
