"""Real handwritten-digit images shipped in data/files (sources and licences in ATTRIBUTION.md).

- digits: 1,797 UCI optical-recognition digits, 8×8, pixel counts 0..16.
- mnist: 5,000 MNIST digits (500 per class), 28×28, grey levels 0..255.

Pixels are scaled to [0, 1] by dividing by the format's maximum (16 or 255); labels are one-hot
over the ten digits. Images have shape [1, H, W] (one channel), or H·W when flattened.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
from numpy.typing import NDArray

from glassnet.data.raw import RawData
from glassnet.data.targets import one_hot


@dataclass(frozen=True)
class ImageSource:
    """One shipped CSV file: pixel columns row-major, then the label in the last column."""

    file: str
    side: int
    max_value: float
    description: str


SOURCES: dict[str, ImageSource] = {
    "digits": ImageSource(
        "digits.csv.gz",
        8,
        16.0,
        "8×8 handwritten digits (UCI optical recognition, 1,797 images), 10 classes.",
    ),
    "mnist": ImageSource(
        "mnist_5k.csv.gz",
        28,
        255.0,
        "28×28 MNIST handwritten digits (5,000 images, 500 per digit), 10 classes.",
    ),
}
N_CLASSES = 10


@lru_cache(maxsize=len(SOURCES))
def read(name: str) -> tuple[NDArray[np.uint8], NDArray[np.uint8]]:
    """Decode a shipped file once per process: (pixels [N, H·W] uint8, labels [N] uint8).

    The arrays are shared by every caller, so they are made read-only.
    """
    source = SOURCES[name]
    path = resources.files("glassnet.data").joinpath("files", source.file)
    with path.open("rb") as raw, gzip.open(raw, "rt") as text:
        table = np.loadtxt(text, delimiter=",", dtype=np.uint8)
    pixels, labels = table[:, :-1], table[:, -1]
    pixels.setflags(write=False)
    labels.setflags(write=False)
    return pixels, labels


def available(name: str) -> int:
    """Number of images that ship for `name`."""
    return int(read(name)[1].shape[0])


def build(name: str, n: int, rng: np.random.Generator) -> RawData:
    """`n` images drawn without replacement by `rng` (all of them, in random order, when n ≥ count)."""
    source = SOURCES[name]
    pixels, labels = read(name)
    chosen = rng.permutation(labels.shape[0])[:n]
    x = pixels[chosen].astype(np.float64) / source.max_value
    return RawData(
        x=x.reshape(-1, 1, source.side, source.side),
        y=one_hot(labels[chosen].astype(np.int64), N_CLASSES),
        task="multiclass",
        feature_names=["intensity"],
        target_names=[str(d) for d in range(N_CLASSES)],
        description=source.description,
        stats_axes=(0, 2, 3),
    )
