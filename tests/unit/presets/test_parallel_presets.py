"""The data-parallel presets: the synchronous pair trains as one worker would, and the asynchronous
twin's stale gradients make its loss curve higher and rougher (fixed seeds, no timings)."""

from __future__ import annotations

import numpy as np

from glassnet.engine import Trainer
from glassnet.presets import get_preset, list_presets


def _losses(preset_id: str) -> np.ndarray:
    trainer = Trainer(get_preset(preset_id)["spec"])
    trainer.train()
    return np.array([row["loss"] for row in trainer.metrics])


def test_the_sync_and_async_presets_differ_only_in_mode_and_staleness() -> None:
    sync = get_preset("data-parallel-moons-sync")["spec"]
    stale = get_preset("data-parallel-moons-async")["spec"]
    assert stale["training"]["parallel"] == {"workers": 4, "mode": "async", "staleness": 4}
    stale["training"]["parallel"] = sync["training"]["parallel"]
    assert stale == sync


def test_stale_gradients_raise_the_loss_curve_and_make_it_zig_zag() -> None:
    sync, stale = _losses("data-parallel-moons-sync"), _losses("data-parallel-moons-async")
    assert len(sync) == len(stale) == 40
    # over the first half the stale run's loss is several times the synchronous one's
    assert stale[:20].mean() > 3 * sync[:20].mean()
    # and it moves several times as much from one epoch to the next
    assert np.abs(np.diff(stale)).mean() > 3 * np.abs(np.diff(sync)).mean()


def test_the_power_plant_preset_splits_kelleher_s_four_rows_across_two_workers() -> None:
    preset = get_preset("data-parallel-power-plant")
    book = get_preset("kelleher-power-plant-logistic")["spec"]
    spec = preset["spec"]
    assert spec["training"].pop("parallel") == {"workers": 2, "mode": "sync", "staleness": 0}
    assert spec == book
    trainer = Trainer(get_preset("data-parallel-power-plant")["spec"])
    trainer.step(1, capture=True)
    report = trainer.snapshot()["parallel"]
    assert [s["rows"] for s in report["shards"]] == [[0, 2], [2, 4]]
    assert report["max_abs_difference"] < 1e-15


def test_every_data_parallel_preset_says_where_to_look() -> None:
    ids = {p["id"]: p for p in list_presets() if p["id"].startswith("data-parallel-")}
    assert set(ids) == {
        "data-parallel-power-plant",
        "data-parallel-moons-sync",
        "data-parallel-moons-async",
    }
    assert all(
        "Data parallel view" in p["look_at"] or "Loss view" in p["look_at"] for p in ids.values()
    )
