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
    settings: Settings = request.app.state.settings
    return settings


def get_store(request: Request) -> Store:
    """The app's Store."""
    store: Store = request.app.state.store
    return store


def get_manager(request: Request) -> RunManager:
    """The app's RunManager."""
    manager: RunManager = request.app.state.manager
    return manager


def get_sweeps(request: Request) -> SweepService:
    """The app's SweepService."""
    sweeps: SweepService = request.app.state.sweeps
    return sweeps


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
