"""The activation gallery in a real browser: f and f′ of every activation, the corrected ranges, and
one click putting an activation on the selected layer."""

from __future__ import annotations

from typing import Any

import pytest
from appsteps import open_app, view_tab

pytestmark = pytest.mark.e2e


def _h1_activation(page: Any) -> Any:
    return page.evaluate(
        "() => window.__glassnet.specs.getState().nodes.find((n) => n.id === 'h1').data.spec.activation"
    )


def test_the_gallery_names_the_lectures_wrong_ranges(page: Any, server: str, shot: Any) -> None:
    open_app(page, server)
    view_tab(page, "Activations")
    page.get_by_test_id("activation-softplus").wait_for()
    shot(page, "gallery")
    assert "(0, 1)" in (page.get_by_test_id("erratum-softplus").text_content() or "")
    assert "(0, ∞)" in (page.get_by_test_id("activation-softplus").text_content() or "")
    assert "(−α, ∞)" in (page.get_by_test_id("activation-elu").text_content() or "")
    assert "(−∞, ∞)" in (page.get_by_test_id("activation-leaky_relu").text_content() or "")
    sigmoid = page.get_by_test_id("activation-sigmoid").text_content() or ""
    assert "z > 4.4" in sigmoid and "0.25" in sigmoid
    assert page.errors == []


def test_one_click_puts_an_activation_on_the_selected_layer(
    page: Any, server: str, shot: Any
) -> None:
    open_app(page, server)
    view_tab(page, "Activations")
    relu = page.get_by_test_id("activation-relu").get_by_role("button")
    assert relu.is_disabled()  # nothing selected yet
    page.locator(".react-flow__node[data-id='h1']").click()
    assert _h1_activation(page) != "relu"
    relu.click()
    page.wait_for_function(
        "() => window.__glassnet.specs.getState().nodes.find((n) => n.id === 'h1')"
        ".data.spec.activation === 'relu'"
    )
    page.locator(".react-flow__node[data-id='h1'] >> text=relu").wait_for()
    assert (relu.text_content() or "").strip() == "on h1"
    shot(page, "applied")
    page.keyboard.press("Control+z")
    page.wait_for_function(
        "() => window.__glassnet.specs.getState().nodes.find((n) => n.id === 'h1')"
        ".data.spec.activation !== 'relu'"
    )
