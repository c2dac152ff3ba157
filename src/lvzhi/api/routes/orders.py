"""Work orders (工单): intake, list, one order, routing corrections, actions, notes, merges.

Files (attachments, batch import, export) and figures are in ``order_files``. Errors keep their
Chinese message: an unknown order 404, a move the state table refuses or a stale version 409, a
missing reply, reason or satisfaction 422 (``field`` names it).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from lvzhi.api.auth import CurrentUser
from lvzhi.api.deps import ScopeDep, UowDep
from lvzhi.api.order_deps import OrderEnvDep, OrderFilterDep
from lvzhi.api.order_schemas import (
    ActionRequest,
    MergeRequest,
    NoteRequest,
    OrderCreate,
    OrderDetailPublic,
    OrderOpened,
    OrderPublic,
    OrdersPublic,
    RoutingRequest,
)
from lvzhi.api.schemas import ErrorPublic
from lvzhi.domain.orderpolicy import Source
from lvzhi.domain.workorder import Action
from lvzhi.order_view import detail_doc, order_doc
from lvzhi.services import orderflow, orders, policy
from lvzhi.services.orderbase import OrderEnv

router = APIRouter(prefix="/orders", tags=["工单"])
RESPONSES: dict[int | str, dict[str, object]] = {
    409: {"model": ErrorPublic, "description": "当前状态不允许，或工单已被他人修改"}
}


def public(order: object, env: OrderEnv, show_contact: bool = False) -> OrderPublic:
    doc = order_doc(
        order, env.clock(), env.policy.warn_before, env.policy.ping_pong_at, show_contact
    )  # type: ignore[arg-type]
    return OrderPublic.model_validate(doc)


@router.post("", status_code=status.HTTP_201_CREATED, summary="受理一件诉求（按清单给出分派建议）")
def create(
    body: OrderCreate, scope: ScopeDep, uow: UowDep, env: OrderEnvDep, user: CurrentUser
) -> OrderOpened:
    """按清单判断事项和承办单位，计算办理期限（工作日），存为“待分派”；同时给出可能重复的在办工单。
    同一来源、同一来源编号再次提交时返回已有的工单。"""
    intake = orders.Intake(
        content=body.content, township=scope.township, source=Source.parse(body.source),
        source_id=body.source_id, address=body.address, village=body.village,
        reporter_name=body.reporter_name, reporter_phone=body.reporter_phone,
        received_at=body.received_at, deadline=body.deadline, item_key=body.item_key,
        latitude=body.latitude, longitude=body.longitude,
    )  # fmt: skip
    opened = orders.open_order(uow, env, intake, body.by, user=user)
    duplicates = [{"id": o.id, "content": o.content, "state": o.state.value, "village": o.village, "score": s}
                  for o, s in opened.duplicates]  # fmt: skip
    return OrderOpened.model_validate(
        {"order": public(opened.order, env), "duplicates": duplicates}
    )


@router.get("", summary="工单列表（筛选、分页；电话打码）")
def list_orders(
    where: OrderFilterDep,
    uow: UowDep,
    env: OrderEnvDep,
    user: CurrentUser,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> OrdersPublic:
    found, total = orders.list_orders(uow, where, limit=limit, offset=offset, user=user)
    return OrdersPublic(total=total, orders=[public(o, env) for o in found])


@router.get("/{order_id}", summary="一件工单：分派依据、期限、办理记录、附件、可能重复的工单")
def get_one(
    order_id: int,
    uow: UowDep,
    env: OrderEnvDep,
    user: CurrentUser,
    contact: Annotated[bool, Query(description="显示完整的联系电话（仅办理该工单的人员）")] = False,
) -> OrderDetailPublic:
    detail = orders.get_order(uow, order_id, user=user)
    if contact:
        policy.check_contact(user, detail.order)
    now, warn, at = env.clock(), env.policy.warn_before, env.policy.ping_pong_at
    doc = detail_doc(detail, now, warn, at, contact, env.is_workday)
    return OrderDetailPublic.model_validate(doc)


@router.post(
    "/{order_id}/routing", summary="确认或更正分派依据（事项、承办单位）", responses=RESPONSES
)
def correct_routing(
    order_id: int, body: RoutingRequest, uow: UowDep, env: OrderEnvDep, user: CurrentUser
) -> OrderPublic:
    """都不填即确认系统建议；更正须写明原因，记录谁、何时、从何改为何。"""
    order = orderflow.correct_routing(
        uow, env, order_id, body.by, item_key=body.item_key, responsible=body.responsible,
        reason=body.reason, expected_version=body.expected_version, user=user,
    )  # fmt: skip
    return public(order, env)


@router.post("/{order_id}/notes", status_code=status.HTTP_201_CREATED, summary="添加办理记录")
def add_note(
    order_id: int, body: NoteRequest, uow: UowDep, env: OrderEnvDep, user: CurrentUser
) -> OrderDetailPublic:
    orderflow.add_note(uow, env, order_id, body.by, body.text, user=user)
    return get_one(order_id, uow, env, user)


@router.post("/{order_id}/merge", summary="把重复的工单并入本工单", responses=RESPONSES)
def merge(
    order_id: int, body: MergeRequest, uow: UowDep, env: OrderEnvDep, user: CurrentUser
) -> OrderPublic:
    """并入的工单各自保留诉求人，此后随本工单办理并得到同样的答复（各自回访）。"""
    return public(
        orderflow.merge_orders(uow, env, order_id, body.orders, body.by, body.reason, user=user),
        env,
    )


@router.post(
    "/{order_id}/{action}",
    summary="办理：分派、开始办理、办结、回访、退单、挂起、恢复、重新办理",
    responses=RESPONSES,
)
def act(
    order_id: int, action: Action, body: ActionRequest, uow: UowDep, env: OrderEnvDep,
    user: CurrentUser,
) -> OrderPublic:  # fmt: skip
    """按状态表执行动作；不允许的动作返回 409 并说明此时可以做什么。`expected_version` 与当前版本不一致时返回 409。"""
    order = orderflow.act(
        uow, env, order_id, action, body.by, expected_version=body.expected_version, reason=body.reason,
        assignee=body.assignee, reply=body.reply, satisfaction=body.satisfaction, user=user,
    )  # fmt: skip
    return public(order, env)
