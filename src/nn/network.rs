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
        self.layers.iter().all(|l| l.w.iter().chain(l.b.iter()).all(|v| v.is_finite()))
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
        for r in 0..n {
            let x = &input[r * d..(r + 1) * d];
            let zr = &mut z[r * u..(r + 1) * u];
            affine_row(x, w, b, zr);
            layer.activation.apply_row(zr, &mut a[r * u..(r + 1) * u]);
        }
    }
    ws.z[l] = z;
    ws.a[l] = a;
}

/// `z_j = b_j + Σ_i x_i W[i, j]` for one row, four outputs at a time held in registers.
#[inline]
fn affine_row(x: &[f64], w: &[f64], b: &[f64], z: &mut [f64]) {
    let u = z.len();
    let full = u - u % 4;
    for j in (0..full).step_by(4) {
        let mut acc = [b[j], b[j + 1], b[j + 2], b[j + 3]];
        for (i, &xi) in x.iter().enumerate() {
            let wr: &[f64; 4] = w[i * u + j..i * u + j + 4].try_into().expect("four weights");
            for k in 0..4 {
                acc[k] += xi * wr[k];
            }
        }
        z[j..j + 4].copy_from_slice(&acc);
    }
    for j in full..u {
        let mut acc = b[j];
        for (i, &xi) in x.iter().enumerate() {
            acc += xi * w[i * u + j];
        }
        z[j] = acc;
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
        let dz = &ws.dz[l];
        let full = u - u % 4;
        for i in 0..d {
            for j in (0..full).step_by(4) {
                let mut acc = [0.0f64; 4];
                for r in 0..n {
                    let xi = input[r * d + i];
                    let dzr: &[f64; 4] = dz[r * u + j..r * u + j + 4].try_into().expect("four deltas");
                    for k in 0..4 {
                        acc[k] += xi * dzr[k];
                    }
                }
                for k in 0..4 {
                    gw[i * u + j + k] = acc[k] * inv_n;
                }
            }
            for j in full..u {
                let mut acc = 0.0;
                for r in 0..n {
                    acc += input[r * d + i] * dz[r * u + j];
                }
                gw[i * u + j] = acc * inv_n;
            }
        }
        for (j, g) in gb.iter_mut().enumerate() {
            let mut acc = 0.0;
            for r in 0..n {
                acc += dz[r * u + j];
            }
            *g = acc * inv_n;
        }
    }
    ws.gw[l] = gw;
    ws.gb[l] = gb;
    if l > 0 {
        let prev = &net.layers[l - 1];
        let mut da = std::mem::take(&mut ws.da[l - 1]);
        let mut dzp = std::mem::take(&mut ws.dz[l - 1]);
        let dz = &ws.dz[l];
        for r in 0..n {
            let dzr = &dz[r * u..(r + 1) * u];
            let row = r * d..(r + 1) * d;
            for (i, dai) in da[row.clone()].iter_mut().enumerate() {
                *dai = dot(&w[i * u..(i + 1) * u], dzr);
            }
            dzp[row.clone()].copy_from_slice(&da[row.clone()]);
            prev.activation.mul_derivative_row(&ws.z[l - 1][row.clone()], &ws.a[l - 1][row.clone()], &mut dzp[row]);
        }
        ws.da[l - 1] = da;
        ws.dz[l - 1] = dzp;
    }
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
