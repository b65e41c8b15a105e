"""The built frontend: files from the static folder, index.html for client-side routes.

Served from the 404 handler rather than a catch-all route, so that API paths keep their proper
404/405 answers and the frontend never shadows a route.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from starlette.exceptions import HTTPException

from glassnet.api.errors import problems_response

RESERVED = ("/api/", "/ws/", "/docs", "/redoc", "/openapi.json", "/healthz")
NOT_BUILT = """<!doctype html><title>Glassnet</title>
<p>The Glassnet API is running. The frontend is not built yet (run <code>make run</code>).
See <a href="/docs">/docs</a> for the API.</p>"""


def install(app: FastAPI, root: Path) -> None:
    """Serve `root` at / (when it holds index.html); unknown non-API paths get index.html."""
    root = root.resolve()
    index = root / "index.html"

    async def not_found(request: Request, exc: HTTPException) -> Response:
        path = request.url.path
        if request.method not in ("GET", "HEAD") or path.startswith(RESERVED):
            return problems_response(404, [{"pointer": "", "message": f"no route {path}"}])
        if not index.is_file():
            return HTMLResponse(NOT_BUILT)
        candidate = (root / path.lstrip("/")).resolve()
        if candidate.is_relative_to(root) and candidate.is_file():
            return FileResponse(candidate)
        if Path(path).suffix and not path.endswith(".html"):
            return problems_response(404, [{"pointer": "", "message": f"no file {path}"}])
        return FileResponse(index, headers={"Cache-Control": "no-cache"})

    app.add_exception_handler(404, not_found)  # type: ignore[arg-type]
