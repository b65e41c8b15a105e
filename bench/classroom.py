"""Classroom benchmark: one room, N students (default 200) subscribed to the room and to the
teacher's run, on a real server over loopback.

Starts `glassnet serve` (process executor), creates the teacher's run (the fan-out benchmark's MLP on
the spiral set) and a room that follows it; N students join through the REST API and each opens a
websocket: `subscribe {"room"}` and `subscribe {"run_id", max_hz 30}`, acknowledging every frame.
While the students watch, the teacher changes the room (`PATCH`, the shown view) every
`--change-every` seconds; each change's latency is the time from just before the PATCH to the
`room_state` with that revision arriving at each student. Rounds alternate a phase with no viewers
and a phase with the class, so the run's speed with the class is measured against the same run with
no one watching (the median of the per-round ratios).
The students run in this process. Where the machine has two cores or more, the run's worker gets
the first core and the server and the students the others (`serving.pin_runs_apart`): a class's
students sit on their own laptops, so what is measured is what the server's fan-out takes from the
run. The server's CPU per student is reported. Prints ONE JSON object.

    .venv/bin/python bench/classroom.py [--students 200] [--seconds 4] [--rounds 2]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import time
from typing import Any

import httpx
from fanout import SPEC, frame_header
from serving import cpu_seconds, pin_runs_apart, served, steps_now
from websockets.asyncio.client import connect

HZ = 30.0
VIEWS = ("boundary", "internals")


class Student:
    """One student's socket: frames counted while measuring, room states by revision."""

    def __init__(self) -> None:
        self.frames = 0
        self.measuring = False
        self.revisions: dict[int, float] = {}
        self.ready = asyncio.Event()


async def student(url: str, code: str, run_id: str, me: Student) -> None:
    async with connect(url, max_size=None, compression=None) as ws:
        await ws.send(json.dumps({"type": "hello", "v": 1}))
        await ws.send(json.dumps({"type": "subscribe", "v": 1, "room": code}))
        await ws.send(json.dumps({"type": "subscribe", "v": 1, "run_id": run_id, "max_hz": HZ}))
        async for msg in ws:
            if isinstance(msg, bytes):
                seq, _ = frame_header(msg)
                me.ready.set()
                if me.measuring:
                    me.frames += 1
                await ws.send(json.dumps({"type": "ack", "v": 1, "seq": seq}))
            elif '"room_state"' in msg:
                me.revisions[json.loads(msg)["room"]["revision"]] = time.monotonic()


async def quiet_phase(client: httpx.Client, run_id: str, seconds: float) -> float:
    t0, s0 = await asyncio.to_thread(steps_now, client, run_id)
    await asyncio.sleep(seconds)
    t1, s1 = await asyncio.to_thread(steps_now, client, run_id)
    return (s1 - s0) / (t1 - t0)


async def class_phase(
    client: httpx.Client,
    code: str,
    teacher: dict[str, str],
    run_id: str,
    students: list[Student],
    seconds: float,
    every: float,
    server_pid: int,
) -> dict[str, Any]:
    for s in students:
        s.frames, s.measuring = 0, True
    t0, s0 = await asyncio.to_thread(steps_now, client, run_id)
    cpu0 = cpu_seconds(server_pid)
    sent: dict[int, float] = {}
    end = time.monotonic() + seconds
    i = 0
    while time.monotonic() < end - every:
        before = time.monotonic()
        view = VIEWS[i % len(VIEWS)]
        r = await asyncio.to_thread(
            client.patch, f"/api/v1/rooms/{code}", json={"view": view}, headers=teacher
        )
        sent[int(r.json()["revision"])] = before
        i += 1
        await asyncio.sleep(max(0.0, before + every - time.monotonic()))
    await asyncio.sleep(max(0.0, end - time.monotonic()))
    t1, s1 = await asyncio.to_thread(steps_now, client, run_id)
    cpu1 = cpu_seconds(server_pid)
    for s in students:
        s.measuring = False
    await asyncio.sleep(1.0)  # late room states still count (as late)
    latencies = sorted(
        s.revisions[rev] - at for rev, at in sent.items() for s in students if rev in s.revisions
    )
    expected = len(sent) * len(students)
    fps = [s.frames / (t1 - t0) for s in students]
    return {
        "steps_per_s": (s1 - s0) / (t1 - t0),
        # the server process alone (its workers are processes of their own)
        "server_cpu_ms_per_student_second": round(
            1000 * (cpu1 - cpu0) / (t1 - t0) / len(students), 3
        ),
        "changes": len(sent),
        "room_states_delivered": round(len(latencies) / max(expected, 1), 4),
        "latency_ms_p50": round(1000 * latencies[len(latencies) // 2], 1) if latencies else None,
        "latency_ms_p95": round(1000 * latencies[int(len(latencies) * 0.95)], 1)
        if latencies
        else None,
        "fps_per_student_min": round(min(fps), 1),
        "fps_per_student_mean": round(statistics.fmean(fps), 1),
    }


async def bench(n: int, seconds: float, rounds: int, every: float) -> dict[str, Any]:
    limits = {"max_viewers_per_run": str(n + 10), "max_students_per_room": str(n + 10)}
    async with served("process", **limits) as (base, server_pid):
        with httpx.Client(base_url=base, timeout=60) as client:
            run = client.post("/api/v1/runs", json={"spec": SPEC, "start": True}).json()
            room = client.post("/api/v1/rooms", json={"title": "bench", "spec": SPEC}).json()
            code, teacher = room["code"], {"X-Glassnet-Teacher": room["teacher_token"]}
            client.patch(f"/api/v1/rooms/{code}", json={"run_id": run["id"]}, headers=teacher)
            for _ in range(n):
                client.post(f"/api/v1/rooms/{code}/join", json={})
            while client.get(f"/api/v1/runs/{run['id']}").json()["step"] < 100:
                await asyncio.sleep(0.1)
            pinned = pin_runs_apart(server_pid)
            quiet: list[float] = []
            loaded: list[dict[str, Any]] = []
            url = base.replace("http", "ws") + "/ws/v1"
            for _ in range(rounds):
                quiet.append(await quiet_phase(client, run["id"], seconds))
                students = [Student() for _ in range(n)]
                tasks = [asyncio.create_task(student(url, code, run["id"], s)) for s in students]
                await asyncio.wait_for(asyncio.gather(*(s.ready.wait() for s in students)), 120)
                await asyncio.sleep(0.5)
                loaded.append(
                    await class_phase(
                        client, code, teacher, run["id"], students, seconds, every, server_pid
                    )
                )
                for t in tasks:
                    t.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
            client.post(
                f"/api/v1/runs/{run['id']}/actions",
                json={"action": "stop"},
                headers={"X-Glassnet-Owner": run["owner"]},
            )
    ratios = [m["steps_per_s"] / max(q, 1e-9) for m, q in zip(loaded, quiet, strict=True)]
    median = sorted(loaded, key=lambda m: m["latency_ms_p95"] or 0.0)[len(loaded) // 2]
    return {
        "bench": "classroom",
        "students": n,
        "cpus": os.cpu_count(),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "seconds_per_phase": seconds,
        "rounds": rounds,
        "hz_requested": HZ,
        "pinned": pinned,
        "no_viewer_steps_per_s": [round(q, 1) for q in quiet],
        "class_steps_per_s": [round(m["steps_per_s"], 1) for m in loaded],
        "training_relative": round(statistics.median(ratios), 3),
        "room_state_latency_ms_p50": median["latency_ms_p50"],
        "room_state_latency_ms_p95": median["latency_ms_p95"],
        "room_states_delivered": median["room_states_delivered"],
        "room_changes_per_round": median["changes"],
        "fps_per_student_min": median["fps_per_student_min"],
        "fps_per_student_mean": median["fps_per_student_mean"],
        "server_cpu_ms_per_student_second": median["server_cpu_ms_per_student_second"],
        "rounds_detail": loaded,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--change-every", type=float, default=0.5)
    args = parser.parse_args()
    out = asyncio.run(bench(args.students, args.seconds, args.rounds, args.change_every))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
