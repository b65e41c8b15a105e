"""GET /ws/v1: control messages as JSON text, telemetry as binary msgpack (shared_schemas/ws.py)."""

from __future__ import annotations

import asyncio
import contextlib

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from glassnet.api.ws.session import Session, TooLarge

router = APIRouter()


@router.websocket("/ws/v1")
async def telemetry(ws: WebSocket) -> None:
    """Viewers subscribe to runs; owners may also steer them (see shared_schemas.ws)."""
    await ws.accept()
    app = ws.app
    session = Session(ws, app.state.manager, app.state.settings)
    sender = asyncio.create_task(session.sender())
    try:
        while True:
            message = await ws.receive()
            if message["type"] == "websocket.disconnect":
                break
            text = message.get("text")
            if text is None:
                session.error("bad_message", "send JSON text messages; binary is server → client.")
                continue
            session.handle_text(text)
            if sender.done():
                break
    except TooLarge:
        with contextlib.suppress(Exception):
            await ws.close(code=1009, reason="message too large")
    except WebSocketDisconnect:
        pass
    finally:
        session.close()
        sender.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await sender
