"""Where a run computes: CUDA when present and asked for, the CPU otherwise."""

from __future__ import annotations

import torch


def resolve_device(device: str) -> torch.device:
    """`auto` picks CUDA when available; `cuda` without a GPU falls back to the CPU with no error,
    so a spec written on a GPU machine still runs in a classroom without one."""
    if device in ("auto", "cuda") and torch.cuda.is_available():
        return torch.device("cuda")
    return torch.device("cpu")
