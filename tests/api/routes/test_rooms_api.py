"""The classroom REST calls (DESIGN.md "Classroom rooms"): every call, its errors and persistence."""

from __future__ import annotations

from typing import Any

import pytest
from apihelpers import Runs, long_spec, tiny_spec, wait_for
from fastapi.testclient import TestClient
from roomhelpers import Room

from glassnet.api import create_app
from glassnet.rooms.names import CODE_ALPHABET, CODE_LENGTH
from glassnet.settings import Settings


def messages(r: Any) -> str:
    return " ".join(p["message"] for p in r.json()["detail"])


# --- create and read -----------------------------------------------------------------------


def test_create_returns_a_short_code_easy_to_read_aloud(client: TestClient) -> None:
    room = Room(client)
    assert len(room.code) == CODE_LENGTH
    assert set(room.code) <= set(CODE_ALPHABET)
    assert not set(room.code) & set("0O1IL2Z5S8B")


def test_new_room_state_is_public_and_empty(client: TestClient) -> None:
    room = Room(client, title="Week 3")
    state = client.get(room.url).json()
    assert state["code"] == room.code and state["title"] == "Week 3"
    assert state["spec"] == tiny_spec()
    assert state["students"] == 0 and state["question"] is None
    assert state["locked"] == [] and state["hidden"] == [] and state["paused"] is False
    assert "teacher_token" not in state


def test_code_is_found_in_any_case_and_with_a_dash(client: TestClient) -> None:
    room = Room(client)
    typed = room.code[:3].lower() + "-" + room.code[3:].lower()
    assert client.get(f"/api/v1/rooms/{typed}").json()["code"] == room.code


def test_unknown_code_is_404(client: TestClient) -> None:
    r = client.get("/api/v1/rooms/AAAAAA")
    assert r.status_code == 404
    assert "check the code" in messages(r)


def test_create_with_an_invalid_spec_lists_the_problem(client: TestClient) -> None:
    bad = tiny_spec()
    bad["network"]["nodes"][1]["units"] = 0
    r = client.post("/api/v1/rooms", json={"title": "x", "spec": bad})
    assert r.status_code == 422
    assert any(p["pointer"].startswith("/spec/network/nodes/1") for p in r.json()["detail"])


# --- teacher changes -----------------------------------------------------------------------


def test_teacher_patch_sets_every_part_of_the_state(client: TestClient, runs: Runs) -> None:
    room = Room(client)
    run = runs.create()
    state = room.patch(
        run_id=run["id"],
        view="boundary",
        textbook=3,
        locked=["network", "training"],
        hidden=["presets"],
        paused=True,
        message="Eyes on the projector",
    )
    assert state["run_id"] == run["id"] and state["view"] == "boundary"
    assert state["textbook"] == 3 and state["locked"] == ["network", "training"]
    assert state["hidden"] == ["presets"] and state["paused"] is True
    assert state["message"] == "Eyes on the projector"
    assert room.state() == state


def test_patch_changes_only_the_fields_sent(client: TestClient) -> None:
    room = Room(client)
    room.patch(locked=["data"])
    state = room.patch(paused=True)
    assert state["locked"] == ["data"] and state["paused"] is True


def test_every_change_increases_the_revision(client: TestClient) -> None:
    room = Room(client)
    first = room.state()["revision"]
    room.patch(view="loss")
    room.join()
    assert room.state()["revision"] > first


def test_unlocking_restores_a_control_group(client: TestClient) -> None:
    room = Room(client)
    room.patch(locked=["play", "data"])
    assert room.patch(locked=["data"])["locked"] == ["data"]


def test_patch_without_a_token_is_403_and_says_which_header(client: TestClient) -> None:
    room = Room(client)
    r = client.patch(room.url, json={"paused": True})
    assert r.status_code == 403
    assert "X-Glassnet-Teacher" in messages(r)


def test_student_token_on_a_teacher_call_is_403_and_says_why(client: TestClient) -> None:
    room = Room(client)
    student = room.join()
    r = client.patch(room.url, json={"paused": True}, headers=student)
    assert r.status_code == 403
    assert "a student token cannot change the room" in messages(r)
    assert room.state()["paused"] is False


def test_wrong_teacher_token_is_403(client: TestClient) -> None:
    room = Room(client)
    other = Room(client)
    r = client.patch(room.url, json={"paused": True}, headers=other.teacher)
    assert r.status_code == 403


def test_following_an_unknown_run_is_422_at_run_id(client: TestClient) -> None:
    room = Room(client)
    r = client.patch(room.url, json={"run_id": "nosuchrun"}, headers=room.teacher)
    assert r.status_code == 422
    assert r.json()["detail"][0]["pointer"] == "/run_id"


def test_unknown_control_group_is_422(client: TestClient) -> None:
    room = Room(client)
    r = client.patch(room.url, json={"locked": ["steering"]}, headers=room.teacher)
    assert r.status_code == 422
    assert r.json()["detail"][0]["pointer"].startswith("/locked/0")


def test_patch_of_unknown_room_is_404(client: TestClient) -> None:
    r = client.patch(
        "/api/v1/rooms/AAAAAA", json={"paused": True}, headers={"X-Glassnet-Teacher": "x"}
    )
    assert r.status_code == 404


# --- students ------------------------------------------------------------------------------


def test_join_gives_a_token_and_an_anonymous_alias(client: TestClient) -> None:
    room = Room(client)
    r = client.post(f"{room.url}/join", json={})
    assert r.status_code == 201
    body = r.json()
    assert len(body["student_token"]) >= 16 and " " in body["alias"]
    assert room.state()["students"] == 1


def test_join_with_a_name_uses_it_and_keeps_names_unique(client: TestClient) -> None:
    room = Room(client)
    first = client.post(f"{room.url}/join", json={"name": "Ada"}).json()
    second = client.post(f"{room.url}/join", json={"name": "Ada"}).json()
    assert first["alias"] == "Ada" and second["alias"] == "Ada 2"


def test_join_without_a_body_works(client: TestClient) -> None:
    room = Room(client)
    assert client.post(f"{room.url}/join").status_code == 201


def test_join_unknown_room_is_404(client: TestClient) -> None:
    assert client.post("/api/v1/rooms/AAAAAA/join", json={}).status_code == 404


def test_full_room_is_429_with_the_reason(settings: Settings) -> None:
    small = settings.model_copy(update={"max_students_per_room": 2})
    with TestClient(create_app(small)) as client:
        room = Room(client)
        room.join()
        room.join()
        r = client.post(f"{room.url}/join", json={})
        assert r.status_code == 429
        assert "full (2 students)" in messages(r)
        assert room.state()["students"] == 2


# --- questions -----------------------------------------------------------------------------


def test_question_becomes_the_open_question(client: TestClient) -> None:
    room = Room(client)
    qid = room.ask(options=["h1", "h2", "y"], prompt="Which layer's δ vanishes first?")
    q = room.state()["question"]
    assert q["id"] == qid and q["status"] == "open" and q["options"] == ["h1", "h2", "y"]
    assert q["prompt"] == "Which layer's δ vanishes first?"


def test_choice_answers_are_counted_per_option_without_names(client: TestClient) -> None:
    room = Room(client)
    qid = room.ask()
    for value in ("yes", "yes", "no"):
        assert room.answer(qid, room.join(), value).status_code == 200
    body = room.results(qid).json()
    assert body["total"] == 3
    assert body["options"] == [
        {"option": "yes", "count": 2},
        {"option": "no", "count": 1},
        {"option": "it will diverge", "count": 0},
    ]
    assert "alias" not in str(body) and "student" not in str(body)


def test_number_answers_gather_into_a_histogram(client: TestClient) -> None:
    room = Room(client)
    qid = room.ask(kind="number", prompt="Accuracy after 100 epochs?")
    for value in (0.5, 0.75, 1.0, "0.75"):
        assert room.answer(qid, room.join(), value).status_code == 200
    hist = room.results(qid).json()["histogram"]
    assert hist["lo"] == pytest.approx(0.5, abs=1e-12) and hist["hi"] == pytest.approx(1.0)
    assert sum(hist["counts"]) == 4 and len(hist["counts"]) == 10
    assert hist["counts"][0] == 1 and hist["counts"][5] == 2 and hist["counts"][-1] == 1
    assert hist["mean"] == pytest.approx(0.75, abs=1e-12)
    assert hist["median"] == pytest.approx(0.75, abs=1e-12)


def test_an_answer_can_change_until_the_question_closes(client: TestClient) -> None:
    room = Room(client)
    qid = room.ask()
    student = room.join()
    room.answer(qid, student, "yes")
    room.answer(qid, student, "no")
    body = room.results(qid).json()
    assert body["total"] == 1
    assert {o["option"]: o["count"] for o in body["options"]}["no"] == 1


def test_closed_question_refuses_answers_with_409(client: TestClient) -> None:
    room = Room(client)
    qid = room.ask()
    student = room.join()
    room.set_question(qid, "closed")
    r = room.answer(qid, student, "yes")
    assert r.status_code == 409
    assert "closed" in messages(r)


def test_a_new_question_closes_the_previous_one(client: TestClient) -> None:
    room = Room(client)
    first = room.ask()
    room.ask(kind="number", prompt="Final loss?")
    assert room.answer(first, room.join(), "yes").status_code == 409


def test_answer_not_among_the_options_is_422(client: TestClient) -> None:
    room = Room(client)
    qid = room.ask()
    r = room.answer(qid, room.join(), "maybe")
    assert r.status_code == 422
    assert r.json()["detail"][0]["pointer"] == "/value"
    assert "choose one of: yes, no" in messages(r)


def test_non_numeric_answer_to_a_number_question_is_422(client: TestClient) -> None:
    room = Room(client)
    qid = room.ask(kind="number", prompt="Final loss?")
    r = room.answer(qid, room.join(), "a lot")
    assert r.status_code == 422 and "finite number" in messages(r)


def test_answer_without_a_student_token_is_403(client: TestClient) -> None:
    room = Room(client)
    qid = room.ask()
    r = client.post(f"{room.url}/questions/{qid}/answers", json={"value": "yes"})
    assert r.status_code == 403 and "X-Glassnet-Student" in messages(r)


def test_student_of_another_room_cannot_answer(client: TestClient) -> None:
    room, other = Room(client), Room(client)
    qid = room.ask()
    assert room.answer(qid, other.join(), "yes").status_code == 403


def test_unknown_question_is_404(client: TestClient) -> None:
    room = Room(client)
    assert room.answer("nope", room.join(), "yes").status_code == 404
    assert room.results("nope").status_code == 404


def test_choice_question_needs_two_options(client: TestClient) -> None:
    room = Room(client)
    r = client.post(
        f"{room.url}/questions",
        json={"kind": "choice", "prompt": "?", "options": ["only"]},
        headers=room.teacher,
    )
    assert r.status_code == 422 and "at least two options" in messages(r)


def test_student_cannot_ask_a_question(client: TestClient) -> None:
    room = Room(client)
    r = client.post(
        f"{room.url}/questions",
        json={"kind": "number", "prompt": "?"},
        headers=room.join(),
    )
    assert r.status_code == 403 and "student token" in messages(r)


def test_results_are_the_teachers_until_revealed(client: TestClient) -> None:
    room = Room(client)
    qid = room.ask()
    student = room.join()
    room.answer(qid, student, "yes")
    hidden = client.get(f"{room.url}/questions/{qid}", headers=student)
    assert hidden.status_code == 403 and "before they are revealed" in messages(hidden)
    revealed = room.set_question(qid, "revealed", actual="yes")
    assert revealed["status"] == "revealed" and revealed["actual"] == "yes"
    body = client.get(f"{room.url}/questions/{qid}").json()
    assert body["total"] == 1 and body["question"]["actual"] == "yes"
    assert room.state()["question"]["status"] == "revealed"


def test_student_cannot_reveal(client: TestClient) -> None:
    room = Room(client)
    qid = room.ask()
    r = client.patch(
        f"{room.url}/questions/{qid}", json={"status": "revealed"}, headers=room.join()
    )
    assert r.status_code == 403


# --- forks ---------------------------------------------------------------------------------


def test_fork_is_a_run_of_the_students_own_that_trains(client: TestClient, runs: Runs) -> None:
    room = Room(client, spec=tiny_spec(epochs=3))
    r = client.post(f"{room.url}/forks", json={}, headers=room.join())
    assert r.status_code == 201, r.text
    fork = r.json()
    assert fork["owner"] and fork["name"] == f"room {room.code}"
    assert room.state()["forks"] == 1
    wait_for(lambda: runs.get(fork["id"])["state"] == "finished", "the fork finishes")
    assert runs.get(fork["id"])["epoch"] == 3


def test_teacher_sees_the_class_forks_with_loss_and_curve(client: TestClient, runs: Runs) -> None:
    room = Room(client, spec=tiny_spec(epochs=4))
    ids = [
        client.post(f"{room.url}/forks", json={}, headers=room.join()).json()["id"]
        for _ in range(2)
    ]
    for run_id in ids:
        wait_for(lambda r=run_id: runs.get(r)["state"] == "finished", "forks finish")
    forks = client.get(f"{room.url}/forks", headers=room.teacher).json()["forks"]
    assert [f["run_id"] for f in forks] == ids
    for f in forks:
        assert f["state"] == "finished" and f["epoch"] == 4
        assert f["loss"] is not None and f["accuracy"] is not None
        assert len(f["loss_curve"]) == 4 and f["loss_curve"][-1] == pytest.approx(f["loss"])


def test_teacher_can_put_a_fork_on_the_projector(client: TestClient) -> None:
    room = Room(client)
    fork = client.post(f"{room.url}/forks", json={"start": False}, headers=room.join()).json()
    assert room.patch(run_id=fork["id"])["run_id"] == fork["id"]


def test_fork_takes_an_edited_spec(client: TestClient, runs: Runs) -> None:
    room = Room(client)
    edited = tiny_spec(epochs=2)
    fork = client.post(
        f"{room.url}/forks", json={"spec": edited, "start": False}, headers=room.join()
    ).json()
    assert client.get(f"/api/v1/runs/{fork['id']}").json()["spec"] == edited


def test_students_cannot_list_the_forks(client: TestClient) -> None:
    room = Room(client)
    r = client.get(f"{room.url}/forks", headers=room.join())
    assert r.status_code == 403


def test_fork_without_a_student_token_is_403(client: TestClient) -> None:
    room = Room(client)
    assert client.post(f"{room.url}/forks", json={}).status_code == 403


def test_fork_when_the_server_is_full_is_429_with_a_clear_message(settings: Settings) -> None:
    one = settings.model_copy(update={"max_active_runs": 1})
    with TestClient(create_app(one)) as client:
        room = Room(client, spec=long_spec())
        teacher_run = Runs(client).create(long_spec(), start=True)
        r = client.post(f"{room.url}/forks", json={}, headers=room.join())
        assert r.status_code == 429
        assert "try again when a classmate's run finishes" in messages(r)
        Runs(client).act(teacher_run, "stop")


def test_a_student_has_at_most_the_allowed_forks_in_flight(settings: Settings) -> None:
    two = settings.model_copy(update={"max_forks_per_student": 1})
    with TestClient(create_app(two)) as client:
        room = Room(client)
        student = room.join()
        assert (
            client.post(f"{room.url}/forks", json={"start": False}, headers=student).status_code
            == 201
        )
        r = client.post(f"{room.url}/forks", json={"start": False}, headers=student)
        assert r.status_code == 429 and "stop one" in messages(r)


def test_fork_before_the_teacher_set_a_network_is_409(client: TestClient) -> None:
    r = client.post("/api/v1/rooms", json={"title": "empty"})
    code = r.json()["code"]
    student = client.post(f"/api/v1/rooms/{code}/join", json={}).json()
    r = client.post(
        f"/api/v1/rooms/{code}/forks",
        json={},
        headers={"X-Glassnet-Student": student["student_token"]},
    )
    assert r.status_code == 409 and "not set a network" in messages(r)


# --- persistence ---------------------------------------------------------------------------


def test_rooms_answers_and_tokens_survive_a_restart(settings: Settings) -> None:
    with TestClient(create_app(settings)) as client:
        room = Room(client)
        room.patch(locked=["network"], paused=True, message="Back in 5")
        student = room.join()
        qid = room.ask()
        room.answer(qid, student, "no")
        fork = client.post(f"{room.url}/forks", json={"start": False}, headers=student).json()
        before = room.state()
    with TestClient(create_app(settings)) as client:
        room.client = client
        assert room.state() == before
        assert room.results(qid).json()["options"][1] == {"option": "no", "count": 1}
        # Both tokens still work: the student changes the answer, the teacher unpauses.
        assert room.answer(qid, student, "yes").status_code == 200
        assert room.patch(paused=False)["paused"] is False
        forks = client.get(f"{room.url}/forks", headers=room.teacher).json()["forks"]
        assert [f["run_id"] for f in forks] == [fork["id"]]
