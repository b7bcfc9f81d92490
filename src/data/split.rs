//! Train / validation / test splits by ratio.

use super::Dataset;
use crate::nn::Rng;
use serde::{Deserialize, Serialize};

/// Relative sizes of the three parts (they need not sum to 1; they are normalised).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SplitRatio {
    /// Training share.
    pub train: f64,
    /// Validation share.
    #[serde(default)]
    pub validation: f64,
    /// Test share.
    #[serde(default)]
    pub test: f64,
}

impl Default for SplitRatio {
    fn default() -> Self {
        SplitRatio { train: 0.7, validation: 0.15, test: 0.15 }
    }
}

impl SplitRatio {
    /// Checks the shares; the error names the field.
    pub fn validate(&self) -> Result<(), String> {
        for (name, v) in [("train", self.train), ("validation", self.validation), ("test", self.test)] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(format!("split.{name}: must be a finite number ≥ 0, got {v}"));
            }
        }
        if self.train <= 0.0 {
            return Err("split.train: must be > 0".into());
        }
        Ok(())
    }

    /// Sizes `(train, validation, test)` for `n` samples; train gets at least one.
    pub fn sizes(&self, n: usize) -> (usize, usize, usize) {
        let total = self.train + self.validation + self.test;
        let n_train = ((n as f64 * self.train / total).round() as usize).clamp(n.min(1), n);
        let n_val = ((n as f64 * self.validation / total).round() as usize).min(n - n_train);
        (n_train, n_val, n - n_train - n_val)
    }
}

/// A dataset split into three parts.
#[derive(Clone, Debug, PartialEq)]
pub struct Split {
    /// Training part.
    pub train: Dataset,
    /// Validation part.
    pub validation: Dataset,
    /// Test part.
    pub test: Dataset,
}

impl Split {
    /// Shuffles the samples with `seed` and cuts them by `ratio`.
    pub fn new(data: &Dataset, ratio: &SplitRatio, seed: u64) -> Split {
        let [a, b, c] = Self::partition(data.len(), ratio, seed);
        Split { train: data.select(&a), validation: data.select(&b), test: data.select(&c) }
    }

    /// The sample indices of the train, validation and test parts that [`Split::new`] uses.
    /// With no validation and no test share, nothing is split and the order is kept.
    pub fn partition(n: usize, ratio: &SplitRatio, seed: u64) -> [Vec<usize>; 3] {
        let mut idx: Vec<usize> = (0..n).collect();
        if ratio.validation > 0.0 || ratio.test > 0.0 {
            Rng::new(seed ^ 0x5EED_5B11_7000_0000).shuffle(&mut idx);
        }
        let (a, b, _) = ratio.sizes(n);
        [idx[..a].to_vec(), idx[a..a + b].to_vec(), idx[a + b..].to_vec()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{Generator, GeneratorKind};

    #[test]
    fn sizes_and_disjointness() {
        let r = SplitRatio::default();
        assert_eq!(r.sizes(100), (70, 15, 15));
        assert_eq!(SplitRatio { train: 1.0, validation: 0.0, test: 1.0 }.sizes(3), (2, 0, 1));
        assert_eq!(SplitRatio { train: 0.001, validation: 0.0, test: 1.0 }.sizes(10).0, 1);
        let d = Generator::new(GeneratorKind::Gauss, 100, 0.1, 3).generate().unwrap();
        let s = Split::new(&d, &r, 1);
        assert_eq!((s.train.len(), s.validation.len(), s.test.len()), (70, 15, 15));
        let mut all: Vec<(u64, u64)> = [&s.train, &s.validation, &s.test]
            .iter()
            .flat_map(|p| p.x.rows().into_iter().map(|row| (row[0].to_bits(), row[1].to_bits())).collect::<Vec<_>>())
            .collect();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), 100);
        assert!(SplitRatio { train: 0.0, validation: 1.0, test: 0.0 }.validate().is_err());
        let whole = Split::new(&d, &SplitRatio { train: 1.0, validation: 0.0, test: 0.0 }, 1);
        assert_eq!(whole.train.x, d.x, "train-only keeps the file order");
    }
}
