"""Training speed of small TensorFlow-Playground networks: Glassnet's loop against plain torch.

Glassnet: `Trainer.step()`, and whenever 1/30 s has passed `step(capture=True)` + `snapshot()`
(telemetry of every layer and the decision boundary, as a live view gets them). Plain torch: an
`nn.Sequential` of the same shape, `torch.optim.SGD`, `BCEWithLogitsLoss`, a `randperm` per epoch,
no telemetry and no `.item()` per step. Same data (250 training points of the 2-D circle set),
batch 10, tanh, SGD, float32, one thread. Rounds alternate between the two; medians of steps per
wall-clock second (the target) and per CPU second (steadier on a loaded machine) are reported.
Prints one JSON object.

    .venv/bin/python bench/small_nets.py [--seconds 1.0] [--rounds 5]
"""

from __future__ import annotations

import os

# One thread on both sides: torch.set_num_threads(1) below, and numpy's BLAS (the lean path's
# matrix products) before numpy is first imported.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import json  # noqa: E402
import time  # noqa: E402
from typing import Any  # noqa: E402

import torch  # noqa: E402
from torch import nn  # noqa: E402
from watched import alternating_rounds, environment, rounds_parser, watched_training  # noqa: E402

from glassnet import data as datasets  # noqa: E402
from shared_schemas.runspec import DataSpec  # noqa: E402

NETS = {"2-4-2-1": [4, 2], "2-8-8-8-8-8-8-1": [8] * 6, "2-50-50-50-1": [50, 50, 50]}
TARGETS = {"2-4-2-1": 4.0, "2-8-8-8-8-8-8-1": 3.0, "2-50-50-50-1": 3.0}
N_TRAIN, BATCH, LR = 250, 10, 0.03
DATA = {"dataset": "circle", "n": N_TRAIN, "train_fraction": 1.0, "noise": 10}


def spec(hidden: list[int]) -> dict[str, Any]:
    nodes: list[dict[str, Any]] = [{"id": "x", "kind": "input", "shape": [2]}]
    nodes += [
        {"id": f"h{i}", "kind": "dense", "units": u, "activation": "tanh"}
        for i, u in enumerate(hidden)
    ]
    nodes.append({"id": "y", "kind": "dense", "units": 1, "activation": "sigmoid"})
    return {
        "network": {"nodes": nodes},
        "data": DATA,
        "training": {
            "loss": "bce",
            "optimizer": {"kind": "sgd", "lr": LR},
            "batch_size": BATCH,
            "epochs": 100_000,
        },
        "dtype": "float32",
        "device": "cpu",
    }


def glassnet_run(hidden: list[int], seconds: float) -> dict[str, Any]:
    """Steps per wall and CPU second of the Trainer with a frame (capture + snapshot) every 1/30 s."""
    return watched_training(spec(hidden), seconds, warmup=50)


def torch_run(hidden: list[int], seconds: float) -> dict[str, float]:
    """Steps per wall and CPU second of a hand-written torch loop on the same data."""
    dataset = datasets.load(DataSpec(**DATA), 0)
    x = torch.as_tensor(dataset.x_train, dtype=torch.float32)
    y = torch.as_tensor(dataset.y_train, dtype=torch.float32)
    layers: list[nn.Module] = []
    width = 2
    for u in hidden:
        layers += [nn.Linear(width, u), nn.Tanh()]
        width = u
    layers.append(nn.Linear(width, 1))
    model = nn.Sequential(*layers)
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)
    loss_fn = nn.BCEWithLogitsLoss()

    def epoch() -> int:
        order = torch.randperm(N_TRAIN)
        for i in range(0, N_TRAIN, BATCH):
            idx = order[i : i + BATCH]
            optimizer.zero_grad()
            loss_fn(model(x[idx]), y[idx]).backward()
            optimizer.step()
        return -(-N_TRAIN // BATCH)

    epoch()
    steps = 0
    wall, cpu = time.perf_counter(), time.process_time()
    while time.perf_counter() - wall < seconds:
        steps += epoch()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {"wall": steps / wall, "cpu": steps / cpu}


def main() -> None:
    parser = rounds_parser(__doc__, seconds=1.0, rounds=5)
    args = parser.parse_args()
    torch.set_num_threads(1)
    steps_per_epoch = -(-N_TRAIN // BATCH)
    results: dict[str, Any] = {}
    for name, hidden in NETS.items():
        med, path = alternating_rounds(
            args.rounds,
            lambda hidden=hidden: glassnet_run(hidden, args.seconds),
            lambda hidden=hidden: torch_run(hidden, args.seconds),
        )
        results[name] = {
            "glassnet_path": path,
            "glassnet_steps_per_s": round(med["gw"]),
            "glassnet_epochs_per_s": round(med["gw"] / steps_per_epoch, 1),
            "glassnet_frames_per_s": round(med["frames"], 1),
            "glassnet_frame_ms": round(med["frame_ms"], 2),
            "torch_steps_per_s": round(med["bw"]),
            "torch_epochs_per_s": round(med["bw"] / steps_per_epoch, 1),
            "ratio": round(med["gw"] / med["bw"], 2),
            "glassnet_steps_per_cpu_s": round(med["gc"]),
            "torch_steps_per_cpu_s": round(med["bc"]),
            "ratio_cpu": round(med["gc"] / med["bc"], 2),
            "target_ratio": TARGETS[name],
            "meets_target": med["gw"] / med["bw"] >= TARGETS[name],
        }
    head = environment("small_nets", args.rounds, args.seconds)
    print(json.dumps({**head, "batch": BATCH, "n_train": N_TRAIN, "nets": results}))


if __name__ == "__main__":
    main()
