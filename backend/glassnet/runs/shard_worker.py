"""One data-parallel worker process: `python -m glassnet.runs.shard_worker READ_FD WRITE_FD`.

It builds the run's network from the RunSpec it is sent first (validated by the server, pickled
as the model), then answers each
("step", parameters, x, t) with its shard's loss, number correct and gradient, computed by the
engine's `shard_gradient` at exactly the parameters it was given. End of input ends it, so a
worker whose run went away (even killed) exits on its own.
"""

from __future__ import annotations

import sys
from multiprocessing.connection import Connection
from typing import Any


def serve(inbox: Connection, outbox: Connection) -> None:
    """Build the model from the first message, then answer steps until the pipe closes."""
    import torch

    from glassnet.engine.device import resolve_device
    from glassnet.engine.model import GraphModel
    from glassnet.engine.parallel import shard_gradient
    from shared_schemas.runspec import RunSpec

    first: dict[str, Any] = inbox.recv()
    torch.set_num_threads(1)  # k workers share the machine's cores with the run itself
    spec: RunSpec = first["spec"]
    dtype = torch.float64 if spec.dtype == "float64" else torch.float32
    device = resolve_device(spec.device)
    model = GraphModel(spec.network, torch.Generator().manual_seed(spec.seed), dtype)
    model.truncate = spec.training.bptt.truncate
    model.to(device)
    # each worker draws its own dropout masks, as separate devices do
    seed = spec.seed + 1 + 7919 * (int(first["worker"]) + 1)
    model.set_dropout_generator(torch.Generator(device=device).manual_seed(seed))
    params = [p for p in model.parameters() if p.requires_grad]
    outbox.send(("ready", len(params)))
    while True:
        try:
            message = inbox.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        try:
            _, values, x, t = message
            with torch.no_grad():
                for p, v in zip(params, values, strict=True):
                    p.copy_(torch.from_numpy(v))
            xs = torch.from_numpy(x).to(device)
            ts = torch.from_numpy(t).to(device)
            result = shard_gradient(model, params, spec.training.loss, xs, ts, 0, xs.shape[0])
            assert result.loss is not None and result.correct is not None
            assert result.grads is not None  # the shard has rows: the parent sends no empty one
            # one device→host copy per gradient: the answer crosses a pipe
            grads = [g.detach().cpu().numpy() for g in result.grads]
            outbox.send(("ok", result.loss.item(), float(result.correct.item()), grads))
        except Exception as error:  # the run fails with this reason, the worker stays up
            outbox.send(("error", f"{type(error).__name__}: {error}"))


if __name__ == "__main__":
    serve(
        Connection(int(sys.argv[1]), writable=False), Connection(int(sys.argv[2]), readable=False)
    )
