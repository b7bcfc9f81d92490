//! The optimizer lab's core: loss surfaces (value at the centre, filter normalization,
//! projections), fair races (same weights, same batches, deterministic), the step preview,
//! and the learning-rate curve.

use gradlab::data::GeneratorKind;
use gradlab::nn::optimizer::OptimizerKind;
use gradlab::nn::Schedule;
use gradlab::train::lr_curve::lr_series;
use gradlab::train::playground::{Head, Playground};
use gradlab::train::race::{Race, RacerSpec};
use gradlab::train::step_preview::preview;
use gradlab::train::surface::{filter_normalize, neuron_block, Axes, LossProbe, Plane, Surface, WeightRef};
use gradlab::train::Trainer;

fn trainer(kind: GeneratorKind, hidden: Vec<usize>) -> Trainer {
    let p = Playground { dataset: kind, hidden, samples: 200, ..Default::default() };
    p.build().unwrap().trainer
}

fn trained(kind: GeneratorKind) -> Trainer {
    let mut t = trainer(kind, vec![6, 4]);
    t.run(40);
    t
}

#[test]
fn surface_centre_equals_the_engines_loss() {
    for axes in [Axes::Random(7), Axes::Weights(WeightRef { layer: 0, i: 0, j: 1 }, WeightRef { layer: 1, i: 2, j: 0 })] {
        let mut t = trained(GeneratorKind::Spiral);
        let plane = Plane::new(t.net(), axes).unwrap();
        let mut s = Surface::new(plane, LossProbe::for_trainer(&t), 11, 0.5).unwrap();
        let mut last = 0.0;
        while !s.done() {
            let p = s.compute_rows(3);
            assert!(p > last && p <= 1.0, "progress grows: {last} → {p}");
            last = p;
        }
        let m = s.res / 2;
        assert_eq!(s.cell(m, m), (0.0, 0.0));
        let engine_loss = t.metrics().train_loss;
        assert_eq!(s.values[m * s.res + m], engine_loss, "bit-identical at the centre");
        assert_eq!(s.centre(), engine_loss);
        // Moving off the centre changes the loss, and every cell is finite.
        assert!(s.values.iter().all(|v| v.is_finite()));
        assert_ne!(s.values[0], engine_loss);
        let (lo, hi) = s.min_max().unwrap();
        assert!(lo <= engine_loss && engine_loss <= hi);
    }
}

#[test]
fn grid_corner_is_the_point_it_names() {
    let t = trained(GeneratorKind::Xor);
    let w = (WeightRef { layer: 0, i: 1, j: 0 }, WeightRef { layer: 0, i: 0, j: 3 });
    let plane = Plane::new(t.net(), Axes::Weights(w.0, w.1)).unwrap();
    let mut s = Surface::new(plane, LossProbe::for_trainer(&t), 5, 2.0).unwrap();
    s.compute_rows(1);
    // Top-left cell: α = −2 on the first weight, β = +2 on the second.
    let mut net = t.net().clone();
    net.layers[0].w[[1, 0]] -= 2.0;
    net.layers[0].w[[0, 3]] += 2.0;
    let mut probe = LossProbe::for_trainer(&t);
    assert_eq!(s.values[0], probe.loss(&net.flat_params()));
}

#[test]
fn random_directions_are_filter_normalized() {
    let t = trained(GeneratorKind::Circle);
    let net = t.net();
    let theta = net.flat_params();
    let plane = Plane::new(net, Axes::Random(3)).unwrap();
    for d in [&plane.d1, &plane.d2] {
        for (l, layer) in net.layers.iter().enumerate() {
            for j in 0..layer.units() {
                let idx: Vec<usize> = neuron_block(net, l, j).collect();
                assert_eq!(idx.len(), layer.inputs() + 1, "incoming weights and bias");
                let dn: f64 = idx.iter().map(|&k| d[k] * d[k]).sum::<f64>().sqrt();
                let pn: f64 = idx.iter().map(|&k| theta[k] * theta[k]).sum::<f64>().sqrt();
                assert!((dn - pn).abs() <= 1e-12 * pn.max(1.0), "layer {l} neuron {j}: ‖d‖ = {dn}, ‖θ‖ = {pn}");
            }
        }
    }
    assert_ne!(plane.d1, plane.d2);
    // Seeded: the same seed gives the same plane, another seed another one.
    assert_eq!(Plane::new(net, Axes::Random(3)).unwrap(), plane);
    assert_ne!(Plane::new(net, Axes::Random(4)).unwrap().d1, plane.d1);
    // A zero block stays zero instead of dividing by zero.
    let mut dir = vec![0.0; theta.len()];
    filter_normalize(net, &theta, &mut dir);
    assert!(dir.iter().all(|v| *v == 0.0));
}

#[test]
fn projections() {
    let t = trained(GeneratorKind::Moons);
    let plane = Plane::new(t.net(), Axes::Random(11)).unwrap();
    assert_eq!(plane.project(&plane.origin), (0.0, 0.0));
    let mut p = Vec::new();
    plane.point(0.3, -0.7, &mut p);
    let (a, b) = plane.project(&p);
    assert!((a - 0.3).abs() < 1e-9 && (b + 0.7).abs() < 1e-9, "({a}, {b})");
    // Weight axes: the coordinates are the weights' displacements.
    let w = (WeightRef { layer: 0, i: 0, j: 0 }, WeightRef { layer: 1, i: 1, j: 0 });
    let plane = Plane::new(t.net(), Axes::Weights(w.0, w.1)).unwrap();
    let mut net = t.net().clone();
    net.layers[0].w[[0, 0]] += 0.25;
    net.layers[1].w[[1, 0]] -= 0.5;
    net.layers[1].b[0] += 3.0; // off the plane: ignored by the projection
    assert_eq!(plane.project(&net.flat_params()), (0.25, -0.5));
    // Bad axes are errors, not panics.
    assert!(Plane::new(t.net(), Axes::Weights(w.0, w.0)).is_err());
    assert!(Plane::new(t.net(), Axes::Weights(w.0, WeightRef { layer: 9, i: 0, j: 0 })).is_err());
}

#[test]
fn race_copies_with_the_same_optimizer_are_bit_identical() {
    let base = trained(GeneratorKind::Spiral);
    let adam = RacerSpec { kind: OptimizerKind::Adam, lr: 0.01 };
    let mut race = Race::fork(&base, &[adam, RacerSpec::preset(OptimizerKind::Sgd), adam]).unwrap();
    for _ in 0..57 {
        race.step();
        let b0 = race.racers[0].trainer.batch().to_vec();
        for r in &race.racers[1..] {
            assert_eq!(r.trainer.batch(), &b0[..], "the same mini-batch sequence");
        }
    }
    race.record();
    let p0 = race.racers[0].trainer.net().flat_params();
    let p2 = race.racers[2].trainer.net().flat_params();
    assert!(p0.iter().zip(&p2).all(|(a, b)| a.to_bits() == b.to_bits()), "same optimizer, same parameters bit for bit");
    assert_ne!(race.racers[1].trainer.net().flat_params(), p0, "SGD went elsewhere");
    assert_eq!(race.updates(), 57);
    assert_eq!(race.racers[0].loss.len(), 2, "fork and one record");
}

#[test]
fn race_starts_every_racer_from_the_checkpoint() {
    let base = trained(GeneratorKind::Circle);
    let specs: Vec<RacerSpec> = OptimizerKind::ALL.iter().map(|&k| RacerSpec::preset(k)).collect();
    let race = Race::fork(&base, &specs).unwrap();
    let theta = base.net().flat_params();
    for (r, s) in race.racers.iter().zip(&specs) {
        assert_eq!(r.trainer.net().flat_params(), theta, "identical starting weights");
        assert_eq!(r.trainer.updates(), 0);
        assert_eq!(r.trainer.config().optimizer, s.kind.preset(s.lr));
        assert_eq!(r.trainer.config().seed, base.config().seed);
        assert_eq!(r.trainer.config().batch_size, base.config().batch_size);
        assert_eq!(r.loss.last(), Some(r.metrics.train_loss));
    }
    // The first batch is the same for all, and it is the one a fresh trainer with the seed draws.
    let mut race = race;
    race.step();
    let mut fresh = Trainer::new(base.net().clone(), *base.config(), base.data().clone()).unwrap();
    fresh.step();
    assert!(race.racers.iter().all(|r| r.trainer.batch() == fresh.batch()));
    assert!(Race::fork(&base, &specs[..1]).is_err());
    assert!(Race::fork(&base, &[specs.clone(), specs.clone()].concat()).is_err());
    let bad = RacerSpec { kind: OptimizerKind::Adam, lr: -1.0 };
    assert!(Race::fork(&base, &[bad, bad]).unwrap_err().starts_with("racer 1"));
}

#[test]
fn a_diverging_racer_stops_and_the_others_go_on() {
    let p = Playground { dataset: GeneratorKind::Plane, head: Head::LinearMse, hidden: vec![8, 8], ..Default::default() };
    let base = p.build().unwrap().trainer;
    let wild = RacerSpec { kind: OptimizerKind::Sgd, lr: 1e6 };
    let mut race = Race::fork(&base, &[wild, RacerSpec::preset(OptimizerKind::Adam)]).unwrap();
    for _ in 0..100 {
        race.step();
    }
    assert!(race.racers[0].stopped.is_some());
    assert!(race.racers[1].stopped.is_none());
    assert_eq!(race.racers[1].trainer.updates(), 100);
    assert!(race.racers[0].trainer.updates() < 100);
}

#[test]
fn step_preview_matches_the_real_update() {
    for kind in [OptimizerKind::Sgd, OptimizerKind::Momentum, OptimizerKind::Adam, OptimizerKind::Adagrad] {
        let mut t = trained(GeneratorKind::Xor);
        t.set_optimizer(kind.preset(0.05)).unwrap();
        t.run(3);
        t.next_phase(); // mid-step: the preview finishes this step
        let before = t.net().flat_params();
        let lr = t.current_lr();
        let p = preview(&t).unwrap();
        assert_eq!(t.net().flat_params(), before, "the trainer is untouched");
        t.step();
        let delta: Vec<f64> = t.net().flat_params().iter().zip(&before).map(|(a, b)| a - b).collect();
        assert_eq!(p.step, delta, "{kind:?}");
        assert_eq!(p.update, t.updates());
        let g: Vec<f64> = t.workspace().gw.iter().zip(&t.workspace().gb).flat_map(|(w, b)| w.iter().chain(b.iter())).map(|g| -lr * g).collect();
        assert_eq!(p.gradient, g);
        assert_eq!(p.velocity.is_some(), matches!(kind, OptimizerKind::Momentum | OptimizerKind::Adam), "{kind:?}");
        if kind == OptimizerKind::Sgd {
            assert!(p.step.iter().zip(&p.gradient).all(|(a, b)| (a - b).abs() <= 1e-15), "plain SGD steps along −α g");
        }
    }
}

#[test]
fn lr_series_follows_the_schedules_formula() {
    // The Keras lesson: SGD(lr=0.01, decay=1e-6) — α_t = 0.01 / (1 + 1e-6 t).
    let keras = Schedule::InverseTime { decay: 1e-6 };
    let s = lr_series(&keras, 0.01, 1_000_000, 101);
    assert_eq!(s.len(), 101);
    for &(t, a) in &s {
        let want = 0.01 / (1.0 + 1e-6 * t);
        assert!((a - want).abs() <= 1e-15, "t = {t}: {a} vs {want}");
    }
    assert!((s[100].1 - 0.005).abs() < 1e-15, "halved after a million updates");
    let step = lr_series(&Schedule::Step { step_size: 100, gamma: 0.5 }, 1.0, 1000, 11);
    for &(t, a) in &step {
        assert_eq!(a, 0.5f64.powi((t as i32) / 100));
    }
    let exp = lr_series(&Schedule::Exponential { gamma: 0.999 }, 0.1, 1000, 5);
    for &(t, a) in &exp {
        assert!((a - 0.1 * 0.999f64.powf(t)).abs() < 1e-15);
    }
    assert!(lr_series(&Schedule::Constant, 0.03, 10_000, 20).iter().all(|p| p.1 == 0.03));
}
