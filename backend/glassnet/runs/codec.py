"""Telemetry frame codec: msgpack with numeric arrays packed as little-endian extension types.

See shared_schemas/ws.py for the wire format. Encoding happens once per frame, on the server's event
thread of the run that took the snapshot, whatever the number of viewers.
"""

from __future__ import annotations

import sys
from array import array
from typing import Any

import msgpack
import numpy as np

from shared_schemas.ws import EXT_FLOAT32, EXT_INT32, EXT_UINT32, PACK_MIN

_DECODE_DTYPES = {EXT_UINT32: "<u4", EXT_FLOAT32: "<f4", EXT_INT32: "<i4"}


def _pack_array(arr: np.ndarray) -> msgpack.ExtType | list[Any]:
    flat = arr.reshape(-1)
    if flat.dtype.kind in "iu":
        if flat.size and flat.min() >= 0 and flat.max() < 2**32:
            return msgpack.ExtType(EXT_UINT32, flat.astype("<u4").tobytes())
        return msgpack.ExtType(EXT_INT32, flat.astype("<i4").tobytes())
    if flat.dtype.kind == "f":
        return msgpack.ExtType(EXT_FLOAT32, flat.astype("<f4").tobytes())
    return flat.tolist()


def _default(obj: Any) -> Any:
    if isinstance(obj, np.ndarray):
        return _pack_array(obj) if obj.ndim == 1 and obj.size >= PACK_MIN else obj.tolist()
    if isinstance(obj, np.generic):
        return obj.item()
    if hasattr(obj, "detach"):  # a torch tensor slipped through: one host copy, here only
        return _default(obj.detach().cpu().numpy())
    raise TypeError(f"cannot encode {type(obj).__name__} in a telemetry frame")


# array typecodes, tried in order for a list starting with an int / a float (4-byte items on the
# platforms torch supports; checked below so a surprise fails loudly instead of corrupting frames).
_INT_CODES = (("I", EXT_UINT32), ("i", EXT_INT32))
_FLOAT_CODES = (("f", EXT_FLOAT32),)
assert array("I").itemsize == 4 and array("i").itemsize == 4 and array("f").itemsize == 4
_SWAP = sys.byteorder != "little"


def _pack_flat(values: list[Any]) -> msgpack.ExtType | None:
    """A flat list of numbers as one extension value, or None when it is not one."""
    codes = _INT_CODES + _FLOAT_CODES if type(values[0]) is int else _FLOAT_CODES
    for code, ext in codes:
        try:
            # C-level conversion: rejects None, nested lists, ints beyond the type's range...
            packed = array(code, values)
        except (TypeError, OverflowError):
            continue
        if _SWAP:
            packed.byteswap()
        return msgpack.ExtType(ext, packed.tobytes())
    return None


_CONTAINERS = (dict, list, tuple)


def _pack_lists(obj: Any) -> Any:
    """Replace flat numeric lists by packed arrays; leave everything else as it is.

    A frame has hundreds of scalars: they are passed over without a call each (this walk is most
    of an encode's cost).
    """
    if type(obj) is dict:
        return {k: _pack_lists(v) if type(v) in _CONTAINERS else v for k, v in obj.items()}
    if len(obj) >= PACK_MIN and type(obj[0]) in (int, float):  # bools are not numbers here
        packed = _pack_flat(obj if type(obj) is list else list(obj))
        if packed is not None:
            return packed
    return [_pack_lists(x) if type(x) in _CONTAINERS else x for x in obj]


def encode_frame(frame: dict[str, Any]) -> bytes:
    """One telemetry frame → msgpack bytes (the `tel` message)."""
    body = _pack_lists(dict(frame))
    body["type"] = "tel"
    packed: bytes = msgpack.packb(body, default=_default, use_bin_type=True)
    return packed


def _ext_to_list(code: int, data: bytes) -> Any:
    dtype = _DECODE_DTYPES.get(code)
    if dtype is None:
        return msgpack.ExtType(code, data)
    return np.frombuffer(data, dtype=dtype).tolist()


def decode_frame(data: bytes) -> dict[str, Any]:
    """msgpack bytes → the frame as plain JSON-able Python (packed arrays back to lists)."""
    frame: dict[str, Any] = msgpack.unpackb(
        data, ext_hook=_ext_to_list, raw=False, strict_map_key=False
    )
    return frame


def json_safe(obj: Any) -> Any:
    """Replace NaN/inf floats by None so that a frame can be served as JSON."""
    if isinstance(obj, float):
        return obj if obj == obj and obj not in (float("inf"), float("-inf")) else None
    if isinstance(obj, dict):
        return {k: json_safe(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [json_safe(v) for v in obj]
    return obj


def json_safe_frame(frame: dict[str, Any]) -> dict[str, Any]:
    """A decoded frame with NaN/inf replaced by None (json_safe, keeping the frame's type)."""
    return {key: json_safe(value) for key, value in frame.items()}
