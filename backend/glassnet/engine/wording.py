"""Numbers written for a projector: short, with real superscripts for powers of ten.

The sentences of the diagnosis are written here once, in the engine, so the app, the REST API and the
Python client show the same words.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def superscript(n: int) -> str:
    """12 → "¹²", −4 → "⁻⁴"."""
    return str(n).translate(_SUPERSCRIPT)


def _plain(x: float) -> str:
    """A float that already has few digits, without a trailing ".0" (1230.0 → "1230")."""
    return f"{x:g}" if abs(x) < 1e15 else repr(x)


def pow10(x: float) -> str:
    """ "10⁻⁴" for a positive number, rounded to the nearest power of ten."""
    if not (x > 0) or not math.isfinite(x):
        return str(x)
    return f"10{superscript(_round_half_up(math.log10(x)))}"


def ratio(x: float) -> str:
    """A ratio: "10⁻⁴" when tiny or huge, "0.05" or "12" otherwise."""
    if not math.isfinite(x):
        return str(x)
    if x > 0 and (x < 0.01 or x >= 1000):
        return pow10(x)
    return number(x)


def number(x: float | None, digits: int = 3) -> str:
    """3 significant digits; "1.7×10⁻⁸" outside [10⁻³, 10⁴)."""
    if x is None:
        return "–"
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    if x == 0:
        return "0"
    ax = abs(x)
    if 1e-3 <= ax < 1e4:
        return _plain(float(f"{x:.{digits}g}"))
    exponent = math.floor(math.log10(ax))
    mantissa = float(f"{x / 10**exponent:.{max(1, digits - 1)}g}")
    if abs(mantissa) >= 10:
        mantissa /= 10
        exponent += 1
    head = "" if mantissa == 1 else "−" if mantissa == -1 else f"{_plain(mantissa)}×"
    return f"{head}10{superscript(exponent)}"


def percent(fraction: float | None) -> str:
    """ "7.5 %" below ten per cent, "70 %" above."""
    if fraction is None or not math.isfinite(fraction):
        return "–"
    p = fraction * 100
    if 0 < p < 10:
        return str(Decimal(p).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)) + " %"
    return f"{_round_half_up(p)} %"


def _round_half_up(x: float) -> int:
    return math.floor(x + 0.5)
