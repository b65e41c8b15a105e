"""GPU against CPU: plain torch and Glassnet watched at 30 frames/s, on the MNIST MLP and CNN at batch 256.

For each network and each device (the CPU, and CUDA when the machine has it) rounds alternate between
a hand-written torch loop and Glassnet's Trainer with a frame every 1/30 s (every layer's summaries,
feature maps for the CNN; on CUDA they are computed on the GPU with one host copy per frame). Reports
steps per second, the watched/plain ratio per device (target ≥ 0.9) and how much faster each side runs
on the GPU. On a machine without CUDA it says so and reports the CPU alone. Prints one JSON object.

    .venv/bin/python bench/gpu.py [--seconds 2.0] [--rounds 3]
"""

from __future__ import annotations

import json
from typing import Any

import torch
from probes import instrumented, mnist_cnn, mnist_mlp, plain
from watched import alternating_rounds, environment, rounds_parser, watched_figures

from glassnet.engine.device import describe_device

BATCH, TARGET = 256, 0.9
NETS = {"mnist_mlp_784-256-256-10": mnist_mlp, "mnist_cnn": mnist_cnn}


def _at_batch(build: Any) -> Any:
    spec, model, loss_fn = build()
    spec["training"]["batch_size"] = BATCH
    return spec, model, loss_fn


def main() -> None:
    parser = rounds_parser(__doc__, seconds=2.0, rounds=3)
    args = parser.parse_args()
    torch.set_num_threads(1)
    devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
    results: dict[str, Any] = {}
    for name, build in NETS.items():
        per_device: dict[str, Any] = {}
        for device in devices:
            med, path = alternating_rounds(
                args.rounds,
                lambda b=build, d=device: instrumented(_at_batch(b)[0], args.seconds, device=d),
                lambda b=build, d=device: plain(*_at_batch(b), args.seconds, device=d),
            )
            per_device[device] = {
                **watched_figures(med, path),
                "meets_target": med["gw"] / med["bw"] >= TARGET,
            }
        if "cuda" in per_device:
            gpu, cpu = per_device["cuda"], per_device["cpu"]
            per_device["gpu_over_cpu"] = {
                "plain": round(gpu["plain_steps_per_s"] / cpu["plain_steps_per_s"], 2),
                "watched": round(gpu["watched_steps_per_s"] / cpu["watched_steps_per_s"], 2),
            }
        results[name] = per_device
    gpu_name = describe_device(torch.device("cuda")) if "cuda" in devices else None
    head = environment("gpu", args.rounds, args.seconds)
    print(
        json.dumps(
            {**head, "batch": BATCH, "target_ratio": TARGET, "gpu": gpu_name, "nets": results}
        )
    )


if __name__ == "__main__":
    main()
