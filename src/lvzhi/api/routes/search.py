"""Ranked full-text search with the spans to highlight."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from lvzhi import services
from lvzhi.api.deps import ScopeDep, UowDep
from lvzhi.api.errors import EmptyText
from lvzhi.api.filters import parse_kind
from lvzhi.api.present import search_public
from lvzhi.api.schemas import SearchPublic
from lvzhi.services.search import EmptyQuery

router = APIRouter(tags=["搜索"])


@router.get("/search", summary="全文搜索（按相关度排序）")
def search(
    q: Annotated[str, Query(max_length=200, description="要查找的词，如 耕地 破坏")],
    scope: ScopeDep,
    uow: UowDep,
    limit: Annotated[int, Query(ge=1, le=200, description="最多返回几项")] = 10,
    kind: Annotated[str | None, Query(description="只搜某类事项：basic、coop、reclaimed")] = None,
) -> SearchPublic:
    """按相关度排序的事项；name_spans 和 snippet.spans 标出要高亮的位置（[起, 止) 字符序号）。
    查询中的口语词（如 低保）同时按规范用语（最低生活保障）查找，expansions 列出这些对应。"""
    try:
        result = services.search(
            uow, scope.township, q, limit=limit, kind=parse_kind(kind), version=scope.version
        )
    except EmptyQuery:
        message = "搜索词为空或只有标点，请输入要查找的词，如 ?q=低保"
        raise EmptyText(message, "q", "empty_query") from None
    return search_public(result)
