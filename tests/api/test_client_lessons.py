"""The Python client's lessons: save one, read it back, step a room through it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from apihelpers import tiny_spec
from fastapi.testclient import TestClient

from glassnet.client import GlassnetClient, GlassnetError


@pytest.fixture
def gn(client: TestClient) -> Iterator[GlassnetClient]:
    with GlassnetClient("http://testserver", transport=client._transport) as c:
        yield c


STEPS = [
    {"title": "XOR", "preset": "xor-2-2-1", "note": "Watch the boundary."},
    {
        "title": "Tiny",
        "spec": tiny_spec(),
        "question": {"kind": "number", "prompt": "Accuracy after 5 epochs?"},
    },
]


def test_a_client_saves_a_lesson_and_steps_its_room_through_it(gn: GlassnetClient) -> None:
    lesson = gn.create_lesson("Week 3", STEPS)
    assert gn.get_lesson(lesson["id"]) == lesson
    room = gn.create_room("Week 3")
    state = gn.lesson_step(room["code"], lesson["id"], 1)
    assert state["lesson"]["step"] == 1 and state["question"]["kind"] == "number"
    assert gn.room(room["code"]) == state


def test_a_client_opens_a_room_on_a_lessons_first_step(gn: GlassnetClient) -> None:
    lesson = gn.create_lesson("Week 3", STEPS)
    room = gn.create_room("Week 3", lesson=lesson["id"])
    assert gn.room(room["code"])["lesson"]["step_title"] == "XOR"


def test_the_client_reports_a_step_out_of_range_with_its_field(gn: GlassnetClient) -> None:
    lesson = gn.create_lesson("Week 3", STEPS)
    room = gn.create_room("Week 3")
    with pytest.raises(GlassnetError) as err:
        gn.lesson_step(room["code"], lesson["id"], 5)
    assert err.value.status == 422 and err.value.problems[0]["pointer"] == "/step"


def test_another_clients_token_cannot_step_the_room(gn: GlassnetClient, client: TestClient) -> None:
    lesson = gn.create_lesson("Week 3", STEPS)
    room = gn.create_room("Week 3")
    with (
        GlassnetClient("http://testserver", transport=client._transport) as other,
        pytest.raises(GlassnetError) as err,
    ):
        other.lesson_step(room["code"], lesson["id"], 0)
    assert err.value.status == 403
