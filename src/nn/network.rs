//! Dense networks and the forward/backward kernels.
//!
//! A layer computes `z = x·W + b` and `a = σ(z)` for a batch `x` whose rows are
//! samples (`W` is `[inputs, units]`). Backpropagation works per sample with
//! `δ = ∂ℓ_r/∂z` and averages over the batch only for the parameter gradients:
//!
//! - `∂L/∂W = (1/N) Σ_r a_prev[r]ᵀ δ[r]` and `∂L/∂b = (1/N) Σ_r δ[r]`,
//! - `∂ℓ_r/∂a_prev = δ[r] Wᵀ` and `∂ℓ_r/∂z_prev = ∂ℓ_r/∂a_prev ⊙ σ'(z_prev)` (chain rule).
//!
//! The kernels work on preallocated [`Workspace`] buffers, so a training step does not
//! allocate once the workspace has grown to the batch size.

use super::activation::Activation;
use super::init::Init;
use super::loss::Loss;
use super::regularization::Regularization;
use super::rng::Rng;
use ndarray::{Array1, Array2, ArrayView2};
use serde::{Deserialize, Serialize};

/// The shape of one layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LayerSpec {
    /// Number of neurons.
    pub units: usize,
    /// Activation `σ`.
    pub activation: Activation,
}

/// The shape of a network: its input width and its layers, the last being the output layer.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NetworkSpec {
    /// Input features.
    pub inputs: usize,
    /// Hidden layers then the output layer.
    pub layers: Vec<LayerSpec>,
}

/// Largest width and depth the engine accepts (keeps memory bounded on bad input).
pub const MAX_UNITS: usize = 1024;
/// Largest number of layers (hidden + output).
pub const MAX_LAYERS: usize = 32;

impl NetworkSpec {
    /// Hidden layers of the given widths with one activation, then the output layer.
    pub fn mlp(inputs: usize, hidden: &[usize], hidden_act: Activation, outputs: usize, out_act: Activation) -> Self {
        let mut layers: Vec<LayerSpec> = hidden.iter().map(|&units| LayerSpec { units, activation: hidden_act }).collect();
        layers.push(LayerSpec { units: outputs, activation: out_act });
        NetworkSpec { inputs, layers }
    }

    /// Checks sizes and activations; the error names the problem.
    pub fn validate(&self) -> Result<(), String> {
        if self.inputs == 0 || self.inputs > MAX_UNITS {
            return Err(format!("inputs: must be between 1 and {MAX_UNITS}, got {}", self.inputs));
        }
        if self.layers.is_empty() || self.layers.len() > MAX_LAYERS {
            return Err(format!("layers: need between 1 and {MAX_LAYERS} layers, got {}", self.layers.len()));
        }
        let last = self.layers.len() - 1;
        for (i, l) in self.layers.iter().enumerate() {
            if l.units == 0 || l.units > MAX_UNITS {
                return Err(format!("layers[{i}].units: must be between 1 and {MAX_UNITS}, got {}", l.units));
            }
            if i != last && l.activation == Activation::Softmax {
                return Err(format!("layers[{i}].activation: softmax is only allowed on the output layer"));
            }
        }
        let mut params = 0usize;
        let mut fan_in = self.inputs;
        for l in &self.layers {
            params += (fan_in + 1) * l.units;
            fan_in = l.units;
        }
        if params > MAX_PARAMS {
            return Err(format!("layers: {params} parameters is more than the limit of {MAX_PARAMS}"));
        }
        Ok(())
    }
}

/// Largest number of parameters.
pub const MAX_PARAMS: usize = 2_000_000;

/// One dense layer's parameters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Layer {
    /// Weights, `[inputs, units]`.
    pub w: Array2<f64>,
    /// Biases, `[units]`.
    pub b: Array1<f64>,
    /// Activation.
    pub activation: Activation,
}

impl Layer {
    /// Input width.
    pub fn inputs(&self) -> usize {
        self.w.nrows()
    }
    /// Number of neurons.
    pub fn units(&self) -> usize {
        self.w.ncols()
    }
}

/// A multi-layer perceptron.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Network {
    /// Layers, the last being the output layer.
    pub layers: Vec<Layer>,
}

impl Network {
    /// A network of the given shape with parameters drawn by `init`.
    pub fn new(spec: &NetworkSpec, init: &Init, rng: &mut Rng) -> Result<Self, String> {
        spec.validate()?;
        let mut fan_in = spec.inputs;
        let mut layers = Vec::with_capacity(spec.layers.len());
        for l in &spec.layers {
            let mut w = Array2::zeros((fan_in, l.units));
            let mut b = Array1::zeros(l.units);
            init.fill(
                fan_in,
                l.units,
                w.as_slice_mut().expect("standard layout"),
                b.as_slice_mut().expect("standard layout"),
                rng,
            );
            layers.push(Layer { w, b, activation: l.activation });
            fan_in = l.units;
        }
        Ok(Network { layers })
    }

    /// A network with the given parameters; checks that the shapes chain.
    pub fn from_params(spec: &NetworkSpec, params: Vec<(Array2<f64>, Array1<f64>)>) -> Result<Self, String> {
        spec.validate()?;
        if params.len() != spec.layers.len() {
            return Err(format!("layers: expected {} layers of parameters, got {}", spec.layers.len(), params.len()));
        }
        let mut fan_in = spec.inputs;
        let mut layers = Vec::new();
        for (i, ((w, b), l)) in params.into_iter().zip(&spec.layers).enumerate() {
            if w.dim() != (fan_in, l.units) {
                return Err(format!("layers[{i}].w: expected shape [{fan_in}, {}], got {:?}", l.units, w.shape()));
            }
            if b.len() != l.units {
                return Err(format!("layers[{i}].b: expected {} values, got {}", l.units, b.len()));
            }
            if w.iter().chain(b.iter()).any(|v| !v.is_finite()) {
                return Err(format!("layers[{i}]: parameters must be finite numbers"));
            }
            let w = w.as_standard_layout().into_owned();
            layers.push(Layer { w, b, activation: l.activation });
            fan_in = l.units;
        }
        Ok(Network { layers })
    }

    /// The network's shape.
    pub fn spec(&self) -> NetworkSpec {
        NetworkSpec {
            inputs: self.inputs(),
            layers: self.layers.iter().map(|l| LayerSpec { units: l.units(), activation: l.activation }).collect(),
        }
    }

    /// Input width.
    pub fn inputs(&self) -> usize {
        self.layers[0].inputs()
    }

    /// Output width.
    pub fn outputs(&self) -> usize {
        self.layers[self.layers.len() - 1].units()
    }

    /// Output activation.
    pub fn output_activation(&self) -> Activation {
        self.layers[self.layers.len() - 1].activation
    }

    /// Sizes of the parameter tensors in optimizer order `W₀, b₀, W₁, b₁, …`.
    pub fn tensor_sizes(&self) -> Vec<usize> {
        self.layers.iter().flat_map(|l| [l.w.len(), l.b.len()]).collect()
    }

    /// Total number of parameters.
    pub fn param_count(&self) -> usize {
        self.tensor_sizes().iter().sum()
    }

    /// Whether every parameter is finite.
    pub fn all_finite(&self) -> bool {
        fn finite<D: ndarray::Dimension>(t: &ndarray::Array<f64, D>) -> bool {
            match t.as_slice() {
                Some(s) => all_finite(s),
                None => t.iter().all(|v| v.is_finite()),
            }
        }
        self.layers.iter().all(|l| finite(&l.w) && finite(&l.b))
    }

    /// Flattened parameters in optimizer order.
    pub fn flat_params(&self) -> Vec<f64> {
        let mut out = Vec::with_capacity(self.param_count());
        for l in &self.layers {
            out.extend(l.w.iter());
            out.extend(l.b.iter());
        }
        out
    }

    /// Mutable parameter slices in optimizer order.
    pub fn tensors_mut(&mut self) -> impl Iterator<Item = &mut [f64]> {
        self.layers.iter_mut().flat_map(|l| {
            [l.w.as_slice_mut().expect("standard layout"), l.b.as_slice_mut().expect("standard layout")]
        })
    }

    /// The network's outputs for every row of `x` (allocates; for evaluation and plots).
    pub fn predict(&self, x: ArrayView2<f64>) -> Array2<f64> {
        let mut ws = Workspace::new(self, 256);
        let mut out = Array2::zeros((x.nrows(), self.outputs()));
        let k = self.outputs();
        for start in (0..x.nrows()).step_by(256) {
            let n = (x.nrows() - start).min(256);
            ws.load_x(x.slice(ndarray::s![start..start + n, ..]));
            forward(self, &mut ws);
            let a = &ws.a[self.layers.len() - 1][..n * k];
            out.as_slice_mut().expect("standard layout")[start * k..(start + n) * k].copy_from_slice(a);
        }
        out
    }
}

/// Whether every value is finite. `0·v` is ±0 for a finite `v` and NaN otherwise, so the
/// sum of those is 0 exactly when all are (a loop without early exit, which vectorizes).
pub fn all_finite(v: &[f64]) -> bool {
    let (chunks, rest) = v.as_chunks::<4>();
    let mut acc = [0.0f64; 4];
    for c in chunks {
        for k in 0..4 {
            acc[k] += c[k] * 0.0;
        }
    }
    let mut s = (acc[0] + acc[1]) + (acc[2] + acc[3]);
    for &x in rest {
        s += x * 0.0;
    }
    s == 0.0
}

/// Preallocated buffers for one batch: inputs, targets and every layer's
/// `z`, `a`, `∂ℓ/∂a`, `∂ℓ/∂z` (per sample, row-major `[n, units]`) and the batch gradients.
#[derive(Clone, Debug, Default)]
pub struct Workspace {
    /// Rows in use.
    pub n: usize,
    cap: usize,
    inputs: usize,
    /// Input batch `[n, inputs]`.
    pub x: Vec<f64>,
    /// Targets `[n, outputs]`.
    pub y: Vec<f64>,
    /// Pre-activations per layer.
    pub z: Vec<Vec<f64>>,
    /// Activations per layer.
    pub a: Vec<Vec<f64>>,
    /// `∂ℓ_r/∂a` per layer (the output layer's from the loss).
    pub da: Vec<Vec<f64>>,
    /// `∂ℓ_r/∂z` per layer.
    pub dz: Vec<Vec<f64>>,
    /// Batch gradient `∂L/∂W` per layer (row-major `[inputs, units]`).
    pub gw: Vec<Vec<f64>>,
    /// Batch gradient `∂L/∂b` per layer.
    pub gb: Vec<Vec<f64>>,
    /// Per-sample losses `ℓ_r`.
    pub sample_loss: Vec<f64>,
    /// Batch loss `L = mean ℓ_r` (without the regularization penalty).
    pub loss: f64,
}

impl Workspace {
    /// Buffers for `net` and batches of up to `cap` rows.
    pub fn new(net: &Network, cap: usize) -> Self {
        let mut ws = Workspace::default();
        ws.resize(net, cap);
        ws
    }

    /// Makes room for `cap` rows (allocates only when the capacity or shape changes).
    pub fn resize(&mut self, net: &Network, cap: usize) {
        let fits = self.cap >= cap
            && self.inputs == net.inputs()
            && self.z.len() == net.layers.len()
            && self.gw.iter().zip(&net.layers).all(|(g, l)| g.len() == l.w.len());
        if fits {
            return;
        }
        let cap = cap.max(1);
        self.cap = cap;
        self.inputs = net.inputs();
        self.x = vec![0.0; cap * net.inputs()];
        self.y = vec![0.0; cap * net.outputs()];
        let per_layer = |f: &dyn Fn(&Layer) -> usize| net.layers.iter().map(|l| vec![0.0; f(l)]).collect::<Vec<_>>();
        self.z = per_layer(&|l| cap * l.units());
        self.a = per_layer(&|l| cap * l.units());
        self.da = per_layer(&|l| cap * l.units());
        self.dz = per_layer(&|l| cap * l.units());
        self.gw = per_layer(&|l| l.w.len());
        self.gb = per_layer(&|l| l.b.len());
        self.sample_loss = vec![0.0; cap];
    }

    /// Copies the rows `idx` of `x` and `y` into the batch.
    pub fn load_rows(&mut self, x: &Array2<f64>, y: &Array2<f64>, idx: &[usize]) {
        assert!(idx.len() <= self.cap, "batch larger than the workspace");
        let (d, k) = (x.ncols(), y.ncols());
        let xs = x.as_slice().expect("standard layout");
        let ys = y.as_slice().expect("standard layout");
        for (r, &i) in idx.iter().enumerate() {
            self.x[r * d..(r + 1) * d].copy_from_slice(&xs[i * d..(i + 1) * d]);
            self.y[r * k..(r + 1) * k].copy_from_slice(&ys[i * k..(i + 1) * k]);
        }
        self.n = idx.len();
    }

    /// Copies a block of inputs (no targets) into the batch.
    pub fn load_x(&mut self, x: ArrayView2<f64>) {
        assert!(x.nrows() <= self.cap, "batch larger than the workspace");
        for (r, row) in x.rows().into_iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                self.x[r * self.inputs + c] = *v;
            }
        }
        self.n = x.nrows();
    }
}

/// Forward pass of layer `l`: `z = x·W + b`, `a = σ(z)` for every row of the batch,
/// where `x` is the input batch (`l = 0`) or the previous layer's activations.
pub fn forward_layer(net: &Network, ws: &mut Workspace, l: usize) {
    let layer = &net.layers[l];
    let (d, u, n) = (layer.inputs(), layer.units(), ws.n);
    let w = layer.w.as_slice().expect("standard layout");
    let b = layer.b.as_slice().expect("standard layout");
    let mut z = std::mem::take(&mut ws.z[l]);
    let mut a = std::mem::take(&mut ws.a[l]);
    {
        let input: &[f64] = if l == 0 { &ws.x } else { &ws.a[l - 1] };
        let (z, a) = (&mut z[..n * u], &mut a[..n * u]);
        affine(&input[..n * d], d, w, b, z);
        if layer.activation.is_elementwise() {
            layer.activation.apply_row(z, a);
        } else {
            for (zr, ar) in z.chunks_exact(u).zip(a.chunks_exact_mut(u)) {
                layer.activation.apply_row(zr, ar);
            }
        }
    }
    ws.z[l] = z;
    ws.a[l] = a;
}

/// `z[r, j] = b_j + Σ_i x[r, i] W[i, j]` for every row `r` of `x` (`[n, d]`; `W` is `[d, u]`).
/// The columns go in blocks of 8, 4, 2 and 1 whose sums stay in registers, two rows
/// at a time (each weight is loaded once for both).
#[inline(never)] // a call per layer; kept out of the callers, which stay small
fn affine(x: &[f64], d: usize, w: &[f64], b: &[f64], z: &mut [f64]) {
    let u = b.len();
    let mut j = 0;
    while j < u {
        j += match u - j {
            8.. => affine_cols::<8>(x, d, w, b, z, j),
            4..=7 => affine_cols::<4>(x, d, w, b, z, j),
            2..=3 => affine_cols::<2>(x, d, w, b, z, j),
            _ => affine_cols::<1>(x, d, w, b, z, j),
        };
    }
}

/// [`affine`] for the columns `j..j + B`; returns `B`.
#[inline(always)]
fn affine_cols<const B: usize>(x: &[f64], d: usize, w: &[f64], b: &[f64], z: &mut [f64], j: usize) -> usize {
    let u = b.len();
    let bias: [f64; B] = b[j..j + B].try_into().expect("B biases");
    let rows = w.chunks_exact(u).map(move |r| <&[f64; B]>::try_from(&r[j..j + B]).expect("B weights"));
    affine_block(x, d, rows, bias, z, u, j);
    B
}

/// [`affine`] for one block of columns, given the block's part of each row of `W`.
#[inline(always)]
fn affine_block<'w, const B: usize>(
    x: &[f64],
    d: usize,
    w: impl Iterator<Item = &'w [f64; B]> + Clone,
    bias: [f64; B],
    z: &mut [f64],
    u: usize,
    j: usize,
) {
    let mut xs = x.chunks_exact(2 * d);
    let mut zs = z.chunks_exact_mut(2 * u);
    for (x2, z2) in (&mut xs).zip(&mut zs) {
        let (x0, x1) = x2.split_at(d);
        let (mut a0, mut a1) = (bias, bias);
        for ((&v0, &v1), wr) in x0.iter().zip(x1).zip(w.clone()) {
            for k in 0..B {
                a0[k] += v0 * wr[k];
                a1[k] += v1 * wr[k];
            }
        }
        z2[j..j + B].copy_from_slice(&a0);
        z2[u + j..u + j + B].copy_from_slice(&a1);
    }
    if let (Some(xr), Some(zr)) = (xs.remainder().get(..d), zs.into_remainder().get_mut(..u)) {
        let mut a0 = bias;
        for (&v0, wr) in xr.iter().zip(w) {
            for k in 0..B {
                a0[k] += v0 * wr[k];
            }
        }
        zr[j..j + B].copy_from_slice(&a0);
    }
}

/// The whole forward pass.
pub fn forward(net: &Network, ws: &mut Workspace) {
    for l in 0..net.layers.len() {
        forward_layer(net, ws, l);
    }
}

/// The loss phase: `ℓ_r` per sample, `L = (1/N) Σ ℓ_r`, and at the output layer
/// `∂ℓ_r/∂a` and `δ = ∂ℓ_r/∂z` (see [`Loss`]). Returns `L`.
pub fn loss_phase(net: &Network, ws: &mut Workspace, loss: Loss) -> f64 {
    let last = net.layers.len() - 1;
    let out = net.layers[last].activation;
    let (k, n) = (net.outputs(), ws.n);
    let mut total = 0.0;
    for r in 0..n {
        let rows = r * k..(r + 1) * k;
        let (z, a, y) = (&ws.z[last][rows.clone()], &ws.a[last][rows.clone()], &ws.y[rows.clone()]);
        let l = loss.sample_loss(z, a, y);
        ws.sample_loss[r] = l;
        total += l;
        loss.sample_grad_a(a, y, &mut ws.da[last][rows.clone()]);
        loss.sample_grad_z(out, z, a, y, &mut ws.dz[last][rows]);
    }
    ws.loss = total / n as f64;
    ws.loss
}

/// Backward pass through layer `l`, given its `δ = ∂ℓ_r/∂z`:
/// the data gradients `∂L/∂W = (1/N) Σ_r a_prev[r]ᵀ δ[r]`, `∂L/∂b = (1/N) Σ_r δ[r]`,
/// and for `l > 0` the error sent back, `∂ℓ_r/∂a_prev = δ[r] Wᵀ`,
/// `∂ℓ_r/∂z_prev = ∂ℓ_r/∂a_prev ⊙ σ'(z_prev)`.
pub fn backward_layer(net: &Network, ws: &mut Workspace, l: usize) {
    let layer = &net.layers[l];
    let (d, u, n) = (layer.inputs(), layer.units(), ws.n);
    let w = layer.w.as_slice().expect("standard layout");
    let inv_n = 1.0 / n as f64;
    let mut gw = std::mem::take(&mut ws.gw[l]);
    let mut gb = std::mem::take(&mut ws.gb[l]);
    {
        let input: &[f64] = if l == 0 { &ws.x } else { &ws.a[l - 1] };
        param_grads(&input[..n * d], d, &ws.dz[l][..n * u], inv_n, &mut gw[..d * u], &mut gb[..u]);
    }
    ws.gw[l] = gw;
    ws.gb[l] = gb;
    if l > 0 {
        let prev = &net.layers[l - 1];
        let mut da = std::mem::take(&mut ws.da[l - 1]);
        let mut dzp = std::mem::take(&mut ws.dz[l - 1]);
        {
            let rows = ..n * d;
            back_error(&ws.dz[l][..n * u], w, d, u, &mut da[rows]);
            prev.activation.chain_rule_row(&ws.z[l - 1][rows], &ws.a[l - 1][rows], &da[rows], &mut dzp[rows]);
        }
        ws.da[l - 1] = da;
        ws.dz[l - 1] = dzp;
    }
}

/// `∂L/∂W[i, j] = (1/N) Σ_r x[r, i] δ[r, j]` and `∂L/∂b_j = (1/N) Σ_r δ[r, j]` for the rows
/// of `x` (`[n, d]`) and `δ` (`[n, u]`). The columns go in blocks of 8, 4, 2 and 1 whose
/// sums stay in registers, two rows of `∂L/∂W` at a time (each `δ` is loaded once for both).
#[inline(never)] // a call per layer; kept out of the callers, which stay small
fn param_grads(x: &[f64], d: usize, dz: &[f64], inv_n: f64, gw: &mut [f64], gb: &mut [f64]) {
    let u = gb.len();
    let mut j = 0;
    while j < u {
        j += match u - j {
            8.. => grad_cols::<8>(x, d, dz, inv_n, gw, gb, j),
            4..=7 => grad_cols::<4>(x, d, dz, inv_n, gw, gb, j),
            2..=3 => grad_cols::<2>(x, d, dz, inv_n, gw, gb, j),
            _ => grad_cols::<1>(x, d, dz, inv_n, gw, gb, j),
        };
    }
}

/// [`param_grads`] for the columns `j..j + B`; returns `B`.
#[inline(always)]
fn grad_cols<const B: usize>(
    x: &[f64],
    d: usize,
    dz: &[f64],
    inv_n: f64,
    gw: &mut [f64],
    gb: &mut [f64],
    j: usize,
) -> usize {
    let u = gb.len();
    let gb: &mut [f64; B] = (&mut gb[j..j + B]).try_into().expect("B biases");
    let rows = dz.chunks_exact(u).map(move |r| <&[f64; B]>::try_from(&r[j..j + B]).expect("B deltas"));
    grad_block(x, d, rows, inv_n, gw, gb, u, j);
    B
}

/// [`param_grads`] for one block of columns, given the block's part of each row of `δ`.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn grad_block<'a, const B: usize>(
    x: &[f64],
    d: usize,
    dz: impl Iterator<Item = &'a [f64; B]> + Clone,
    inv_n: f64,
    gw: &mut [f64],
    gb: &mut [f64; B],
    u: usize,
    j: usize,
) {
    let mut acc = [0.0f64; B];
    for dr in dz.clone() {
        for k in 0..B {
            acc[k] += dr[k];
        }
    }
    for k in 0..B {
        gb[k] = acc[k] * inv_n;
    }
    let mut i = 0;
    let mut gs = gw.chunks_exact_mut(2 * u);
    for g2 in &mut gs {
        let (mut a0, mut a1) = ([0.0f64; B], [0.0f64; B]);
        for (xr, dr) in x.chunks_exact(d).zip(dz.clone()) {
            let (v0, v1) = (xr[i], xr[i + 1]);
            for k in 0..B {
                a0[k] += v0 * dr[k];
                a1[k] += v1 * dr[k];
            }
        }
        let (g0, g1) = g2.split_at_mut(u);
        for k in 0..B {
            g0[j + k] = a0[k] * inv_n;
            g1[j + k] = a1[k] * inv_n;
        }
        i += 2;
    }
    if let Some(g0) = gs.into_remainder().get_mut(..u) {
        let mut a0 = [0.0f64; B];
        for (xr, dr) in x.chunks_exact(d).zip(dz) {
            let v0 = xr[i];
            for k in 0..B {
                a0[k] += v0 * dr[k];
            }
        }
        for k in 0..B {
            g0[j + k] = a0[k] * inv_n;
        }
    }
}

/// `∂ℓ_r/∂a_prev[i] = Σ_j W[i, j] δ[r, j]` (`δ Wᵀ`) for every row of `δ` (`[n, u]`; `W` is
/// `[d, u]`): a kernel for widths 1, 2, 4 and 8 that keeps two rows of `δ` in registers (the
/// common layer sizes; other widths take the general loop, which keeps the bundle smaller).
#[inline(never)] // a call per layer; kept out of the callers, which stay small
fn back_error(dz: &[f64], w: &[f64], d: usize, u: usize, da: &mut [f64]) {
    match u {
        1 => back_error_n::<1>(dz, w, d, da),
        2 => back_error_n::<2>(dz, w, d, da),
        4 => back_error_n::<4>(dz, w, d, da),
        8 => back_error_n::<8>(dz, w, d, da),
        _ => {
            for (dr, ar) in dz.chunks_exact(u).zip(da.chunks_exact_mut(d)) {
                for (ai, wr) in ar.iter_mut().zip(w.chunks_exact(u)) {
                    *ai = dot(wr, dr);
                }
            }
        }
    }
}

/// [`back_error`] for `U` units.
#[inline(always)]
fn back_error_n<const U: usize>(dz: &[f64], w: &[f64], d: usize, da: &mut [f64]) {
    let w = w.as_chunks::<U>().0;
    let mut dzs = dz.chunks_exact(2 * U);
    let mut das = da.chunks_exact_mut(2 * d);
    for (dz2, da2) in (&mut dzs).zip(&mut das) {
        let (d0, d1) = dz2.split_at(U);
        let (d0, d1): (&[f64; U], &[f64; U]) = (d0.try_into().expect("U deltas"), d1.try_into().expect("U deltas"));
        let (da0, da1) = da2.split_at_mut(d);
        for ((o0, o1), wr) in da0.iter_mut().zip(da1).zip(w) {
            *o0 = dot_n(wr, d0);
            *o1 = dot_n(wr, d1);
        }
    }
    if let (Some(d0), Some(da0)) = (dzs.remainder().first_chunk::<U>(), das.into_remainder().get_mut(..d)) {
        for (o0, wr) in da0.iter_mut().zip(w) {
            *o0 = dot_n(wr, d0);
        }
    }
}

/// `Σ_k a_k b_k` for `U` values, with two partial sums (even and odd `k`: one SIMD pair).
#[inline(always)]
fn dot_n<const U: usize>(a: &[f64; U], b: &[f64; U]) -> f64 {
    if U == 1 {
        return a[0] * b[0];
    }
    let mut s = [a[0] * b[0], a[1] * b[1]];
    let mut k = 2;
    while k + 1 < U {
        s[0] += a[k] * b[k];
        s[1] += a[k + 1] * b[k + 1];
        k += 2;
    }
    if k < U {
        s[0] += a[k] * b[k];
    }
    s[0] + s[1]
}

/// `Σ_k a_k b_k` with four partial sums (independent additions pipeline well).
#[inline]
fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut s = [0.0f64; 4];
    let (ac, bc) = (a.chunks_exact(4), b.chunks_exact(4));
    let (ar, br) = (ac.remainder(), bc.remainder());
    for (x, y) in ac.zip(bc) {
        for k in 0..4 {
            s[k] += x[k] * y[k];
        }
    }
    let mut tail = 0.0;
    for (x, y) in ar.iter().zip(br) {
        tail += x * y;
    }
    (s[0] + s[1]) + (s[2] + s[3]) + tail
}

/// Adds the regularization gradient (`λw` or `λ·sign w`) to layer `l`'s weight gradient.
pub fn add_regularization(net: &Network, ws: &mut Workspace, l: usize, reg: &Regularization) {
    reg.add_grad(net.layers[l].w.as_slice().expect("standard layout"), &mut ws.gw[l]);
}

/// Full backward pass after [`loss_phase`], including regularization.
pub fn backward(net: &Network, ws: &mut Workspace, reg: &Regularization) {
    for l in (0..net.layers.len()).rev() {
        backward_layer(net, ws, l);
        add_regularization(net, ws, l, reg);
    }
}

/// Whether an output row counts as a correct classification of the target row:
/// one output → `(a ≥ 0.5) = (y ≥ 0.5)`; several → `argmax a = argmax y`.
pub fn is_correct(a: &[f64], y: &[f64]) -> bool {
    if a.len() == 1 {
        (a[0] >= 0.5) == (y[0] >= 0.5)
    } else {
        argmax(a) == argmax(y)
    }
}

/// Index of the largest value (first on ties).
pub fn argmax(v: &[f64]) -> usize {
    let mut best = 0;
    for (i, &x) in v.iter().enumerate() {
        if x > v[best] {
            best = i;
        }
    }
    best
}

/// Mean loss and accuracy of `net` on `(x, y)`; the loss excludes any penalty.
pub fn evaluate(net: &Network, ws: &mut Workspace, x: &Array2<f64>, y: &Array2<f64>, loss: Loss) -> (f64, f64) {
    let rows = x.nrows();
    if rows == 0 {
        return (f64::NAN, f64::NAN);
    }
    let chunk = ws.cap.max(1);
    let k = net.outputs();
    let last = net.layers.len() - 1;
    let (mut total, mut correct) = (0.0, 0usize);
    let mut idx = Vec::with_capacity(chunk);
    for start in (0..rows).step_by(chunk) {
        idx.clear();
        idx.extend(start..(start + chunk).min(rows));
        ws.load_rows(x, y, &idx);
        forward(net, ws);
        for r in 0..ws.n {
            let rr = r * k..(r + 1) * k;
            total += loss.sample_loss(&ws.z[last][rr.clone()], &ws.a[last][rr.clone()], &ws.y[rr.clone()]);
            correct += is_correct(&ws.a[last][rr.clone()], &ws.y[rr]) as usize;
        }
    }
    (total / rows as f64, correct as f64 / rows as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * (1.0 + b.abs())
    }

    /// The blocked kernels against the formulas written out, for every width up to 17
    /// (all column blocks and remainders) and output widths 1 to 12, odd and even batch sizes.
    #[test]
    fn kernels_match_the_formulas_for_all_widths() {
        let mut rng = Rng::new(7);
        for d in [1, 2, 3, 5, 7, 8, 9, 16] {
            for u in 1..=17 {
                for n in [1, 2, 3, 10] {
                    let k = u % 12 + 1;
                    let spec = NetworkSpec::mlp(d, &[u], Activation::Tanh, k, Activation::Linear);
                    let mut params = Vec::new();
                    let mut fan_in = d;
                    for units in [u, k] {
                        let w = Array2::from_shape_fn((fan_in, units), |_| rng.uniform(-1.0, 1.0));
                        let b = Array1::from_shape_fn(units, |_| rng.uniform(-1.0, 1.0));
                        params.push((w, b));
                        fan_in = units;
                    }
                    let net = Network::from_params(&spec, params).unwrap();
                    let mut ws = Workspace::new(&net, n);
                    ws.n = n;
                    ws.x.iter_mut().for_each(|v| *v = rng.uniform(-2.0, 2.0));
                    forward(&net, &mut ws);
                    ws.dz[1].iter_mut().for_each(|v| *v = rng.uniform(-1.0, 1.0));
                    backward_layer(&net, &mut ws, 1);
                    backward_layer(&net, &mut ws, 0);
                    for l in 0..2 {
                        let layer = &net.layers[l];
                        let (di, ui) = (layer.inputs(), layer.units());
                        let x = if l == 0 { &ws.x } else { &ws.a[0] };
                        for r in 0..n {
                            for j in 0..ui {
                                let z: f64 = layer.b[j] + (0..di).map(|i| x[r * di + i] * layer.w[[i, j]]).sum::<f64>();
                                assert!(close(ws.z[l][r * ui + j], z), "z, d={d} u={u} n={n} l={l}");
                                assert_eq!(ws.a[l][r * ui + j], layer.activation.apply(ws.z[l][r * ui + j]));
                            }
                        }
                        for j in 0..ui {
                            let gb = (0..n).map(|r| ws.dz[l][r * ui + j]).sum::<f64>() / n as f64;
                            assert!(close(ws.gb[l][j], gb), "gb, d={d} u={u} n={n} l={l}");
                            for i in 0..di {
                                let gw = (0..n).map(|r| x[r * di + i] * ws.dz[l][r * ui + j]).sum::<f64>() / n as f64;
                                assert!(close(ws.gw[l][i * ui + j], gw), "gw, d={d} u={u} n={n} l={l}");
                            }
                        }
                    }
                    let w = &net.layers[1].w;
                    for r in 0..n {
                        for i in 0..u {
                            let da: f64 = (0..k).map(|j| w[[i, j]] * ws.dz[1][r * k + j]).sum();
                            assert!(close(ws.da[0][r * u + i], da), "da, d={d} u={u} k={k} n={n}");
                            let a = ws.a[0][r * u + i];
                            assert_eq!(ws.dz[0][r * u + i], ws.da[0][r * u + i] * (1.0 - a * a));
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn all_finite_finds_every_bad_value() {
        let mut v = vec![1.5; 11];
        assert!(all_finite(&v));
        assert!(all_finite(&[]));
        for i in 0..v.len() {
            for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
                v[i] = bad;
                assert!(!all_finite(&v));
                v[i] = f64::MAX;
                assert!(all_finite(&v));
            }
        }
    }
}
