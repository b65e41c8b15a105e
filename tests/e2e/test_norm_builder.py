"""Build conv → batch norm → activation → max pool by dragging from the palette: batch norm sits
between the convolution's z and φ, with γ typed in the inspector, and the network trains."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from appsteps import connect, drop_layer, spec_of

pytestmark = pytest.mark.e2e


def _wait_valid(page: Any) -> None:
    try:
        page.wait_for_function(
            "() => window.__glassnet.specs.getState().validation.status === 'valid'",
            timeout=15000,
        )
    except Exception:
        problems = page.evaluate("() => window.__glassnet.specs.getState().validation.problems")
        raise AssertionError(f"the spec did not become valid: {problems}") from None


# The validation of the current revision is in, and no handle moved since the last poll.
_STILL = """() => {
  const s = window.__glassnet.specs.getState();
  if (s.validation.revision !== s.revision || s.validation.status === 'pending') return false;
  const now = JSON.stringify([...document.querySelectorAll('.react-flow__handle')]
    .map((h) => { const r = h.getBoundingClientRect(); return [r.x, r.y]; }));
  const same = window.__normHandles === now;
  window.__normHandles = now;
  return same;
}"""


def _wait_still(page: Any) -> None:
    page.wait_for_function(_STILL, polling=150, timeout=20000)


def _select(page: Any, node_id: str) -> None:
    page.locator(f".react-flow__node[data-id='{node_id}']").click()
    page.locator(f".inspector[aria-label='Inspector for {node_id}']").wait_for()


def test_build_conv_batchnorm_activation_pool(page: Any, server: str, shot: Any) -> None:
    page.goto(server)
    page.wait_for_selector(".app-shell[data-ready='true']")
    page.get_by_test_id("views-splitter").press("Home")
    page.get_by_test_id("clear-canvas").click()
    drop_layer(page, "input", 80, 110)
    # an image input first, so every layer after it shows its real shape while it is built
    _select(page, "x")
    page.get_by_label("shape", exact=True).fill("1, 8, 8")
    page.wait_for_function(
        "() => window.__glassnet.specs.getState().spec().network.nodes[0].shape.length === 3"
    )
    chain = ["x", "c1", "bn1", "phi1", "mp1", "flat1", "h1"]
    for (kind, x, y), source, target in zip(
        (
            ("conv2d", 300, 110),
            ("batchnorm", 520, 110),
            ("activation", 80, 290),
            ("maxpool2d", 300, 290),
            ("flatten", 520, 290),
            ("dense", 300, 440),
        ),
        chain[:-1],
        chain[1:],
        strict=True,
    ):
        _wait_still(page)
        drop_layer(page, kind, x, y)
        page.wait_for_selector(f".react-flow__node[data-id='{target}']")
        # Each edit is validated and the cards grow or shrink with their problems: connect
        # once the answer is in and the handles have stopped moving.
        _wait_still(page)
        connect(page, source, target)
    page.get_by_role("button", name="⇶ Auto-layout").click()

    page.get_by_test_id("tab-data").click()
    page.get_by_label("dataset", exact=True).select_option("digits")
    # the data's preview gives the input its image shape [C, H, W]
    page.wait_for_function(
        "() => window.__glassnet.specs.getState().spec().network.nodes"
        ".find((n) => n.id === 'x').shape.length === 3",
        timeout=30000,
    )
    _wait_still(page)
    page.get_by_test_id("tab-build").click()
    # z of the convolution goes to batch norm; φ is its own node after it
    _select(page, "c1")
    page.get_by_label("activation", exact=True).select_option("linear")
    _select(page, "bn1")
    page.get_by_label("gamma", exact=True).fill("2, 2, 2, 2")
    page.get_by_label("beta", exact=True).fill("0.5, 0.5, 0.5, 0.5")
    _select(page, "phi1")
    page.get_by_label("activation", exact=True).select_option("relu")
    _select(page, "h1")
    page.get_by_label("units", exact=True).fill("10")
    page.get_by_label("activation", exact=True).select_option("softmax")
    page.get_by_test_id("tab-training").click()
    page.get_by_label("loss", exact=True).select_option("cross_entropy")
    _wait_valid(page)
    page.get_by_test_id("tab-build").click()

    spec = spec_of(page)
    nodes = {n["id"]: n for n in spec["network"]["nodes"]}
    assert [[a, b] for a, b in itertools.pairwise(chain)] == spec["network"]["edges"]
    assert [nodes[n]["kind"] for n in chain] == [
        "input",
        "conv2d",
        "batchnorm",
        "activation",
        "maxpool2d",
        "flatten",
        "dense",
    ]
    assert nodes["c1"]["activation"] == "linear"
    assert (nodes["bn1"]["gamma"], nodes["bn1"]["beta"]) == ([2, 2, 2, 2], [0.5] * 4)
    assert nodes["phi1"]["activation"] == "relu"
    assert page.locator("[data-testid='node-phi1']").inner_text().count("φ = relu") == 1
    _select(page, "bn1")
    shot(page, "built")

    # one training step of the built network on the server
    page.get_by_test_id("step").click()
    page.wait_for_function("() => window.__glassnet.hub.latest !== null", timeout=30000)
    shot(page, "one-step")
    assert not [e for e in page.errors if "status of 422" not in e]
