"""Feature maps and filters of a CNN, for one example."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from engine_specs import cnn_spec

from glassnet.engine import Trainer
from glassnet.engine.features import feature_maps


def test_feature_maps_are_the_conv_activations_of_the_example() -> None:
    trainer = Trainer(cnn_spec())
    maps = feature_maps(trainer.model, trainer.x_train, trainer.y_train, example=3)
    conv = trainer.model.layers[0]
    x = trainer.x_train[3:4]
    with torch.no_grad():
        a = torch.relu(F.conv2d(x, conv.weight, conv.bias))
        pooled = F.max_pool2d(a, 2)
    c1, p1 = maps["layers"]
    np.testing.assert_allclose(c1["maps"], a[0].reshape(-1).numpy(), atol=1e-12)
    np.testing.assert_allclose(c1["filters"], conv.weight.detach().reshape(-1).numpy())
    assert c1["shape"] == [3, 6, 6] and c1["filter_shape"] == [3, 1, 3, 3]
    assert p1["shape"] == [3, 3, 3]
    np.testing.assert_allclose(p1["maps"], pooled[0].reshape(-1).numpy(), atol=1e-12)
    assert maps["label"] == int(trainer.y_train[3].argmax())
    assert maps["input"]["shape"] == [1, 8, 8]


def test_feature_maps_do_not_change_training_mode() -> None:
    trainer = Trainer(cnn_spec())
    feature_maps(trainer.model, trainer.x_train, trainer.y_train, example=10_000)
    assert trainer.model.training
