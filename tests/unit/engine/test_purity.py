"""The engine sits at the bottom of the import graph: no web or database code comes with it."""

from __future__ import annotations

import json
import subprocess
import sys

FORBIDDEN = ("fastapi", "starlette", "sqlalchemy", "uvicorn")


def test_importing_the_engine_does_not_import_web_or_database_packages() -> None:
    code = (
        "import json, sys; import glassnet.engine; "
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []
