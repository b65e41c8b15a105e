"""Training recurrent networks: the trace equals the first step, truncation, probes, snapshots."""

import pytest
import torch

from glassnet.engine import Trainer
from glassnet.engine.recurrent_probes import diagnose_through_time
from glassnet.engine.trace.core import run_trace
from shared_schemas.snapshot import TelemetryFrame


def _spec(kind="lstm", truncate=None, dtype="float64", **training):
    return {
        "network": {
            "nodes": [
                {"id": "x", "kind": "input", "shape": [8, 1]},
                {"id": "m", "kind": kind, "units": 3},
                {"id": "y", "kind": "dense", "units": 1},
            ]
        },
        "data": {"dataset": "sine", "n": 10, "steps": 8},
        "training": {
            "loss": "half_sse",
            "optimizer": {"kind": "sgd", "lr": 0.05},
            "epochs": 3,
            "bptt": {"truncate": truncate},
            **training,
        },
        "seed": 4,
        "dtype": dtype,
    }


@pytest.mark.parametrize("kind", ["rnn", "lstm", "gru"])
def test_trace_equals_the_trainers_first_step(kind):
    spec = _spec(kind, truncate=3)
    trainer = Trainer(spec)
    x, t = trainer.x_train.tolist(), trainer.y_train.tolist()
    result = run_trace(spec["network"], x, t, "half_sse", 0.05, "float64", seed=4, truncate=3)
    trainer.step()
    # full batch: the first step is the first epoch, whose loss is that step's (summed) loss
    assert result["loss"] == pytest.approx(trainer.metrics[0]["loss"], rel=1e-12)
    block = trainer.model.block("m")
    traced = result["layers"][0]
    for gate in block.gates:
        after = block.weight(gate).detach()
        if kind == "rnn":
            got = torch.cat(
                [
                    torch.tensor(traced["weights_after"]["hh"], dtype=torch.float64),
                    torch.tensor(traced["weights_after"]["hx"], dtype=torch.float64),
                ],
                1,
            )
        else:
            got = torch.tensor(traced["weights_after"][gate], dtype=torch.float64)
        torch.testing.assert_close(got.to(torch.float64), after, atol=1e-12, rtol=1e-12)
    dense = trainer.model.block("y")
    torch.testing.assert_close(
        torch.tensor(result["layers"][1]["weights_after"], dtype=torch.float64),
        dense.weight.detach(),
    )


def test_truncation_changes_the_gradient_but_not_the_forward_pass():
    full, cut = Trainer(_spec("rnn")), Trainer(_spec("rnn", truncate=2))
    assert torch.equal(full.model(full.x_train), cut.model(cut.x_train))
    full.step()
    cut.step()
    assert not torch.equal(
        full.model.block("m").weight("hidden"), cut.model.block("m").weight("hidden")
    )


@pytest.mark.parametrize("kind", ["rnn", "lstm", "gru"])
def test_float32_runs_train_and_clip(kind):
    trainer = Trainer(_spec(kind, dtype="float32", clip={"norm": 0.01}))
    trainer.train()
    assert trainer.status == "finished"
    assert trainer.model.block("m").weight(trainer.model.block("m").gates[0]).dtype == torch.float32


def test_snapshot_reports_gates_cell_state_and_delta_through_time():
    trainer = Trainer(_spec("lstm"))
    trainer.step(capture=True)
    frame = trainer.snapshot()
    TelemetryFrame.model_validate(frame)
    (layer,) = frame["recurrent"]
    assert layer["gate_names"] == ["forget", "input", "candidate", "output"]
    assert layer["steps"] == 8
    assert set(layer["delta_through_time"]) == {"h", "forget", "input", "candidate", "output"}
    assert len(layer["delta_through_time"]["h"]) == 8
    assert layer["c"] is not None
    assert 0 <= layer["gates"]["forget"]["saturation"] <= 1
    assert layer["gates"]["candidate"]["saturation"] is None  # tanh, not a gate that opens
    assert frame["predictions"]["sequence"]["examples"][0]["target"]


def test_snapshot_delta_through_time_is_the_rms_of_autograds_dL_dh():
    trainer = Trainer(_spec("rnn"))
    frame = trainer.snapshot()
    curve = frame["recurrent"][0]["delta_through_time"]["h"]
    model = trainer.model
    x, t = trainer.x_train, trainer.y_train
    block = model.block("m")
    hs = []
    original = block.forward

    def keep(x_, *args, **kwargs):
        out = original(x_, *args, **kwargs)
        out.retain_grad()
        hs.append(out)
        return out

    block.forward = keep
    loss = 0.5 * ((model(x) - t) ** 2).sum()
    loss.backward()
    dh = hs[0].grad  # ∂L/∂h_t from the output only: add what flows back from h_(t+1)
    assert dh is not None
    assert curve[-1] == pytest.approx(dh[:, -1].pow(2).mean().sqrt().item(), rel=1e-9)


def test_vanishing_delta_through_time_is_said_in_words():
    curve = [1e-7] + [1e-3] * 38 + [0.1]
    diagnosis = diagnose_through_time(curve)
    assert diagnosis["kind"] == "vanishing"
    assert diagnosis["message"].startswith("δ at step 1 is 10⁻⁶ of δ at step 40")
    assert "try an LSTM" in diagnosis["message"]
    assert diagnose_through_time([1.0, 0.5, 0.8])["kind"] == "healthy"
    assert diagnose_through_time([1e4, 1.0])["kind"] == "exploding"


def test_gate_saturation_is_the_share_of_gates_shut_or_open():
    trainer = Trainer(_spec("lstm"))
    trainer.step(capture=True)
    frame = trainer.snapshot()
    (probe,) = [p for p in trainer._probes() if getattr(p, "gates", None)]
    forget = probe.capture.a[..., : probe.units]
    share = ((forget < 0.05) | (forget > 0.95)).double().mean().item()
    assert frame["recurrent"][0]["gates"]["forget"]["saturation"] == pytest.approx(share)


def test_trace_of_a_recurrent_run_spec_uses_its_truncation_and_first_weights():
    from glassnet.engine.trace.spec import trace_spec

    spec = _spec("gru", truncate=2)
    spec["training"]["optimizer"]["kind"] = "sgd"
    result = trace_spec(spec)
    trainer = Trainer(spec)
    direct = run_trace(
        spec["network"],
        trainer.x_train.tolist(),
        trainer.y_train.tolist(),
        "half_sse",
        0.05,
        "float64",
        seed=4,
        truncate=2,
    )
    assert result["layers"][0]["grad_weights"] == direct["layers"][0]["grad_weights"]


def test_character_model_predictions_show_its_text_and_what_it_writes():
    from glassnet.data.sequences import text, vocabulary

    size = len(vocabulary(text()))
    spec = {
        "network": {
            "nodes": [
                {"id": "x", "kind": "input", "shape": [12, size]},
                {"id": "m", "kind": "gru", "units": 8},
                {"id": "y", "kind": "dense", "units": size, "activation": "softmax"},
            ]
        },
        "data": {"dataset": "text_chars", "n": 20, "steps": 12},
        "training": {"loss": "cross_entropy", "epochs": 1},
    }
    trainer = Trainer(spec)
    sequence = trainer.snapshot(channels=["predictions"])["predictions"]["sequence"]
    first = sequence["text"][0]
    assert len(first["target"]) == len(first["predicted"]) == 12
    generated = sequence["generated"]
    assert len(generated["prompt"]) == 12 and len(generated["generated"]) == 40
    # the first character written is the one predicted after the prompt's last character
    assert generated["generated"][0] == first["predicted"][-1]
    assert set(generated["generated"]) <= set(vocabulary(text()))
