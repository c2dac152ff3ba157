"""What routes ask for: the settings, a unit of work, the router, and which list they read.

Dependencies that only read the app's state are ``async`` so FastAPI calls them inline; the ones
that touch the database stay plain functions and run in the thread pool like the routes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query, Request

from lvzhi.api.routers import RouterCache
from lvzhi.config import Settings
from lvzhi.data import EMIN_VERSION
from lvzhi.domain.departments import DepartmentRegistry
from lvzhi.domain.router import Router
from lvzhi.storage.db import Database
from lvzhi.storage.uow import SqlUnitOfWork

DEFAULT_TOWNSHIP = EMIN_VERSION.township


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_database(request: Request) -> Database:
    return request.app.state.database


async def get_uow(database: Annotated[Database, Depends(get_database)]) -> SqlUnitOfWork:
    return database.uow()


async def get_registry(database: Annotated[Database, Depends(get_database)]) -> DepartmentRegistry:
    return database.uow().registry


SettingsDep = Annotated[Settings, Depends(get_settings)]
DatabaseDep = Annotated[Database, Depends(get_database)]
UowDep = Annotated[SqlUnitOfWork, Depends(get_uow)]
RegistryDep = Annotated[DepartmentRegistry, Depends(get_registry)]


@dataclass(frozen=True)
class ListScope:
    """Which list a request reads: a township and a version (``None``: the newest)."""

    township: str
    version: str | None = None


def default_township(request: Request) -> str:
    """``app.state.township`` when the app sets one, else the embedded township."""
    return getattr(request.app.state, "township", None) or DEFAULT_TOWNSHIP


async def get_scope(
    request: Request,
    township: Annotated[
        str | None,
        Query(max_length=100, description=f"乡镇名称（默认：内置的{DEFAULT_TOWNSHIP}）"),
    ] = None,
    version: Annotated[
        str | None,
        Query(max_length=50, description="版本：序号（1、v2）或标签（2025）；默认现行版"),
    ] = None,
) -> ListScope:
    from_path: str | None = getattr(request.state, "township", None)
    asked = (township or "").strip()
    if from_path is not None and asked and asked != from_path:
        from lvzhi.api.errors import BadFilter

        message = f"地址中的乡镇是“{from_path}”，township 参数却是“{asked}”，请只用其中一个"
        raise BadFilter(message, "township")
    chosen = from_path or asked or default_township(request)
    return ListScope(chosen, (version or "").strip() or None)


ScopeDep = Annotated[ListScope, Depends(get_scope)]


def get_router(request: Request, scope: ScopeDep) -> Router:
    """The router over the scope's list version, built once per (township, version)."""
    routers: RouterCache = request.app.state.routers
    return routers.get(scope.township, scope.version)[1]


RouterDep = Annotated[Router, Depends(get_router)]
