"""The lecture's recurrent numbers (Kelleher §1.10, §2.11), with its LSTM errata corrected."""

import math

import pytest
import torch

from glassnet.engine.bptt import lstm_step_backward
from glassnet.engine.trace import trace

GATES = ("forget", "input", "candidate", "output")


def test_lstm_forget_gate_example_eqs_114_115():
    # The lecture's 3-element cell with a 2-element h cannot be a real LSTM (units set both):
    # h_(t−1) gets a third element whose column in W^(f) is zero, which leaves z^(f) unchanged.
    w_f = [[1, 1, 0, 1], [-1, -1, 0, -1], [0, 0, 0, 0]]  # bias column moved to b^(f) = 0
    zero = [[0.0] * 4 for _ in range(3)]
    network = {
        "nodes": [
            {"id": "x", "kind": "input", "shape": [1, 1]},
            {
                "id": "m",
                "kind": "lstm",
                "units": 3,
                "weights": {g: (w_f if g == "forget" else zero) for g in GATES},
                "bias": {g: [0.0, 0.0, 0.0] for g in GATES},
            },
        ]
    }
    result = trace(
        {
            "network": network,
            "inputs": [[[4.0]]],
            "targets": [[[0.0, 0.0, 0.0]]],
            "initial_state": {"m": {"h": [1.0, 1.0, 0.0], "c": [1.0, 1.0, 1.0]}},
        }
    )
    layer = result["layers"][0]
    assert layer["gate_z"]["forget"][0][0] == pytest.approx([6.0, -6.0, 0.0], abs=1e-12)
    assert layer["gates"]["forget"][0][0] == pytest.approx(
        [0.997527377, 0.002472623, 0.5], abs=1e-9
    )
    # c†_t = f_t ⊙ c_(t−1): with i† ⊙ i‡ = 0.5 · tanh(0) = 0, c_t is c†_t
    assert layer["c"][0][0] == pytest.approx([0.997527377, 0.002472623, 0.5], abs=1e-9)


def _backward_example(o_dagger):
    """The Figure 42 setting: gates reconstructed from the printed f(1 − f) and 1 − tanh²(c_t)."""
    f_slope = torch.tensor([0.248743973, 0.249694], dtype=torch.float64)
    tanh_slope = torch.tensor([0.999184559, 0.997048635], dtype=torch.float64)
    f = (1 + torch.sqrt(1 - 4 * f_slope)) / 2
    c = torch.atanh(torch.sqrt(1 - tanh_slope))
    dE_dh = torch.tensor([0.75, 0.25], dtype=torch.float64) + torch.tensor(
        [0.15, 0.60], dtype=torch.float64
    )
    return lstm_step_backward(
        dE_dh=dE_dh,
        dE_dc_next=torch.tensor([0.35, 0.50], dtype=torch.float64),
        f=f,
        i=torch.tensor([0.5, 0.5], dtype=torch.float64),
        g=torch.tensor([0.0, 0.0], dtype=torch.float64),
        o=torch.tensor(o_dagger, dtype=torch.float64),
        c=c,
        c_prev=torch.tensor([0.3, 0.6], dtype=torch.float64),
    )


def test_lstm_backward_example_eqs_138_144_with_the_corrected_o_dagger():
    back = _backward_example([0.575420058, 0.520987661])  # o†₂ as the printed product implies
    assert back["dE_do_ddagger"].tolist() == pytest.approx([0.517878052, 0.442839512], abs=1e-9)
    assert back["delta_o_ddagger"].tolist() == pytest.approx([0.517455753, 0.441532531], abs=1e-8)
    assert back["dE_dc"].tolist() == pytest.approx([0.867455753, 0.941532531], abs=1e-8)
    assert back["dE_df"].tolist() == pytest.approx([0.260236726, 0.564919518], abs=1e-8)
    assert back["delta_f"].tolist() == pytest.approx([0.064732317, 0.141057014], abs=1e-8)
    hx = torch.tensor([1.0, 0.1, 0.8, 0.9], dtype=torch.float64)  # leading 1: the bias input
    delta_w_f = torch.outer(back["delta_f"], hx)  # eq. 137
    expected = [
        [0.064732317, 0.006473232, 0.051785854, 0.058259085],
        [0.141057014, 0.014105701, 0.112845611, 0.126951313],
    ]
    for row, want in zip(delta_w_f.tolist(), expected, strict=True):
        assert row == pytest.approx(want, abs=1e-8)


def test_lstm_backward_example_printed_o_dagger_dropped_a_digit():
    back = _backward_example([0.575420058, 0.52098661])  # as printed
    assert back["dE_do_ddagger"][1].item() == pytest.approx(0.85 * 0.52098661, abs=1e-15)
    assert abs(back["dE_do_ddagger"][1].item() - 0.442839512) > 5e-7


def _three_step_rnn(targets_every_step: bool):
    """h_t = tanh(0.5 h_(t−1) + 1.0 x_t + 0.1), y_t = 2 h_t, x = [1, −1, 0.5]."""
    network = {
        "nodes": [
            {"id": "x", "kind": "input", "shape": [3, 1]},
            {
                "id": "r",
                "kind": "rnn",
                "units": 1,
                "activation": "tanh",
                "return_sequences": targets_every_step,
                "weights": {"hh": [[0.5]], "hx": [[1.0]]},
                "bias": [0.1],
            },
            {"id": "y", "kind": "dense", "units": 1, "weights": [[2.0]], "bias": [0.0]},
        ]
    }
    targets = [[[0.0], [0.5], [1.0]]] if targets_every_step else [[1.0]]
    return trace({"network": network, "inputs": [[[1.0], [-1.0], [0.5]]], "targets": targets})


def test_three_step_rnn_forward_and_bptt_by_hand():
    h, z = [0.0], []
    for x in (1.0, -1.0, 0.5):
        z.append(0.5 * h[-1] + x + 0.1)
        h.append(math.tanh(z[-1]))
    t = [0.0, 0.5, 1.0]
    dE_dy = [2 * h[k + 1] - t[k] for k in range(3)]  # half_sse, y = 2h
    delta = [0.0, 0.0, 0.0]
    carried = 0.0
    for k in (2, 1, 0):
        dE_dh = 2 * dE_dy[k] + carried  # from y_t and from h_(t+1) through W_hh
        delta[k] = dE_dh * (1 - h[k + 1] ** 2)
        carried = 0.5 * delta[k]
    layer = _three_step_rnn(True)["layers"][0]
    assert [row[0] for row in layer["z"][0]] == pytest.approx(z, abs=1e-12)
    assert [row[0] for row in layer["a"][0]] == pytest.approx(h[1:], abs=1e-12)
    assert [row[0] for row in layer["delta"][0]] == pytest.approx(delta, abs=1e-12)
    # shared weights: one gradient per step and use, summed, one update
    assert layer["grad_weights"]["hh"][0][0] == pytest.approx(
        sum(delta[k] * h[k] for k in range(3)), abs=1e-12
    )
    assert layer["grad_weights"]["hx"][0][0] == pytest.approx(
        delta[0] * 1.0 + delta[1] * -1.0 + delta[2] * 0.5, abs=1e-12
    )
    assert layer["grad_bias"][0] == pytest.approx(sum(delta), abs=1e-12)


def test_error_at_step_three_gives_three_gradients_for_w_hh_and_w_hx_and_one_for_w_yh():
    result = _three_step_rnn(False)
    rnn, out = result["layers"]
    per_step = rnn["grad_weights_per_step"]
    # E_3 reaches back through all three steps: three contributions to W_hh and W_hx each ...
    assert len(per_step["hx"]) == 3
    assert all(step[0][0] != 0 for step in per_step["hx"])
    assert len(per_step["hh"]) == 3
    assert sum(step[0][0] for step in per_step["hh"]) == pytest.approx(
        rnn["grad_weights"]["hh"][0][0], abs=1e-15
    )
    # ... and W_yh reads only h_3: its gradient is the one (E_3's) δ times h_3
    assert out["grad_weights"][0][0] == pytest.approx(
        out["delta"][0][0] * rnn["a"][0][2][0], abs=1e-15
    )
