"""Depth vs width: a deep-narrow and a shallow-wide network with the same parameter count on the
same spiral, both of which learn it (their decision regions differ, which the Boundary view shows)."""

from __future__ import annotations

import pytest

from glassnet.engine import Trainer
from glassnet.presets import get_preset
from shared_schemas.graph import infer_shapes, validate_spec

DEEP, WIDE = "depth-deep-narrow", "depth-shallow-wide"


def parameter_count(preset_id: str) -> int:
    spec, problems = validate_spec(get_preset(preset_id)["spec"])
    assert spec is not None, problems
    return infer_shapes(spec).parameter_count


def hidden_widths(preset_id: str) -> list[int]:
    nodes = get_preset(preset_id)["spec"]["network"]["nodes"]
    return [n["units"] for n in nodes if n["kind"] == "dense"][:-1]


def test_deep_narrow_and_shallow_wide_have_the_same_249_parameters() -> None:
    assert hidden_widths(DEEP) == [8, 8, 8, 8]
    assert hidden_widths(WIDE) == [62]
    # 2·8+8 + 3·(8·8+8) + 8+1 = 249 and 2·62+62 + 62+1 = 249
    assert parameter_count(DEEP) == parameter_count(WIDE) == 249
    for preset_id in (DEEP, WIDE):
        model = Trainer(get_preset(preset_id)["spec"]).model
        assert sum(p.numel() for p in model.parameters()) == 249


def test_depth_and_width_presets_differ_only_in_the_network() -> None:
    deep, wide = get_preset(DEEP)["spec"], get_preset(WIDE)["spec"]
    assert {k: v for k, v in deep.items() if k != "network"} == {
        k: v for k, v in wide.items() if k != "network"
    }
    assert deep["data"]["dataset"] == "spiral"


@pytest.mark.parametrize("preset_id", [DEEP, WIDE])
def test_both_shapes_learn_the_spiral(preset_id: str) -> None:
    trainer = Trainer(get_preset(preset_id)["spec"])
    trainer.train()
    first, last = trainer.metrics[0], trainer.metrics[-1]
    assert trainer.status == "finished"
    assert last["loss"] < 0.1 * first["loss"]
    assert last["accuracy"] >= 0.95 and last["val_accuracy"] >= 0.9
    assert trainer.snapshot(channels=["boundary"])["boundary"] is not None
