"""What the trace accepts, what it refuses (with the node named), and the shape of its answer."""

from __future__ import annotations

import json
from typing import Any

import pytest

from glassnet.engine.trace import TraceError, run_trace, trace, trace_spec
from shared_schemas.trace import TraceRequest, TraceResponse


def chain(*hidden: dict[str, Any], shape: list[int] | None = None) -> dict[str, Any]:
    return {"nodes": [{"id": "x", "kind": "input", "shape": shape or [2]}, *hidden]}


def dense(node_id: str, units: int, activation: str = "sigmoid", **extra: Any) -> dict[str, Any]:
    return {"id": node_id, "kind": "dense", "units": units, "activation": activation, **extra}


def request(network: dict[str, Any], **extra: Any) -> dict[str, Any]:
    body = {
        "network": network,
        "inputs": [[0.5, -0.5], [1.0, 2.0]],
        "targets": [[1.0], [0.0]],
        "loss": "half_sse",
        "learning_rate": 0.1,
    }
    body.update(extra)
    return body


def test_response_validates_and_is_strict_json() -> None:
    result = trace(request(chain(dense("h", 3), dense("y", 1))))
    TraceResponse.model_validate(result)
    json.dumps(result, allow_nan=False)
    assert [layer["id"] for layer in result["layers"]] == ["h", "y"]
    assert result["dtype"] == "float64"


def test_a_validated_request_model_is_accepted() -> None:
    body = TraceRequest.model_validate(request(chain(dense("y", 1))))
    assert trace(body)["loss_function"] == "half_sse"


def test_layers_without_weights_start_from_their_initialiser_and_the_seed() -> None:
    network = chain(dense("h", 3, init={"scheme": "normal", "std": 0.5}), dense("y", 1))
    first = trace(request(network, seed=1))
    again = trace(request(network, seed=1))
    other = trace(request(network, seed=2))
    assert first["layers"][0]["weights"] == again["layers"][0]["weights"]
    assert first["layers"][0]["weights"] != other["layers"][0]["weights"]


def test_float32_trace_reports_its_dtype() -> None:
    result = trace(request(chain(dense("y", 1, weights=[[0.1, 0.2]], bias=[0.0])), dtype="float32"))
    assert result["dtype"] == "float32"
    assert result["layers"][0]["z"][0][0] == pytest.approx(0.05 - 0.1, abs=1e-7)


def test_mse_gradients_are_means_and_say_so() -> None:
    network = chain(dense("y", 1, "linear", weights=[[1.0, 0.0]], bias=[0.0]))
    summed = trace(request(network, loss="half_sse"))
    mean = trace(request(network, loss="mse"))
    assert mean["reduction"] == "mean" and summed["reduction"] == "sum"
    # ∂/∂a of mean (t − a)² over 2 examples = (a − t), the same as ½Σ(t − a)² here.
    assert mean["layers"][0]["grad_weights"][0] == pytest.approx(
        summed["layers"][0]["grad_weights"][0]
    )


def test_overflowing_values_travel_as_null() -> None:
    network = chain(dense("y", 2, "softmax", weights=[[1000.0, 0.0], [0.0, 0.0]], bias=[0, 0]))
    result = trace(
        request(network, inputs=[[1.0, 0.0]], targets=[[0.0, 1.0]], loss="cross_entropy")
    )
    json.dumps(result, allow_nan=False)
    assert result["loss"] is None
    assert result["layers"][0]["delta"][0] == [1.0, -1.0]


@pytest.mark.parametrize(
    ("node", "needle"),
    [
        ({"id": "bn", "kind": "batchnorm"}, "'bn' is a 'batchnorm'"),
        ({"id": "drop", "kind": "dropout", "drop_probability": 0.5}, "'drop' is a 'dropout'"),
    ],
)
def test_nodes_a_recurrent_trace_cannot_compute_are_named(
    node: dict[str, Any], needle: str
) -> None:
    network = chain(
        {"id": "r", "kind": "rnn", "units": 2, "return_sequences": False},
        node,
        dense("y", 1),
        shape=[3, 2],
    )
    body = request(network, inputs=[[[0.0, 1.0]] * 3, [[1.0, 0.0]] * 3])
    with pytest.raises(TraceError) as err:
        trace(body)
    assert needle in err.value.message
    assert err.value.pointer == "/network/nodes/2"


def test_a_graph_with_two_outputs_is_refused_naming_them() -> None:
    network = chain(dense("h1", 1), dense("h2", 1))
    network["edges"] = [["x", "h1"], ["x", "h2"]]
    with pytest.raises(TraceError, match=r"several outputs \['h1', 'h2'\]"):
        trace(request(network))


def test_edges_may_order_the_chain() -> None:
    network = chain(dense("y", 1), dense("h", 3))
    network["edges"] = [["x", "h"], ["h", "y"]]
    assert [layer["id"] for layer in trace(request(network))["layers"]] == ["h", "y"]


def test_prelu_is_refused() -> None:
    with pytest.raises(TraceError, match="PReLU"):
        trace(request(chain(dense("y", 1, "prelu"))))


def test_weights_of_the_wrong_shape_are_refused_with_a_pointer() -> None:
    with pytest.raises(TraceError) as err:
        trace(request(chain(dense("y", 1, weights=[[1.0, 2.0, 3.0]], bias=[0.0]))))
    assert err.value.pointer.startswith("/network/nodes/1")


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        ({"inputs": [[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]]}, "has 3 numbers"),
        ({"targets": [[1.0]]}, "2 input rows but 1 target rows"),
        ({"targets": [[1.0, 0.0], [0.0, 1.0]]}, "targets have shape"),
        ({"loss": "cross_entropy"}, "cross_entropy needs a softmax"),
    ],
)
def test_bad_examples_are_refused(extra: dict[str, Any], needle: str) -> None:
    with pytest.raises(TraceError, match=needle):
        trace(request(chain(dense("y", 1)), **extra))


def test_run_trace_validates_a_plain_network() -> None:
    with pytest.raises(TraceError, match="units"):
        run_trace(chain({"id": "y", "kind": "dense"}), [[0.0, 0.0]], [[0.0]])


def test_large_layers_leave_out_per_example_gradients() -> None:
    network = chain(dense("h", 300, "relu"), dense("y", 1), shape=[400])
    result = trace(request(network, inputs=[[0.1] * 400] * 2))
    assert result["layers"][0]["grad_weights_per_example"] is None
    assert result["layers"][1]["grad_weights_per_example"] is not None


def test_large_conv_maps_leave_out_receptive_field_detail() -> None:
    network = {
        "nodes": [
            {"id": "img", "kind": "input", "shape": [3, 28, 28]},
            {"id": "c", "kind": "conv2d", "filters": 16, "kernel": 5, "activation": "relu"},
            {"id": "f", "kind": "flatten"},
            dense("y", 1),
        ]
    }
    result = trace(request(network, inputs=[[0.0] * (3 * 28 * 28)], targets=[[0.0]]))
    assert result["layers"][0]["receptive_fields"] is None


def test_trace_spec_refuses_example_indices_outside_the_data() -> None:
    spec = {
        "network": chain(dense("y", 1)),
        "data": {"dataset": "and"},
        "training": {"loss": "half_sse"},
    }
    with pytest.raises(TraceError, match=r"0\.\.3"):
        trace_spec(spec, example_indices=[7])
    assert trace_spec(spec, example_indices=[3])["example_indices"] == [3]


def test_trace_spec_reports_data_and_spec_problems_as_trace_errors() -> None:
    bad_data = {"network": chain(dense("y", 1)), "data": {"dataset": "inline"}}
    with pytest.raises(TraceError) as err:
        trace_spec(bad_data)
    assert err.value.pointer.startswith("/data")
    with pytest.raises(TraceError):
        trace_spec({"network": chain(dense("y", 0))})


def test_trace_spec_names_the_runs_optimiser() -> None:
    spec = {
        "network": chain(dense("y", 1)),
        "data": {"dataset": "or"},
        "training": {"loss": "half_sse", "optimizer": {"kind": "adam", "lr": 0.01}},
    }
    result = trace_spec(spec)
    assert result["optimizer"] == "adam"
    assert result["learning_rate"] == 0.01


def test_a_recurrent_trace_refuses_drop_connect_on_its_dense_layer() -> None:
    network = chain(
        {"id": "r", "kind": "rnn", "units": 2, "return_sequences": False},
        dense("y", 1, drop_connect=0.5),
        shape=[3, 2],
    )
    with pytest.raises(TraceError) as err:
        trace(request(network, inputs=[[[0.0, 1.0]] * 3, [[1.0, 0.0]] * 3]))
    assert err.value.pointer == "/network/nodes/2/drop_connect"


def test_a_sequence_answer_against_one_target_per_example_names_the_fix() -> None:
    network = {
        "nodes": [
            {"id": "x", "kind": "input", "shape": [3, 1]},
            {"id": "r", "kind": "rnn", "units": 2},
            {"id": "y", "kind": "dense", "units": 1, "activation": "linear"},
        ]
    }
    with pytest.raises(TraceError) as refused:
        trace({"network": network, "inputs": [[[1.0], [0.5], [-1.0]]], "targets": [[0.5]]})
    assert refused.value.pointer == "/targets"
    assert "[3, 1] per example" in refused.value.message
    assert "return_sequences: false on 'r'" in refused.value.message
