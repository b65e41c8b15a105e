"""Datasets: upload a CSV (its own, larger body limit) and preview any data spec."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from starlette.concurrency import run_in_threadpool

from glassnet.api.deps import ManagerDep
from glassnet.api.errors import errors
from glassnet.runs import InvalidSpec, RunManager
from glassnet.runs.specs import resolve_upload
from glassnet.store import UploadInfo
from shared_schemas.api import DataPreview, UploadPublic
from shared_schemas.problems import from_validation_error

router = APIRouter(prefix="/api/v1/datasets", tags=["datasets"])
CSV_BODY = {
    "requestBody": {
        "required": True,
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }
}


@router.post("", status_code=201, responses=errors(413, 415, 422, 429), openapi_extra=CSV_BODY)
async def upload_dataset(
    request: Request,
    manager: ManagerDep,
    name: Annotated[str | None, Query(max_length=200)] = None,
) -> UploadPublic:
    """Upload a CSV file as the raw body (Content-Type text/csv). Use the returned `upload_id`
    as `data.upload_id` with `dataset: "csv"` and a `target_column`."""
    raw = await request.body()
    # Decoding and parsing 16 MiB takes seconds: on the event loop it would stall every other
    # request and websocket for as long.
    info = await run_in_threadpool(_save_upload, manager, raw)
    return UploadPublic(
        upload_id=info.upload_id, name=name, bytes=info.bytes, rows=info.rows, columns=info.columns
    )


def _save_upload(manager: RunManager, raw: bytes) -> UploadInfo:
    """Decode and check a CSV body and keep it (runs in a worker thread)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidSpec(
            "not UTF-8", [{"pointer": "", "message": "the CSV must be UTF-8 text."}]
        ) from exc
    try:
        return manager.uploads.save(text)
    except ValueError as exc:
        raise InvalidSpec(str(exc), [{"pointer": "", "message": str(exc)}]) from exc


def _preview(data: dict[str, Any], manager: ManagerDep, seed: int) -> DataPreview:
    from pydantic import ValidationError

    from glassnet.data import DataError, preview
    from shared_schemas.runspec import DataSpec

    uploaded = "upload_id" in data
    data = resolve_upload({"data": data}, manager.uploads.read)["data"]

    def sent(pointer: str) -> str:  # an upload's problems belong to the id the user sent
        return "/upload_id" if uploaded and pointer == "/csv_text" else pointer

    try:
        spec = DataSpec.model_validate(data)
    except ValidationError as exc:
        problems = from_validation_error(exc)
        raise InvalidSpec(
            "invalid data spec",
            [{"pointer": sent(p.pointer), "message": p.message} for p in problems],
        ) from exc
    try:
        return DataPreview.model_validate(preview(spec, seed))
    except DataError as exc:
        raise InvalidSpec(
            exc.message, [{"pointer": sent(f"/{exc.field}"), "message": exc.message}]
        ) from exc


@router.get("/preview", responses=errors(404, 422))
def preview_get(
    manager: ManagerDep,
    dataset: Annotated[str, Query(max_length=40)] = "circle",
    n: Annotated[int | None, Query(ge=1, le=70_000)] = None,
    noise: Annotated[float | None, Query(ge=0, le=50)] = None,
    seed: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
    upload_id: Annotated[str | None, Query(max_length=64)] = None,
    target_column: Annotated[str | None, Query(max_length=200)] = None,
) -> DataPreview:
    """A small look at a built-in dataset (points, a few images or table rows)."""
    data: dict[str, Any] = {"dataset": dataset}
    for key, value in (
        ("n", n),
        ("noise", noise),
        ("upload_id", upload_id),
        ("target_column", target_column),
    ):
        if value is not None:
            data[key] = value
    return _preview(data, manager, seed)


@router.post("/preview", responses=errors(404, 413, 422, 429))
def preview_post(
    data: Annotated[dict[str, Any], Body(description="a RunSpec `data` object")],
    manager: ManagerDep,
    seed: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
) -> DataPreview:
    """A small look at any data spec (inline tables, CSV text, every parameter)."""
    return _preview(data, manager, seed)
