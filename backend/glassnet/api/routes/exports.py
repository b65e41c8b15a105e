"""Exports of a run: the model (safetensors, PyTorch source, ONNX) and the metrics (CSV, JSON)."""

from __future__ import annotations

import json
from typing import Any, Literal

from fastapi import APIRouter, Response
from fastapi.concurrency import run_in_threadpool

from glassnet.api.deps import ManagerDep
from glassnet.api.errors import errors
from glassnet.api.routes.runs import metrics_csv
from glassnet.runs import export

router = APIRouter(prefix="/api/v1/runs", tags=["exports"])
MEDIA = {
    "safetensors": "application/octet-stream",
    "py": "text/x-python",
    "onnx": "application/octet-stream",
    "csv": "text/csv",
    "json": "application/json",
}
BINARY: dict[str, Any] = {
    "content": {"application/octet-stream": {}, "text/x-python": {}, "text/csv": {}}
}


@router.get("/{run_id}/export", responses={**errors(404, 409, 422), 200: BINARY})
async def export_run(
    run_id: str,
    manager: ManagerDep,
    format: Literal["safetensors", "py", "onnx", "csv", "json"] = "safetensors",
) -> Response:
    """The trained model as safetensors (state_dict), a PyTorch source file that rebuilds the
    network, or ONNX; or the metrics history as CSV/JSON."""
    body: str | bytes
    if format in ("csv", "json"):
        rows = manager.metrics(run_id)
        body = (
            metrics_csv(rows)
            if format == "csv"
            else json.dumps({"run_id": run_id, "metrics": rows})
        )
    else:
        spec = await run_in_threadpool(manager.spec_of, run_id)
        if format == "py":
            body = export.pytorch_source(spec, run_id)
        else:
            arrays = await manager.state_dict(run_id)
            make = export.safetensors_bytes if format == "safetensors" else export.onnx_bytes
            # ONNX tracing takes a moment of CPU: keep it off the event loop.
            body = await run_in_threadpool(make, spec, arrays)
    return Response(
        body,
        media_type=MEDIA[format],
        headers={"Content-Disposition": f'attachment; filename="{run_id}.{format}"'},
    )
