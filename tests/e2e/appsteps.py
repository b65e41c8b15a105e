"""Steps through the app that more than one browser test takes (imported as `appsteps`)."""

from __future__ import annotations

import contextlib
from typing import Any


def open_app(page: Any, server: str) -> None:
    """Load the app and wait until it is ready."""
    page.goto(server + "/")
    page.wait_for_selector(".app-shell[data-ready='true']")


def load_preset(page: Any, server: str, preset: str) -> None:
    """Open the app and load a preset from the gallery."""
    open_app(page, server)
    choose_preset(page, preset)


def choose_preset(page: Any, preset: str) -> None:
    """Load a preset from the gallery of the open app."""
    page.get_by_role("tab", name="Presets").click()
    # The editor may still hold the last session's spec: wait for this preset's load to land, else a
    # change made next is overwritten when the preset arrives.
    loads = page.evaluate("() => window.__glassnet.specs.getState().loads")
    page.locator(f"[data-testid='preset-{preset}']").click()
    page.wait_for_function(
        "(n) => window.__glassnet.specs.getState().loads > n", arg=loads, timeout=30000
    )


def view_tab(page: Any, title: str) -> None:
    """Show one of the live views (Internals, Gradients, Loss, Boundary, ...)."""
    page.locator(".views-area").get_by_role("tab", name=title, exact=True).click()


def fullscreen(page: Any) -> None:
    """Put the shown view in full screen and let it redraw."""
    page.locator(".view-slot:not([hidden]) .fullscreen-btn").click()
    page.wait_for_function("() => document.fullscreenElement !== null")
    page.wait_for_timeout(400)  # one resize + draw


def leave_fullscreen(page: Any) -> None:
    page.evaluate("() => document.fullscreenElement && document.exitFullscreen()")
    page.wait_for_function("() => document.fullscreenElement === null")


def train_long(page: Any, epochs: int = 100_000) -> None:
    """Give the loaded spec enough epochs to be paused mid-run: a playground network on the
    compiled path trains a preset's few thousand steps in well under a second."""
    # (set again until it holds: a preset still arriving replaces the whole spec)
    page.wait_for_function(
        """(n) => {
            const s = window.__glassnet.specs.getState();
            if (s.spec().training.epochs !== n) s.setTraining({ epochs: n });
            return s.spec().training.epochs === n && s.validation.status === "valid";
        }""",
        arg=epochs,
    )


def spec_of(page: Any) -> dict[str, Any]:
    """The spec the editor holds now."""
    return page.evaluate("() => window.__glassnet.specs.getState().spec()")


def drop_layer(page: Any, kind: str, x: float, y: float) -> None:
    """Drag a layer kind from the palette onto the canvas at (x, y)."""
    page.drag_and_drop(
        f"[data-testid='palette-{kind}']",
        "[data-testid='canvas']",
        target_position={"x": x, "y": y},
    )


def connect(page: Any, source: str, target: str) -> None:
    """Draw an edge from `source`'s handle to `target`'s, as a person drags it."""
    # Cards grow while they show problems, so re-measure the handles on every attempt.
    for _ in range(3):
        src = page.locator(
            f".react-flow__node[data-id='{source}'] .react-flow__handle.source"
        ).bounding_box()
        dst = page.locator(
            f".react-flow__node[data-id='{target}'] .react-flow__handle.target"
        ).bounding_box()
        page.mouse.move(src["x"] + src["width"] / 2, src["y"] + src["height"] / 2)
        page.mouse.down()
        page.mouse.move(dst["x"] + dst["width"] / 2, dst["y"] + dst["height"] / 2, steps=8)
        page.mouse.up()
        edges = page.evaluate("() => window.__glassnet.specs.getState().spec().network.edges")
        if [source, target] in edges:
            return
    raise AssertionError(f"could not connect {source} → {target}")


# Stop every live run the page's browser owns (its one owner token is kept in localStorage).
_STOP_MY_RUNS = """async () => {
    const owner = localStorage.getItem("glassnet.run-owner");
    if (!owner) return 0;
    const headers = { "X-Glassnet-Owner": owner, "Content-Type": "application/json" };
    const live = "state=created&state=running&state=paused&state=stalled&limit=500";
    const body = await (await fetch(`/api/v1/runs?${live}`, { headers })).json();
    const mine = body.runs.filter((r) => r.mine);
    await Promise.all(mine.map((r) => fetch(`/api/v1/runs/${r.id}/actions`,
        { method: "POST", headers, body: JSON.stringify({ action: "stop" }) })));
    return mine.length;
}"""


def stop_my_runs(page: Any) -> None:
    """Give back the run slots a test's page holds: its runs would otherwise stay paused or
    training until the server's idle limit, and the next tests would find the server full."""
    if not page.url.startswith("http"):
        return
    # a page that crashed or navigated away holds nothing to give back
    with contextlib.suppress(Exception):
        page.evaluate(_STOP_MY_RUNS)
