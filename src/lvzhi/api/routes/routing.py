"""Who handles a matter: the router's answer with its evidence."""

from __future__ import annotations

from fastapi import APIRouter

from lvzhi.api.deps import RouterDep
from lvzhi.api.errors import EmptyText
from lvzhi.api.present import routing_public
from lvzhi.api.schemas import ErrorPublic, RouteRequest, RoutingPublic

router = APIRouter(tags=["分派"])


@router.post(
    "/route",
    summary="判断一件事由谁负责",
    response_model_exclude_unset=True,
    responses={413: {"model": ErrorPublic, "description": "事项文字过长"}},
)
def route(body: RouteRequest, router_: RouterDep) -> RoutingPublic:
    """乡镇主责、县部门牵头乡镇配合、已收回由县部门承担，或清单外；附排序的事项和依据。
    与命令行 `lvzhi route --json` 的输出结构相同。"""
    if not body.text.strip():
        raise EmptyText("请填写要分派的事项文字（text）", "text", "empty_text")
    return routing_public(router_.route(body.text, top=body.top))
