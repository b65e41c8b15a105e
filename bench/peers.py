"""Glassnet against its peers, in one run: ConvNetJS and TensorFlow.js (CPU backend) in Node.

Two networks, each at its home library's batch size:
- ConvNetJS's MNIST demo net (conv 8@5×5 relu, max pool 2, conv 16@5×5 relu, max pool 3, softmax 10;
  batch 20, SGD with momentum) on 28×28 MNIST digits;
- TensorFlow Playground's largest network (7 input features, six tanh layers of 8, one output;
  batch 10) on the circle set.
Glassnet trains through a real server with its default settings (the process executor) and one
websocket viewer at 30 frames per second; ConvNetJS (`convnetjs`, the demo's own engine) and
TensorFlow.js (`@tensorflow/tfjs` on its pure-JavaScript CPU backend, what ENNUI trains with) train
the same layer sizes on the same examples in Node, one library at a time while the Glassnet run is
paused. Rounds alternate; medians of examples per second and the ratios Glassnet/peer are printed as
one JSON object, and the same per CPU second (steadier on a busy machine): Glassnet's is the CPU time
of the run's worker process, where it trains and makes its frames (the web server's own work of
sending frames is not in it), the peers' that of their Node process. The peers are installed
for this benchmark only (bench/peers/package.json):

    (cd bench/peers && npm ci) && .venv/bin/python bench/peers.py [--seconds 3] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import httpx
import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from fanout import watched
from serving import served, start_run, steps_now, worker_pids

from glassnet import data as datasets
from shared_schemas.runspec import DataSpec

PEERS = Path(__file__).parent / "peers"
FEATURES = ["x", "y", "x2", "y2", "xy", "sin_x", "sin_y"]
TARGETS = {"mnist_demo": ("convnetjs", 30.0), "playground": ("convnetjs", 1.5)}


def _dense(i: int, units: int, activation: str) -> dict[str, Any]:
    return {"id": f"d{i}", "kind": "dense", "units": units, "activation": activation}


def mnist_demo() -> dict[str, Any]:
    conv = {"kind": "conv2d", "kernel": 5, "padding": 2, "activation": "relu"}
    nodes = [
        {"id": "x", "kind": "input", "shape": [1, 28, 28]},
        {"id": "c1", "filters": 8, **conv},
        {"id": "p1", "kind": "maxpool2d", "kernel": 2},
        {"id": "c2", "filters": 16, **conv},
        {"id": "p2", "kind": "maxpool2d", "kernel": 3},
        {"id": "f", "kind": "flatten"},
        _dense(0, 10, "softmax"),
    ]
    return {
        "network": {"nodes": nodes},
        "data": {"dataset": "mnist", "n": 2000, "train_fraction": 1.0},
        "training": {"loss": "cross_entropy", "batch_size": 20},
    }


def playground() -> dict[str, Any]:
    nodes = [{"id": "x", "kind": "input", "shape": [len(FEATURES)]}]
    nodes += [_dense(i, 8, "tanh") for i in range(6)] + [_dense(6, 1, "sigmoid")]
    return {
        "network": {"nodes": nodes},
        "data": {"dataset": "circle", "n": 500, "train_fraction": 1.0, "features": FEATURES},
        "training": {"loss": "bce", "batch_size": 10},
    }


NETS = {"mnist_demo": mnist_demo, "playground": playground}


def full_spec(spec: dict[str, Any]) -> dict[str, Any]:
    optimizer = {"kind": "momentum", "lr": 0.01, "momentum": 0.9}
    spec["training"].update({"optimizer": optimizer, "epochs": 100_000})
    return {**spec, "dtype": "float32", "seed": 0}


def export_data(name: str, spec: dict[str, Any], folder: Path) -> dict[str, Any]:
    """The run's training examples as float32 files for the Node side, and their layout."""
    data = datasets.load(DataSpec(**spec["data"]), 0)
    x = np.ascontiguousarray(data.x_train, dtype=np.float32)
    y = np.asarray(data.y_train, dtype=np.float32)
    labels = y.argmax(axis=1) if name == "mnist_demo" else y[:, 0]
    x.tofile(folder / f"{name}-x.f32")
    labels.astype(np.float32).tofile(folder / f"{name}-y.f32")
    return {
        "net": name,
        "n": len(x),
        "shape": list(x.shape[1:]),
        "classes": int(y.shape[1]),
        "batch": spec["training"]["batch_size"],
        "data": str(folder / f"{name}-x.f32"),
        "labels": str(folder / f"{name}-y.f32"),
    }


def worker_cpu_seconds(server_pid: int) -> dict[str, float]:
    """CPU seconds used so far by each of the server's run workers and spares.

    Linux only (/proc); empty elsewhere, which the report shows as no CPU figures.
    """
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    used: dict[str, float] = {}
    try:
        children = worker_pids(server_pid)
    except OSError:
        return used
    for child in map(str, children):
        try:
            fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        used[child] = (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return used


def run_cpu_seconds(before: dict[str, float], after: dict[str, float]) -> float:
    """CPU seconds of the run's worker between two readings: the busiest child (a new spare
    importing torch meanwhile is another child, and is not counted)."""
    return max((t - before.get(pid, 0.0) for pid, t in after.items()), default=0.0)


async def run_window(
    client: httpx.Client, run_id: str, server_pid: int, seconds: float
) -> tuple[int, float, float]:
    """Let the run train `seconds`: the steps it took, the wall seconds between the two readings
    and its worker's CPU seconds meanwhile."""
    c0 = worker_cpu_seconds(server_pid)
    t0, s0 = steps_now(client, run_id)
    await asyncio.sleep(seconds)
    t1, s1 = steps_now(client, run_id)
    return s1 - s0, t1 - t0, run_cpu_seconds(c0, worker_cpu_seconds(server_pid))


def medians(sides: dict[str, list[float]]) -> dict[str, float]:
    """The median of each side's rounds."""
    return {k: statistics.median(v) for k, v in sides.items()}


def peer(library: str, layout: dict[str, Any], seconds: float) -> tuple[float, float]:
    """Examples per wall-clock second and per CPU second of one peer library in Node."""
    config = json.dumps({**layout, "library": library, "seconds": seconds})
    out = subprocess.run(
        ["node", str(PEERS / "peers.mjs"), config],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    return float(result["examples_per_s"]), float(result["examples_per_cpu_s"])


def _ratios(med: dict[str, float]) -> dict[str, float | None]:
    return {
        f"glassnet_over_{peer}": round(med["glassnet"] / med[peer], 2) if med[peer] else None
        for peer in ("convnetjs", "tfjs")
    }


async def compare(
    base: str, server_pid: int, name: str, folder: Path, seconds: float, rounds: int
) -> dict[str, Any]:
    spec = full_spec(NETS[name]())
    layout = export_data(name, spec, folder)
    batch = spec["training"]["batch_size"]
    url = base.replace("http", "ws") + "/ws/v1"
    sides: dict[str, list[float]] = {"glassnet": [], "convnetjs": [], "tfjs": []}
    cpu_sides: dict[str, list[float]] = {"glassnet": [], "convnetjs": [], "tfjs": []}
    with httpx.Client(base_url=base, timeout=60) as client:
        run_id, act = start_run(client, spec)
        _, task = await watched(url, run_id)
        for _ in range(rounds):
            steps, wall, cpu = await run_window(client, run_id, server_pid, seconds)
            sides["glassnet"].append(batch * steps / wall)
            cpu_sides["glassnet"].append(batch * steps / cpu if cpu > 0 else 0.0)
            act("pause")
            for library in ("convnetjs", "tfjs"):
                wall, cpu = await asyncio.to_thread(peer, library, layout, seconds)
                sides[library].append(wall)
                cpu_sides[library].append(cpu)
            act("resume")
            await asyncio.sleep(0.5)
        task.cancel()
        act("stop")
    med, cpu_med = medians(sides), medians(cpu_sides)
    target_peer, target = TARGETS[name]
    return {
        "batch": batch,
        "examples_per_s": {k: round(v) for k, v in med.items()},
        "rounds_examples_per_s": {k: [round(x) for x in v] for k, v in sides.items()},
        **_ratios(med),
        "examples_per_cpu_s": {k: round(v) for k, v in cpu_med.items()},
        "rounds_examples_per_cpu_s": {k: [round(x) for x in v] for k, v in cpu_sides.items()},
        "per_cpu_s": _ratios(cpu_med),
        "target": f"glassnet ≥ {target}× {target_peer}",
        "meets_target": med["glassnet"] >= target * med[target_peer],
    }


async def main_async(seconds: float, rounds: int, nets: list[str]) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="glassnet-peers-"))
    async with served("process") as (base, pid):
        results = {name: await compare(base, pid, name, folder, seconds, rounds) for name in nets}
    versions = json.loads((PEERS / "package.json").read_text())["dependencies"]
    return {
        "bench": "peers",
        "seconds": seconds,
        "rounds": rounds,
        "load_average": os.getloadavg()[0],
        "node": subprocess.run(
            ["node", "--version"], capture_output=True, text=True
        ).stdout.strip(),
        "peers": versions,
        "nets": results,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--nets", nargs="*", default=list(NETS), choices=list(NETS))
    args = parser.parse_args()
    if not (PEERS / "node_modules").exists():
        sys.exit("install the peers first: (cd bench/peers && npm ci)")
    print(json.dumps(asyncio.run(main_async(args.seconds, args.rounds, args.nets))))


if __name__ == "__main__":
    main()
