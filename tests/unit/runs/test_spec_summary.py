"""The one-line summary of a RunSpec shown in the run history."""

from __future__ import annotations

from glassnet.presets import get_preset, list_presets
from glassnet.runs.spec_summary import spec_summary


def mlp(*units: int, activation: str = "tanh") -> dict:
    nodes = [{"id": "x", "kind": "input", "shape": [2]}]
    nodes += [
        {"id": f"h{i}", "kind": "dense", "units": u, "activation": activation}
        for i, u in enumerate(units)
    ]
    return {"network": {"nodes": nodes}}


def test_sizes_hidden_activation_optimizer_and_dataset() -> None:
    spec = mlp(4, 1) | {
        "training": {"optimizer": {"kind": "adam", "lr": 0.001}},
        "data": {"dataset": "spiral"},
    }
    assert spec_summary(spec) == "2-4-1 tanh · adam α 0.001 · spiral"


def test_fields_left_out_read_as_the_runspec_defaults() -> None:
    assert spec_summary(mlp(4, 1)) == "2-4-1 tanh · sgd α 0.03 · circle"


def test_a_data_parallel_spec_names_its_workers_and_async_staleness() -> None:
    sync = mlp(4, 1) | {"training": {"parallel": {"workers": 4}}}
    assert spec_summary(sync) == "2-4-1 tanh · sgd α 0.03 · circle · 4 workers"
    stale = mlp(4, 1) | {"training": {"parallel": {"workers": 2, "mode": "async", "staleness": 3}}}
    assert spec_summary(stale).endswith("· 2 workers async s=3")


def test_the_output_layers_activation_is_not_the_hidden_one() -> None:
    spec = mlp(3, 1, activation="relu")
    spec["network"]["nodes"][-1]["activation"] = "sigmoid"
    assert spec_summary(spec).startswith("2-3-1 relu ·")


def test_a_single_layer_shows_its_own_activation_given_as_an_object() -> None:
    spec = mlp(1)
    spec["network"]["nodes"][-1]["activation"] = {"kind": "step", "threshold": 0.5}
    assert spec_summary(spec).startswith("2-1 step ·")


def test_mixed_hidden_activations_are_all_named() -> None:
    spec = mlp(8, 8, 1)
    spec["network"]["nodes"][2]["activation"] = "relu"
    assert spec_summary(spec).startswith("2-8-8-1 tanh/relu ·")


def test_a_cnn_names_its_convolutions_and_pools_and_skips_shape_only_nodes() -> None:
    spec = {
        "network": {
            "nodes": [
                {"id": "x", "kind": "input", "shape": [1, 28, 28]},
                {"id": "c", "kind": "conv2d", "filters": 8, "activation": "relu"},
                {"id": "p", "kind": "maxpool2d"},
                {"id": "f", "kind": "flatten"},
                {"id": "d", "kind": "dropout"},
                {"id": "y", "kind": "dense", "units": 10, "activation": "softmax"},
            ]
        },
        "data": {"dataset": "mnist"},
    }
    assert spec_summary(spec) == "1×28×28-conv8-pool-10 relu · sgd α 0.03 · mnist"


def test_recurrent_layers_name_their_kind() -> None:
    spec = {
        "network": {
            "nodes": [
                {"id": "x", "kind": "input", "shape": [20, 1]},
                {"id": "m", "kind": "lstm", "units": 16},
                {"id": "y", "kind": "dense", "units": 1},
            ]
        }
    }
    assert spec_summary(spec).startswith("20×1-lstm16-1 linear ·")


def test_every_preset_has_a_summary() -> None:
    for preset in list_presets():
        summary = spec_summary(get_preset(preset["id"])["spec"])
        parallel = "parallel" in get_preset(preset["id"])["spec"]["training"]
        assert summary.count(" · ") == (3 if parallel else 2), (preset["id"], summary)
        assert "?" not in summary, (preset["id"], summary)
