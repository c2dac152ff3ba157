"""The item filters that ``/items`` and ``/export`` share: kind, category, department, role, text.

A filter that cannot be applied is a 422 that names it (:class:`BadFilter`), never an empty list.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query

from lvzhi import services
from lvzhi.api.deps import ListScope
from lvzhi.api.errors import BadFilter
from lvzhi.domain.model import ItemKind
from lvzhi.services import Listing
from lvzhi.services.queries import ROLE_TITLES, UnknownDepartment
from lvzhi.storage.uow import SqlUnitOfWork

KIND_NAMES = {
    "basic": ItemKind.BASIC, "基本": ItemKind.BASIC, "coop": ItemKind.COOPERATIVE,
    "配合": ItemKind.COOPERATIVE, "reclaimed": ItemKind.RECLAIMED, "收回": ItemKind.RECLAIMED,
}  # fmt: skip
ROLES = tuple(ROLE_TITLES)


@dataclass(frozen=True)
class ItemFilters:
    kind: ItemKind | None = None
    category: str | None = None
    department: str | None = None
    roles: tuple[str, ...] = ROLES
    q: str | None = None


def parse_kind(text: str | None) -> ItemKind | None:
    if text is None or not text.strip():
        return None
    kind = KIND_NAMES.get(text.strip().lower())
    if kind is None:
        raise BadFilter(
            f"事项种类“{text}”无法识别，应为 basic（基本）、coop（配合）或 reclaimed（收回）",
            "kind",
        )
    return kind


def parse_role(text: str | None) -> tuple[str, ...]:
    if text is None or not text.strip():
        return ROLES
    if text.strip() not in ROLES:
        raise BadFilter(
            f"角色“{text}”无法识别，应为 lead（牵头）、receiver（承接）或 assist（协同）", "role"
        )
    return (text.strip(),)


async def item_filters(
    kind: Annotated[
        str | None, Query(description="事项种类：basic（基本）、coop（配合）、reclaimed（收回）")
    ] = None,
    category: Annotated[
        str | None, Query(max_length=100, description="事项类别（可只写一部分）")
    ] = None,
    department: Annotated[
        str | None, Query(max_length=100, description="部门，全称或简称（如 人社局）")
    ] = None,
    role: Annotated[
        str | None,
        Query(
            description="与 department 同用：只看 lead（牵头）、receiver（承接）或 assist（协同）"
        ),
    ] = None,
    q: Annotated[
        str | None,
        Query(
            max_length=200,
            description="文字筛选：名称、类别、部门或职责中含有每一个词的事项（口语词也可写作规范用语，如 低保 即 最低生活保障）",
        ),
    ] = None,
) -> ItemFilters:
    return ItemFilters(
        kind=parse_kind(kind),
        category=(category or "").strip() or None,
        department=(department or "").strip() or None,
        roles=parse_role(role),
        q=(q or "").strip() or None,
    )


FiltersDep = Annotated[ItemFilters, Depends(item_filters)]


@contextmanager
def department_filter(name: str | None) -> Iterator[None]:
    """An unknown department given as a filter is a bad filter (422), not a missing page (404)."""
    try:
        yield
    except UnknownDepartment:
        raise BadFilter(unknown_department(name or ""), "department") from None


def unknown_department(name: str) -> str:
    return (
        f"未登记的部门“{name}”：部门登记表中没有这个名称或简称，清单中也没有出现；"
        "可用 /api/v1/departments 查看全部部门"
    )


def filtered_listing(uow: SqlUnitOfWork, scope: ListScope, filters: ItemFilters) -> Listing:
    with department_filter(filters.department):
        return services.list_items(
            uow,
            scope.township,
            kind=filters.kind,
            category=filters.category,
            department=filters.department,
            roles=filters.roles,
            version=scope.version,
            text=filters.q,
        )
