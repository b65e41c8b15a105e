"""Liveness."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from fastapi import APIRouter

from shared_schemas.api import Health

router = APIRouter(tags=["health"])


def _version() -> str:
    try:
        return version("glassnet")
    except PackageNotFoundError:
        return "0"


@router.get("/healthz")
def healthz() -> Health:
    """The server is up."""
    return Health(version=_version())
