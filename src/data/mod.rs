//! Datasets: seeded generators, derived 2-D features and train/validation/test splits.

pub mod features;
pub mod generators;
pub mod split;

pub use features::Feature;
pub use generators::{Generator, GeneratorKind};
pub use split::{Split, SplitRatio};

use ndarray::Array2;
use serde::{Deserialize, Serialize};

/// Whether targets are class labels or real values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Task {
    /// Targets are class indices `0..classes`.
    Classification {
        /// Number of classes (≥ 2).
        classes: usize,
    },
    /// Targets are real numbers.
    Regression,
}

/// Raw samples: `x` is `[n, d]`, `y` is `[n, 1]` (a class index, or a real target).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dataset {
    /// Inputs.
    pub x: Array2<f64>,
    /// Labels or targets.
    pub y: Array2<f64>,
    /// What `y` means.
    pub task: Task,
}

impl Dataset {
    /// Number of samples.
    pub fn len(&self) -> usize {
        self.x.nrows()
    }

    /// Whether there are no samples.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Class of sample `i` (classification only).
    pub fn class(&self, i: usize) -> usize {
        self.y[[i, 0]] as usize
    }

    /// The rows `idx` as a new dataset.
    pub fn select(&self, idx: &[usize]) -> Dataset {
        Dataset { x: gather(&self.x, idx), y: gather(&self.y, idx), task: self.task }
    }

    /// The target matrix a network with `outputs` outputs trains on: one-hot rows for a
    /// softmax classifier (`outputs = classes`), the label itself otherwise.
    pub fn targets(&self, outputs: usize) -> Array2<f64> {
        match self.task {
            Task::Classification { classes } if outputs > 1 && outputs == classes => {
                let mut t = Array2::zeros((self.len(), outputs));
                for i in 0..self.len() {
                    t[[i, self.class(i)]] = 1.0;
                }
                t
            }
            _ => self.y.clone(),
        }
    }
}

/// The rows `idx` of `m`, in that order (a plain copy loop: ndarray's general `select` is
/// 3.7 KB of the page's code).
fn gather(m: &Array2<f64>, idx: &[usize]) -> Array2<f64> {
    let mut out = Vec::with_capacity(idx.len() * m.ncols());
    for &i in idx {
        out.extend(m.row(i).iter());
    }
    Array2::from_shape_vec((idx.len(), m.ncols()), out).expect("idx.len() rows of ncols values")
}
