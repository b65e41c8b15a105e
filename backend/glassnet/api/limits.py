"""Per-client rate limit on REST calls: a token bucket per client address (pure ASGI middleware).

The address is the connection's peer, or the client a trusted proxy names in X-Forwarded-For
(uvicorn rewrites the scope for proxies listed in `GLASSNET_FORWARDED_ALLOW_IPS`).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_CLIENTS = 10_000  # forget the oldest buckets beyond this, so the table cannot grow unbounded


Clock = Callable[[], float]


class TokenBuckets:
    """Token buckets by key: `rate` tokens per second refill each, up to `burst`.

    The clock is injectable so that a test counts calls against a frozen or stepped clock instead
    of racing the refill. Only touched on the event loop thread: no lock needed.
    """

    def __init__(
        self, rate: float, burst: int, clock: Clock = time.monotonic, max_keys: int = MAX_CLIENTS
    ) -> None:
        self.rate = rate
        self.burst = float(burst)
        self.clock = clock
        self.max_keys = max_keys
        self.buckets: dict[str, tuple[float, float]] = {}

    def allow(self, key: str = "") -> bool:
        """Take one token from `key`'s bucket; False when it is empty."""
        now = self.clock()
        tokens, last = self.buckets.pop(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        allowed = tokens >= 1.0
        self.buckets[key] = (tokens - 1.0 if allowed else tokens, now)
        if len(self.buckets) > self.max_keys:
            self.buckets.pop(next(iter(self.buckets)))  # the least recently used key
        return allowed


class RateLimit:
    """`rate` calls per second sustained, `burst` at once, for paths under /api/."""

    def __init__(
        self, app: ASGIApp, rate: float, burst: int, clock: Clock = time.monotonic
    ) -> None:
        self.app = app
        self.buckets = TokenBuckets(rate, burst, clock)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return
        client: Any = scope.get("client") or ("?", 0)
        if self.buckets.allow(str(client[0])):
            await self.app(scope, receive, send)
            return
        body = json.dumps(
            {
                "detail": [
                    {"pointer": "", "message": "too many requests from this client; slow down."}
                ]
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 429,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"retry-after", b"1"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


class PlainErrorsAsProblems:
    """Rewrites the framework's own plain-text error answers (e.g. Starlette's 413 "Content Too
    Large", sent before any route runs) into the API's `{"detail": [{pointer, message}]}` shape."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rewriting = False
        status = 0

        async def send_problem(message: Message) -> None:
            nonlocal rewriting, status
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers") or [])
                ctype = headers.get(b"content-type", b"")
                status = message["status"]
                rewriting = status >= 400 and ctype.startswith(b"text/plain")
                if rewriting:
                    return  # sent with the body, once its length is known
            elif rewriting and message["type"] == "http.response.body":
                text = message.get("body", b"").decode("utf-8", "replace").strip()
                if status == 413:
                    text = "the request body is larger than this endpoint accepts."
                body = json.dumps({"detail": [{"pointer": "", "message": text}]}).encode()
                await send(
                    {
                        "type": "http.response.start",
                        "status": status,
                        "headers": [
                            (b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": body})
                rewriting = False
                return
            await send(message)

        await self.app(scope, receive, send_problem)
