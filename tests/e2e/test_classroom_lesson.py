"""A lesson in the browser: the teacher builds a two-step lesson in the app and saves it; its link
opens a room on step 1; two students (browser contexts of their own) follow each step's network and
"look at" hint, see the step and the teacher's note, answer step 2's question, and the teacher's
screen gathers the answers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from appsteps import open_app

WAIT = 20_000  # ms a condition may take on a loaded machine: a failure guard, not a speed check
NOTE = "Watch the boundary bend around the corners."
HIDDEN = "() => window.__glassnet.specs.getState().spec().network.nodes[1].id"


def preset_hint(pg: Any, preset: str) -> str:
    return str(
        pg.evaluate(
            "id => fetch(`/api/v1/presets/${id}`).then(r => r.json()).then(p => p.look_at)", preset
        )
    )


def build_lesson(teacher: Any, shot: Callable[[Any, str], Path]) -> str:
    """Build and save the lesson in the Class tab; its link."""
    teacher.get_by_test_id("tab-class").click()
    builder = teacher.get_by_test_id("lesson-builder")
    builder.locator("summary").click()
    builder.get_by_label("lesson title").fill("Hidden layers")
    builder.get_by_test_id("lesson-source").select_option("xor-2-2-1")
    builder.get_by_label("step title").fill("XOR needs a hidden layer")
    builder.get_by_label("step note").fill(NOTE)
    builder.get_by_test_id("lesson-add-step").click()
    builder.get_by_test_id("lesson-source").select_option("playground-circle")
    builder.get_by_label("step title").fill("A ring around the inner class")
    builder.get_by_label("step question kind").select_option("choice")
    builder.get_by_label("step question", exact=True).fill(
        "Will a ring need more hidden units than XOR?"
    )
    builder.get_by_label("step options").fill("yes\nno")
    builder.get_by_test_id("lesson-add-step").click()
    assert builder.locator("[data-testid='lesson-steps'] li").count() == 2
    builder.get_by_test_id("lesson-steps").scroll_into_view_if_needed()
    shot(teacher, "teacher-builder")
    builder.get_by_test_id("lesson-save").click()
    return str(builder.get_by_test_id("lesson-link").text_content(timeout=WAIT)).strip()


def test_a_class_steps_through_a_lesson(
    server: str, contexts: Callable[[], Any], shot: Callable[[Any, str], Path]
) -> None:
    teacher = contexts()
    open_app(teacher, server)
    link = build_lesson(teacher, shot)
    assert link.startswith(f"{server}/?lesson=")

    # The link opens a room on step 1, the teacher's editor holding its preset and hint.
    teacher.goto(link)
    teacher.wait_for_selector(".app-shell[data-ready='true']")
    teacher.get_by_test_id("lesson-step").filter(has_text="Step 1 of 2").wait_for(timeout=WAIT)
    code = teacher.get_by_test_id("class-code").text_content(timeout=WAIT).strip()
    xor_hint, circle_hint = (
        preset_hint(teacher, "xor-2-2-1"),
        preset_hint(teacher, "playground-circle"),
    )
    teacher.get_by_test_id("look-at").filter(has_text=xor_hint).wait_for(timeout=WAIT)

    students = []
    for _ in range(2):
        pg = contexts()
        pg.goto(f"{server}/?room={code}")
        pg.wait_for_selector(".app-shell[data-ready='true']")
        pg.get_by_test_id("class-alias").wait_for(timeout=WAIT)
        students.append(pg)
    teacher.get_by_test_id("class-students").filter(has_text="2 students").wait_for(timeout=WAIT)

    # Step 1 on every student's screen: the XOR preset, its hint, the step and the note.
    for pg in students:
        pg.wait_for_function(f"() => ({HIDDEN})() === 'h'", timeout=WAIT)  # xor-2-2-1
        pg.get_by_test_id("look-at").filter(has_text=xor_hint).wait_for(timeout=WAIT)
        pg.get_by_test_id("lesson-step").filter(
            has_text="Step 1 of 2: XOR needs a hidden layer"
        ).wait_for(timeout=WAIT)
        pg.get_by_test_id("lesson-note").filter(has_text=NOTE).wait_for(timeout=WAIT)
        assert pg.get_by_test_id("lesson-next").count() == 0  # the teacher steps, not students
    shot(students[0], "student-step-1")

    # Next: step 2's preset, hint and question reach every student; they answer.
    teacher.get_by_test_id("lesson-next").click()
    teacher.get_by_test_id("lesson-step").filter(has_text="Step 2 of 2").wait_for(timeout=WAIT)
    teacher.get_by_test_id("look-at").filter(has_text=circle_hint).wait_for(timeout=WAIT)
    for pg, choice in zip(students, ("yes", "no"), strict=True):
        pg.wait_for_function(f"() => ({HIDDEN})() === 'h1'", timeout=WAIT)  # playground-circle
        pg.get_by_test_id("look-at").filter(has_text=circle_hint).wait_for(timeout=WAIT)
        pg.get_by_test_id("lesson-step").filter(has_text="Step 2 of 2").wait_for(timeout=WAIT)
        assert pg.get_by_test_id("lesson-note").count() == 0
        pg.get_by_test_id(f"answer-{choice}").click(timeout=WAIT)
        pg.get_by_test_id("class-my-answer").filter(has_text=f"Your answer: {choice}").wait_for(
            timeout=WAIT
        )
    teacher.get_by_test_id("class-answers").filter(has_text="2 answered").wait_for(timeout=WAIT)
    teacher.get_by_test_id("lesson-answers").filter(has_text="2 answered").wait_for(timeout=WAIT)
    teacher.get_by_test_id("count-yes").filter(has_text="1").wait_for(timeout=WAIT)
    teacher.get_by_test_id("count-no").filter(has_text="1").wait_for(timeout=WAIT)
    assert teacher.get_by_test_id("lesson-next").is_disabled()  # the last step
    teacher.get_by_test_id("class-answers").scroll_into_view_if_needed()
    shot(teacher, "teacher")
    shot(students[1], "student")

    # Previous goes back to step 1 for everyone.
    teacher.get_by_test_id("lesson-prev").click()
    for pg in students:
        pg.get_by_test_id("lesson-step").filter(has_text="Step 1 of 2").wait_for(timeout=WAIT)
        pg.wait_for_function(f"() => ({HIDDEN})() === 'h'", timeout=WAIT)

    for pg in [teacher, *students]:
        assert pg.errors == [], pg.errors
