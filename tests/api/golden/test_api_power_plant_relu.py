"""The power plant relu golden tests, through POST /api/v1/trace (see conftest.py)."""

import test_power_plant_relu as GOLDEN
from test_power_plant_relu import *  # noqa: F403 (the same tests, collected again here)

__all__ = ["GOLDEN"]
