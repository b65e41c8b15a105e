"""Pooling (max and average) and flatten: layers without weights.

A pooling neuron has z = max (or mean) of its window and a = z, so ∂a/∂z = 1 and δ = ∂E/∂a. Backward,
max pooling routes each δ to the window's winner only (the first maximum in row-major order,
torch's rule); average pooling spreads δ/(kh·kw) over the window.
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor

from glassnet.engine.trace.report import Limits, to_list
from glassnet.engine.trace.weighted import TracedLayer
from shared_schemas.graph import window_output_size


class PoolLayer(TracedLayer):
    """maxpool2d / avgpool2d over [N, C, H, W]."""

    def __init__(
        self,
        node_id: str,
        pointer: str,
        kind: str,
        kernel: tuple[int, int],
        stride: tuple[int, int],
        padding: tuple[int, int],
    ) -> None:
        super().__init__(node_id, pointer)
        self.kind = kind
        self.kernel = kernel
        self.stride = stride
        self.padding = padding

    def _windows(self, x: Tensor) -> Tensor:
        # [N, C, kh·kw, L]; max pooling pads with −inf so padding never wins.
        n, c = x.shape[:2]
        fill = float("-inf") if self.kind == "maxpool2d" else 0.0
        p_h, p_w = self.padding
        padded = F.pad(x, (p_w, p_w, p_h, p_h), value=fill)
        cols = F.unfold(
            padded.reshape(n * c, 1, *padded.shape[2:]), self.kernel, stride=self.stride
        )
        return cols.reshape(n, c, cols.shape[1], cols.shape[2])

    def _out_hw(self, x: Tensor) -> tuple[int, int]:
        return (
            window_output_size(x.shape[2], self.kernel[0], self.stride[0], self.padding[0]),
            window_output_size(x.shape[3], self.kernel[1], self.stride[1], self.padding[1]),
        )

    def pool(self, x: Tensor) -> Tensor:
        """The pooled map [N, C, H_out, W_out]."""
        windows = self._windows(x)
        pooled = windows.max(dim=2).values if self.kind == "maxpool2d" else windows.mean(dim=2)
        return pooled.reshape(x.shape[0], x.shape[1], *self._out_hw(x))

    def forward(self, x: Tensor) -> Tensor:
        self.x = x
        windows = self._windows(x)
        if self.kind == "maxpool2d":
            # argmax returns the first maximal index, the row-major tie rule.
            self.winner = windows.argmax(dim=2)
        self.a = self.pool(x)
        return self.a

    def forward_with_updated(self, x: Tensor) -> Tensor:
        """Pooling has no parameters: the same map."""
        return self.pool(x)

    def backward(self, dE_da: Tensor, delta: Tensor | None = None) -> Tensor:
        self.dE_da = dE_da
        self.delta = dE_da
        n, c, h, w = self.x.shape
        cols = dE_da.reshape(n, c, 1, -1)
        k = self.kernel[0] * self.kernel[1]
        if self.kind == "maxpool2d":
            routed = torch.zeros(n, c, k, cols.shape[3], dtype=dE_da.dtype)
            routed.scatter_(2, self.winner[:, :, None, :], cols)
        else:
            routed = cols.expand(n, c, k, cols.shape[3]) / k
        p_h, p_w = self.padding
        full = F.fold(
            routed.reshape(n * c, k, -1),
            (h + 2 * p_h, w + 2 * p_w),
            self.kernel,
            stride=self.stride,
        ).reshape(n, c, h + 2 * p_h, w + 2 * p_w)
        self.routed_delta = full[:, :, p_h : p_h + h, p_w : p_w + w]
        return self.routed_delta

    def winners(self) -> Tensor:
        """(row, col) in the input map of each output cell's maximum: [N, C, H_out, W_out, 2]."""
        h_out, w_out = self._out_hw(self.x)
        kw = self.kernel[1]
        cell = torch.arange(h_out * w_out)
        top = (cell // w_out) * self.stride[0] - self.padding[0]
        left = (cell % w_out) * self.stride[1] - self.padding[1]
        rows = top + self.winner // kw
        cols = left + self.winner % kw
        return torch.stack([rows, cols], dim=-1).reshape(*self.winner.shape[:2], h_out, w_out, 2)

    def report(self, limits: Limits) -> dict[str, Any]:
        record = super().report(limits)
        record.update(
            z=to_list(self.a),
            a=to_list(self.a),
            da_dz=to_list(torch.ones_like(self.a)),
            delta=to_list(self.delta),
            kernel=list(self.kernel),
            stride=list(self.stride),
            padding=list(self.padding),
            winners=self.winners().tolist() if self.kind == "maxpool2d" else None,
            routed_delta=to_list(self.routed_delta),
        )
        return record


class FlattenLayer(TracedLayer):
    """[N, C, H, W] → [N, C·H·W] in row-major order; δ is reshaped back unchanged."""

    kind = "flatten"

    def forward(self, x: Tensor) -> Tensor:
        self.x = x
        self.a = x.reshape(x.shape[0], -1)
        return self.a

    def forward_with_updated(self, x: Tensor) -> Tensor:
        """Flatten has no parameters."""
        return x.reshape(x.shape[0], -1)

    def backward(self, dE_da: Tensor, delta: Tensor | None = None) -> Tensor:
        self.dE_da = dE_da
        return dE_da.reshape(self.x.shape)

    def report(self, limits: Limits) -> dict[str, Any]:
        record = super().report(limits)
        record.update(a=to_list(self.a))
        return record
