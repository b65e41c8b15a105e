"""A classroom survives the server stopping, even killed: the room's state, its students' tokens,
their answers and forks, the lessons saved and the step the class is on are all there when it
starts again."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from apihelpers import tiny_spec
from live import LiveServer

LESSON = {
    "title": "Week 3",
    "steps": [
        {"title": "XOR", "preset": "xor-2-2-1", "note": "Watch the boundary."},
        {"title": "Tiny", "spec": tiny_spec()},
    ],
}


@pytest.mark.slow
@pytest.mark.parametrize("hard", [False, True], ids=["sigterm", "sigkill"])
def test_a_room_survives_a_restart(tmp_path: Path, hard: bool) -> None:
    server = LiveServer(tmp_path).start()
    try:
        with httpx.Client(base_url=server.url, timeout=30) as c:
            made = c.post("/api/v1/rooms", json={"title": "Week 3", "spec": tiny_spec()}).json()
            code, teacher = made["code"], {"X-Glassnet-Teacher": made["teacher_token"]}
            c.patch(f"/api/v1/rooms/{code}", json={"hidden": ["data"]}, headers=teacher)
            lesson = c.post("/api/v1/lessons", json=LESSON).json()
            stepped = c.put(
                f"/api/v1/rooms/{code}/lesson",
                json={"lesson": lesson["id"], "step": 1},
                headers=teacher,
            )
            assert stepped.status_code == 200
            student = {
                "X-Glassnet-Student": c.post(f"/api/v1/rooms/{code}/join").json()["student_token"]
            }
            qid = c.post(
                f"/api/v1/rooms/{code}/questions",
                json={"kind": "number", "prompt": "Final accuracy?"},
                headers=teacher,
            ).json()["id"]
            answer = c.post(
                f"/api/v1/rooms/{code}/questions/{qid}/answers",
                json={"value": 0.9},
                headers=student,
            )
            assert answer.status_code == 200
            fork = c.post(f"/api/v1/rooms/{code}/forks", json={"start": False}, headers=student)
            assert fork.status_code == 201
            before = c.get(f"/api/v1/rooms/{code}").json()
    finally:
        server.stop(hard=hard)

    server = LiveServer(tmp_path, port=server.port).start()
    try:
        with httpx.Client(base_url=server.url, timeout=30) as c:
            assert c.get(f"/api/v1/rooms/{code}").json() == before
            assert before["lesson"]["step"] == 1
            assert c.get(f"/api/v1/lessons/{lesson['id']}").json() == lesson
            results = c.get(f"/api/v1/rooms/{code}/questions/{qid}", headers=teacher).json()
            assert results["total"] == 1 and results["histogram"]["mean"] == pytest.approx(0.9)
            again = c.post(
                f"/api/v1/rooms/{code}/questions/{qid}/answers",
                json={"value": 0.5},
                headers=student,
            )
            assert again.status_code == 200  # the student's token still works
            forks = c.get(f"/api/v1/rooms/{code}/forks", headers=teacher).json()["forks"]
            assert [f["run_id"] for f in forks] == [fork.json()["id"]]
            assert forks[0]["state"] == "interrupted"  # it was in flight when the server stopped
            back = c.put(
                f"/api/v1/rooms/{code}/lesson",
                json={"lesson": lesson["id"], "step": 0},
                headers=teacher,
            )
            assert back.status_code == 200 and back.json()["lesson"]["step"] == 0
    finally:
        server.stop()
