"""The textbook trace: exact forward, backward and update of given examples."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from fastapi import APIRouter

from glassnet.api.deps import ManagerDep, SettingsDep
from glassnet.api.errors import errors
from glassnet.engine.costs import trace_values
from glassnet.runs import InvalidSpec
from glassnet.runs.specs import check_spec
from glassnet.settings import Settings
from shared_schemas.graph import analyse_network
from shared_schemas.problems import value_problems
from shared_schemas.trace import TraceRequest, TraceResponse, TraceSpecRequest

router = APIRouter(prefix="/api/v1", tags=["trace"])


def _check_size(
    settings: Settings,
    shapes: Iterable[Sequence[int]],
    parameters: Mapping[str, int],
    examples: int,
    where: str,
) -> None:
    """Refuse a trace whose answer would hold more numbers than the server sends at once."""
    values = trace_values(shapes, parameters, examples)
    if values <= settings.max_trace_values:
        return
    message = (
        f"this trace would answer with about {values:,} numbers ({examples} example(s) through "
        f"{sum(parameters.values()):,} parameters); this server sends at most "
        f"{settings.max_trace_values:,}. Trace fewer examples, or a smaller network."
    )
    raise InvalidSpec(message, [{"pointer": where, "message": message}])


@router.post("/trace", responses=errors(413, 422, 429))
def post_trace(body: TraceRequest, settings: SettingsDep) -> TraceResponse:
    """One iteration, every number: z, a, ∂a/∂z, δ per example; gradients; parameters after."""
    from glassnet.engine.trace import TraceError, trace

    problems = value_problems(body.inputs, "inputs") + value_problems(body.targets, "targets")
    if problems:
        raise InvalidSpec("invalid values", [p.model_dump() for p in problems])
    info, network_problems = analyse_network(body.network)
    if not network_problems:  # a broken network is the trace's own error to explain
        node_shapes = [s for nid, s in info.shapes.items() if nid != info.input_id]
        _check_size(settings, node_shapes, info.parameters, len(body.inputs), "/inputs")
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
    from glassnet.engine.trace.spec import MAX_DEFAULT_EXAMPLES

    checked = check_spec(body.spec, settings, manager.uploads.read, prefix=("spec",))
    examples = (
        len(body.example_indices)
        if body.example_indices is not None
        else min(checked.train_examples, MAX_DEFAULT_EXAMPLES)
    )
    input_id = next(n.id for n in checked.spec.network.nodes if n.kind == "input")
    node_shapes = [s for nid, s in checked.shapes.items() if nid != input_id]
    _check_size(settings, node_shapes, checked.parameters, examples, "/example_indices")
    try:
        # the request's other fields are trace_spec's keyword arguments, by the same names
        result = trace_spec(checked.spec, **body.model_dump(exclude={"spec"}))
    except TraceError as exc:
        problem = exc.as_problem()
        if not problem["pointer"].startswith("/example_indices"):
            problem["pointer"] = "/spec" + problem["pointer"]  # the spec's fields sit under /spec
        raise InvalidSpec(exc.message, [problem]) from exc
    return TraceResponse.model_validate(result)
