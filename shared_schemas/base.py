"""The base of every model a client sends: strict numbers, finite values, no unknown fields.

Strict mode refuses `"units": true`, `"units": "8"` and `"start": "yes"` instead of coercing them,
while a float field still takes a JSON integer (`"lr": 1`). NaN and ±Infinity, which Python's JSON
reader lets through, are refused as well: a spec that holds them cannot train to anything sensible.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

# Weights, biases, inputs and targets a person types or uploads: beyond this a single product
# z = W·x already nears float32's range (3.4e38) and training can only report an overflow.
MAX_ABS_VALUE = 1e6


class ClientModel(BaseModel):
    """Base for request bodies, RunSpec parts and websocket messages a client sends."""

    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)
