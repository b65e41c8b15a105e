"""REST bodies of the Glassnet API (`/api/v1`), named by role: XCreate in, XPublic out.

A RunSpec travels as a plain JSON object here and is validated by `shared_schemas.runspec.validate_spec`,
so that every problem in it is reported at once with a JSON pointer (see `ProblemList`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Final, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

from shared_schemas.base import ClientModel
from shared_schemas.runspec import LayerCategory

# The run states, defined once: everything else (the server's state machine, the engine, the
# Python client, the generated TypeScript types) derives its lists from these two literals.
LiveRunState = Literal["created", "running", "paused", "stalled"]
"""A run that holds a worker and a run slot (`stalled`: its worker stopped answering)."""
FinishedRunState = Literal["finished", "stopped", "diverged", "failed", "interrupted"]
"""A run that has ended; its results are in the store."""
RunState = Literal[LiveRunState, FinishedRunState]
LIVE_RUN_STATES: Final = frozenset(get_args(LiveRunState))
FINISHED_RUN_STATES: Final = frozenset(get_args(FinishedRunState))
RUN_STATES: Final = (*get_args(LiveRunState), *get_args(FinishedRunState))
ActionKind = Literal["start", "pause", "resume", "step", "epoch", "stop", "set_lr"]
SpecJson = dict[str, Any]
ChosenOwner = Annotated[str, Field(min_length=8, max_length=128)]
"""An owner token a client picks for what it creates (absent: the server makes one)."""


class Strict(ClientModel):
    """Base for request bodies: strict numbers, finite values, no unknown fields."""


# --- errors --------------------------------------------------------------------------------


class ProblemOut(BaseModel):
    """One problem: where in the request (RFC 6901 pointer, "" for the whole request) and why."""

    pointer: str
    message: str


class ProblemList(BaseModel):
    """Every error response: 4xx/5xx with the list of problems."""

    detail: list[ProblemOut]


# --- health, catalog, presets --------------------------------------------------------------


class Health(BaseModel):
    status: Literal["ok"] = "ok"
    version: str


class CatalogLayer(BaseModel):
    """One node kind of the palette, with the parameters the inspector edits."""

    model_config = ConfigDict(extra="allow")

    kind: str
    title: str
    category: LayerCategory
    description: str
    parameters: list[dict[str, Any]] = Field(
        description="name, description, default (or required), and bounds or choices"
    )


class Catalog(BaseModel):
    """Everything a network can be built from, with parameter schemas and defaults."""

    model_config = ConfigDict(extra="allow")

    layers: list[CatalogLayer]
    activations: Any = None
    initialisers: Any = None
    optimisers: Any = None
    schedules: Any = None
    losses: Any = None
    datasets: Any = None


class PresetSummary(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: str
    title: str = ""
    description: str = ""
    teaches: list[str] = Field(default_factory=list, description="what the preset shows")
    mode: Literal["textbook", "train"] = Field(
        "train", description="textbook: a worked example to step through; train: a demo to run"
    )
    look_at: str | None = Field(
        None,
        max_length=400,
        description="where to look while it runs: the view and what it shows (one or two sentences)",
    )


class PresetList(BaseModel):
    presets: list[PresetSummary]


class Preset(PresetSummary):
    """A named lecture preset: a RunSpec with a title and a description."""

    spec: SpecJson


# --- specs ---------------------------------------------------------------------------------


class NodeShape(BaseModel):
    id: str
    kind: str
    shape: list[int] = Field(description="per-example output shape")
    parameters: int = Field(0, description="trainable parameters of this node")


class ValidateResponse(BaseModel):
    """A valid spec: the output shape of every node and the parameter count."""

    valid: Literal[True] = True
    nodes: list[NodeShape]
    parameter_count: int


# --- runs ----------------------------------------------------------------------------------


class RunCreate(Strict):
    """Create a run from a RunSpec; `start: true` starts it at once."""

    spec: SpecJson = Field(description="a RunSpec (shared_schemas/json/runspec.json)")
    start: bool = False
    name: str | None = Field(None, max_length=200)
    owner: ChosenOwner | None = Field(
        None, description="control token; the server makes one when absent and returns it once"
    )
    experiment_id: str | None = Field(None, max_length=32)


class Metrics(BaseModel):
    """One row of the loss/accuracy history (None where not measured)."""

    model_config = ConfigDict(extra="allow")

    step: int = 0
    epoch: int = 0
    loss: float | None = None
    val_loss: float | None = None
    accuracy: float | None = None
    val_accuracy: float | None = None
    lr: float | None = None


ChangeValue = bool | int | float | str | list[Any] | dict[str, Any] | None


class SpecChange(BaseModel):
    """One field that differs between two specs: big values (weights, data) read as their size."""

    pointer: str = Field(description="JSON pointer into the spec, e.g. /training/optimizer/lr")
    old: ChangeValue = Field(
        None, description="the previous run's value (None: it had no such field)"
    )
    new: ChangeValue = Field(None, description="this run's value (None: it has no such field)")


class RunDiff(BaseModel):
    """What changed from the run the same owner created just before this one."""

    previous: str = Field(description="the previous run's id")
    changes: list[SpecChange] = Field(description="in spec order; empty: the same spec again")
    omitted: int = Field(0, description="further changes not listed")


class RunPublic(BaseModel):
    id: str
    name: str | None = None
    experiment_id: str | None = None
    state: RunState
    step: int = 0
    epoch: int = 0
    latest_metrics: Metrics | None = Field(None, description="the latest; an ended run's final")
    stop_reason: str | None = None
    diagnosis: dict[str, Any] | None = None
    device: str | None = Field(
        None, description="where it trains: `cpu`, or `cuda:0` and the GPU's name (live runs)"
    )
    executor: str | None = Field(
        None, description="what runs it: `process`, `thread` or `ray` (live runs)"
    )
    checkpoint_step: int | None = Field(
        None,
        description="the step of the run's newest checkpoint (live and interrupted runs): an "
        "interrupted run resumes from it (action `resume`)",
    )
    created_at: datetime
    updated_at: datetime
    ended_at: datetime | None = Field(None, description="when the run ended; None while live")
    spec: SpecJson | None = Field(None, description="included by GET /runs/{id}")
    # The run history (GET /runs) fills these in; other answers leave them None.
    summary: str | None = Field(
        None, description='GET /runs: the spec in one line, e.g. "2-4-1 tanh · sgd α 0.03 · circle"'
    )
    diff: RunDiff | None = Field(
        None,
        description="GET /runs: what changed from the run its owner created before it "
        "(None: the owner's first run here)",
    )
    mine: bool | None = Field(
        None, description="GET /runs: whether the request's X-Glassnet-Owner token owns it"
    )


class RunCreated(RunPublic):
    """The create response: the only place the owner token is shown."""

    owner: str = Field(description="send as header X-Glassnet-Owner (REST) or in ws hello")


class Page(BaseModel):
    """What every paged list answers beside its items."""

    count: int = Field(description="items on this page")
    total: int = Field(
        description="items in the whole list (of a filtered list, those that match the filter)"
    )
    next_offset: int | None = Field(None, description="offset of the next page; None: last page")


class RunList(Page):
    """One page of runs, newest first; ask for the next with `offset=next_offset`."""

    runs: list[RunPublic]


class RunAction(Strict):
    """Steer a run. `steps` is used by `step`; `lr` by `set_lr`. On an interrupted run, `resume`
    trains on from its last checkpoint and `start` trains it again from the beginning."""

    action: ActionKind
    steps: int = Field(1, ge=1, le=100_000)
    lr: float | None = Field(None, gt=0, le=100)
    owner: str | None = Field(None, max_length=128, description="alternative to X-Glassnet-Owner")


class MetricsPublic(BaseModel):
    run_id: str
    metrics: list[Metrics]


# --- experiments ---------------------------------------------------------------------------


class ExperimentCreate(Strict):
    """Save a RunSpec under a name. It is validated like a run's spec (422 with every problem)."""

    name: str = Field(min_length=1, max_length=200)
    spec: SpecJson
    owner: ChosenOwner | None = Field(
        None, description="edit token; the server makes one when absent and returns it once"
    )


class ExperimentUpdate(Strict):
    """Rename and/or replace the spec; needs the owner token (header X-Glassnet-Owner)."""

    name: str | None = Field(None, min_length=1, max_length=200)
    spec: SpecJson | None = None


class ExperimentPublic(BaseModel):
    id: str = Field(description="short shareable id")
    name: str
    spec: SpecJson
    mine: bool = Field(
        False, description="true when the request's X-Glassnet-Owner token owns this experiment"
    )
    created_at: datetime
    updated_at: datetime


class ExperimentCreated(ExperimentPublic):
    """The create response: the only place the owner token is shown."""

    owner: str = Field(description="send as header X-Glassnet-Owner to rename or delete")


class ExperimentList(Page):
    """One page of experiments; ask for the next with `offset=next_offset`."""

    experiments: list[ExperimentPublic]


# --- datasets ------------------------------------------------------------------------------


Split = Literal["train", "val"]
Label = int | float


class PreviewPoints(BaseModel):
    """2-D inputs: up to 500 points, evenly spaced over the set."""

    x: list[float]
    y: list[float]
    label: list[Label] = Field(description="class index, or the first target value (regression)")
    split: list[Split]


class PreviewBounds(BaseModel):
    """The range of every point, not only the ones shown."""

    x: list[float] = Field(description="[min, max]")
    y: list[float] = Field(description="[min, max]")


class ImagePixels(BaseModel):
    """Images as base64 of row-major uint8 pixels (0-255) of their first channel."""

    height: int
    width: int
    encoding: Literal["base64-uint8"]
    data: list[str]


class PreviewImages(ImagePixels):
    labels: list[Label]
    split: list[Split]


class TableRows(BaseModel):
    """Unscaled rows: input columns, then target columns."""

    columns: list[str]
    rows: list[list[float]]


class PreviewTable(TableRows):
    split: list[Split]


class SequenceRows(BaseModel):
    """Unscaled sequences: inputs [N][T][F] and targets, [N][T][out] or [N][out]."""

    inputs: list[list[list[float]]]
    targets: list[list[list[float]]] | list[list[float]]


class PreviewSequences(SequenceRows):
    split: list[Split]


class DataPreview(BaseModel):
    """What a data spec gives, before preprocessing, in a form the data panel draws."""

    dataset: str
    title: str
    description: str
    task: Literal["regression", "binary", "multiclass"]
    kind: Literal["points", "images", "table", "sequences"]
    n_train: int
    n_val: int
    input_shape: list[int]
    feature_names: list[str]
    target_names: list[str]
    points: PreviewPoints | None = Field(None, description="2-D inputs")
    bounds: PreviewBounds | None = Field(None, description="2-D inputs")
    images: PreviewImages | None = Field(None, description="image sets: the first 16")
    table: PreviewTable | None = Field(None, description="other sets: the first 20 rows")
    sequences: PreviewSequences | None = Field(None, description="sequence sets: the first few")


class RunExamples(BaseModel):
    """The first examples of a run's split, unscaled, in split order: the inputs behind a frame's
    `predictions.examples` (entry i is example `index` i)."""

    split: Split
    n: int = Field(description="examples in the whole split")
    kind: Literal["images", "table", "sequences"]
    labels: list[Label] = Field(description="class index, or the first target value (regression)")
    images: ImagePixels | None = None
    table: TableRows | None = None
    sequences: SequenceRows | None = None


class UploadPublic(BaseModel):
    """An uploaded CSV; use `upload_id` as `data.upload_id` with `dataset: "csv"`."""

    upload_id: str
    name: str | None = None
    bytes: int
    rows: int
    columns: list[str]
