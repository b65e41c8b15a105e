"""preview(): a small JSON-able look at a dataset for the data panel (unscaled values)."""

from __future__ import annotations

import base64
from typing import Any

import numpy as np

from glassnet.data import images
from glassnet.data.dataset import FloatArray
from glassnet.data.loader import prepare

MAX_POINTS = 500
MAX_IMAGES = 16
MAX_ROWS = 20
MAX_SEQUENCES = 8


def _kind(name: str, x: FloatArray) -> str:
    if name in images.SOURCES:
        return "images"
    return "sequences" if x.ndim == 3 else "table"


def _labels(y: FloatArray, task: str) -> list[float]:
    """One label per example: the class index, or the first target value for regression
    (sequence targets at every step: those of the last step)."""
    if y.ndim == 3:
        y = y[:, -1]
    if task == "multiclass":
        return [int(v) for v in y.argmax(axis=1)]
    if task == "binary":
        return [int(v) for v in y[:, 0]]
    return [round(float(v), 6) for v in y[:, 0]]


def _round(values: FloatArray) -> list[Any]:
    return np.round(values, 6).tolist()


def preview(data: Any, seed: int) -> dict[str, Any]:
    """What a data spec gives, before preprocessing, in a form the UI can draw.

    Always: dataset, title, description, task, kind ("points", "images" or "table"), n_train,
    n_val, input_shape, feature_names, target_names. Then, when they apply:
    points (2-D inputs): up to 500 {x, y, label, split} lists and their bounds;
    images: up to 16 images as base64 of row-major uint8 pixels (0-255) with labels;
    table: column names and the first 20 rows (inputs then targets) with their split;
    sequences: the first 8 sequences, inputs [T][F] and targets ([T][out] or [out]).
    """
    prepared = prepare(data, seed)
    info, raw = prepared.info, prepared.raw
    split = np.full(raw.x.shape[0], "val", dtype=object)
    split[prepared.train] = "train"
    input_shape = list(raw.x.shape[1:])
    if prepared.params.get("flatten"):
        input_shape = [int(np.prod(input_shape))]
    out: dict[str, Any] = {
        "dataset": info.name,
        "title": info.title,
        "description": raw.description,
        "task": raw.task,
        "kind": _kind(info.name, raw.x),
        "n_train": int(prepared.train.shape[0]),
        "n_val": int(prepared.val.shape[0]),
        "input_shape": input_shape,
        "feature_names": raw.feature_names,
        "target_names": raw.target_names,
    }
    labels = _labels(raw.y, raw.task)
    if raw.points is not None:
        if info.group == "2-D toy":
            out["kind"] = "points"
        # Evenly spaced rows, because generators emit their points class by class.
        shown = np.unique(np.linspace(0, raw.points.shape[0] - 1, MAX_POINTS).astype(int))
        points = raw.points[shown]
        out["points"] = {
            "x": _round(points[:, 0]),
            "y": _round(points[:, 1]),
            "label": [labels[i] for i in shown],
            "split": split[shown].tolist(),
        }
        out["bounds"] = {
            "x": [float(raw.points[:, 0].min()), float(raw.points[:, 0].max())],
            "y": [float(raw.points[:, 1].min()), float(raw.points[:, 1].max())],
        }
    if out["kind"] == "images":
        out["images"] = {
            **_images(raw.x[:MAX_IMAGES]),
            "labels": labels[:MAX_IMAGES],
            "split": split[:MAX_IMAGES].tolist(),
        }
    elif out["kind"] == "sequences":
        out["sequences"] = {
            **_sequences(raw, slice(0, MAX_SEQUENCES)),
            "split": split[:MAX_SEQUENCES].tolist(),
        }
    else:
        out["table"] = {
            **_table(raw, slice(0, MAX_ROWS)),
            "split": split[:MAX_ROWS].tolist(),
        }
    return out


def _images(x: FloatArray) -> dict[str, Any]:
    """Images [N, C, H, W] with values in [0, 1] as base64 uint8 pixels of their first channel."""
    pixels = np.round(np.clip(x[:, 0], 0.0, 1.0) * 255).astype(np.uint8)
    return {
        "height": int(pixels.shape[1]),
        "width": int(pixels.shape[2]),
        "encoding": "base64-uint8",
        "data": [base64.b64encode(image.tobytes()).decode("ascii") for image in pixels],
    }


def _table(raw: Any, rows: Any) -> dict[str, Any]:
    """Unscaled input columns then target columns of the chosen rows."""
    values = np.concatenate([raw.x[rows].reshape(len(raw.x[rows]), -1), raw.y[rows]], axis=1)
    return {"columns": raw.feature_names + raw.target_names, "rows": _round(values)}


def _sequences(raw: Any, rows: Any) -> dict[str, Any]:
    """Unscaled input sequences [T][F] and their targets ([T][out] or [out])."""
    return {
        "inputs": _round(raw.x[rows]),
        "targets": _round(raw.y[rows]),
    }


def examples(data: Any, seed: int, split: str, limit: int) -> dict[str, Any]:
    """The first `limit` examples of a run's split (`train` or `val`) in split order, unscaled:
    the inputs behind a frame's `predictions.examples` (same positions). Images as in
    `preview`; other data as table rows (inputs, then targets)."""
    prepared = prepare(data, seed)
    info, raw = prepared.info, prepared.raw
    order = prepared.val if split == "val" else prepared.train
    chosen = order[:limit]
    labels = _labels(raw.y, raw.task)
    out: dict[str, Any] = {
        "split": split,
        "n": int(order.shape[0]),
        "kind": _kind(info.name, raw.x),
        "labels": [labels[i] for i in chosen],
    }
    if out["kind"] == "images":
        out["images"] = _images(raw.x[chosen])
    elif out["kind"] == "sequences":
        out["sequences"] = _sequences(raw, chosen)
    else:
        out["table"] = _table(raw, chosen)
    return out
