"""User sequences: inline [N][T][F] arrays, and CSV tables with one row per step.

A CSV sequence table has a sequence id column: the rows that share an id form one sequence, in
the order they appear. Every sequence must have the same number of steps. The target is read at
every step (`sequence_target: "every_step"`, targets [N, T, 1]) or from each sequence's last row
(`"last_step"`, targets [N, 1]).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from glassnet.data.dataset import FloatArray, Task
from glassnet.data.errors import DataError
from glassnet.data.raw import RawData
from glassnet.data.sequences import SEQUENCE_AXES
from glassnet.data.tabular import _cell_value, _class_targets, _read_rows, _target_index

SequenceTarget = str  # "every_step" or "last_step"


def is_sequence_array(value: Any) -> bool:
    """True for inline inputs given as sequences: a list of lists of lists."""
    return (
        isinstance(value, list)
        and bool(value)
        and isinstance(value[0], list)
        and bool(value[0])
        and isinstance(value[0][0], list)
    )


def _array(field: str, value: Any) -> FloatArray:
    """A rectangular [N, T, k] (or [N, k]) array of finite numbers, or a DataError saying where."""
    try:
        array = np.array(value, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise DataError(
            field,
            f"the {field} are ragged or not numbers; give every sequence the same number of "
            "steps and every step the same number of values",
        ) from error
    if array.ndim not in (2, 3) or array.size == 0:
        raise DataError(field, f"give {field} as [sequences][steps][values]")
    if not np.isfinite(array).all():
        raise DataError(field, f"the {field} hold a value that is not a finite number")
    return array


def build_inline_sequences(inputs: Any, targets: Any, task: Task) -> RawData:
    """Sequences typed into the spec: inputs [N][T][F], targets [N][T][out] or [N][out]."""
    x = _array("inputs", inputs)
    y = _array("targets", targets)
    if x.ndim != 3:
        raise DataError("inputs", "give sequence inputs as [sequences][steps][values]")
    if y.shape[0] != x.shape[0]:
        raise DataError(
            "targets",
            f"there are {y.shape[0]} target sequences for {x.shape[0]} input sequences; give one "
            "per input sequence",
        )
    if y.ndim == 3 and y.shape[1] != x.shape[1]:
        raise DataError(
            "targets",
            f"the targets have {y.shape[1]} steps but the inputs {x.shape[1]}; give a target at "
            "every step, or one target row per sequence",
        )
    if task != "regression" and not np.isin(y, (0.0, 1.0)).all():
        raise DataError("targets", "class targets are 0/1 (binary) or one-hot rows (multiclass)")
    return RawData(
        x=x,
        y=y,
        task=task,
        feature_names=[f"x{k + 1}" for k in range(x.shape[2])],
        target_names=[f"t{k + 1}" for k in range(y.shape[-1])],
        description="Sequences given in the spec.",
        keep_order=True,
        stats_axes=SEQUENCE_AXES,
    )


def build_csv_sequences(
    csv_text: Any,
    target_column: Any,
    sequence_column: Any,
    sequence_target: SequenceTarget,
    task: Task,
) -> RawData:
    """One row per step; rows sharing the `sequence_column` value form one sequence."""
    header, rows = _read_rows(csv_text)
    target = _target_index(target_column, header)
    seq = _target_index(sequence_column, header)
    if seq == target:
        raise DataError(
            "sequence_column", "the sequence id column cannot also be the target column"
        )
    inputs = [k for k in range(len(header)) if k not in (target, seq)]
    if not inputs:
        raise DataError("csv_text", "give at least one input column beside the id and the target")
    groups: dict[str, list[int]] = {}
    for i, (_, cells) in enumerate(rows):
        groups.setdefault(cells[seq], []).append(i)
    lengths = {key: len(members) for key, members in groups.items()}
    first_key = next(iter(groups))
    for key, length in lengths.items():
        if length != lengths[first_key]:
            raise DataError(
                "csv_text",
                f"sequence '{key}' has {length} steps but sequence '{first_key}' has "
                f"{lengths[first_key]}; every sequence needs the same number of steps (pad or "
                "trim them, or split long ones)",
            )
    if len(groups) < 2:
        raise DataError("sequence_column", "the table holds one sequence; give at least two")
    x = np.array(
        [
            [
                [_cell_value(rows[i][1][k], header[k], i + 1, rows[i][0]) for k in inputs]
                for i in members
            ]
            for members in groups.values()
        ]
    )
    column = header[target]
    picked = [
        members if sequence_target == "every_step" else members[-1:] for members in groups.values()
    ]
    flat = [i for members in picked for i in members]
    y: FloatArray
    if task == "regression":
        values = np.array(
            [_cell_value(rows[i][1][target], column, i + 1, rows[i][0]) for i in flat]
        )
        y, target_names = values.reshape(-1, 1), [column]
    else:
        y, target_names = _class_targets(
            "target_column", [rows[i][1][target] for i in flat], task, column
        )
    steps = len(picked[0])
    y = y.reshape(len(groups), steps, -1) if sequence_target == "every_step" else y
    return RawData(
        x=x,
        y=y,
        task=task,
        feature_names=[header[k] for k in inputs],
        target_names=target_names,
        description=f"CSV sequences: {len(groups)} sequences of {x.shape[1]} steps, "
        f"{len(inputs)} input column(s), target '{column}' ({sequence_target.replace('_', ' ')}).",
        keep_order=True,
        stats_axes=SEQUENCE_AXES,
    )
