"""The telemetry budget: frames may take at most a tenth of a run's wall time, whatever the network.

A frame (the capturing step's extra work, the layer summaries, the decision boundary, the
predictions) costs microseconds on a playground network and tens of milliseconds on a wide MLP or a
CNN. The run measures what each part of its frames costs and plans the next ones: at the viewer's
rate while that fits in the budget; otherwise it first leaves out the costliest optional parts (as
long as doing so keeps the frames coming at a readable rate), then lowers the rate until it fits.

The clock is injected, so the rule is tested by advancing a counter, not by timing real work.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

# The promise is a tenth of the run's time; the plan keeps what it measures of frames to 5 %, with
# room for what it cannot: a frame's cost goes on after the steps it is measured on (the caches it
# emptied refill slowly), and a run's speed varies by ±4 % from one process to the next. Planned
# at 7 %, a 784-256-256-10 MLP watched through the server trained at 0.83–0.91 of a plain torch
# loop and an LSTM on the character task at 0.89–0.95; at 5 %, 0.90–0.96 and 0.91–0.93.
DEFAULT_SHARE = 0.05  # of the run's time
SMOOTHING = 0.3  # weight of the newest measurement in a part's running cost
# Below this share of a core (other runs, other processes on the same cores), the status bar says
# so: the budget keeps frames to their share of what the run gets, so they come slower too.
SHARED_CORE = 0.9


@dataclass(frozen=True)
class FramePlan:
    """How the next frames are made: their rate, the parts left out, and why (for the UI)."""

    hz: float
    skip: frozenset[str]
    frame_seconds: float  # the measured cost of a frame with the parts that are kept
    limited: bool  # True when the budget lowered the rate or left parts out
    core_share: float = 1.0  # of a core the run gets (other processes take the rest)

    @property
    def period(self) -> float:
        """Seconds between frames."""
        return 1.0 / self.hz

    @property
    def message(self) -> str | None:
        """The sentence the status bar shows while the budget limits the frames, else None."""
        if not self.limited:
            return None
        text = f"{self.hz:.0f} frames/s: a frame costs {self.frame_seconds * 1e3:.0f} ms on this network"
        if self.core_share < SHARED_CORE:
            text += f" and this run gets {self.core_share * 100:.0f} % of a core"
        if self.skip:
            text += f" (without {', '.join(sorted(self.skip))})"
        return text


class FrameBudget:
    """Measures what frames cost and plans their rate and content to stay within `share`.

    `optional` names the parts a frame can do without (e.g. "boundary", "predictions"); every other
    measured part is always made. `keep_parts_hz`: optional parts are left out only while the rate
    with them would fall below this; below it, leaving out the costliest ones first is preferred to
    slowing every frame down. `min_hz`: the viewer still gets a frame this often, however costly
    (the share holds for frames up to share / min_hz seconds: half a second by default).
    """

    def __init__(
        self,
        max_hz: float = 30.0,
        *,
        share: float = DEFAULT_SHARE,
        min_hz: float = 0.2,
        keep_parts_hz: float = 10.0,
        optional: Iterable[str] = (),
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not (0 < share < 1) or not (0 < min_hz <= max_hz):
            raise ValueError("need 0 < share < 1 and 0 < min_hz ≤ max_hz")
        self.max_hz = max_hz
        self.share = share
        self.min_hz = min_hz
        self._keep_parts_hz = keep_parts_hz
        self.keep_parts_hz = min(keep_parts_hz, max_hz)
        self.optional = frozenset(optional)
        self.clock = clock
        self.costs: dict[str, float] = {}  # seconds, a running mean per part
        self._counts: dict[str, int] = {}  # measurements per part
        self._last_end: float | None = None  # the clock at the end of the last frame

    def set_max_hz(self, max_hz: float) -> None:
        """The viewers now ask for `max_hz`: plan up to it from here on (measured costs are kept)."""
        self.max_hz = max(max_hz, self.min_hz)
        self.keep_parts_hz = min(self._keep_parts_hz, self.max_hz)

    def record(self, part: str, seconds: float) -> None:
        """Add one measurement of what `part` of a frame cost.

        The first measurement of a part only stands until the second replaces it: the first frame
        runs cold (first calls, empty caches) and costs several times what the next ones do, and
        averaged in, it held the frames of a run's first seconds back."""
        seconds = max(seconds, 0.0)
        count = self._counts.get(part, 0)
        self._counts[part] = count + 1
        old = self.costs.get(part)
        self.costs[part] = (
            seconds if old is None or count < 2 else old + SMOOTHING * (seconds - old)
        )

    @contextmanager
    def measure(self, part: str) -> Iterator[None]:
        """Time the enclosed work as one measurement of `part` (on the injected clock)."""
        start = self.clock()
        try:
            yield
        finally:
            self.record(part, self.clock() - start)

    def frame_done(self) -> None:
        """Mark the end of a frame (after its parts were measured): `ready` counts from here."""
        self._last_end = self.clock()

    def gap(self) -> float:
        """The least time from the end of one frame to the start of the next, on the budget's
        clock, for frames to take at most `share` of it: the other (1 − share) / share of a
        frame's cost, or less where the `min_hz` floor needs it. The viewer's own rate is the
        caller's to keep, on the wall clock: a run that gets half a core spends half as much
        of its clock between two frames of the viewer's rate, and still affords them."""
        plan = self.plan()
        cost = plan.frame_seconds
        return min(cost * (1 - self.share) / self.share, max(1 / self.min_hz - cost, 0.0))

    def wait_left(self) -> float:
        """Time left on the budget's clock until a frame is `ready` (0 when it is)."""
        if self._last_end is None:
            return 0.0
        return max(self.gap() - (self.clock() - self._last_end), 0.0)

    def ready(self) -> bool:
        """True when a frame made now stays within the budget.

        With the run's own CPU time as the clock (time.process_time), frames take at most `share`
        of what the run gets even when other processes crowd its cores, which a wall-clock rate
        alone cannot promise; a caller keeps its wall-clock rate (the viewer's) beside it.
        """
        # (a relative slack of 1e-9: a clock that advances by the gap exactly counts as ready)
        return self._last_end is None or self.clock() - self._last_end >= self.gap() * (1 - 1e-9)

    def _rate(self, cost: float, core_share: float = 1.0) -> float:
        """The highest rate at which frames costing `cost` stay within the share of a run that
        gets `core_share` of a core (frames per wall-clock second)."""
        cpu_rate = math.inf if cost <= 0 else self.share / cost  # per second of the run's CPU
        return min(self.max_hz, cpu_rate * core_share)

    def plan(self, core_share: float = 1.0) -> FramePlan:
        """The rate and the parts to leave out for the next frames, from what frames cost so far.

        `core_share`: how much of a core the run gets. The budget's clock is the run's own CPU
        time, so a run that gets a fifth of a core makes a fifth of the frames per wall-clock
        second that its CPU time affords: the plan's rate (and the status bar) says so."""
        kept = dict(self.costs)
        skip: set[str] = set()
        while self._rate(sum(kept.values())) < self.keep_parts_hz:
            droppable = [p for p in kept if p in self.optional]
            if not droppable:
                break
            costliest = max(droppable, key=lambda p: (kept[p], p))
            del kept[costliest]
            skip.add(costliest)
        cost = sum(kept.values())
        core_share = min(max(core_share, 0.0), 1.0)
        hz = max(self.min_hz, self._rate(cost, core_share))
        return FramePlan(
            hz=hz,
            skip=frozenset(skip),
            frame_seconds=cost,
            limited=hz < self.max_hz or bool(skip),
            core_share=core_share,
        )
