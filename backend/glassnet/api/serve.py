"""`glassnet serve`: uvicorn with the app built from settings."""

from __future__ import annotations

from glassnet.settings import Settings


def serve(
    host: str | None = None, port: int | None = None, settings: Settings | None = None
) -> None:
    """Run the server until interrupted (host/port override the settings)."""
    import uvicorn

    from glassnet.api.app import create_app

    settings = settings or Settings()
    updates = {k: v for k, v in (("host", host), ("port", port)) if v is not None}
    if updates:
        settings = settings.model_copy(update=updates)
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        ws_max_size=settings.max_ws_message_bytes,
        # Telemetry is encoded once and sent to many sockets; per-socket deflate would redo
        # the work for every viewer (and packed floats barely compress).
        ws_per_message_deflate=False,
        # Behind a trusted reverse proxy the client address (and so the rate-limit bucket) is the
        # one the proxy names, not the proxy's own.
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips,
        log_level="info",
    )
