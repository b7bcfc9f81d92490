#!/usr/bin/env python3
"""Generate PyTorch reference fixtures for gradlab's engine.

Each fixture in ``fixtures/`` is ``{"experiment": ..., "expected": ..., "reference": ...}``:

* ``experiment`` is a gradlab experiment file (format "gradlab-experiment", version 1)
  with inline data, inline initial parameters, no shuffling and ``steps`` updates;
* ``expected.losses[t]`` is the mean batch loss of update ``t`` (the data loss only,
  without the L1/L2 penalty), computed by PyTorch before that update;
* ``expected.params`` are the parameters after all updates, in the engine's layout:
  ``w`` is ``[inputs][units]`` (the transpose of ``torch.nn.Linear.weight``), ``b`` is ``[units]``.

Everything is float64 and written with full precision (Python's shortest round-trip
``repr``). The run is deterministic: same script + same torch version = same files.

Run it from anywhere:  .venv/bin/python tests/reference/generate.py
"""

from __future__ import annotations

import json
import math
import pathlib
import re

import numpy as np
import torch
from torch import nn

torch.set_default_dtype(torch.float64)
torch.use_deterministic_algorithms(True)
torch.set_num_threads(1)

HERE = pathlib.Path(__file__).resolve().parent
OUT = HERE / "fixtures"

STEPS = 24  # 10 samples, batch 4 -> batches of 4, 4, 2: eight epochs

# Learning rates per optimizer preset: large enough that parameters move visibly.
LR = {
    "sgd": 0.1,
    "momentum": 0.05,
    "nesterov": 0.05,
    "adagrad": 0.1,
    "rmsprop": 0.01,
    "adam": 0.02,
}

# ---------------------------------------------------------------------------------------
# Data and initial parameters (numpy, seeded)


def make_data(rng: np.random.Generator, n: int, inputs: int, loss: str, outputs: int):
    """Inputs ~ N(0, 1); targets from a fixed random rule suited to the loss."""
    x = rng.standard_normal((n, inputs))
    proj = rng.standard_normal((inputs, outputs))
    s = x @ proj
    if loss == "mse":
        y = np.sin(s) + 0.1 * rng.standard_normal((n, outputs))
    elif loss == "bce":
        y = (s + 0.3 * rng.standard_normal((n, outputs)) > 0).astype(np.float64)
    elif loss == "softmax_ce":
        cls = np.argmax(s + 0.3 * rng.standard_normal((n, outputs)), axis=1)
        y = np.eye(outputs)[cls]
    else:
        raise ValueError(loss)
    return x, y


def make_init(rng: np.random.Generator, sizes: list[int]):
    """Xavier-uniform weights and small non-zero biases; w is [inputs][units]."""
    layers = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        limit = math.sqrt(6.0 / (fan_in + fan_out))
        w = rng.uniform(-limit, limit, (fan_in, fan_out))
        b = rng.uniform(-0.2, 0.2, fan_out)
        layers.append({"w": w.tolist(), "b": b.tolist()})
    return layers


# ---------------------------------------------------------------------------------------
# The PyTorch side

ACT = {
    "tanh": nn.Tanh,
    "relu": nn.ReLU,
    "sigmoid": nn.Sigmoid,
    "leaky_relu": lambda: nn.LeakyReLU(negative_slope=0.01),
    "linear": nn.Identity,
}


def build_model(init_layers, hidden_acts: list[str], output: str):
    """nn.Sequential of nn.Linear + activations. The output activation is NOT applied
    for bce / softmax_ce (the losses take logits); for mse it is applied (linear or tanh)."""
    mods = []
    linears = []
    for i, lp in enumerate(init_layers):
        w = torch.tensor(lp["w"])  # [inputs, units]
        lin = nn.Linear(w.shape[0], w.shape[1])
        with torch.no_grad():
            lin.weight.copy_(w.T)  # torch stores [units, inputs]
            lin.bias.copy_(torch.tensor(lp["b"]))
        mods.append(lin)
        linears.append(lin)
        if i < len(init_layers) - 1:
            mods.append(ACT[hidden_acts[i]]())
    return nn.Sequential(*mods), linears


def make_optimizer(cfg: dict, params):
    kw = {k: v for k, v in cfg.items() if k != "name"}
    name = cfg["name"]
    if name == "sgd":
        return torch.optim.SGD(params, **kw)
    if name == "adagrad":
        return torch.optim.Adagrad(params, **kw)
    if name == "rmsprop":
        return torch.optim.RMSprop(params, **kw)
    if name == "adam":
        b1 = kw.pop("beta1", 0.9)
        b2 = kw.pop("beta2", 0.999)
        if "beta1" in cfg or "beta2" in cfg:
            kw["betas"] = (b1, b2)
        return torch.optim.Adam(params, **kw)
    raise ValueError(name)


def lr_lambda(schedule: dict | None):
    """Multiplier of the base rate for update t (t = updates already made)."""
    if schedule is None or schedule["name"] == "constant":
        return lambda t: 1.0
    if schedule["name"] == "inverse_time":  # Keras: lr * 1 / (1 + decay * iterations)
        d = schedule["decay"]
        return lambda t: 1.0 / (1.0 + d * t)
    if schedule["name"] == "step":  # StepLR stepped every update
        k, g = schedule["step_size"], schedule["gamma"]
        return lambda t: g ** (t // k)
    if schedule["name"] == "exponential":  # ExponentialLR stepped every update
        g = schedule["gamma"]
        return lambda t: g**t
    raise ValueError(schedule)


def data_loss(name: str, out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    if name == "mse":
        return nn.MSELoss()(out, y)  # mean over batch and outputs
    if name == "bce":
        return nn.BCEWithLogitsLoss()(out, y)  # on logits, mean over batch and outputs
    if name == "softmax_ce":
        return nn.CrossEntropyLoss()(out, y.argmax(dim=1))  # on logits, mean over batch
    raise ValueError(name)


def train(exp: dict):
    x = torch.tensor(exp["data"]["x"])
    y = torch.tensor(exp["data"]["y"])
    net = exp["network"]
    hidden_acts = net.get("activations") or [net["activation"]] * len(net["hidden"])
    model, linears = build_model(exp["init"]["layers"], hidden_acts, net["output"])
    out_act = None
    if exp["loss"] == "mse":
        out_act = ACT[net["output"]]()
    else:
        assert net["output"] == {"bce": "sigmoid", "softmax_ce": "softmax"}[exp["loss"]]
    params = [p for lin in linears for p in (lin.weight, lin.bias)]
    opt = make_optimizer(exp["optimizer"], params)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda(exp.get("schedule")))
    reg = exp.get("regularization") or {"kind": "none", "rate": 0.0}

    n, bs = x.shape[0], exp["batch_size"]
    assert exp["shuffle"] is False
    pos = 0
    losses = []
    for _ in range(exp["steps"]):
        idx = list(range(pos, min(pos + bs, n)))  # in order; the last batch of an epoch may be short
        pos = 0 if idx[-1] + 1 >= n else idx[-1] + 1
        out = model(x[idx])
        if out_act is not None:
            out = out_act(out)
        loss = data_loss(exp["loss"], out, y[idx])
        # Penalty on weights only, never biases: ½λ‖W‖² (grad λW) or λ‖W‖₁ (grad λ·sign W).
        penalty = torch.zeros(())
        for lin in linears:
            if reg["kind"] == "l2":
                penalty = penalty + 0.5 * reg["rate"] * (lin.weight**2).sum()
            elif reg["kind"] == "l1":
                penalty = penalty + reg["rate"] * lin.weight.abs().sum()
        opt.zero_grad()
        (loss + penalty).backward()
        opt.step()
        sched.step()
        losses.append(loss.item())
    final = [
        {"w": lin.weight.detach().T.tolist(), "b": lin.bias.detach().tolist()} for lin in linears
    ]
    return losses, final


# ---------------------------------------------------------------------------------------
# Cases

PRESETS = {
    "sgd": lambda lr: {"name": "sgd", "lr": lr},
    "momentum": lambda lr: {"name": "sgd", "lr": lr, "momentum": 0.9},
    "nesterov": lambda lr: {"name": "sgd", "lr": lr, "momentum": 0.9, "nesterov": True},
    "adagrad": lambda lr: {"name": "adagrad", "lr": lr},
    "rmsprop": lambda lr: {"name": "rmsprop", "lr": lr},
    "adam": lambda lr: {"name": "adam", "lr": lr},
}

OUTPUT = {"mse": "linear", "bce": "sigmoid", "softmax_ce": "softmax"}


def case(
    name: str,
    *,
    seed: int,
    loss: str,
    optimizer: dict,
    activation: str = "tanh",
    activations: list[str] | None = None,
    hidden=(4, 3),
    inputs: int = 3,
    outputs: int | None = None,
    output: str | None = None,
    n: int = 10,
    batch: int = 4,
    steps: int = STEPS,
    schedule: dict | None = None,
    regularization: dict | None = None,
):
    rng = np.random.default_rng(seed)
    if outputs is None:
        outputs = {"mse": 2, "bce": 1, "softmax_ce": 3}[loss]
    x, y = make_data(rng, n, inputs, loss, outputs)
    init = make_init(rng, [inputs, *hidden, outputs])
    network = {"hidden": list(hidden), "activation": activation, "output": output or OUTPUT[loss]}
    if activations is not None:
        network["activations"] = activations
    exp = {
        "format": "gradlab-experiment",
        "version": 1,
        "title": f"PyTorch reference: {name}",
        "data": {"x": x.tolist(), "y": y.tolist()},
        "split": {"train": 1},
        "network": network,
        "init": {"layers": init},
        "loss": loss,
        "optimizer": optimizer,
        "schedule": schedule or {"name": "constant"},
        "regularization": regularization or {"kind": "none", "rate": 0.0},
        "batch_size": batch,
        "shuffle": False,
        "seed": seed,
        "steps": steps,
    }
    return name, exp


def all_cases():
    cases = []
    seed = 1000
    opts = list(PRESETS)
    # 1. Every optimizer preset x every loss x every hidden activation (3 -> 4 -> 3 -> K).
    for oi, o in enumerate(opts):
        for li, loss in enumerate(["mse", "bce", "softmax_ce"]):
            for act in ["tanh", "relu", "sigmoid"]:
                seed += 1
                outputs = None
                if loss == "bce" and (oi + li) % 2 == 0:
                    outputs = 2  # BCE averaged over two outputs as well as the batch
                cases.append(
                    case(f"{o}__{loss}__{act}", seed=seed, loss=loss, optimizer=PRESETS[o](LR[o]),
                         activation=act, outputs=outputs)
                )

    # 2. Schedules, stepped every update.
    schedules = {
        "inverse_time": {"name": "inverse_time", "decay": 0.1},
        "step": {"name": "step", "step_size": 5, "gamma": 0.5},
        "exponential": {"name": "exponential", "gamma": 0.93},
    }
    combos = [("sgd", "mse", "tanh"), ("nesterov", "bce", "relu"), ("adam", "softmax_ce", "sigmoid"),
              ("rmsprop", "mse", "relu"), ("momentum", "softmax_ce", "tanh"), ("adagrad", "bce", "sigmoid")]
    for si, (sname, sch) in enumerate(schedules.items()):
        for o, loss, act in combos[si::3] + combos[si + 1 : si + 2]:
            seed += 1
            cases.append(case(f"schedule_{sname}__{o}__{loss}__{act}", seed=seed, loss=loss,
                              optimizer=PRESETS[o](LR[o]), activation=act, schedule=sch))

    # 3. L2 (½λ‖W‖², weights only) with every optimizer; L1 with a few.
    losses = ["mse", "bce", "softmax_ce"]
    acts = ["tanh", "relu", "sigmoid"]
    for i, o in enumerate(opts):
        seed += 1
        loss, act = losses[i % 3], acts[(i + 1) % 3]
        cases.append(case(f"l2__{o}__{loss}__{act}", seed=seed, loss=loss, optimizer=PRESETS[o](LR[o]),
                          activation=act, regularization={"kind": "l2", "rate": 0.05}))
    for o, loss, act in [("sgd", "bce", "tanh"), ("adam", "mse", "relu"), ("rmsprop", "softmax_ce", "tanh")]:
        seed += 1
        cases.append(case(f"l1__{o}__{loss}__{act}", seed=seed, loss=loss, optimizer=PRESETS[o](LR[o]),
                          activation=act, regularization={"kind": "l1", "rate": 0.01}))

    # 4. Optimizer variants.
    variants = [
        ("rmsprop_centered_momentum", {"name": "rmsprop", "lr": 0.005, "momentum": 0.9, "centered": True}),
        ("rmsprop_centered", {"name": "rmsprop", "lr": 0.01, "centered": True}),
        ("rmsprop_momentum", {"name": "rmsprop", "lr": 0.005, "momentum": 0.5}),
        ("rmsprop_alpha_eps", {"name": "rmsprop", "lr": 0.01, "alpha": 0.9, "eps": 1e-6}),
        ("adam_amsgrad", {"name": "adam", "lr": 0.02, "amsgrad": True}),
        ("adam_betas_eps", {"name": "adam", "lr": 0.02, "beta1": 0.8, "beta2": 0.99, "eps": 1e-6}),
        ("adagrad_lr_decay_init_acc", {"name": "adagrad", "lr": 0.1, "lr_decay": 0.05,
                                       "initial_accumulator_value": 0.1}),
        ("sgd_momentum_dampening", {"name": "sgd", "lr": 0.05, "momentum": 0.9, "dampening": 0.3}),
    ]
    for i, (vname, cfg) in enumerate(variants):
        for loss in (["mse", "softmax_ce"] if i < 2 else [losses[i % 3]]):
            seed += 1
            cases.append(case(f"{vname}__{loss}__{acts[i % 3]}", seed=seed, loss=loss, optimizer=cfg,
                              activation=acts[i % 3]))

    # 5. Leaky ReLU (slope 0.01), per-layer activations, other shapes and batchings.
    seed += 1
    cases.append(case("leaky_relu__adam__bce", seed=seed, loss="bce", optimizer=PRESETS["adam"](0.02),
                      activation="leaky_relu"))
    seed += 1
    cases.append(case("leaky_relu__momentum__mse", seed=seed, loss="mse", optimizer=PRESETS["momentum"](0.05),
                      activation="leaky_relu"))
    seed += 1
    cases.append(case("mixed_acts__rmsprop__softmax_ce", seed=seed, loss="softmax_ce",
                      optimizer=PRESETS["rmsprop"](0.01), activations=["leaky_relu", "sigmoid"], hidden=(5, 4)))
    seed += 1
    cases.append(case("mse_tanh_output__sgd", seed=seed, loss="mse", output="tanh", optimizer=PRESETS["sgd"](0.1),
                      activation="relu"))
    seed += 1
    cases.append(case("mse_sigmoid_output__adam", seed=seed, loss="mse", output="sigmoid",
                      optimizer=PRESETS["adam"](0.02), activation="tanh"))
    seed += 1
    cases.append(case("full_batch__nesterov__softmax_ce", seed=seed, loss="softmax_ce",
                      optimizer=PRESETS["nesterov"](0.05), batch=10, activation="tanh"))
    seed += 1
    cases.append(case("full_batch__adam__mse__l2_exponential", seed=seed, loss="mse",
                      optimizer=PRESETS["adam"](0.02), batch=10, activation="relu",
                      regularization={"kind": "l2", "rate": 0.02},
                      schedule={"name": "exponential", "gamma": 0.97}))
    seed += 1
    cases.append(case("online__sgd__bce", seed=seed, loss="bce", optimizer=PRESETS["sgd"](0.1), batch=1,
                      activation="sigmoid"))
    seed += 1
    cases.append(case("deep__adam__softmax_ce", seed=seed, loss="softmax_ce", optimizer=PRESETS["adam"](0.01),
                      hidden=(6, 5, 4), inputs=4, n=13, batch=5, activation="tanh", outputs=4))
    seed += 1
    cases.append(case("no_hidden__adagrad__bce", seed=seed, loss="bce", optimizer=PRESETS["adagrad"](0.1),
                      hidden=(), outputs=2))

    # 6. The course's Keras example: 20 -> 32 relu -> 16 relu -> 1 sigmoid, binary
    #    cross-entropy, SGD(lr=0.01, decay=1e-6, momentum=0.9, nesterov=True), batch 32.
    cases.append(case("keras_course_example", seed=7, loss="bce", optimizer=PRESETS["nesterov"](0.01),
                      activation="relu", hidden=(32, 16), inputs=20, outputs=1, n=64, batch=32,
                      schedule={"name": "inverse_time", "decay": 1e-6}))
    return cases


# ---------------------------------------------------------------------------------------
# Output


def dumps(obj) -> str:
    """Indented JSON with every list of plain numbers kept on one line."""
    text = json.dumps(obj, indent=1, ensure_ascii=False, allow_nan=False)
    return re.sub(
        r"\[\s*([-0-9.eE+]+(?:,\s*[-0-9.eE+]+)*)\s*\]",
        lambda m: "[" + ", ".join(s.strip() for s in m.group(1).split(",")) + "]",
        text,
    )


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.json"):
        old.unlink()
    cases = all_cases()
    names = [c[0] for c in cases]
    assert len(names) == len(set(names)), "duplicate case names"
    total = 0
    for name, exp in cases:
        losses, params = train(exp)
        assert all(math.isfinite(v) for v in losses), name
        fixture = {
            "experiment": exp,
            "expected": {"losses": losses, "params": params},
            "reference": {
                "generator": "tests/reference/generate.py",
                "torch": torch.__version__.split("+")[0],
                "dtype": "float64",
            },
        }
        text = dumps(fixture) + "\n"
        # Round-trip check: the file holds exactly the floats PyTorch produced.
        assert json.loads(text) == json.loads(json.dumps(fixture)), name
        (OUT / f"{name}.json").write_text(text)
        total += len(text)
    print(f"wrote {len(cases)} fixtures to {OUT} ({total / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
