"""The softmax cross entropy golden tests, through POST /api/v1/trace (see conftest.py)."""

import test_softmax_cross_entropy as GOLDEN
from test_softmax_cross_entropy import *  # noqa: F403 (the same tests, collected again here)

__all__ = ["GOLDEN"]
