"""2-D convolution (cross-correlation, as the lectures and torch compute it) written as im2col.

Every output cell is a neuron whose receptive field is one column of the unfolded input, so
z = W_flat · patch + b, and the shared-weight gradient is ∂E/∂W = Σ_cells δ_cell · patch_cellᵀ
(the lecture's Δw = Σ δ_i a_*, summed over the neurons that share the filter and the examples).
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor

from glassnet.engine.trace.activation import Activation
from glassnet.engine.trace.report import Limits, to_list
from glassnet.engine.trace.weighted import WeightedLayer
from shared_schemas.graph import window_output_size


class ConvLayer(WeightedLayer):
    """W [out_ch][in_ch][kh][kw], b [out_ch]; z, a, δ are [N, out_ch, H_out, W_out]."""

    kind = "conv2d"

    def __init__(
        self,
        node_id: str,
        pointer: str,
        W: Tensor,
        b: Tensor,
        activation: Activation,
        stride: tuple[int, int],
        padding: tuple[int, int],
    ) -> None:
        super().__init__(node_id, pointer, W, b, activation)
        self.stride = stride
        self.padding = padding

    @property
    def kernel(self) -> tuple[int, int]:
        return int(self.W.shape[2]), int(self.W.shape[3])

    def _patches(self, x: Tensor) -> Tensor:
        # [N, C·kh·kw, L]: column l holds the receptive field of output cell l (row-major).
        return F.unfold(x, self.kernel, padding=self.padding, stride=self.stride)

    def _out_hw(self, x: Tensor) -> tuple[int, int]:
        return (
            window_output_size(x.shape[2], self.kernel[0], self.stride[0], self.padding[0]),
            window_output_size(x.shape[3], self.kernel[1], self.stride[1], self.padding[1]),
        )

    def weighted_sum(self, x: Tensor, W: Tensor, b: Tensor) -> Tensor:
        h, w = self._out_hw(x)
        z = W.reshape(W.shape[0], -1) @ self._patches(x) + b[:, None]
        return z.reshape(x.shape[0], W.shape[0], h, w)

    def parameter_gradients(self, delta: Tensor) -> tuple[Tensor, Tensor, Tensor]:
        patches = self._patches(self.x)
        delta_cols = delta.reshape(delta.shape[0], delta.shape[1], -1)
        grad_W = torch.einsum("nol,nkl->ok", delta_cols, patches).reshape(self.W.shape)
        grad_b = delta.sum(dim=(0, 2, 3))
        # Each input pixel collects W·δ from every receptive field it lies in (fold sums overlaps).
        dE_dpatches = self.W.reshape(self.W.shape[0], -1).T @ delta_cols
        dE_dx = F.fold(
            dE_dpatches,
            tuple(self.x.shape[2:]),
            self.kernel,
            padding=self.padding,
            stride=self.stride,
        )
        return grad_W, grad_b, dE_dx

    def per_example_gradients(self) -> tuple[Tensor, Tensor]:
        assert self.delta is not None
        patches = self._patches(self.x)
        delta_cols = self.delta.reshape(self.delta.shape[0], self.delta.shape[1], -1)
        grad_W = torch.einsum("nol,nkl->nok", delta_cols, patches)
        return grad_W.reshape(-1, *self.W.shape), self.delta.sum(dim=(2, 3))

    def receptive_fields(self, limits: Limits) -> dict[str, Any] | None:
        """For the first example: every output cell's input patch and the products W ⊙ patch."""
        c, (kh, kw) = self.W.shape[1], self.kernel
        h, w = self._out_hw(self.x)
        n_products = self.W.shape[0] * h * w * c * kh * kw
        if n_products > limits.receptive_fields:
            return None
        patches = self._patches(self.x[:1])[0].T.reshape(h, w, c, kh, kw)
        products = self.W[:, None, None] * patches[None]
        padded = F.pad(
            self.x[:1],
            (self.padding[1], self.padding[1], self.padding[0], self.padding[0]),
        )[0]
        return {
            "example": 0,
            "padded_input": to_list(padded),
            "patches": to_list(patches),
            "products": to_list(products),
        }

    def report(self, limits: Limits) -> dict[str, Any]:
        record = super().report(limits)
        record.update(
            stride=list(self.stride),
            padding=list(self.padding),
            receptive_fields=self.receptive_fields(limits),
        )
        return record
