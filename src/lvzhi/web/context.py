"""What every page needs: the app's database, the township shown, its router, the templates.

The pages run inside ``lvzhi.api.app.create_app`` and take the same dependencies as the API: the
database on ``app.state.database``, the default township, the per-version router cache.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from fastapi.templating import Jinja2Templates

from lvzhi import services
from lvzhi.api.deps import DatabaseDep, default_township
from lvzhi.api.routers import RouterCache
from lvzhi.domain.departments import DepartmentRegistry
from lvzhi.domain.router import Router
from lvzhi.domain.versions import StoredVersion
from lvzhi.storage.db import Database
from lvzhi.storage.uow import SqlUnitOfWork
from lvzhi.web import present

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=HERE / "templates")
templates.env.globals.update(
    static=present.static_url,
    mark=present.mark,
    mark_words=present.mark_words,
    department_href=present.department_href,
)
templates.env.filters["percent"] = present.percent


@dataclass(frozen=True)
class Site:
    """The database and the township's newest version, which the pages show."""

    database: Database
    version: StoredVersion
    routers: RouterCache

    @property
    def township(self) -> str:
        return self.version.township

    @property
    def number(self) -> str:
        """The version every read of one page asks for, so a page never mixes two versions."""
        return str(self.version.number)

    def uow(self) -> SqlUnitOfWork:
        return self.database.uow()

    @property
    def registry(self) -> DepartmentRegistry:
        return self.database.uow().registry

    def router(self) -> Router:
        return self.routers.get(self.township, self.number)[1]


def site(request: Request, database: DatabaseDep) -> Site:
    township = default_township(request)
    version = services.list_versions(database.uow(), township)[-1]
    return Site(database, version, request.app.state.routers)


SiteDep = Annotated[Site, Depends(site)]


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> Response:
    return templates.TemplateResponse(request, template, context, status_code=status_code)
