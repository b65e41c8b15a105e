"""Full validation of a RunSpec: the document, the graph, and the graph against its data."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from glassnet import data as datasets
from glassnet.engine import device as devices
from shared_schemas.graph import analyse_network, validate_spec
from shared_schemas.graph_info import GraphInfo
from shared_schemas.parallel import workers_problem
from shared_schemas.problems import Problem
from shared_schemas.runspec import RunSpec


@dataclass(frozen=True)
class NodeOutput:
    """One node of a valid network: its per-example output shape and its parameter count."""

    id: str
    shape: list[int]
    parameters: int


@dataclass(frozen=True)
class SpecShapes:
    """What validating a spec learnt of it: every node in topological order, and the sizes the
    server's cost caps need (how many examples the run holds and the numbers in each)."""

    nodes: list[NodeOutput]
    parameters: int  # of the whole network
    input: str  # the input node's id
    output: str  # the output node's id
    train_examples: int
    examples: int  # training and validation
    example_values: int  # one example's inputs and targets

    @property
    def by_node(self) -> dict[str, NodeOutput]:
        """The nodes by id."""
        return {n.id: n for n in self.nodes}


def validate(obj: Any) -> tuple[RunSpec | None, list[Problem], SpecShapes | None]:
    """(spec, problems, shapes): the RunSpec and its shapes, or None and every problem found.

    Beyond `shared_schemas.graph.validate_spec`, this checks the data spec and that the input and
    output layers fit the dataset (which needs the data package, so it lives in the engine).
    """
    spec, problems = validate_spec(obj)
    if spec is None:
        raw_data = obj.get("data") if isinstance(obj, dict) else None
        if isinstance(raw_data, dict):
            problems += [
                p
                for p in _data_problems(raw_data)
                if p.pointer not in {q.pointer for q in problems}
            ]
        return None, problems, None
    info, _ = analyse_network(spec.network)
    try:
        dataset = datasets.load(spec.data, spec.seed)
    except datasets.DataError:
        problems = _data_problems(spec.data)  # every problem of the data spec, not the first
    else:
        problems = fit_problems(spec, info, dataset)
    problems += device_problems(spec)
    if problems:
        return None, problems, None
    shapes = SpecShapes(
        nodes=[
            NodeOutput(nid, list(info.shapes[nid]), info.parameters.get(nid, 0))
            for nid in info.order
        ],
        parameters=info.parameter_count,
        input=info.input_node,
        output=info.output_node,
        train_examples=int(dataset.x_train.shape[0]),
        examples=int(dataset.x_train.shape[0] + dataset.x_val.shape[0]),
        example_values=int(math.prod(dataset.input_shape)) + int(dataset.n_targets),
    )
    return spec, [], shapes


def _data_problems(data: Any) -> list[Problem]:
    return [Problem(**p) for p in datasets.check(data)]


def inputs_fit(network_shape: tuple[int, ...], data_shape: tuple[int, ...]) -> bool:
    """Equal shapes, or flat rows (typed into a table) with as many values as the input holds."""
    if network_shape == data_shape:
        return True
    return len(data_shape) == 1 and math.prod(network_shape) == data_shape[0]


def device_problems(spec: RunSpec) -> list[Problem]:
    """`cuda` on a server without a GPU is refused, so no run trains on the CPU by surprise."""
    if spec.device == "cuda" and not devices.cuda_available():
        return [Problem(pointer="/device", message=devices.NO_GPU)]
    return []


def fit_problems(spec: RunSpec, info: GraphInfo, dataset: datasets.Dataset) -> list[Problem]:
    """Problems where the network's input or output does not fit the dataset."""
    problems = []
    index = {n.id: i for i, n in enumerate(spec.network.nodes)}
    in_shape = tuple(info.shapes[info.input_node])
    if not inputs_fit(in_shape, tuple(dataset.input_shape)):
        problems.append(
            Problem(
                pointer=f"/network/nodes/{index[info.input_node]}/shape",
                message=f"the input shape {list(in_shape)} does not match the data: "
                f"'{dataset.name}' gives examples of shape {list(dataset.input_shape)}.",
            )
        )
    parallel = spec.training.parallel
    n_train = int(dataset.x_train.shape[0])
    if parallel is not None and (spec.training.batch_size or n_train) >= n_train:
        problem = workers_problem(
            parallel.workers, n_train, f"the full batch of '{dataset.name}' training examples"
        )
        problems += [problem] if problem is not None else []
    out_shape = tuple(info.shapes[info.output_node])
    target_shape = dataset.target_shape or (dataset.n_targets,)
    if out_shape != target_shape:
        if len(target_shape) == 2:
            message = (
                f"'{dataset.name}' has a target at every step, {list(target_shape)}, but "
                f"the output '{info.output_node}' gives {list(out_shape)}; keep return_sequences "
                f"true on the last recurrent layer and end with a dense layer of "
                f"{dataset.n_targets} unit(s)."
            )
        elif len(out_shape) == 2:
            message = (
                f"'{dataset.name}' has one target {list(target_shape)} per sequence but "
                f"the output '{info.output_node}' gives one per step, {list(out_shape)}; set "
                f"return_sequences false on the last recurrent layer."
            )
        else:
            message = (
                f"the output '{info.output_node}' gives {list(out_shape)} but '{dataset.name}' "
                f"has {dataset.n_targets} target value(s) per example; give it {dataset.n_targets} unit(s)."
            )
        problems.append(
            Problem(pointer=f"/network/nodes/{index[info.output_node]}", message=message)
        )
    return problems
