"""Sequence datasets for recurrent networks, generated on the fly (the text ships in data/files).

Inputs are [N, T, F] (T steps of F features); targets are [N, T, out] (a target at every step) or
[N, out] (one target after the last step).
"""

from __future__ import annotations

from importlib import resources

import numpy as np

from glassnet.data.raw import RawData

TEXT_FILE = "alice_chapter1.txt"
SEQUENCE_AXES = (0, 1)  # preprocessing statistics per feature, over examples and steps

DESCRIPTIONS = {
    "sine": "Sine waves of random phase and frequency: predict the next value at every step.",
    "adding": "The adding problem: two of T random numbers are marked; predict their sum after "
    "the last step.",
    "long_lag": "Long-lag memory (Hochreiter & Schmidhuber 1997): the class is the symbol at step "
    "1 (remember the first symbol) or the order of two marked symbols (temporal order), shown "
    "`lag` steps before the answer among random distractors.",
    "parity": "Bit parity: after T random bits, is the number of ones odd?",
    "text_chars": "Next-character prediction on the opening of Alice's Adventures in Wonderland "
    "(public domain): one-hot characters, the next character is the target at every step.",
}


def _one_hot(indices: np.ndarray, size: int) -> np.ndarray:
    return np.eye(size, dtype=np.float64)[indices]


def sine(n: int, steps: int, noise: float, rng: np.random.Generator) -> RawData:
    """x_t = sin(ω t + φ) (+ noise), target x_{t+1} noise-free, at every step."""
    phase = rng.uniform(0, 2 * np.pi, size=(n, 1))
    omega = rng.uniform(0.15, 0.45, size=(n, 1))
    t = np.arange(steps + 1)[None, :]
    wave = np.sin(omega * t + phase)
    x = wave[:, :-1] + rng.normal(0, noise / 100, size=(n, steps))
    return RawData(
        x=x[:, :, None],
        y=wave[:, 1:, None],
        task="regression",
        feature_names=["x_t"],
        target_names=["x_(t+1)"],
        description=DESCRIPTIONS["sine"],
        stats_axes=SEQUENCE_AXES,
    )


def adding(n: int, steps: int, rng: np.random.Generator) -> RawData:
    """Feature 0: a number in [0, 1]; feature 1: 1 at the two marked steps. Target: their sum."""
    values = rng.uniform(0, 1, size=(n, steps))
    marks = np.zeros((n, steps))
    first = rng.integers(0, max(steps // 2, 1), size=n)
    second = rng.integers(steps // 2, steps, size=n)
    second = np.where(second == first, (first + 1) % steps, second)
    rows = np.arange(n)
    marks[rows, first] = 1.0
    marks[rows, second] = 1.0
    target = (values * marks).sum(axis=1, keepdims=True)
    return RawData(
        x=np.stack([values, marks], axis=2),
        y=target,
        task="regression",
        feature_names=["value", "marker"],
        target_names=["sum"],
        description=DESCRIPTIONS["adding"],
        stats_axes=SEQUENCE_AXES,
    )


def long_lag(n: int, lag: int, task: str, rng: np.random.Generator) -> RawData:
    """first_symbol: step 1 shows A or B (channels 0, 1), then `lag` distractor steps (channels
    2–3); binary target A = 0, B = 1. temporal_order: X or Y (channels 0, 1) appear at two steps,
    the second `lag` steps before the end, among distractors (channels 2–5); the four orders XX,
    XY, YX, YY are the classes."""
    if task == "first_symbol":
        steps = lag + 1
        symbol = rng.integers(0, 2, size=n)
        channels = 2 + rng.integers(0, 2, size=(n, steps))
        channels[:, 0] = symbol
        return RawData(
            x=_one_hot(channels, 4),
            y=symbol[:, None].astype(np.float64),
            task="binary",
            feature_names=["A", "B", "d1", "d2"],
            target_names=["A", "B"],
            description=DESCRIPTIONS["long_lag"],
            stats_axes=SEQUENCE_AXES,
        )
    steps = lag + 2
    channels = 2 + rng.integers(0, 4, size=(n, steps))
    first_at = rng.integers(0, 2, size=n)
    second_at = np.full(n, steps - 1 - lag)
    second_at = np.maximum(second_at, first_at + 1)
    a, b = rng.integers(0, 2, size=n), rng.integers(0, 2, size=n)
    rows = np.arange(n)
    channels[rows, first_at] = a
    channels[rows, second_at] = b
    return RawData(
        x=_one_hot(channels, 6),
        y=_one_hot(2 * a + b, 4),
        task="multiclass",
        feature_names=["X", "Y", "d1", "d2", "d3", "d4"],
        target_names=["XX", "XY", "YX", "YY"],
        description=DESCRIPTIONS["long_lag"],
        stats_axes=SEQUENCE_AXES,
    )


def parity(n: int, steps: int, rng: np.random.Generator) -> RawData:
    """T random bits (feature 0); the target is 1 when an odd number of them are 1."""
    bits = rng.integers(0, 2, size=(n, steps)).astype(np.float64)
    return RawData(
        x=bits[:, :, None],
        y=(bits.sum(axis=1, keepdims=True) % 2),
        task="binary",
        feature_names=["bit"],
        target_names=["even", "odd"],
        description=DESCRIPTIONS["parity"],
        stats_axes=SEQUENCE_AXES,
    )


def text() -> str:
    """The shipped public-domain text."""
    path = resources.files("glassnet.data").joinpath("files", TEXT_FILE)
    return path.read_text(encoding="utf-8")


def vocabulary(source: str) -> list[str]:
    """The text's distinct characters, sorted: index k is one-hot channel k."""
    return sorted(set(source))


def text_chars(n: int, steps: int, rng: np.random.Generator) -> RawData:
    """n windows of T characters at random offsets; the target at step t is character t + 1."""
    source = text()
    vocab = vocabulary(source)
    index = {ch: k for k, ch in enumerate(vocab)}
    codes = np.array([index[ch] for ch in source])
    starts = rng.integers(0, len(codes) - steps - 1, size=n)
    windows = codes[starts[:, None] + np.arange(steps + 1)[None, :]]
    return RawData(
        x=_one_hot(windows[:, :-1], len(vocab)),
        y=_one_hot(windows[:, 1:], len(vocab)),
        task="multiclass",
        feature_names=[repr(ch) for ch in vocab],
        target_names=vocab,
        description=DESCRIPTIONS["text_chars"],
        stats_axes=SEQUENCE_AXES,
    )
