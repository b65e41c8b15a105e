"""The Glassnet engine: RunSpec → model, training loop, probes and traces. Pure torch + numpy.

from glassnet.engine import Trainer
trainer = Trainer(spec)          # a RunSpec or its dict
trainer.step(100)
frame = trainer.snapshot()       # W, b, z, a, δ, ∂L/∂W of every layer, summarised
"""

from glassnet.engine.catalog import catalog
from glassnet.engine.errors import SpecError
from glassnet.engine.trainer import Trainer, parse_spec
from glassnet.engine.validate import validate

__all__ = ["SpecError", "Trainer", "catalog", "parse_spec", "validate"]
