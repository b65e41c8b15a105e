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


def test_engine_source_imports_no_threads_web_or_server_modules() -> None:
    import ast
    from pathlib import Path

    import glassnet.engine

    banned = {"threading", "multiprocessing", "asyncio", "websockets", *FORBIDDEN}
    banned_internal = ("glassnet.api", "glassnet.runs", "glassnet.store", "glassnet.cli")
    root = Path(glassnet.engine.__file__).parent
    found = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                if name.split(".")[0] in banned or name.startswith(banned_internal):
                    found.append(f"{path.relative_to(root)}: {name}")
    assert found == []
