"""Classroom rooms: a teacher leads, students follow, answer questions and fork runs.

No FastAPI here: the API calls `RoomService`; room changes reach subscribers through `RoomFanout`.
"""

from glassnet.rooms.fanout import RoomFanout
from glassnet.rooms.service import RoomService

__all__ = ["RoomFanout", "RoomService"]
