"""Handling an order: actions through the state table, routing corrections, notes, merges.

Every change checks the order's version (optimistic locking) and writes a history event.
Orders merged into another follow it: its actions move them too, and they get its reply.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from lvzhi.domain.model import DomainError
from lvzhi.domain.orderpolicy import (
    AssigneeKind,
    BadOrderInput,
    Satisfaction,
    resolve_assignee,
    suggest_for_item,
)
from lvzhi.domain.orderrecord import (
    EventKind,
    RoutingStatus,
    WorkOrder,
    original_deadline,
    pauses_of,
)
from lvzhi.domain.router import Verdict
from lvzhi.domain.workorder import (
    Action,
    OrderState,
    Pause,
    deadline_after_pauses,
    duration_title,
    next_state,
)
from lvzhi.services import policy
from lvzhi.services.orderbase import (
    ClosedOrder,
    MergedOrder,
    OrderEnv,
    actor_of,
    check_version,
    load_order,
    save_order,
)
from lvzhi.services.orders import item_of
from lvzhi.services.policy import Principal
from lvzhi.storage.uow import SqlUnitOfWork

MAX_TEXT = 5000


def act(
    uow: SqlUnitOfWork,
    env: OrderEnv,
    order_id: int,
    action: Action,
    actor: str,
    *,
    expected_version: int | None = None,
    reason: str = "",
    assignee: str | None = None,
    reply: str = "",
    satisfaction: Satisfaction | str | None = None,
    user: Principal | None = None,
) -> WorkOrder:
    """Move the order by ``action`` (分派, 开始办理, 办结, 回访, 退单, 挂起, 恢复办理, 重新办理).
    The actor recorded is the logged-in ``user`` when there is one, else ``actor`` (the CLI)."""
    actor = actor_of(actor, user)
    now = env.clock()
    reason, reply = _text("reason", reason), _text("reply", reply)
    with uow.for_writing():
        order = load_order(uow, order_id)
        policy.check_order(user, order, f"orders.act.{action.value}")
        if order.merged_into is not None and action != Action.VISIT:
            raise MergedOrder(order.id, order.merged_into)
        check_version(order, expected_version)
        target = next_state(order.state, action, reason)
        values: dict[str, Any] = {"state": target.value}
        note = reason
        if action == Action.ASSIGN:
            values.update(_assignment(uow, env, order, assignee, reason, actor, now))
        elif action == Action.SEND_BACK:
            values.update(send_backs=order.send_backs + 1, assignee=None, assignee_kind=None)
            note = f"{order.assignee or '承办单位'}退单：{reason}"
        elif action == Action.RESOLVE:
            if not reply:
                raise BadOrderInput("reply", "办结须填写给诉求人的答复")
            values.update(reply=reply, replied_at=now, resolved_at=now)
            note = reason or f"答复：{reply}"
        elif action == Action.VISIT:
            if satisfaction is None or not str(satisfaction).strip():
                raise BadOrderInput(
                    "satisfaction", "回访须记录诉求人的满意度：满意、基本满意或不满意"
                )
            rating = (
                satisfaction
                if isinstance(satisfaction, Satisfaction)
                else Satisfaction.parse(satisfaction)
            )
            values.update(satisfaction=rating.value, visited_at=now)
            note = f"满意度：{rating.title}" + (f"；{reason}" if reason else "")
        elif action == Action.REOPEN:
            values.update(resolved_at=None, satisfaction=None, visited_at=None)
        moved: dict[str, str] = {}
        if action == Action.RESUME:
            resumed, moved = _resumed(uow, env, order, now)
            values.update(resumed)
            note = "；".join(n for n in (reason, moved.pop("note")) if n)
        saved = save_order(uow, order, expected_version, values, now)
        uow.orders.add_event(order.id, now, actor, EventKind.ACTION, action=action.value,
                             from_state=order.state, to_state=target, note=note, **moved)  # fmt: skip
        if action != Action.VISIT:
            _follow(uow, env, saved, action, actor, now)
        uow.commit()
    return saved


def _text(name: str, value: str) -> str:
    value = (value or "").strip()
    if len(value) > MAX_TEXT:
        raise BadOrderInput(name, f"文字过长（{len(value)} 字），请控制在 {MAX_TEXT} 字以内")
    return value


def _assignment(
    uow: SqlUnitOfWork,
    env: OrderEnv,
    order: WorkOrder,
    assignee: str | None,
    reason: str,
    actor: str,
    now: Any,
) -> dict[str, Any]:
    """The assignee columns; assigning elsewhere than the routing says corrects the routing."""
    name, kind = resolve_assignee(assignee or order.responsible, env.policy, env.registry)
    values: dict[str, Any] = {"assignee": name, "assignee_kind": kind.value}
    if name != order.responsible:
        if not reason:
            raise BadOrderInput(
                "reason", f"分派给“{name}”而不是建议的“{order.responsible}”，须说明原因"
            )
        values.update(
            responsible=name,
            responsible_kind=kind.value,
            notice=_notice(order.item_key, order.item_name, name),
            routing_status=RoutingStatus.CORRECTED.value,
        )
        uow.orders.add_event(order.id, now, actor, EventKind.ROUTING, before=order.responsible,
                             after=name, note=reason)  # fmt: skip
    elif order.routing_status == RoutingStatus.SUGGESTED:
        values["routing_status"] = RoutingStatus.ACCEPTED.value
    return values


def _resumed(
    uow: SqlUnitOfWork, env: OrderEnv, order: WorkOrder, now: datetime
) -> tuple[dict[str, Any], dict[str, str]]:
    """The deadline of ``order`` resumed at ``now``: its original deadline moved later by the
    working time of every suspension, this one ending now. The order's columns, and the event's
    ``before``/``after`` (the deadline replaced and the new one) and a note for people."""
    events = uow.orders.events(order.id)
    pauses = pauses_of(events)
    if pauses and pauses[-1].end is None:
        pauses[-1] = Pause(pauses[-1].start, now)
    this = pauses[-1].working_time(now, env.is_workday) if pauses else timedelta()
    deadline = deadline_after_pauses(original_deadline(order, events), pauses, env.is_workday)
    provisional = order.deadline_provisional or not env.covered(deadline.date())
    note = (
        f"挂起计 {duration_title(this)}，办理期限顺延至 {deadline:%Y-%m-%d %H:%M}"
        if deadline != order.deadline
        else "挂起期间未计工作时间（休息日或不足 1 分钟），办理期限不变"
    )
    return {"deadline": deadline, "deadline_provisional": provisional}, {
        "before": order.deadline.isoformat(timespec="seconds"),
        "after": deadline.isoformat(timespec="seconds"),
        "note": note,
    }


def _follow(
    uow: SqlUnitOfWork, env: OrderEnv, primary: WorkOrder, action: Action, actor: str, now: Any
) -> None:
    """Orders merged into ``primary`` take its state, assignee and reply; resuming moves each
    one's own deadline by its own suspensions."""
    for child in uow.orders.children(primary.id):
        values = _mirrored(primary)
        note, moved = f"随主工单 {primary.id} 办理", {}
        if action == Action.RESUME and child.state == OrderState.SUSPENDED:
            resumed, moved = _resumed(uow, env, child, now)
            values.update(resumed)
            note = f"{note}；{moved.pop('note')}"
        uow.orders.update(child.id, child.version, {**values, "updated_at": now})
        uow.orders.add_event(child.id, now, actor, EventKind.ACTION, action=action.value,
                             from_state=child.state, to_state=primary.state, note=note,
                             **moved)  # fmt: skip


def _mirrored(primary: WorkOrder) -> dict[str, Any]:
    return {
        "state": primary.state.value,
        "assignee": primary.assignee,
        "assignee_kind": primary.assignee_kind.value if primary.assignee_kind else None,
        "reply": primary.reply,
        "replied_at": primary.replied_at,
        "resolved_at": primary.resolved_at,
    }


def correct_routing(
    uow: SqlUnitOfWork,
    env: OrderEnv,
    order_id: int,
    actor: str,
    *,
    item_key: str | None = None,
    responsible: str | None = None,
    reason: str = "",
    expected_version: int | None = None,
    user: Principal | None = None,
) -> WorkOrder:
    """Accept the suggested item and body (nothing given), or correct them: ``item_key`` is an item
    of the list or ``outside``; ``responsible`` a body. A correction must say why and is kept, with
    who made it: the logged-in ``user`` when there is one, else ``actor``."""
    actor = actor_of(actor, user)
    now = env.clock()
    reason = _text("reason", reason)
    with uow.for_writing():
        order = load_order(uow, order_id)
        policy.check_order(user, order, "orders.route")
        check_version(order, expected_version)
        if not order.is_open:
            raise ClosedOrder(order.id, "更正分派依据")
        if order.merged_into is not None:
            raise MergedOrder(order.id, order.merged_into)
        values = _routing_values(env, order, item_key, responsible)
        before, after = (
            _routing_label(order.item_key, order.responsible),
            _routing_label(
                values.get("item_key", order.item_key), values.get("responsible", order.responsible)
            ),
        )
        if before == after:
            values = {"routing_status": RoutingStatus.ACCEPTED.value}
            note = reason or "确认系统建议的事项和承办单位"
        else:
            if not reason:
                raise BadOrderInput("reason", "更正事项或承办单位须说明原因")
            values["routing_status"] = RoutingStatus.CORRECTED.value
            note = reason
        saved = save_order(uow, order, expected_version, values, now)
        uow.orders.add_event(
            order.id, now, actor, EventKind.ROUTING, before=before, after=after, note=note
        )
        uow.commit()
    return saved


def _routing_values(
    env: OrderEnv, order: WorkOrder, item_key: str | None, responsible: str | None
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if item_key and item_key.strip().lower() in ("outside", "清单外"):
        values.update(verdict=Verdict.OUTSIDE.value, item_key=None, item_name="", category="",
                      responsible=env.policy.coordinator, responsible_kind=AssigneeKind.COORDINATOR.value,
                      notice=f"清单外事项，报{env.policy.coordinator}研究确定承办单位")  # fmt: skip
    elif item_key:
        _, router = env.routers.get(order.township)
        found = suggest_for_item(item_of(router, item_key.strip()), env.policy, env.registry)
        values.update(verdict=found.verdict.value, item_key=found.item_key, item_name=found.item_name,
                      category=found.category, responsible=found.assignee,
                      responsible_kind=found.assignee_kind.value, notice=found.notice)  # fmt: skip
    if responsible:
        name, kind = resolve_assignee(responsible, env.policy, env.registry)
        if name != values.get("responsible", order.responsible):
            key, title = (
                values.get("item_key", order.item_key),
                values.get("item_name", order.item_name),
            )
            values.update(
                responsible=name, responsible_kind=kind.value, notice=_notice(key, title, name)
            )
    return values


def _notice(item_key: str | None, item_name: str, body: str) -> str:
    """The routing sentence after a person chose the body."""
    cited = f"（事项 {item_key}“{item_name}”）" if item_key else "（清单外事项）"
    return f"经人工更正，由{body}办理{cited}"


def _routing_label(item_key: str | None, responsible: str) -> str:
    return f"{item_key or '清单外'}｜{responsible}"


def add_note(
    uow: SqlUnitOfWork, env: OrderEnv, order_id: int, actor: str, text: str,
    user: Principal | None = None,
) -> None:  # fmt: skip
    """A handling note (办理记录) in the order's history; the order itself does not change. Its
    author is the logged-in ``user`` when there is one, else ``actor``."""
    actor = actor_of(actor, user)
    text = _text("text", text)
    if not text:
        raise BadOrderInput("text", "办理记录不能为空")
    now = env.clock()
    with uow.for_writing():
        policy.check_order(user, load_order(uow, order_id), "orders.note")
        uow.orders.add_event(order_id, now, actor, EventKind.NOTE, note=text)
        uow.commit()


class CannotMerge(DomainError):
    pass


def merge_orders(
    uow: SqlUnitOfWork,
    env: OrderEnv,
    primary_id: int,
    other_ids: list[int],
    actor: str,
    reason: str = "",
    user: Principal | None = None,
) -> WorkOrder:
    """Merge ``other_ids`` into ``primary_id``: each keeps its reporter and history, follows the
    primary from now on and gets its reply. Orders merged into an other follow along. Who merged is
    the logged-in ``user`` when there is one, else ``actor``."""
    actor = actor_of(actor, user)
    now = env.clock()
    with uow.for_writing():
        primary = load_order(uow, primary_id)
        policy.check_order(user, primary, "orders.merge")
        if primary.merged_into is not None:
            raise MergedOrder(primary.id, primary.merged_into)
        if not primary.is_open:
            raise ClosedOrder(primary.id, "合并其他工单")
        for other_id in dict.fromkeys(other_ids):
            other = load_order(uow, other_id)
            policy.check_order(user, other, "orders.merge")
            _check_mergeable(primary, other)
            for moved in [other, *uow.orders.children(other.id)]:
                values = {**_mirrored(primary), "merged_into": primary.id, "updated_at": now}
                uow.orders.update(moved.id, moved.version, values)
                uow.orders.add_event(moved.id, now, actor, EventKind.MERGE, before=f"工单 {moved.id}",
                                     after=f"工单 {primary.id}", note=reason)  # fmt: skip
            uow.orders.add_event(primary.id, now, actor, EventKind.MERGE, before=f"工单 {other.id}",
                                 after=f"工单 {primary.id}", note=reason)  # fmt: skip
        uow.commit()
        return load_order(uow, primary.id)


def _check_mergeable(primary: WorkOrder, other: WorkOrder) -> None:
    if other.id == primary.id:
        raise CannotMerge(f"工单 {other.id} 不能并入它自己")
    if other.merged_into is not None:
        raise MergedOrder(other.id, other.merged_into)
    if not other.is_open:
        raise ClosedOrder(other.id, "并入其他工单")
    if other.township != primary.township:
        raise CannotMerge(f"工单 {other.id} 属于{other.township}，不能并入{primary.township}的工单")
