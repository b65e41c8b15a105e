"""A Trainer's whole state as a checkpoint, and back: what a resumed run needs to train on as if
it had never stopped.

`capture` copies, at a step boundary: the parameters and buffers, the optimiser's state (torch's,
or the lean path's numpy moments), both random generators (shuffling and dropout masks), the step,
the epoch, the position inside the epoch with its shuffle order and partial sums, the learning rate
and the metric history. Resuming from it and stepping on gives the same numbers, bit for bit, as
the run that was never interrupted (tests/unit/runs/test_checkpoint.py holds it to that).

The copy is the only cost on the training thread (one memcpy of parameters and moments); writing
the file is left to the worker's writer thread (runs/checkpoint_writer.py).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch

from glassnet.engine.losses import as_float
from glassnet.engine.model import Dropout
from glassnet.engine.paths.lean_optim import NumpyOptimizer
from glassnet.engine.paths.parallel import ParallelPath
from glassnet.engine.trainer import Trainer
from glassnet.store.checkpoints import Checkpoint

FORMAT = 1  # the checkpoint layout below; a newer server refuses layouts it does not know


def checkpointable(trainer: Any) -> bool:
    """Only the engine's Trainer has the state `capture` reads (tests pass fakes)."""
    return isinstance(trainer, Trainer)


def _array(t: torch.Tensor) -> np.ndarray:
    # One device→host copy per tensor (a copy, not a view: training goes on after the capture).
    return t.detach().to("cpu", copy=True).contiguous().numpy()


def _number(value: Any) -> float | None:
    return None if value is None else as_float(value)


def _dropout_generator(trainer: Trainer) -> torch.Generator | None:
    for block in trainer.model.blocks.values():
        if isinstance(block, Dropout):
            return block.generator
    return None


def capture(trainer: Trainer) -> Checkpoint:
    """Copy the trainer's state (call between steps)."""
    arrays: dict[str, np.ndarray] = {
        f"model/{name}": _array(t) for name, t in trainer.model.state_dict().items()
    }
    early = trainer.early_stopping
    meta: dict[str, Any] = {
        "format": FORMAT,
        "step": trainer.step_count,
        "epoch": trainer.epoch,
        "pos": trainer._pos,
        "epoch_loss": _number(trainer._epoch_loss),
        "epoch_correct": _number(trainer._epoch_correct),
        "lr": trainer.lr,
        "base_lr": trainer.base_lr,
        # a copy: the writer thread serialises it while the trainer appends rows to its own list
        "metrics": [dict(row) for row in trainer.metrics],
        "history_stride": trainer.history.stride,
        "bad_epochs": early.bad_epochs if early is not None else 0,
        "best_epoch": trainer.best_epoch,
        "best": None,
        "optimizer": _capture_optimizer(trainer, arrays),
    }
    path = trainer.path
    if isinstance(path, ParallelPath):
        # an async run's weights of the last s steps: its next gradients are computed on them
        meta["parallel"] = {"steps": path.steps, "history": len(path.history)}
        for i, weights in enumerate(path.history):
            arrays.update({f"parallel/{i}/{j}": _array(w) for j, w in enumerate(weights)})
    arrays["rng/cpu"] = trainer.generator.get_state().numpy().copy()
    dropout = _dropout_generator(trainer)
    if dropout is not None:
        arrays["rng/dropout"] = dropout.get_state().numpy().copy()
    if trainer._order is not None:
        order = trainer._order
        arrays["order"] = np.array(order) if isinstance(order, np.ndarray) else _array(order)
    if early is not None and early.best is not None:
        value, epoch, state = early.best
        meta["best"] = [value, epoch, sorted(state)]
        arrays.update({f"best/{name}": _array(t) for name, t in state.items()})
    return Checkpoint(arrays, meta)


def _capture_optimizer(trainer: Trainer, arrays: dict[str, np.ndarray]) -> dict[str, Any]:
    optimizer = getattr(trainer.path, "optimizer", None)
    if isinstance(optimizer, NumpyOptimizer):
        for i, (m, v) in enumerate(zip(optimizer.m, optimizer.v, strict=True)):
            arrays[f"optim/m/{i}"], arrays[f"optim/v/{i}"] = m.copy(), v.copy()
        return {"kind": "numpy", "t": optimizer.t, "mu_product": optimizer.mu_product}
    if isinstance(optimizer, torch.optim.Optimizer):
        plain: dict[str, dict[str, Any]] = {}
        for index, state in optimizer.state_dict()["state"].items():
            plain[str(index)] = {}
            for key, value in state.items():
                if isinstance(value, torch.Tensor):
                    arrays[f"optim/{index}/{key}"] = _array(value)
                else:
                    plain[str(index)][key] = value
        return {"kind": "torch", "plain": plain}
    return {"kind": "none"}


def restore(trainer: Trainer, checkpoint: Checkpoint) -> None:
    """Put a checkpoint's state into a trainer freshly built from the same spec (before it steps).

    Raises ValueError when the checkpoint does not fit the trainer (another network, a layout
    this server does not know)."""
    meta, arrays = checkpoint.meta, checkpoint.arrays
    if meta.get("format") != FORMAT:
        raise ValueError(f"checkpoint layout {meta.get('format')!r} is not one this server reads")
    params = {
        k[len("model/") :]: torch.from_numpy(a) for k, a in arrays.items() if k.startswith("model/")
    }
    # load_state_dict copies into the existing tensors, so the lean path's flat buffer (whose
    # views the parameters are) receives the values too.
    trainer.model.load_state_dict(params)
    _restore_optimizer(trainer, meta["optimizer"], arrays)
    trainer.step_count, trainer.epoch = int(meta["step"]), int(meta["epoch"])
    trainer._pos = int(meta["pos"])
    trainer._epoch_loss = meta["epoch_loss"]
    correct = meta["epoch_correct"]
    trainer._epoch_correct = (
        int(correct)
        if correct is not None and math.isfinite(correct) and correct == int(correct)
        else correct
    )
    trainer.history.rows = list(meta["metrics"])
    trainer.history.stride = int(meta["history_stride"])
    trainer.base_lr, trainer.lr = float(meta["base_lr"]), float(meta["lr"])
    trainer.path.set_lr(trainer.lr)
    parallel = meta.get("parallel")
    if parallel is not None and isinstance(trainer.path, ParallelPath):
        device, n = trainer.device, len(trainer.path.params)
        trainer.path.steps = int(parallel["steps"])
        trainer.path.history.clear()
        for i in range(int(parallel["history"])):
            trainer.path.history.append(
                [torch.from_numpy(arrays[f"parallel/{i}/{j}"].copy()).to(device) for j in range(n)]
            )
    trainer.generator.set_state(torch.from_numpy(arrays["rng/cpu"].copy()))
    dropout = _dropout_generator(trainer)
    if dropout is not None and "rng/dropout" in arrays:
        dropout.set_state(torch.from_numpy(arrays["rng/dropout"].copy()))
    trainer._order = None
    if "order" in arrays:
        order = arrays["order"].copy()
        trainer._order = (
            order if trainer._native_order else torch.from_numpy(order).to(trainer.device)
        )
    early = trainer.early_stopping
    if early is not None:
        early.bad_epochs = int(meta["bad_epochs"])
        early.best_epoch = meta["best_epoch"]
        early.best = None
        if meta["best"] is not None:
            value, epoch, names = meta["best"]
            state = {
                n: torch.from_numpy(arrays[f"best/{n}"].copy()).to(trainer.device) for n in names
            }
            early.best = (float(value), int(epoch), state)


def _restore_optimizer(
    trainer: Trainer, plan: dict[str, Any], arrays: dict[str, np.ndarray]
) -> None:
    optimizer = getattr(trainer.path, "optimizer", None)
    kind = plan["kind"]
    if kind == "numpy" and isinstance(optimizer, NumpyOptimizer):
        for i, (m, v) in enumerate(zip(optimizer.m, optimizer.v, strict=True)):
            m[...], v[...] = arrays[f"optim/m/{i}"], arrays[f"optim/v/{i}"]  # in place: the
            # compiled kernels are handed these very arrays
        optimizer.t, optimizer.mu_product = int(plan["t"]), float(plan["mu_product"])
    elif kind == "torch" and isinstance(optimizer, torch.optim.Optimizer):
        state: dict[int, dict[str, Any]] = {}
        for index, plain in plan["plain"].items():
            state[int(index)] = dict(plain)
        for key, array in arrays.items():
            if key.startswith("optim/"):
                _, index, name = key.split("/", 2)
                state.setdefault(int(index), {})[name] = torch.from_numpy(array.copy())
        current = optimizer.state_dict()
        current["state"] = state
        optimizer.load_state_dict(current)
        # load_state_dict casts every tensor but `step` to its parameter's dtype (NAdam's float32
        # mu_product would come back float64 and the next steps differ in the last digits): put
        # each back as it was saved, on its parameter's device.
        params = [p for group in optimizer.param_groups for p in group["params"]]
        for index, saved in state.items():
            live = optimizer.state[params[index]]
            for name, value in saved.items():
                if isinstance(value, torch.Tensor):
                    live[name] = value.to(params[index].device)
    elif kind != "none":
        raise ValueError(f"the checkpoint holds a {kind} optimiser; this run's path has another")
