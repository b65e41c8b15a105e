"""numba as the engine uses it: compiled code cached on disk, in a directory every user can write.

Compiled code is cached (`cache=True`). NUMBA_CACHE_DIR is set, unless the environment set it, to a
per-user directory that is writable even when the package is installed read-only. Import numba's
`njit` from here, so the directory is set before numba first loads (it reads it once).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def _cache_dir() -> str:
    """`$XDG_CACHE_HOME/glassnet/numba` (~/.cache/…) when writable, else a per-user temp dir."""
    try:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        candidate = Path(base) / "glassnet" / "numba"
        candidate.mkdir(parents=True, exist_ok=True)
        if os.access(candidate, os.W_OK):
            return str(candidate)
    except (OSError, RuntimeError):  # RuntimeError: no home directory to be found
        pass
    user = os.getuid() if hasattr(os, "getuid") else os.getpid()
    fallback = Path(tempfile.gettempdir()) / f"glassnet-numba-{user}"
    fallback.mkdir(mode=0o700, parents=True, exist_ok=True)
    return str(fallback)


# numba reads its configuration when first imported: the directory must be set before that.
if "numba" not in sys.modules:
    os.environ.setdefault("NUMBA_CACHE_DIR", _cache_dir())

from numba import njit  # noqa: E402

__all__ = ["njit"]
