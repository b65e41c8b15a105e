"""Suite-wide settings: property tests draw the same examples on every machine and every run, and
servers built inside the test process run their runs in threads."""

import os

from hypothesis import settings

# The default process executor keeps a warm worker process per server; the many apps built inside
# the test process would each spawn one. They use the thread executor (the same Worker loop);
# the process executor has its own tests, and the live servers (tests/api/live.py, e2e) run the
# default: they drop this variable from their environment.
os.environ["GLASSNET_EXECUTOR"] = "thread"

# A red run must be reproducible from a clean checkout: no example database, fixed derivation.
settings.register_profile("glassnet", derandomize=True, database=None, deadline=None)
settings.load_profile("glassnet")
