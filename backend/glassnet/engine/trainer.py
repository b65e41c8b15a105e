"""Trainer: one run of a RunSpec — build, step, stop, and snapshot the inside of the network.

The trainer is single-threaded by design: whoever owns it (a notebook, the CLI, a run executor)
calls `step` and `snapshot` from one thread. Snapshots cost nothing until they are asked for: a
step captures probes only when `capture=True`, and `snapshot()` uses that capture or, for a
paused run, makes one probe pass without updating the parameters.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from typing import Any, Literal

import numpy as np
import torch
from torch import Tensor
from torch.optim import Optimizer

from glassnet import data as datasets
from glassnet.engine.boundary import BoundaryGrid, decision_boundary
from glassnet.engine.device import describe_device, resolve_device
from glassnet.engine.diagnosis import diagnose as diagnose_layers
from glassnet.engine.divergence import stop_diverged
from glassnet.engine.early_stopping import EarlyStopping
from glassnet.engine.errors import SpecError
from glassnet.engine.events import Event, EventHandlers, RemovableHandle
from glassnet.engine.features import feature_maps
from glassnet.engine.landscape.network import (
    Directions,
    NetworkSlice,
    PathRecorder,
    network_slice,
)
from glassnet.engine.losses import REDUCTION, as_float
from glassnet.engine.metric_history import MetricHistory
from glassnet.engine.model import GraphModel
from glassnet.engine.node_probes import NodeProbe, summarise_nodes
from glassnet.engine.optimizers import build_optimizer
from glassnet.engine.paths.autograd import AutogradPath
from glassnet.engine.paths.base import Probe, StepResult, TrainingPath
from glassnet.engine.paths.compiled import CompiledPath, compiled_supported
from glassnet.engine.paths.lean import LeanPath, lean_supported
from glassnet.engine.paths.parallel import ParallelPath
from glassnet.engine.paths.threshold import ForwardOnlyPath, PerceptronPath
from glassnet.engine.prediction_cache import PredictionCache
from glassnet.engine.predictions import MAX_EVALUATED, as_tensor, output_threshold, predictions
from glassnet.engine.probes import LayerProbe, summarise_layers
from glassnet.engine.recurrent_probes import RecurrentProbe, summarise_recurrent
from glassnet.engine.schedules import learning_rate
from glassnet.engine.sequence_predictions import (
    generate_text,
    is_character_model,
    sequence_predictions,
)
from glassnet.engine.stop_rules import stop_at_epoch_limit, stop_on_target
from glassnet.engine.validate import fit_problems
from shared_schemas.api import FINISHED_RUN_STATES
from shared_schemas.graph import validate_spec
from shared_schemas.problems import Problem
from shared_schemas.runspec import RunSpec

SNAPSHOT_VERSION = 1
CHANNELS = ("metrics", "layers", "boundary", "feature_maps", "predictions")
FINAL_STATES = FINISHED_RUN_STATES
LIVE_PREDICTIONS_EVERY = 4  # live frames: predictions refresh at most this often (~8 Hz at 30)
LIVE_PREDICTIONS_SPARSEST = 60  # ... and at least this often, however costly (2 s at 30 Hz)
SHOWN_EXAMPLES = 16  # training-example indices listed per data-parallel worker


def parse_spec(spec: RunSpec | dict[str, Any]) -> RunSpec:
    """A validated RunSpec, or SpecError listing every problem.

    A RunSpec is taken as it is: the server validated it once, at its edge (runs/specs.py), and
    hands the model to the worker. A document (a notebook's dict) is validated here."""
    if isinstance(spec, RunSpec):
        return spec
    parsed, problems = validate_spec(spec)
    if parsed is None:
        raise SpecError(problems)
    return parsed


class Trainer:
    """Trains one network from a RunSpec and shows what happens inside it."""

    def __init__(
        self,
        spec: RunSpec | dict[str, Any],
        run_id: str | None = None,
        path: Literal["auto", "lean", "autograd"] = "auto",
    ) -> None:
        self.spec = parse_spec(spec)
        self.run_id = run_id
        spec = self.spec
        self.dtype = torch.float64 if spec.dtype == "float64" else torch.float32
        try:
            self.device = resolve_device(spec.device)
        except ValueError as error:
            raise SpecError([Problem(pointer="/device", message=str(error))]) from error
        self.device_name = describe_device(self.device)
        # The run's own generators: the same spec and seed give bit-identical runs, whatever else
        # shares the process. CPU: initialisation and shuffling; device: dropout masks.
        self.generator = torch.Generator().manual_seed(spec.seed)
        device_generator = torch.Generator(device=self.device).manual_seed(spec.seed + 1)
        try:
            self.data = datasets.load(spec.data, spec.seed)
        except datasets.DataError as error:
            raise SpecError([Problem(pointer=error.pointer, message=error.message)]) from error
        self.model = GraphModel(spec.network, self.generator, self.dtype)
        self.model.truncate = spec.training.bptt.truncate
        problems = fit_problems(spec, self.model.info, self.data)
        if problems:
            raise SpecError(problems)
        self.model.to(self.device)
        self.model.set_dropout_generator(device_generator)
        # flat table rows (an inline 6×6 image typed as 36 numbers) take the input node's shape
        in_shape = self.model.info.shapes[self.model.input_id] if self.model.input_id else ()
        self.x_train = self._tensor(self.data.x_train).reshape(-1, *in_shape)
        self.y_train = self._tensor(self.data.y_train)
        self.x_val = self._tensor(self.data.x_val).reshape(-1, *in_shape)
        self.y_val = self._tensor(self.data.y_val)
        self.n_train = self.data.n_train
        self.batch_size = min(spec.training.batch_size or self.n_train, self.n_train)
        self.classification = self.data.task != "regression"
        self._summed_loss = REDUCTION.get(spec.training.loss) == "sum"

        self.base_lr = spec.training.optimizer.lr
        # the torch optimiser, built only for the paths that use one (the lean path has its own)
        self._optimizer: Optimizer | None = None
        self.select_path(path)

        self.status = "created"
        self.stop_reason: str | None = None
        self.diagnosis: dict[str, Any] | None = None
        self.step_count = 0
        self.epoch = 0
        self.lr = self.base_lr
        self._seq = 0
        self.frame_costs: dict[str, float] = {}  # CPU seconds of each channel of the last frame
        self._pos = 0
        self._order: Any = None  # this epoch's permutation (mini-batch and stochastic)
        self._epoch_loss: Tensor | float | None = None
        self._epoch_correct: Tensor | float | None = None
        self._last_batch: tuple[Tensor, Tensor] | None = None
        self._last_batch_loss: float | None = None
        self._capture: tuple[int, Sequence[Probe]] | None = None
        self._boundary_grid: BoundaryGrid | None = None
        # the last finished epoch's metrics row, and its validation pass's outputs (None before
        # the first epoch's end; outputs None without a validation split)
        self.epoch_metrics: dict[str, Any] | None = None
        self.val_outputs: Any = None
        self._predicted: dict[str, Any] | None = None
        self.parallel: dict[str, Any] | None = None  # the workers of the last captured step
        self._live_frames = 0  # live frames since the predictions were refreshed
        self._shown_predictions: dict[str, Any] | None = None  # the last frame's predictions
        self._predictions_cost = 0.0  # CPU seconds of the last refresh
        # live frames between refreshes: LIVE_PREDICTIONS_EVERY, or more where a refresh costs
        # more than the rest of a frame (a large training split evaluated without a validation one)
        self._predictions_every = LIVE_PREDICTIONS_EVERY
        self.clock: Callable[[], float] = time.thread_time  # what frame parts cost (injectable)
        self.path_recorder = PathRecorder(self.model)
        self.path_recorder.record(0)
        self.events: EventHandlers[Trainer] = EventHandlers()
        # the live list of per-step handlers: while it is empty, no step fires an event
        self._step_listeners = self.events.listeners(Event.STEP_COMPLETED)
        self._stepping = False  # inside step/run_epoch/train: the run's end is announced after
        self._end_announced = False
        self.history = MetricHistory()
        self.prediction_cache = PredictionCache()
        early = self.spec.training.stop.early_stopping
        self.early_stopping = EarlyStopping(early) if early is not None else None
        self._attach_handlers()

    def _attach_handlers(self) -> None:
        """The run's own handlers, in the order they run at an epoch's end: the predictions'
        cache and the metric history first (a run's last row is kept however it ends), then
        the stop rules, the first to end the run giving its reason."""
        self.on(Event.LOSS_NOT_FINITE, stop_diverged)
        self.on(Event.EPOCH_COMPLETED, self.prediction_cache)
        self.on(Event.EPOCH_COMPLETED, self.history)
        self.on(Event.EPOCH_COMPLETED, stop_on_target)
        if self.early_stopping is not None:
            self.on(Event.EPOCH_COMPLETED, self.early_stopping)
        self.on(Event.EPOCH_COMPLETED, stop_at_epoch_limit)
        self.on(Event.RUN_ENDED, self.history.close)

    # --- public API -----------------------------------------------------------------------

    def select_path(self, path: Literal["auto", "lean", "autograd"] = "auto") -> None:
        """Choose the training path: `auto` takes the fastest that applies — the compiled lean path,
        else the numpy lean path, else autograd; `lean` stops at the numpy lean path and `autograd`
        forces torch autograd (to compare them). Call before the first step."""
        spec, training = self.spec, self.spec.training
        lean = path != "autograd" and lean_supported(spec, self.model, self.device, self.batch_size)
        if training.trainer == "perceptron":
            self.path: TrainingPath = PerceptronPath(self.model, self._torch_optimizer(), training)
        elif training.trainer == "forward_only":
            self.path = ForwardOnlyPath(self.model, self._torch_optimizer(), training)
        elif training.parallel is not None:
            self.path = ParallelPath(self.model, self._torch_optimizer(), training)
        elif lean and path == "auto" and compiled_supported(spec, self.model, self.batch_size):
            self.path = CompiledPath(self.model, training)
        elif lean:
            self.path = LeanPath(self.model, training)
        else:
            for p in self.model.parameters():
                p.grad = None  # the lean path shares its gradient buffers through .grad
            self.path = AutogradPath(
                self.model, self._torch_optimizer(), training, self._one_hot_targets()
            )
        # batches are cut from the path's own kind of array (numpy views for the lean path)
        native = getattr(self.path, "native", None)
        self._x_batches: Any = native(self.x_train) if native else self.x_train
        self._y_batches: Any = native(self.y_train) if native else self.y_train
        self._native_order = native is not None
        # the path that runs many steps in one call between frames (the compiled path), or None
        self._many_steps = self.path if isinstance(self.path, CompiledPath) else None

    @property
    def done(self) -> bool:
        return self.status in FINAL_STATES

    @property
    def last_batch(self) -> tuple[Tensor, Tensor] | None:
        """The batch of the last step run (for probes of a paused run and divergence reports)."""
        return self._last_batch

    @property
    def path_name(self) -> str:
        """Which training path runs the steps: "compiled", "lean", "autograd", "perceptron" or
        "forward_only"."""
        return str(self.path.name)

    @property
    def metrics(self) -> list[dict[str, Any]]:
        """The metric history: a row per epoch, thinned on long runs (engine/metric_history.py)."""
        return self.history.rows

    @property
    def latest_metrics(self) -> dict[str, Any] | None:
        """The last finished epoch's row (the history's last row may be older: it is thinned)."""
        if self.epoch_metrics is not None:
            return self.epoch_metrics
        return self.metrics[-1] if self.metrics else None

    @property
    def batch_loss(self) -> float | None:
        """The loss of the last step run (None before the first)."""
        return self._last_batch_loss

    @property
    def best_epoch(self) -> int | None:
        """The epoch whose weights early stopping kept, once it has ended the run."""
        return self.early_stopping.best_epoch if self.early_stopping is not None else None

    @property
    def _val_outputs(self) -> tuple[int, int, Tensor] | None:
        # the outputs of the last epoch-end validation pass, as the predictions read them
        return self.prediction_cache.outputs

    def on(
        self,
        event: Event,
        handler: Callable[[Trainer], object],
        *,
        every: int = 1,
        once: int | None = None,
    ) -> RemovableHandle:
        """Run `handler(trainer)` at `event`, at every `every`-th step or epoch, or `once` at the
        k-th (engine/events.py); `.remove()` on the handle detaches it. Handlers run after the
        run's own (an epoch handler sees the run its stop rules ended at that epoch). A step
        handler ends the compiled path's bulk runs of steps at the steps it is due at, no others:

            trainer.on(Event.STEP_COMPLETED, lambda t: losses.append(t.batch_loss), every=100)
        """
        return self.events.add(event, handler, every=every, once=once)

    # step, run_epoch and train announce the run's end when they return, after the events of
    # the step that ended it (a flag, not a wrapper: step(1) in a loop pays for it every call)

    def step(self, n: int = 1, capture: bool = False) -> None:
        """Run up to n iterations (fewer if the run ends); `capture` probes the last of them."""
        outer, self._stepping = self._stepping, True
        try:
            left = n
            while left > 0 and not self.done:
                if capture and left == 1:
                    self._iteration(True)  # the capturing step runs on its own, with probes
                    left -= 1
                else:
                    left -= self._steps(left - 1 if capture else left)
        finally:
            self._stepping = outer
        if not outer and self.status in FINAL_STATES:
            self._announce_end()

    def run_epoch(self, capture: bool = False) -> None:
        """Run to the end of the current epoch."""
        outer, self._stepping = self._stepping, True
        try:
            start = self.epoch
            while not self.done and self.epoch == start:
                last = self._pos + self.batch_size >= self.n_train
                if capture and last:
                    self._iteration(True)
                else:
                    # stop short of the epoch's last step when it is to capture
                    self._steps(self._steps_left_in_epoch() - (1 if capture else 0))
        finally:
            self._stepping = outer
        if not outer and self.status in FINAL_STATES:
            self._announce_end()

    def train(self, max_steps: int | None = None) -> None:
        """Train until a stop rule ends the run (or max_steps iterations have run)."""
        outer, self._stepping = self._stepping, True
        try:
            steps = 0
            while not self.done and (max_steps is None or steps < max_steps):
                steps += self._steps(1_000_000 if max_steps is None else max_steps - steps)
        finally:
            self._stepping = outer
        if not outer and self.status in FINAL_STATES:
            self._announce_end()

    def stop(self, status: str = "stopped", reason: str = "stopped by the user") -> None:
        """End the run now (stop, or interrupted when the process that owned it went away); the
        stop rules and the divergence handler end runs through it too."""
        if not self.done:
            self.status, self.stop_reason = status, reason
            if not self._stepping:  # else the stepping call announces it when it returns
                self._announce_end()

    def set_lr(self, lr: float) -> None:
        """Change the base learning rate; the schedule continues from it. Call between steps."""
        if not (lr > 0 and math.isfinite(lr)):
            raise ValueError("the learning rate must be a positive number")
        self.base_lr = lr
        self._apply_schedule()

    def graph_info(self) -> list[dict[str, Any]]:
        """The layer index table (the websocket `graph` message)."""
        shapes = self.model.info.shapes
        return [
            {
                "id": layer.id,
                "kind": layer.kind,
                "activation": layer.fn.name,
                "n_in": layer.n_in,
                "n_out": layer.n_out,
                "shape": list(shapes[layer.id]),
                "inputs": self.model.inputs_of[layer.id],
            }
            for layer in self.model.layers
        ] + [
            {
                "id": layer.id,
                "kind": layer.kind,
                "activation": layer.fn.name if layer.kind == "rnn" else "gates",
                "n_in": layer.n_in,
                "n_out": layer.units,
                "shape": list(shapes[layer.id]),
                "inputs": self.model.inputs_of[layer.id],
                "gates": list(layer.gates),
            }
            for layer in self.model.recurrent
        ]

    def landscape(
        self,
        resolution: int = 21,
        span: float = 1.0,
        seed: int = 0,
        directions: Directions = "random",
    ) -> NetworkSlice:
        """The training loss on a 2-D slice around the current parameters (two filter-normalised
        directions from `seed`, or the path's two principal directions) and the run's path so
        far projected on it."""
        return network_slice(
            self.model,
            self.spec.training.loss,
            self.x_train,
            self.y_train,
            self.path_recorder.with_now(self.step_count),
            resolution=resolution,
            span=span,
            seed=seed,
            directions=directions,
        )

    def export_state_dict(self) -> dict[str, Tensor]:
        """Parameters and buffers on the CPU, named like the network's node ids."""
        return {k: v.detach().cpu().contiguous() for k, v in self.model.state_dict().items()}

    def snapshot(
        self,
        channels: list[str] | None = None,
        layers: list[str] | None = None,
        *,
        live: bool = False,
    ) -> dict[str, Any]:
        """The telemetry frame of DESIGN.md at the current step (`run` and `seq` included).

        `live`: the run trains on after this frame, so its predictions may be up to an epoch old
        (they come from each epoch-end validation pass) instead of recomputed for this step.
        """
        wanted = set(channels or CHANNELS)
        costs: dict[str, float] = {}  # CPU seconds per channel, for the telemetry budget
        self.frame_costs = costs
        clock = self.clock
        self._seq += 1
        latest = self.latest_metrics or {}
        frame: dict[str, Any] = {
            "v": SNAPSHOT_VERSION,
            "run": self.run_id,
            "seq": self._seq,
            "step": self.step_count,
            "epoch": self.epoch,
            "status": self.status,
            "lr": self.lr,
            "loss": latest.get("loss", self._last_batch_loss),
            "val_loss": latest.get("val_loss"),
            "accuracy": latest.get("accuracy"),
            "val_accuracy": latest.get("val_accuracy"),
            "batch_loss": self._last_batch_loss,
            "path": self.path_name,
            "device": self.device_name,
            "layers": [],
            "diagnostics": [],
            "boundary": None,
            "feature_maps": None,
            "predictions": None,
            "recurrent": None,
            "parallel": self.parallel,
            "nodes": None,
        }
        if "layers" in wanted:
            start = clock()
            probes = self._probes()
            if layers:
                probes = [p for p in probes if p.id in layers]
            frame["layers"] = summarise_layers([p for p in probes if isinstance(p, LayerProbe)])
            frame["diagnostics"] = diagnose_layers(frame["layers"])
            if self.model.recurrent:
                frame["recurrent"] = summarise_recurrent(
                    [p for p in probes if isinstance(p, RecurrentProbe)], self.model.truncate
                )
            nodes = [p for p in probes if isinstance(p, NodeProbe)]
            if nodes:
                frame["nodes"] = summarise_nodes(nodes)
            costs["layers"] = clock() - start
        if "boundary" in wanted and self.data.raw_2d_train is not None:
            start = clock()
            if self._boundary_grid is None:
                self._boundary_grid = BoundaryGrid(self.data)
            frame["boundary"] = decision_boundary(
                self._boundary_grid, self._layer_outputs, self.model
            )
            costs["boundary"] = clock() - start
        if "feature_maps" in wanted and any(layer.kind == "conv2d" for layer in self.model.layers):
            start = clock()
            frame["feature_maps"] = feature_maps(self.model, self.x_train, self.y_train, example=0)
            costs["feature_maps"] = clock() - start
        if "predictions" in wanted:
            start = clock()
            refreshed = self._predictions(live)
            if refreshed is not self._shown_predictions:  # computed now, not the cached ones
                self._predictions_cost = clock() - start
            # on average, predictions cost a live frame no more than its other parts do (a
            # millisecond at least: a viewer of the predictions alone has no other parts), read
            # at every frame: the first frames' parts run cold and cost several times more
            others = max(sum(costs.values()), 1e-3)
            self._predictions_every = min(
                max(LIVE_PREDICTIONS_EVERY, math.ceil(self._predictions_cost / others)),
                LIVE_PREDICTIONS_SPARSEST,
            )
            self._shown_predictions = frame["predictions"] = refreshed
            # live frames refresh predictions every `_predictions_every` frames at most: what
            # they cost a frame on average is that share of a refresh
            costs["predictions"] = self._predictions_cost / (self._predictions_every if live else 1)
        return frame

    # --- internals ------------------------------------------------------------------------

    def _one_hot_targets(self) -> bool:
        """Whether every training target is a one-hot row (the classes of a classification
        set), read once: the autograd path then counts a step's hits with one gather."""
        y = self.y_train
        if y.dim() < 2 or y.shape[-1] < 2:
            return False
        return bool((((y == 0) | (y == 1)).all() & (y.sum(dim=-1) == 1).all()).item())

    def _torch_optimizer(self) -> Optimizer:
        if self._optimizer is None:
            params = [p for p in self.model.parameters() if p.requires_grad]
            self._optimizer = build_optimizer(self.spec.training.optimizer, params)
        return self._optimizer

    def _tensor(self, array: np.ndarray) -> Tensor:
        return torch.as_tensor(array, dtype=self.dtype).to(self.device)

    def _layer_outputs(self, x: np.ndarray) -> tuple[dict[str, Tensor], Tensor]:
        return self.path.layer_outputs(self._tensor(x))

    def _predictions(self, live: bool) -> dict[str, Any]:
        """What the network predicts on the validation split (the training split when there is
        none), at this step. `live` frames refresh it only when an epoch has ended since, and at
        most every LIVE_PREDICTIONS_EVERY frames (small sets end an epoch every few steps; more
        frames where a refresh costs more than the rest of a frame), from
        the epoch-end validation pass when there is one (no extra forward pass)."""
        cached = self._predicted
        if cached is not None and cached["step"] == self.step_count:
            return cached
        if live and cached is not None:
            self._live_frames += 1
            if cached["epoch"] == self.epoch or self._live_frames < self._predictions_every:
                return cached
        self._live_frames = 0
        split, x, t = (
            ("val", self.x_val, self.y_val)
            if self.data.n_val
            else ("train", self.x_train, self.y_train)
        )
        val = self._val_outputs
        if live and val is not None and val[0] == self.epoch and split == "val":
            _, step, outputs = val
        else:
            step, outputs = (
                self.step_count,
                as_tensor(self.path.outputs(x[:MAX_EVALUATED])),
            )
        output = self.model.output_layer
        sequence = None
        if outputs.dim() == 3:
            t = t[: outputs.shape[0]]
            sequence = sequence_predictions(
                outputs, t, task=self.data.task, class_names=self.data.target_names
            )
            if is_character_model(self.data.target_names, self.data.task):
                sequence["generated"] = generate_text(
                    lambda w: as_tensor(self.path.outputs(w)),
                    x[0],
                    self.data.target_names,
                )
            # the confusion matrix and scatter read the last step
            outputs, t = outputs[:, -1], t[:, -1]
        self._predicted = predictions(
            outputs,
            t,
            task=self.data.task,
            class_names=self.data.target_names,
            threshold=output_threshold(output.fn.name if output is not None else "linear"),
            split=split,
            step=step,
            epoch=self.epoch,
        )
        self._predicted["sequence"] = sequence
        return self._predicted

    def _probes(self) -> Sequence[Probe]:
        if self._capture is not None and self._capture[0] == self.step_count:
            return self._capture[1]
        x, t = self._last_batch or self._batch(0)
        probes = self.path.probe(x, t)
        self._capture = (self.step_count, probes)
        return probes

    def _announce_end(self) -> None:
        """Fire RUN_ENDED, once."""
        if not self._end_announced:
            self._end_announced = True
            self.events.fire(Event.RUN_ENDED, self, 1)

    def _start(self) -> None:
        self.status = "running"
        self.events.fire(Event.RUN_STARTED, self, 1)

    def _apply_schedule(self) -> None:
        training = self.spec.training
        self.lr = learning_rate(training.schedule, self.base_lr, self.epoch, training.epochs)
        self.path.set_lr(self.lr)

    def _batch(self, pos: int) -> tuple[Any, Any]:
        if self._order is None:
            end = pos + self.batch_size
            return self._x_batches[pos:end], self._y_batches[pos:end]
        idx = self._order[pos : pos + self.batch_size]
        if self._native_order:
            return self._x_batches[idx], self._y_batches[idx]
        # index_select copies whole rows (~3× faster than x[idx], which goes through the
        # general advanced-indexing kernel)
        return self._x_batches.index_select(0, idx), self._y_batches.index_select(0, idx)

    def _steps_left_in_epoch(self) -> int:
        return -(-(self.n_train - self._pos) // self.batch_size)

    def _steps(self, n: int) -> int:
        """Run up to n (≥ 1) iterations without capture; return how many ran.

        Paths that train many steps per call (the compiled path) run them up to the epoch's end in
        one call; the bookkeeping after each step is the same as `_iteration`'s.
        """
        if self._many_steps is None or n <= 1:
            self._iteration(False)
            return 1
        if self.status != "running":
            self._start()
        if self._pos == 0:
            self._begin_epoch()
        pos = self._pos
        n = min(n, self._steps_left_in_epoch())
        if self._step_listeners:
            # end the bulk run at the next step a handler is due at, to fire its event there
            due = self.events.next_due(Event.STEP_COMPLETED, self.step_count)
            if due is not None:
                n = min(n, due - self.step_count)
        self._capture = None
        losses, corrects = self._many_steps.train_steps(
            self._x_batches, self._y_batches, self._order, pos, self.batch_size, n
        )
        done = len(losses)
        # the batch of the last step run, for probes of a paused run and the divergence report
        self._last_batch = self._batch(pos + (done - 1) * self.batch_size)
        # A step's loss is not finite only as the last one run (the kernel stops there).
        counted = done if math.isfinite(float(losses[done - 1])) else done - 1
        if counted:
            self._account_many(losses[:counted], corrects[:counted])
        if counted < done:
            size = min(self.batch_size, self.n_train - self._pos)
            self._account(float(losses[counted]), int(corrects[counted]), size)
        return done

    def _account_many(self, losses: np.ndarray, corrects: np.ndarray) -> None:
        """`_account` for a run of finite steps within one epoch, in a few array operations: a
        playground network steps in microseconds, so a Python call per step cost a fifth of its
        training time. The sums are the same as step by step (cumsum adds in order)."""
        n = len(losses)
        sizes = np.full(n, self.batch_size, dtype=np.float64)
        sizes[-1] = min(self.batch_size, self.n_train - self._pos - (n - 1) * self.batch_size)
        batch_losses = losses if self._summed_loss else losses * sizes
        start = 0.0 if self._epoch_loss is None else float(self._epoch_loss)
        self._epoch_loss = float(np.cumsum(np.concatenate(([start], batch_losses)))[-1])
        self._epoch_correct = (self._epoch_correct or 0) + int(corrects.sum())
        self._last_batch_loss = float(losses[-1])
        self.step_count += n
        self._pos += n * self.batch_size
        if self._step_listeners:
            # `_steps` ends a bulk run at the next step due: the run's last step is the only one
            self.events.fire(Event.STEP_COMPLETED, self, self.step_count)
        if self._pos >= self.n_train:
            self._end_epoch()

    def _iteration(self, capture: bool) -> None:
        if self.status != "running":
            self._start()
        if self._pos == 0:
            self._begin_epoch()
        x, t = self._batch(self._pos)
        # A capture only serves snapshots of its own step: free its tensors (every layer's z, a,
        # δ for a batch) before this step allocates its own. Held on, they made the following
        # steps measurably slower (the allocator can no longer reuse that memory).
        self._capture = None
        try:
            result: StepResult = self.path.train_step(x, t, capture)
        except RuntimeError as error:  # e.g. out of memory: the run fails, the process lives
            self.stop("failed", f"training step failed: {error}")
            return
        self._last_batch = (x, t)
        if result.probes is not None:
            self._capture = (self.step_count + 1, result.probes)
        if capture and isinstance(self.path, ParallelPath) and self.path.report is not None:
            self.parallel = self._parallel_frame(self.path.report)
        self._account(result.loss, result.correct, x.shape[0])

    def _parallel_frame(self, report: dict[str, Any]) -> dict[str, Any]:
        """The path's report of the step about to be counted, with its step numbers and the
        training examples each worker's shard held."""
        examples = (
            self._order[self._pos : self._pos + self.batch_size]
            if self._order is not None
            else np.arange(self._pos, min(self._pos + self.batch_size, self.n_train))
        )
        index = [int(i) for i in (examples.tolist() if hasattr(examples, "tolist") else examples)]
        step = self.step_count + 1
        shards = [
            {**shard, "examples": index[shard["rows"][0] : shard["rows"][1]][:SHOWN_EXAMPLES]}
            for shard in report["shards"]
        ]
        return {**report, "shards": shards, "step": step}

    def _account(self, loss: Tensor | float, correct: Tensor | float, size: int) -> None:
        """Count one finished step: epoch sums, its events, the epoch's end."""
        self.step_count += 1
        batch_loss = loss if self._summed_loss else loss * size
        self._epoch_loss = batch_loss if self._epoch_loss is None else self._epoch_loss + batch_loss
        self._epoch_correct = (
            correct if self._epoch_correct is None else self._epoch_correct + correct
        )
        # On a CPU .item() is cheap; it also catches divergence on the step it happens.
        loss_value = as_float(loss)
        self._last_batch_loss = loss_value
        if not math.isfinite(loss_value):
            self.events.fire(Event.LOSS_NOT_FINITE, self, self.step_count)
            if self.done:  # a diverged step does not move the epoch on
                if self._step_listeners:
                    self.events.fire(Event.STEP_COMPLETED, self, self.step_count)
                return
        self._pos += self.batch_size
        if self._step_listeners:
            self.events.fire(Event.STEP_COMPLETED, self, self.step_count)
        if self._pos >= self.n_train:
            self._end_epoch()

    def _begin_epoch(self) -> None:
        self._apply_schedule()
        if self.batch_size < self.n_train:
            order = torch.randperm(self.n_train, generator=self.generator)
            self._order = order.numpy() if self._native_order else order.to(self.device)
        self._epoch_loss = None
        self._epoch_correct = None
        self.events.fire(Event.EPOCH_STARTED, self, self.epoch + 1)

    def _end_epoch(self) -> None:
        self._pos = 0
        self.epoch += 1
        training = self.spec.training
        mean = REDUCTION.get(training.loss) != "sum"
        loss = as_float(self._epoch_loss) / (self.n_train if mean else 1)  # type: ignore[arg-type]
        row: dict[str, Any] = {
            "step": self.step_count,
            "epoch": self.epoch,
            "loss": loss,
            "lr": self.lr,
        }
        row["accuracy"] = (
            as_float(self._epoch_correct) / self.n_train if self.classification else None  # type: ignore[arg-type]
        )
        row["val_loss"] = row["val_accuracy"] = None
        if self.data.n_val:
            val_loss, val_correct, self.val_outputs = self.path.evaluate(self.x_val, self.y_val)
            row["val_loss"] = as_float(val_loss)
            if self.classification:
                row["val_accuracy"] = as_float(val_correct) / self.data.n_val
        self.epoch_metrics = row
        self.path_recorder.record(self.step_count)
        if not math.isfinite(loss):  # every step's loss was a number, their mean is not
            self.events.fire(Event.LOSS_NOT_FINITE, self, self.step_count)
        self.events.fire(Event.EPOCH_COMPLETED, self, self.epoch)
