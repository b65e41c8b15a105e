"""The general training path: torch autograd over any graph (conv, batchnorm, DAGs)."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import Tensor

from glassnet.engine.losses import compute_loss, correct, correct_from_logits
from glassnet.engine.model import Capture, GraphModel, Layer
from glassnet.engine.node_probes import (
    CONNECT_COLS,
    CONNECT_ROWS,
    NodeProbe,
    mask_summary,
    node_probes,
)
from glassnet.engine.optimizers import set_lr
from glassnet.engine.paths.base import Probe, StepResult, apply_clipping
from glassnet.engine.probes import LayerProbe, layer_probe, weights_before
from glassnet.engine.recurrent_probes import RecurrentProbe, recurrent_probe
from shared_schemas.runspec import TrainingSpec


def _penalty(model: GraphModel, training: TrainingSpec) -> Tensor | None:
    """λ₁·Σ|w| + λ₂·Σw² over the weights (biases are never penalised)."""
    reg = training.regularization
    if reg.l1 == 0 and reg.l2 == 0:
        return None
    terms = []
    for w in model.weight_parameters():
        if reg.l1:
            terms.append(reg.l1 * w.abs().sum())
        if reg.l2:
            terms.append(reg.l2 * (w * w).sum())
    return torch.stack(terms).sum()


def drop_connect_mask(layer: Layer) -> dict[str, object] | None:
    """The weights a DropConnect layer's last training step dropped, summarised for the frame."""
    if not layer.stochastic:
        return None
    return mask_summary(layer.last_mask, layer.drop_connect, CONNECT_ROWS, CONNECT_COLS)


def _probes(
    model: GraphModel, capture: Capture, grads: dict[str, Tensor | None], with_grads: bool = True
) -> list[LayerProbe | RecurrentProbe | NodeProbe]:
    probes: list[LayerProbe | RecurrentProbe | NodeProbe] = []
    for layer in model.layers:
        c = capture.layers[layer.id]
        probes.append(
            layer_probe(
                layer,
                x=c.x,
                z=c.z,
                a=c.a,
                delta=c.delta,
                grad_W=grads.get(layer.id),
                drop_connect=drop_connect_mask(layer),
            )
        )
    for rec in model.recurrent:
        probes.append(recurrent_probe(rec, capture.recurrent[rec.id], with_grads))
    probes.extend(node_probes(model, capture))
    return probes


def _is_plain_sgd(optimizer: torch.optim.Optimizer) -> bool:
    """torch.optim.SGD with one parameter group and nothing but a learning rate."""
    if type(optimizer) is not torch.optim.SGD or len(optimizer.param_groups) != 1:
        return False
    group = optimizer.param_groups[0]
    return (
        group["momentum"] == 0
        and group["weight_decay"] == 0
        and not group["maximize"]
        and not isinstance(group["lr"], Tensor)
    )


class AutogradPath:
    """One optimiser step by loss.backward(); probes are hooks attached only on capture steps."""

    name = "autograd"

    def __init__(
        self,
        model: GraphModel,
        optimizer: torch.optim.Optimizer,
        training: TrainingSpec,
        one_hot_targets: bool = False,
    ) -> None:
        self.model = model
        self.optimizer = optimizer
        self.training = training
        self.params = [p for p in model.parameters() if p.requires_grad]
        self._plain_sgd = _is_plain_sgd(optimizer)
        # cross-entropy and BCE read the output's logits: an uncaptured step skips its softmax
        # or sigmoid (validation holds them to a softmax or sigmoid output)
        self._from_logits = training.loss in ("cross_entropy", "bce")
        self._one_hot = one_hot_targets  # every target row one-hot (a classification set)

    def set_lr(self, lr: float) -> None:
        set_lr(self.optimizer, lr)

    def train_step(self, x: Tensor, t: Tensor, capture: bool) -> StepResult:
        model, training = self.model, self.training
        # Gradients are dropped, not zeroed: backward then allocates fresh ones, which is also
        # what lets a capture keep last step's grad_W without copying it.
        for p in self.params:
            p.grad = None
        cap = Capture() if capture else None
        logits_only = cap is None and self._from_logits
        if logits_only:
            z = a = model.forward_logits(x)  # the loss and the count read z alone
        else:
            z, a = model.forward_zy(x, cap)
        loss = compute_loss(training.loss, z, a, t)
        penalty = _penalty(model, training)
        (loss if penalty is None else loss + penalty).backward()
        apply_clipping(self.params, training)
        probes = None
        if cap is not None:
            # grad_W needs no copy: the next step sets .grad to None and its backward allocates
            # a new tensor (clipping ran above; no optimiser here updates .grad in place). W is
            # shared, so after the update it shows the new weights, beside a copy of the old.
            grads = {
                layer.id: None if layer.weight.grad is None else layer.weight.grad.detach()
                for layer in model.layers
            }
            probes = _probes(model, cap, grads)
            for probe in probes:
                if isinstance(probe, LayerProbe):
                    probe.W_before = weights_before(probe.W)
                elif isinstance(probe, RecurrentProbe):
                    # the update below changes the gate weights in place; keep the values seen
                    probe.W = {g: w.clone() for g, w in probe.W.items()}
                    probe.grad_W = {
                        g: None if w is None else w.clone() for g, w in probe.grad_W.items()
                    }
        if self._plain_sgd:
            self._sgd_step()
        else:
            self.optimizer.step()
        if logits_only:
            hits = correct_from_logits(z.detach(), t, self._one_hot)
        else:
            hits = correct(a.detach(), t)
        return StepResult(loss.detach(), hits, probes)

    @torch.no_grad()
    def _sgd_step(self) -> None:
        """θ ← θ − α·g: what torch.optim.SGD does without momentum or weight decay, operation
        for operation (bit-identical), without its per-call bookkeeping (~25 µs a step)."""
        lr = self.optimizer.param_groups[0]["lr"]
        for p in self.params:
            if p.grad is not None:
                p.add_(p.grad, alpha=-lr)

    @torch.no_grad()
    def evaluate(self, x: Tensor, t: Tensor) -> tuple[Tensor, Tensor, Tensor]:
        """(loss, number correct, outputs) with dropout off and batchnorm on its running
        statistics."""
        with self.model.eval_mode():
            z, a = self.model.forward_zy(x)
            return compute_loss(self.training.loss, z, a, t), correct(a, t), a

    def probe(self, x: Tensor, t: Tensor) -> Sequence[Probe]:
        """Probes at the current parameters without updating them (for paused or new runs).

        A probe must not change the run: dropout, DropConnect and stochastic depth are off (no
        draw from the run's generator, as on the lean path) and batchnorm normalises with the batch but its running statistics are
        put back afterwards.
        """
        model = self.model
        dropouts = model.stochastic_modules()
        buffers = {k: v.clone() for k, v in model.named_buffers()}
        for m in dropouts:
            m.eval()
        try:
            cap = Capture()
            z, a = model.forward_zy(x, cap)
            loss = compute_loss(self.training.loss, z, a, t)
            grads: dict[str, Tensor | None] = {}
            if loss.requires_grad:
                weights = [layer.weight for layer in model.layers]
                gate_weights = [w for rec in model.recurrent for w in rec.gate_weights()]
                values = torch.autograd.grad(loss, weights + gate_weights, allow_unused=True)
                grads = {layer.id: g for layer, g in zip(model.layers, values, strict=False)}
                gate_grads = iter(values[len(weights) :])
                for rec in model.recurrent:
                    for gate in rec.gates:
                        grads[f"{rec.id}/{gate}"] = next(gate_grads)
        finally:
            for m in dropouts:
                m.train()
            with torch.no_grad():
                for k, v in model.named_buffers():
                    v.copy_(buffers[k])
        probes = _probes(model, cap, grads, with_grads=False)
        for p in probes:
            if isinstance(p, RecurrentProbe):
                p.grad_W = {g: grads.get(f"{p.id}/{g}") for g in p.gates}
        return probes

    @torch.no_grad()
    @torch.no_grad()
    def outputs(self, x: Tensor) -> Tensor:
        """The output for a batch, in evaluation mode, with no layer captured (predictions)."""
        with self.model.eval_mode():
            return self.model.forward_zy(x)[1]

    def layer_outputs(self, x: Tensor) -> tuple[dict[str, Tensor], Tensor]:
        """Every layer's activation and the output for a batch, in evaluation mode."""
        with self.model.eval_mode():
            cap = Capture()
            _, a = self.model.forward_zy(x, cap)
            return {k: v.a for k, v in cap.layers.items()}, a
