//! Weight initializers. Weights are drawn layer by layer, `W` in row-major order
//! (`[inputs, units]`), then `b`; all from the seeded [`Rng`](super::Rng).

use super::rng::Rng;
use serde::{Deserialize, Serialize};

/// How to draw a layer's initial weights and biases.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "name", rename_all = "snake_case", deny_unknown_fields)]
pub enum Init {
    /// Xavier/Glorot uniform: `W ~ U(−r, r)`, `r = √(6 / (fan_in + fan_out))`; `b = 0`.
    Xavier,
    /// He/Kaiming normal: `W ~ N(0, 2 / fan_in)`; `b = 0`.
    He,
    /// `W ~ U(−scale, scale)`, `b = 0` (TensorFlow Playground uses `scale = 0.5`).
    Uniform {
        /// Half-width of the interval.
        #[serde(default = "default_scale")]
        scale: f64,
    },
    /// PyTorch's `nn.Linear` default: `W, b ~ U(−1/√fan_in, 1/√fan_in)`.
    Pytorch,
    /// All weights and biases zero (shows why symmetry must be broken).
    Zeros,
}

fn default_scale() -> f64 {
    0.5
}

impl Init {
    /// The initializers offered in the UI.
    pub const ALL: [Init; 5] = [Init::Xavier, Init::He, Init::Uniform { scale: 0.5 }, Init::Pytorch, Init::Zeros];

    /// Short name (for URLs and menus).
    pub fn name(&self) -> &'static str {
        match self {
            Init::Xavier => "xavier",
            Init::He => "he",
            Init::Uniform { .. } => "uniform",
            Init::Pytorch => "pytorch",
            Init::Zeros => "zeros",
        }
    }

    /// Parses [`Init::name`] (uniform gets scale 0.5).
    pub fn from_name(s: &str) -> Option<Init> {
        Self::ALL.into_iter().find(|i| i.name() == s)
    }

    /// Fills `w` (`fan_in × fan_out`, row-major) and `b` (`fan_out`).
    pub fn fill(&self, fan_in: usize, fan_out: usize, w: &mut [f64], b: &mut [f64], rng: &mut Rng) {
        let (fi, fo) = (fan_in as f64, fan_out as f64);
        match *self {
            Init::Xavier => {
                let r = (6.0 / (fi + fo)).sqrt();
                w.iter_mut().for_each(|v| *v = rng.uniform(-r, r));
                b.fill(0.0);
            }
            Init::He => {
                let sd = (2.0 / fi).sqrt();
                w.iter_mut().for_each(|v| *v = sd * rng.normal());
                b.fill(0.0);
            }
            Init::Uniform { scale } => {
                w.iter_mut().for_each(|v| *v = rng.uniform(-scale, scale));
                b.fill(0.0);
            }
            Init::Pytorch => {
                let r = 1.0 / fi.sqrt();
                w.iter_mut().for_each(|v| *v = rng.uniform(-r, r));
                b.iter_mut().for_each(|v| *v = rng.uniform(-r, r));
            }
            Init::Zeros => {
                w.fill(0.0);
                b.fill(0.0);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_and_spread() {
        let mut rng = Rng::new(3);
        let (fi, fo) = (20, 30);
        let mut w = vec![0.0; fi * fo];
        let mut b = vec![1.0; fo];
        Init::Xavier.fill(fi, fo, &mut w, &mut b, &mut rng);
        let r = (6.0 / 50.0f64).sqrt();
        assert!(w.iter().all(|v| v.abs() <= r) && b.iter().all(|&v| v == 0.0));
        Init::He.fill(fi, fo, &mut w, &mut b, &mut rng);
        let var = w.iter().map(|v| v * v).sum::<f64>() / w.len() as f64;
        assert!((var - 0.1).abs() < 0.03, "He variance {var}");
        Init::Pytorch.fill(fi, fo, &mut w, &mut b, &mut rng);
        assert!(b.iter().any(|&v| v != 0.0) && b.iter().all(|v| v.abs() <= 1.0 / 20f64.sqrt()));
        Init::Zeros.fill(fi, fo, &mut w, &mut b, &mut rng);
        assert!(w.iter().all(|&v| v == 0.0));
    }

    #[test]
    fn json_forms() {
        let i: Init = serde_json::from_str(r#"{"name":"uniform"}"#).unwrap();
        assert_eq!(i, Init::Uniform { scale: 0.5 });
        assert!(serde_json::from_str::<Init>(r#"{"name":"glorot"}"#).is_err());
        for i in Init::ALL {
            assert_eq!(Init::from_name(i.name()), Some(i));
        }
    }
}
