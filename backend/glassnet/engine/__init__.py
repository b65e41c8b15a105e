"""The Glassnet engine: RunSpec → model, training loop, probes and traces. Pure torch + numpy.

from glassnet.engine import Trainer
trainer = Trainer(spec)          # a RunSpec or its dict
trainer.step(100)
frame = trainer.snapshot()       # W, b, z, a, δ, ∂L/∂W of every layer, summarised
trainer.on(Event.EPOCH_COMPLETED, lambda t: print(t.epoch_metrics), every=10)
"""

from glassnet.engine.catalog import catalog
from glassnet.engine.errors import SpecError
from glassnet.engine.events import Event
from glassnet.engine.trainer import Trainer, parse_spec
from glassnet.engine.validate import validate

__all__ = ["Event", "SpecError", "Trainer", "catalog", "parse_spec", "validate"]
