"""Dependencies, as Annotated aliases: settings, store, run manager, owner token, uploads."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from glassnet.runs import RunManager
from glassnet.runs.sweeps import SweepService
from glassnet.settings import Settings
from glassnet.store import Store


def get_settings(request: Request) -> Settings:
    """The app's Settings (given to create_app; override in tests via dependency_overrides)."""
    return request.app.state.settings


def get_store(request: Request) -> Store:
    """The app's Store."""
    return request.app.state.store


def get_manager(request: Request) -> RunManager:
    """The app's RunManager."""
    return request.app.state.manager


def get_sweeps(request: Request) -> SweepService:
    """The app's SweepService."""
    return request.app.state.sweeps


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]
ManagerDep = Annotated[RunManager, Depends(get_manager)]
SweepsDep = Annotated[SweepService, Depends(get_sweeps)]
OwnerHeader = Annotated[
    str | None,
    Header(
        alias="X-Glassnet-Owner",
        max_length=128,
        description="the owner token returned when the run was created",
    ),
]
