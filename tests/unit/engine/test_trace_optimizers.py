"""The textbook trace beyond plain gradient descent: one step of a training optimiser, with its state.

Golden numbers are the lecture's first rows (ann-training-lecture §5): Adam with g = 0.5 and the
seed's EMA momentum with g = 1, against torch's momentum form with the same g.
"""

from __future__ import annotations

from typing import Any

import pytest
import torch

from glassnet.engine.trace import TraceError, trace
from shared_schemas.runspec import OptimizerSpec

# One linear unit, w = b = 0, x = 1: with half_sse, δ = a − t = −t, so ∂E/∂w = ∂E/∂b = −t.
ONE_WEIGHT = {
    "nodes": [
        {"id": "x", "kind": "input", "shape": [1]},
        {
            "id": "y",
            "kind": "dense",
            "units": 1,
            "activation": "linear",
            "weights": [[0.0]],
            "bias": [0.0],
        },
    ]
}
TWO_LAYERS = {
    "nodes": [
        {"id": "x", "kind": "input", "shape": [2]},
        {"id": "h", "kind": "dense", "units": 3, "activation": "tanh"},
        {"id": "y", "kind": "dense", "units": 1, "activation": "sigmoid"},
    ]
}


def _near(got: Any, expected: Any, tol: float = 1e-12) -> bool:
    """Nested lists equal to within tol, element by element."""
    a = torch.tensor(got, dtype=torch.float64)
    b = torch.tensor(expected, dtype=torch.float64)
    return a.shape == b.shape and bool(torch.allclose(a, b, rtol=0, atol=tol))


def _one_step(gradient: float, spec: OptimizerSpec) -> dict[str, Any]:
    out = trace(
        {
            "network": ONE_WEIGHT,
            "inputs": [[1.0]],
            "targets": [[-gradient]],
            "optimizer": spec.model_dump(),
        }
    )
    return out["layers"][0]


def test_adams_first_step_is_the_lectures_first_row() -> None:
    layer = _one_step(0.5, OptimizerSpec(kind="adam", lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8))
    state = layer["optimizer_state"]["weights"]
    assert layer["grad_weights"] == [[0.5]]
    assert _near(state["m"], [[0.05]], 1e-12)
    assert _near(state["v"], [[0.00025]], 1e-12)
    assert _near(state["m_hat"], [[0.5]], 1e-12)
    assert _near(state["v_hat"], [[0.25]], 1e-12)
    assert _near(layer["weights_after"], [[-0.001]], 1e-9)


def test_the_seed_momentum_first_step_is_ten_times_smaller_than_torchs() -> None:
    ema = _one_step(1.0, OptimizerSpec(kind="momentum_ema", lr=0.1, momentum=0.9))
    assert _near(ema["optimizer_state"]["weights"]["velocity"], [[0.1]], 1e-12)
    assert _near(ema["weights_after"], [[-0.01]], 1e-12)
    torch_form = _one_step(1.0, OptimizerSpec(kind="momentum", lr=0.1, momentum=0.9))
    assert _near(torch_form["optimizer_state"]["weights"]["velocity"], [[1.0]])
    assert _near(torch_form["weights_after"], [[-0.1]], 1e-12)


def test_the_response_names_the_optimiser_and_its_lr() -> None:
    spec = OptimizerSpec(kind="rmsprop", lr=0.01)
    out = trace(
        {
            "network": ONE_WEIGHT,
            "inputs": [[1.0]],
            "targets": [[1.0]],
            "optimizer": spec.model_dump(),
        }
    )
    assert out["step_optimizer"]["kind"] == "rmsprop"
    assert out["learning_rate"] == 0.01


def test_without_an_optimiser_the_step_is_plain_gradient_descent_and_has_no_state() -> None:
    out = trace(
        {"network": ONE_WEIGHT, "inputs": [[1.0]], "targets": [[-1.0]], "learning_rate": 0.1}
    )
    assert out["layers"][0]["optimizer_state"] is None
    assert out["layers"][0]["weights_after"] == [[-0.1]]


SPECS = {
    "momentum": (
        OptimizerSpec(kind="momentum", lr=0.1, momentum=0.8),
        lambda p, s: torch.optim.SGD(p, lr=s.lr, momentum=s.momentum),
    ),
    "nesterov": (
        OptimizerSpec(kind="nesterov", lr=0.1, momentum=0.8),
        lambda p, s: torch.optim.SGD(p, lr=s.lr, momentum=s.momentum, nesterov=True),
    ),
    "adagrad": (
        OptimizerSpec(kind="adagrad", lr=0.1),
        lambda p, s: torch.optim.Adagrad(p, lr=s.lr, eps=s.eps),
    ),
    "rmsprop": (
        OptimizerSpec(kind="rmsprop", lr=0.01, rho=0.9),
        lambda p, s: torch.optim.RMSprop(p, lr=s.lr, alpha=s.rho, eps=s.eps),
    ),
    "adam": (
        OptimizerSpec(kind="adam", lr=0.01, beta1=0.8, beta2=0.99),
        lambda p, s: torch.optim.Adam(p, lr=s.lr, betas=(s.beta1, s.beta2), eps=s.eps),
    ),
}
TORCH_NAMES = {
    "velocity": "momentum_buffer",
    "sum_sq": "sum",
    "mean_sq": "square_avg",
    "m": "exp_avg",
    "v": "exp_avg_sq",
}


@pytest.mark.parametrize("kind", sorted(SPECS))
def test_the_traced_state_is_torch_optims_state_after_the_same_step(kind: str) -> None:
    spec, make = SPECS[kind]
    out = trace(
        {
            "network": TWO_LAYERS,
            "inputs": [[0.5, -1.0], [1.5, 0.25]],
            "targets": [[1.0], [0.0]],
            "seed": 3,
            "optimizer": spec.model_dump(),
        }
    )
    for layer in out["layers"]:
        W = torch.nn.Parameter(torch.tensor(layer["weights"], dtype=torch.float64))
        b = torch.nn.Parameter(torch.tensor(layer["bias"], dtype=torch.float64))
        W.grad = torch.tensor(layer["grad_weights"], dtype=torch.float64)
        b.grad = torch.tensor(layer["grad_bias"], dtype=torch.float64)
        opt = make([W, b], spec)
        opt.step()
        assert _near(layer["weights_after"], W.detach().tolist(), 1e-12)
        assert _near(layer["bias_after"], b.detach().tolist(), 1e-12)
        for name, param in (("weights", W), ("bias", b)):
            ours = layer["optimizer_state"][name]
            for key, torch_key in TORCH_NAMES.items():
                if key in ours:
                    assert _near(ours[key], opt.state[param][torch_key].tolist())


def test_nesterov_without_momentum_is_refused_with_a_pointer() -> None:
    spec = {"kind": "nesterov", "momentum": 0.0}
    with pytest.raises(TraceError) as caught:
        trace({"network": ONE_WEIGHT, "inputs": [[1.0]], "targets": [[1.0]], "optimizer": spec})
    assert caught.value.as_problem()["pointer"] == "/optimizer/momentum"


@pytest.mark.parametrize(
    "preset_id",
    [
        "optimizers-power-plant-momentum",
        "optimizers-power-plant-nesterov",
        "optimizers-power-plant-adam",
    ],
)
def test_a_spec_traced_with_its_own_optimiser_takes_the_trainers_first_step(
    preset_id: str,
) -> None:
    from glassnet.engine import Trainer
    from glassnet.engine.trace import trace_spec
    from glassnet.presets import get_preset

    spec = get_preset(preset_id)["spec"]
    assert spec["training"]["batch_size"] is None  # full batch: one step is one traced iteration
    trainer = Trainer(spec)
    trainer.step(1)
    n = trainer.data.x_train.shape[0]
    traced = trace_spec(spec, example_indices=list(range(n)), use_optimizer=True)
    assert traced["step_optimizer"]["kind"] == spec["training"]["optimizer"]["kind"]
    for entry in traced["layers"]:
        layer = next(m for m in trainer.model.layers if m.id == entry["id"])
        assert _near(entry["weights_after"], layer.weight.detach().double().tolist())
        assert _near(entry["bias_after"], layer.bias.detach().double().tolist())
        assert entry["optimizer_state"]["weights"]


def test_tracing_a_spec_without_its_optimiser_stays_plain_gradient_descent() -> None:
    from glassnet.engine.trace import trace_spec
    from glassnet.presets import get_preset

    traced = trace_spec(get_preset("optimizers-power-plant-adam")["spec"])
    assert traced["step_optimizer"] is None
    assert all(entry["optimizer_state"] is None for entry in traced["layers"])


def _chained(spec: OptimizerSpec, gradients: list[float]) -> list[dict[str, Any]]:
    """Traces stepped one after another, each from the weights and optimiser state the previous
    one reported, with targets chosen so the weight's gradient is each of `gradients` in turn."""
    w = b = 0.0
    state: dict[str, Any] | None = None
    steps = []
    for t, g in enumerate(gradients):
        network = {
            "nodes": [
                ONE_WEIGHT["nodes"][0],
                {**ONE_WEIGHT["nodes"][1], "weights": [[w]], "bias": [b]},
            ]
        }
        out = trace(
            {
                "network": network,
                "inputs": [[1.0]],
                "targets": [[w + b - g]],  # ∂E/∂w = a − t = w + b − t
                "optimizer": spec.model_dump(),
                "optimizer_state": state,
                "optimizer_t": t,
            }
        )
        layer = out["layers"][0]
        assert layer["grad_weights"] == [[pytest.approx(g, abs=1e-15)]]
        steps.append(layer)
        w, b = layer["weights_after"][0][0], layer["bias_after"][0]
        state = {"y": layer["optimizer_state"]}
    return steps


def test_the_lectures_adam_table_row_by_row_through_the_trace() -> None:
    spec = OptimizerSpec(kind="adam", lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8)
    table = [  # m, v, m̂, v̂, θ (ann-training-lecture §5)
        (0.05, 0.00025, 0.5, 0.25, -0.001),
        (0.095, 0.00049975, 0.5, 0.25, -0.002),
        (0.0655, 0.00053925, 0.241697, 0.179930, -0.0025698),
    ]
    rows = _chained(spec, [0.5, 0.5, -0.2])
    for layer, (m, v, m_hat, v_hat, theta) in zip(rows, table, strict=True):
        weights = layer["optimizer_state"]["weights"]
        assert weights["m"][0][0] == pytest.approx(m, abs=1e-12)
        assert weights["v"][0][0] == pytest.approx(v, abs=5e-9)  # printed to 8 decimals
        assert weights["m_hat"][0][0] == pytest.approx(m_hat, abs=5e-7)  # printed to 6 decimals
        assert weights["v_hat"][0][0] == pytest.approx(v_hat, abs=5e-7)
        assert layer["weights_after"][0][0] == pytest.approx(theta, abs=5e-8)


def test_the_lectures_momentum_table_and_torchs_ten_times_larger_steps() -> None:
    ema = _chained(OptimizerSpec(kind="momentum_ema", lr=0.1, momentum=0.9), [1.0] * 5)
    assert [r["optimizer_state"]["weights"]["velocity"][0][0] for r in ema] == pytest.approx(
        [0.1, 0.19, 0.271, 0.3439, 0.40951], abs=1e-12
    )
    assert [r["weights_after"][0][0] for r in ema] == pytest.approx(
        [-0.01, -0.029, -0.0561, -0.09049, -0.13144], abs=1e-5
    )
    torch_form = _chained(OptimizerSpec(kind="momentum", lr=0.1, momentum=0.9), [1.0] * 5)
    assert [r["weights_after"][0][0] for r in torch_form] == pytest.approx(
        [-0.1, -0.29, -0.561, -0.9049, -1.31441], abs=1e-5
    )


@pytest.mark.parametrize("kind", ["momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"])
def test_a_chained_trace_is_torch_optims_own_second_step(kind: str) -> None:
    spec = OptimizerSpec(kind=kind, lr=0.05)
    rows = _chained(spec, [0.3, -0.7])
    p = torch.nn.Parameter(torch.zeros(1, 1, dtype=torch.float64))
    q = torch.nn.Parameter(torch.zeros(1, dtype=torch.float64))
    from glassnet.engine.optimizers import build_optimizer

    optimizer = build_optimizer(spec, [p, q])
    for g in (0.3, -0.7):
        p.grad = torch.full_like(p, g)
        q.grad = torch.full_like(q, g)
        optimizer.step()
    assert rows[-1]["weights_after"][0][0] == pytest.approx(float(p.detach()[0, 0]), abs=1e-15)


def test_continuing_a_state_names_what_is_missing() -> None:
    with pytest.raises(TraceError) as refused:
        trace(
            {
                "network": ONE_WEIGHT,
                "inputs": [[1.0]],
                "targets": [[0.0]],
                "optimizer": {"kind": "adam"},
                "optimizer_state": {"y": {"weights": {"m": [[0.1]]}}},
                "optimizer_t": 1,
            }
        )
    assert refused.value.pointer == "/optimizer_state/y/weights"
    assert "'v'" in refused.value.message
    with pytest.raises(TraceError) as unknown:
        trace(
            {
                "network": ONE_WEIGHT,
                "inputs": [[1.0]],
                "targets": [[0.0]],
                "optimizer": {"kind": "momentum"},
                "optimizer_state": {"h9": {"weights": {"velocity": [[0.1]]}}},
            }
        )
    assert unknown.value.pointer == "/optimizer_state/h9"
