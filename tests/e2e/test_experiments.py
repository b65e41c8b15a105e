"""The experiments panel: my experiments apart from those shared with me, against a real server."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest
from appsteps import open_app

pytestmark = pytest.mark.e2e


def _call(server: str, method: str, path: str, body: Any = None) -> Any:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        server + path, data=data, method=method, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def _share_tab(page: Any) -> None:
    page.get_by_test_id("tab-share").click()


def test_experiments_panel_shows_mine_and_shared_apart(page: Any, server: str, shot: Any) -> None:
    spiral = _call(server, "GET", "/api/v1/presets/playground-spiral-tanh")["spec"]
    body = {"name": "Their spiral", "spec": spiral, "owner": "another-students-token"}
    _call(server, "POST", "/api/v1/experiments", body)

    open_app(page, server)
    _share_tab(page)
    page.get_by_label("experiment name").fill("My circle")
    page.get_by_test_id("save-experiment").click()
    mine = page.get_by_test_id("my-experiments")
    shared = page.get_by_test_id("shared-experiments")
    mine.get_by_role("button", name="My circle", exact=True).wait_for()
    shared.get_by_role("button", name="Their spiral", exact=True).wait_for()
    assert mine.get_by_role("button", name="delete My circle").count() == 1
    assert shared.get_by_role("button", name="delete Their spiral").count() == 0
    assert shared.get_by_role("button", name="rename Their spiral").count() == 0
    shot(page, "mine-and-shared")

    # Renaming goes through the owner token this browser keeps, across a reload too.
    page.once("dialog", lambda dialog: dialog.accept("My renamed circle"))
    mine.get_by_role("button", name="rename My circle").click()
    mine.get_by_role("button", name="My renamed circle", exact=True).wait_for()
    page.reload()
    page.wait_for_selector(".app-shell[data-ready='true']")
    _share_tab(page)
    mine.get_by_role("button", name="My renamed circle", exact=True).wait_for()

    # Opening someone else's experiment loads it; deleting mine removes it.
    shared.get_by_role("button", name="Their spiral", exact=True).click()
    page.wait_for_function("() => window.__glassnet.specs.getState().title === 'Their spiral'")
    mine.get_by_role("button", name="delete My renamed circle").click()
    mine.get_by_role("button", name="My renamed circle", exact=True).wait_for(state="detached")
    shot(page, "after-delete")
    assert page.errors == []
