//! The phase stepper: phase-by-phase and whole steps agree bit for bit, the trace holds
//! the right numbers, going back restores exact states, runs are reproducible, epochs
//! and step units behave, settings change without resets, and divergence stops a run.

use gradlab::data::{Generator, GeneratorKind};
use gradlab::nn::network::{self, Workspace};
use gradlab::nn::optimizer::OptimizerKind;
use gradlab::nn::regularization::RegKind;
use gradlab::nn::{
    Activation, Init, Loss, Network, NetworkSpec, OptimizerConfig, OptimizerState, Regularization, Rng, Schedule,
};
use gradlab::train::{Experiment, Phase, StepTrace, StepUnit, TrainConfig, TrainData, Trainer};
use ndarray::Axis;

/// Training samples in the test data: 53 = 5 full batches of 10 and a partial batch of 3.
const N: usize = 53;
const BATCH: usize = 10;
const BATCHES_PER_EPOCH: u64 = 6;

fn circle_data(n: usize, seed: u64) -> TrainData {
    let d = Generator::new(GeneratorKind::Circle, n, 0.1, seed).generate().unwrap();
    TrainData::train_only(d.x, d.y)
}

fn lr_for(kind: OptimizerKind) -> f64 {
    match kind {
        OptimizerKind::Sgd => 0.3,
        OptimizerKind::Momentum | OptimizerKind::Nesterov => 0.05,
        OptimizerKind::Adagrad => 0.1,
        OptimizerKind::Rmsprop | OptimizerKind::Adam => 0.02,
    }
}

fn trainer_with(opt: OptimizerConfig, reg: Regularization, batch: usize, shuffle: bool, seed: u64) -> Trainer {
    let spec = NetworkSpec::mlp(2, &[5, 4], Activation::Tanh, 1, Activation::Sigmoid);
    let net = Network::new(&spec, &Init::Xavier, &mut Rng::new(seed)).unwrap();
    let config = TrainConfig {
        loss: Loss::BinaryCrossEntropy,
        optimizer: opt,
        schedule: Schedule::Constant,
        regularization: reg,
        batch_size: batch,
        shuffle,
        seed,
    };
    Trainer::new(net, config, circle_data(N, 4)).unwrap()
}

fn trainer(kind: OptimizerKind) -> Trainer {
    let reg = Regularization { kind: RegKind::L2, rate: 1e-3 };
    trainer_with(kind.preset(lr_for(kind)), reg, BATCH, true, 11)
}

fn bits(v: &[f64]) -> Vec<u64> {
    v.iter().map(|x| x.to_bits()).collect()
}

fn opt_bits(s: &OptimizerState) -> Vec<Vec<u64>> {
    let mut out = vec![vec![s.step]];
    for slot in &s.slots {
        for buf in [&slot.momentum, &slot.square, &slot.mean, &slot.max_square] {
            out.push(bits(buf));
        }
    }
    out
}

/// Everything that defines where a trainer is, compared bit for bit.
#[derive(Debug, PartialEq)]
struct State {
    params: Vec<u64>,
    opt: Vec<Vec<u64>>,
    updates: u64,
    epoch: u64,
    done: usize,
    batch: Vec<usize>,
}

fn state(t: &Trainer) -> State {
    State {
        params: bits(&t.net().flat_params()),
        opt: opt_bits(&t.optimizer().state),
        updates: t.updates(),
        epoch: t.epoch(),
        done: t.phases_done(),
        // Between steps `batch()` is the last step's batch (after going back, the batch
        // the next step will use again); it defines the state only during a step.
        batch: if t.phases_done() > 0 { t.batch().to_vec() } else { Vec::new() },
    }
}

fn phases(t: &Trainer) -> usize {
    Phase::count(t.net().layers.len())
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * a.abs().max(b.abs()).max(1.0)
}

// ----- (a) phase by phase = whole step -----------------------------------------------

#[test]
fn phase_stepping_is_bit_identical_to_whole_steps() {
    for kind in OptimizerKind::ALL {
        let mut phased = trainer(kind);
        phased.set_tracing(true);
        let mut whole = phased.clone();
        whole.set_tracing(false);
        let mut traced_whole = phased.clone();
        let layers = phased.net().layers.len();
        let mut sizes = Vec::new();
        for step in 0..20 {
            for i in 0..phases(&phased) {
                assert_eq!(phased.next_phase(), Phase::nth(layers, i), "{kind:?} step {step}");
            }
            whole.step();
            traced_whole.step();
            assert_eq!(state(&phased), state(&whole), "{kind:?}: phases vs step() at step {step}");
            assert_eq!(state(&traced_whole), state(&whole), "{kind:?}: tracing changed step() at step {step}");
            assert_eq!(phased.last_loss().to_bits(), whole.last_loss().to_bits());
            assert_eq!(bits(phased.grad_norms()), bits(whole.grad_norms()));
            assert_eq!(phased.trace(), traced_whole.trace());
            assert_eq!(phased.batch(), whole.batch());
            sizes.push(phased.batch().len());
        }
        // Shuffled mini-batches, including the partial last batch of each epoch.
        assert!(sizes.contains(&3) && sizes.contains(&BATCH), "{sizes:?}");
        assert_eq!(whole.epoch(), 3);
        assert_eq!(phased.optimizer().state.step, 20);
        assert!(whole.trace().update.is_none(), "no trace without tracing");
    }
}

// ----- (b) trace values ------------------------------------------------------------------

fn check_trace(kind: OptimizerKind, t: &Trainer, before: &Trainer, tr: &StepTrace) {
    let net = before.net();
    let reg = t.config().regularization;
    let n = tr.batch.len();
    let data = t.data();
    // The batch and its targets.
    assert_eq!(tr.batch, t.batch());
    assert_eq!(tr.y.as_ref().unwrap(), &data.train_y.select(Axis(0), &tr.batch));

    // An independent forward/backward pass on the parameters before the update.
    let mut ws = Workspace::new(net, n);
    ws.load_rows(&data.train_x, &data.train_y, &tr.batch);
    network::forward(net, &mut ws);
    let loss = network::loss_phase(net, &mut ws, t.config().loss);
    network::backward(net, &mut ws, &reg);
    assert_eq!(tr.loss.unwrap().to_bits(), loss.to_bits());
    let sl = tr.sample_loss.as_ref().unwrap();
    assert!(close(sl.iter().sum::<f64>() / n as f64, loss, 1e-14));

    for (l, lt) in tr.layers.iter().enumerate() {
        let layer = &net.layers[l];
        let (d, u) = (layer.inputs(), layer.units());
        let input = lt.input.as_ref().unwrap();
        let (z, a) = (lt.z.as_ref().unwrap(), lt.a.as_ref().unwrap());
        let (da, dz) = (lt.da.as_ref().unwrap(), lt.dz.as_ref().unwrap());
        let dw = lt.dw.as_ref().unwrap();
        let dw_data = lt.dw_data.as_ref().unwrap();
        let db = lt.db.as_ref().unwrap();
        let dws = lt.dw_samples.as_ref().unwrap();
        assert_eq!(dws.dim(), (n, d, u));
        // Same numbers as the independent pass.
        assert_eq!(bits(dw.as_slice().unwrap()), bits(&ws.gw[l]), "{kind:?} layer {l} dw");
        assert_eq!(bits(db.as_slice().unwrap()), bits(&ws.gb[l]), "{kind:?} layer {l} db");
        assert_eq!(bits(z.as_slice().unwrap()), bits(&ws.z[l][..n * u]));
        assert_eq!(bits(a.as_slice().unwrap()), bits(&ws.a[l][..n * u]));
        assert_eq!(bits(dz.as_slice().unwrap()), bits(&ws.dz[l][..n * u]));
        // The layer's input is x or the previous activations, and z = xW + b, a = σ(z).
        if l == 0 {
            assert_eq!(input, &data.train_x.select(Axis(0), &tr.batch));
        } else {
            assert_eq!(input, tr.layers[l - 1].a.as_ref().unwrap());
        }
        let expect_z = input.dot(&layer.w) + &layer.b;
        for (zv, ev) in z.iter().zip(expect_z.iter()) {
            assert!(close(*zv, *ev, 1e-14), "{kind:?} layer {l}: z {zv} vs {ev}");
        }
        for (r, row) in z.rows().into_iter().enumerate() {
            for (j, &zv) in row.iter().enumerate() {
                assert_eq!(a[[r, j]], layer.activation.apply(zv));
                // δ = ∂ℓ/∂a ⊙ σ'(z) on hidden layers.
                if l + 1 < tr.layers.len() {
                    assert!(close(dz[[r, j]], da[[r, j]] * layer.activation.derivative(zv, a[[r, j]]), 1e-15));
                }
            }
        }
        // dw = mean_r dw_samples[r] (= a_prev[r]ᵀ δ[r]) + regularization; db = mean_r δ[r].
        for i in 0..d {
            for j in 0..u {
                let mut s = 0.0;
                for r in 0..n {
                    assert_eq!(dws[[r, i, j]], input[[r, i]] * dz[[r, j]]);
                    s += dws[[r, i, j]];
                }
                let mean = s / n as f64;
                assert!(close(dw_data[[i, j]], mean, 1e-14), "{kind:?} dw_data");
                let w = layer.w[[i, j]];
                assert!(close(dw[[i, j]], mean + reg.grad(w), 1e-14), "{kind:?} dw = mean + λw");
                assert!(reg.grad(w) != 0.0, "the regularization term is exercised");
            }
        }
        for j in 0..u {
            let mean = (0..n).map(|r| dz[[r, j]]).sum::<f64>() / n as f64;
            assert!(close(db[j], mean, 1e-14), "{kind:?} db");
        }
    }

    // The update.
    let up = tr.update.as_ref().unwrap();
    let before_p = before.net().flat_params();
    let after_p = t.net().flat_params();
    assert_eq!(bits(&up.params_before), bits(&before_p));
    let delta: Vec<f64> = after_p.iter().zip(&before_p).map(|(a, b)| a - b).collect();
    assert_eq!(bits(&up.delta), bits(&delta));
    assert!(up.delta.iter().any(|&v| v != 0.0));
    assert_eq!(up.t, t.updates());
    assert_eq!(up.t, before.updates() + 1);
    assert_eq!(up.lr.to_bits(), before.current_lr().to_bits());
    assert_eq!(up.state_before, before.optimizer().state);
    assert_eq!(up.state_after, t.optimizer().state);
    match t.config().optimizer {
        OptimizerConfig::Adam(c) => {
            let (b1, b2) = up.bias_corrections.unwrap();
            assert!(close(b1, 1.0 - c.beta1.powi(up.t as i32), 1e-15));
            assert!(close(b2, 1.0 - c.beta2.powi(up.t as i32), 1e-15));
        }
        _ => assert!(up.bias_corrections.is_none()),
    }
    if kind == OptimizerKind::Sgd {
        // Plain SGD: Δθ = −α g, with g in optimizer order W₀, b₀, W₁, b₁, …
        let g: Vec<f64> = ws.gw.iter().zip(&ws.gb).flat_map(|(w, b)| w.iter().chain(b.iter()).copied()).collect();
        for (dv, gv) in up.delta.iter().zip(&g) {
            assert!((dv + up.lr * gv).abs() <= 1e-15 * (1.0 + before_p.iter().fold(0.0f64, |m, p| m.max(p.abs()))));
        }
    }
}

#[test]
fn trace_values_equal_an_independent_whole_step() {
    for kind in OptimizerKind::ALL {
        let mut t = trainer(kind);
        t.set_tracing(true);
        for _ in 0..8 {
            let before = t.clone();
            t.step();
            let tr = t.trace().clone();
            check_trace(kind, &t, &before, &tr);
        }
    }
}

// ----- (c) going back --------------------------------------------------------------------

#[test]
fn prev_phase_then_next_phase_reproduces_every_point() {
    for kind in OptimizerKind::ALL {
        let mut t = trainer(kind);
        t.set_tracing(true);
        t.run(4);
        let count = phases(&t);
        // Cover the step that ends the epoch (batch of 3) and the one after it.
        for _step in 0..4 {
            for _ in 0..count {
                t.next_phase();
                let (s, trace, loss) = (state(&t), t.trace().clone(), t.last_loss().to_bits());
                assert!(t.prev_phase(), "{kind:?}: nothing to go back to");
                let after_prev = state(&t);
                if s.done == 0 {
                    // Back across the update: the exact parameters before it, waiting for it.
                    assert_eq!(after_prev.updates, s.updates - 1);
                    assert_eq!(after_prev.done, count - 1);
                    assert_eq!(t.next_phase_kind(), Phase::Update);
                    assert_eq!(bits(&t.net().flat_params()), bits(&trace.update.as_ref().unwrap().params_before));
                    assert_eq!(&t.optimizer().state, &trace.update.as_ref().unwrap().state_before);
                    assert!(t.trace().update.is_none());
                } else {
                    assert_eq!(after_prev.done, s.done - 1);
                    assert_eq!(after_prev.params, s.params, "parameters change only in the update");
                }
                t.next_phase();
                assert_eq!(state(&t), s, "{kind:?}: prev/next at phase {}", s.done);
                assert_eq!(t.trace(), &trace);
                assert_eq!(t.last_loss().to_bits(), loss);
            }
        }
    }
}

#[test]
fn walking_back_phase_by_phase_over_several_steps_and_forward_again() {
    let mut t = trainer(OptimizerKind::Adam);
    t.set_tracing(true);
    t.run(3);
    // Record every point of three and a half steps.
    let mut points = vec![(state(&t), None)];
    for _ in 0..(3 * phases(&t) + phases(&t) / 2) {
        t.next_phase();
        let trace = (t.phases_done() > 0).then(|| t.trace().clone());
        points.push((state(&t), trace));
    }
    let end = points.len() - 1;
    // Back to the start, checking each point on the way.
    for i in (0..end).rev() {
        assert!(t.prev_phase());
        assert_eq!(state(&t), points[i].0, "walking back, point {i}");
        if let Some(trace) = &points[i].1 {
            assert_eq!(t.trace(), trace, "trace at point {i}");
        }
    }
    // And forward again to the end: the same points.
    for (i, (s, trace)) in points.iter().enumerate().skip(1) {
        t.next_phase();
        assert_eq!(&state(&t), s, "walking forward, point {i}");
        if let Some(trace) = trace {
            assert_eq!(t.trace(), trace);
        }
    }
}

#[test]
fn back_restores_the_state_before_each_update() {
    let mut t = trainer(OptimizerKind::Momentum);
    assert!(!t.back(), "nothing to go back to at the start");
    assert!(!t.prev_phase());
    let mut states = vec![state(&t)];
    for _ in 0..15 {
        t.step();
        states.push(state(&t));
    }
    let future = t.clone();
    for i in (10..15).rev() {
        assert!(t.back());
        assert_eq!(state(&t), states[i], "back to before update {}", i + 1);
    }
    // Stepping again replays the same batches and updates.
    for s in &states[11..] {
        t.step();
        assert_eq!(&state(&t), s);
    }
    assert_eq!(state(&t), state(&future));

    // back() during a step abandons it; the next step is the one that was abandoned.
    let reference = {
        let mut r = t.clone();
        r.step();
        state(&r)
    };
    let before = state(&t);
    for _ in 0..3 {
        t.next_phase();
    }
    assert!(t.back());
    assert_eq!(state(&t), before);
    assert!(t.trace().update.is_none() && t.trace().layers.is_empty());
    t.step();
    assert_eq!(state(&t), reference);

    // reset() forgets the history.
    t.reset();
    assert!(!t.back());
}

// ----- (d) seeds ---------------------------------------------------------------------------

fn experiment(seed: u64) -> Experiment {
    Experiment::from_json(&format!(
        r#"{{"format":"gradlab-experiment","version":1,
            "data":{{"generator":"spiral","samples":120,"noise":0.2,"seed":3}},
            "split":{{"train":0.8,"validation":0.1,"test":0.1}},
            "features":["x1","x2","sin(x1)"],
            "network":{{"hidden":[6,5],"activation":"relu","output":"sigmoid"}},
            "init":"he","loss":"bce","optimizer":{{"name":"adam","lr":0.01}},
            "regularization":{{"kind":"l1","rate":0.0001}},
            "batch_size":7,"shuffle":true,"seed":{seed},"steps":60}}"#
    ))
    .unwrap()
}

fn run_experiment(e: &Experiment) -> (Vec<u64>, Vec<u64>) {
    let mut t = e.build().unwrap().trainer;
    let losses: Vec<f64> = (0..e.steps).map(|_| t.step()).collect();
    (bits(&losses), bits(&t.net().flat_params()))
}

#[test]
fn seeded_runs_reproduce_exactly() {
    let (l1, p1) = run_experiment(&experiment(5));
    let (l2, p2) = run_experiment(&experiment(5));
    assert_eq!(l1.len(), 60);
    assert_eq!(l1, l2);
    assert_eq!(p1, p2);
    let (l3, p3) = run_experiment(&experiment(6));
    assert_ne!(l1, l3);
    assert_ne!(p1, p3);

    // The shuffling seed alone changes the batches, hence the losses.
    let mk = |seed| {
        let mut t = trainer_with(OptimizerKind::Sgd.preset(0.1), Regularization::NONE, BATCH, true, 1);
        let c = *t.config();
        t = Trainer::new(t.initial_net().clone(), TrainConfig { seed, ..c }, t.data().clone()).unwrap();
        (0..12).map(|_| (t.step().to_bits(), t.batch().to_vec())).collect::<Vec<_>>()
    };
    assert_eq!(mk(1), mk(1));
    assert_ne!(mk(1), mk(2));
}

// ----- (e) step units and epochs -------------------------------------------------------

#[test]
fn sample_unit_uses_one_sample_and_epochs_visit_every_sample_once() {
    let mut t = trainer(OptimizerKind::Sgd);
    t.set_unit(StepUnit::Sample);
    t.set_tracing(true);
    let mut seen = Vec::new();
    for i in 0..N {
        assert_eq!(t.epoch(), 0, "sample {i}");
        t.step();
        assert_eq!(t.batch().len(), 1);
        assert_eq!(t.workspace().n, 1);
        assert_eq!(t.trace().batch.len(), 1);
        assert_eq!(t.trace().layers[0].dw_samples.as_ref().unwrap().dim().0, 1);
        seen.extend_from_slice(t.batch());
    }
    assert_eq!(t.epoch(), 1);
    assert_eq!(t.updates(), N as u64);
    let shuffled = seen.clone();
    seen.sort();
    assert_eq!(seen, (0..N).collect::<Vec<_>>());
    assert_ne!(shuffled, seen, "shuffle is on");

    // Back to mini-batches.
    t.set_unit(StepUnit::Batch);
    t.step();
    assert_eq!(t.batch().len(), BATCH);
}

#[test]
fn step_epoch_advances_exactly_one_epoch() {
    let mut t = trainer(OptimizerKind::Adam);
    t.step_epoch();
    assert_eq!((t.epoch(), t.updates()), (1, BATCHES_PER_EPOCH));
    t.step_epoch();
    assert_eq!((t.epoch(), t.updates()), (2, 2 * BATCHES_PER_EPOCH));
    // From the middle of an epoch it finishes that epoch only.
    t.run(2);
    assert_eq!(t.epoch(), 2);
    t.step_epoch();
    assert_eq!((t.epoch(), t.updates()), (3, 3 * BATCHES_PER_EPOCH));
    // Each epoch's batches cover the training set once, without shuffling in order.
    let mut u = trainer_with(OptimizerKind::Sgd.preset(0.1), Regularization::NONE, BATCH, false, 3);
    let mut batches = Vec::new();
    while u.epoch() == 0 {
        u.step();
        batches.push(u.batch().to_vec());
    }
    let expect: Vec<Vec<usize>> = (0..N).collect::<Vec<_>>().chunks(BATCH).map(|c| c.to_vec()).collect();
    assert_eq!(batches, expect);
}

#[test]
fn the_epoch_counter_advances_with_the_update_of_the_last_batch() {
    let mut t = trainer(OptimizerKind::Rmsprop);
    for _ in 0..BATCHES_PER_EPOCH - 1 {
        t.step();
        assert_eq!(t.epoch(), 0);
    }
    let count = phases(&t);
    for _ in 0..count - 1 {
        t.next_phase();
        assert_eq!(t.epoch(), 0, "before the update of the last batch");
    }
    assert_eq!(t.batch().len(), N % BATCH);
    assert_eq!(t.next_phase(), Phase::Update);
    assert_eq!(t.epoch(), 1);
    // Going back over that update goes back to epoch 0.
    assert!(t.prev_phase());
    assert_eq!(t.epoch(), 0);
    t.next_phase();
    assert_eq!(t.epoch(), 1);
}

// ----- (f) changing settings between steps, reset ----------------------------------------

#[test]
fn changing_lr_and_regularization_keeps_parameters_and_reset_restores_the_start() {
    let mut t = trainer(OptimizerKind::Momentum);
    let fresh = t.clone();
    let initial_params = bits(&t.net().flat_params());
    let first_loss = t.clone().step();
    t.set_tracing(true);
    t.run(7);

    let s = state(&t);
    t.set_lr(0.001).unwrap();
    assert_eq!(state(&t), s, "set_lr keeps parameters and optimizer state");
    assert_eq!(t.current_lr(), 0.001);
    t.set_regularization(Regularization { kind: RegKind::L1, rate: 0.01 }).unwrap();
    assert_eq!(state(&t), s, "set_regularization keeps parameters");
    assert!(
        t.set_lr(-1.0).is_err() && t.set_regularization(Regularization { kind: RegKind::L2, rate: f64::NAN }).is_err()
    );
    assert_eq!(state(&t), s);

    // The next step uses the new settings on the old parameters.
    let before = t.clone();
    t.step();
    let up = t.trace().update.as_ref().unwrap();
    assert_eq!(up.lr, 0.001);
    assert_eq!(bits(&up.params_before), s.params);
    assert_eq!(up.state_before, before.optimizer().state, "momentum buffer kept");
    for (l, lt) in t.trace().layers.iter().enumerate() {
        let (dw, dw_data) = (lt.dw.as_ref().unwrap(), lt.dw_data.as_ref().unwrap());
        for ((g, gd), w) in dw.iter().zip(dw_data.iter()).zip(before.net().layers[l].w.iter()) {
            assert!(close(*g, gd + 0.01 * w.signum(), 1e-15), "L1 term λ·sign(w)");
        }
    }

    // reset(): the initial parameters, a fresh optimizer, the first batch and its loss.
    t.reset();
    assert_eq!(bits(&t.net().flat_params()), initial_params);
    assert_eq!(t.net(), t.initial_net());
    assert_eq!((t.updates(), t.epoch(), t.phases_done()), (0, 0, 0));
    assert_eq!(opt_bits(&t.optimizer().state), opt_bits(&fresh.optimizer().state));
    assert!(t.last_loss().is_nan());
    assert_eq!(t.metrics().train_loss.to_bits(), fresh.clone().metrics().train_loss.to_bits());
    assert_eq!(t.step().to_bits(), first_loss.to_bits(), "initial loss");

    // With the original settings back, reset reproduces the original run exactly.
    t.set_lr(lr_for(OptimizerKind::Momentum)).unwrap();
    t.set_regularization(fresh.config().regularization).unwrap();
    t.reset();
    let mut f = fresh.clone();
    for _ in 0..10 {
        assert_eq!(t.step().to_bits(), f.step().to_bits());
    }
    assert_eq!(state(&t), state(&f));
}

#[test]
fn optimizer_changes_keep_parameters() {
    let mut t = trainer(OptimizerKind::Momentum);
    t.run(5);
    let s = state(&t);
    // Same buffers (SGD momentum → Nesterov): state kept.
    assert!(!t.set_optimizer(OptimizerKind::Nesterov.preset(0.02)).unwrap());
    assert_eq!(state(&t), s);
    // Another algorithm: parameters kept, optimizer state reset.
    assert!(t.set_optimizer(OptimizerKind::Adam.preset(0.01)).unwrap());
    assert_eq!(bits(&t.net().flat_params()), s.params);
    assert_eq!(t.optimizer().state.step, 0);
    t.step();
    assert_eq!(t.optimizer().state.step, 1);
    assert_eq!(t.updates(), 6);
    let adam_state = t.optimizer().state.clone();
    t.step();

    // Going back restores the state, made to fit the optimizer in use now.
    assert!(t.back());
    assert_eq!(t.optimizer().state, adam_state);
    assert!(t.set_optimizer(OptimizerKind::Momentum.preset(0.01)).unwrap());
    assert!(t.back());
    assert_eq!(t.updates(), 5);
    assert_eq!(bits(&t.net().flat_params()), s.params);
    // The snapshot held Adam's fresh state; SGD with momentum needs its own buffers.
    let st = &t.optimizer().state;
    assert!(st.slots.iter().all(|s| s.mean.is_empty() && s.square.is_empty() && !s.momentum.is_empty()));
    t.step();
    assert!(t.net().all_finite());
}

#[test]
fn history_is_bounded_and_back_works_until_it_is_empty() {
    let mut t = trainer(OptimizerKind::Adagrad);
    let mut states = vec![state(&t)];
    for _ in 0..260 {
        t.step();
        states.push(state(&t));
    }
    let cap = t.history_len();
    assert!((8..=gradlab::train::stepper::HISTORY_STEPS).contains(&cap));
    assert!(cap < 260, "the ring is bounded");
    assert_eq!(t.history_updates(), ((260 - cap as u64)..260).collect::<Vec<_>>());
    for k in 1..=cap {
        assert!(t.back());
        assert_eq!(state(&t), states[260 - k]);
    }
    assert!(!t.back(), "only {cap} steps are kept");
    // The recycled buffers still hold the right states when stepping again.
    for s in &states[260 - cap + 1..] {
        t.step();
        assert_eq!(&state(&t), s);
    }
}

// ----- (g) divergence ------------------------------------------------------------------------

fn plane_trainer(opt: OptimizerConfig) -> Trainer {
    let d = Generator::new(GeneratorKind::Plane, 60, 0.0, 2).generate().unwrap();
    let spec = NetworkSpec::mlp(2, &[6, 6], Activation::Relu, 1, Activation::Linear);
    let net = Network::new(&spec, &Init::He, &mut Rng::new(9)).unwrap();
    let config = TrainConfig {
        loss: Loss::Mse,
        optimizer: opt,
        schedule: Schedule::Constant,
        regularization: Regularization::NONE,
        batch_size: 10,
        shuffle: true,
        seed: 9,
    };
    Trainer::new(net, config, TrainData::train_only(d.x.clone(), d.y.clone() * 30.0)).unwrap()
}

#[test]
fn divergence_is_detected_and_stops_runs() {
    // A sane run does not diverge.
    let mut ok = plane_trainer(OptimizerKind::Sgd.preset(1e-4));
    assert!(ok.divergence().is_none());
    assert_eq!(ok.run(200), 200);
    assert!(ok.divergence().is_none());

    for opt in [OptimizerKind::Sgd.preset(50.0), OptimizerKind::Momentum.preset(10.0)] {
        let mut t = plane_trainer(opt);
        let mut reference = t.clone();
        let made = t.run(100_000);
        assert!(made < 100_000, "{opt:?} did not stop");
        let why = t.divergence().expect("diverged");
        assert!(why.contains("NaN") || why.contains("inf"), "{why}");
        assert_eq!(t.updates(), made);
        // It stopped at the first diverged step.
        for i in 1..made {
            reference.step();
            assert!(reference.divergence().is_none(), "{opt:?}: diverged at {i} already");
        }
        reference.step();
        assert!(reference.divergence().is_some());
        // step_epoch also stops.
        let mut e = plane_trainer(opt);
        for _ in 0..made {
            e.step_epoch();
        }
        assert!(e.divergence().is_some());
    }
}

/// The trace's intermediate quantities are the ones the rules use: `σ′(z)` links `∂ℓ/∂a`
/// to `∂ℓ/∂z`, the parameters after the update are the network's, and rewriting each
/// optimizer's textbook rule with the traced `γ̃`, `ṽ`, `m̂`, `v̂` gives the traced `Δθ`.
#[test]
fn trace_intermediates_reproduce_each_rule() {
    use gradlab::nn::optimizer::{AdagradConfig, AdamConfig, RmspropConfig};
    let reg = Regularization { kind: RegKind::None, rate: 0.0 };
    let configs = [
        OptimizerConfig::Adagrad(AdagradConfig { lr: 0.1, lr_decay: 0.05, ..AdagradConfig::default() }),
        OptimizerConfig::Rmsprop(RmspropConfig { lr: 0.01, centered: true, ..RmspropConfig::default() }),
        OptimizerConfig::Rmsprop(RmspropConfig { lr: 0.01, ..RmspropConfig::default() }),
        OptimizerConfig::Adam(AdamConfig { lr: 0.01, ..AdamConfig::default() }),
        OptimizerConfig::Adam(AdamConfig { lr: 0.01, amsgrad: true, ..AdamConfig::default() }),
    ];
    for cfg in configs {
        let mut t = trainer_with(cfg, reg, BATCH, true, 5);
        t.set_tracing(true);
        for _ in 0..3 {
            t.step();
        }
        let tr = t.trace().clone();
        let u = tr.update.as_ref().expect("traced update");
        assert_eq!(bits(&u.params_after), bits(&t.net().flat_params()), "{cfg:?}: params after");
        // σ′(z) from the trace: ∂ℓ/∂z = ∂ℓ/∂a · σ′(z) on the hidden layers.
        for lt in &tr.layers[..tr.layers.len() - 1] {
            let (da, dz, s) = (lt.da.as_ref().unwrap(), lt.dz.as_ref().unwrap(), lt.dact.as_ref().expect("σ′ traced"));
            for ((a, z), sp) in da.iter().zip(dz.iter()).zip(s.iter()) {
                assert!(close(a * sp, *z, 1e-12), "{cfg:?}: ∂ℓ/∂a·σ′ = {} vs ∂ℓ/∂z = {z}", a * sp);
            }
        }
        let grads: Vec<f64> = tr.layers.iter().flat_map(|l| {
            let mut v = l.dw.as_ref().unwrap().iter().copied().collect::<Vec<_>>();
            v.extend(l.db.as_ref().unwrap().iter().copied());
            v
        }).collect();
        let k = u.terms.clone();
        for (p, g) in grads.iter().enumerate() {
            let expected = match cfg {
                OptimizerConfig::Adagrad(c) => {
                    assert!(close(k.effective_lr, 0.1 / (1.0 + 2.0 * 0.05), 1e-15));
                    let sq: Vec<f64> = u.state_after.slots.iter().flat_map(|s| s.square.clone()).collect();
                    -k.effective_lr * g / (sq[p].sqrt() + c.eps)
                }
                OptimizerConfig::Rmsprop(c) => -u.lr * g / (k.v_tilde.as_ref().unwrap()[p].sqrt() + c.eps),
                OptimizerConfig::Adam(c) => -u.lr * k.m_hat.as_ref().unwrap()[p] / (k.v_hat.as_ref().unwrap()[p].sqrt() + c.eps),
                OptimizerConfig::Sgd(_) => unreachable!(),
            };
            assert!(close(u.delta[p], expected, 1e-9), "{cfg:?} param {p}: Δ {} vs rule {expected}", u.delta[p]);
        }
    }
}

/// The loss log behind the step-mode timeline: after going back, the later updates stay
/// listed and replaying them gives the same losses bit for bit; a setting change drops them.
#[test]
fn loss_log_replays_after_going_back() {
    let mut t = trainer(OptimizerKind::Momentum);
    t.run(8);
    let before: Vec<(u64, u64)> = t.loss_log().iter().map(|(u, l)| (u, l.to_bits())).collect();
    assert_eq!(before.len(), 8);
    assert_eq!(before.iter().map(|e| e.0).collect::<Vec<_>>(), (1..=8).collect::<Vec<_>>());
    for _ in 0..3 {
        assert!(t.back());
    }
    assert_eq!(t.updates(), 5);
    assert_eq!(t.loss_log().len(), 8, "the future stays listed after going back");
    t.run(3);
    let after: Vec<(u64, u64)> = t.loss_log().iter().map(|(u, l)| (u, l.to_bits())).collect();
    assert_eq!(after, before, "replaying gives the same losses");
    for _ in 0..2 {
        t.back();
    }
    t.set_lr(0.5).unwrap();
    assert_eq!(t.loss_log().iter().last().map(|e| e.0), Some(6), "a new learning rate drops the future");
}

/// The traced L1/L2 term is the penalty's gradient at the weights, and the gradient the
/// optimizer uses is the data gradient plus it.
#[test]
fn trace_holds_the_regularization_term() {
    for kind in [RegKind::L1, RegKind::L2] {
        let reg = Regularization { kind, rate: 0.05 };
        let mut t = trainer_with(OptimizerKind::Sgd.preset(0.1), reg, BATCH, true, 3);
        t.set_tracing(true);
        t.step();
        let tr = t.trace().clone();
        let before = tr.update.as_ref().unwrap().params_before.clone();
        let sizes = t.net().tensor_sizes();
        for (l, lt) in tr.layers.iter().enumerate() {
            let (data, r, full) = (lt.dw_data.as_ref().unwrap(), lt.dw_reg.as_ref().unwrap(), lt.dw.as_ref().unwrap());
            let units = full.ncols();
            for ((i, j), g) in full.indexed_iter() {
                let w = before[gradlab::train::trace::weight_offset(&sizes, l, i, j, units)];
                let expected = match kind {
                    RegKind::L2 => 0.05 * w,
                    _ => 0.05 * w.signum(),
                };
                assert!(close(r[[i, j]], expected, 1e-15), "{kind:?} layer {l}: term {} vs {expected}", r[[i, j]]);
                assert!(close(data[[i, j]] + r[[i, j]], *g, 1e-15), "{kind:?} layer {l}: data + term = dw");
            }
        }
    }
}
