"""The textbook trace: exact forward, backward and update of given examples."""

from __future__ import annotations

from fastapi import APIRouter

from glassnet.api.deps import ManagerDep, SettingsDep
from glassnet.api.errors import errors
from glassnet.runs import InvalidSpec
from glassnet.runs.specs import check_spec
from shared_schemas.trace import TraceRequest, TraceResponse, TraceSpecRequest

router = APIRouter(prefix="/api/v1", tags=["trace"])


@router.post("/trace", responses=errors(413, 422, 429))
def post_trace(body: TraceRequest) -> TraceResponse:
    """One iteration, every number: z, a, ∂a/∂z, δ per example; gradients; parameters after."""
    from glassnet.engine.trace import TraceError, trace

    try:
        result = trace(body)
    except TraceError as exc:
        raise InvalidSpec(exc.message, [exc.as_problem()]) from exc
    return TraceResponse.model_validate(result)


@router.post("/trace/spec", responses=errors(413, 422, 429))
def post_trace_spec(
    body: TraceSpecRequest, settings: SettingsDep, manager: ManagerDep
) -> TraceResponse:
    """The same trace for a whole RunSpec: its data's examples, its loss, α and first weights."""
    from glassnet.engine.trace import TraceError, trace_spec

    checked = check_spec(body.spec, settings, manager.uploads.read, prefix=("spec",))
    try:
        result = trace_spec(
            checked.resolved,
            example_indices=body.example_indices,
            dtype=body.dtype,
            reduction=body.reduction,
            round_to=body.round_to,
            use_optimizer=body.use_optimizer,
        )
    except TraceError as exc:
        problem = exc.as_problem()
        if not problem["pointer"].startswith("/example_indices"):
            problem["pointer"] = "/spec" + problem["pointer"]  # the spec's fields sit under /spec
        raise InvalidSpec(exc.message, [problem]) from exc
    return TraceResponse.model_validate(result)
