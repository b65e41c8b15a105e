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
