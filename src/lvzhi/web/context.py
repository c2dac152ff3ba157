"""What every page needs: the app's database, the township shown, its router, the templates.

The pages run inside ``lvzhi.api.app.create_app`` and take the same dependencies as the API: the
database on ``app.state.database``, the default township, the per-version router cache.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, unquote

from fastapi import Depends, Request, Response
from fastapi.templating import Jinja2Templates

from lvzhi import services
from lvzhi.api.deps import DatabaseDep, default_township
from lvzhi.api.routers import RouterCache
from lvzhi.domain.departments import DepartmentRegistry
from lvzhi.domain.router import Router
from lvzhi.domain.versions import StoredVersion, UnknownTownship, in_force
from lvzhi.domain.workorder import duration_title
from lvzhi.services.queries import china_today
from lvzhi.storage.county import TownshipRow
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
templates.env.filters["duration"] = duration_title


TOWNSHIP_COOKIE = "lvzhi_township"
"""The township a person chose (percent-encoded: a cookie is Latin-1, names are Chinese)."""


@dataclass(frozen=True)
class Site:
    """The database and the chosen township's version in force, which the pages show."""

    database: Database
    version: StoredVersion
    routers: RouterCache
    newest: StoredVersion | None = None
    """The township's newest version when it is not yet in force (published ahead of its date)."""

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

    def township_choices(self) -> dict[str, list[TownshipRow]]:
        """Every stored township by county, for the selector."""
        with self.database.uow() as uow:
            rows = uow.county.townships()
        found: dict[str, list[TownshipRow]] = {}
        for row in rows:
            found.setdefault(row.county, []).append(row)
        return found


def chosen_township(request: Request) -> tuple[str, bool]:
    """The township the page shows: ``?township=`` first, then the cookie, then the default; and
    whether the person chose it (a stale cookie falls back to the default)."""
    asked = request.query_params.get("township", "").strip()
    if asked:
        return asked[:100], True
    remembered = unquote(request.cookies.get(TOWNSHIP_COOKIE, "")).strip()
    return (remembered, False) if remembered else (default_township(request), False)


def site(request: Request, database: DatabaseDep) -> Site:
    township, asked = chosen_township(request)
    try:
        versions = services.list_versions(database.uow(), township)
    except UnknownTownship:
        if asked or township == default_township(request):
            raise
        versions = services.list_versions(database.uow(), default_township(request))
    current = versions[in_force(versions, china_today())]
    newest = versions[-1] if versions[-1] != current else None
    return Site(database, current, request.app.state.routers, newest)


SiteDep = Annotated[Site, Depends(site)]


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> Response:
    response = templates.TemplateResponse(request, template, context, status_code=status_code)
    shown = context.get("site")
    if isinstance(shown, Site) and request.query_params.get("township"):
        remember_township(response, shown.township)  # a link to another township switches to it
    return response


def remember_township(response: Response, township: str) -> None:
    response.set_cookie(TOWNSHIP_COOKIE, quote(township), max_age=365 * 86400, samesite="lax")
