"""The cnn lecture golden tests, through POST /api/v1/trace (see conftest.py)."""

import test_cnn_lecture as GOLDEN
from test_cnn_lecture import *  # noqa: F403 (the same tests, collected again here)

__all__ = ["GOLDEN"]
