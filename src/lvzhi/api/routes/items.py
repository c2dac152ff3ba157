"""Items: a filtered, paged listing and one item with its structure and departments' parts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from lvzhi import services
from lvzhi.api.deps import RegistryDep, ScopeDep, UowDep
from lvzhi.api.filters import FiltersDep, department_filter, filtered_listing
from lvzhi.api.present import item_public, item_summary, version_public
from lvzhi.api.schemas import ItemPage, ItemPublic

router = APIRouter(tags=["事项"])
MAX_LIMIT = 500


@router.get("/items", summary="事项列表（可筛选、分页）", response_model_exclude_unset=True)
def list_items(
    scope: ScopeDep,
    filters: FiltersDep,
    uow: UowDep,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="每页几项")] = 50,
    offset: Annotated[int, Query(ge=0, description="从第几项起（0 起）")] = 0,
) -> ItemPage:
    """按种类、类别、部门（可用简称）、文字筛选事项；total 是符合条件的总数。"""
    listing = filtered_listing(uow, scope, filters)
    page = listing.items[offset : offset + limit]
    return ItemPage(
        version=version_public(listing.version),
        department=listing.department,
        total=len(listing.items),
        limit=limit,
        offset=offset,
        items=[
            item_summary(item, listing.roles.get(item.key) if listing.department else None)
            for item in page
        ],
    )


@router.get("/items/{key}", summary="一个事项", response_model_exclude_unset=True)
def get_item(
    key: Annotated[
        str, Path(max_length=40, description="事项编号，如 basic:76、coop:49、reclaimed:54")
    ],
    scope: ScopeDep,
    uow: UowDep,
    registry: RegistryDep,
    department: Annotated[
        str | None,
        Query(max_length=100, description="只看某个部门（全称或简称）在上级部门职责中的部分"),
    ] = None,
) -> ItemPublic:
    """一个事项的全部内容：职责原文、按标题和步骤整理的结构、各部门的部分。"""
    wanted = (department or "").strip() or None
    with department_filter(wanted):
        view = services.get_item(uow, scope.township, key, scope.version, wanted)
    return item_public(view, registry)
