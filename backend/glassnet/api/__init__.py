"""FastAPI app: REST routes, the websocket, error mapping, limits and the static frontend."""

from glassnet.api.app import create_app
from glassnet.api.serve import serve

__all__ = ["create_app", "serve"]
