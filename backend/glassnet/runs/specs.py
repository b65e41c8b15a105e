"""Spec checks before a run exists: upload substitution, `validate_spec`, and the server's caps."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from glassnet.runs.errors import InvalidSpec, LimitExceeded
from glassnet.settings import Settings
from shared_schemas.problems import pointer as json_pointer
from shared_schemas.runspec import RunSpec

ReadUpload = Callable[[str], str | None]
WEIGHTED = {"dense", "conv2d", "rnn", "lstm", "gru"}


@dataclass(frozen=True)
class CheckedSpec:
    spec: RunSpec
    resolved: dict[str, Any]  # the JSON the engine gets (an upload's text substituted)
    shapes: dict[str, list[int]]
    parameters: dict[str, int]

    @property
    def parameter_count(self) -> int:
        return sum(self.parameters.values())


def resolve_upload(spec: Any, read_upload: ReadUpload, prefix: tuple[str, ...] = ()) -> Any:
    """Replace `data.upload_id` by the uploaded file's text (`csv_text`) before validation."""
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
    resolved = copy.deepcopy(spec)
    resolved["data"]["csv_text"] = text
    del resolved["data"]["upload_id"]
    return resolved


def check_spec(
    spec: Any, settings: Settings, read_upload: ReadUpload, prefix: tuple[str, ...] = ()
) -> CheckedSpec:
    """Validate a RunSpec document; raise InvalidSpec (every problem) or LimitExceeded."""
    resolved = resolve_upload(spec, read_upload, prefix)
    # the document, the graph, the data, and whether the input and output fit the data
    from glassnet.engine import validate

    parsed, problems, shapes = validate(resolved)
    if parsed is None or shapes is None:
        raise InvalidSpec(
            "invalid spec",
            [
                {"pointer": json_pointer(*prefix) + p.pointer, "message": p.message}
                for p in problems
            ],
        )
    _check_caps(parsed, shapes["parameters"], settings, prefix)
    nodes = shapes["nodes"]
    return CheckedSpec(
        parsed,
        resolved,
        {n["id"]: n["shape"] for n in nodes},
        {n["id"]: n["parameters"] for n in nodes},
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
