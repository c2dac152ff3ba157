"""Exports of a list version, with the same filters as ``/items``."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Query, Response

from lvzhi import services
from lvzhi.api.deps import ScopeDep, UowDep
from lvzhi.api.filters import FiltersDep, ItemFilters, filtered_listing
from lvzhi.domain.model import DutyList
from lvzhi.formats import MEDIA_TYPES, dump

router = APIRouter(tags=["导出"])
ExportFormat = Literal["json", "csv", "xlsx", "docx"]


@router.get(
    "/export",
    summary="导出清单（json、csv、xlsx、docx）",
    response_class=Response,
    responses={200: {"content": {MEDIA_TYPES[f]: {} for f in ("json", "csv", "xlsx", "docx")}}},
)
def export(
    scope: ScopeDep,
    filters: FiltersDep,
    uow: UowDep,
    fmt: Annotated[ExportFormat, Query(alias="format", description="文件格式")] = "json",
) -> Response:
    """一个版本的清单（默认最新版），可按种类、类别、部门、文字筛选后导出；docx 为可打印的三张表。"""
    listing = filtered_listing(uow, scope, filters)
    duty_list = services.get_list(uow, scope.township, str(listing.version.number))
    if filters != ItemFilters():
        duty_list = _only(duty_list, {item.key for item in listing.items})
    number = listing.version.number
    headers = {"Content-Disposition": _attachment(f"{scope.township}-第{number}版.{fmt}", fmt)}
    return Response(dump(duty_list, fmt), media_type=MEDIA_TYPES[fmt], headers=headers)


def _only(duty_list: DutyList, keys: set[object]) -> DutyList:
    return replace(
        duty_list,
        basic=tuple(i for i in duty_list.basic if i.key in keys),
        cooperative=tuple(i for i in duty_list.cooperative if i.key in keys),
        reclaimed=tuple(i for i in duty_list.reclaimed if i.key in keys),
    )


def _attachment(filename: str, fmt: str) -> str:
    """A Chinese file name (RFC 6266 ``filename*``) with a plain ASCII fallback."""
    return f"attachment; filename=\"lvzhi.{fmt}\"; filename*=UTF-8''{quote(filename)}"
