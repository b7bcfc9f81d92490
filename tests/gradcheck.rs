//! Finite-difference gradient checks of the whole engine.
//!
//! For every hidden activation × every valid (loss, output) pairing × {no penalty, L2, L1},
//! on a net with three hidden layers and a batch of six samples, the engine's batch
//! gradients (`Workspace::gw/gb` after forward → loss_phase → backward, and the Trainer's
//! trace `dw`/`db`) must match central differences of
//! `mean loss + penalty` (L2: `½λΣw²`, L1: `λΣ|w|`, weights only), computed by an
//! independent scalar implementation written here, to a relative error ≤ 1e-6.

use gradlab::nn::network::{self, Workspace};
use gradlab::nn::regularization::RegKind;
use gradlab::nn::{Activation, Loss, Network, NetworkSpec, OptimizerConfig, Regularization, Rng, Schedule};
use gradlab::train::{Phase, TrainConfig, TrainData, Trainer};
use ndarray::{Array1, Array2};

const H: f64 = 1e-5;
const TOL: f64 = 1e-6;
const INPUTS: usize = 3;
const HIDDEN: [usize; 3] = [5, 4, 4];
const SAMPLES: usize = 6;

/// The valid (loss, output activation, outputs) pairings.
const PAIRINGS: [(Loss, Activation, usize); 5] = [
    (Loss::Mse, Activation::Linear, 2),
    (Loss::Mse, Activation::Sigmoid, 2),
    (Loss::Mse, Activation::Tanh, 2),
    (Loss::BinaryCrossEntropy, Activation::Sigmoid, 2),
    (Loss::SoftmaxCrossEntropy, Activation::Softmax, 3),
];

fn regs() -> [Regularization; 3] {
    [
        Regularization::NONE,
        Regularization { kind: RegKind::L2, rate: 0.03 },
        Regularization { kind: RegKind::L1, rate: 0.02 },
    ]
}

// ----- an independent reference implementation ---------------------------------------

fn act(a: Activation, z: f64) -> f64 {
    match a {
        Activation::Linear => z,
        Activation::Sigmoid => 1.0 / (1.0 + (-z).exp()),
        Activation::Tanh => z.tanh(),
        Activation::Relu => z.max(0.0),
        Activation::LeakyRelu => {
            if z > 0.0 {
                z
            } else {
                0.01 * z
            }
        }
        Activation::Softmax => unreachable!("row-wise"),
    }
}

/// Pre-activations of every layer for one sample, from flat parameters
/// (`W₀` row-major `[inputs, units]`, `b₀`, `W₁`, `b₁`, …).
fn ref_forward(spec: &NetworkSpec, p: &[f64], x: &[f64]) -> Vec<Vec<f64>> {
    let mut zs = Vec::new();
    let mut input = x.to_vec();
    let mut at = 0;
    for layer in &spec.layers {
        let (d, u) = (input.len(), layer.units);
        let w = &p[at..at + d * u];
        let b = &p[at + d * u..at + d * u + u];
        at += d * u + u;
        let z: Vec<f64> = (0..u).map(|j| b[j] + (0..d).map(|i| input[i] * w[i * u + j]).sum::<f64>()).collect();
        input = if layer.activation == Activation::Softmax {
            let m = z.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
            let e: Vec<f64> = z.iter().map(|v| (v - m).exp()).collect();
            let s: f64 = e.iter().sum();
            e.iter().map(|v| v / s).collect()
        } else {
            z.iter().map(|&v| act(layer.activation, v)).collect()
        };
        zs.push(z);
    }
    assert_eq!(at, p.len());
    zs
}

fn ref_sample_loss(loss: Loss, out: Activation, z: &[f64], y: &[f64]) -> f64 {
    let k = z.len() as f64;
    match loss {
        Loss::Mse => z.iter().zip(y).map(|(&zi, &yi)| (act(out, zi) - yi).powi(2)).sum::<f64>() / k,
        Loss::BinaryCrossEntropy => {
            z.iter()
                .zip(y)
                .map(|(&zi, &yi)| {
                    let p = 1.0 / (1.0 + (-zi).exp());
                    -(yi * p.ln() + (1.0 - yi) * (1.0 - p).ln())
                })
                .sum::<f64>()
                / k
        }
        Loss::SoftmaxCrossEntropy => {
            let m = z.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
            let lse = m + z.iter().map(|v| (v - m).exp()).sum::<f64>().ln();
            z.iter().zip(y).map(|(&zi, &yi)| -yi * (zi - lse)).sum()
        }
    }
}

/// Which flat coordinates are weights (the penalty applies to them only).
fn weight_mask(spec: &NetworkSpec) -> Vec<bool> {
    let mut mask = Vec::new();
    let mut d = spec.inputs;
    for l in &spec.layers {
        mask.extend(std::iter::repeat_n(true, d * l.units));
        mask.extend(std::iter::repeat_n(false, l.units));
        d = l.units;
    }
    mask
}

/// `(1/N) Σ_r ℓ_r + penalty`.
fn ref_objective(
    spec: &NetworkSpec,
    p: &[f64],
    x: &Array2<f64>,
    y: &Array2<f64>,
    loss: Loss,
    reg: &Regularization,
) -> f64 {
    let out = spec.layers.last().unwrap().activation;
    let n = x.nrows();
    let data: f64 = (0..n)
        .map(|r| {
            let zs = ref_forward(spec, p, x.row(r).as_slice().unwrap());
            ref_sample_loss(loss, out, zs.last().unwrap(), y.row(r).as_slice().unwrap())
        })
        .sum::<f64>()
        / n as f64;
    let mask = weight_mask(spec);
    let penalty = match reg.kind {
        RegKind::None => 0.0,
        RegKind::L2 => 0.5 * reg.rate * p.iter().zip(&mask).filter(|(_, &m)| m).map(|(w, _)| w * w).sum::<f64>(),
        RegKind::L1 => reg.rate * p.iter().zip(&mask).filter(|(_, &m)| m).map(|(w, _)| w.abs()).sum::<f64>(),
    };
    data + penalty
}

/// Central differences `(f(θ + h) − f(θ − h)) / 2h` with `h = 1e-5`.
fn central_diff(f: &mut dyn FnMut(&[f64]) -> f64, p: &[f64]) -> Vec<f64> {
    stencil(f, p, H, &[(1.0, 1.0), (-1.0, -1.0)], 2.0)
}

/// The fourth-order five-point stencil
/// `(f(θ − 2h) − 8f(θ − h) + 8f(θ + h) − f(θ + 2h)) / 12h` with `h = 1e-3`: its truncation
/// error is `O(h⁴)` and its round-off `≈ ε|L|/h` is 100× smaller than the central
/// difference's, so it resolves relative errors of 1e-6 down to gradients of ~1e-7.
fn five_point(f: &mut dyn FnMut(&[f64]) -> f64, p: &[f64]) -> Vec<f64> {
    stencil(f, p, 1e-3, &[(-2.0, 1.0), (-1.0, -8.0), (1.0, 8.0), (2.0, -1.0)], 12.0)
}

fn stencil(f: &mut dyn FnMut(&[f64]) -> f64, p: &[f64], h: f64, taps: &[(f64, f64)], denom: f64) -> Vec<f64> {
    let mut q = p.to_vec();
    (0..p.len())
        .map(|i| {
            let mut s = 0.0;
            for &(k, c) in taps {
                q[i] = p[i] + k * h;
                s += c * f(&q);
            }
            q[i] = p[i];
            s / (denom * h)
        })
        .collect()
}

/// `|a − n| / max(|a| + |n|, floor)`.
fn rel_err(a: f64, n: f64, floor: f64) -> f64 {
    (a - n).abs() / (a.abs() + n.abs()).max(floor)
}

/// Largest relative error and its coordinate.
fn max_rel_err(analytic: &[f64], numeric: &[f64], floor: f64) -> (f64, usize) {
    assert_eq!(analytic.len(), numeric.len());
    let mut worst = (0.0, 0);
    for (i, (&a, &n)) in analytic.iter().zip(numeric).enumerate() {
        assert!(a.is_finite() && n.is_finite(), "non-finite gradient at {i}: {a} vs {n}");
        let e = rel_err(a, n, floor);
        if e > worst.0 {
            worst = (e, i);
        }
    }
    worst
}

/// Compares `analytic` with two finite-difference estimates and returns the worse
/// `(relative error, coordinate, numeric value)`:
/// - central differences with `h = 1e-5`; their round-off is ≈ 2e-11·|L|, so below
///   |g| ≈ 1e-4 a relative error of 1e-6 cannot be resolved: the floor of the
///   denominator is 1e-4, i.e. tiny gradients must agree to ≤ 1e-10 absolutely;
/// - the five-point stencil with `h = 1e-3` (≈ 100× less round-off) and the floor 1e-7.
fn check(analytic: &[f64], f: &mut dyn FnMut(&[f64]) -> f64, p: &[f64]) -> (f64, usize, f64) {
    let c = central_diff(f, p);
    let v = five_point(f, p);
    let (e1, i1) = max_rel_err(analytic, &c, 1e-4);
    let (e2, i2) = max_rel_err(analytic, &v, 1e-7);
    if e1 >= e2 {
        (e1, i1, c[i1])
    } else {
        (e2, i2, v[i2])
    }
}

// ----- problem setup -------------------------------------------------------------------

struct Problem {
    spec: NetworkSpec,
    params: Vec<f64>,
    x: Array2<f64>,
    y: Array2<f64>,
}

fn targets(loss: Loss, out: Activation, k: usize, rng: &mut Rng) -> Array2<f64> {
    let mut y = Array2::zeros((SAMPLES, k));
    for r in 0..SAMPLES {
        match (loss, out) {
            (Loss::SoftmaxCrossEntropy, _) => y[[r, r % k]] = 1.0,
            (Loss::BinaryCrossEntropy, _) => {
                for c in 0..k {
                    y[[r, c]] = ((r + c) % 2) as f64;
                }
            }
            (_, Activation::Linear) => y.row_mut(r).iter_mut().for_each(|v| *v = rng.uniform(-1.5, 1.5)),
            (_, Activation::Sigmoid) => y.row_mut(r).iter_mut().for_each(|v| *v = rng.uniform(0.05, 0.95)),
            _ => y.row_mut(r).iter_mut().for_each(|v| *v = rng.uniform(-0.9, 0.9)),
        }
    }
    y
}

/// A problem whose hidden pre-activations all stay ≥ 1e-2 away from 0 (the kinks of
/// relu / leaky relu) and whose weights are ≥ 0.15 away from 0 (the kink of L1):
/// a step of `H` moves any `z` by far less than that.
fn problem(hidden_act: Activation, loss: Loss, out: Activation, k: usize, seed: u64) -> Problem {
    let spec = NetworkSpec::mlp(INPUTS, &HIDDEN, hidden_act, k, out);
    let mask = weight_mask(&spec);
    for attempt in 0..10_000u64 {
        let mut rng = Rng::new(seed * 100_000 + attempt);
        let params: Vec<f64> = mask
            .iter()
            .map(|&is_w| {
                if is_w {
                    let m = rng.uniform(0.15, 0.9);
                    if rng.next_f64() < 0.5 {
                        -m
                    } else {
                        m
                    }
                } else {
                    rng.uniform(-0.4, 0.4)
                }
            })
            .collect();
        let x = Array2::from_shape_fn((SAMPLES, INPUTS), |_| rng.uniform(-1.5, 1.5));
        let y = targets(loss, out, k, &mut rng);
        let min_hidden_z = (0..SAMPLES)
            .flat_map(|r| {
                let zs = ref_forward(&spec, &params, x.row(r).as_slice().unwrap());
                zs[..HIDDEN.len()].iter().flatten().map(|z| z.abs()).collect::<Vec<_>>()
            })
            .fold(f64::INFINITY, f64::min);
        if min_hidden_z >= 1e-2 {
            return Problem { spec, params, x, y };
        }
    }
    panic!("no kink-free problem found");
}

fn network_of(spec: &NetworkSpec, flat: &[f64]) -> Network {
    let mut params = Vec::new();
    let mut at = 0;
    let mut d = spec.inputs;
    for l in &spec.layers {
        let w = Array2::from_shape_vec((d, l.units), flat[at..at + d * l.units].to_vec()).unwrap();
        at += d * l.units;
        let b = Array1::from(flat[at..at + l.units].to_vec());
        at += l.units;
        params.push((w, b));
        d = l.units;
    }
    let net = Network::from_params(spec, params).unwrap();
    assert_eq!(net.flat_params(), flat, "flat order is W₀, b₀, W₁, b₁, …");
    net
}

/// The engine's batch gradient (flat), its loss and the hidden `z`s, via the workspace kernels.
fn engine_grad(p: &Problem, loss: Loss, reg: &Regularization) -> (Vec<f64>, f64) {
    let net = network_of(&p.spec, &p.params);
    let mut ws = Workspace::new(&net, SAMPLES);
    let idx: Vec<usize> = (0..SAMPLES).collect();
    ws.load_rows(&p.x, &p.y, &idx);
    network::forward(&net, &mut ws);
    let l = network::loss_phase(&net, &mut ws, loss);
    network::backward(&net, &mut ws, reg);
    let mut g = Vec::new();
    for (gw, gb) in ws.gw.iter().zip(&ws.gb) {
        g.extend_from_slice(gw);
        g.extend_from_slice(gb);
    }
    (g, l)
}

fn penalty(spec: &NetworkSpec, p: &[f64], reg: &Regularization) -> f64 {
    let mask = weight_mask(spec);
    let w: Vec<f64> = p.iter().zip(&mask).filter(|(_, &m)| m).map(|(v, _)| *v).collect();
    reg.penalty(&w)
}

// ----- the checks ----------------------------------------------------------------------

#[test]
fn workspace_gradients_match_finite_differences_for_every_combination() {
    let mut combos = 0;
    let mut worst = (0.0f64, String::new());
    for (hi, &hidden) in Activation::HIDDEN.iter().enumerate() {
        for (pi, &(loss, out, k)) in PAIRINGS.iter().enumerate() {
            for reg in regs() {
                let p = problem(hidden, loss, out, k, (hi * 10 + pi) as u64 + 1);
                let (analytic, engine_loss) = engine_grad(&p, loss, &reg);
                let what = format!("{hidden:?} hidden, {loss:?}/{out:?}, {reg:?}");

                // The engine's forward + loss agrees with the reference objective.
                let reference = ref_objective(&p.spec, &p.params, &p.x, &p.y, loss, &reg);
                let total = engine_loss + penalty(&p.spec, &p.params, &reg);
                assert!(
                    (total - reference).abs() <= 1e-12 * reference.abs().max(1.0),
                    "{what}: loss {total} vs {reference}"
                );

                let f = &mut |q: &[f64]| ref_objective(&p.spec, q, &p.x, &p.y, loss, &reg);
                let (err, i, n) = check(&analytic, f, &p.params);
                assert!(err <= TOL, "{what}: coordinate {i}: engine {} vs numeric {n} (rel err {err:e})", analytic[i]);
                if err > worst.0 {
                    worst = (err, what.clone());
                }

                // Not vacuous: the gradient is substantially non-zero.
                let nonzero = analytic.iter().filter(|g| g.abs() > 1e-6).count();
                let min_nonzero = if hidden == Activation::Relu { analytic.len() / 3 } else { analytic.len() * 9 / 10 };
                assert!(nonzero >= min_nonzero, "{what}: only {nonzero}/{} non-zero gradients", analytic.len());
                assert!(analytic.iter().any(|g| g.abs() > 1e-3), "{what}: gradient is tiny");
                combos += 1;
            }
        }
    }
    assert_eq!(combos, 5 * 5 * 3);
    eprintln!("worst relative error {:e} ({})", worst.0, worst.1);
}

#[test]
fn trainer_trace_gradients_match_finite_differences() {
    for (hi, &hidden) in Activation::HIDDEN.iter().enumerate() {
        for (pi, &(loss, out, k)) in PAIRINGS.iter().enumerate() {
            for reg in regs() {
                let p = problem(hidden, loss, out, k, (hi * 10 + pi) as u64 + 77);
                let net = network_of(&p.spec, &p.params);
                let config = TrainConfig {
                    loss,
                    optimizer: OptimizerConfig::Sgd(Default::default()),
                    schedule: Schedule::Constant,
                    regularization: reg,
                    batch_size: SAMPLES,
                    shuffle: false,
                    seed: 1,
                };
                let mut t = Trainer::new(net, config, TrainData::train_only(p.x.clone(), p.y.clone())).unwrap();
                t.set_tracing(true);
                let layers = p.spec.layers.len();
                // Forward, loss and backward phases; stop before the update.
                for _ in 0..Phase::count(layers) - 1 {
                    t.next_phase();
                }
                assert_eq!(t.next_phase_kind(), Phase::Update);
                let tr = t.trace();
                let mut analytic = Vec::new();
                for lt in &tr.layers {
                    analytic.extend(lt.dw.as_ref().expect("dw traced").iter());
                    analytic.extend(lt.db.as_ref().expect("db traced").iter());
                }
                let what = format!("trainer: {hidden:?} hidden, {loss:?}/{out:?}, {reg:?}");
                let f = &mut |q: &[f64]| ref_objective(&p.spec, q, &p.x, &p.y, loss, &reg);
                let (err, i, n) = check(&analytic, f, &p.params);
                assert!(err <= TOL, "{what}: coordinate {i}: trace {} vs numeric {n} (rel err {err:e})", analytic[i]);

                // The trainer's loss-at-parameters (data loss, no penalty) is the same objective.
                let data_only = ref_objective(&p.spec, &p.params, &p.x, &p.y, loss, &Regularization::NONE);
                assert!((tr.loss.unwrap() - data_only).abs() <= 1e-12 * data_only.abs().max(1.0), "{what}");
                assert!((t.loss_at(&p.params) - data_only).abs() <= 1e-12 * data_only.abs().max(1.0), "{what}");
            }
        }
    }
}

/// The checker itself can fail: it rejects gradients of the wrong objective.
#[test]
fn checker_detects_wrong_conventions() {
    let p = problem(Activation::Tanh, Loss::Mse, Activation::Linear, 2, 999);
    let (loss, mask) = (Loss::Mse, weight_mask(&p.spec));
    let l2 = Regularization { kind: RegKind::L2, rate: 0.03 };
    let l1 = Regularization { kind: RegKind::L1, rate: 0.03 };
    let data = |q: &[f64]| ref_objective(&p.spec, q, &p.x, &p.y, loss, &Regularization::NONE);
    let (with_l2, _) = engine_grad(&p, loss, &l2);
    let (with_l1, _) = engine_grad(&p, loss, &l1);
    let (plain, _) = engine_grad(&p, loss, &Regularization::NONE);
    let sq = |q: &[f64]| q.iter().zip(&mask).filter(|(_, &m)| m).map(|(w, _)| w * w).sum::<f64>();

    // The right objectives pass …
    assert!(check(&plain, &mut |q| data(q), &p.params).0 <= TOL);
    assert!(check(&with_l2, &mut |q| data(q) + 0.5 * l2.rate * sq(q), &p.params).0 <= TOL);
    // … the wrong ones fail: L2 as λΣw² (no ½), biases penalised, L1 vs L2 swapped,
    // a sum instead of a mean over the batch.
    assert!(check(&with_l2, &mut |q| data(q) + l2.rate * sq(q), &p.params).0 > 1e-3);
    assert!(
        check(&with_l2, &mut |q| data(q) + 0.5 * l2.rate * q.iter().map(|w| w * w).sum::<f64>(), &p.params).0 > 1e-3
    );
    assert!(check(&with_l1, &mut |q| data(q) + 0.5 * l1.rate * sq(q), &p.params).0 > 1e-3);
    assert!(check(&plain, &mut |q| SAMPLES as f64 * data(q), &p.params).0 > 1e-3);

    // A single coordinate off by one part in 10⁵ is caught.
    let mut bad = plain.clone();
    let i = bad.iter().position(|g| g.abs() > 1e-2).unwrap();
    bad[i] *= 1.0 + 1e-5;
    assert!(check(&bad, &mut |q| data(q), &p.params).0 > TOL);
}
