"""The plain-language diagnosis of a frame: the layer, the size of the problem and what to try."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

from engine_specs import dense_spec

from glassnet.engine import Trainer
from glassnet.engine.diagnosis import RULES, diagnose

ROOT = Path(__file__).resolve().parents[3]


def layer(lid: str, delta_rms: float, **extra: Any) -> dict[str, Any]:
    return {
        "id": lid,
        "kind": "dense",
        "activation": "linear",
        "W": {"stats": {"rms": 0.01, "frac_nonfinite": 0}},
        "delta": {"stats": {"rms": delta_rms, "frac_nonfinite": 0}},
        **extra,
    }


def codes(findings: list[dict[str, Any]], code: str) -> list[dict[str, Any]]:
    return [f for f in findings if f["code"] == code]


def test_vanishing_delta_names_the_layer_and_the_ratio_in_powers_of_ten() -> None:
    # the σ = 0.01 initialisation of the lecture: δ shrinks ×0.1 (RMS) per layer toward the input
    found = diagnose([layer("h1", 1e-6), layer("h2", 1e-5), layer("h3", 1e-4), layer("y", 1e-2)])
    (v,) = codes(found, "vanishing")
    assert v["layer"] == "h1" and math.isclose(v["value"], 1e-4, rel_tol=1e-12)
    assert v["message"] == (
        "δ in layer h1 is 10⁻⁴ × the output layer's: gradients are vanishing; "
        "try Xavier/He init, ReLU, or batch norm."
    )


def test_exploding_delta_is_reported_above_ten_times_the_output_layer() -> None:
    found = diagnose([layer("h1", 13), layer("h2", 4), layer("y", 1)])
    (e,) = codes(found, "exploding")
    assert e["layer"] == "h1" and "13 ×" in e["message"]
    assert not codes(found, "vanishing")


def test_a_healthy_network_gets_no_finding() -> None:
    found = diagnose(
        [
            layer("h1", 0.5, update_ratio=1e-3, var_z_measured=1),
            layer("h2", 0.8, update_ratio=2e-3, var_z_measured=0.9),
            layer("y", 1),
        ]
    )
    assert found == []


def test_collapsing_forward_variance_of_z_is_reported_at_the_deepest_hidden_layer() -> None:
    found = diagnose(
        [
            layer("h1", 1, var_z_measured=2e-4),
            layer("h2", 1, var_z_measured=2e-6),
            layer("h3", 1, var_z_measured=2e-8),
            layer("y", 1),
        ]
    )
    (z,) = codes(found, "z_vanishing")
    assert z["layer"] == "h3" and "10⁻⁴ × layer h1's" in z["message"]


def test_saturated_sigmoid_units_and_dead_relus_are_reported() -> None:
    found = diagnose(
        [
            layer("h1", 1, activation="sigmoid", z={"stats": {"frac_saturated": 0.7}}),
            layer("h2", 1, activation={"kind": "relu"}, z={"stats": {"frac_dead": 0.95}}),
            layer("h3", 1, activation="relu", z={"stats": {"frac_dead": 0.5}}),
            layer("y", 1),
        ]
    )
    assert "70 % of the sigmoid units in layer h1 are" in codes(found, "saturated")[0]["message"]
    assert [f["layer"] for f in codes(found, "dead_relu")] == ["h2"]


def test_update_ratios_far_from_one_in_a_thousand_are_reported() -> None:
    found = diagnose([layer("h1", 1, update_ratio=1e-7), layer("y", 1, update_ratio=0.5)])
    (small,) = codes(found, "update_small")
    assert small["layer"] == "h1" and small["severity"] == "info"
    assert "Updates in layer h1 change W by as little as 10⁻⁷" in small["message"]
    assert codes(found, "update_large")[0]["layer"] == "y"


def test_the_same_condition_in_several_layers_is_one_line() -> None:
    found = diagnose(
        [
            layer("h1", 1, update_ratio=1e-7),
            layer("h2", 1, update_ratio=1e-8),
            layer("h3", 1, activation="tanh", z={"stats": {"frac_saturated": 0.6}}),
            layer("h4", 1, activation="tanh", z={"stats": {"frac_saturated": 0.9}}),
            layer("y", 1, update_ratio=1e-3),
        ]
    )
    (small,) = codes(found, "update_small")
    assert small["layer"] == "h2"
    assert "Updates in layers h1, h2 change W by as little as 10⁻⁸" in small["message"]
    (sat,) = codes(found, "saturated")
    assert "90 % of the tanh units in layer h4 (also h3) are saturated" in sat["message"]


def test_non_finite_values_come_first_as_one_error() -> None:
    bad = layer("h2", 1)
    bad["delta"] = {"stats": {"rms": math.nan, "frac_nonfinite": 0.25}}
    found = diagnose([layer("h1", 1e-5), bad, layer("y", 1)])
    assert found[0]["code"] == "nonfinite" and found[0]["severity"] == "error"
    assert "25 % of δ in layer h2 is NaN or ∞:" in found[0]["message"]
    every = diagnose([bad, {**bad, "id": "h3"}, {**bad, "id": "y"}])
    assert len(codes(every, "nonfinite")) == 1
    assert "(and in 2 more layers)" in every[0]["message"]


def test_empty_and_partial_frames_get_no_finding() -> None:
    assert diagnose([]) == []
    assert diagnose([{"id": "h1", "z": {}}, {"id": "y", "delta": {}}]) == []


def test_every_frame_carries_the_diagnosis_of_its_own_layers() -> None:
    spec = dense_spec([16, 16, 16, 1], activation="linear", output="linear", loss="mse")
    for node in spec["network"]["nodes"][1:]:
        node["init"] = {"scheme": "normal", "std": 0.01}
    trainer = Trainer(spec)
    trainer.step(capture=True)
    frame = trainer.snapshot()
    assert frame["diagnostics"] == diagnose(frame["layers"])
    assert "vanishing" in {f["code"] for f in frame["diagnostics"]}


def test_the_apps_highlighting_thresholds_are_the_engines() -> None:
    """The app flags table cells with the same thresholds the engine's sentences use."""
    text = (ROOT / "frontend/src/views/logic/warnings.ts").read_text(encoding="utf-8")
    block = re.search(r"export const RULES = \{(.*?)\} as const", text, re.S)
    assert block is not None
    app = {k: float(v) for k, v in re.findall(r"(\w+):\s*([0-9.e+-]+)", block.group(1))}
    assert app == RULES
