"""Fully connected layer: z = W a_prev + b with W [out][in]."""

from __future__ import annotations

from torch import Tensor

from glassnet.engine.trace.weighted import WeightedLayer, flatten_rows


class DenseLayer(WeightedLayer):
    """The book's layer: row i of W is neuron i, ∂E/∂w_{i,k} = Σ_examples δ_i a_k."""

    kind = "dense"

    def weighted_sum(self, x: Tensor, W: Tensor, b: Tensor) -> Tensor:
        # A dense layer after a conv or pooling node sees the flattened [C·H·W] vector.
        return flatten_rows(x) @ W.T + b

    def parameter_gradients(self, delta: Tensor) -> tuple[Tensor, Tensor, Tensor]:
        a_prev = flatten_rows(self.x)
        grad_W = delta.T @ a_prev
        grad_b = delta.sum(dim=0)
        # ∂E/∂a_k = Σ_i w_{i,k} δ_i (eq. 26), per example.
        dE_dx = (delta @ self.W).reshape(self.x.shape)
        return grad_W, grad_b, dE_dx

    def per_example_gradients(self) -> tuple[Tensor, Tensor]:
        assert self.delta is not None
        a_prev = flatten_rows(self.x)
        return self.delta[:, :, None] * a_prev[:, None, :], self.delta
