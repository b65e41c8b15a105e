"""The FastAPI application factory."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.types import ASGIApp

from glassnet.api import errors, limits, static
from glassnet.api.errors import errors as error_responses
from glassnet.api.routes import (
    catalog,
    compare,
    datasets,
    experiments,
    exports,
    health,
    landscape,
    lessons,
    rooms,
    runs,
    specs,
    sweeps,
    trace,
)
from glassnet.api.ws import telemetry
from glassnet.rooms import RoomFanout, RoomService
from glassnet.runs import RunManager
from glassnet.runs.handles import Executor
from glassnet.runs.sweeps import SweepService
from glassnet.settings import Settings
from glassnet.store import Store

DESCRIPTION = """A glass-box neural-network playground: build a network from a RunSpec, train it,
and watch W, b, z, a, δ and ∂L/∂W of every layer. Every error answers
`{"detail": [{"pointer", "message"}]}`. Steering a run needs the `owner` token returned when it was
created (header `X-Glassnet-Owner`). Live telemetry: websocket `/ws/v1` (see shared_schemas/ws.py)."""


def _operation_id(route: APIRoute) -> str:
    """Clean client method names: `runs-create_run`."""
    tag = route.tags[0] if route.tags else "default"
    return f"{tag}-{route.name}"


class GlassnetAPI(FastAPI):
    """FastAPI with one outermost layer: framework plain-text errors become problem lists."""

    def build_middleware_stack(self) -> ASGIApp:
        return limits.PlainErrorsAsProblems(super().build_middleware_stack())


def create_app(settings: Settings | None = None, executor: Executor | None = None) -> FastAPI:
    """Build the app. Storage and the run manager start with the app's lifespan."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        import torch

        # Process-wide: on small tensors, waking a second intra-op thread costs more than the op
        # (a snapshot of a tiny MLP took 15 ms with 2 threads, 1.4 ms with 1).
        torch.set_num_threads(settings.torch_threads)
        store = Store(settings.resolved_database_url)
        manager = RunManager(settings, store, executor)
        app.state.store = store
        app.state.manager = manager
        sweep_service = SweepService(settings, store, manager)
        app.state.sweeps = sweep_service
        fanout = RoomFanout()
        fanout.bind(asyncio.get_running_loop())
        app.state.rooms = RoomService(settings, store, manager, fanout)
        try:
            yield
        finally:
            sweep_service.shutdown()
            manager.shutdown()
            store.close()

    app = GlassnetAPI(
        title="Glassnet",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        max_body_size=settings.max_body_bytes,
        generate_unique_id_function=_operation_id,
    )
    app.state.settings = settings
    errors.install(app)
    app.add_middleware(
        limits.RateLimit, rate=settings.rate_limit_per_second, burst=settings.rate_limit_burst
    )
    limited = error_responses(400, 429)
    app.include_router(health.router)
    for module in (
        catalog,
        specs,
        runs,
        exports,
        trace,
        experiments,
        landscape,
        rooms,
        lessons,
        sweeps,
        compare,
    ):
        app.include_router(module.router, responses=limited)
    app.include_router(datasets.router, responses=limited, max_body_size=settings.max_upload_bytes)
    app.include_router(telemetry.router)
    static.install(app, settings.resolved_static_dir())
    return app
