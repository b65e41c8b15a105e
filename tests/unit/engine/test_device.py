"""Devices: `auto` takes CUDA when present, `cuda` without a GPU is refused, and every frame says
where the run trains."""

from __future__ import annotations

import pytest
import torch
from engine_specs import dense_spec

from glassnet.engine import Trainer, device, validate
from glassnet.engine.errors import SpecError


@pytest.fixture
def no_gpu(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(device, "cuda_available", lambda: False)


def test_auto_trains_on_the_cpu_when_the_server_has_no_gpu(no_gpu: None) -> None:
    assert device.resolve_device("auto") == torch.device("cpu")


def test_cuda_without_a_gpu_is_an_error_not_a_silent_cpu_run(no_gpu: None) -> None:
    with pytest.raises(ValueError, match="no CUDA GPU"):
        device.resolve_device("cuda")


def test_validation_reports_cuda_without_a_gpu_on_the_device_field(no_gpu: None) -> None:
    spec, problems, _ = validate({**dense_spec([3, 1]), "device": "cuda"})
    assert spec is None
    assert [(p.pointer, p.message) for p in problems] == [("/device", device.NO_GPU)]


def test_a_trainer_asked_for_cuda_without_a_gpu_raises_a_spec_error(no_gpu: None) -> None:
    with pytest.raises(SpecError) as raised:
        Trainer({**dense_spec([3, 1]), "device": "cuda"})
    assert raised.value.problems[0].pointer == "/device"


def test_every_frame_names_the_device_the_run_trains_on() -> None:
    trainer = Trainer({**dense_spec([3, 1]), "device": "cpu"})
    trainer.step()
    assert trainer.snapshot()["device"] == "cpu"


def test_a_cuda_device_is_described_with_its_index_and_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(torch.cuda, "current_device", lambda: 0)
    monkeypatch.setattr(torch.cuda, "get_device_name", lambda i: f"GPU number {i}")
    assert device.describe_device(torch.device("cuda", 0)) == "cuda:0 GPU number 0"
    assert device.describe_device(torch.device("cpu")) == "cpu"
