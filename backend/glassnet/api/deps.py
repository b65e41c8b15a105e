"""Dependencies, as Annotated aliases: settings, store, run manager, owner token, uploads."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar, cast

from fastapi import Depends, Header, Request

from glassnet.runs import RunManager
from glassnet.runs.sweeps import SweepService
from glassnet.settings import Settings
from glassnet.store import Store

T = TypeVar("T")


def _from_app_state(name: str, kind: type[T]) -> Callable[[Request], T]:
    """A dependency that hands out the app's one `kind`, which create_app keeps at
    `app.state.<name>` (override it in tests via dependency_overrides)."""

    def dependency(request: Request) -> T:
        return cast(T, getattr(request.app.state, name))

    dependency.__name__ = f"get_{name}"
    dependency.__doc__ = f"The app's {kind.__name__}."
    return dependency


get_settings = _from_app_state("settings", Settings)
get_store = _from_app_state("store", Store)
get_manager = _from_app_state("manager", RunManager)
get_sweeps = _from_app_state("sweeps", SweepService)


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
