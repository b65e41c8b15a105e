"""Training speed of recurrent networks: Glassnet watched at 30 frames/s against plain torch.

Glassnet: `Trainer.step()`, and whenever 1/30 s has passed and the telemetry budget allows a frame,
`step(capture=True)` + `snapshot()` (per-gate telemetry and δ through time of every recurrent
layer, as a live view gets them; bench/watched.py). Glassnet unwatched (no frames) is reported
beside it, so that what the engine costs and what watching costs read apart.
Plain torch: `nn.LSTM` / `nn.GRU` of the same size with an `nn.Linear` head, `torch.optim.Adam`,
the same loss, data and batch (32), a `randperm` per epoch, no telemetry. Two tasks: next character
on the shipped text (T = 25, 53 symbols, a target at every step) and the long-lag memory task
(lag 30, one target per sequence). Rounds alternate between the two sides; medians of steps per
wall-clock second are reported, with the ratio (target: watched ≥ 0.9 × plain). Prints one JSON
object.

One CPU thread on both sides (as bench/small_nets.py), unless --threads says otherwise.

    .venv/bin/python bench/recurrent.py [--seconds 2.0] [--rounds 3] [--device cpu|cuda]
"""

from __future__ import annotations

import json
import time
from typing import Any

import torch
from torch import nn
from watched import alternating_rounds, environment, rounds_parser, watched_training

from glassnet import data as datasets
from shared_schemas.runspec import DataSpec

BATCH, LR, TARGET = 32, 0.01, 0.9
TASKS: dict[str, dict[str, Any]] = {
    "chars": {
        "data": {"dataset": "text_chars", "n": 512, "steps": 25, "train_fraction": 1.0},
        "units": 64,
        "loss": "cross_entropy",
        "sequence_out": True,
    },
    "long_lag": {
        "data": {"dataset": "long_lag", "n": 512, "lag": 30, "train_fraction": 1.0},
        "units": 32,
        "loss": "bce",
        "sequence_out": False,
    },
}


def _shapes(task: dict[str, Any]) -> tuple[datasets.Dataset, int, int, int]:
    dataset = datasets.load(DataSpec(**task["data"]), 0)
    steps, features = dataset.input_shape
    return dataset, steps, features, dataset.n_targets


def spec(kind: str, task: dict[str, Any], device: str) -> dict[str, Any]:
    _, steps, features, out = _shapes(task)
    activation = "softmax" if task["loss"] == "cross_entropy" else "sigmoid"
    return {
        "network": {
            "nodes": [
                {"id": "x", "kind": "input", "shape": [steps, features]},
                {
                    "id": "r",
                    "kind": kind,
                    "units": task["units"],
                    "return_sequences": task["sequence_out"],
                },
                {"id": "y", "kind": "dense", "units": out, "activation": activation},
            ]
        },
        "data": task["data"],
        "training": {
            "loss": task["loss"],
            "optimizer": {"kind": "adam", "lr": LR},
            "batch_size": BATCH,
            "epochs": 100_000,
        },
        "dtype": "float32",
        "device": device,
    }


def torch_run(kind: str, task: dict[str, Any], device: str, seconds: float) -> dict[str, float]:
    """Steps per wall and CPU second of a hand-written torch loop of the same sizes."""
    dataset, _, features, out = _shapes(task)
    dev = torch.device(device)
    x = torch.as_tensor(dataset.x_train, dtype=torch.float32, device=dev)
    y = torch.as_tensor(dataset.y_train, dtype=torch.float32, device=dev)
    cell = (nn.LSTM if kind == "lstm" else nn.GRU)(features, task["units"], batch_first=True)
    head = nn.Linear(task["units"], out)
    cell.to(dev)
    head.to(dev)
    optimizer = torch.optim.Adam([*cell.parameters(), *head.parameters()], lr=LR)
    sequence_out = task["sequence_out"]
    n = x.shape[0]

    def loss_of(xb: torch.Tensor, yb: torch.Tensor) -> torch.Tensor:
        h = cell(xb)[0]
        logits = head(h if sequence_out else h[:, -1])
        if task["loss"] == "cross_entropy":
            return -(yb * torch.log_softmax(logits, -1)).sum(-1).mean()
        return nn.functional.binary_cross_entropy_with_logits(logits, yb)

    def epoch() -> int:
        order = torch.randperm(n, device=dev)
        for i in range(0, n, BATCH):
            idx = order[i : i + BATCH]
            optimizer.zero_grad()
            loss_of(x[idx], y[idx]).backward()
            optimizer.step()
        return -(-n // BATCH)

    epoch()
    if dev.type == "cuda":
        torch.cuda.synchronize()
    steps = 0
    wall, cpu = time.perf_counter(), time.process_time()
    while time.perf_counter() - wall < seconds:
        steps += epoch()
    if dev.type == "cuda":
        torch.cuda.synchronize()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {"wall": steps / wall, "cpu": steps / cpu}


def main() -> None:
    parser = rounds_parser(__doc__, seconds=2.0, rounds=3)
    parser.add_argument("--device", default="cpu", choices=("cpu", "cuda"))
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    results: dict[str, Any] = {}
    for task_name, task in TASKS.items():
        for kind in ("lstm", "gru"):
            med, path = alternating_rounds(
                args.rounds,
                lambda kind=kind, task=task: watched_training(
                    spec(kind, task, args.device), args.seconds, warmup=5
                ),
                lambda kind=kind, task=task: torch_run(kind, task, args.device, args.seconds),
                lambda kind=kind, task=task: watched_training(
                    spec(kind, task, args.device), args.seconds, warmup=5, frame_hz=0
                ),
            )
            ratio = med["gw"] / med["bw"]
            results[f"{kind}/{task_name}"] = {
                "glassnet_path": path,
                "glassnet_steps_per_s": round(med["gw"], 1),
                "glassnet_frames_per_s": round(med["frames"], 1),
                "glassnet_frame_ms": round(med["frame_ms"], 2),
                "glassnet_unwatched_steps_per_s": round(med["uw"], 1),
                "torch_steps_per_s": round(med["bw"], 1),
                "unwatched_ratio": round(med["uw"] / med["bw"], 2),
                "ratio": round(ratio, 2),
                "ratio_cpu": round(med["gc"] / med["bc"], 2),
                "target_ratio": TARGET,
                "meets_target": ratio >= TARGET,
            }
    head = environment("recurrent", args.rounds, args.seconds)
    device = torch.cuda.get_device_name(0) if args.device == "cuda" else "cpu"
    print(json.dumps({**head, "device": device, "batch": BATCH, "runs": results}))


if __name__ == "__main__":
    main()
