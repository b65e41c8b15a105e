"""BPTT as the trace writes it out equals torch autograd through the engine's cells, and the
engine's lstm and gru equal torch's nn.LSTM and nn.GRU given the same weights."""

from dataclasses import replace

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from glassnet.engine.model import GraphModel
from shared_schemas.runspec import NetworkSpec

KINDS = ("rnn", "lstm", "gru")


@st.composite
def recurrent_networks(draw):
    steps = draw(st.integers(1, 5))
    features = draw(st.integers(1, 3))
    depth = draw(st.integers(1, 2))
    nodes = [{"id": "x", "kind": "input", "shape": [steps, features]}]
    for k in range(depth):
        last = k == depth - 1
        node = {
            "id": f"r{k}",
            "kind": draw(st.sampled_from(KINDS)),
            "units": draw(st.integers(1, 4)),
            "return_sequences": True if not last else draw(st.booleans()),
        }
        if node["kind"] == "rnn":
            node["activation"] = draw(st.sampled_from(["tanh", "sigmoid", "relu"]))
        nodes.append(node)
    out = draw(st.integers(1, 2))
    nodes.append({"id": "y", "kind": "dense", "units": out, "activation": "tanh"})
    sequence_out = nodes[-2]["return_sequences"]
    n = draw(st.integers(1, 3))
    truncate = draw(st.one_of(st.none(), st.integers(1, steps)))
    seed = draw(st.integers(0, 1000))
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, steps, features, generator=g, dtype=torch.float64)
    t = torch.randn(
        *((n, steps, out) if sequence_out else (n, out)), generator=g, dtype=torch.float64
    )
    return {"nodes": nodes}, x, t, truncate, seed


def _autograd_grads(network, x, t, truncate, seed):
    model = GraphModel(
        NetworkSpec.model_validate(network), torch.Generator().manual_seed(seed), torch.float64
    )
    model.truncate = truncate
    loss = 0.5 * ((model(x) - t) ** 2).sum()
    loss.backward()
    return model, float(loss.detach())


@settings(max_examples=40, deadline=None)
@given(recurrent_networks())
def test_trace_bptt_gradients_equal_autograd_in_float64(case):
    network, x, t, truncate, seed = case
    model, loss = _autograd_grads(network, x, t, truncate, seed)
    from glassnet.engine.trace.core import run_trace

    result = run_trace(
        network, x.tolist(), t.tolist(), "half_sse", 0.1, "float64", seed=seed, truncate=truncate
    )
    assert abs(result["loss"] - loss) < 1e-9
    for layer in result["layers"]:
        block = model.block(layer["id"])
        if layer["kind"] == "dense":
            torch.testing.assert_close(
                torch.tensor(layer["grad_weights"], dtype=torch.float64),
                block.weight.grad,
                atol=1e-9,
                rtol=1e-7,
            )
            continue
        for gate in block.gates:
            expected = block.weight(gate).grad
            if layer["kind"] == "rnn":
                got = torch.cat(
                    [
                        torch.tensor(layer["grad_weights"]["hh"], dtype=torch.float64).reshape(
                            block.units, -1
                        ),
                        torch.tensor(layer["grad_weights"]["hx"], dtype=torch.float64),
                    ],
                    1,
                )
                got_b = torch.tensor(layer["grad_bias"], dtype=torch.float64)
            else:
                got = torch.tensor(layer["grad_weights"][gate], dtype=torch.float64)
                got_b = torch.tensor(layer["grad_bias"][gate], dtype=torch.float64)
            torch.testing.assert_close(got, expected, atol=1e-9, rtol=1e-7)
            torch.testing.assert_close(got_b, block.bias(gate).grad, atol=1e-9, rtol=1e-7)
        if layer["kind"] == "gru":
            torch.testing.assert_close(
                torch.tensor(layer["grad_bias"]["candidate_recurrent"], dtype=torch.float64),
                block.bias_candidate_recurrent.grad,
                atol=1e-9,
                rtol=1e-7,
            )


def _layer(kind, units, features, seed=3):
    network = {
        "nodes": [
            {"id": "x", "kind": "input", "shape": [6, features]},
            {"id": "m", "kind": kind, "units": units},
        ]
    }
    model = GraphModel(
        NetworkSpec.model_validate(network), torch.Generator().manual_seed(seed), torch.float64
    )
    return model, model.block("m")


def test_lstm_equals_torch_nn_lstm_given_the_same_weights():
    model, layer = _layer("lstm", 3, 2)
    ref = torch.nn.LSTM(2, 3, batch_first=True, dtype=torch.float64)
    H = 3
    # torch stacks gates i, f, g, o; its input and hidden matrices are our x and h columns
    order = ("input", "forget", "candidate", "output")
    with torch.no_grad():
        ref.weight_ih_l0.copy_(torch.cat([layer.weight(g)[:, H:] for g in order]))
        ref.weight_hh_l0.copy_(torch.cat([layer.weight(g)[:, :H] for g in order]))
        ref.bias_ih_l0.copy_(torch.cat([layer.bias(g) for g in order]))
        ref.bias_hh_l0.zero_()
    x = torch.randn(4, 6, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(1))
    ours, theirs = model(x), ref(x)[0]
    torch.testing.assert_close(ours, theirs, atol=1e-12, rtol=1e-12)
    ours.sum().backward()
    theirs.sum().backward()
    torch.testing.assert_close(layer.weight("forget").grad[:, H:], ref.weight_ih_l0.grad[H : 2 * H])
    torch.testing.assert_close(layer.weight("output").grad[:, :H], ref.weight_hh_l0.grad[3 * H :])


def test_gru_equals_torch_nn_gru_given_the_same_weights():
    model, layer = _layer("gru", 3, 2)
    with torch.no_grad():
        layer.bias_candidate_recurrent.copy_(torch.tensor([0.1, -0.2, 0.3]))
    ref = torch.nn.GRU(2, 3, batch_first=True, dtype=torch.float64)
    H = 3
    order = ("reset", "update", "candidate")  # torch's r, z, n
    with torch.no_grad():
        ref.weight_ih_l0.copy_(torch.cat([layer.weight(g)[:, H:] for g in order]))
        ref.weight_hh_l0.copy_(torch.cat([layer.weight(g)[:, :H] for g in order]))
        ref.bias_ih_l0.copy_(torch.cat([layer.bias(g) for g in order]))
        ref.bias_hh_l0.copy_(
            torch.cat([torch.zeros(2 * H, dtype=torch.float64), layer.bias_candidate_recurrent])
        )
    x = torch.randn(4, 6, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(2))
    ours, theirs = model(x), ref(x)[0]
    torch.testing.assert_close(ours, theirs, atol=1e-12, rtol=1e-12)
    ours.square().sum().backward()
    theirs.square().sum().backward()
    torch.testing.assert_close(
        layer.weight("candidate").grad[:, :H], ref.weight_hh_l0.grad[2 * H :]
    )
    torch.testing.assert_close(layer.bias_candidate_recurrent.grad, ref.bias_hh_l0.grad[2 * H :])


@pytest.mark.parametrize(
    ("kind", "activation"),
    [("rnn", "tanh"), ("rnn", "relu"), ("rnn", "sigmoid"), ("lstm", None), ("gru", None)],
)
def test_training_pass_equals_the_written_out_cells_beside_it(kind, activation):
    network = {
        "nodes": [
            {"id": "x", "kind": "input", "shape": [7, 2]},
            {
                "id": "m",
                "kind": kind,
                "units": 3,
                **({"activation": activation} if activation else {}),
            },
        ]
    }
    model = GraphModel(
        NetworkSpec.model_validate(network), torch.Generator().manual_seed(5), torch.float64
    )
    layer = model.block("m")
    x = torch.randn(3, 7, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(6))
    capture = {}
    out = layer(x, None, 3, capture)
    out.square().sum().backward()
    cap = capture["m"]
    cap.bptt.backward(cap.dout)
    torch.testing.assert_close(out, cap.h, atol=1e-12, rtol=1e-12)
    for gate in layer.gates:
        torch.testing.assert_close(
            cap.bptt.grads[gate], layer.weight(gate).grad, atol=1e-12, rtol=1e-10
        )
        torch.testing.assert_close(
            cap.bptt.grads[f"bias:{gate}"], layer.bias(gate).grad, atol=1e-12, rtol=1e-10
        )


@pytest.mark.parametrize(
    ("kind", "activation"), [("rnn", "tanh"), ("rnn", "sigmoid"), ("lstm", None), ("gru", None)]
)
def test_replaying_the_training_passs_h_fills_the_cache_the_step_loop_would(kind, activation):
    network = {
        "nodes": [
            {"id": "x", "kind": "input", "shape": [6, 2]},
            {
                "id": "m",
                "kind": kind,
                "units": 3,
                **({"activation": activation} if activation else {}),
            },
        ]
    }
    model = GraphModel(
        NetworkSpec.model_validate(network), torch.Generator().manual_seed(8), torch.float64
    )
    layer = model.block("m")
    g = torch.Generator().manual_seed(9)
    x = torch.randn(4, 6, 2, dtype=torch.float64, generator=g)
    state = (torch.randn(4, 3, generator=g, dtype=torch.float64), None)
    if kind == "lstm":
        state = (state[0], torch.randn(4, 3, generator=g, dtype=torch.float64))
    capture = {}
    layer(x, state, None, capture)
    replayed = capture["m"].bptt
    looped = replace(replayed, cache={})
    looped.forward(x)
    assert replayed.cache.keys() == looped.cache.keys()
    for key, value in looped.cache.items():
        torch.testing.assert_close(replayed.cache[key], value, atol=1e-12, rtol=1e-12)
