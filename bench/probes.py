"""What watching costs: plain torch training against Glassnet's Trainer with a frame at 30 per second.

Plain: a hand-written `nn.Sequential` + `torch.optim.SGD`, no Glassnet, no telemetry. Instrumented:
Glassnet's `Trainer`; whenever 1/30 s of wall-clock time has passed and the telemetry budget allows
a frame (as a run's worker takes them, bench/watched.py), the step captures its probes
(`step(capture=True)`) and `snapshot()` summarises every layer's W, b, z, a, δ and ∂L/∂W (plus the
decision boundary or feature maps where the network has them). Three networks: a TensorFlow
Playground one (2-8-8-8-1 tanh on the circle set, batch 10), a 784-256-256-10 ReLU MLP on MNIST at
batch 128, and a small MNIST CNN (conv 8 3×3 → maxpool → conv 16 3×3 → maxpool → flatten → dense 10,
batch 64). float32, one thread (torch and numpy's BLAS). Rounds alternate between the sides;
medians of steps per wall-clock second and per CPU second are reported, with the ratio
instrumented/plain (target ≥ 0.9). The same Trainer without frames is a third side: the ratio
watched/unwatched is what watching itself costs, apart from how fast Glassnet's steps are (its
conv layers run channels-last, which plain NCHW torch does not). Prints one JSON object.

    .venv/bin/python bench/probes.py [--seconds 1.0] [--rounds 5]
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # before numpy is first imported

import json  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import Any  # noqa: E402

import torch  # noqa: E402
from torch import nn  # noqa: E402
from watched import (  # noqa: E402
    FRAME_HZ,
    alternating_rounds,
    environment,
    rounds_parser,
    synchronize,
    watched_figures,
    watched_training,
)

from glassnet import data as datasets  # noqa: E402
from shared_schemas.runspec import DataSpec  # noqa: E402

LR, TARGET = 0.01, 0.9


def _dense(i: int, units: int, activation: str) -> dict[str, Any]:
    return {"id": f"d{i}", "kind": "dense", "units": units, "activation": activation}


def playground() -> tuple[dict[str, Any], nn.Module, nn.Module]:
    nodes = [{"id": "x", "kind": "input", "shape": [2]}]
    nodes += [_dense(i, 8, "tanh") for i in range(3)] + [_dense(3, 1, "sigmoid")]
    spec = {
        "network": {"nodes": nodes},
        "data": {"dataset": "circle", "n": 500, "train_fraction": 1.0},
        "training": {"loss": "bce", "batch_size": 10},
    }
    model = nn.Sequential(
        nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 8), nn.Tanh(), nn.Linear(8, 8), nn.Tanh(),
        nn.Linear(8, 1),
    )  # fmt: skip
    return spec, model, nn.BCEWithLogitsLoss()


def mnist_mlp() -> tuple[dict[str, Any], nn.Module, nn.Module]:
    nodes = [{"id": "x", "kind": "input", "shape": [784]}]
    nodes += [_dense(0, 256, "relu"), _dense(1, 256, "relu"), _dense(2, 10, "softmax")]
    spec = {
        "network": {"nodes": nodes},
        "data": {"dataset": "mnist", "flatten": True, "train_fraction": 0.99},
        "training": {"loss": "cross_entropy", "batch_size": 128},
    }
    model = nn.Sequential(
        nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10)
    )
    return spec, model, nn.CrossEntropyLoss()


def mnist_cnn() -> tuple[dict[str, Any], nn.Module, nn.Module]:
    nodes = [
        {"id": "x", "kind": "input", "shape": [1, 28, 28]},
        {"id": "c1", "kind": "conv2d", "filters": 8, "kernel": 3, "activation": "relu"},
        {"id": "p1", "kind": "maxpool2d", "kernel": 2},
        {"id": "c2", "kind": "conv2d", "filters": 16, "kernel": 3, "activation": "relu"},
        {"id": "p2", "kind": "maxpool2d", "kernel": 2},
        {"id": "f", "kind": "flatten"},
        _dense(0, 10, "softmax"),
    ]
    spec = {
        "network": {"nodes": nodes},
        "data": {"dataset": "mnist", "train_fraction": 0.99},
        "training": {"loss": "cross_entropy", "batch_size": 64},
    }
    model = nn.Sequential(
        nn.Conv2d(1, 8, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(8, 16, 3), nn.ReLU(),
        nn.MaxPool2d(2), nn.Flatten(), nn.Linear(400, 10),
    )  # fmt: skip
    return spec, model, nn.CrossEntropyLoss()


NETS: dict[str, Callable[[], tuple[dict[str, Any], nn.Module, nn.Module]]] = {
    "playground_2-8-8-8-1": playground,
    "mnist_mlp_784-256-256-10": mnist_mlp,
    "mnist_cnn": mnist_cnn,
}


def _full_spec(spec: dict[str, Any], device: str = "cpu") -> dict[str, Any]:
    spec["training"].update({"optimizer": {"kind": "sgd", "lr": LR}, "epochs": 100_000})
    return {**spec, "dtype": "float32", "device": device, "seed": 0}


def instrumented(
    spec: dict[str, Any], seconds: float, frame_hz: float = FRAME_HZ, device: str = "cpu"
) -> dict[str, Any]:
    """Steps per wall and CPU second of the Trainer with a frame every 1/`frame_hz` s (0: none)."""
    return watched_training(_full_spec(spec, device), seconds, warmup=5, frame_hz=frame_hz)


def plain(
    spec: dict[str, Any],
    model: nn.Module,
    loss_fn: nn.Module,
    seconds: float,
    device: str = "cpu",
    momentum: float = 0.0,
) -> dict[str, Any]:
    """Steps per wall and CPU second of a hand-written torch loop on the same data (SGD at the
    benchmarks' learning rate, with `momentum` where the spec has it)."""
    data = datasets.load(DataSpec(**spec["data"]), 0)
    x = torch.as_tensor(data.x_train, dtype=torch.float32).to(device)
    y = torch.as_tensor(data.y_train, dtype=torch.float32).to(device)
    model.to(device)
    if isinstance(loss_fn, nn.CrossEntropyLoss):
        y = y.argmax(dim=1)
    n, batch = len(x), spec["training"]["batch_size"]
    optimizer = torch.optim.SGD(model.parameters(), lr=LR, momentum=momentum)
    order, pos, steps = torch.randperm(n, device=device), 0, 0
    wall, cpu = time.perf_counter(), time.process_time()
    while time.perf_counter() - wall < seconds:
        idx = order[pos : pos + batch]
        optimizer.zero_grad()
        loss_fn(model(x[idx]), y[idx]).backward()
        optimizer.step()
        steps += 1
        pos += batch
        if pos >= n:
            order, pos = torch.randperm(n, device=device), 0
    synchronize(device)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {"wall": steps / wall, "cpu": steps / cpu}


def main() -> None:
    parser = rounds_parser(__doc__, seconds=1.0, rounds=5)
    parser.add_argument("--nets", nargs="*", default=list(NETS), choices=list(NETS))
    args = parser.parse_args()
    torch.set_num_threads(1)
    results: dict[str, Any] = {}
    for name in args.nets:
        # every round builds its networks afresh, on both sides
        med, path = alternating_rounds(
            args.rounds,
            lambda name=name: instrumented(NETS[name]()[0], args.seconds),
            lambda name=name: plain(*NETS[name](), args.seconds),
            lambda name=name: instrumented(NETS[name]()[0], args.seconds, frame_hz=0),
        )
        results[name] = {
            **watched_figures(med, path, "instrumented"),
            # what watching itself costs: the same Trainer, without frames
            "unwatched_steps_per_s": round(med["uw"], 1),
            "watched_over_unwatched": round(med["gw"] / med["uw"], 3),
            "plain_steps_per_cpu_s": round(med["bc"], 1),
            "instrumented_steps_per_cpu_s": round(med["gc"], 1),
            "ratio_cpu": round(med["gc"] / med["bc"], 3),
            "target_ratio": TARGET,
            "meets_target": med["gw"] / med["bw"] >= TARGET,
        }
    print(json.dumps({**environment("probes", args.rounds, args.seconds), "nets": results}))


if __name__ == "__main__":
    main()
