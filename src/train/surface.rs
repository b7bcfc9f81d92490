//! Loss surfaces: the training loss of the current network over a 2-D plane through its
//! parameters, `L(θ₀ + α d₁ + β d₂)`, computed a few grid rows at a time, and the
//! projection of any parameter vector onto that plane (to draw trajectories).
//!
//! The plane's axes are either two chosen weights (`d₁`, `d₂` unit vectors) or two random
//! Gaussian directions, *filter-normalized* as in Li et al., "Visualizing the Loss
//! Landscape of Neural Nets" (2018): for every neuron `j` of layer `l`, the block of the
//! direction that holds its parameters — its incoming weights `W[:, j]` and its bias `b_j` —
//! is rescaled to the norm of the same block of `θ₀`:
//! `d_{l,j} ← d_{l,j} / ‖d_{l,j}‖ · ‖θ_{l,j}‖`.
//! So a step of 1 along a direction changes every neuron by about its own size.

use crate::nn::network::{self, Workspace};
use crate::nn::{Loss, Network, Rng};
use ndarray::Array2;

/// A weight `W[i, j]` of layer `layer` (input `i` to neuron `j`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct WeightRef {
    /// Layer index (0 = first hidden layer).
    pub layer: usize,
    /// Input index.
    pub i: usize,
    /// Neuron index.
    pub j: usize,
}

/// How the plane's two axes are chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Axes {
    /// Two random filter-normalized directions drawn with this seed.
    Random(u64),
    /// Two single weights (unit directions).
    Weights(WeightRef, WeightRef),
}

/// Offsets of each layer's `W` and `b` in the flat parameter vector (optimizer order
/// `W₀, b₀, W₁, b₁, …`; `W` row-major `[inputs, units]`).
pub fn offsets(net: &Network) -> Vec<(usize, usize)> {
    let mut at = 0;
    net.layers
        .iter()
        .map(|l| {
            let w = at;
            let b = w + l.w.len();
            at = b + l.b.len();
            (w, b)
        })
        .collect()
}

/// Index of a weight in the flat parameter vector, if it exists.
pub fn flat_index(net: &Network, w: WeightRef) -> Option<usize> {
    let layer = net.layers.get(w.layer)?;
    if w.i >= layer.inputs() || w.j >= layer.units() {
        return None;
    }
    Some(offsets(net)[w.layer].0 + w.i * layer.units() + w.j)
}

/// Indices of neuron `j`'s parameters in layer `l`: its incoming weights `W[:, j]` and its bias.
pub fn neuron_block(net: &Network, l: usize, j: usize) -> impl Iterator<Item = usize> {
    let layer = &net.layers[l];
    let (w, b) = offsets(net)[l];
    let (d, u) = (layer.inputs(), layer.units());
    (0..d).map(move |i| w + i * u + j).chain(std::iter::once(b + j))
}

/// Filter normalization: rescales each neuron's block of `dir` to the norm of the same
/// block of `params` (`d_{l,j} ← d_{l,j} / ‖d_{l,j}‖ · ‖θ_{l,j}‖`; a zero block stays zero).
pub fn filter_normalize(net: &Network, params: &[f64], dir: &mut [f64]) {
    for (l, layer) in net.layers.iter().enumerate() {
        for j in 0..layer.units() {
            let idx: Vec<usize> = neuron_block(net, l, j).collect();
            let dn = idx.iter().map(|&k| dir[k] * dir[k]).sum::<f64>().sqrt();
            let pn = idx.iter().map(|&k| params[k] * params[k]).sum::<f64>().sqrt();
            let s = if dn > 0.0 { pn / dn } else { 0.0 };
            for &k in &idx {
                dir[k] *= s;
            }
        }
    }
}

/// A plane `θ₀ + α d₁ + β d₂` in parameter space.
#[derive(Clone, Debug, PartialEq)]
pub struct Plane {
    /// The centre `θ₀` (flat parameters).
    pub origin: Vec<f64>,
    /// First axis `d₁`.
    pub d1: Vec<f64>,
    /// Second axis `d₂`.
    pub d2: Vec<f64>,
    /// Inverse of the Gram matrix `[[d₁·d₁, d₁·d₂], [d₁·d₂, d₂·d₂]]` (for projections).
    inv_gram: [f64; 4],
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

impl Plane {
    /// The plane through `net`'s parameters along `axes`. Errors name a missing weight
    /// or a degenerate plane (e.g. the same weight twice, or an all-zero network).
    pub fn new(net: &Network, axes: Axes) -> Result<Plane, String> {
        let origin = net.flat_params();
        let n = origin.len();
        let (d1, d2) = match axes {
            Axes::Weights(a, b) => {
                let ia = flat_index(net, a).ok_or("surface: the first weight is not in this network")?;
                let ib = flat_index(net, b).ok_or("surface: the second weight is not in this network")?;
                if ia == ib {
                    return Err("surface: choose two different weights".into());
                }
                let (mut d1, mut d2) = (vec![0.0; n], vec![0.0; n]);
                d1[ia] = 1.0;
                d2[ib] = 1.0;
                (d1, d2)
            }
            Axes::Random(seed) => {
                let mut rng = Rng::new(seed ^ 0x0005_EED5_u64.wrapping_mul(0x9E37_79B9_7F4A_7C15));
                let mut d1: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
                let mut d2: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
                filter_normalize(net, &origin, &mut d1);
                filter_normalize(net, &origin, &mut d2);
                (d1, d2)
            }
        };
        Plane::from_axes(origin, d1, d2)
    }

    /// The plane through `origin` along `d1`, `d2` (which must be independent).
    pub fn from_axes(origin: Vec<f64>, d1: Vec<f64>, d2: Vec<f64>) -> Result<Plane, String> {
        let (a, b, c) = (dot(&d1, &d1), dot(&d1, &d2), dot(&d2, &d2));
        let det = a * c - b * b;
        if !(det.is_finite() && det > 1e-12 * (a * c).max(1e-300)) {
            return Err("surface: the two directions are zero or parallel (are all weights zero?)".into());
        }
        Ok(Plane { origin, d1, d2, inv_gram: [c / det, -b / det, -b / det, a / det] })
    }

    /// `θ₀ + α d₁ + β d₂` into `out`.
    pub fn point(&self, alpha: f64, beta: f64, out: &mut Vec<f64>) {
        out.clear();
        out.extend(self.origin.iter().zip(&self.d1).zip(&self.d2).map(|((o, x), y)| o + alpha * x + beta * y));
    }

    /// Coordinates `(α, β)` of a displacement `v` (least squares: `G⁻¹ [d₁·v, d₂·v]`).
    pub fn project_delta(&self, v: &[f64]) -> (f64, f64) {
        let (p, q) = (dot(&self.d1, v), dot(&self.d2, v));
        let g = &self.inv_gram;
        (g[0] * p + g[1] * q, g[2] * p + g[3] * q)
    }

    /// Coordinates `(α, β)` of the orthogonal projection of `params` onto the plane.
    pub fn project(&self, params: &[f64]) -> (f64, f64) {
        let v: Vec<f64> = params.iter().zip(&self.origin).map(|(p, o)| p - o).collect();
        self.project_delta(&v)
    }
}

/// Evaluates the training loss at arbitrary parameters without touching the trainer
/// (same kernels and chunking as [`Trainer::metrics`](super::Trainer::metrics), so the
/// value at the trainer's parameters is bit-identical to its training loss).
#[derive(Clone, Debug)]
pub struct LossProbe {
    net: Network,
    ws: Workspace,
    x: Array2<f64>,
    y: Array2<f64>,
    loss: Loss,
}

impl LossProbe {
    /// A probe for networks shaped like `net` on the data `x`, `y`.
    pub fn new(net: &Network, x: Array2<f64>, y: Array2<f64>, loss: Loss) -> Self {
        LossProbe { ws: Workspace::new(net, 256), net: net.clone(), x, y, loss }
    }

    /// A probe on a trainer's training set.
    pub fn for_trainer(t: &super::Trainer) -> Self {
        LossProbe::new(t.net(), t.data().train_x.clone(), t.data().train_y.clone(), t.config().loss)
    }

    /// Mean training loss (no penalty) with the parameters `params` (flat, optimizer order).
    pub fn loss(&mut self, params: &[f64]) -> f64 {
        let mut at = 0;
        for t in self.net.tensors_mut() {
            let n = t.len();
            t.copy_from_slice(&params[at..at + n]);
            at += n;
        }
        network::evaluate(&self.net, &mut self.ws, &self.x, &self.y, self.loss).0
    }
}

/// Grid sizes offered (odd, so the centre cell is exactly `(0, 0)`).
pub const RESOLUTIONS: [usize; 4] = [21, 31, 41, 61];

/// A loss surface over `[-range, range]²` on a `res × res` grid, filled row by row.
/// Row 0 is the top (`β = +range`), column 0 the left (`α = −range`).
#[derive(Clone, Debug)]
pub struct Surface {
    /// The plane.
    pub plane: Plane,
    /// Cells per side (odd).
    pub res: usize,
    /// Half-width of the grid in plane coordinates.
    pub range: f64,
    /// Row-major losses (NaN until computed).
    pub values: Vec<f64>,
    rows_done: usize,
    probe: LossProbe,
    buf: Vec<f64>,
}

impl Surface {
    /// A surface to compute; `res` is made odd and at least 3, `range` must be > 0.
    pub fn new(plane: Plane, probe: LossProbe, res: usize, range: f64) -> Result<Surface, String> {
        if !(range.is_finite() && range > 0.0) {
            return Err(format!("surface: the range must be a number > 0, got {range}"));
        }
        let res = (res.clamp(3, 201)) | 1;
        Ok(Surface { plane, res, range, values: vec![f64::NAN; res * res], rows_done: 0, probe, buf: Vec::new() })
    }

    /// Plane coordinate of grid index `k` (`−range … range`; the middle index is exactly 0).
    pub fn coord(&self, k: usize) -> f64 {
        let mid = (self.res / 2) as f64;
        (k as f64 - mid) / mid * self.range
    }

    /// `(α, β)` of cell `(row, col)`.
    pub fn cell(&self, row: usize, col: usize) -> (f64, f64) {
        (self.coord(col), self.coord(self.res - 1 - row))
    }

    /// Computes up to `rows` more grid rows; returns the fraction done.
    pub fn compute_rows(&mut self, rows: usize) -> f64 {
        let end = (self.rows_done + rows).min(self.res);
        for r in self.rows_done..end {
            for c in 0..self.res {
                let (a, b) = self.cell(r, c);
                let mut buf = std::mem::take(&mut self.buf);
                self.plane.point(a, b, &mut buf);
                self.values[r * self.res + c] = self.probe.loss(&buf);
                self.buf = buf;
            }
        }
        self.rows_done = end;
        self.progress()
    }

    /// Fraction of rows computed.
    pub fn progress(&self) -> f64 {
        self.rows_done as f64 / self.res as f64
    }

    /// Whether every row is computed.
    pub fn done(&self) -> bool {
        self.rows_done == self.res
    }

    /// The loss at the plane's centre (computed on demand if its row is not done yet).
    pub fn centre(&mut self) -> f64 {
        let m = self.res / 2;
        let v = self.values[m * self.res + m];
        if v.is_nan() {
            let origin = self.plane.origin.clone();
            self.probe.loss(&origin)
        } else {
            v
        }
    }

    /// The loss at any parameters, with this surface's data (for points off the grid).
    pub fn loss_at(&mut self, params: &[f64]) -> f64 {
        self.probe.loss(params)
    }

    /// Smallest and largest finite loss computed so far.
    pub fn min_max(&self) -> Option<(f64, f64)> {
        let (lo, hi) = self
            .values
            .iter()
            .filter(|v| v.is_finite())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
        lo.is_finite().then_some((lo, hi))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_and_indices() {
        let spec = crate::nn::NetworkSpec::mlp(2, &[3], crate::nn::Activation::Tanh, 1, crate::nn::Activation::Sigmoid);
        let net = Network::new(&spec, &crate::nn::Init::Xavier, &mut Rng::new(1)).unwrap();
        assert_eq!(offsets(&net), vec![(0, 6), (9, 12)]);
        assert_eq!(flat_index(&net, WeightRef { layer: 0, i: 1, j: 2 }), Some(5));
        assert_eq!(flat_index(&net, WeightRef { layer: 1, i: 2, j: 0 }), Some(11));
        assert_eq!(flat_index(&net, WeightRef { layer: 1, i: 3, j: 0 }), None);
        assert_eq!(neuron_block(&net, 0, 1).collect::<Vec<_>>(), vec![1, 4, 7]);
        let p = net.flat_params();
        assert_eq!(p[5], net.layers[0].w[[1, 2]]);
        assert_eq!(p[7], net.layers[0].b[1]);
    }
}
