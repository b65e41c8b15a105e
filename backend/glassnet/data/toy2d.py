"""2-D toy classification sets in the spirit of TensorFlow Playground (src/dataset.ts).

Points lie in about [-6, 6]², as in the playground. The spec's `noise` is the playground's slider,
0 to 50 (percent); the generators below take the playground's internal value noise / 100 (0–0.5),
which means, per set:

- xor, circle, linear: points are drawn clean, but each is labelled as if it sat at a position
  shifted by up to ±5·noise on each axis, so noise mislabels points near the boundary without
  moving them;
- spiral: each point is displaced by up to ±noise on each axis;
- gaussian: the variance of every cluster grows linearly from 0.5 (noise 0) to 4 (noise 0.5);
- moons: Gaussian jitter with standard deviation 3·noise (3 is the moon radius), i.e. the noise of
  scikit-learn's make_moons in moon-radius units.

Binary labels are 0/1 (the playground's -1 is 0 here); gaussian with more than two classes gives
class indices 0..K-1.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from glassnet.data.dataset import FloatArray, Task
from glassnet.data.raw import RawData
from glassnet.data.targets import binary_column, one_hot

IntArray = NDArray[np.int64]
Generator2D = Callable[[int, float, np.random.Generator], tuple[FloatArray, IntArray]]

# Network input features computed from a point (x, y); names as in the DataSpec.
FEATURES: dict[str, Callable[[FloatArray, FloatArray], FloatArray]] = {
    "x": lambda x, y: x,
    "y": lambda x, y: y,
    "x2": lambda x, y: x * x,
    "y2": lambda x, y: y * y,
    "xy": lambda x, y: x * y,
    "sin_x": lambda x, y: np.sin(x),
    "sin_y": lambda x, y: np.sin(y),
}
FEATURE_NAMES: tuple[str, ...] = tuple(FEATURES)

# Clean points stay at least this far from the xor and linear boundaries, as in the playground.
PADDING = 0.3


def featurize(points: FloatArray, features: list[str]) -> FloatArray:
    """Expand [M, 2] points into [M, F] input features, in the canonical FEATURE_NAMES order."""
    x, y = points[:, 0], points[:, 1]
    chosen = [name for name in FEATURE_NAMES if name in features]
    return np.stack([FEATURES[name](x, y) for name in chosen], axis=1)


def _halves(n: int) -> tuple[int, int]:
    return n // 2, n - n // 2


def xor(n: int, noise: float, rng: np.random.Generator) -> tuple[FloatArray, IntArray]:
    """Four quadrants; label 1 where x·y ≥ 0 (first and third quadrant)."""
    points = rng.uniform(-5, 5, size=(n, 2))
    points += np.where(points > 0, PADDING, -PADDING)
    shifted = points + rng.uniform(-5, 5, size=(n, 2)) * noise
    labels = (shifted[:, 0] * shifted[:, 1] >= 0).astype(np.int64)
    return points, labels


def circle(n: int, noise: float, rng: np.random.Generator) -> tuple[FloatArray, IntArray]:
    """A disc of radius 2.5 (label 1) inside a ring from 3.5 to 5 (label 0)."""
    radius = 5.0
    n_in, n_out = _halves(n)
    r = np.concatenate(
        [rng.uniform(0, radius * 0.5, n_in), rng.uniform(radius * 0.7, radius, n_out)]
    )
    angle = rng.uniform(0, 2 * np.pi, n)
    points = np.stack([r * np.sin(angle), r * np.cos(angle)], axis=1)
    shifted = points + rng.uniform(-radius, radius, size=(n, 2)) * noise
    labels = (np.hypot(shifted[:, 0], shifted[:, 1]) < radius * 0.5).astype(np.int64)
    return points, labels


def spiral(n: int, noise: float, rng: np.random.Generator) -> tuple[FloatArray, IntArray]:
    """Two interleaved spiral arms of radius 5 (label 1 and label 0), 1.75 turns each."""
    arms = []
    for count, delta, label in zip(_halves(n), (0.0, np.pi), (1, 0), strict=True):
        i = np.arange(count)
        r = i / max(count, 1) * 5
        t = 1.75 * i / max(count, 1) * 2 * np.pi + delta
        xy = np.stack([r * np.sin(t), r * np.cos(t)], axis=1)
        xy += rng.uniform(-1, 1, size=(count, 2)) * noise
        arms.append((xy, np.full(count, label, dtype=np.int64)))
    return np.concatenate([a[0] for a in arms]), np.concatenate([a[1] for a in arms])


def gaussian(
    n: int, noise: float, rng: np.random.Generator, classes: int = 2
) -> tuple[FloatArray, IntArray]:
    """`classes` Gaussian clusters on a circle; two classes sit at (-2, -2) (0) and (2, 2) (1)."""
    variance = 0.5 + 7.0 * noise
    # More clusters need a wider circle to stay apart inside [-6, 6].
    radius = 2 * np.sqrt(2) if classes == 2 else 4.0
    counts = np.full(classes, n // classes)
    counts[: n % classes] += 1
    labels = np.repeat(np.arange(classes, dtype=np.int64), counts)
    angles = 1.25 * np.pi + 2 * np.pi * labels / classes
    centres = radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    points = centres + rng.normal(0, np.sqrt(variance), size=(n, 2))
    return points, labels


def moons(n: int, noise: float, rng: np.random.Generator) -> tuple[FloatArray, IntArray]:
    """Two interleaving half circles of radius 3 (upper label 0, lower label 1)."""
    scale = 3.0
    n_upper, n_lower = _halves(n)
    t_upper = rng.uniform(0, np.pi, n_upper)
    t_lower = rng.uniform(0, np.pi, n_lower)
    upper = np.stack([np.cos(t_upper), np.sin(t_upper)], axis=1)
    lower = np.stack([1 - np.cos(t_lower), 0.5 - np.sin(t_lower)], axis=1)
    points = (np.concatenate([upper, lower]) - [0.5, 0.25]) * scale
    points += rng.normal(0, noise * scale, size=(n, 2))
    labels = np.concatenate([np.zeros(n_upper, np.int64), np.ones(n_lower, np.int64)])
    return points, labels


def linear(n: int, noise: float, rng: np.random.Generator) -> tuple[FloatArray, IntArray]:
    """Uniform points split by the line x + y = 0; label 1 above it."""
    points = rng.uniform(-5, 5, size=(n, 2))
    side = np.where(points.sum(axis=1) >= 0, 1.0, -1.0)
    points += (side * PADDING / np.sqrt(2))[:, None]
    shifted = points + rng.uniform(-5, 5, size=(n, 2)) * noise
    labels = (shifted.sum(axis=1) >= 0).astype(np.int64)
    return points, labels


GENERATORS: dict[str, Generator2D] = {
    "xor": xor,
    "circle": circle,
    "spiral": spiral,
    "moons": moons,
    "linear": linear,
}


def build(
    dataset: str, n: int, noise: float, features: list[str], classes: int, rng: np.random.Generator
) -> RawData:
    """Generate one toy set (`noise` in percent, 0-50) and expand its points into features."""
    fraction = noise / 100
    if dataset == "gaussian":
        points, labels = gaussian(n, fraction, rng, classes)
    else:
        points, labels = GENERATORS[dataset](n, fraction, rng)
        classes = 2
    names = [name for name in FEATURE_NAMES if name in features]
    task: Task
    if classes == 2:
        y, task, target_names = binary_column(labels), "binary", ["label"]
    else:
        y, task = one_hot(labels, classes), "multiclass"
        target_names = [f"class {k}" for k in range(classes)]
    return RawData(
        x=featurize(points, names),
        y=y,
        task=task,
        feature_names=names,
        target_names=target_names,
        description=DESCRIPTIONS[dataset],
        points=points,
        featurize=lambda p: featurize(p, names),
    )


DESCRIPTIONS: dict[str, str] = {
    "xor": "Four quadrants: opposite corners share a class; needs a hidden layer or the xy feature.",
    "circle": "A disc of one class inside a ring of the other; needs x², y² or a hidden layer.",
    "spiral": "Two interleaved spiral arms; the hardest toy set, needs depth or sin features.",
    "gaussian": "Gaussian clusters, one per class; linearly separable at low noise.",
    "moons": "Two interleaving half circles; a curved boundary.",
    "linear": "Uniform points split by the line x + y = 0; one neuron is enough.",
}
