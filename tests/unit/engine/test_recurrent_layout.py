"""The recurrent layers' gate parameters live in torch's layout, so the fused kernels read them
without a copy; gradients and values are those of the per-gate parameters either way."""

import pytest
import torch

from glassnet.engine.model import GraphModel
from glassnet.engine.recurrent import TORCH_GATE_ORDER
from shared_schemas.runspec import NetworkSpec

KINDS = ("rnn", "lstm", "gru")


def _model(kind, seed=4):
    network = {
        "nodes": [
            {"id": "x", "kind": "input", "shape": [5, 2]},
            {"id": "m", "kind": kind, "units": 3},
            {"id": "y", "kind": "dense", "units": 2, "activation": "tanh"},
        ]
    }
    model = GraphModel(
        NetworkSpec.model_validate(network), torch.Generator().manual_seed(seed), torch.float64
    )
    layer = model.block("m")
    if kind == "gru":
        with torch.no_grad():
            layer.bias_candidate_recurrent.copy_(torch.tensor([0.3, -0.1, 0.2]))
    return model, layer


def _loss(model):
    g = torch.Generator().manual_seed(7)
    x = torch.randn(4, 5, 2, dtype=torch.float64, generator=g)
    t = torch.randn(4, 5, 2, dtype=torch.float64, generator=g)
    return 0.5 * ((model(x) - t) ** 2).sum()


def _grads(model):
    return {n: p.grad.clone() for n, p in model.named_parameters()}


@pytest.mark.parametrize("kind", KINDS)
def test_gate_parameters_are_rows_of_one_matrix_in_torchs_gate_order(kind):
    _, layer = _model(kind)
    w, b, b_hh = layer._flat
    H = layer.units
    for k, gate in enumerate(TORCH_GATE_ORDER[kind]):
        assert layer.weight(gate).data_ptr() == w[k * H].data_ptr()
        assert layer.bias(gate).data_ptr() == b[k * H].data_ptr()
    assert layer._shares_torch_layout()
    if kind == "gru":
        assert torch.equal(b_hh[2 * H :], layer.bias_candidate_recurrent.detach())
        assert torch.equal(b_hh[: 2 * H], torch.zeros(2 * H, dtype=torch.float64))


@pytest.mark.parametrize("kind", KINDS)
def test_shared_layout_gives_the_gradients_of_the_per_gate_parameters(kind):
    """The same loss through the views (no copy) and through parameters that no longer share
    the storage (the fused kernel's weights built by concatenation): the same gradients."""
    shared, _ = _model(kind)
    _loss(shared).backward()
    apart, layer = _model(kind)
    for p in layer.parameters():
        p.data = p.data.clone()  # storage of its own: the layer must notice and concatenate
    assert not layer._shares_torch_layout()
    _loss(apart).backward()
    for name, grad in _grads(apart).items():
        torch.testing.assert_close(_grads(shared)[name], grad, atol=1e-12, rtol=1e-12)


@pytest.mark.parametrize("kind", KINDS)
def test_an_optimiser_step_on_the_gate_parameters_moves_the_fused_weights(kind):
    model, layer = _model(kind)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    _loss(model).backward()
    opt.step()
    W_ih, W_hh, b_ih, b_hh = layer._torch_params()
    H = layer.units
    for k, gate in enumerate(TORCH_GATE_ORDER[kind]):
        assert torch.equal(W_hh[k * H : (k + 1) * H], layer.weight(gate)[:, :H].detach())
        assert torch.equal(W_ih[k * H : (k + 1) * H], layer.weight(gate)[:, H:].detach())
        assert torch.equal(b_ih[k * H : (k + 1) * H], layer.bias(gate).detach())
    if kind == "gru":
        assert torch.equal(b_hh[2 * H :], layer.bias_candidate_recurrent.detach())


def test_a_cast_shares_the_layout_again_with_the_same_values():
    model, layer = _model("lstm")
    before = {n: p.detach().clone() for n, p in model.named_parameters()}
    model.to(torch.float32)
    assert layer._shares_torch_layout()
    assert layer._flat[0].dtype == torch.float32
    for name, p in model.named_parameters():
        assert torch.equal(p.detach(), before[name].to(torch.float32))


def test_parameters_given_in_a_functional_call_are_the_ones_used():
    model, layer = _model("gru")
    x = torch.randn(2, 5, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(1))
    params = {n: p.detach() * 0.5 for n, p in model.named_parameters()}
    got = torch.func.functional_call(model, params, (x,))
    with torch.no_grad():
        for name, p in model.named_parameters():
            p.copy_(params[name])
    assert layer._shares_torch_layout()
    # (up to the last bit: a matrix product may round apart for memory placed differently)
    torch.testing.assert_close(got, model(x), atol=1e-12, rtol=1e-12)


@pytest.mark.parametrize("kind", KINDS)
def test_a_pass_without_gradients_reads_the_same_weights(kind):
    model, _ = _model(kind)
    x = torch.randn(3, 5, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(2))
    with torch.no_grad():
        quiet = model(x)
    # (torch's kernels round apart in the last bit with and without autograd)
    torch.testing.assert_close(quiet, model(x).detach(), atol=1e-12, rtol=1e-12)
