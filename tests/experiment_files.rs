#![cfg(not(target_arch = "wasm32"))]
//! Experiment files: good files parse, build, train and round-trip; bad files give an
//! error whose `path` names the offending field; and (property-based) no mutation of a
//! valid file — random values of random types at random places, deletions, insertions,
//! random bytes, truncation — makes parsing, building or stepping panic.

use gradlab::nn::{Activation, Loss};
use gradlab::train::experiment::{DataSpec, ExperimentError, InitSpec};
use gradlab::train::Experiment;
use proptest::prelude::*;
use serde_json::{json, Map, Value};

// ----- base files ------------------------------------------------------------------------

/// A generated 2-D dataset with derived features.
fn base_generated() -> Value {
    json!({
        "format": "gradlab-experiment", "version": 1, "title": "circle",
        "data": {"generator": "circle", "samples": 40, "noise": 0.1, "seed": 1},
        "split": {"train": 0.7, "validation": 0.15, "test": 0.15},
        "features": ["x1", "x2", "x1*x2"],
        "network": {"hidden": [4, 3], "activation": "tanh", "output": "sigmoid"},
        "init": "xavier", "loss": "bce",
        "optimizer": {"name": "adam", "lr": 0.01},
        "schedule": {"name": "step", "step_size": 5, "gamma": 0.5},
        "regularization": {"kind": "l2", "rate": 0.001},
        "batch_size": 8, "shuffle": true, "seed": 3, "steps": 10
    })
}

/// Inline data and inline initial parameters.
fn base_inline() -> Value {
    json!({
        "format": "gradlab-experiment", "version": 1,
        "data": {"x": [[0.0, 1.0], [1.0, 0.5], [-1.0, 2.0], [0.5, -0.5], [2.0, 1.0], [-1.5, -1.0]],
                 "y": [[1.0], [0.5], [3.0], [-1.0], [2.0], [-2.5]]},
        "split": {"train": 1.0},
        "network": {"hidden": [2], "activation": "leaky_relu", "output": "linear"},
        "init": {"layers": [{"w": [[0.1, -0.2], [0.3, 0.4]], "b": [0.0, 0.1]},
                            {"w": [[0.5], [-0.6]], "b": [0.2]}]},
        "loss": "mse",
        "optimizer": {"name": "sgd", "lr": 0.05, "momentum": 0.9},
        "schedule": {"name": "exponential", "gamma": 0.99},
        "batch_size": 4, "shuffle": false, "seed": 7, "steps": 5
    })
}

/// A softmax classifier on a non-2-D generator.
fn base_softmax() -> Value {
    json!({
        "format": "gradlab-experiment", "version": 1,
        "data": {"generator": "even_odd", "samples": 30, "bits": 4, "seed": 2},
        "split": {"train": 0.6, "validation": 0.2, "test": 0.2},
        "network": {"hidden": [5, 3], "activations": ["relu", "sigmoid"], "output": "softmax"},
        "init": {"name": "uniform", "scale": 0.3}, "loss": "softmax_ce",
        "optimizer": {"name": "rmsprop", "lr": 0.01, "centered": true, "momentum": 0.5},
        "schedule": {"name": "inverse_time", "decay": 0.01},
        "regularization": {"kind": "l1", "rate": 0.0001},
        "batch_size": 5, "seed": 11, "steps": 4
    })
}

fn bases() -> Vec<Value> {
    vec![base_generated(), base_inline(), base_softmax()]
}

fn parse(v: &Value) -> Result<Experiment, ExperimentError> {
    Experiment::from_json(&v.to_string())
}

// ----- valid files -------------------------------------------------------------------------

#[test]
fn base_files_parse_build_train_and_round_trip() {
    for (i, v) in bases().into_iter().enumerate() {
        let e = parse(&v).unwrap_or_else(|e| panic!("base {i}: {e}"));
        let again = Experiment::from_json(&e.to_json()).unwrap();
        assert_eq!(again, e, "base {i} round trip");
        let built = e.build().unwrap();
        let mut t = built.trainer;
        let first = t.step();
        t.run(30);
        assert!(t.last_loss().is_finite() && first.is_finite());
        assert_eq!(t.updates(), 31);
    }
    // Parsed values land in the right places.
    let g = parse(&base_generated()).unwrap();
    assert_eq!(g.loss, Loss::BinaryCrossEntropy);
    assert_eq!(g.network.hidden, vec![4, 3]);
    assert!(matches!(g.data, DataSpec::Generated(gen) if gen.samples == 40));
    let i = parse(&base_inline()).unwrap();
    assert!(matches!(&i.init, InitSpec::Inline { layers } if layers[1].w == vec![vec![0.5], vec![-0.6]]));
    let built = i.build().unwrap();
    assert_eq!(built.trainer.net().layers[0].w[[1, 0]], 0.3);
    assert_eq!(built.trainer.net().layers[0].activation, Activation::LeakyRelu);
    let s = parse(&base_softmax()).unwrap().build().unwrap();
    assert_eq!(s.trainer.net().outputs(), 2, "softmax has one output per class");
    assert_eq!(s.trainer.data().train_y.row(0).sum(), 1.0, "one-hot targets");
}

#[test]
fn loss_names_and_defaults() {
    // The file uses Loss::name(); the long names are accepted too.
    for (name, loss) in [("bce", Loss::BinaryCrossEntropy), ("binary_cross_entropy", Loss::BinaryCrossEntropy)] {
        let mut v = base_generated();
        v["loss"] = json!(name);
        assert_eq!(parse(&v).unwrap().loss, loss);
    }
    let text = parse(&base_softmax()).unwrap().to_json();
    assert!(text.contains("\"softmax_ce\""), "{text}");
    // Optional fields take their defaults.
    let mut v = base_generated();
    for k in ["title", "split", "features", "init", "schedule", "regularization", "shuffle", "seed", "steps"] {
        v.as_object_mut().unwrap().remove(k);
    }
    let e = parse(&v).unwrap();
    assert!(e.shuffle && e.seed == 0 && e.steps == 0 && e.title.is_none());
    e.build().unwrap();
}

// ----- bad files ---------------------------------------------------------------------------

/// The error of a file that must be rejected, by `from_json` or else by `build`.
fn error_of(v: &Value) -> ExperimentError {
    match Experiment::from_json(&v.to_string()) {
        Err(e) => e,
        Ok(exp) => match exp.build() {
            Err(e) => e,
            Ok(_) => panic!("accepted: {v}"),
        },
    }
}

fn with(base: fn() -> Value, f: impl FnOnce(&mut Value)) -> Value {
    let mut v = base();
    f(&mut v);
    v
}

fn remove(v: &mut Value, pointer: &str) {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let p = if parent.is_empty() { v } else { v.pointer_mut(parent).unwrap() };
    match p {
        Value::Object(m) => {
            m.remove(key).unwrap();
        }
        Value::Array(a) => {
            a.remove(key.parse::<usize>().unwrap());
        }
        _ => panic!("{pointer}"),
    }
}

fn set(v: &mut Value, pointer: &str, value: Value) {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let p = if parent.is_empty() { &mut *v } else { v.pointer_mut(parent).unwrap() };
    match p {
        Value::Object(m) => {
            m.insert(key.to_string(), value);
        }
        Value::Array(a) => a[key.parse::<usize>().unwrap()] = value,
        _ => panic!("{pointer}"),
    }
}

fn assert_path(cases: Vec<(&str, Value, &str)>) {
    let mut failures = Vec::new();
    for (what, v, path) in &cases {
        let e = error_of(v);
        if e.path != *path || e.message.is_empty() {
            failures.push(format!("{what}: expected path {path:?}, got {:?} ({})", e.path, e.message));
        }
        // The displayed error leads with the path.
        assert!(e.to_string().starts_with(path), "{e}");
    }
    assert!(failures.is_empty(), "{} of {} cases:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

#[test]
fn wrong_types_name_the_field() {
    let g = base_generated;
    assert_path(vec![
        ("batch_size string", with(g, |v| set(v, "/batch_size", json!("ten"))), "batch_size"),
        ("batch_size float", with(g, |v| set(v, "/batch_size", json!(2.5))), "batch_size"),
        ("hidden string", with(g, |v| set(v, "/network/hidden", json!("4"))), "network.hidden"),
        ("hidden element", with(g, |v| set(v, "/network/hidden/1", json!("3"))), "network.hidden[1]"),
        ("activation number", with(g, |v| set(v, "/network/activation", json!(1))), "network.activation"),
        ("output unknown", with(g, |v| set(v, "/network/output", json!("swish"))), "network.output"),
        ("lr string", with(g, |v| set(v, "/optimizer/lr", json!("fast"))), "optimizer.lr"),
        ("amsgrad number", with(g, |v| set(v, "/optimizer/amsgrad", json!(1))), "optimizer.amsgrad"),
        ("optimizer string", with(g, |v| set(v, "/optimizer", json!("adam"))), "optimizer"),
        ("optimizer name number", with(g, |v| set(v, "/optimizer/name", json!(3))), "optimizer.name"),
        ("samples string", with(g, |v| set(v, "/data/samples", json!("many"))), "data.samples"),
        ("noise bool", with(g, |v| set(v, "/data/noise", json!(true))), "data.noise"),
        ("data string", with(g, |v| set(v, "/data", json!("circle"))), "data"),
        ("split train string", with(g, |v| set(v, "/split/train", json!("a"))), "split.train"),
        ("split string", with(g, |v| set(v, "/split", json!("half"))), "split"),
        ("shuffle number", with(g, |v| set(v, "/shuffle", json!(1))), "shuffle"),
        ("seed float", with(g, |v| set(v, "/seed", json!(1.5))), "seed"),
        ("features string", with(g, |v| set(v, "/features", json!("x1"))), "features"),
        ("feature number", with(g, |v| set(v, "/features/1", json!(3))), "features[1]"),
        ("feature unknown", with(g, |v| set(v, "/features/2", json!("x3"))), "features[2]"),
        ("rate string", with(g, |v| set(v, "/regularization/rate", json!("high"))), "regularization.rate"),
        ("reg kind", with(g, |v| set(v, "/regularization/kind", json!("l3"))), "regularization.kind"),
        ("gamma string", with(g, |v| set(v, "/schedule/gamma", json!("x"))), "schedule.gamma"),
        ("schedule number", with(g, |v| set(v, "/schedule", json!(5))), "schedule"),
        ("loss number", with(g, |v| set(v, "/loss", json!(1))), "loss"),
        ("loss unknown", with(g, |v| set(v, "/loss", json!("hinge"))), "loss"),
        ("title number", with(g, |v| set(v, "/title", json!(5))), "title"),
        ("version string", with(g, |v| set(v, "/version", json!("1"))), "version"),
        ("format number", with(g, |v| set(v, "/format", json!(1))), "format"),
        ("generator unknown", with(g, |v| set(v, "/data/generator", json!("donut"))), "data.generator"),
        ("init number", with(g, |v| set(v, "/init", json!(3))), "init"),
        ("init unknown", with(g, |v| set(v, "/init", json!("glorot"))), "init"),
        ("init scale string", with(g, |v| set(v, "/init", json!({"name": "uniform", "scale": "big"}))), "init.scale"),
        ("x string", with(base_inline, |v| set(v, "/data/x/2/1", json!("2"))), "data.x[2][1]"),
        ("y row number", with(base_inline, |v| set(v, "/data/y/0", json!(1.0))), "data.y[0]"),
        ("init w string", with(base_inline, |v| set(v, "/init/layers/0/w/0/1", json!("x"))), "init.layers[0].w[0][1]"),
        ("init b null", with(base_inline, |v| set(v, "/init/layers/1/b/0", json!(null))), "init.layers[1].b[0]"),
    ]);
}

#[test]
fn missing_fields_name_the_field() {
    let g = base_generated;
    let mut cases = Vec::new();
    for (ptr, path) in [
        ("/format", "format"),
        ("/version", "version"),
        ("/data", "data"),
        ("/network", "network"),
        ("/loss", "loss"),
        ("/optimizer", "optimizer"),
        ("/batch_size", "batch_size"),
        ("/network/hidden", "network.hidden"),
        ("/network/output", "network.output"),
        ("/optimizer/name", "optimizer.name"),
        ("/schedule/gamma", "schedule.gamma"),
        ("/schedule/name", "schedule.name"),
        ("/data/generator", "data"),
        ("/split/train", "split.train"),
    ] {
        cases.push((ptr, with(g, |v| remove(v, ptr)), path));
    }
    for (ptr, path) in [("/data/y", "data.y"), ("/data/x", "data.x"), ("/init/layers/0/b", "init.layers[0].b")] {
        cases.push((ptr, with(base_inline, |v| remove(v, ptr)), path));
    }
    assert_path(cases);
    // The message names the missing field too.
    assert!(error_of(&with(g, |v| remove(v, "/loss"))).message.contains("loss"));
    assert!(error_of(&with(g, |v| remove(v, "/data/generator"))).message.contains("generator"));
}

#[test]
fn unknown_fields_name_the_field() {
    let g = base_generated;
    assert_path(vec![
        ("top", with(g, |v| set(v, "/foo", json!(1))), "foo"),
        ("network", with(g, |v| set(v, "/network/hiden", json!([3]))), "network.hiden"),
        ("data", with(g, |v| set(v, "/data/colour", json!("red"))), "data.colour"),
        ("split", with(g, |v| set(v, "/split/holdout", json!(0.1))), "split.holdout"),
        ("regularization", with(g, |v| set(v, "/regularization/l3", json!(1))), "regularization.l3"),
        ("adam", with(g, |v| set(v, "/optimizer/beta3", json!(0.5))), "optimizer.beta3"),
        ("adam betas", with(g, |v| set(v, "/optimizer/betas", json!([0.9, 0.99]))), "optimizer.betas"),
        ("sgd beta1", with(base_inline, |v| set(v, "/optimizer/beta1", json!(0.9))), "optimizer.beta1"),
        ("schedule", with(g, |v| set(v, "/schedule/warmup", json!(2))), "schedule.warmup"),
        (
            "constant schedule",
            with(g, |v| set(v, "/schedule", json!({"name": "constant", "gamma": 0.5}))),
            "schedule.gamma",
        ),
        ("init", with(g, |v| set(v, "/init", json!({"name": "xavier", "gain": 2}))), "init.gain"),
        ("inline data", with(base_inline, |v| set(v, "/data/z", json!([[1.0]]))), "data.z"),
        ("init layer", with(base_inline, |v| set(v, "/init/layers/0/bias", json!([0.0]))), "init.layers[0].bias"),
        ("optimizer name", with(g, |v| set(v, "/optimizer/name", json!("lbfgs"))), "optimizer.name"),
        ("schedule name", with(g, |v| set(v, "/schedule/name", json!("cosine"))), "schedule.name"),
    ]);
}

#[test]
fn negative_and_zero_sizes_name_the_field() {
    let g = base_generated;
    assert_path(vec![
        ("hidden -3", with(g, |v| set(v, "/network/hidden/1", json!(-3))), "network.hidden[1]"),
        ("hidden 0", with(g, |v| set(v, "/network/hidden/0", json!(0))), "network.hidden[0]"),
        ("samples -5", with(g, |v| set(v, "/data/samples", json!(-5))), "data.samples"),
        ("samples 1", with(g, |v| set(v, "/data/samples", json!(1))), "data.samples"),
        ("batch -1", with(g, |v| set(v, "/batch_size", json!(-1))), "batch_size"),
        ("batch 0", with(g, |v| set(v, "/batch_size", json!(0))), "batch_size"),
        ("steps -10", with(g, |v| set(v, "/steps", json!(-10))), "steps"),
        ("seed -1", with(g, |v| set(v, "/seed", json!(-1))), "seed"),
        ("outputs -1", with(g, |v| set(v, "/network/outputs", json!(-1))), "network.outputs"),
        ("outputs 0", with(g, |v| set(v, "/network/outputs", json!(0))), "network.outputs"),
        ("bits -1", with(base_softmax, |v| set(v, "/data/bits", json!(-1))), "data.bits"),
        ("bits 0", with(base_softmax, |v| set(v, "/data/bits", json!(0))), "data.bits"),
        ("validation -0.5", with(g, |v| set(v, "/split/validation", json!(-0.5))), "split.validation"),
        ("train 0", with(g, |v| set(v, "/split/train", json!(0))), "split.train"),
        ("lr -1", with(g, |v| set(v, "/optimizer/lr", json!(-1))), "optimizer.lr"),
        ("eps -1", with(g, |v| set(v, "/optimizer/eps", json!(-1e-8))), "optimizer.eps"),
        ("rate -1", with(g, |v| set(v, "/regularization/rate", json!(-1))), "regularization.rate"),
        ("noise -0.1", with(g, |v| set(v, "/data/noise", json!(-0.1))), "data.noise"),
        ("step_size -3", with(g, |v| set(v, "/schedule/step_size", json!(-3))), "schedule.step_size"),
        ("step_size 0", with(g, |v| set(v, "/schedule/step_size", json!(0))), "schedule.step_size"),
        ("gamma 0", with(g, |v| set(v, "/schedule/gamma", json!(0))), "schedule.gamma"),
        ("decay -1", with(base_softmax, |v| set(v, "/schedule/decay", json!(-1))), "schedule.decay"),
        ("scale -1", with(g, |v| set(v, "/init", json!({"name": "uniform", "scale": -1}))), "init.scale"),
        ("momentum -1", with(base_inline, |v| set(v, "/optimizer/momentum", json!(-1))), "optimizer.momentum"),
    ]);
}

#[test]
fn shape_mismatches_name_the_field() {
    let i = base_inline;
    assert_path(vec![
        (
            "x has 3 rows, y 2",
            with(i, |v| set(v, "/data", json!({"x": [[1, 2], [3, 4], [5, 6]], "y": [[1], [0]]}))),
            "data.y",
        ),
        ("ragged x", with(i, |v| set(v, "/data/x/1", json!([3.0]))), "data.x[1]"),
        ("ragged y", with(i, |v| set(v, "/data/y/2", json!([1.0, 2.0]))), "data.y[2]"),
        ("empty x", with(i, |v| set(v, "/data", json!({"x": [], "y": []}))), "data.x"),
        ("empty rows", with(i, |v| set(v, "/data", json!({"x": [[]], "y": [[1]]}))), "data.x"),
        ("w wrong shape", with(i, |v| set(v, "/init/layers/0/w", json!([[1, 2, 3], [4, 5, 6]]))), "init.layers[0].w"),
        ("w too few rows", with(i, |v| set(v, "/init/layers/1/w", json!([[0.5]]))), "init.layers[1].w"),
        ("ragged w", with(i, |v| set(v, "/init/layers/0/w/1", json!([0.3]))), "init.layers[0].w[1]"),
        ("b wrong length", with(i, |v| set(v, "/init/layers/1/b", json!([0.2, 0.3]))), "init.layers[1].b"),
        ("too few layers", with(i, |v| remove(v, "/init/layers/1")), "init.layers"),
        ("inline data with features", with(i, |v| set(v, "/features", json!(["x1"]))), "features"),
        (
            "activations length",
            with(base_softmax, |v| set(v, "/network/activations", json!(["relu"]))),
            "network.activations",
        ),
        ("outputs vs classes", with(base_generated, |v| set(v, "/network/outputs", json!(5))), "network.outputs"),
        ("softmax outputs vs classes", with(base_softmax, |v| set(v, "/network/outputs", json!(3))), "network.outputs"),
        ("outputs vs inline y", with(i, |v| set(v, "/network/outputs", json!(2))), "network.outputs"),
        ("features of keras", with(base_generated, |v| set(v, "/data/generator", json!("keras"))), "features"),
        ("no features", with(base_generated, |v| set(v, "/features", json!([]))), "features"),
    ]);
}

#[test]
fn absurd_sizes_name_the_field() {
    let g = base_generated;
    assert_path(vec![
        ("samples 1e9", with(g, |v| set(v, "/data/samples", json!(1_000_000_000u64))), "data.samples"),
        ("hidden 100000", with(g, |v| set(v, "/network/hidden", json!([100_000]))), "network.hidden[0]"),
        ("hidden 1025", with(g, |v| set(v, "/network/hidden/1", json!(1025))), "network.hidden[1]"),
        ("too many parameters", with(g, |v| set(v, "/network/hidden", json!([1000, 1000, 1000]))), "network.hidden"),
        ("too many layers", with(g, |v| set(v, "/network/hidden", json!(vec![3; 40]))), "network.hidden"),
        ("steps 1e12", with(g, |v| set(v, "/steps", json!(1_000_000_000_000u64))), "steps"),
        ("batch 1e9", with(g, |v| set(v, "/batch_size", json!(1_000_000_000u64))), "batch_size"),
        ("outputs 100000", with(g, |v| set(v, "/network/outputs", json!(100_000))), "network.outputs"),
        ("bits 64", with(base_softmax, |v| set(v, "/data/bits", json!(64))), "data.bits"),
        ("dims 1e6", with(g, |v| set(v, "/data", json!({"generator": "keras", "dims": 1_000_000}))), "data.dims"),
        (
            "keras 100000 × 1024",
            with(g, |v| {
                set(v, "/data", json!({"generator": "keras", "samples": 100_000, "dims": 1024}));
                remove(v, "/features");
            }),
            "data.samples",
        ),
        ("noise 2", with(g, |v| set(v, "/data/noise", json!(2))), "data.noise"),
        ("version 2^40", with(g, |v| set(v, "/version", json!(1u64 << 40))), "version"),
        (
            "seed 2^64",
            with(g, |v| set(v, "/seed", serde_json::from_str::<Value>("18446744073709551616").unwrap())),
            "seed",
        ),
        ("scale 1e308", with(g, |v| set(v, "/init", json!({"name": "uniform", "scale": 1e308}))), "init.scale"),
        ("beta1 1.5", with(g, |v| set(v, "/optimizer/beta1", json!(1.5))), "optimizer.beta1"),
        ("huge inline x", with(base_inline, |v| set(v, "/data/x", json!(vec![[1.0, 2.0]; 100_001]))), "data.x"),
    ]);
}

#[test]
fn wrong_format_version_and_non_objects() {
    let g = base_generated;
    assert_path(vec![
        ("format", with(g, |v| set(v, "/format", json!("tf-playground"))), "format"),
        ("version 2", with(g, |v| set(v, "/version", json!(2))), "version"),
        ("version 0", with(g, |v| set(v, "/version", json!(0))), "version"),
    ]);
    for text in
        ["[]", "[1, 2]", "\"experiment\"", "42", "null", "true", "", "   ", "{", "{\"format\":", "{} {}", "\u{feff}{}"]
    {
        let e = Experiment::from_json(text).unwrap_err();
        assert_eq!(e.path, "", "{text:?}: {e}");
        assert!(!e.message.is_empty());
    }
    // An empty object misses its first required field.
    assert_eq!(Experiment::from_json("{}").unwrap_err().path, "format");
}

#[test]
fn incompatible_loss_and_activations_name_the_field() {
    let g = base_generated;
    assert_path(vec![
        ("bce + linear", with(g, |v| set(v, "/network/output", json!("linear"))), "loss"),
        ("bce + tanh", with(g, |v| set(v, "/network/output", json!("tanh"))), "loss"),
        ("bce + softmax", with(g, |v| set(v, "/network/output", json!("softmax"))), "loss"),
        ("softmax_ce + sigmoid", with(g, |v| set(v, "/loss", json!("softmax_ce"))), "loss"),
        ("mse + softmax", with(base_softmax, |v| set(v, "/loss", json!("mse"))), "loss"),
        ("softmax hidden", with(g, |v| set(v, "/network/activation", json!("softmax"))), "network.activation"),
        (
            "softmax in activations",
            with(base_softmax, |v| set(v, "/network/activations/1", json!("softmax"))),
            "network.activations[1]",
        ),
        (
            "nesterov without momentum",
            with(g, |v| set(v, "/optimizer", json!({"name": "sgd", "nesterov": true}))),
            "optimizer.nesterov",
        ),
    ]);
    let e = error_of(&with(g, |v| set(v, "/network/output", json!("linear"))));
    assert!(e.message.contains("sigmoid"), "{e}");
}

// ----- property: mutations never panic --------------------------------------------------------

/// Names that make mutations likely to stay meaningful.
const WORDS: &[&str] = &[
    "format",
    "version",
    "title",
    "data",
    "split",
    "features",
    "network",
    "init",
    "loss",
    "optimizer",
    "schedule",
    "regularization",
    "batch_size",
    "shuffle",
    "seed",
    "steps",
    "generator",
    "samples",
    "noise",
    "bits",
    "dims",
    "x",
    "y",
    "train",
    "validation",
    "test",
    "hidden",
    "activation",
    "activations",
    "output",
    "outputs",
    "layers",
    "w",
    "b",
    "name",
    "scale",
    "lr",
    "momentum",
    "dampening",
    "nesterov",
    "lr_decay",
    "initial_accumulator_value",
    "eps",
    "alpha",
    "centered",
    "beta1",
    "beta2",
    "amsgrad",
    "decay",
    "step_size",
    "gamma",
    "kind",
    "rate",
    "gradlab-experiment",
    "circle",
    "xor",
    "gauss",
    "spiral",
    "moons",
    "plane",
    "multi_gauss",
    "even_odd",
    "keras",
    "x1",
    "x2",
    "x1^2",
    "x2^2",
    "x1*x2",
    "sin(x1)",
    "sin(x2)",
    "linear",
    "sigmoid",
    "tanh",
    "relu",
    "leaky_relu",
    "softmax",
    "mse",
    "bce",
    "softmax_ce",
    "binary_cross_entropy",
    "sgd",
    "adagrad",
    "rmsprop",
    "adam",
    "constant",
    "inverse_time",
    "step",
    "exponential",
    "none",
    "l1",
    "l2",
    "xavier",
    "he",
    "uniform",
    "pytorch",
    "zeros",
    "",
];

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => (-3i64..=40).prop_map(Value::from),
        1 => prop::sample::select(vec![
            json!(0), json!(1), json!(2), json!(1024), json!(1025), json!(100_000), json!(100_001), json!(-1),
            json!(i64::MIN), json!(u64::MAX), json!(1u64 << 53), json!(1u64 << 31), json!(4_000_000),
        ]),
        2 => prop::sample::select(vec![
            json!(0.0), json!(-0.0), json!(0.5), json!(0.999), json!(1.5), json!(-2.5), json!(1e-300), json!(5e-324),
            json!(1e308), json!(-1e308), json!(f64::MAX), json!(1e10),
        ]),
        2 => (-10.0f64..10.0).prop_map(Value::from),
        4 => prop::sample::select(WORDS).prop_map(Value::from),
        1 => "[a-z_0-9\\^\\*\\(\\)]{0,8}".prop_map(Value::from),
        1 => any::<bool>().prop_map(Value::from),
        1 => Just(Value::Null),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(2, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(WORDS), inner), 0..4)
                .prop_map(|kv| Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect::<Map<_, _>>())),
        ]
    })
}

#[derive(Clone, Debug)]
enum Mutation {
    /// Replace the node picked by the index (among all nodes) with a value.
    Replace(usize, Value),
    /// Delete the picked node from its parent.
    Delete(usize),
    /// Insert a key (an object node) or an element (an array node).
    Insert(usize, &'static str, Value),
    /// Replace the picked leaf with another value of the same JSON type (numbers by
    /// numbers, strings by names, booleans flipped), so the file often stays valid and
    /// the property reaches `build()` and `step()` with unusual settings.
    Tweak(usize, Value, &'static str),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (any::<usize>(), value()).prop_map(|(i, v)| Mutation::Replace(i, v)),
        2 => any::<usize>().prop_map(Mutation::Delete),
        2 => (any::<usize>(), prop::sample::select(WORDS), value()).prop_map(|(i, k, v)| Mutation::Insert(i, k, v)),
        6 => (any::<usize>(), number(), prop::sample::select(WORDS)).prop_map(|(i, n, w)| Mutation::Tweak(i, n, w)),
    ]
}

fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => (0i64..=12).prop_map(Value::from),
        1 => prop::sample::select(vec![json!(-1), json!(1024), json!(1025), json!(100_000), json!(u64::MAX)]),
        3 => prop::sample::select(vec![json!(0.0), json!(1e-3), json!(0.05), json!(0.5), json!(0.99), json!(1.0), json!(2.0), json!(-0.5), json!(1e6)]),
    ]
}

#[derive(Clone, Debug)]
enum Corruption {
    Truncate(usize),
    Overwrite(usize, Vec<u8>),
    InsertBytes(usize, Vec<u8>),
    DeleteRange(usize, usize),
}

fn corruption() -> impl Strategy<Value = Corruption> {
    let bytes = prop::collection::vec(
        prop_oneof![any::<u8>(), prop::sample::select(b"{}[]\",:0123456789.-eE \\nul".to_vec())],
        1..6,
    );
    prop_oneof![
        any::<usize>().prop_map(Corruption::Truncate),
        (any::<usize>(), bytes.clone()).prop_map(|(i, b)| Corruption::Overwrite(i, b)),
        (any::<usize>(), bytes).prop_map(|(i, b)| Corruption::InsertBytes(i, b)),
        (any::<usize>(), 1usize..20).prop_map(|(i, n)| Corruption::DeleteRange(i, n)),
    ]
}

/// JSON-pointer paths of every node (the root is `""`).
fn nodes(v: &Value, here: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, c) in m {
                nodes(c, format!("{here}/{}", k.replace('~', "~0").replace('/', "~1")), out);
            }
        }
        Value::Array(a) => {
            for (i, c) in a.iter().enumerate() {
                nodes(c, format!("{here}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(here);
}

fn apply(v: &mut Value, m: &Mutation) {
    let mut all = Vec::new();
    nodes(v, String::new(), &mut all);
    let pick = |i: usize| all[i % all.len()].clone();
    match m {
        Mutation::Replace(i, new) => *v.pointer_mut(&pick(*i)).unwrap() = new.clone(),
        Mutation::Delete(i) => {
            let p = pick(*i);
            if let Some((parent, key)) = p.rsplit_once('/') {
                match v.pointer_mut(parent).unwrap() {
                    Value::Object(o) => {
                        o.remove(&key.replace("~1", "/").replace("~0", "~"));
                    }
                    Value::Array(a) => {
                        a.remove(key.parse::<usize>().unwrap());
                    }
                    _ => unreachable!(),
                }
            }
        }
        Mutation::Insert(i, key, new) => match v.pointer_mut(&pick(*i)).unwrap() {
            Value::Object(o) => {
                o.insert(key.to_string(), new.clone());
            }
            Value::Array(a) => {
                let at = i % (a.len() + 1);
                a.insert(at, new.clone());
            }
            other => *other = new.clone(),
        },
        Mutation::Tweak(i, n, w) => {
            let leaves: Vec<&String> =
                all.iter().filter(|p| !matches!(v.pointer(p), Some(Value::Object(_) | Value::Array(_)))).collect();
            if leaves.is_empty() {
                return;
            }
            let p = leaves[i % leaves.len()].clone();
            let leaf = v.pointer_mut(&p).unwrap();
            *leaf = match leaf {
                Value::Number(_) => n.clone(),
                Value::String(_) => Value::from(*w),
                Value::Bool(b) => Value::Bool(!*b),
                _ => n.clone(),
            };
        }
    }
}

fn corrupt(text: &str, c: &Corruption) -> String {
    let mut b = text.as_bytes().to_vec();
    let at = |i: usize, len: usize| if len == 0 { 0 } else { i % (len + 1) };
    match c {
        Corruption::Truncate(i) => b.truncate(at(*i, b.len())),
        Corruption::Overwrite(i, bytes) => {
            let start = at(*i, b.len());
            for (k, &x) in bytes.iter().enumerate() {
                match b.get_mut(start + k) {
                    Some(slot) => *slot = x,
                    None => b.push(x),
                }
            }
        }
        Corruption::InsertBytes(i, bytes) => {
            let start = at(*i, b.len());
            b.splice(start..start, bytes.iter().copied());
        }
        Corruption::DeleteRange(i, n) => {
            let start = at(*i, b.len());
            let end = (start + n).min(b.len());
            b.drain(start..end);
        }
    }
    String::from_utf8_lossy(&b).into_owned()
}

/// What must never panic, and what must hold when a file is accepted.
fn exercise(text: &str) -> Result<(), TestCaseError> {
    // The page's reader (no serde) never accepts what serde rejects, and reads the same
    // experiment from what it accepts. (It may reject more: serde also takes an array of
    // field values for a struct; and when a file has several faults the two may name
    // different ones first.)
    let (lite, serde) = (gradlab::train::experiment_lite::read(text), Experiment::from_json(text));
    if let Ok(a) = &lite {
        prop_assert_eq!(Some(a), serde.as_ref().ok(), "lite accepted what serde rejects ({:?}): {}", serde.as_ref().err(), text);
    }
    let Ok(exp) = serde else {
        return Ok(());
    };
    // An accepted experiment writes back to an equal one.
    let again = Experiment::from_json(&exp.to_json());
    prop_assert_eq!(again.as_ref(), Ok(&exp), "round trip of {}", text);
    if let Ok(built) = exp.build() {
        let mut t = built.trainer;
        for _ in 0..3 {
            t.step();
        }
        t.next_phase();
        t.prev_phase();
        t.back();
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 7_000, max_shrink_iters: 2_000, ..ProptestConfig::default() })]

    /// Structural mutations of valid files (random values of random types at random
    /// places, deletions, insertions).
    #[test]
    fn mutated_files_never_panic(base in 0usize..3, muts in prop::collection::vec(mutation(), 1..4)) {
        let mut v = bases().swap_remove(base);
        for m in &muts {
            apply(&mut v, m);
        }
        exercise(&v.to_string())?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3_000, max_shrink_iters: 2_000, ..ProptestConfig::default() })]

    /// Byte-level damage (random bytes, insertions, deletions, truncation), possibly
    /// after a structural mutation.
    #[test]
    fn corrupted_bytes_never_panic(
        base in 0usize..3,
        m in prop::option::of(mutation()),
        cs in prop::collection::vec(corruption(), 1..3),
        pretty in any::<bool>(),
    ) {
        let mut v = bases().swap_remove(base);
        if let Some(m) = &m {
            apply(&mut v, m);
        }
        let mut text = if pretty { serde_json::to_string_pretty(&v).unwrap() } else { v.to_string() };
        for c in &cs {
            text = corrupt(&text, c);
        }
        exercise(&text)?;
    }
}

/// The mutation machinery really reaches the engine: a good share of mutated files
/// still parse and build (so the property exercises build() and step()).
#[test]
fn mutations_often_stay_valid() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = (0usize..3, mutation());
    let (mut parsed, mut built, total) = (0, 0, 2000);
    for _ in 0..total {
        let (base, m) = strategy.new_tree(&mut runner).unwrap().current();
        let mut v = bases().swap_remove(base);
        apply(&mut v, &m);
        if let Ok(e) = Experiment::from_json(&v.to_string()) {
            parsed += 1;
            if e.build().is_ok() {
                built += 1;
            }
        }
    }
    eprintln!("parsed {parsed}, built {built} of {total}");
    assert!(parsed > total / 4 && built > total / 5, "parsed {parsed}, built {built} of {total}");
}
