"""The API's routes, one module per resource, all under ``/api/v1``."""

from __future__ import annotations

from fastapi import APIRouter

from lvzhi.api.routes import (
    county,
    departments,
    exports,
    items,
    lists,
    order_files,
    orders,
    proposals,
    reviews,
    routing,
    search,
    townships,
)
from lvzhi.api.schemas import ErrorPublic

PREFIX = "/api/v1"
ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    status: {"model": ErrorPublic, "description": title}
    for status, title in ((404, "没有找到（事项、乡镇、版本或部门）"), (422, "参数不正确"))
}

api_router = APIRouter(prefix=PREFIX, responses=ERROR_RESPONSES)
api_router.include_router(reviews.scoped)  # before reviews.router: /reviews/stats, not /{review_id}
for module in (lists, items, departments, search, routing, exports, reviews, order_files, orders):
    api_router.include_router(module.router)
for router in (lists.scoped, proposals.scoped, proposals.router, county.router, townships.router):
    api_router.include_router(router)

__all__ = ["PREFIX", "api_router"]
