"""The optimiser and learning-rate presets do what their descriptions say, to the epoch."""

from __future__ import annotations

import pytest

from glassnet.engine import Trainer
from glassnet.presets import get_preset


def _losses(preset_id: str) -> tuple[list[float], Trainer]:
    trainer = Trainer(get_preset(preset_id)["spec"])
    trainer.step(get_preset(preset_id)["spec"]["training"]["epochs"])
    return [row["loss"] for row in trainer.metrics], trainer


@pytest.mark.parametrize(
    ("preset_id", "epochs"),
    [
        ("optimizers-power-plant-momentum", 784),
        ("optimizers-power-plant-nesterov", 782),
        ("optimizers-power-plant-adam", 201),
    ],
)
def test_each_optimiser_gets_below_the_stop_loss_in_the_epochs_its_description_gives(
    preset_id: str, epochs: int
) -> None:
    losses, trainer = _losses(preset_id)
    assert len(losses) == epochs
    assert losses[-1] < 1e-4 <= losses[-2]
    assert f"{epochs} epochs" in get_preset(preset_id)["description"]
    assert trainer.status == "finished"


def test_the_three_optimiser_presets_share_one_network_and_data() -> None:
    specs = [
        get_preset(f"optimizers-power-plant-{k}")["spec"] for k in ("momentum", "nesterov", "adam")
    ]
    assert all(s["network"] == specs[0]["network"] and s["data"] == specs[0]["data"] for s in specs)


def test_decay_settles_what_the_constant_rate_keeps_bouncing() -> None:
    losses, _ = _losses("power-plant-inverse-time-decay")
    assert round(losses[-1], 4) == 0.1775
    spec = get_preset("power-plant-inverse-time-decay")["spec"]
    spec["training"]["schedule"]["decay"] = 0.0
    constant = Trainer(spec)
    constant.step(300)
    bouncing = [row["loss"] for row in constant.metrics]
    assert [round(v, 3) for v in bouncing[:4]] == [0.179, 0.193, 0.287, 0.445]
    assert round(bouncing[-1], 3) == 0.257


def test_too_high_a_rate_kills_the_relus_and_freezes_the_loss() -> None:
    losses, _ = _losses("power-plant-relu-lr-too-high")
    assert round(losses[0], 3) == 0.583 and round(losses[1], 3) == 0.802
    assert len(set(losses[2:])) == 1 and round(losses[2], 4) == 0.6775
