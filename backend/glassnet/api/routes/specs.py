"""Validate a RunSpec without running it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body

from glassnet.api.deps import ManagerDep, SettingsDep
from glassnet.api.errors import errors
from glassnet.runs.specs import check_spec
from shared_schemas.api import NodeShape, ValidateResponse

router = APIRouter(prefix="/api/v1/specs", tags=["specs"])


@router.post("/validate", responses=errors(413, 422, 429))
def validate(
    spec: Annotated[dict[str, Any], Body(description="a RunSpec")],
    settings: SettingsDep,
    manager: ManagerDep,
) -> ValidateResponse:
    """Shapes of every node and the parameter count, or 422 with every problem."""
    checked = check_spec(spec, settings, manager.uploads.read)
    nodes = [
        NodeShape(
            id=n.id,
            kind=n.kind,
            shape=checked.shapes.get(n.id, []),
            parameters=checked.parameters.get(n.id, 0),
        )
        for n in checked.spec.network.nodes
    ]
    return ValidateResponse(nodes=nodes, parameter_count=checked.parameter_count)
