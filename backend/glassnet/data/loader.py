"""load(): data spec + seed -> Dataset (generate, split, preprocess)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from glassnet.data import (
    gates,
    images,
    init_experiment,
    power_plant,
    sequence_tables,
    sequences,
    tabular,
    toy2d,
)
from glassnet.data.catalog import DatasetInfo
from glassnet.data.dataset import Dataset, FloatArray
from glassnet.data.errors import DataError
from glassnet.data.preprocess import Scaler, fit
from glassnet.data.raw import RawData
from glassnet.data.spec import resolve, resolve_all
from glassnet.data.split import split_indices

Params = dict[str, Any]
Builder = Callable[[Params, np.random.Generator], RawData]


def _toy(name: str) -> Builder:
    return lambda p, rng: toy2d.build(
        name, p["n"], p["noise"], p["features"], p.get("classes", 2), rng
    )


def _gate(name: str) -> Builder:
    return lambda p, rng: gates.build(name)


def _images(name: str) -> Builder:
    return lambda p, rng: images.build(name, p["n"], rng)


# One builder per catalog entry; each gets the resolved parameters and the generation stream.
BUILDERS: dict[str, Builder] = {
    **{name: _toy(name) for name in toy2d.DESCRIPTIONS},
    **{name: _gate(name) for name in gates.TRUTH_TABLES},
    "power_plant": lambda p, rng: power_plant.build(p["variant"], p["target"]),
    "init_experiment": lambda p, rng: init_experiment.build(
        p["n"], p["n_features"], p["noise"], rng
    ),
    **{name: _images(name) for name in images.SOURCES},
    "inline": lambda p, rng: (
        sequence_tables.build_inline_sequences(p["inputs"], p["targets"], p["task"])
        if sequence_tables.is_sequence_array(p["inputs"])
        else tabular.build_inline(p["inputs"], p["targets"], p["task"])
    ),
    "csv": lambda p, rng: (
        tabular.build_csv(p["csv_text"], p["target_column"], p["task"])
        if p["sequence_column"] is None
        else sequence_tables.build_csv_sequences(
            p["csv_text"], p["target_column"], p["sequence_column"], p["sequence_target"], p["task"]
        )
    ),
    "sine": lambda p, rng: sequences.sine(p["n"], p["steps"], p["noise"], rng),
    "adding": lambda p, rng: sequences.adding(p["n"], p["steps"], rng),
    "long_lag": lambda p, rng: sequences.long_lag(p["n"], p["lag"], p["memory_task"], rng),
    "parity": lambda p, rng: sequences.parity(p["n"], p["steps"], rng),
    "text_chars": lambda p, rng: sequences.text_chars(p["n"], p["steps"], rng),
}


@dataclass(frozen=True, eq=False)
class Prepared:
    """Intermediate results shared by load() and preview()."""

    info: DatasetInfo
    params: Params
    raw: RawData
    train: np.ndarray
    val: np.ndarray


def prepare(data: Any, seed: int) -> Prepared:
    """Resolve the spec, generate all examples and choose the split (no scaling yet)."""
    info, params = resolve(data)
    data_seed = params["seed"] if params["seed"] is not None else seed
    # Separate streams: changing train_fraction must not change the generated examples.
    generate_seq, split_seq = np.random.SeedSequence(data_seed).spawn(2)
    raw = BUILDERS[info.name](params, np.random.default_rng(generate_seq))
    train, val = split_indices(
        raw.x.shape[0], params["train_fraction"], np.random.default_rng(split_seq), raw.keep_order
    )
    return Prepared(info, params, raw, train, val)


def load(data: Any, seed: int) -> Dataset:
    """Build the dataset a data spec names: `data` is a DataSpec model or a plain mapping.

    `seed` is the run's seed, used when the spec's own `seed` is null. The same spec and seed give
    identical arrays. Raises DataError (field + how to fix it) for any bad parameter or bad data.
    """
    prepared = prepare(data, seed)
    raw, params = prepared.raw, prepared.params
    scaler = fit(params["preprocess"], raw.x[prepared.train], raw.stats_axes)
    x_train = scaler.transform(raw.x[prepared.train])
    x_val = scaler.transform(raw.x[prepared.val])
    feature_names = raw.feature_names
    if params.get("flatten"):
        x_train = x_train.reshape(x_train.shape[0], -1)
        x_val = x_val.reshape(x_val.shape[0], *x_train.shape[1:])  # -1 cannot infer for 0 rows
        side = raw.x.shape[-1]
        feature_names = [f"r{r}c{c}" for r in range(side) for c in range(side)]
    return Dataset(
        name=prepared.info.name,
        x_train=x_train,
        y_train=raw.y[prepared.train],
        x_val=x_val,
        y_val=raw.y[prepared.val],
        input_shape=tuple(int(d) for d in x_train.shape[1:]),
        n_targets=int(raw.y.shape[-1]),
        target_shape=tuple(int(d) for d in raw.y.shape[1:]),
        task=raw.task,
        feature_names=list(feature_names),
        target_names=list(raw.target_names),
        description=raw.description,
        raw_2d_train=raw.points[prepared.train] if raw.points is not None else None,
        raw_2d_val=raw.points[prepared.val] if raw.points is not None else None,
        to_inputs=_grid_mapper(raw, scaler),
    )


def _grid_mapper(raw: RawData, scaler: Scaler) -> Callable[[FloatArray], FloatArray] | None:
    """Raw 2-D points -> network inputs, or None when the inputs are not 2-D points."""
    featurize = raw.featurize
    if raw.points is None or featurize is None:
        return None
    return lambda xy: scaler.transform(featurize(xy))


def check(data: Any, seed: int = 0) -> list[dict[str, str]]:
    """Every problem with a data spec as {"pointer": "/data/<field>", "message": ...}; never raises.

    Parameters are all checked; the data itself (CSV text, inline rows) is then built once to find
    the first problem in it.
    """
    _, _, errors = resolve_all(data)
    if not errors:
        try:
            load(data, seed)
        except DataError as error:
            errors = [error]
    return [{"pointer": error.pointer, "message": error.message} for error in errors]
