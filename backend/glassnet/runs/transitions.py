"""Applying the run state machine (runs/state.py) to the runs held here: the commands that steer a
run's worker, and what each change of state sets off (persisted, published, the worker closed)."""

from __future__ import annotations

import time
from typing import Any

from glassnet.runs.commands import QueueFull
from glassnet.runs.errors import Conflict, InvalidSpec, LimitExceeded
from glassnet.runs.persistence import RunPersistence
from glassnet.runs.record import Run
from glassnet.runs.registry import RunRegistry
from glassnet.runs.state import LIVE, TERMINAL, allowed_actions, next_state
from glassnet.settings import Settings
from glassnet.store.models import utcnow


class StateMachine:
    """Steers held runs. Call every method under the registry's lock."""

    def __init__(
        self, settings: Settings, registry: RunRegistry, persistence: RunPersistence
    ) -> None:
        self.settings = settings
        self.registry = registry
        self.persistence = persistence

    def apply(self, run: Run, action: str, steps: int = 1, lr: float | None = None) -> None:
        """Apply one owner's action to a held run that is not interrupted; Conflict when the
        state machine does not allow it now."""
        if run.state == "stalled" and action == "stop":
            self.stop_stalled(run)
            return
        after = next_state(action, run.state)
        if after is None and run.state == "stalled":
            raise Conflict(
                f"cannot {action} a stalled run: {run.stop_reason}; stop it, or wait: it "
                "continues if its worker answers again."
            )
        if after is None:
            raise Conflict(
                f"cannot {action} a {run.state} run; allowed now: "
                f"{', '.join(allowed_actions(run.state)) or 'none (the run has ended)'}."
            )
        if action == "set_lr":
            if lr is None:
                raise InvalidSpec(
                    "lr missing", [{"pointer": "/lr", "message": "set_lr needs 'lr'."}]
                )
            self.command(run, "set_lr", lr)
        elif action == "step":
            self.command(run, "step", steps, new_state=after)
        elif action == "stop":
            self.command(run, "stop", "stopped by the owner", new_state=after)
        else:
            self.command(run, action, new_state=after)
        run.last_activity = time.monotonic()

    def stop_stalled(self, run: Run) -> None:
        """A stalled worker reads no commands: it is killed, and the run counts as stopped."""
        if run.handle is not None:
            run.handle.kill()
        run.stop_reason = None
        self.set_state(run, "stopped", "stopped by the owner while its worker was not answering")

    def command(self, run: Run, op: str, *args: Any, new_state: str | None = None) -> None:
        """Post a command (never waits on the worker: LimitExceeded when its queue is full);
        with `new_state`, the state changes now (the worker confirms later)."""
        no = self.registry.next_number()
        if run.handle is not None:
            try:
                run.handle.send((op, *args, no))
            except QueueFull as exc:
                raise LimitExceeded(str(exc)) from exc
        if new_state is not None:
            run.state_cmd_no = no
            self.set_state(
                run, new_state, reason=None if new_state in LIVE else args[-1] if args else None
            )

    def set_state(
        self,
        run: Run,
        state: str,
        reason: str | None = None,
        diagnosis: dict[str, Any] | None = None,
    ) -> None:
        """Move the run to `state`: persisted, published to its viewers; an ended run's worker
        is closed."""
        previous = run.state
        run.state = state
        run.updated_at = utcnow()
        run.ended_at = run.updated_at if state in TERMINAL else None
        if state == "running" and previous != "running":
            run.running_since = run.running_since or time.monotonic()
        if state == "stalled":
            run.stop_reason = reason
        elif previous == "stalled":
            run.stop_reason = None  # the stall's reason, not a reason the run stopped for
        if state not in LIVE:
            run.stop_reason = reason or run.stop_reason
            run.diagnosis = diagnosis if diagnosis is not None else run.diagnosis
        self.persistence.flush(run, fields={"state": state})
        self.persistence.let_go_of_rows(run)  # where its worker went first
        run.hub.publish_state(run.state_message())
        if state in TERMINAL and run.handle is not None:
            # The run has ended: its process goes back at once (after the commands queued before
            # this close, so a stop still reaches it and its final weights and frame come back).
            run.handle.close()

    def update_view(self, run: Run) -> None:
        """Tell the worker the frame rate, channels and layers its viewers want now."""
        view = run.hub.view(self.settings.max_frame_hz)
        if not view[0] and self.settings.history_frame_hz and run.id in self.registry.recorded:
            # Unwatched, it still takes a few full frames, for its history of layer summaries.
            view = (self.settings.history_frame_hz, None, None)
        if view != run.view:
            run.view = view
            self.command(run, "view", *view)
