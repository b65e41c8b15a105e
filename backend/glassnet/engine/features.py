"""Conv filters and the feature maps of one chosen example, for the CNN views."""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor

from glassnet.engine.model import Capture, GraphModel

MAX_CHANNELS = 16  # maps and filters shown per layer


_SHOWN = ("conv2d", "maxpool2d", "avgpool2d")


def _flat(t: Tensor) -> list[float]:
    # Python floats straight from the tensor's dtype (float32 → float is exact), one transfer
    return t.detach().cpu().reshape(-1).tolist()


@torch.no_grad()
def feature_maps(model: GraphModel, x: Tensor, y: Tensor, example: int = 0) -> dict[str, Any]:
    """Input image, each conv layer's maps a = φ(z) and filters W, each pooling layer's output."""
    example = max(0, min(example, x.shape[0] - 1))
    shown = [nid for nid in model.order if model.nodes[nid].kind in _SHOWN]
    cap = Capture(keep_outputs=True)
    if shown:
        with model.eval_mode():
            model.forward_until(x[example : example + 1], cap, shown[-1])
    image = x[example]
    layers = []
    for nid in shown:
        node = model.nodes[nid]
        out = cap.outputs[nid][0, :MAX_CHANNELS]
        entry: dict[str, Any] = {
            "id": nid,
            "kind": node.kind,
            "input": model.inputs_of[nid][0],
            "shape": list(out.shape),
            "maps": _flat(out),
            "kernel": node.kernel,
            "stride": node.stride,
            "padding": node.padding,
        }
        if node.kind == "conv2d":
            w = model.blocks[nid].weight[:MAX_CHANNELS]
            entry["filter_shape"] = list(w.shape)
            entry["filters"] = _flat(w)
            entry["z_shape"] = list(cap.layers[nid].z.shape[1:])
        layers.append(entry)
    label = int(y[example].argmax()) if y.shape[-1] > 1 else float(y[example, 0])
    return {
        "example": example,
        "label": label,
        "input": {"shape": list(image.shape), "values": _flat(image)},
        "layers": layers,
    }
