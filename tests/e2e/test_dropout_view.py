"""The Nodes view in the app: the dropout preset's masks change from step to step with units
dropped, and the batch-norm preset shows each batch norm's values before and after with its
statistics."""

from __future__ import annotations

from typing import Any

import pytest
from appsteps import load_preset, train_long, view_tab

pytestmark = pytest.mark.e2e

NETWORK = "() => document.querySelector(\"[data-testid='network-canvas']\")?.dataset"
MASK = (
    "(node) => document.querySelector(`[data-node='${node}'] [data-testid='mask-canvas']`)?.dataset"
)


def _train(page: Any) -> None:
    train_long(page)
    page.get_by_test_id("play").click()
    page.wait_for_function(
        "() => /^step \\d+/.test(document.querySelector(\"[data-testid='timeline-label']\")"
        "?.textContent ?? '')",
        timeout=60000,
    )


def _pause(page: Any) -> None:
    # play toggles: pause, so the shot shows one frame
    page.evaluate("() => document.querySelector(\"[data-testid='play']\").click()")
    page.wait_for_function(
        "() => /paused/.test(document.querySelector(\"[data-testid='run-status']\")?.textContent ?? '')",
        timeout=60000,
    )


def test_dropout_view(page: Any, server: str, shot: Any) -> None:
    load_preset(page, server, "overfit-moons-dropout")
    _train(page)
    view_tab(page, "Nodes")
    cards = page.locator("[data-testid='node-card'][data-kind='dropout']")
    cards.first.wait_for(timeout=30000)
    assert cards.count() == 2
    # a mask with units dropped arrives, then another step's different mask replaces it
    page.wait_for_function(f"() => Number(({MASK})('drop1')?.dropped) > 0", timeout=30000)
    first = page.evaluate(f"() => ({{...({MASK})('drop1')}})")
    page.wait_for_function(
        f"(m) => {{ const d = ({MASK})('drop1'); return d.mask && d.mask !== m && d.step !== '' }}",
        arg=first["mask"],
        timeout=30000,
    )
    now = page.evaluate(f"() => ({{...({MASK})('drop1')}})")
    kept = now["mask"].count("1")
    assert 0 < kept < len(now["mask"]) == 8 * 64  # 8 examples × 64 units shown
    caption = page.locator("[data-node='drop1'] [data-testid='mask-caption']")
    caption.get_by_text("this step · ρ = 0.5").wait_for(timeout=30000)
    # the Network view draws each dropout as a column between the layers, dropped units crossed out
    view_tab(page, "Network")
    page.wait_for_function(
        f"() => {{ const d = ({NETWORK})(); return d?.nodeColumns === 'drop1,drop2'"
        " && Number(d.droppedUnits) > 0 }",
        timeout=30000,
    )
    _pause(page)
    shot(page, "network-dropout")
    view_tab(page, "Nodes")
    shot(page, "dropout-masks")
    assert not page.errors, page.errors


def test_batchnorm_before_after(page: Any, server: str, shot: Any) -> None:
    load_preset(page, server, "batchnorm-deep-sigmoid-on")
    _train(page)
    view_tab(page, "Nodes")
    bn = page.locator("[data-testid='node-card'][data-node='bn1']")
    bn.wait_for(timeout=30000)
    # a frame of a training step: x before, x̂ and y after drawn
    page.wait_for_function(
        "() => { const d = document.querySelector(\"[data-node='bn1'] [data-testid='node-hist']\")"
        "?.dataset; return d?.cols === 'x before,x̂,y after' && Number(d.step) > 5 }",
        timeout=60000,
    )
    table = bn.get_by_test_id("bn-table")
    assert table.locator("tbody tr").count() == 6
    assert "running μ" in table.inner_text()
    # Internals: batch norm and φ are columns of their own between the dense layers
    view_tab(page, "Internals")
    page.wait_for_function(
        "() => document.querySelector(\"[data-testid='internals-canvas']\")?.dataset.cols"
        "?.startsWith('z1,bn1,a1,z2,bn2,a2')",
        timeout=30000,
    )
    view_tab(page, "Network")
    page.wait_for_function(
        f"() => ({NETWORK})()?.nodeColumns?.startsWith('bn1,a1,bn2,a2')", timeout=30000
    )
    _pause(page)
    shot(page, "network-batchnorm")
    view_tab(page, "Internals")
    shot(page, "internals-batchnorm")
    view_tab(page, "Nodes")
    shot(page, "batchnorm")
    assert not page.errors, page.errors


def test_dropconnect_view(page: Any, server: str, shot: Any) -> None:
    load_preset(page, server, "dropconnect-overfit")
    _train(page)
    view_tab(page, "Network")
    page.wait_for_function(f"() => Number(({NETWORK})()?.droppedEdges) > 0", timeout=30000)
    view_tab(page, "Nodes")
    page.wait_for_function(f"() => Number(({MASK})('h2')?.dropped) > 0", timeout=30000)
    card = page.locator("[data-testid='node-card'][data-node='h2']")
    assert card.get_attribute("data-kind") == "dropconnect"
    _pause(page)
    shot(page, "dropconnect-masks")
    view_tab(page, "Network")
    shot(page, "network-dropconnect")
    assert not page.errors, page.errors
