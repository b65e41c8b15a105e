"""A class in the browser: one teacher and three students, each in a browser context of their own.

Students follow the teacher's preset (with its "look at" hint), run and textbook step; a locked
control is disabled for them and works again when unlocked; "pause class" covers their screens; their
answers to a question are gathered on the teacher's screen; a student's own run (a fork) trains on
its own.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from appsteps import choose_preset, open_app, view_tab

STUDENTS = 3
WAIT = 20_000  # ms a condition may take on a loaded machine: a failure guard, not a speed check


def run_of(pg: Any) -> Any:
    return pg.evaluate("() => window.__glassnet.runs.getState().runId")


def test_a_class_follows_answers_and_tries_it(
    server: str, contexts: Callable[[], Any], shot: Callable[[Any, str], Path]
) -> None:
    teacher = contexts()
    open_app(teacher, server)
    choose_preset(teacher, "xor-2-2-1")
    teacher.get_by_test_id("tab-class").click()
    teacher.get_by_label("class title").fill("Backprop, week 3")
    teacher.get_by_test_id("class-open").click()
    code = teacher.get_by_test_id("class-code").text_content(timeout=WAIT).strip()
    assert len(code) == 6

    students = []
    for _ in range(STUDENTS):
        pg = contexts()
        pg.goto(f"{server}/?room={code}")
        pg.wait_for_selector(".app-shell[data-ready='true']")
        pg.get_by_test_id("class-alias").wait_for(timeout=WAIT)  # the link opens the Class tab
        students.append(pg)
    teacher.get_by_test_id("class-students").filter(has_text=f"{STUDENTS} students").wait_for(
        timeout=WAIT
    )

    # Textbook mode and its step follow the teacher (on the XOR network).
    teacher.get_by_test_id("open-textbook").click()
    teacher.wait_for_selector("[data-testid='textbook-mode']")
    for pg in students:
        pg.wait_for_selector("[data-testid='textbook-mode']", timeout=WAIT)
    teacher.get_by_test_id("tb-forward").click(timeout=WAIT)
    stage = teacher.get_by_test_id("tb-status").text_content().strip()
    for pg in students:
        pg.wait_for_function(
            "s => document.querySelector(\"[data-testid='tb-status']\")?.textContent.trim() === s",
            arg=stage,
            timeout=WAIT,
        )
    teacher.get_by_test_id("tb-close").click()
    for pg in students:
        pg.wait_for_selector("[data-testid='textbook-mode']", state="detached", timeout=WAIT)

    # A preset change on the teacher's screen reaches every student.
    hidden_layer = "() => window.__glassnet.specs.getState().spec().network.nodes[1].id"
    for pg in students:
        pg.wait_for_function(f"() => ({hidden_layer})() === 'h'", timeout=WAIT)  # xor-2-2-1
    choose_preset(teacher, "playground-circle")
    hint = teacher.locator("[data-testid='look-at'] .look-at-text").text_content(timeout=WAIT)
    hint = hint.strip()
    assert "ring around the inner class" in hint
    for pg in students:
        pg.wait_for_function(f"() => ({hidden_layer})() === 'h1'", timeout=WAIT)
        dataset = pg.evaluate("() => window.__glassnet.specs.getState().spec().data.dataset")
        assert dataset == "circle"
        # the preset's "look at" hint travels with it
        pg.get_by_test_id("look-at").filter(has_text=hint).wait_for(timeout=WAIT)

    # The teacher's run: every student watches the same run and its frames arrive.
    teacher.get_by_test_id("play").click()
    teacher.wait_for_function("() => window.__glassnet.runs.getState().runId !== null")
    run_id = run_of(teacher)
    for pg in students:
        pg.wait_for_function(
            "id => window.__glassnet.runs.getState().runId === id", arg=run_id, timeout=WAIT
        )
        pg.wait_for_function(
            "id => window.__glassnet.hub.latest && window.__glassnet.hub.latest.run === id",
            arg=run_id,
            timeout=WAIT,
        )
        # Read-only: a student's page holds no owner token for the teacher's run.
        assert pg.evaluate("() => window.__glassnet.runs.getState().owner") is None
    teacher.get_by_test_id("play").click()  # pause

    # The view the teacher shows becomes the students' view.
    view_tab(teacher, "Boundary")
    for pg in students:
        pg.locator(".views-area [role='tab'][aria-selected='true']").filter(
            has_text="Boundary"
        ).wait_for(timeout=WAIT)

    # A locked control is disabled for students, and works again when unlocked.
    student = students[0]
    teacher.get_by_test_id("tab-class").click()
    teacher.get_by_test_id("lock-play").click()  # applied when the server answers
    student.wait_for_selector("[data-testid='lock-play-area'][disabled]", timeout=WAIT)
    assert student.get_by_test_id("step").is_disabled()
    assert teacher.get_by_test_id("step").is_enabled()  # the teacher's controls stay the teacher's
    teacher.get_by_test_id("lock-play").click()
    student.wait_for_selector("[data-testid='lock-play-area']:not([disabled])", timeout=WAIT)
    assert student.get_by_test_id("step").is_enabled()

    # A hidden group disappears from students' screens (not the teacher's) and comes back.
    teacher.get_by_test_id("hide-presets").click()
    student.wait_for_selector("[data-testid='tab-presets']", state="detached", timeout=WAIT)
    assert teacher.get_by_test_id("tab-presets").is_visible()
    teacher.get_by_test_id("hide-presets").click()
    student.get_by_test_id("tab-presets").wait_for(timeout=WAIT)

    # Pause class covers every student's screen with the message.
    teacher.get_by_label("pause message").fill("Eyes on the projector")
    teacher.get_by_test_id("class-pause").click()
    for pg in students:
        pg.get_by_test_id("class-paused").filter(has_text="Eyes on the projector").wait_for(
            timeout=WAIT
        )
    shot(students[1], "student-paused")
    teacher.get_by_test_id("class-resume").click()
    for pg in students:
        pg.wait_for_selector("[data-testid='class-paused']", state="detached", timeout=WAIT)

    # Predict, then run: three answers gathered on the teacher's screen, without names.
    teacher.get_by_label("question", exact=True).fill("Will the loss go down?")
    teacher.get_by_label("options").fill("yes\nno")
    teacher.get_by_test_id("class-ask").click()
    for pg, choice in zip(students, ("yes", "yes", "no"), strict=True):
        pg.get_by_test_id(f"answer-{choice}").click(timeout=WAIT)
        pg.get_by_test_id("class-my-answer").filter(has_text=f"Your answer: {choice}").wait_for(
            timeout=WAIT
        )
    teacher.get_by_test_id("count-yes").filter(has_text="2").wait_for(timeout=WAIT)
    teacher.get_by_test_id("count-no").filter(has_text="1").wait_for(timeout=WAIT)
    teacher.get_by_test_id("class-answers").filter(has_text="3 answered").wait_for(timeout=WAIT)
    shot(teacher, "teacher")

    # Try it yourself: a student's own run trains while the teacher's stays paused.
    student.get_by_test_id("class-fork").click()
    student.wait_for_function(
        "id => { const r = window.__glassnet.runs.getState(), f = window.__glassnet.hub.latest;"
        " return r.runId && r.runId !== id && r.owner !== null"
        " && f && f.run === r.runId && f.step > 0; }",
        arg=run_id,
        timeout=WAIT,
    )
    fork_id = run_of(student)
    student.get_by_test_id("class-following").filter(has_text="your own run").wait_for()
    shot(student, "student")
    teacher.locator("[data-testid='class-forks'] li").first.wait_for(timeout=WAIT)
    assert teacher.locator("[data-testid='class-forks'] li").count() == 1
    teacher.locator("[data-testid='class-forks'] li button").first.click()
    for pg in students[1:]:
        pg.wait_for_function(
            "id => window.__glassnet.runs.getState().runId === id", arg=fork_id, timeout=WAIT
        )

    for pg in [teacher, *students]:
        assert pg.errors == [], pg.errors


@pytest.mark.parametrize("link", ["/runs/{id}", "/?run={id}"])
def test_a_run_link_opens_the_run_read_only(server: str, page: Any, link: str) -> None:
    import json
    import urllib.request

    spec = json.loads(
        urllib.request.urlopen(f"{server}/api/v1/presets/xor-2-2-1", timeout=30).read()
    )["spec"]
    body = json.dumps({"spec": spec, "start": True}).encode()
    request = urllib.request.Request(
        f"{server}/api/v1/runs", body, {"Content-Type": "application/json"}, method="POST"
    )
    run_id = json.loads(urllib.request.urlopen(request, timeout=30).read())["id"]
    page.goto(server + link.format(id=run_id))
    page.wait_for_function(
        "id => window.__glassnet.runs.getState().runId === id", arg=run_id, timeout=WAIT
    )
    page.wait_for_function(
        "id => window.__glassnet.hub.latest && window.__glassnet.hub.latest.run === id",
        arg=run_id,
        timeout=WAIT,
    )
    assert page.evaluate("() => window.__glassnet.runs.getState().owner") is None
    ids = page.evaluate(
        "() => window.__glassnet.specs.getState().spec().network.nodes.map(n => n.id)"
    )
    assert ids == [n["id"] for n in spec["network"]["nodes"]]
    # the run's own link is offered where setups are shared
    page.get_by_role("tab", name="Save & share").click()
    assert page.get_by_test_id("run-link").get_attribute("href") == f"{server}/runs/{run_id}"
    assert page.errors == [], page.errors


def test_the_join_link_is_a_qr_code_on_the_projector(
    server: str, contexts: Callable[[], Any], shot: Callable[[Any, str], Path]
) -> None:
    teacher = contexts()
    open_app(teacher, server)
    teacher.get_by_test_id("tab-class").click()
    teacher.get_by_label("class title").fill("QR")
    teacher.get_by_test_id("class-open").click()
    code = teacher.get_by_test_id("class-code").text_content(timeout=WAIT).strip()
    link = f"{server}/?room={code}"
    qr = teacher.get_by_test_id("class-qr")
    assert qr.get_attribute("data-link") == link
    assert qr.get_attribute("aria-label") == f"QR code of {link}"
    teacher.get_by_role("button", name="Show the code large").click()
    big = teacher.get_by_role("dialog", name="Join code").get_by_test_id("class-qr")
    assert big.bounding_box()["width"] >= 300
    shot(teacher, "projector-qr")
    # the link the code holds joins the room
    student = contexts()
    student.goto(big.get_attribute("data-link"))
    student.get_by_test_id("class-alias").wait_for(timeout=WAIT)
    teacher.get_by_test_id("class-students").filter(has_text="1 student").wait_for(timeout=WAIT)
