"""Textbook trace of one training iteration, every number exposed (`POST /api/v1/trace`)."""

from glassnet.engine.trace.core import run_trace, trace
from glassnet.engine.trace.errors import TraceError
from glassnet.engine.trace.spec import trace_spec

__all__ = ["TraceError", "run_trace", "trace", "trace_spec"]
