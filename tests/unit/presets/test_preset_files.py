"""Every shipped preset is a valid RunSpec that trains; errata point at real presets."""

from __future__ import annotations

import math
from importlib import resources

import pytest

from glassnet.presets import errata, get_preset, list_presets
from shared_schemas.graph import validate_spec

PRESET_IDS = [p["id"] for p in list_presets()]


def test_presets_are_listed_with_their_summary_fields() -> None:
    assert len(PRESET_IDS) >= 20
    assert len(set(PRESET_IDS)) == len(PRESET_IDS)
    for summary in list_presets():
        assert set(summary) == {"id", "title", "description", "teaches", "mode", "look_at"}
        assert summary["mode"] in ("textbook", "train")
        assert summary["title"] and summary["description"] and summary["teaches"]


def test_a_presets_look_at_names_where_to_look_in_a_sentence_or_two() -> None:
    texts = [p["look_at"] for p in list_presets() if p["look_at"] is not None]
    assert len(texts) >= 20
    for text in texts:
        assert text.startswith("Look at: ") and len(text) <= 400, text


def test_each_preset_file_is_named_after_its_id() -> None:
    names = {e.name for e in resources.files("glassnet.presets").iterdir()}
    for preset_id in PRESET_IDS:
        assert f"{preset_id}.json" in names


def test_unknown_preset_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        get_preset("no-such-preset")


def test_get_preset_returns_a_fresh_copy() -> None:
    first = get_preset(PRESET_IDS[0])
    first["spec"]["seed"] = 12345
    assert get_preset(PRESET_IDS[0])["spec"]["seed"] != 12345


@pytest.mark.parametrize("preset_id", PRESET_IDS)
def test_preset_spec_is_valid(preset_id: str) -> None:
    spec, problems = validate_spec(get_preset(preset_id)["spec"])
    assert problems == []
    assert spec is not None


@pytest.mark.parametrize("preset_id", PRESET_IDS)
def test_preset_trains_for_a_few_steps(preset_id: str) -> None:
    from glassnet.engine import Trainer

    trainer = Trainer(get_preset(preset_id)["spec"])
    trainer.step(3)
    assert trainer.status not in ("failed", "diverged"), trainer.stop_reason
    assert trainer.step_count == 3 or trainer.done
    for row in trainer.metrics:
        assert math.isfinite(row["loss"])


def test_textbook_presets_give_every_weight_by_hand_and_trace_options() -> None:
    for summary in list_presets():
        if summary["mode"] != "textbook":
            continue
        preset = get_preset(summary["id"])
        assert set(preset["trace"]) <= {"reduction", "example_indices", "dtype", "masks"}
        spec = preset["spec"]
        assert spec["dtype"] == "float64", summary["id"]
        for node in spec["network"]["nodes"]:
            if node["kind"] in ("dense", "conv2d", "rnn", "lstm", "gru"):
                assert node.get("weights") is not None, (summary["id"], node["id"])
                assert node.get("bias") is not None, (summary["id"], node["id"])


def test_errata_are_complete_records_pointing_at_existing_presets() -> None:
    items = errata()
    assert len(items) >= 20
    for item in items:
        for key in ("example", "quantity", "slide_value", "correct_value", "note"):
            assert isinstance(item[key], str) and item[key], (key, item)
        assert item["slide_value"] != item["correct_value"]
        if item.get("preset"):
            assert item["preset"] in PRESET_IDS
