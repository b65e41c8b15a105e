"""Run lifecycle: state machine, executors (thread, process) and latest-value telemetry slots.

No FastAPI here: the API calls `RunManager`, which hides where a run executes.
"""

from glassnet.runs.errors import (
    Conflict,
    Forbidden,
    InvalidSpec,
    LimitExceeded,
    NotFound,
    RunError,
    Unavailable,
)
from glassnet.runs.manager import RunManager

__all__ = [
    "Conflict",
    "Forbidden",
    "InvalidSpec",
    "LimitExceeded",
    "NotFound",
    "RunError",
    "RunManager",
    "Unavailable",
]
