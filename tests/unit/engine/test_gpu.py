"""The engine on CUDA: the same numbers as on the CPU, summaries computed on the GPU, the device named.

Marked `gpu`; skipped on a machine without a CUDA GPU (`pytest -m gpu` runs them where there is one).
"""

from __future__ import annotations

import math

import pytest
import torch
from engine_specs import cnn_spec, dense_spec

from glassnet.engine import Trainer

pytestmark = [
    pytest.mark.gpu,
    pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA GPU on this machine"),
]


def _trained(spec: dict, device: str, steps: int = 5) -> Trainer:
    trainer = Trainer({**spec, "device": device, "dtype": "float64"})
    trainer.step(steps - 1)
    trainer.step(capture=True)
    return trainer


@pytest.mark.parametrize("spec", [dense_spec([8, 8, 1]), cnn_spec()], ids=["mlp", "cnn"])
def test_float64_training_on_cuda_equals_the_cpu(spec: dict) -> None:
    cpu, gpu = _trained(spec, "cpu"), _trained(spec, "cuda")
    for name, value in cpu.export_state_dict().items():
        assert torch.allclose(value, gpu.export_state_dict()[name], rtol=0, atol=1e-9), name


def test_a_cuda_frame_names_the_gpu_and_summarises_like_the_cpu() -> None:
    cpu_frame = _trained(cnn_spec(), "cpu").snapshot()
    gpu_frame = _trained(cnn_spec(), "cuda").snapshot()
    assert gpu_frame["device"].startswith("cuda:0 ")
    for cpu_layer, gpu_layer in zip(cpu_frame["layers"], gpu_frame["layers"], strict=True):
        for quantity in ("W", "z", "a", "delta"):
            for stat in ("mean", "std", "min", "max"):
                got, want = gpu_layer[quantity]["stats"][stat], cpu_layer[quantity]["stats"][stat]
                assert math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-12), (quantity, stat)
    assert gpu_frame["feature_maps"] is not None
