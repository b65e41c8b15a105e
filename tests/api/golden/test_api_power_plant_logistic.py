"""The power plant logistic golden tests, through POST /api/v1/trace (see conftest.py)."""

import test_power_plant_logistic as GOLDEN
from test_power_plant_logistic import *  # noqa: F403 (the same tests, collected again here)

__all__ = ["GOLDEN"]
