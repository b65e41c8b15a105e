"""The live frame's nodes without weights: batch norm's statistics are torch's, dropout's and
DropConnect's masks are the ones the captured step used, and δ splits unchanged at an add."""

from __future__ import annotations

from typing import Any

import pytest
import torch
from engine_specs import dense_spec

from glassnet.engine import Trainer
from glassnet.engine.model import Layer
from glassnet.engine.node_probes import MASK_COLS, MASK_ROWS
from shared_schemas.snapshot import TelemetryFrame


def _spec(nodes: list[dict[str, Any]], edges: list[list[str]] | None = None, **kw: Any) -> dict:
    spec = dense_spec([1], **kw)
    spec["network"] = {"nodes": [{"id": "x", "kind": "input", "shape": [2]}, *nodes]}
    if edges is not None:
        spec["network"]["edges"] = edges
    return spec


def _captured_frame(trainer: Trainer, steps: int = 3) -> dict[str, Any]:
    trainer.step(steps, capture=True)
    frame = trainer.snapshot()
    TelemetryFrame.model_validate(frame)  # the frame keeps to the wire contract
    return frame


def _node(frame: dict[str, Any], nid: str) -> dict[str, Any]:
    return next(n for n in frame["nodes"] if n["id"] == nid)


def _probe(trainer: Trainer, nid: str) -> Any:
    assert trainer._capture is not None
    return next(p for p in trainer._capture[1] if p.id == nid)


BN_NET = [
    {"id": "z1", "kind": "dense", "units": 5, "activation": "linear"},
    {"id": "bn", "kind": "batchnorm", "momentum": 0.3, "gamma": [1.5, 0.5, 1, 2, 1],
     "beta": [0.1, -0.2, 0, 0.3, 0]},
    {"id": "phi", "kind": "activation", "activation": "sigmoid"},
    {"id": "y", "kind": "dense", "units": 1, "activation": "sigmoid"},
]  # fmt: skip


def test_batchnorm_frame_holds_torchs_batch_and_running_statistics() -> None:
    trainer = Trainer(_spec(BN_NET))
    # the same steps through torch's own BatchNorm1d, fed the z the network's bn node read
    reference = torch.nn.BatchNorm1d(5, momentum=0.3, dtype=torch.float64)
    for _ in range(3):
        trainer.step(1, capture=True)
        z = _probe(trainer, "z1").a
        reference.train()
        reference(z)
    frame = trainer.snapshot()
    TelemetryFrame.model_validate(frame)
    stats = _node(frame, "bn")["batchnorm"]
    var, mean = torch.var_mean(z, dim=0, correction=0)
    assert stats["batch_mean"] == pytest.approx(mean.tolist(), abs=1e-12)
    assert stats["batch_var"] == pytest.approx(var.tolist(), abs=1e-12)
    assert stats["running_mean"] == pytest.approx(reference.running_mean.tolist(), abs=1e-12)
    assert stats["running_var"] == pytest.approx(reference.running_var.tolist(), abs=1e-12)
    bn = trainer.model.blocks["bn"]
    assert stats["running_mean"] == pytest.approx(bn.running_mean.tolist(), abs=0)
    assert stats["channels"] == 5 and stats["eps"] == bn.eps


def test_batchnorm_frame_shows_x_normalised_and_gamma_beta_the_step_used() -> None:
    trainer = Trainer(_spec(BN_NET))
    frame = _captured_frame(trainer, steps=1)
    node = _node(frame, "bn")
    # before the step's update γ and β are still the spec's
    assert node["batchnorm"]["gamma"] == [1.5, 0.5, 1, 2, 1]
    assert node["batchnorm"]["beta"] == [0.1, -0.2, 0, 0.3, 0]
    # x̂ has mean 0 and variance 1 (up to ε) per feature, so over all features too
    assert node["x_hat"]["stats"]["mean"] == pytest.approx(0, abs=1e-12)
    assert node["x_hat"]["stats"]["std"] == pytest.approx(1, abs=1e-3)
    z = _probe(trainer, "z1").a
    assert node["x"]["stats"]["mean"] == pytest.approx(float(z.mean()), abs=1e-12)
    bn_out = torch.nn.functional.batch_norm(
        z, None, None, torch.tensor([1.5, 0.5, 1, 2, 1], dtype=z.dtype),
        torch.tensor([0.1, -0.2, 0, 0.3, 0], dtype=z.dtype), training=True,
    )  # fmt: skip
    assert node["y"]["stats"]["rms"] == pytest.approx(float(bn_out.square().mean().sqrt()))


def test_activation_node_reports_z_a_and_delta_into_z() -> None:
    trainer = Trainer(_spec(BN_NET))
    frame = _captured_frame(trainer, steps=1)
    node = _node(frame, "phi")
    assert node["activation"] == "sigmoid"
    # z is batch norm's output, a is what the next layer reads
    assert node["x"]["stats"]["rms"] == _node(frame, "bn")["y"]["stats"]["rms"]
    y_in = _probe(trainer, "y").x
    assert node["y"]["stats"]["mean"] == pytest.approx(float(y_in.mean()), abs=1e-12)
    assert "frac_saturated" in node["x"]["stats"]
    # δ = ∂L/∂z = ∂L/∂a · σ′(z) is what flows on into batch norm's output
    assert node["delta"]["stats"]["rms"] == pytest.approx(
        _node(frame, "bn")["delta"]["stats"]["rms"]
    )


@pytest.mark.parametrize("path", ["auto", "autograd"])
def test_dropout_frame_mask_is_the_mask_the_step_used(path: str) -> None:
    spec = dense_spec([12, 6, 1], activation="tanh", dropout=0.4, batch_size=20)
    trainer = Trainer(spec, path=path)  # type: ignore[arg-type]
    frame = _captured_frame(trainer)
    node = _node(frame, "drop0")
    mask = node["mask"]
    assert mask["drop_probability"] == pytest.approx(0.4)
    assert mask["keep_probability"] == pytest.approx(0.6)
    assert mask["full_shape"] == [20, 12]
    assert mask["shape"] == [min(20, MASK_ROWS), min(12, MASK_COLS)]
    rows, cols = mask["shape"]
    kept = torch.tensor(mask["mask"], dtype=torch.bool).reshape(rows, cols)
    assert 0 < kept.sum() < kept.numel()
    # the layer before gave a; the layer after read a·mask/ρ: dropped units 0, kept ones a/ρ
    a = _probe(trainer, "d0").a[:rows, :cols]
    read = _probe(trainer, "d1").x[:rows, :cols]
    assert torch.all(read[~kept] == 0)
    assert torch.allclose(read[kept], a[kept] / 0.6, rtol=0, atol=1e-12)
    full = _probe(trainer, "d1").x != 0
    assert mask["kept_fraction"] == pytest.approx(float(full.double().mean()))


def test_drop_connect_mask_matches_the_weights_the_step_zeroed() -> None:
    spec = dense_spec([7, 1], activation="tanh", batch_size=20)
    spec["network"]["nodes"][1]["drop_connect"] = 0.5
    trainer = Trainer(spec)
    frame = _captured_frame(trainer)
    layer = next(entry for entry in frame["layers"] if entry["id"] == "d0")
    mask = layer["drop_connect"]
    assert mask["full_shape"] == [7, 2] and mask["shape"] == [7, 2]
    kept = torch.tensor(mask["mask"], dtype=torch.bool).reshape(7, 2)
    assert 0 < kept.sum() < kept.numel()
    probe = _probe(trainer, "d0")
    # z was computed with W ⊙ M / (1 − p) (W before the step's update) …
    w_used = probe.W_before * kept / 0.5
    block = trainer.model.blocks["d0"]
    assert isinstance(block, Layer)
    b_before = block.bias.detach() + trainer.lr * block.bias.grad
    assert torch.allclose(probe.z, probe.x @ w_used.T + b_before, rtol=0, atol=1e-12)
    # … so the dropped weights got no gradient in that step
    assert torch.all(probe.grad_W[~kept] == 0)
    assert torch.all(probe.grad_W[kept] != 0)


RESIDUAL_NET = [
    {"id": "h1", "kind": "dense", "units": 4, "activation": "tanh"},
    {"id": "h2", "kind": "dense", "units": 4, "activation": "tanh"},
    {"id": "sum", "kind": "add"},
    {"id": "y", "kind": "dense", "units": 1, "activation": "sigmoid"},
]
RESIDUAL_EDGES = [["x", "h1"], ["h1", "h2"], ["h1", "sum"], ["h2", "sum"], ["sum", "y"]]


def test_add_sends_its_delta_unchanged_into_each_branch() -> None:
    trainer = Trainer(_spec(RESIDUAL_NET, RESIDUAL_EDGES))
    frame = _captured_frame(trainer)
    node = _node(frame, "sum")
    probe = _probe(trainer, "sum").captured
    assert probe.delta is not None
    for delta in probe.input_deltas:
        assert torch.equal(delta, probe.delta)
    rms = node["delta"]["stats"]["rms"]
    assert [b["id"] for b in node["branches"]] == ["h1", "h2"]
    assert [b["delta_rms"] for b in node["branches"]] == pytest.approx([rms, rms], rel=1e-12)
    # the branches meeting there: the skip's value is h1's a, the residual's h2's a
    h1, h2 = _probe(trainer, "h1").a, _probe(trainer, "h2").a
    values = [b["value"]["stats"]["mean"] for b in node["branches"]]
    assert values == pytest.approx([float(h1.mean()), float(h2.mean())], abs=1e-12)
    assert node["kept"] is None and node["survival_probability"] is None


def test_stochastic_depth_frame_says_whether_the_branch_was_kept() -> None:
    nodes = [dict(n) for n in RESIDUAL_NET]
    nodes[2]["survival_probability"] = 0.5
    trainer = Trainer(_spec(nodes, RESIDUAL_EDGES))
    seen = set()
    for _ in range(12):
        frame = _captured_frame(trainer, steps=1)
        node = _node(frame, "sum")
        kept = node["kept"]
        assert kept is trainer.model.blocks["sum"].last_kept
        # a dropped branch gets no δ from the add, a kept one the add's δ
        skip, branch = (b["delta_rms"] for b in node["branches"])
        assert branch == (pytest.approx(skip, rel=1e-12) if kept else 0)
        seen.add(kept)
    assert seen == {True, False}
    assert node["survival_probability"] == 0.5


def test_networks_without_such_nodes_send_no_nodes() -> None:
    frame = _captured_frame(Trainer(dense_spec([3, 1])))
    assert frame["nodes"] is None
    assert all("drop_connect" not in layer for layer in frame["layers"])
