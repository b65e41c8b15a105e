"""User tables: `inline` rows typed into the spec, and `csv` text.

Both give numeric inputs and a target that is a regression value by default, or a class when the
spec says `task: "binary"` (one 0/1 column) or `task: "multiclass"` (one-hot). Every problem raises
a DataError naming the field, and for CSV the column and row, and saying how to fix it.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from glassnet.data.dataset import FloatArray, Task
from glassnet.data.errors import DataError
from glassnet.data.raw import RawData
from glassnet.data.targets import binary_column, one_hot
from shared_schemas.base import MAX_ABS_VALUE

MIN_ROWS = 2
MAX_CLASSES = 100
MISSING = {"", "na", "n/a", "nan", "null", "none", "?", "-"}
DELIMITERS = (",", ";", "\t")


def _number(value: Any) -> float | None:
    """The value as a finite float, or None when it is not a number."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _matrix(field: str, value: Any) -> FloatArray:
    """A list of numeric rows (or a flat list, one value per row) as an [N, k] array."""
    example = "a list of rows such as [[0, 1], [1, 0]]"
    if not isinstance(value, Sequence) or isinstance(value, str) or len(value) == 0:
        raise DataError(field, f"give {example}")
    rows = [
        row if isinstance(row, Sequence) and not isinstance(row, str) else [row] for row in value
    ]
    width = len(rows[0])
    for i, row in enumerate(rows, start=1):
        if len(row) != width or width == 0:
            raise DataError(
                field,
                f"row {i} has {len(row)} values but row 1 has {width}; every row needs the same "
                "number of values",
            )
        for j, cell in enumerate(row, start=1):
            if _number(cell) is None:
                raise DataError(
                    field, f"row {i}, value {j} is {cell!r}, not a finite number; type a number"
                )
    return np.array(rows, dtype=np.float64)


def _class_targets(
    field: str, labels: list[str], task: Task, column: str
) -> tuple[FloatArray, list[str]]:
    """Encode class labels (numbers or words) as 0/1 (binary) or one-hot (multiclass)."""
    # Numeric labels are compared as numbers, so "1" and "1.0" are one class.
    numeric = all(_parse(label) is not None for label in labels)
    keys: list[Any] = [float(label) for label in labels] if numeric else labels
    classes = sorted(set(keys))
    names = [f"{c:g}" if numeric else c for c in classes]
    if len(classes) < 2:
        raise DataError(
            field, f"the target '{column}' has only one value; a class target needs two"
        )
    if task == "binary":
        if len(classes) > 2:
            raise DataError(
                field,
                f"the target '{column}' has {len(classes)} different values but a binary target "
                'has two; use task "multiclass" (or "regression" for a number)',
            )
        index = {label: k for k, label in enumerate(classes)}
        return binary_column(np.array([index[v] for v in keys])), [f"{column}={names[1]}"]
    if len(classes) > MAX_CLASSES:
        raise DataError(
            field,
            f"the target '{column}' has {len(classes)} different values, more than {MAX_CLASSES} "
            'classes; use task "regression" for a numeric target',
        )
    index = {label: k for k, label in enumerate(classes)}
    encoded = one_hot(np.array([index[v] for v in keys]), len(classes))
    return encoded, [f"{column}={name}" for name in names]


def build_inline(inputs: Any, targets: Any, task: Task) -> RawData:
    """Rows typed into the spec; with task "multiclass" targets are one-hot rows or class indices."""
    x = _matrix("inputs", inputs)
    y = _matrix("targets", targets)
    if y.shape[0] != x.shape[0]:
        raise DataError(
            "targets",
            f"there are {y.shape[0]} target rows for {x.shape[0]} input rows; give one target row "
            "per input row",
        )
    target_names = [f"t{k + 1}" for k in range(y.shape[1])]
    if task == "binary" and (y.shape[1] != 1 or not np.isin(y, (0.0, 1.0)).all()):
        raise DataError("targets", "a binary target is one column of 0s and 1s, e.g. [[0], [1]]")
    if task == "multiclass":
        y, target_names = _inline_classes(y)
    feature_names = [f"x{k + 1}" for k in range(x.shape[1])]
    return _table(x, y, task, feature_names, target_names, "Rows given in the spec.")


def _inline_classes(y: FloatArray) -> tuple[FloatArray, list[str]]:
    if y.shape[1] > 1:
        if not (np.isin(y, (0.0, 1.0)).all() and (y.sum(axis=1) == 1).all()):
            raise DataError(
                "targets",
                "multiclass targets are one-hot rows (a single 1 per row) or class numbers",
            )
        return y, [f"class {k}" for k in range(y.shape[1])]
    if not (y == np.round(y)).all() or y.min() < 0 or y.max() >= MAX_CLASSES:
        raise DataError(
            "targets", f"class numbers must be whole numbers 0, 1, 2, ... below {MAX_CLASSES}"
        )
    n_classes = max(2, int(y.max()) + 1)
    return one_hot(y[:, 0].astype(np.int64), n_classes), [f"class {k}" for k in range(n_classes)]


def _parse(cell: str) -> float | None:
    try:
        return float(cell)
    except ValueError:
        return None


def _delimiter(first_line: str) -> str:
    counts = [first_line.count(d) for d in DELIMITERS]
    return DELIMITERS[counts.index(max(counts))] if max(counts) > 0 else ","


def _read_rows(csv_text: Any) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header names and (line number, cells) of every non-blank data row."""
    if not isinstance(csv_text, str) or not csv_text.strip():
        raise DataError(
            "csv_text", "paste CSV text: a header row of column names, then one row per example"
        )
    lines = csv_text.splitlines()
    first_line = next(line for line in lines if line.strip())
    reader = csv.reader(lines, delimiter=_delimiter(first_line))
    rows = [
        (reader.line_num, [cell.strip() for cell in row])
        for row in reader
        if any(cell.strip() for cell in row)
    ]
    if not rows:
        raise DataError("csv_text", "the CSV text has no values; give a header row and data rows")
    first = rows[0][1]
    missing = [cell.lower() in MISSING for cell in first]
    numeric = [
        _parse(cell) is not None and not gap for cell, gap in zip(first, missing, strict=True)
    ]
    if not any(numeric):
        header = [name or f"column_{k}" for k, name in enumerate(first)]
        rows = rows[1:]
    elif all(n or gap for n, gap in zip(numeric, missing, strict=True)):
        header = [f"column_{k}" for k in range(len(first))]
    else:
        raise DataError(
            "csv_text",
            "the first row mixes names and numbers; start with a header row of column names, "
            "or with a row of numbers only",
        )
    if len(rows) < MIN_ROWS:
        raise DataError(
            "csv_text", f"found {len(rows)} data row(s); give at least {MIN_ROWS} rows of numbers"
        )
    if len(header) < 2:
        raise DataError("csv_text", "give at least two columns: one or more inputs and a target")
    for number, (line, cells) in enumerate(rows, start=1):
        if len(cells) != len(header):
            raise DataError(
                "csv_text",
                f"row {number} (line {line}) has {len(cells)} cells but there are {len(header)} "
                "columns; every row needs one cell per column",
            )
    return header, rows


def _target_index(target_column: Any, header: list[str]) -> int:
    if target_column is None:
        return len(header) - 1
    if isinstance(target_column, int) and not isinstance(target_column, bool):
        if -len(header) <= target_column < len(header):
            return target_column % len(header)
    elif isinstance(target_column, str):
        wanted = target_column.strip()
        if wanted in header:
            return header.index(wanted)
        lowered = [name.lower() for name in header]
        if wanted.lower() in lowered:
            return lowered.index(wanted.lower())
        if wanted.lstrip("-").isdigit():
            return _target_index(int(wanted), header)
    raise DataError(
        "target_column",
        f"unknown target column {target_column!r}; the columns are {', '.join(header)} "
        f"(or give an index from 0 to {len(header) - 1})",
    )


def _where(column: str, number: int, line: int) -> str:
    return f"column '{column}', row {number} (line {line})"


def _missing(column: str, number: int, line: int) -> DataError:
    return DataError(
        "csv_text",
        f"missing value in {_where(column, number, line)}; fill it in or delete the row",
    )


def _cell_value(cell: str, column: str, number: int, line: int) -> float:
    where = _where(column, number, line)
    if cell.lower() in MISSING:
        raise _missing(column, number, line)
    value = _parse(cell)
    if value is None:
        raise DataError("csv_text", f"text '{cell}' in {where}; every input cell must be a number")
    if not math.isfinite(value):
        raise DataError("csv_text", f"'{cell}' in {where} is not a finite number; use a number")
    if abs(value) > MAX_ABS_VALUE:
        raise DataError(
            "csv_text",
            f"'{cell}' in {where} is beyond ±{MAX_ABS_VALUE:g}; rescale the column so that "
            "its values stay in range",
        )
    return value


def build_csv(csv_text: Any, target_column: Any, task: Task) -> RawData:
    """Parse CSV text: numeric input columns plus one target column (numeric, or classes)."""
    header, rows = _read_rows(csv_text)
    target = _target_index(target_column, header)
    inputs = [k for k in range(len(header)) if k != target]
    x = np.array(
        [
            [_cell_value(cells[k], header[k], number, line) for k in inputs]
            for number, (line, cells) in enumerate(rows, start=1)
        ]
    )
    column = header[target]
    if task == "regression":
        values = [
            _cell_value(cells[target], column, number, line)
            for number, (line, cells) in enumerate(rows, start=1)
        ]
        y, target_names = np.array(values).reshape(-1, 1), [column]
    else:
        for number, (line, cells) in enumerate(rows, start=1):
            if cells[target].lower() in MISSING:
                raise _missing(column, number, line)
        y, target_names = _class_targets(
            "target_column", [cells[target] for _, cells in rows], task, column
        )
    description = f"CSV table: {len(rows)} rows, {len(inputs)} input column(s), target '{column}'."
    return _table(x, y, task, [header[k] for k in inputs], target_names, description)


def _table(
    x: FloatArray,
    y: FloatArray,
    task: Task,
    feature_names: list[str],
    target_names: list[str],
    description: str,
) -> RawData:
    two_d = x.shape[1] == 2
    return RawData(
        x=x,
        y=y,
        task=task,
        feature_names=feature_names,
        target_names=target_names,
        description=description,
        points=x.copy() if two_d else None,
        featurize=(lambda p: p.copy()) if two_d else None,
        keep_order=True,
    )
