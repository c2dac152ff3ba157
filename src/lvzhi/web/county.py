"""County pages: switching the township shown, every township at a glance, comparing two
townships' lists, and the departments × townships matrix."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse

from lvzhi.api.deps import DatabaseDep
from lvzhi.domain.compare import THRESHOLD
from lvzhi.domain.model import ItemKind
from lvzhi.domain.versions import UnknownTownship
from lvzhi.services import county
from lvzhi.web.context import SiteDep, remember_township, render

router = APIRouter(include_in_schema=False)
County = Annotated[str, Query(alias="county", max_length=100)]

SECTIONS = ("items", "departments", "route", "orders", "reviews", "proposals", "versions",
            "county", "compare", "matrix")  # fmt: skip
"""Where switching township may return to: a section's first page (an item, order or review of
one township need not exist in the other)."""


@router.get("/township", name="township_switch")
def switch(database: DatabaseDep, township: str = "", next: str = "/"):
    """Remember the chosen township (cookie) and go back to the section the person was in. (Not on
    ``SiteDep``: its ``?township=`` would be read as the township to show, and ``3`` is an id.)"""
    name = township.strip()[:100]
    if name:  # an unknown township is a 404 page here, not on every page after
        name = county.township_name(database.uow(), name)
        with database.uow() as uow:
            if uow.lists.township_id(name) is None:
                raise UnknownTownship(name, uow.lists.townships()[:20])
    section = next.strip("/").split("/", 1)[0]
    response = RedirectResponse(f"/{section}" if section in SECTIONS else "/", status_code=303)
    if name:
        remember_township(response, name)
    return response


@router.get("/county", name="county")
def county_page(request: Request, current: SiteDep, county_name: County = ""):
    chosen = county_name.strip() or None
    townships = county.township_directory(current.uow(), chosen)
    counties = sorted({t.county for t in county.township_directory(current.uow())})
    return render(
        request, "county.html", site=current, nav="county", sub="townships",
        townships=townships, counties=counties, county=chosen or "", kinds=list(ItemKind),
    )  # fmt: skip


@router.get("/compare", name="compare")
def compare_page(
    request: Request, current: SiteDep, left: str = "", right: str = "", threshold: str = ""
):
    townships = county.township_directory(current.uow())
    left = left.strip() or current.township
    right = right.strip() or next((t.name for t in townships if t.name != left), left)
    limit = _threshold(threshold)
    a, b = county.township_name(current.uow(), left), county.township_name(current.uow(), right)
    found = county.compare_townships(current.uow(), a, b, threshold=limit)
    return render(
        request, "compare.html", site=current, nav="county", sub="compare", found=found,
        townships=townships, left=a, right=b, threshold=limit, kind_short=KIND_SHORT,
    )  # fmt: skip


KIND_SHORT = {"basic": "基本", "coop": "配合", "reclaimed": "收回"}


def _threshold(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        return THRESHOLD
    return min(1.0, max(0.3, value))


@router.get("/matrix", name="matrix")
def matrix_page(request: Request, current: SiteDep, county_name: County = ""):
    directory = county.township_directory(current.uow())
    counties = sorted({t.county for t in directory})
    chosen = county_name.strip() or current_county(directory, current.township)
    found = county.county_matrix(current.uow(), chosen)
    top = max(
        (found.cell(d, t).total for d in found.departments for t in found.townships), default=1
    )
    return render(
        request, "matrix.html", site=current, nav="county", sub="matrix", matrix=found,
        counties=counties, county=chosen, top=top or 1,
    )  # fmt: skip


def current_county(directory: list[county.TownshipInfo], township: str) -> str:
    return next((t.county for t in directory if t.name == township), "")
