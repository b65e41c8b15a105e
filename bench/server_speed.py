"""Glassnet watched through its server against a plain torch loop of the same network.

Four networks: TensorFlow Playground's largest (7 features, six tanh layers of 8, batch 10), a
784-256-256-10 ReLU MLP on MNIST (batch 128), a small MNIST CNN (batch 64; bench/probes.py) and
ConvNetJS's MNIST demo net (conv 8@5×5, pool 2, conv 16@5×5, pool 3, softmax; batch 20, SGD with
momentum; bench/peers.py). float32, one thread on both sides.

Glassnet: `glassnet serve` on a loopback port with its default settings (the process executor)
trains the spec while one websocket viewer asks for 30 frames per second; steps per second come
from the run's step counter. Plain: a hand-written `nn.Sequential` + `torch.optim.SGD` loop on the
same examples in this process, while the server's run is paused. Where the machine has two cores or
more, the run's worker and the plain loop take turns on the same first core, and the server and the
viewer sit on the others (`serving.pin_runs_apart`): both sides train on one core of their own.
Rounds alternate; medians of steps per second, their ratio (target ≥ 0.9), the frames per second
the viewer received, and the same per CPU second (the run's worker process against this process)
are printed as one JSON object.

    .venv/bin/python bench/server_speed.py [--seconds 3] [--rounds 5] [--nets mnist_cnn ...]
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # before numpy is first imported

import asyncio  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import httpx  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
import peers  # noqa: E402
import probes  # noqa: E402
from fanout import watched  # noqa: E402
from serving import pin_runs_apart, served, start_run  # noqa: E402
from watched import rounds_parser  # noqa: E402

TARGET = 0.9
Net = tuple[dict[str, Any], nn.Module, nn.Module, float]  # spec, plain model, loss, momentum


def playground() -> Net:
    spec = peers.full_spec(peers.playground())
    layers: list[nn.Module] = []
    width = len(peers.FEATURES)
    for _ in range(6):
        layers += [nn.Linear(width, 8), nn.Tanh()]
        width = 8
    return spec, nn.Sequential(*layers, nn.Linear(8, 1)), nn.BCEWithLogitsLoss(), 0.9


def convnetjs_mnist_demo() -> Net:
    spec = peers.full_spec(peers.mnist_demo())
    model = nn.Sequential(
        nn.Conv2d(1, 8, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 5, padding=2), nn.ReLU(), nn.MaxPool2d(3),
        nn.Flatten(), nn.Linear(16 * 4 * 4, 10),
    )  # fmt: skip
    return spec, model, nn.CrossEntropyLoss(), 0.9


def _from_probes(build: Callable[[], tuple[dict[str, Any], nn.Module, nn.Module]]) -> Net:
    spec, model, loss = build()
    return probes._full_spec(spec), model, loss, 0.0


NETS: dict[str, Callable[[], Net]] = {
    "playground_7-8x6-1": playground,
    "mnist_mlp_784-256-256-10": lambda: _from_probes(probes.mnist_mlp),
    "mnist_cnn": lambda: _from_probes(probes.mnist_cnn),
    "convnetjs_mnist_demo": convnetjs_mnist_demo,
}


def plain_on(core: set[int] | None, net: Net, seconds: float) -> dict[str, Any]:
    """The plain loop on `core` (where the run's worker trains), this process's cores restored."""
    before = os.sched_getaffinity(0) if core else None
    if core:
        os.sched_setaffinity(0, core)
    try:
        spec, model, loss, momentum = net
        return probes.plain(spec, model, loss, seconds, momentum=momentum)
    finally:
        if before:
            os.sched_setaffinity(0, before)


async def compare(
    base: str, server_pid: int, name: str, seconds: float, rounds: int
) -> dict[str, Any]:
    net = NETS[name]()
    url = base.replace("http", "ws") + "/ws/v1"
    with httpx.Client(base_url=base, timeout=60) as client:
        run_id, act = start_run(client, net[0])
        stats, task = await watched(url, run_id)
        pinned = pin_runs_apart(server_pid)
        run_core = set(pinned["run_workers_cores"]) if pinned else None
        sides: dict[str, list[float]] = {"glassnet": [], "plain": [], "fps": []}
        cpu_sides: dict[str, list[float]] = {"glassnet": [], "plain": []}
        for _ in range(rounds):
            stats.frames, stats.measuring = 0, True
            steps, wall, cpu = await peers.run_window(client, run_id, server_pid, seconds)
            stats.measuring = False
            sides["glassnet"].append(steps / wall)
            sides["fps"].append(stats.frames / wall)
            cpu_sides["glassnet"].append(steps / cpu if cpu > 0 else 0.0)
            act("pause")
            # a new network each round, as the run's is one network trained on
            plain = await asyncio.to_thread(plain_on, run_core, NETS[name](), seconds)
            sides["plain"].append(plain["wall"])
            cpu_sides["plain"].append(plain["cpu"])
            act("resume")
            await asyncio.sleep(0.3)
        task.cancel()
        act("stop")
    med, cpu_med = peers.medians(sides), peers.medians(cpu_sides)
    ratio = med["glassnet"] / med["plain"]
    return {
        "glassnet_steps_per_s": round(med["glassnet"], 1),
        "plain_steps_per_s": round(med["plain"], 1),
        "ratio": round(ratio, 3),
        "viewer_frames_per_s": round(med["fps"], 1),
        "glassnet_steps_per_cpu_s": round(cpu_med["glassnet"], 1),
        "plain_steps_per_cpu_s": round(cpu_med["plain"], 1),
        "ratio_cpu": round(cpu_med["glassnet"] / cpu_med["plain"], 3) if cpu_med["plain"] else None,
        "rounds_ratio": [
            round(g / p, 3) for g, p in zip(sides["glassnet"], sides["plain"], strict=True)
        ],
        "pinned": pinned,
        "target_ratio": TARGET,
        "meets_target": ratio >= TARGET,
    }


async def main_async(seconds: float, rounds: int, nets: list[str]) -> dict[str, Any]:
    results: dict[str, Any] = {}
    async with served("process", max_viewers_per_run="10") as (base, server_pid):
        for name in nets:
            results[name] = await compare(base, server_pid, name, seconds, rounds)
    return {
        "bench": "server_speed",
        "frame_hz_requested": 30.0,
        "threads": 1,
        "seconds_per_round": seconds,
        "rounds": rounds,
        "cpus": os.cpu_count(),
        "load_average": round(os.getloadavg()[0], 2),
        "torch": torch.__version__,
        "time": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "nets": results,
    }


def main() -> None:
    parser = rounds_parser(__doc__, seconds=3.0, rounds=5)
    parser.add_argument("--nets", nargs="*", default=list(NETS), choices=list(NETS))
    args = parser.parse_args()
    torch.set_num_threads(1)
    print(json.dumps(asyncio.run(main_async(args.seconds, args.rounds, args.nets))))


if __name__ == "__main__":
    main()
