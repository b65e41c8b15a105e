"""Spec checks before a run exists: upload substitution, `validate_spec`, and the server's caps.

This is the edge where a spec document becomes a RunSpec: `check_spec` validates it once, and the
model it returns is what the run record, the executors and the engine's Trainer receive.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from glassnet.engine.costs import activation_bytes, mebibytes
from glassnet.engine.validate import SpecShapes
from glassnet.runs.errors import InvalidSpec, LimitExceeded
from glassnet.settings import Settings
from shared_schemas.problems import pointer as json_pointer
from shared_schemas.runspec import RECURRENT_KINDS, WEIGHTED_KINDS, RunSpec

ReadUpload = Callable[[str], str | None]
WEIGHTED = WEIGHTED_KINDS | RECURRENT_KINDS


@dataclass(frozen=True)
class CheckedSpec:
    """A spec that passed every check, with what the checks learnt of it."""

    spec: RunSpec  # what the engine trains: an upload's text in place of its id
    shapes: dict[str, list[int]]
    parameters: dict[str, int]
    train_examples: int = 0

    @property
    def parameter_count(self) -> int:
        return sum(self.parameters.values())


def resolve_upload(spec: Any, read_upload: ReadUpload, prefix: tuple[str, ...] = ()) -> Any:
    """Replace `data.upload_id` by the uploaded file's text (`csv_text`) before validation.

    The document given is left as it is: the result is a new top-level object and `data`, the
    rest shared with it (validation only reads it)."""
    if not isinstance(spec, dict) or not isinstance(spec.get("data"), dict):
        return spec
    upload_id = spec["data"].get("upload_id")
    if upload_id is None:
        return spec
    text = read_upload(upload_id) if isinstance(upload_id, str) else None
    if text is None:
        where = json_pointer(*prefix, "data", "upload_id")
        raise InvalidSpec(
            "unknown upload",
            [{"pointer": where, "message": f"no uploaded dataset with id {upload_id!r}."}],
        )
    data = {key: value for key, value in spec["data"].items() if key != "upload_id"}
    data["csv_text"] = text
    return {**spec, "data": data}


def _sent_field(pointer: str, uploaded: bool) -> str:
    if uploaded and pointer == "/data/csv_text":
        return "/data/upload_id"
    return pointer


def check_spec(
    spec: Any, settings: Settings, read_upload: ReadUpload, prefix: tuple[str, ...] = ()
) -> CheckedSpec:
    """Validate a RunSpec document into the model the run trains from (an upload's text in place
    of its id); raise InvalidSpec (every problem) or LimitExceeded."""
    resolved = resolve_upload(spec, read_upload, prefix)
    # the document, the graph, the data, and whether the input and output fit the data
    from glassnet.engine import validate

    parsed, problems, shapes = validate(resolved)
    if parsed is None or shapes is None:
        # An upload's text stood in for its id: its problems belong to the field the user sent.
        uploaded = resolved is not spec
        raise InvalidSpec(
            "invalid spec",
            [
                {
                    "pointer": json_pointer(*prefix) + _sent_field(p.pointer, uploaded),
                    "message": p.message,
                }
                for p in problems
            ],
        )
    _check_caps(parsed, shapes.parameters, settings, prefix)
    _check_memory(parsed, shapes, settings, prefix)
    return CheckedSpec(
        parsed,
        {n.id: n.shape for n in shapes.nodes},
        {n.id: n.parameters for n in shapes.nodes},
        shapes.train_examples,
    )


def _check_caps(spec: RunSpec, n_params: int, settings: Settings, prefix: tuple[str, ...]) -> None:
    nodes = spec.network.nodes
    layers = sum(1 for n in nodes if n.kind in WEIGHTED)
    where = json_pointer(*prefix, "network", "nodes")
    if layers > settings.max_layers:
        raise LimitExceeded(
            "too many layers",
            [
                {
                    "pointer": where,
                    "message": f"this server allows at most {settings.max_layers} "
                    f"weighted layers; the network has {layers}.",
                }
            ],
        )
    for i, node in enumerate(nodes):
        width = getattr(node, "units", None) or getattr(node, "filters", None) or 0
        if width > settings.max_units:
            raise LimitExceeded(
                "too many units",
                [
                    {
                        "pointer": json_pointer(*prefix, "network", "nodes", i),
                        "message": f"'{node.id}' has {width} units; this server allows at most "
                        f"{settings.max_units} per layer.",
                    }
                ],
            )
    if n_params > settings.max_parameters:
        raise LimitExceeded(
            "too many parameters",
            [
                {
                    "pointer": where,
                    "message": f"the network has {n_params} parameters; this server "
                    f"allows at most {settings.max_parameters}.",
                }
            ],
        )


def estimated_activation_bytes(spec: RunSpec, shapes: SpecShapes) -> int:
    """The run's activation memory: one batch through every layer, plus its data on the device."""
    train = shapes.train_examples
    batch = min(spec.training.batch_size or train, train)
    layers = [n.shape for n in shapes.nodes if n.id != shapes.input]
    return activation_bytes(layers, batch, shapes.examples, shapes.example_values, spec.dtype)


def _check_memory(
    spec: RunSpec, shapes: SpecShapes, settings: Settings, prefix: tuple[str, ...]
) -> None:
    estimate = estimated_activation_bytes(spec, shapes)
    if estimate <= settings.max_activation_bytes:
        return
    batch = spec.training.batch_size
    raise LimitExceeded(
        "too much activation memory",
        [
            {
                "pointer": json_pointer(*prefix, "training", "batch_size"),
                "message": f"this run needs about {mebibytes(estimate)} for its activations and "
                f"data (batch {batch or 'full'} × the outputs of every layer × "
                f"{spec.dtype}, plus the data on the device); this server allows "
                f"{mebibytes(settings.max_activation_bytes)}. Use a smaller batch_size, fewer "
                "filters or units, or fewer examples (data.n).",
            }
        ],
    )
