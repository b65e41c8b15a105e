"""The textbook trace: exact forward, backward and update of given examples."""

from __future__ import annotations

from fastapi import APIRouter

from glassnet.api.errors import errors
from glassnet.runs import InvalidSpec
from shared_schemas.trace import TraceRequest, TraceResponse

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
