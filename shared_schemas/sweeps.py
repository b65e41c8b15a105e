"""Sweeps and comparisons of runs (DESIGN.md: `POST /api/v1/sweeps`, `GET /api/v1/compare`).

A sweep is one RunSpec and one or two axes; each axis sets one field, named by a JSON pointer into
the spec, to each of its values (any JSON value: a number, a name, an object such as an
initialiser). The grid's runs start as the server has room and wait in the sweep's queue beyond it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from shared_schemas.api import ChosenOwner, Metrics, Page, RunState, SpecJson
from shared_schemas.base import ClientModel

SweepState = Literal["created", "running", "done", "stopped"]
"""created: its queue waits for `start`; running: runs train or wait; done: every run ended;
stopped: the owner dropped what still waited."""
SweepPointState = Literal[RunState, "queued", "cancelled", "deleted"]
Quantity = Literal["W", "z", "a", "delta"]


class SweepAxis(ClientModel):
    """One axis: the field it sets and the values it takes, in order."""

    pointer: str = Field(
        max_length=300, description="JSON pointer into the RunSpec, e.g. /training/optimizer/lr"
    )
    values: list[Any] = Field(min_length=1, max_length=64, description="any JSON values")


class SweepCreate(ClientModel):
    """A grid of runs: every combination of the axes' values applied to `spec`."""

    spec: SpecJson = Field(description="the RunSpec every run starts from")
    axes: list[SweepAxis] = Field(min_length=1, max_length=2)
    start: bool = True
    name: str | None = Field(None, max_length=200)
    owner: ChosenOwner | None = Field(
        None,
        description="control token of the sweep and its runs; the server makes one when absent",
    )


class SweepAction(ClientModel):
    """`start` a created sweep; `stop` one (what waits is dropped, runs in flight stop)."""

    action: Literal["start", "stop"]


class SweepPoint(BaseModel):
    """One grid point: its axis values and the run it became (none while it waits)."""

    index: int
    values: list[Any] = Field(description="one value per axis")
    run_id: str | None
    state: SweepPointState
    step: int
    epoch: int
    final_metrics: Metrics | None = Field(description="the run's latest metrics (final once ended)")
    stop_reason: str | None


class SweepPublic(BaseModel):
    id: str
    name: str | None
    spec: SpecJson
    axes: list[SweepAxis]
    state: SweepState
    created_at: datetime
    updated_at: datetime
    runs: list[SweepPoint]


class SweepProgress(BaseModel):
    """How far a sweep's grid has come: its points waiting, training and ended."""

    total: int = Field(description="grid points (runs) in all")
    queued: int = Field(description="waiting for a free slot (no run yet)")
    running: int = Field(description="runs created, training, paused or stalled")
    ended: int = Field(
        description="runs finished, stopped, diverged, failed or interrupted; points cancelled "
        "or whose run was deleted"
    )
    finished: int = Field(description="of the ended, runs that trained to the end")


class SweepSummary(BaseModel):
    """One sweep in the list: what it varies, where it stands, and its best final loss."""

    id: str
    name: str | None
    spec_summary: str = Field(description="the base RunSpec in one line")
    axes: list[SweepAxis]
    state: SweepState
    progress: SweepProgress
    best_loss: float | None = Field(
        description="the lowest training loss its runs report (final once they ended)"
    )
    created_at: datetime
    updated_at: datetime


class SweepList(Page):
    """One page of sweeps, newest first; ask for the next with `offset=next_offset`."""

    sweeps: list[SweepSummary]


class SweepCreated(SweepPublic):
    """The create response: the only place the owner token is shown (it steers every run)."""

    owner: str


# --- comparisons ---------------------------------------------------------------------------


class SharedHistogram(BaseModel):
    """One quantity's linear histograms of every run on the same `edges` (len(counts[i]) + 1
    edges); counts[i] is None where run i lacks the layer or quantity."""

    edges: list[float]
    counts: list[list[float] | None]


class SharedLogHistogram(BaseModel):
    """log10|x| histograms on fixed edges shared by every run: `lo` to `hi`, equal bins."""

    lo: float
    hi: float
    counts: list[list[float] | None]


class QuantityStats(BaseModel):
    mean: float | None
    std: float | None
    rms: float | None
    min: float | None
    max: float | None
    n: float | None


class CompareQuantity(BaseModel):
    hist: SharedHistogram
    loghist: SharedLogHistogram
    stats: list[QuantityStats | None] = Field(description="one per run, in the runs' order")


class CompareLayer(BaseModel):
    """A layer matched by id across the runs."""

    id: str
    kind: str | None
    quantities: dict[Quantity, CompareQuantity]


class CompareRun(BaseModel):
    id: str
    name: str | None
    state: RunState
    step: int
    step_shown: int | None = Field(
        description="the recorded step this run shows: its nearest at or before the asked one"
    )
    recorded_steps: list[int]
    metrics: list[Metrics]
    note: str | None = Field(description="why the run shows no layers at this step")


class Comparison(BaseModel):
    """Runs side by side at one step (`step`: asked, or the latest every run reached)."""

    step: int
    runs: list[CompareRun]
    layers: list[CompareLayer]
