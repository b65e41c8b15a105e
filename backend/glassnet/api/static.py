"""The built frontend: files from the static folder, index.html for client-side routes."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI, HTTPException
from fastapi.responses import FileResponse, HTMLResponse, Response

RESERVED = ("api/", "ws/", "docs", "redoc", "openapi.json", "healthz")
NOT_BUILT = """<!doctype html><title>Glassnet</title>
<p>The Glassnet API is running. The frontend is not built yet (run <code>make run</code>).
See <a href="/docs">/docs</a> for the API.</p>"""


def install(app: FastAPI, root: Path) -> None:
    """Serve `root` at / (when it holds index.html); unknown non-API paths get index.html."""
    router = APIRouter(include_in_schema=False)
    root = root.resolve()
    index = root / "index.html"

    @router.get("/{path:path}")
    def frontend(path: str) -> Response:
        if path.startswith(RESERVED):
            raise HTTPException(404, f"no route /{path}")
        if not index.is_file():
            return HTMLResponse(NOT_BUILT)
        candidate = (root / path).resolve()
        if path and candidate.is_relative_to(root) and candidate.is_file():
            return FileResponse(candidate)
        if Path(path).suffix and not path.endswith(".html"):
            raise HTTPException(404, f"no file /{path}")
        return FileResponse(index, headers={"Cache-Control": "no-cache"})

    app.include_router(router)
