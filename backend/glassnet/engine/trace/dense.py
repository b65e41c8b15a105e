"""Fully connected layer: z = W a_prev + b with W [out][in], optionally with DropConnect."""

from __future__ import annotations

from typing import Any

from torch import Tensor

from glassnet.engine.trace.report import Limits, to_list
from glassnet.engine.trace.weighted import WeightedLayer, flatten_rows


class DenseLayer(WeightedLayer):
    """The book's layer: row i of W is neuron i, ∂E/∂w_{i,k} = Σ_examples δ_i a_k.

    With DropConnect the step uses W̃ = W ⊙ M / (1 − p) for a 0/1 mask M over the weights (one
    per step, shared by the examples): z = W̃ a_prev + b, ∂E/∂W = (Σ δ a_prevᵀ) ⊙ M / (1 − p)
    (a dropped weight gets no gradient), and ∂E/∂a_prev = W̃ᵀ δ.
    """

    kind = "dense"
    connect_mask: Tensor | None = None
    drop_connect = 0.0

    def use_drop_connect(self, mask: Tensor, p: float) -> None:
        """Trace this step with DropConnect mask `mask` ([out][in], 1 keeps) at drop rate p."""
        self.connect_mask, self.drop_connect = mask, p

    def _connect_scale(self) -> Tensor | float:
        if self.connect_mask is None:
            return 1.0
        return self.connect_mask / (1 - self.drop_connect)

    def weighted_sum(self, x: Tensor, W: Tensor, b: Tensor) -> Tensor:
        # A dense layer after a conv or pooling node sees the flattened [C·H·W] vector.
        return flatten_rows(x) @ (W * self._connect_scale()).T + b

    def parameter_gradients(self, delta: Tensor) -> tuple[Tensor, Tensor, Tensor]:
        a_prev = flatten_rows(self.x)
        scale = self._connect_scale()
        grad_W = (delta.T @ a_prev) * scale
        grad_b = delta.sum(dim=0)
        # ∂E/∂a_k = Σ_i w̃_{i,k} δ_i (eq. 26), per example.
        dE_dx = (delta @ (self.W * scale)).reshape(self.x.shape)
        return grad_W, grad_b, dE_dx

    def per_example_gradients(self) -> tuple[Tensor, Tensor]:
        assert self.delta is not None
        a_prev = flatten_rows(self.x)
        return self.delta[:, :, None] * a_prev[:, None, :] * self._connect_scale(), self.delta

    def report(self, limits: Limits) -> dict[str, Any]:
        record = super().report(limits)
        if self.connect_mask is not None:
            record.update(
                drop_connect=self.drop_connect,
                drop_connect_mask=to_list(self.connect_mask),
                weights_used=to_list(self.W * self._connect_scale()),
            )
        return record
