"""A contract change made in Python reaches TypeScript by regeneration alone, and the type check
fails until the app handles it: here a node kind added to the RunSpec, on scratch copies of
shared_schemas and the frontend (`make schemas`, then `tsc`)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
FRONTEND = ROOT / "frontend"

NEW_NODE = """

class HighwayNode(NodeBase):
    kind: Literal["highway"] = "highway"
    units: int = Field(ge=1, le=MAX_UNITS)
"""

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("node") is None or not (FRONTEND / "node_modules").exists(),
        reason="needs node and the frontend's node_modules",
    ),
]


def _edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"runspec.py no longer contains {old!r}; update this test"
    return text.replace(old, new)


def _schemas_with_a_new_node_kind(root: Path) -> Path:
    package = root / "shared_schemas"
    shutil.copytree(ROOT / "shared_schemas", package, ignore=shutil.ignore_patterns("__pycache__"))
    runspec = package / "runspec.py"
    text = runspec.read_text(encoding="utf-8")
    concat = 'class ConcatNode(NodeBase):\n    kind: Literal["concat"] = "concat"\n'
    text = _edit(text, concat, concat + NEW_NODE)
    text = _edit(text, "    | GruNode,\n", "    | GruNode\n    | HighwayNode,\n")
    runspec.write_text(text, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(root)}
    subprocess.run([sys.executable, "-m", "shared_schemas.export"], cwd=root, env=env, check=True)
    return package / "json"


def _app_copy(root: Path) -> Path:
    app = root / "frontend"
    shutil.copytree(FRONTEND / "src", app / "src")
    shutil.copytree(FRONTEND / "scripts", app / "scripts")
    (app / "node_modules").symlink_to(FRONTEND / "node_modules")
    tsconfig = json.loads((FRONTEND / "tsconfig.json").read_text(encoding="utf-8"))
    tsconfig["include"] = ["src", "scripts/*.d.mts"]
    (app / "tsconfig.json").write_text(json.dumps(tsconfig), encoding="utf-8")
    return app


def test_a_node_kind_added_in_python_fails_tsc_until_the_app_handles_it(tmp_path: Path) -> None:
    schema_dir = _schemas_with_a_new_node_kind(tmp_path)
    app = _app_copy(tmp_path)
    subprocess.run(
        ["node", "scripts/gen-types.mjs", "--schemas", str(schema_dir), "--out", "src/generated"],
        cwd=app,
        check=True,
        capture_output=True,
    )
    generated = (app / "src" / "generated" / "contracts.ts").read_text(encoding="utf-8")
    assert "export interface HighwayNode {" in generated
    assert '  kind: "highway";' in generated  # the tag is required, so the union narrows on it

    tsc = subprocess.run(
        ["node", "node_modules/typescript/bin/tsc", "--noEmit", "-p", "tsconfig.json"],
        cwd=app,
        capture_output=True,
        text=True,
        timeout=300,
    )

    errors = [line for line in tsc.stdout.splitlines() if "error TS" in line]
    assert tsc.returncode != 0, "tsc passed although the app does not handle the new node kind"
    assert all("highway" in line for line in errors), tsc.stdout
    failing = {line.split("(")[0] for line in errors}
    # where the app lists or switches over every node kind
    assert {"src/spec/types.ts", "src/spec/defaults.ts", "src/graph/compile.ts"} <= failing, failing
