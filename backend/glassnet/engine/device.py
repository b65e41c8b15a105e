"""Where a run computes: CUDA when present and asked for, the CPU otherwise — and never silently."""

from __future__ import annotations

import torch

NO_GPU = 'this server has no CUDA GPU: use "auto" (CUDA when present, the CPU otherwise) or "cpu".'


def cuda_available() -> bool:
    """Whether torch sees a CUDA device (it does not create a CUDA context)."""
    return torch.cuda.is_available()


def resolve_device(device: str) -> torch.device:
    """`auto` picks CUDA when available, else the CPU; `cuda` without a GPU is an error, never a
    silent CPU run (validation reports it as a problem on `/device` before a run exists)."""
    if device == "cuda" and not cuda_available():
        raise ValueError(NO_GPU)
    if device in ("auto", "cuda") and cuda_available():
        return torch.device("cuda", torch.cuda.current_device())
    return torch.device("cpu")


def describe_device(device: torch.device) -> str:
    """What a person reads in the status bar: `cpu`, or `cuda:0 NVIDIA H100 80GB HBM3`."""
    if device.type != "cuda":
        return device.type
    index = device.index if device.index is not None else torch.cuda.current_device()
    return f"cuda:{index} {torch.cuda.get_device_name(index)}"
