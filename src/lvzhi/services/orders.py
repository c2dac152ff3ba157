"""Work orders in: intake, routing by the list, the deadline; and out: one order, lists of them.

Handling (actions, notes, merges) is in ``orderflow``; batch import in ``orderimport``; figures in
``orderstats``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError

from lvzhi.domain.model import Item, ItemKey, UnknownItem
from lvzhi.domain.orderpolicy import (
    BadOrderInput,
    Source,
    Suggestion,
    suggest,
    suggest_for_item,
    village_of,
)
from lvzhi.domain.orderrecord import (
    Attachment,
    DeadlineClock,
    EventKind,
    OrderEvent,
    RoutingStatus,
    WorkOrder,
    deadline_clock,
)
from lvzhi.domain.router import Router, Verdict
from lvzhi.domain.workorder import (
    Action,
    IsWorkday,
    OrderState,
    add_working_days,
    allowed_actions,
)
from lvzhi.domain.workorder import likely_duplicates as find_duplicates
from lvzhi.services import policy
from lvzhi.services.orderbase import OrderEnv, actor_of, as_local, load_order
from lvzhi.services.policy import Principal
from lvzhi.storage.orders import OrderFilter
from lvzhi.storage.uow import SqlUnitOfWork

MAX_CONTENT = 5000


def text_limits(intake: Intake) -> tuple[tuple[str, str, str, int], ...]:
    """(field, value, title, most characters): what the API's schema and the columns allow."""
    return (("address", intake.address, "地址", 500), ("village", intake.village, "村（社区）", 100),
            ("reporter_name", intake.reporter_name, "诉求人姓名", 100),
            ("reporter_phone", intake.reporter_phone, "联系电话", 50))  # fmt: skip
DUPLICATE_WINDOW = timedelta(days=30)
DUPLICATE_POOL = 500


@dataclass(frozen=True)
class Intake:
    """A matter as it comes in, before routing."""

    content: str
    township: str
    source: Source = Source.OTHER
    source_id: str | None = None
    address: str = ""
    village: str = ""
    reporter_name: str = ""
    reporter_phone: str = ""
    received_at: datetime | None = None
    deadline: datetime | None = None  # the deadline the source asked for, if any
    deadline_days: int | None = None  # ... or the working days it allows
    item_key: str | None = None  # an item the reporter chose (Open311 service_code)
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class OpenedOrder:
    order: WorkOrder
    duplicates: list[tuple[WorkOrder, float]] = field(default_factory=list)


@dataclass(frozen=True)
class OrderDetail:
    order: WorkOrder
    events: list[OrderEvent]
    attachments: list[Attachment]
    merged: list[WorkOrder]  # orders merged into this one
    duplicates: list[tuple[WorkOrder, float]]
    actions: list[Action]

    def deadline_clock(self, now: datetime, is_workday: IsWorkday) -> DeadlineClock:
        """The original deadline, the working time spent suspended and the deadline in force."""
        return deadline_clock(self.order, self.events, now, is_workday)


def check_intake(intake: Intake) -> None:
    content = (intake.content or "").strip()
    if not content:
        raise BadOrderInput("content", "诉求内容不能为空")
    if len(content) > MAX_CONTENT:
        raise BadOrderInput(
            "content", f"诉求内容过长（{len(content)} 字），请控制在 {MAX_CONTENT} 字以内"
        )
    if intake.source_id is not None and len(intake.source_id) > 100:
        raise BadOrderInput("source_id", "来源工单编号过长（最多 100 个字符）")
    for name, value, title, most in text_limits(intake):
        if len(value or "") > most:
            raise BadOrderInput(name, f"{title}过长（{len(value)} 个字符），最多 {most} 个字符")
    for name, value, low, high in (
        ("latitude", intake.latitude, -90, 90),
        ("longitude", intake.longitude, -180, 180),
    ):
        if value is not None and not low <= value <= high:
            raise BadOrderInput(name, f"坐标 {name} 超出范围（{low}～{high}）")


def deadline_for(
    intake: Intake, received: datetime, verdict: Verdict, env: OrderEnv
) -> tuple[datetime, bool, bool]:
    """(deadline, asked by the source, provisional): the source's deadline, else the county's
    working days for the kind of item; provisional when a year's holiday schedule is unknown."""
    if intake.deadline is not None:
        asked = as_local(intake.deadline)
        if asked.time() == time(0, 0):
            asked = datetime.combine(asked.date(), time(23, 59, 59))
        if asked < received:
            raise BadOrderInput("deadline", "办理时限早于受理时间，请检查")
        return asked, True, False
    days = (
        intake.deadline_days if intake.deadline_days is not None else env.policy.days_for(verdict)
    )
    deadline = add_working_days(received, days, env.is_workday)
    provisional = not (env.covered(received.date()) and env.covered(deadline.date()))
    return deadline, intake.deadline_days is not None, provisional


def suggestion_for(
    intake: Intake, router: Router, env: OrderEnv
) -> tuple[Suggestion, float | None]:
    """The item and the body: the reporter's chosen item, else the router's answer."""
    if intake.item_key:
        return suggest_for_item(item_of(router, intake.item_key), env.policy, env.registry), None
    routing = router.route(intake.content)
    return suggest(routing, env.policy, env.registry), round(routing.confidence, 3)


def item_of(router: Router, key: str) -> Item:
    """The item ``key`` (coop:49) of the router's list, else :class:`UnknownItem`."""
    wanted = ItemKey.parse(key)
    for item in router.items:
        if item.key == wanted:
            return item
    raise UnknownItem(str(wanted))


def order_values(
    intake: Intake, township_id: int, version_id: int, router: Router, env: OrderEnv, now: datetime
) -> dict[str, Any]:
    """The row of a new order: routed, its deadline set, state 待分派."""
    check_intake(intake)
    received = as_local(intake.received_at) if intake.received_at else now
    found, confidence = suggestion_for(intake, router, env)
    deadline, from_source, provisional = deadline_for(intake, received, found.verdict, env)
    village = intake.village.strip() or village_of(intake.address, env.policy.villages)
    return {
        "township_id": township_id, "list_version_id": version_id, "source": intake.source.value,
        "source_id": (intake.source_id or "").strip() or None, "content": intake.content.strip(),
        "village": village, "address": intake.address.strip(), "latitude": intake.latitude,
        "longitude": intake.longitude, "reporter_name": intake.reporter_name.strip(),
        "reporter_phone": intake.reporter_phone.strip(), "received_at": received,
        "deadline": deadline, "deadline_from_source": from_source, "deadline_provisional": provisional,
        "state": OrderState.NEW.value, "suggested_verdict": found.verdict.value,
        "suggested_item": found.item_key, "suggested_assignee": found.assignee,
        "confidence": confidence, "routing_status": RoutingStatus.SUGGESTED.value,
        "verdict": found.verdict.value, "item_key": found.item_key, "item_name": found.item_name,
        "category": found.category, "responsible": found.assignee,
        "responsible_kind": found.assignee_kind.value, "notice": found.notice,
        "created_at": now, "updated_at": now, "version": 1,
    }  # fmt: skip


def township_scope(uow: SqlUnitOfWork, env: OrderEnv, township: str) -> tuple[int, int, Router]:
    """(township id, list version id, router) for orders of ``township``: its newest list."""
    from lvzhi.services.queries import pick_version

    stored, router = env.routers.get(township)
    row = pick_version(uow, township, str(stored.number))
    township_id = uow.lists.township_id(township)
    assert township_id is not None
    return township_id, row.id, router


def open_order(
    uow: SqlUnitOfWork, env: OrderEnv, intake: Intake, actor: str, *, user: Principal | None = None
) -> OpenedOrder:
    """Take a matter in: route it, set its deadline, store it (待分派) and say what it may duplicate.
    The same source and source id again gives back the order already stored. Who took it in is the
    logged-in ``user`` when there is one, else ``actor`` (the CLI's name, or Open311's channel)."""
    policy.check_township(user, intake.township, "orders.create")
    actor = actor_of(actor, user)
    now = env.clock()
    with uow:
        township_id, version_id, router = township_scope(uow, env, intake.township)
        known = _known(uow, intake)
        if known is not None:
            return OpenedOrder(load_order(uow, known))
    # Routing takes milliseconds: done before the write transaction, so writers do not queue on it.
    values = order_values(intake, township_id, version_id, router, env, now)
    try:
        return _store(uow, intake, values, actor, now)
    except IntegrityError:  # the same source id stored meanwhile by a concurrent request
        with uow:
            known = _known(uow, intake)
            if known is None:
                raise
            return OpenedOrder(load_order(uow, known))


def _store(
    uow: SqlUnitOfWork, intake: Intake, values: dict[str, Any], actor: str, now: datetime
) -> OpenedOrder:
    with uow.for_writing():
        order_id = uow.orders.add(values)
        uow.orders.add_event(order_id, now, actor, EventKind.CREATED, to_state=OrderState.NEW,
                             note=f"来源：{intake.source.title}；{values['notice']}")  # fmt: skip
        order = load_order(uow, order_id)
        duplicates = duplicates_of(uow, order)
        uow.commit()
    return OpenedOrder(order, duplicates)


def _known(uow: SqlUnitOfWork, intake: Intake) -> int | None:
    if not intake.source_id or not intake.source_id.strip():
        return None
    found = uow.orders.ids_by_source_id(intake.source.value, [intake.source_id.strip()])
    return next(iter(found.values()), None)


def duplicates_of(uow: SqlUnitOfWork, order: WorkOrder) -> list[tuple[WorkOrder, float]]:
    """Open orders of the same township received within 30 days that look like the same matter."""
    township_id = uow.lists.township_id(order.township)
    assert township_id is not None
    pool = uow.orders.open_candidates(
        township_id, order.received_at - DUPLICATE_WINDOW, DUPLICATE_POOL
    )
    others = [c for c in pool if c.id not in (order.id, order.merged_into)]
    found = find_duplicates(order.content, order.item_key, order.village, others)[:5]
    loaded = (
        {o.id: o for o in uow.orders.find(OrderFilter(ids=tuple(c.id for c, _ in found)))}
        if found
        else {}
    )
    return [(loaded[c.id], score) for c, score in found if c.id in loaded]


def get_order(uow: SqlUnitOfWork, order_id: int, *, user: Principal | None = None) -> OrderDetail:
    with uow:
        order = load_order(uow, order_id)
        policy.check_order(user, order, "orders.read")
        duplicates = duplicates_of(uow, order) if order.is_open and not order.merged_into else []
        duplicates = [(o, s) for o, s in duplicates if policy.sees_order(user, o)]
        return OrderDetail(
            order,
            uow.orders.events(order_id),
            uow.orders.attachments(order_id),
            uow.orders.children(order_id),
            duplicates,
            _actions(order),
        )


def list_orders(
    uow: SqlUnitOfWork, where: OrderFilter, limit: int = 50, offset: int = 0,
    *, user: Principal | None = None,
) -> tuple[list[WorkOrder], int]:  # fmt: skip
    """A page of orders (newest first) and how many match in all (within ``user``'s scope)."""
    with uow:
        where = policy.order_filter(user, where, uow.lists.township_id)
        return uow.orders.find(where, limit=limit, offset=offset), uow.orders.count(where)


def township_id_of(uow: SqlUnitOfWork, township: str) -> int:
    from lvzhi.domain.versions import UnknownTownship

    found = uow.lists.township_id(township)
    if found is None:
        raise UnknownTownship(township, uow.lists.townships())
    return found


def _actions(order: WorkOrder) -> list[Action]:
    """What may be done next; an order merged into another can only be visited (its own reporter)."""
    if order.merged_into is None:
        return allowed_actions(order.state)
    return [Action.VISIT] if order.state == OrderState.RESOLVED else []
