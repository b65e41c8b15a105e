"""What every run worker needs before its run arrives, imported once by the fork server.

The process executor starts workers from a fork server (multiprocessing's "forkserver") that
imported this module: a new worker is a fork of a process that already holds torch, the engine and
the compiled kernels, so it is ready in milliseconds instead of the 1–2 s that importing torch
takes (several seconds on a loaded machine, which a class's burst of new runs is). The fork server
itself is a fresh single-threaded interpreter, not a fork of the server, so forking it is safe.
"""

from __future__ import annotations

import torch

from glassnet.engine.paths.compiled import warm_up
from glassnet.engine.trainer import Trainer

# One intra-op thread until a worker sets its own: an OpenMP pool started here would not survive
# the fork. (No torch op runs here; this keeps it so if one ever does.)
torch.set_num_threads(1)
warm_up()  # the kernels load (or compile, the first time) once, for every worker forked after

__all__ = ["Trainer"]
