"""How deeply a JSON text nests, measured without parsing it.

Python's JSON reader recurses once per level, so a 32,000-deep `[[[[…` raises RecursionError
deep inside the server. Measuring first, with one regular-expression pass that skips over strings,
lets the session answer an `error` and keep the socket.
"""

from __future__ import annotations

import re

# A whole string literal (so brackets inside strings do not count), or one bracket.
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


def nests_deeper_than(text: str, limit: int) -> bool:
    """True when the JSON text opens more than `limit` arrays or objects inside each other."""
    if text.count("[") + text.count("{") <= limit:
        return False  # the common case: too few brackets to nest that deep
    depth = 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > limit:
                return True
        elif token in "]}":
            depth -= 1
    return False
