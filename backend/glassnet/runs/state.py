"""The run state machine of DESIGN.md: which action is allowed in which state, and what follows."""

from __future__ import annotations

from typing import Final

from shared_schemas.api import FINISHED_RUN_STATES, LIVE_RUN_STATES, RUN_STATES

STATES: Final = RUN_STATES
LIVE: Final = LIVE_RUN_STATES  # hold a worker and a run slot
TERMINAL: Final = FINISHED_RUN_STATES

# action -> {state it may be applied in: state right after the command is accepted}.
# A stalled run's worker does not answer: only `stop` (which ends the worker) is accepted.
TRANSITIONS: Final[dict[str, dict[str, str]]] = {
    "start": {"created": "running", "paused": "running", "interrupted": "running"},
    # resume of an interrupted run: from its last checkpoint (start: from the beginning)
    "resume": {"paused": "running", "created": "running", "interrupted": "running"},
    "pause": {"running": "paused", "paused": "paused", "created": "paused"},
    "step": {"created": "paused", "paused": "paused"},
    "epoch": {"created": "paused", "paused": "paused"},
    "stop": {"created": "stopped", "running": "stopped", "paused": "stopped", "stalled": "stopped"},
    "set_lr": {"created": "created", "running": "running", "paused": "paused"},
}


def next_state(action: str, state: str) -> str | None:
    """The state after `action`, or None when the action does not fit `state`."""
    return TRANSITIONS.get(action, {}).get(state)


def allowed_actions(state: str) -> list[str]:
    """Actions the run accepts in `state`."""
    return [a for a, table in TRANSITIONS.items() if state in table]
