"""Checks of data-parallel training (`training.parallel`): what splitting a batch across workers
needs from the rest of the spec.

Kept apart from `shared_schemas.graph`, which calls `check_parallel` once per spec. The check that
needs the dataset (more workers than training examples in a full batch) lives in the engine.
"""

from __future__ import annotations

from shared_schemas.problems import Problem, pointer
from shared_schemas.runspec import RunSpec

WORKERS = pointer("training", "parallel", "workers")


def workers_problem(workers: int, batch: int, source: str) -> Problem | None:
    """More workers than rows in a batch would leave a worker without a shard; `source` says
    where the batch's size comes from."""
    if workers <= batch:
        return None
    return Problem(
        pointer=WORKERS,
        message=f"{workers} workers cannot share a batch of {batch} rows ({source}): every worker needs at "
        f"least one row (rows are dealt out in order, ⌊b/k⌋ or ⌈b/k⌉ each). Use at most {batch} "
        f"workers or a larger batch_size.",
    )


def check_parallel(spec: RunSpec) -> list[Problem]:
    """Every problem of `training.parallel` against the network and the training settings."""
    training = spec.training
    parallel = training.parallel
    if parallel is None:
        return []
    problems: list[Problem] = []
    if training.trainer != "gradient":
        problems.append(
            Problem(
                pointer=pointer("training", "parallel"),
                message=f"data parallelism splits backpropagation's gradient across workers; the "
                f"{training.trainer} trainer computes none. Remove training.parallel or set "
                f"training.trainer to 'gradient'.",
            )
        )
    if parallel.mode == "sync" and parallel.staleness > 0:
        problems.append(
            Problem(
                pointer=pointer("training", "parallel", "staleness"),
                message=f"staleness {parallel.staleness} applies to asynchronous updates only; "
                f"in sync mode every gradient is of the current weights. Set mode to 'async' "
                f"or staleness to 0.",
            )
        )
    for i, node in enumerate(spec.network.nodes):
        if node.kind == "batchnorm":
            problems.append(
                Problem(
                    pointer=pointer("network", "nodes", i),
                    message=f"batch norm '{node.id}' normalises with its batch's mean and "
                    f"variance, and each worker would see only its shard's, so the workers' "
                    f"average would not be the batch gradient. Remove the batchnorm node or "
                    f"training.parallel.",
                )
            )
    if training.batch_size is not None:
        problem = workers_problem(
            parallel.workers, training.batch_size, f"batch_size is {training.batch_size}"
        )
        if problem is not None:
            problems.append(problem)
    return problems
