//! Derived input features for 2-D datasets (as in TensorFlow Playground).

use crate::nn::trig::sin;
use ndarray::Array2;
use serde::{Deserialize, Serialize};

/// A feature computed from a 2-D point `(x₁, x₂)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Feature {
    /// `x₁`.
    #[serde(rename = "x1")]
    X1,
    /// `x₂`.
    #[serde(rename = "x2")]
    X2,
    /// `x₁²`.
    #[serde(rename = "x1^2")]
    X1Sq,
    /// `x₂²`.
    #[serde(rename = "x2^2")]
    X2Sq,
    /// `x₁·x₂`.
    #[serde(rename = "x1*x2")]
    X1X2,
    /// `sin x₁`.
    #[serde(rename = "sin(x1)")]
    SinX1,
    /// `sin x₂`.
    #[serde(rename = "sin(x2)")]
    SinX2,
}

impl Feature {
    /// All features in display order.
    pub const ALL: [Feature; 7] =
        [Feature::X1, Feature::X2, Feature::X1Sq, Feature::X2Sq, Feature::X1X2, Feature::SinX1, Feature::SinX2];

    /// The distinct features of `fs` in [`Feature::ALL`]'s order (which is also `Ord`'s).
    /// Not a sort: a filter of seven, so the page carries no sorting code for features.
    pub fn canonical(fs: &[Feature]) -> Vec<Feature> {
        Self::ALL.into_iter().filter(|f| fs.contains(f)).collect()
    }

    /// The name used in files and URLs (`x1`, `x2`, `x1^2`, `x2^2`, `x1*x2`, `sin(x1)`, `sin(x2)`).
    pub fn name(self) -> &'static str {
        match self {
            Feature::X1 => "x1",
            Feature::X2 => "x2",
            Feature::X1Sq => "x1^2",
            Feature::X2Sq => "x2^2",
            Feature::X1X2 => "x1*x2",
            Feature::SinX1 => "sin(x1)",
            Feature::SinX2 => "sin(x2)",
        }
    }

    /// Display label with Unicode superscripts and subscripts.
    pub fn label(self) -> &'static str {
        match self {
            Feature::X1 => "x₁",
            Feature::X2 => "x₂",
            Feature::X1Sq => "x₁²",
            Feature::X2Sq => "x₂²",
            Feature::X1X2 => "x₁x₂",
            Feature::SinX1 => "sin x₁",
            Feature::SinX2 => "sin x₂",
        }
    }

    /// Parses [`Feature::name`].
    pub fn from_name(s: &str) -> Option<Feature> {
        Self::ALL.into_iter().find(|f| f.name() == s)
    }

    /// The feature's value at `(x₁, x₂)`.
    #[inline]
    pub fn eval(self, x1: f64, x2: f64) -> f64 {
        match self {
            Feature::X1 => x1,
            Feature::X2 => x2,
            Feature::X1Sq => x1 * x1,
            Feature::X2Sq => x2 * x2,
            Feature::X1X2 => x1 * x2,
            Feature::SinX1 => sin(x1),
            Feature::SinX2 => sin(x2),
        }
    }
}

/// Maps each 2-D row of `x` (`[n, 2]`) to the chosen features (`[n, features.len()]`).
pub fn featurize(x: &Array2<f64>, features: &[Feature]) -> Array2<f64> {
    let mut out = Array2::zeros((x.nrows(), features.len()));
    for (r, row) in x.rows().into_iter().enumerate() {
        for (c, f) in features.iter().enumerate() {
            out[[r, c]] = f.eval(row[0], row[1]);
        }
    }
    out
}

/// Writes the features of one point into `out`.
#[inline]
pub fn featurize_point(x1: f64, x2: f64, features: &[Feature], out: &mut [f64]) {
    for (o, f) in out.iter_mut().zip(features) {
        *o = f.eval(x1, x2);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn values_and_names() {
        let x = array![[2.0, 3.0]];
        let f = featurize(&x, &Feature::ALL);
        assert_eq!(f.row(0).to_vec()[..5], [2.0, 3.0, 4.0, 9.0, 6.0]);
        assert_eq!(f[[0, 5]], 2f64.sin());
        for feat in Feature::ALL {
            assert_eq!(Feature::from_name(feat.name()), Some(feat));
            let json = serde_json::to_string(&feat).unwrap();
            assert_eq!(json, format!("\"{}\"", feat.name()));
        }
    }

    #[test]
    fn canonical_is_sorted_and_distinct() {
        use Feature::*;
        assert_eq!(Feature::canonical(&[SinX2, X1, SinX2, X1X2, X1]), vec![X1, X1X2, SinX2]);
        assert_eq!(Feature::canonical(&[]), vec![]);
        let mut all = Feature::ALL.to_vec();
        all.reverse();
        let mut sorted = all.clone();
        sorted.sort();
        assert_eq!(Feature::canonical(&all), sorted, "ALL is in Ord order");
    }
}
