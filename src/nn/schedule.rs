//! Learning-rate schedules. `t` counts the updates already made (0 for the first update),
//! so `α_t` is the rate the `(t+1)`-th update uses.

use serde::{Deserialize, Serialize};

/// A learning-rate schedule over updates.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "name", rename_all = "snake_case", deny_unknown_fields)]
pub enum Schedule {
    /// `α_t = α`.
    #[default]
    Constant,
    /// Keras-style inverse-time decay, `α_t = α / (1 + decay·t)`
    /// (Keras `SGD(lr=0.01, decay=1e-6)`: `lr · 1/(1 + decay · iterations)`).
    InverseTime {
        /// `decay ≥ 0`.
        decay: f64,
    },
    /// Step decay, `α_t = α · γ^⌊t / step_size⌋` (PyTorch `StepLR`, stepped every update).
    Step {
        /// Updates between drops (≥ 1).
        step_size: u64,
        /// Factor per drop.
        gamma: f64,
    },
    /// Exponential decay, `α_t = α · γ^t` (PyTorch `ExponentialLR`, stepped every update).
    Exponential {
        /// Factor per update.
        gamma: f64,
    },
}

impl Schedule {
    /// Name for menus and URLs.
    pub fn name(&self) -> &'static str {
        match self {
            Schedule::Constant => "constant",
            Schedule::InverseTime { .. } => "inverse_time",
            Schedule::Step { .. } => "step",
            Schedule::Exponential { .. } => "exponential",
        }
    }

    /// `α_t` for base rate `base` after `t` updates.
    pub fn lr(&self, base: f64, t: u64) -> f64 {
        match *self {
            Schedule::Constant => base,
            Schedule::InverseTime { decay } => base * (1.0 / (1.0 + decay * t as f64)),
            Schedule::Step { step_size, gamma } => base * gamma.powi((t / step_size.max(1)).min(i32::MAX as u64) as i32),
            Schedule::Exponential { gamma } => base * gamma.powf(t as f64),
        }
    }

    /// Checks the parameters; the error names the field.
    pub fn validate(&self) -> Result<(), String> {
        match *self {
            Schedule::Constant => Ok(()),
            Schedule::InverseTime { decay } if !(decay.is_finite() && decay >= 0.0) => {
                Err(format!("decay: must be a finite number ≥ 0, got {decay}"))
            }
            Schedule::Step { step_size: 0, .. } => Err("step_size: must be at least 1".into()),
            Schedule::Step { gamma, .. } | Schedule::Exponential { gamma } if !(gamma.is_finite() && gamma > 0.0) => {
                Err(format!("gamma: must be a finite number > 0, got {gamma}"))
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values() {
        assert_eq!(Schedule::Constant.lr(0.1, 1000), 0.1);
        let keras = Schedule::InverseTime { decay: 1e-6 };
        assert_eq!(keras.lr(0.01, 0), 0.01);
        assert!((keras.lr(0.01, 1_000_000) - 0.005).abs() < 1e-15);
        let step = Schedule::Step { step_size: 10, gamma: 0.5 };
        assert_eq!(step.lr(1.0, 9), 1.0);
        assert_eq!(step.lr(1.0, 10), 0.5);
        assert_eq!(step.lr(1.0, 25), 0.25);
        assert!((Schedule::Exponential { gamma: 0.9 }.lr(1.0, 2) - 0.81).abs() < 1e-15);
        assert!(Schedule::Step { step_size: 0, gamma: 0.5 }.validate().is_err());
        assert!(Schedule::InverseTime { decay: -1.0 }.validate().is_err());
    }
}
