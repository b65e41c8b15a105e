"""Lessons (DESIGN.md "Classroom rooms"): saving and opening a lesson, and a teacher stepping a room
through it — every call, its errors and what the class's room state says at each step."""

from __future__ import annotations

from typing import Any

from apihelpers import tiny_spec
from fastapi.testclient import TestClient
from roomhelpers import Room

from glassnet.presets import get_preset

XOR = "xor-2-2-1"
QUESTION = {"kind": "choice", "prompt": "Will the loss go down?", "options": ["yes", "no"]}


def two_steps() -> dict[str, Any]:
    """Step 1 a preset with a note, step 2 a saved spec with a question."""
    return {
        "title": "Backprop, week 3",
        "steps": [
            {"title": "XOR needs a hidden layer", "preset": XOR, "note": "Watch the boundary."},
            {"title": "A tiny MLP", "spec": tiny_spec(), "question": QUESTION},
        ],
    }


def save(client: TestClient, body: dict[str, Any] | None = None) -> str:
    r = client.post("/api/v1/lessons", json=body or two_steps())
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def go(room: Room, lesson: str, step: int, headers: dict[str, str] | None = None) -> Any:
    return room.client.put(
        f"{room.url}/lesson",
        json={"lesson": lesson, "step": step},
        headers=room.teacher if headers is None else headers,
    )


def pointers(r: Any) -> list[str]:
    return [p["pointer"] for p in r.json()["detail"]]


# --- saving and opening ----------------------------------------------------------------------


def test_a_saved_lesson_reads_back_with_its_steps_in_order(client: TestClient) -> None:
    lesson = save(client)
    r = client.get(f"/api/v1/lessons/{lesson}")
    assert r.status_code == 200
    body = r.json()
    assert body["id"] == lesson and body["title"] == "Backprop, week 3"
    assert [s["title"] for s in body["steps"]] == ["XOR needs a hidden layer", "A tiny MLP"]
    assert body["steps"][0]["preset"] == XOR and body["steps"][0]["note"] == "Watch the boundary."
    assert body["steps"][1]["spec"] == tiny_spec()
    assert body["steps"][1]["question"] == QUESTION


def test_an_unknown_lesson_is_404(client: TestClient) -> None:
    r = client.get("/api/v1/lessons/nosuchid")
    assert r.status_code == 404
    assert "no lesson" in r.json()["detail"][0]["message"]


def test_a_lesson_with_an_unknown_preset_and_a_bad_spec_lists_both(client: TestClient) -> None:
    bad = tiny_spec()
    bad["network"]["nodes"][1]["units"] = 0
    body = {
        "title": "Broken",
        "steps": [
            {"title": "one", "preset": "no-such-preset"},
            {"title": "two", "spec": bad},
        ],
    }
    r = client.post("/api/v1/lessons", json=body)
    assert r.status_code == 422
    found = pointers(r)
    assert "/steps/0/preset" in found
    assert any(p.startswith("/steps/1/spec/network/nodes/1") for p in found)


def test_a_step_needs_exactly_one_of_preset_and_spec(client: TestClient) -> None:
    for step in ({"title": "neither"}, {"title": "both", "preset": XOR, "spec": tiny_spec()}):
        r = client.post("/api/v1/lessons", json={"title": "x", "steps": [step]})
        assert r.status_code == 422
        assert any(p.startswith("/steps/0") for p in pointers(r)), r.text


def test_a_lesson_without_steps_is_refused(client: TestClient) -> None:
    r = client.post("/api/v1/lessons", json={"title": "empty", "steps": []})
    assert r.status_code == 422
    assert "/steps" in pointers(r)


def test_a_step_question_is_checked_like_a_room_question(client: TestClient) -> None:
    step = {"title": "q", "preset": XOR, "question": {"kind": "choice", "prompt": "?"}}
    r = client.post("/api/v1/lessons", json={"title": "x", "steps": [step]})
    assert r.status_code == 422
    assert any(p.startswith("/steps/0/question") for p in pointers(r))


# --- stepping a room through a lesson --------------------------------------------------------


def test_a_room_opened_with_a_lesson_starts_on_its_first_step(client: TestClient) -> None:
    lesson = save(client)
    r = client.post("/api/v1/rooms", json={"title": "Week 3", "lesson": lesson})
    assert r.status_code == 201, r.text
    state = client.get(f"/api/v1/rooms/{r.json()['code']}").json()
    assert state["lesson"]["id"] == lesson and state["lesson"]["step"] == 0
    assert state["spec"] == get_preset(XOR)["spec"]
    assert state["look_at"] == get_preset(XOR)["look_at"]


def test_a_room_opened_with_an_unknown_lesson_is_404(client: TestClient) -> None:
    r = client.post("/api/v1/rooms", json={"title": "Week 3", "lesson": "nosuchid"})
    assert r.status_code == 404
    assert "no lesson" in r.json()["detail"][0]["message"]


def test_a_room_keeps_the_hint_it_was_opened_with(client: TestClient) -> None:
    body = {"title": "Week 3", "spec": tiny_spec(), "look_at": "Look at: the Loss view."}
    code = client.post("/api/v1/rooms", json=body).json()["code"]
    assert client.get(f"/api/v1/rooms/{code}").json()["look_at"] == "Look at: the Loss view."


def test_going_to_a_preset_step_loads_its_spec_hint_and_note(client: TestClient) -> None:
    room, lesson = Room(client), save(client)
    r = go(room, lesson, 0)
    assert r.status_code == 200, r.text
    state = room.state()
    preset = get_preset(XOR)
    assert state["spec"] == preset["spec"] and state["look_at"] == preset["look_at"]
    assert state["lesson"] == {
        "id": lesson,
        "title": "Backprop, week 3",
        "step": 0,
        "steps": 2,
        "step_title": "XOR needs a hidden layer",
        "note": "Watch the boundary.",
        "preset": XOR,
    }
    assert state["question"] is None and r.json() == state


def test_going_to_a_step_with_a_question_asks_it(client: TestClient) -> None:
    room, lesson = Room(client), save(client)
    go(room, lesson, 0)
    state = go(room, lesson, 1).json()
    assert state["spec"] == tiny_spec() and state["look_at"] is None
    assert state["lesson"]["step"] == 1 and state["lesson"]["note"] is None
    question = state["question"]
    assert question["prompt"] == QUESTION["prompt"] and question["status"] == "open"
    assert question["options"] == ["yes", "no"]
    student = room.join()
    assert room.answer(question["id"], student, "yes").status_code == 200
    counts = room.results(question["id"]).json()["options"]
    assert counts == [{"option": "yes", "count": 1}, {"option": "no", "count": 0}]


def test_going_back_to_a_step_without_a_question_closes_the_open_one(client: TestClient) -> None:
    room, lesson = Room(client), save(client)
    qid = go(room, lesson, 1).json()["question"]["id"]
    state = go(room, lesson, 0).json()
    assert state["question"] is None
    student = room.join()
    assert room.answer(qid, student, "yes").status_code == 409


def test_a_step_leaves_the_followed_run_behind(client: TestClient, runs: Any) -> None:
    room, lesson = Room(client), save(client)
    run = runs.create(tiny_spec(), start=False)
    room.patch(run_id=run["id"])
    assert go(room, lesson, 0).json()["run_id"] is None


def test_a_student_token_cannot_step_the_lesson(client: TestClient) -> None:
    room, lesson = Room(client), save(client)
    r = go(room, lesson, 0, headers=room.join())
    assert r.status_code == 403
    assert "only the teacher" in r.json()["detail"][0]["message"]
    assert room.state()["lesson"] is None


def test_stepping_without_a_token_is_403(client: TestClient) -> None:
    room, lesson = Room(client), save(client)
    assert go(room, lesson, 0, headers={}).status_code == 403


def test_stepping_to_an_unknown_lesson_is_404(client: TestClient) -> None:
    room = Room(client)
    r = go(room, "nosuchid", 0)
    assert r.status_code == 404
    assert "no lesson" in r.json()["detail"][0]["message"]


def test_stepping_in_an_unknown_room_is_404(client: TestClient) -> None:
    lesson = save(client)
    r = client.put("/api/v1/rooms/AAAAAA/lesson", json={"lesson": lesson, "step": 0})
    assert r.status_code == 404


def test_a_step_past_the_end_is_422_naming_the_step(client: TestClient) -> None:
    room, lesson = Room(client), save(client)
    r = go(room, lesson, 2)
    assert r.status_code == 422
    problem = r.json()["detail"][0]
    assert problem["pointer"] == "/step" and "choose 0 to 1" in problem["message"]


def test_a_negative_step_is_422_naming_the_step(client: TestClient) -> None:
    room, lesson = Room(client), save(client)
    r = go(room, lesson, -1)
    assert r.status_code == 422
    assert "/step" in pointers(r)


def test_the_teacher_can_patch_the_hint_followers_see(client: TestClient) -> None:
    room = Room(client)
    assert room.patch(look_at="Look at: the Loss view.")["look_at"] == "Look at: the Loss view."
    assert room.patch(look_at=None)["look_at"] is None
