//! The classroom lessons, and the playground's experiment-file export/import and CSV trace.

use gradlab::nn::optimizer::OptimizerKind;
use gradlab::nn::regularization::RegKind;
use gradlab::train::exchange::{self, trace_csv};
use gradlab::train::lessons::{self, Lesson};
use gradlab::train::playground::Playground;
use gradlab::train::url::decode;
use gradlab::train::Experiment;

fn lesson(id: &str) -> Lesson {
    lessons::all().into_iter().find(|l| l.id == id).expect("lesson exists")
}

#[test]
fn every_lesson_builds_trains_and_round_trips_through_its_link() {
    let all = lessons::all();
    assert_eq!(all.len(), 7);
    for (i, l) in all.iter().enumerate() {
        assert!(!l.title.0.is_empty() && !l.title.1.is_empty(), "{}", l.id);
        assert!(l.watch.0.len() > 40 && l.watch.1.len() > 20 && l.try_this.0.len() > 20 && l.try_this.1.len() > 10, "{}", l.id);
        let (q, notices) = decode(&format!("#{}", l.hash()));
        assert!(notices.is_empty(), "{}: {notices:?}", l.id);
        assert_eq!(q, l.config, "{}", l.id);
        assert_eq!(lessons::find(&q), Some(i), "{}", l.id);
        let mut t = l.config.build().unwrap_or_else(|e| panic!("{}: {e}", l.id)).trainer;
        t.run(300);
        assert!(t.updates() > 0, "{}", l.id);
        if l.id != "too-high" {
            assert!(t.divergence().is_none(), "{}: {:?}", l.id, t.divergence());
            assert!(t.metrics().train_loss.is_finite(), "{}", l.id);
        }
    }
    // A lesson stays selected after "new weights" or a slower speed, not after a real change.
    let mut p = lesson("xor").config;
    p.weight_seed = 3;
    p.speed = 1;
    assert_eq!(lessons::find(&p), Some(2));
    p.lr = 0.5;
    assert_eq!(lessons::find(&p), None);
    assert_eq!(lessons::find(&Playground::default()), None);
}

#[test]
fn keras_lesson_memorizes_noise() {
    let l = lesson("keras");
    assert_eq!(l.config.hidden, vec![32, 16]);
    let mut t = l.config.build().unwrap().trainer;
    assert_eq!(t.data().train_x.ncols(), 20);
    let mut m = t.metrics();
    for _ in 0..20 {
        t.run(250);
        m = t.metrics();
        if m.train_accuracy > 0.9 {
            break;
        }
    }
    println!("keras lesson after {} updates: train {:.3}, test {:.3}", t.updates(), m.train_accuracy, m.test_accuracy);
    assert!(m.train_accuracy > 0.9, "train accuracy {}", m.train_accuracy);
    assert!(m.test_accuracy < 0.65, "test accuracy {}", m.test_accuracy);
    // Keeps memorizing without learning anything that generalizes.
    t.run(3000);
    let m = t.metrics();
    assert!(m.train_accuracy > 0.95 && m.test_accuracy < 0.65, "{m:?}");
}

#[test]
fn learning_rate_lesson_diverges_to_infinity_within_200_updates() {
    let mut t = lesson("too-high").config.build().unwrap().trainer;
    let mut at = None;
    for _ in 0..200 {
        t.step();
        if t.divergence().is_some() {
            at = Some(t.updates());
            break;
        }
    }
    let at = at.expect("diverges within 200 updates");
    println!("too-high lesson diverges at update {at}: {:?}", t.divergence());
    assert!(at > 5, "diverges visibly, not at once ({at})");
    // The same network with a sane rate does not.
    let mut p = lesson("too-high").config;
    p.lr = 0.03;
    let mut t = p.build().unwrap().trainer;
    t.run(2000);
    assert!(t.divergence().is_none() && t.metrics().train_loss < 0.01);
}

#[test]
fn xor_lesson_needs_a_hidden_layer() {
    let mut t = lesson("xor").config.build().unwrap().trainer;
    t.run(3000);
    assert!(t.metrics().train_accuracy < 0.7, "{:?}", t.metrics());
    let mut p = lesson("xor").config;
    p.hidden = vec![4];
    p.optimizer = OptimizerKind::Adam;
    p.lr = 0.03;
    let mut t = p.build().unwrap().trainer;
    t.run(3000);
    assert!(t.metrics().train_accuracy > 0.9, "{:?}", t.metrics());
}

#[test]
fn even_odd_lesson_puts_the_weight_on_the_lowest_bit() {
    let mut t = lesson("even-odd").config.build().unwrap().trainer;
    t.run(1000);
    let w = &t.net().layers[0].w;
    let low = w[[0, 0]].abs();
    assert!((1..w.nrows()).all(|i| w[[i, 0]].abs() * 3.0 < low), "{w:?}");
    assert!(t.metrics().test_accuracy > 0.99);
}

#[test]
fn momentum_is_faster_than_sgd_in_the_ravine() {
    let loss_after = |opt| {
        let mut p = lesson("ravine").config;
        assert_eq!(p.optimizer, OptimizerKind::Sgd);
        p.optimizer = opt;
        let mut t = p.build().unwrap().trainer;
        t.run(200);
        t.metrics().train_loss
    };
    let (sgd, momentum) = (loss_after(OptimizerKind::Sgd), loss_after(OptimizerKind::Momentum));
    assert!(momentum * 100.0 < sgd, "momentum {momentum}, sgd {sgd}");
}

#[test]
fn l1_kills_weights_and_l2_shrinks_them() {
    let small_after = |reg| {
        let mut p = lesson("regularization").config;
        p.reg = reg;
        let mut t = p.build().unwrap().trainer;
        t.run(5000);
        t.net().layers.iter().flat_map(|l| l.w.iter().copied()).filter(|w| w.abs() < 0.01).count()
    };
    let (l1, l2) = (small_after(RegKind::L1), small_after(RegKind::L2));
    assert!(l1 > 3 * l2 && l1 > 30, "L1 {l1}, L2 {l2} near-zero weights of 70");
}

fn configs() -> Vec<Playground> {
    let mut v: Vec<Playground> = lessons::all().into_iter().map(|l| l.config).collect();
    v.push(Playground::default());
    v.push(Playground {
        weight_seed: 7,
        added: vec![(1.5, -2.0, 1.0)],
        removed: vec![4, 9],
        speed: 2,
        discretize: true,
        optimizer: OptimizerKind::Rmsprop,
        alpha: 0.9,
        momentum: 0.5,
        val_pct: 20,
        ..Playground::default()
    });
    v
}

#[test]
fn export_then_import_is_the_identical_configuration() {
    for p in configs() {
        let text = exchange::export(&p, Some("t \"quoted\" \\ 中文\n".into()), 12).unwrap();
        // The hand-written file is the experiment, as the engine's reader sees it.
        assert_eq!(Experiment::from_json(&text).unwrap(), exchange::to_experiment(&p, Some("t \"quoted\" \\ 中文\n".into()), 12).unwrap());
        let q = exchange::import(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(q, p);
        // The same initial weights.
        let a = p.build().unwrap().trainer.net().flat_params();
        let b = q.build().unwrap().trainer.net().flat_params();
        assert_eq!(a, b);
    }
}

#[test]
fn an_exported_file_replays_the_playground_run_in_the_runner() {
    let p = lesson("spiral").config;
    let exp = Experiment::from_json(&exchange::export(&p, None, 40).unwrap()).unwrap();
    let mut page = p.build().unwrap().trainer;
    let mut file = exp.build().unwrap().trainer;
    assert_eq!(page.net().flat_params(), file.net().flat_params());
    page.run(40);
    file.run(40);
    assert_eq!(page.net().flat_params(), file.net().flat_params());
}

#[test]
fn a_hand_written_file_imports_and_bad_ones_name_the_field() {
    // The README's Keras example (no `playground` field, named initializer).
    let keras = r#"{"format": "gradlab-experiment", "version": 1, "title": "Keras MLP on random data",
      "data": {"generator": "keras", "samples": 1000, "seed": 1}, "split": {"train": 0.8, "test": 0.2},
      "network": {"hidden": [32, 16], "activation": "relu", "output": "sigmoid"}, "loss": "bce",
      "optimizer": {"name": "sgd", "lr": 0.01, "momentum": 0.9, "nesterov": true},
      "schedule": {"name": "inverse_time", "decay": 1e-6}, "batch_size": 32, "seed": 1, "steps": 500}"#;
    let p = exchange::import(keras).unwrap();
    assert_eq!((p.samples, p.train_pct, p.val_pct, p.optimizer, p.batch), (1000, 80, 0, OptimizerKind::Nesterov, 32));

    let good = exchange::export(&Playground::default(), None, 0).unwrap();
    let cases = [
        ("{", ""),
        (&good.replace("\"batch_size\": 10", "\"batch_size\": \"ten\""), "batch_size"),
        (&good.replace("\"hidden\": [4, 2]", "\"hidden\": [99, 2]"), "network.hidden[0]"),
        (&good.replace("\"lr\": 0.03", "\"lr\": 50.0"), "optimizer.lr"),
        (&good.replace("\"generator\": \"circle\"", "\"generator\": \"banana\""), "data.generator"),
        (&good.replace("\"shuffle\": true", "\"shuffle\": false"), "shuffle"),
        (&good.replace("\"loss\": \"bce\"", "\"loss\": \"mse\""), "loss"),
    ];
    for (text, field) in cases {
        assert_ne!(text, good.as_str(), "the case for {field} changed the file");
        let e = exchange::import(text).expect_err(field);
        assert_eq!(e.path, field, "{e}");
    }
    // Weights edited by hand are not the playground's own.
    let edited = good.replacen("\"b\": [0.0", "\"b\": [0.5", 1);
    let e = exchange::import(&edited).expect_err("edited weights");
    assert!(e.path.starts_with("init"), "{e}");
}

#[test]
fn the_csv_trace_has_one_row_per_update() {
    let p = lesson("xor").config;
    let (csv, rows) = trace_csv(&p, 25, 1000).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "step,epoch,lr,loss,grad_norm_1");
    assert_eq!((rows, lines.len()), (25, 26));
    assert!(lines[25].starts_with("25,"));
    assert_eq!(trace_csv(&p, 5000, 100).unwrap().1, 100);
    // Divergence ends the trace.
    let (_, rows) = trace_csv(&lesson("too-high").config, 10_000, 10_000).unwrap();
    assert!(rows < 200);
}

#[test]
fn the_light_reader_agrees_with_the_serde_reader() {
    use gradlab::train::experiment_lite;
    let mut files: Vec<String> = configs().iter().map(|p| exchange::export(p, Some("t".into()), 5).unwrap()).collect();
    files.push(
        r#"{"format":"gradlab-experiment","version":1,"data":{"x":[[0,1],[1,0]],"y":[[1],[0]]},"split":{"train":1},
        "network":{"hidden":[3],"activations":["relu"],"output":"sigmoid","outputs":1},"init":{"name":"uniform","scale":0.2},
        "loss":"binary_cross_entropy","optimizer":{"name":"rmsprop","lr":0.01,"centered":true},
        "schedule":{"name":"step","step_size":10,"gamma":0.5},"regularization":{"kind":"l2","rate":0.001},
        "batch_size":2,"shuffle":false,"seed":3,"steps":7,"title":null}"#
            .into(),
    );
    for dir in ["tests/reference/fixtures"] {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "json") {
                // Each fixture holds an experiment (with inline data and weights).
                let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
                files.push(serde_json::to_string_pretty(&v["experiment"]).unwrap());
            }
        }
    }
    assert!(files.len() > 12);
    for f in &files {
        assert_eq!(experiment_lite::read(f), Experiment::from_json(f), "{f}");
    }
    // Broken files: both fail, naming the same field.
    let good = &exchange::export(&Playground::default(), None, 0).unwrap();
    let broken = [
        good.replace("\"batch_size\": 10", "\"batch_size\": \"ten\""),
        good.replace("\"batch_size\": 10", "\"batch_size\": -1"),
        good.replace("\"format\": \"gradlab-experiment\"", "\"format\": \"x\""),
        good.replace("\"version\": 1", "\"version\": 2"),
        good.replace("\"name\": \"sgd\"", "\"name\": \"sgdx\""),
        good.replace("\"lr\": 0.03", "\"lr\": \"fast\""),
        good.replace("\"lr\": 0.03", "\"lr\": 0.03, \"beta9\": 1"),
        good.replace("\"steps\": 0", "\"steps\": 0, \"colour\": 2"),
        good.replacen("\"bits\": 8", "\"bits\": 8, \"colour\": 2", 1),
        good.replace("\"generator\": \"circle\"", "\"generator\": 5"),
        good.replace("\"loss\": \"bce\"", "\"loss\": \"hinge\""),
        good.replace("\"activation\": \"tanh\"", "\"activation\": \"swish\""),
        good.replace("\"train\": 50", "\"train\": -50"),
        good.replace("\"batch_size\": 10,", ""),
        good.replace("\"network\"", "\"netwerk\""),
        "[1, 2]".into(),
        "{\"format\": ".into(),
    ];
    for (i, b) in broken.iter().enumerate() {
        assert!(b != good, "broken case {i} changed nothing");
        let (lite, serde) = (experiment_lite::read(b).unwrap_err(), Experiment::from_json(b).unwrap_err());
        assert_eq!(lite.path, serde.path, "lite: {lite}\nserde: {serde}\n{b}");
    }
}
