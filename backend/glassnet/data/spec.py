"""Read a data spec (pydantic model or plain mapping) into checked parameters with defaults."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from glassnet.data.catalog import BY_NAME, DatasetInfo, Param
from glassnet.data.errors import DataError


def as_mapping(data: Any) -> Mapping[str, Any]:
    """A DataSpec model (anything with `model_dump`) or a mapping, as a mapping."""
    if hasattr(data, "model_dump"):
        data = data.model_dump()
    if not isinstance(data, Mapping):
        raise DataError("dataset", 'the data spec must be an object such as {"dataset": "xor"}')
    return data


def _check(param: Param, value: Any) -> Any:
    """Return the value (normalised where needed) or raise a DataError saying what is allowed."""
    if value is None:
        if param.required:
            raise DataError(param.name, f"'{param.name}' is required: {param.description}")
        return param.default
    kind = param.type
    if kind in ("int", "float"):
        is_number = isinstance(value, int | float) and not isinstance(value, bool)
        if kind == "int" and not (is_number and float(value).is_integer()):
            raise DataError(param.name, f"'{param.name}' must be a whole number, not {value!r}")
        if not is_number or not math.isfinite(value):
            raise DataError(param.name, f"'{param.name}' must be a number, not {value!r}")
        if (param.min is not None and value < param.min) or (
            param.max is not None and value > param.max
        ):
            raise DataError(
                param.name,
                f"'{param.name}' is {value} but must be between {param.min:g} and {param.max:g}",
            )
        return int(value) if kind == "int" else float(value)
    if kind == "bool" and not isinstance(value, bool):
        raise DataError(param.name, f"'{param.name}' must be true or false, not {value!r}")
    if kind == "select" and value not in (param.options or ()):
        raise DataError(param.name, f"'{param.name}' is {value!r}; choose one of {_list(param)}")
    if kind == "multiselect":
        return _check_multiselect(param, value)
    if kind == "text" and not isinstance(value, str):
        raise DataError(param.name, f"'{param.name}' must be text")
    return value


def _check_multiselect(param: Param, value: Any) -> list[str]:
    if isinstance(value, str) or not isinstance(value, list | tuple) or not value:
        raise DataError(param.name, f"'{param.name}' must be a non-empty list from {_list(param)}")
    unknown = [v for v in value if v not in (param.options or ())]
    if unknown:
        raise DataError(param.name, f"unknown {param.name} {unknown!r}; choose from {_list(param)}")
    return list(dict.fromkeys(value))


def _list(param: Param) -> str:
    return ", ".join(str(option) for option in param.options or ())


def dataset_info(spec: Mapping[str, Any]) -> DatasetInfo:
    """The catalog entry named by spec["dataset"]."""
    name = spec.get("dataset")
    if name not in BY_NAME:
        raise DataError("dataset", f"unknown dataset {name!r}; choose one of {', '.join(BY_NAME)}")
    return BY_NAME[name]


def resolve_all(data: Any) -> tuple[DatasetInfo | None, dict[str, Any], list[DataError]]:
    """Check every parameter, collecting all problems rather than stopping at the first."""
    try:
        spec = as_mapping(data)
        info = dataset_info(spec)
    except DataError as error:
        return None, {}, [error]
    params: dict[str, Any] = {}
    errors: list[DataError] = []
    for param in info.params:
        try:
            params[param.name] = _check(param, spec.get(param.name))
        except DataError as error:
            errors.append(error)
    return info, params, errors


def resolve(data: Any) -> tuple[DatasetInfo, dict[str, Any]]:
    """The dataset's catalog entry and its parameters with defaults; raises the first DataError."""
    info, params, errors = resolve_all(data)
    if errors:
        raise errors[0]
    assert info is not None
    return info, params
