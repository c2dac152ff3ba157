"""Department pages: every department at a glance, and one department's items and what the
township does for it."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from lvzhi import services
from lvzhi.domain.departments import department_parts
from lvzhi.domain.model import CooperativeItem, Item, ReclaimedItem
from lvzhi.services.queries import ROLE_TITLES, resolve_department
from lvzhi.web.context import Site, SiteDep, render
from lvzhi.web.present import Section, department_href, duty_blocks, export_links

router = APIRouter(include_in_schema=False)


@router.get("/departments", name="departments")
def departments_page(request: Request, current: SiteDep):
    _, usage = services.department_usage(current.uow(), current.township, current.number)
    named = [d for d in usage if d.total]
    return render(
        request, "departments.html", site=current, usage=named, role_titles=ROLE_TITLES,
        unused=[d for d in usage if not d.total],
    )  # fmt: skip


@dataclass(frozen=True)
class Entry:
    """An item on a department's page, with the department's part and the township's duties."""

    item: Item
    roles: list[str]
    part: list[Section]  # the department's part of a cooperative item's department duties
    township: list[Section]  # the township's duties in a cooperative item
    method: list[Section]  # how a reclaimed item is handled now


@router.get("/departments/{name}", name="department")
def department_page(request: Request, current: SiteDep, name: str):
    with current.uow() as uow:
        canonical = resolve_department(uow, name)  # UnknownDepartment: 404
    if canonical != name:
        return RedirectResponse(department_href(canonical), status_code=307)
    listing = services.list_items(
        current.uow(), current.township, department=canonical, version=current.number
    )
    entries = [
        _entry(current, canonical, item, listing.roles.get(item.key, [])) for item in listing.items
    ]
    _, usage = services.department_usage(current.uow(), current.township, current.number)
    about = next((d for d in usage if d.name == canonical), None)
    return render(
        request, "department.html", site=current, name=canonical, about=about,
        leads=[e for e in entries if "lead" in e.roles],
        receives=[e for e in entries if "receiver" in e.roles],
        assists=[e for e in entries if not {"lead", "receiver"} & set(e.roles)],
        role_titles=ROLE_TITLES, list_href="/items?" + urlencode({"department": canonical}),
        exports=export_links({"department": canonical}),
    )  # fmt: skip


def _entry(current: Site, department: str, item: Item, roles: list[str]) -> Entry:
    if isinstance(item, CooperativeItem):
        parts = department_parts(item.department_duties, item.lead_departments, current.registry)
        part = duty_blocks(parts.get(department, []))
        return Entry(item, roles, part, duty_blocks(item.township_duties), [])
    if isinstance(item, ReclaimedItem):
        return Entry(item, roles, [], [], duty_blocks(item.working_method))
    return Entry(item, roles, [], [], [])
