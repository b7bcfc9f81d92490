#![cfg(not(target_arch = "wasm32"))]
//! The command-line runner: `gradlab run FILE [--trace CSV]` and `gradlab bench`.

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_gradlab"))
}

/// A fresh directory for one test's files.
fn temp_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn classification() -> Value {
    json!({
        "format": "gradlab-experiment", "version": 1, "title": "cli test",
        "data": {"generator": "xor", "samples": 80, "noise": 0.0, "seed": 4},
        "split": {"train": 0.5, "validation": 0.25, "test": 0.25},
        "features": ["x1", "x2", "x1*x2"],
        "network": {"hidden": [4, 3], "activation": "tanh", "output": "sigmoid"},
        "loss": "bce", "optimizer": {"name": "adam", "lr": 0.05},
        "batch_size": 8, "seed": 2, "steps": 23
    })
}

fn regression() -> Value {
    json!({
        "format": "gradlab-experiment", "version": 1,
        "data": {"generator": "plane", "samples": 60, "seed": 1},
        "split": {"train": 0.6, "validation": 0.2, "test": 0.2},
        "network": {"hidden": [3], "activation": "relu", "output": "linear"},
        "loss": "mse", "optimizer": {"name": "sgd", "lr": 0.01, "momentum": 0.9},
        "schedule": {"name": "exponential", "gamma": 0.99},
        "batch_size": 5, "seed": 3, "steps": 17
    })
}

fn write(dir: &Path, name: &str, v: &Value) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, serde_json::to_string_pretty(v).unwrap()).unwrap();
    p
}

fn stdout_json(out: &Output) -> Value {
    assert!(out.status.success(), "exit {:?}: {}", out.status, String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn run_prints_the_report_and_writes_the_trace() {
    let dir = temp_dir("run");
    let file = write(&dir, "xor.json", &classification());
    let csv = dir.join("out.csv");
    let out = bin().arg("run").arg(&file).arg("--trace").arg(&csv).output().unwrap();
    let report = stdout_json(&out);

    let losses = report["losses"].as_array().expect("losses");
    assert_eq!(losses.len(), 23);
    assert!(losses.iter().all(|l| l.as_f64().is_some_and(|v| v.is_finite() && v > 0.0)));
    assert_eq!(report["steps"], 23);
    assert_eq!(report["epochs"], 23 * 8 / 40, "40 training samples, batches of 8");
    let fin = &report["final"];
    for k in ["train_loss", "validation_loss", "test_loss", "train_accuracy", "validation_accuracy", "test_accuracy"] {
        let v = fin[k].as_f64().unwrap_or_else(|| panic!("final.{k} missing: {fin}"));
        assert!(v.is_finite() && v >= 0.0, "final.{k} = {v}");
        if k.ends_with("accuracy") {
            assert!(v <= 1.0);
        }
    }
    assert!(report.get("diverged").is_none());
    // Final parameters: 3 → 4 → 3 → 1.
    let params = report["params"].as_array().unwrap();
    let shapes: Vec<(usize, usize, usize)> = params
        .iter()
        .map(|l| {
            let w = l["w"].as_array().unwrap();
            (w.len(), w[0].as_array().unwrap().len(), l["b"].as_array().unwrap().len())
        })
        .collect();
    assert_eq!(shapes, vec![(3, 4, 4), (4, 3, 3), (3, 1, 1)]);

    // The same run in-process gives the same numbers (the binary runs the engine).
    let exp = gradlab::train::Experiment::from_json(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let mut t = exp.build().unwrap().trainer;
    let expect: Vec<f64> = (0..23).map(|_| t.step()).collect();
    let got: Vec<f64> = losses.iter().map(|l| l.as_f64().unwrap()).collect();
    // serde_json without its `float_roundtrip` feature may read the last digit of an
    // f64 one ulp off, so compare to within 2 ulp.
    assert_eq!(got.len(), expect.len());
    for (g, e) in got.iter().zip(&expect) {
        assert!((g - e).abs() <= 2.0 * f64::EPSILON * e.abs(), "{g} vs {e}");
    }

    // The CSV trace: header, then one row per step.
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next().unwrap(), "step,epoch,lr,loss,grad_norm_1,grad_norm_2,grad_norm_3");
    let rows: Vec<Vec<f64>> = lines.map(|l| l.split(',').map(|c| c.parse::<f64>().unwrap()).collect()).collect();
    assert_eq!(rows.len(), 23);
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(r.len(), 7);
        assert_eq!(r[0], (i + 1) as f64, "step");
        assert_eq!(r[1], ((i + 1) * 8 / 40) as f64, "epoch after the update");
        assert_eq!(r[2], 0.05, "lr");
        assert_eq!(r[3], expect[i], "loss (Rust prints and parses f64 exactly)");
        assert!(r[4..].iter().all(|g| g.is_finite() && *g >= 0.0));
    }
}

#[test]
fn run_regression_has_no_accuracy_and_traces_the_schedule() {
    let dir = temp_dir("regression");
    let file = write(&dir, "plane.json", &regression());
    let csv = dir.join("trace.csv");
    let out = bin().args(["run".as_ref(), file.as_os_str(), "--trace".as_ref(), csv.as_os_str()]).output().unwrap();
    let report = stdout_json(&out);
    assert_eq!(report["losses"].as_array().unwrap().len(), 17);
    let fin = &report["final"];
    assert!(fin["train_loss"].is_f64() && fin["validation_loss"].is_f64() && fin["test_loss"].is_f64());
    assert!(fin["train_accuracy"].is_null() && fin["test_accuracy"].is_null(), "{fin}");
    let text = std::fs::read_to_string(&csv).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "step,epoch,lr,loss,grad_norm_1,grad_norm_2");
    assert_eq!(lines.len(), 18);
    for (i, l) in lines[1..].iter().enumerate() {
        let lr: f64 = l.split(',').nth(2).unwrap().parse().unwrap();
        assert!((lr - 0.01 * 0.99f64.powi(i as i32)).abs() < 1e-15, "row {i}: lr {lr}");
    }
    // Without --trace no CSV is needed and the report is the same.
    let again = stdout_json(&bin().arg("run").arg(&file).output().unwrap());
    assert_eq!(again, report);
}

#[test]
fn broken_files_exit_non_zero_naming_the_field() {
    let dir = temp_dir("broken");
    let mut cases: Vec<(Value, &str)> = Vec::new();
    let mut v = classification();
    v["network"]["hidden"][1] = json!(-3);
    cases.push((v, "network.hidden[1]"));
    let mut v = classification();
    v["optimizer"]["lr"] = json!("fast");
    cases.push((v, "optimizer.lr"));
    let mut v = classification();
    v["network"]["output"] = json!("linear");
    cases.push((v, "loss"));
    let mut v = classification();
    v.as_object_mut().unwrap().remove("batch_size");
    cases.push((v, "batch_size"));
    for (i, (v, field)) in cases.iter().enumerate() {
        let file = write(&dir, &format!("bad{i}.json"), v);
        let out = bin().arg("run").arg(&file).output().unwrap();
        assert!(!out.status.success(), "{field}: exit {:?}", out.status);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(&format!("{field}:")), "{field}: stderr {err}");
        assert!(out.stdout.is_empty(), "no report on error");
    }
    // Not JSON, a missing file, bad arguments.
    let file = dir.join("garbage.json");
    std::fs::write(&file, "{\"format\": ").unwrap();
    let out = bin().arg("run").arg(&file).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("JSON"));
    let out = bin().arg("run").arg(dir.join("missing.json")).output().unwrap();
    assert!(!out.status.success());
    assert!(!bin().arg("run").output().unwrap().status.success());
    assert!(!bin().arg("frobnicate").output().unwrap().status.success());
    let good = write(&dir, "good.json", &classification());
    assert!(!bin().arg("run").arg(&good).arg("--trace").output().unwrap().status.success());
    assert!(!bin().args(["bench", "--seconds", "-1"]).output().unwrap().status.success());
}

#[test]
fn diverging_runs_stop_and_say_why() {
    let dir = temp_dir("diverge");
    let mut v = regression();
    v["optimizer"] = json!({"name": "sgd", "lr": 1e6});
    v["steps"] = json!(5000);
    let file = write(&dir, "diverge.json", &v);
    let report = stdout_json(&bin().arg("run").arg(&file).output().unwrap());
    let steps = report["steps"].as_u64().unwrap();
    assert!(steps < 5000, "stopped early");
    assert_eq!(report["losses"].as_array().unwrap().len() as u64, steps);
    assert!(report["diverged"].as_str().is_some_and(|s| !s.is_empty()), "{report}");
}

#[test]
fn bench_prints_two_lines_with_samples_per_second() {
    let out = bin().args(["bench", "--seconds", "0.2"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().filter(|l| l.contains("samples/s")).collect();
    assert_eq!(lines.len(), 2, "{text}");
    for l in lines {
        let rate: f64 = l.rsplit(": ").next().unwrap().split_whitespace().next().unwrap().parse().unwrap();
        assert!(rate > 0.0, "{l}");
    }
}
