"""Conv filters and the feature maps of one chosen example, for the CNN views."""

from __future__ import annotations

from typing import NotRequired, TypedDict

import torch
from torch import Tensor

from glassnet.engine.model import Capture, GraphModel, Layer
from shared_schemas.runspec import Conv2dNode, Pair, PoolNode

MAX_CHANNELS = 16  # maps and filters shown per layer


_SHOWN = ("conv2d", "maxpool2d", "avgpool2d")


class FeatureMapLayer(TypedDict):
    """One conv or pooling layer's maps (and a conv's filters W): the snapshot's FeatureMapLayer."""

    id: str
    kind: str
    input: str
    shape: list[int]
    maps: list[float]
    kernel: Pair
    stride: Pair | None
    padding: Pair
    filter_shape: NotRequired[list[int]]
    filters: NotRequired[list[float]]
    z_shape: NotRequired[list[int]]


class FeatureMapInput(TypedDict):
    shape: list[int]
    values: list[float]


class FeatureMapsDoc(TypedDict):
    """Feature maps of one example: the snapshot's FeatureMaps, as the frame carries it."""

    example: int
    label: float | int
    input: FeatureMapInput
    layers: list[FeatureMapLayer]


def _flat(t: Tensor) -> list[float]:
    # Python floats straight from the tensor's dtype (float32 → float is exact), one transfer
    return t.detach().cpu().reshape(-1).tolist()


@torch.no_grad()
def feature_maps(model: GraphModel, x: Tensor, y: Tensor, example: int = 0) -> FeatureMapsDoc:
    """Input image, each conv layer's maps a = φ(z) and filters W, each pooling layer's output."""
    example = max(0, min(example, x.shape[0] - 1))
    shown = [nid for nid in model.order if model.nodes[nid].kind in _SHOWN]
    cap = Capture(keep_outputs=True)
    if shown:
        with model.eval_mode():
            model.forward_until(x[example : example + 1], cap, shown[-1])
    image = x[example]
    layers: list[FeatureMapLayer] = []
    for nid in shown:
        node = model.nodes[nid]
        if not isinstance(node, (Conv2dNode, PoolNode)):
            continue
        out = cap.outputs[nid][0, :MAX_CHANNELS]
        entry: FeatureMapLayer = {
            "id": nid,
            "kind": node.kind,
            "input": model.inputs_of[nid][0],
            "shape": list(out.shape),
            "maps": _flat(out),
            "kernel": node.kernel,
            "stride": node.stride,
            "padding": node.padding,
        }
        layer = model.block(nid)
        if isinstance(layer, Layer):
            w = layer.weight[:MAX_CHANNELS]
            entry["filter_shape"] = list(w.shape)
            entry["filters"] = _flat(w)
            entry["z_shape"] = list(cap.layers[nid].z.shape[1:])
        layers.append(entry)
    label: float | int = int(y[example].argmax()) if y.shape[-1] > 1 else float(y[example, 0])
    return {
        "example": example,
        "label": label,
        "input": {"shape": list(image.shape), "values": _flat(image)},
        "layers": layers,
    }
