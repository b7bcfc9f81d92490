//! Seeded dataset generators.
//!
//! The 2-D ones follow TensorFlow Playground's definitions (points in about
//! `[-6, 6]²`, noise from 0 to 0.5); class labels are 0 and 1 (Playground's −1 and +1).

use super::{Dataset, Task};
use crate::nn::trig::{cos, sin};
use crate::nn::Rng;
use ndarray::Array2;
use serde::{Deserialize, Serialize};
use std::f64::consts::PI;

/// Which generator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GeneratorKind {
    /// Inner disc (class 1) inside a ring (class 0).
    Circle,
    /// Class 1 in the quadrants where `x₁x₂ ≥ 0`.
    Xor,
    /// Two Gaussian blobs at (2, 2) (class 1) and (−2, −2) (class 0).
    Gauss,
    /// Two interleaved spirals.
    Spiral,
    /// Two interleaving half circles (scikit-learn's `make_moons`, scaled).
    Moons,
    /// Regression: `y = (x₁ + x₂) / 10`.
    Plane,
    /// Regression: six signed Gaussian bumps.
    MultiGauss,
    /// Integers as binary digits (lowest bit first); class 1 when even.
    EvenOdd,
    /// The Keras course example: inputs uniform in `[0, 1)`, labels random 0/1.
    Keras,
}

impl GeneratorKind {
    /// All generators in menu order.
    pub const ALL: [GeneratorKind; 9] = [
        GeneratorKind::Circle,
        GeneratorKind::Xor,
        GeneratorKind::Gauss,
        GeneratorKind::Spiral,
        GeneratorKind::Moons,
        GeneratorKind::Plane,
        GeneratorKind::MultiGauss,
        GeneratorKind::EvenOdd,
        GeneratorKind::Keras,
    ];

    /// Name for files and URLs.
    pub fn name(self) -> &'static str {
        match self {
            GeneratorKind::Circle => "circle",
            GeneratorKind::Xor => "xor",
            GeneratorKind::Gauss => "gauss",
            GeneratorKind::Spiral => "spiral",
            GeneratorKind::Moons => "moons",
            GeneratorKind::Plane => "plane",
            GeneratorKind::MultiGauss => "multi_gauss",
            GeneratorKind::EvenOdd => "even_odd",
            GeneratorKind::Keras => "keras",
        }
    }

    /// Parses [`GeneratorKind::name`].
    pub fn from_name(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == s)
    }

    /// Whether samples are 2-D points (so derived features and the output plot apply).
    pub fn is_2d(self) -> bool {
        !matches!(self, GeneratorKind::EvenOdd | GeneratorKind::Keras)
    }

    /// Whether targets are real values.
    pub fn is_regression(self) -> bool {
        matches!(self, GeneratorKind::Plane | GeneratorKind::MultiGauss)
    }
}

/// Largest number of samples a generator makes.
pub const MAX_SAMPLES: usize = 100_000;
/// Largest number of input values (samples × input width) a generator makes.
pub const MAX_VALUES: usize = 4_000_000;

/// A generator and its settings.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Generator {
    /// Which data.
    pub generator: GeneratorKind,
    /// Number of samples.
    #[serde(default = "default_samples")]
    pub samples: usize,
    /// Noise level, 0 to 0.5 (2-D generators).
    #[serde(default)]
    pub noise: f64,
    /// Seed.
    #[serde(default)]
    pub seed: u64,
    /// Binary digits (even/odd).
    #[serde(default = "default_bits")]
    pub bits: usize,
    /// Input width (Keras example).
    #[serde(default = "default_dims")]
    pub dims: usize,
}

fn default_samples() -> usize {
    500
}
fn default_bits() -> usize {
    8
}
fn default_dims() -> usize {
    20
}

impl Generator {
    /// A generator with default settings.
    pub fn new(kind: GeneratorKind, samples: usize, noise: f64, seed: u64) -> Self {
        Generator { generator: kind, samples, noise, seed, bits: default_bits(), dims: default_dims() }
    }

    /// Checks the settings; the error names the field.
    pub fn validate(&self) -> Result<(), String> {
        if self.samples < 2 || self.samples > MAX_SAMPLES {
            return Err(format!("samples: must be between 2 and {MAX_SAMPLES}, got {}", self.samples));
        }
        if !(0.0..=0.5).contains(&self.noise) {
            return Err(format!("noise: must be between 0 and 0.5, got {}", self.noise));
        }
        if !(1..=30).contains(&self.bits) {
            return Err(format!("bits: must be between 1 and 30, got {}", self.bits));
        }
        if !(1..=1024).contains(&self.dims) {
            return Err(format!("dims: must be between 1 and 1024, got {}", self.dims));
        }
        // Keep the data itself bounded too (100 000 × 1024 inputs would be 800 MB).
        let width = match self.generator {
            GeneratorKind::EvenOdd => self.bits,
            GeneratorKind::Keras => self.dims,
            _ => 2,
        };
        if self.samples * width > MAX_VALUES {
            return Err(format!(
                "samples: {} samples × {width} inputs is more than the limit of {MAX_VALUES} values",
                self.samples
            ));
        }
        Ok(())
    }

    /// Generates the data.
    pub fn generate(&self) -> Result<Dataset, String> {
        self.validate()?;
        let mut rng = Rng::new(self.seed);
        let n = self.samples;
        let noise = self.noise;
        let rng = &mut rng;
        let mut pts: Vec<(f64, f64, f64)> = Vec::with_capacity(n);
        match self.generator {
            GeneratorKind::Circle => {
                let radius = 5.0;
                let label = |x: f64, y: f64| if (x * x + y * y).sqrt() < radius * 0.5 { 1.0 } else { 0.0 };
                for i in 0..n {
                    let r = if i < n / 2 { rng.uniform(0.0, radius * 0.5) } else { rng.uniform(radius * 0.7, radius) };
                    let angle = rng.uniform(0.0, 2.0 * PI);
                    let (x, y) = (r * sin(angle), r * cos(angle));
                    let nx = rng.uniform(-radius, radius) * noise;
                    let ny = rng.uniform(-radius, radius) * noise;
                    pts.push((x, y, label(x + nx, y + ny)));
                }
            }
            GeneratorKind::Xor => {
                for _ in 0..n {
                    let pad = |v: f64| if v > 0.0 { v + 0.3 } else { v - 0.3 };
                    let x = pad(rng.uniform(-5.0, 5.0));
                    let y = pad(rng.uniform(-5.0, 5.0));
                    let nx = rng.uniform(-5.0, 5.0) * noise;
                    let ny = rng.uniform(-5.0, 5.0) * noise;
                    pts.push((x, y, if (x + nx) * (y + ny) >= 0.0 { 1.0 } else { 0.0 }));
                }
            }
            GeneratorKind::Gauss => {
                let sd = (0.5 + (4.0 - 0.5) * noise / 0.5).sqrt();
                for i in 0..n {
                    let (c, label) = if i < n / 2 { (2.0, 1.0) } else { (-2.0, 0.0) };
                    let x = c + sd * rng.normal();
                    let y = c + sd * rng.normal();
                    pts.push((x, y, label));
                }
            }
            GeneratorKind::Spiral => {
                let half = n / 2;
                for i in 0..n {
                    let (j, m, dt, label) = if i < half { (i, half, 0.0, 1.0) } else { (i - half, n - half, PI, 0.0) };
                    let r = j as f64 / m as f64 * 5.0;
                    let t = 1.75 * j as f64 / m as f64 * 2.0 * PI + dt;
                    let x = r * sin(t) + rng.uniform(-1.0, 1.0) * noise;
                    let y = r * cos(t) + rng.uniform(-1.0, 1.0) * noise;
                    pts.push((x, y, label));
                }
            }
            GeneratorKind::Moons => {
                let half = n / 2;
                for i in 0..n {
                    let (j, m, inner) = if i < half { (i, half, false) } else { (i - half, n - half, true) };
                    let t = if m > 1 { PI * j as f64 / (m - 1) as f64 } else { 0.0 };
                    let (x, y) = if inner { (1.0 - cos(t), 1.0 - sin(t) - 0.5) } else { (cos(t), sin(t)) };
                    let x = x + noise * rng.normal();
                    let y = y + noise * rng.normal();
                    pts.push(((x - 0.5) * 3.0, (y - 0.25) * 3.0, if inner { 1.0 } else { 0.0 }));
                }
            }
            GeneratorKind::Plane => {
                for _ in 0..n {
                    let x = rng.uniform(-6.0, 6.0);
                    let y = rng.uniform(-6.0, 6.0);
                    let nx = rng.uniform(-6.0, 6.0) * noise;
                    let ny = rng.uniform(-6.0, 6.0) * noise;
                    pts.push((x, y, (x + nx + y + ny) / 10.0));
                }
            }
            GeneratorKind::MultiGauss => {
                const BUMPS: [(f64, f64, f64); 6] =
                    [(-4.0, 2.5, 1.0), (0.0, 2.5, -1.0), (4.0, 2.5, 1.0), (-4.0, -2.5, -1.0), (0.0, -2.5, 1.0), (4.0, -2.5, -1.0)];
                let label = |x: f64, y: f64| {
                    let mut best: f64 = 0.0;
                    for (cx, cy, sign) in BUMPS {
                        let d = ((x - cx).powi(2) + (y - cy).powi(2)).sqrt();
                        let v = sign * (1.0 - d / 2.0).clamp(0.0, 1.0);
                        if v.abs() > best.abs() {
                            best = v;
                        }
                    }
                    best
                };
                for _ in 0..n {
                    let x = rng.uniform(-6.0, 6.0);
                    let y = rng.uniform(-6.0, 6.0);
                    let nx = rng.uniform(-6.0, 6.0) * noise;
                    let ny = rng.uniform(-6.0, 6.0) * noise;
                    pts.push((x, y, label(x + nx, y + ny)));
                }
            }
            GeneratorKind::EvenOdd => {
                let bits = self.bits;
                let mut x = Array2::zeros((n, bits));
                let mut y = Array2::zeros((n, 1));
                for i in 0..n {
                    let v = rng.below(1u64 << bits);
                    for b in 0..bits {
                        x[[i, b]] = ((v >> b) & 1) as f64;
                    }
                    y[[i, 0]] = if v.is_multiple_of(2) { 1.0 } else { 0.0 };
                }
                return Ok(Dataset { x, y, task: Task::Classification { classes: 2 } });
            }
            GeneratorKind::Keras => {
                let d = self.dims;
                let mut x = Array2::zeros((n, d));
                for v in x.iter_mut() {
                    *v = rng.next_f64();
                }
                let mut y = Array2::zeros((n, 1));
                for v in y.iter_mut() {
                    *v = rng.below(2) as f64;
                }
                return Ok(Dataset { x, y, task: Task::Classification { classes: 2 } });
            }
        }
        let mut x = Array2::zeros((n, 2));
        let mut y = Array2::zeros((n, 1));
        for (i, (a, b, l)) in pts.into_iter().enumerate() {
            x[[i, 0]] = a;
            x[[i, 1]] = b;
            y[[i, 0]] = l;
        }
        let task = if self.generator.is_regression() { Task::Regression } else { Task::Classification { classes: 2 } };
        Ok(Dataset { x, y, task })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_generator_is_seeded_and_shaped() {
        for kind in GeneratorKind::ALL {
            let g = Generator::new(kind, 200, 0.2, 9);
            let a = g.generate().unwrap();
            let b = g.generate().unwrap();
            assert_eq!(a, b, "{kind:?} not reproducible");
            assert_eq!(a.len(), 200);
            let c = Generator { seed: 10, ..g }.generate().unwrap();
            assert_ne!(a.x, c.x, "{kind:?} ignores the seed");
            assert!(a.x.iter().chain(a.y.iter()).all(|v| v.is_finite()));
            if let Task::Classification { .. } = a.task {
                let ones = a.y.iter().filter(|&&v| v == 1.0).count();
                assert!(a.y.iter().all(|&v| v == 0.0 || v == 1.0));
                assert!(ones > 40 && ones < 160, "{kind:?} unbalanced: {ones}");
            }
        }
    }

    #[test]
    fn definitions_hold_without_noise() {
        let c = Generator::new(GeneratorKind::Circle, 300, 0.0, 1).generate().unwrap();
        for i in 0..300 {
            let r = (c.x[[i, 0]].powi(2) + c.x[[i, 1]].powi(2)).sqrt();
            assert_eq!(c.y[[i, 0]] == 1.0, r < 2.5);
        }
        let x = Generator::new(GeneratorKind::Xor, 300, 0.0, 1).generate().unwrap();
        for i in 0..300 {
            assert_eq!(x.y[[i, 0]] == 1.0, x.x[[i, 0]] * x.x[[i, 1]] >= 0.0);
            assert!(x.x[[i, 0]].abs() >= 0.3);
        }
        let e = Generator::new(GeneratorKind::EvenOdd, 100, 0.0, 1).generate().unwrap();
        for i in 0..100 {
            assert_eq!(e.y[[i, 0]] == 1.0, e.x[[i, 0]] == 0.0, "even iff lowest bit is 0");
        }
        let p = Generator::new(GeneratorKind::Plane, 100, 0.0, 1).generate().unwrap();
        for i in 0..100 {
            assert!((p.y[[i, 0]] - (p.x[[i, 0]] + p.x[[i, 1]]) / 10.0).abs() < 1e-15);
        }
        let k = Generator::new(GeneratorKind::Keras, 50, 0.0, 1).generate().unwrap();
        assert_eq!(k.x.ncols(), 20);
        assert!(k.x.iter().all(|v| (0.0..1.0).contains(v)));
    }

    #[test]
    fn bad_settings_are_errors() {
        assert!(Generator::new(GeneratorKind::Circle, 0, 0.0, 1).generate().is_err());
        assert!(Generator::new(GeneratorKind::Circle, 10, 0.9, 1).generate().is_err());
        assert!(Generator::new(GeneratorKind::Circle, 10_000_000, 0.1, 1).generate().is_err());
        let wide = Generator { dims: 1024, ..Generator::new(GeneratorKind::Keras, MAX_SAMPLES, 0.0, 1) };
        assert!(wide.validate().unwrap_err().starts_with("samples:"));
        assert!(Generator { dims: 40, ..wide }.validate().is_ok());
    }
}
