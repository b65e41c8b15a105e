"""The run state machine of DESIGN.md: which action is allowed in which state, and what follows."""

from __future__ import annotations

from typing import Final

STATES: Final = (
    "created",
    "running",
    "paused",
    "finished",
    "stopped",
    "diverged",
    "failed",
    "interrupted",
)
LIVE: Final = frozenset({"created", "running", "paused"})
TERMINAL: Final = frozenset({"finished", "stopped", "diverged", "failed", "interrupted"})

# action -> {state it may be applied in: state right after the command is accepted}
TRANSITIONS: Final[dict[str, dict[str, str]]] = {
    "start": {"created": "running", "paused": "running", "interrupted": "running"},
    "resume": {"paused": "running", "created": "running"},
    "pause": {"running": "paused", "paused": "paused", "created": "paused"},
    "step": {"created": "paused", "paused": "paused"},
    "epoch": {"created": "paused", "paused": "paused"},
    "stop": {"created": "stopped", "running": "stopped", "paused": "stopped"},
    "set_lr": {"created": "created", "running": "running", "paused": "paused"},
}


def next_state(action: str, state: str) -> str | None:
    """The state after `action`, or None when the action does not fit `state`."""
    return TRANSITIONS.get(action, {}).get(state)


def allowed_actions(state: str) -> list[str]:
    """Actions the run accepts in `state`."""
    return [a for a, table in TRANSITIONS.items() if state in table]
