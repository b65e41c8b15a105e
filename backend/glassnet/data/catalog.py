"""Every dataset and its parameters: the one registry the loader, the API and the UI read.

A parameter left out of a data spec (or given as null) takes the default listed here for that
dataset; parameters that do not apply to a dataset are ignored.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from glassnet.data import gates, sequences, toy2d
from glassnet.data.preprocess import PREPROCESS_OPTIONS

ParamType = Literal["int", "float", "bool", "select", "multiselect", "text", "matrix", "column"]


@dataclass(frozen=True)
class Param:
    """One data-spec field as it applies to one dataset."""

    name: str
    type: ParamType
    default: Any
    description: str
    min: float | None = None
    max: float | None = None
    options: tuple[Any, ...] | None = None
    nullable: bool = False
    required: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form: name, type, default, min, max, options, nullable, required, description."""
        out = asdict(self)
        out["options"] = list(self.options) if self.options is not None else None
        return out


@dataclass(frozen=True)
class DatasetInfo:
    """A dataset: its name in the spec, a title, a group for the UI and its parameters."""

    name: str
    title: str
    group: str
    task: str
    description: str
    params: tuple[Param, ...]

    def param(self, name: str) -> Param | None:
        """The parameter called `name`, or None when it does not apply to this dataset."""
        return next((p for p in self.params if p.name == name), None)

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form, as served by /api/v1/catalog: every field, the params as Param.to_dict."""
        out = asdict(self)
        out["params"] = [p.to_dict() for p in self.params]
        return out


def _n(default: int, low: int, high: int, what: str = "examples") -> Param:
    return Param("n", "int", default, f"Number of {what}.", low, high)


def _digit_images(default: int, high: int, pixels: int) -> tuple[Param, ...]:
    """The parameters of a set of handwritten-digit images with `pixels` pixels each."""
    return (
        _n(default, 10, high, "images"),
        Param("flatten", "bool", False, f"Give each image as a flat vector of {pixels} pixels."),
        *_common(0.8),
    )


def _noise(description: str) -> Param:
    return Param("noise", "float", 0.0, description, 0.0, 50.0)


def _common(train_fraction: float) -> tuple[Param, ...]:
    return (
        Param(
            "train_fraction",
            "float",
            train_fraction,
            "Fraction of the examples used for training; the rest are the validation set.",
            0.01,
            1.0,
        ),
        Param(
            "preprocess",
            "select",
            "none",
            "Input scaling fitted on the training split only: none, min-max to [0, 1], or "
            "standardise to mean 0 and std 1 (images: per channel).",
            options=PREPROCESS_OPTIONS,
        ),
        Param(
            "seed",
            "int",
            None,
            "Seed for generating and splitting the data; null uses the run's seed.",
            0,
            2**31 - 1,
            nullable=True,
        ),
    )


FEATURES = Param(
    "features",
    "multiselect",
    ["x", "y"],
    "Network inputs computed from each point (x, y): x, y, x², y², x·y, sin x, sin y.",
    options=toy2d.FEATURE_NAMES,
)
CLASSES = Param("classes", "int", 2, "Number of clusters, one class each.", 2, 10)
TOY_NOISE = {
    "xor": "0-50 %. Each point is labelled as if moved by up to ±5·noise/100 per axis: "
    "mislabels points near the axes.",
    "circle": "0-50 %. Each point is labelled as if moved by up to ±5·noise/100 per axis: "
    "blurs the circle's edge.",
    "spiral": "0-50 %. Each point is moved by up to ±noise/100 per axis.",
    "gaussian": "0-50 %. Cluster variance grows from 0.5 (noise 0) to 4 (noise 50).",
    "moons": "0-50 %. Gaussian jitter with standard deviation 3·noise/100 (3 = the moon radius).",
    "linear": "0-50 %. Each point is labelled as if moved by up to ±5·noise/100 per axis: "
    "mislabels points near the line.",
}
TOY_TITLES = {
    "xor": "XOR (quadrants)",
    "circle": "Circle",
    "spiral": "Spiral",
    "gaussian": "Gaussian clusters",
    "moons": "Moons",
    "linear": "Linearly separable",
}
TOY_DATA_MAX_N = 10_000


def _toy(name: str) -> DatasetInfo:
    extra = (CLASSES,) if name == "gaussian" else ()
    return DatasetInfo(
        name,
        TOY_TITLES[name],
        "2-D toy",
        "binary",
        toy2d.DESCRIPTIONS[name],
        (
            _n(500, 10, TOY_DATA_MAX_N, "points"),
            _noise(TOY_NOISE[name]),
            FEATURES,
            *extra,
            *_common(0.5),
        ),
    )


def _gate(name: str) -> DatasetInfo:
    title = {"and": "AND gate", "or": "OR gate", "xor_gate": "XOR gate"}[name]
    return DatasetInfo(name, title, "logic gate", "binary", gates.DESCRIPTIONS[name], _common(1.0))


TASK = Param(
    "task",
    "select",
    "regression",
    "regression: numeric target; binary: two classes as one 0/1 column; multiclass: one-hot.",
    options=("regression", "binary", "multiclass"),
)

DATASETS: tuple[DatasetInfo, ...] = (
    *(_toy(name) for name in ("xor", "circle", "spiral", "gaussian", "moons", "linear")),
    *(_gate(name) for name in ("and", "or", "xor_gate")),
    DatasetInfo(
        "power_plant",
        "Power plant (lecture table)",
        "lecture table",
        "regression",
        "The lecture's 4 power-plant rows: temperature and humidity -> electrical output.",
        (
            Param(
                "variant",
                "select",
                "normalized",
                "normalized: Table 3 (range-normalised, 2 decimals); raw: Table 1 (°C, %, MW).",
                options=("normalized", "raw"),
            ),
            Param(
                "target",
                "select",
                "value",
                "value: the output column (1 target); onehot: low/medium/high bins of the "
                "normalised output (<= 0.33, <= 0.66, above) for the softmax example.",
                options=("value", "onehot"),
            ),
            *_common(1.0),
        ),
    ),
    DatasetInfo(
        "init_experiment",
        "Weight-initialisation data",
        "synthetic",
        "regression",
        "Random standardised inputs (each column mean 0, std 1) and a regression target.",
        (
            _n(100, 2, 10_000),
            Param("n_features", "int", 2, "Number of input columns.", 1, 1024),
            _noise(
                "0-50 %. Gaussian noise added to the linear target, with standard deviation "
                "noise/100 of the noise-free target's."
            ),
            *_common(1.0),
        ),
    ),
    DatasetInfo(
        "digits",
        "Digits 8×8",
        "images",
        "multiclass",
        "1,797 real 8×8 handwritten digits (UCI), pixels scaled to [0, 1], 10 classes.",
        _digit_images(1797, 1797, 64),
    ),
    DatasetInfo(
        "mnist",
        "MNIST 28×28",
        "images",
        "multiclass",
        "Up to 5,000 real 28×28 MNIST digits, pixels scaled to [0, 1], 10 classes.",
        _digit_images(1000, 5000, 784),
    ),
    DatasetInfo(
        "inline",
        "Rows typed in",
        "your data",
        "regression",
        "Input rows and target rows given in the spec, e.g. the lecture's tables.",
        (
            Param(
                "inputs",
                "matrix",
                None,
                "Input rows, e.g. [[0.04, 0.81], [0.84, 0.58]]; sequences as "
                "[sequences][steps][values].",
                required=True,
            ),
            Param(
                "targets",
                "matrix",
                None,
                "One target row per input row; multiclass also takes class numbers.",
                required=True,
            ),
            TASK,
            *_common(1.0),
        ),
    ),
    DatasetInfo(
        "csv",
        "CSV table",
        "your data",
        "regression",
        "A CSV table: a header row, numeric input columns and one target column.",
        (
            Param(
                "csv_text",
                "text",
                None,
                "The CSV text (comma, semicolon or tab separated).",
                required=True,
            ),
            Param(
                "target_column",
                "column",
                None,
                "Target column: its header name or index (0 = first, -1 = last); null = last.",
                nullable=True,
            ),
            Param(
                "sequence_column",
                "column",
                None,
                "Sequences: the column holding a sequence id; rows sharing an id are the steps "
                "of one sequence, in order. null: one row per example.",
                nullable=True,
            ),
            Param(
                "sequence_target",
                "select",
                "every_step",
                "Sequences: read the target at every step, or from each sequence's last row.",
                options=("every_step", "last_step"),
            ),
            TASK,
            *_common(0.8),
        ),
    ),
)
STEPS = Param("steps", "int", 20, "Steps T per sequence.", 2, 200)


def _sequence(name: str, title: str, task: str, *params: Param) -> DatasetInfo:
    return DatasetInfo(
        name, title, "sequences", task, sequences.DESCRIPTIONS[name], (*params, *_common(0.8))
    )


SEQUENCE_DATASETS: tuple[DatasetInfo, ...] = (
    _sequence(
        "sine",
        "Sine forecasting",
        "regression",
        _n(200, 10, 5000, "sequences"),
        STEPS,
        _noise("0-50 %. Gaussian noise of standard deviation noise/100 on the inputs only."),
    ),
    _sequence("adding", "Adding problem", "regression", _n(1000, 10, 10_000, "sequences"), STEPS),
    _sequence(
        "long_lag",
        "Long-lag memory",
        "binary",
        _n(500, 10, 10_000, "sequences"),
        Param(
            "lag",
            "int",
            10,
            "Steps between the symbol to remember and the answer.",
            1,
            200,
        ),
        Param(
            "memory_task",
            "select",
            "first_symbol",
            "first_symbol: remember the symbol at step 1 (two classes); temporal_order: the "
            "order of two marked symbols (four classes).",
            options=("first_symbol", "temporal_order"),
        ),
    ),
    _sequence("parity", "Bit parity", "binary", _n(1000, 10, 10_000, "sequences"), STEPS),
    _sequence(
        "text_chars",
        "Next character (Alice)",
        "multiclass",
        _n(500, 10, 5000, "windows"),
        Param("steps", "int", 25, "Characters per window.", 2, 200),
    ),
)
DATASETS = (*DATASETS, *SEQUENCE_DATASETS)
BY_NAME: dict[str, DatasetInfo] = {info.name: info for info in DATASETS}


def catalog() -> list[dict[str, Any]]:
    """Every dataset with its parameters (name, type, default, min, max, options, description)."""
    return [info.to_dict() for info in DATASETS]
