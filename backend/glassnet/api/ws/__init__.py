"""The websocket endpoint /ws/v1 (protocol: shared_schemas/ws.py)."""
