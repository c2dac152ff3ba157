"""Figures for the dashboard: open, overdue and closed orders per body, item and category; time
to close; satisfaction; weekly trends. Computed in Python over one query's rows (a township's
orders fit in memory many times over)."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from lvzhi.domain.orderpolicy import Satisfaction
from lvzhi.domain.orderrecord import WorkOrder
from lvzhi.domain.workorder import DeadlineStatus
from lvzhi.services import policy
from lvzhi.services.orderbase import OrderEnv
from lvzhi.services.policy import Principal
from lvzhi.storage.orders import OrderFilter
from lvzhi.storage.uow import SqlUnitOfWork


@dataclass
class Tally:
    total: int = 0
    open: int = 0
    overdue: int = 0  # open and past the deadline
    due_soon: int = 0
    closed: int = 0
    closed_late: int = 0  # resolved after the deadline

    def add(self, order: WorkOrder, status: DeadlineStatus) -> None:
        self.total += 1
        if order.is_open:
            self.open += 1
            self.overdue += status == DeadlineStatus.OVERDUE
            self.due_soon += status == DeadlineStatus.DUE_SOON
        else:
            self.closed += 1
            self.closed_late += status == DeadlineStatus.OVERDUE

    @property
    def on_time_rate(self) -> float | None:
        return round(1 - self.closed_late / self.closed, 3) if self.closed else None


@dataclass
class Group:
    key: str
    title: str
    tally: Tally = field(default_factory=Tally)
    kind: str = ""  # for bodies: office, department or coordinator


@dataclass
class Week:
    start: date
    received: int = 0
    closed: int = 0


@dataclass
class OrderStats:
    township: str
    now: datetime
    totals: Tally
    by_assignee: list[Group]
    by_item: list[Group]
    by_category: list[Group]
    by_verdict: list[Group]
    satisfaction: dict[str, int]
    close_hours: dict[str, float | int | None]
    weeks: list[Week]
    ping_pong: int
    send_backs: int

    @property
    def satisfaction_rate(self) -> float | None:
        """满意 and 基本满意 among the visits."""
        total = sum(self.satisfaction.values())
        good = self.satisfaction.get(Satisfaction.SATISFIED.title, 0) + self.satisfaction.get(
            Satisfaction.FAIR.title, 0
        )
        return round(good / total, 3) if total else None


def order_stats(
    uow: SqlUnitOfWork,
    env: OrderEnv,
    township: str,
    received_from: datetime | None = None,
    received_to: datetime | None = None,
    weeks: int = 12,
    user: Principal | None = None,
) -> OrderStats:
    """The figures for ``township``'s orders received in the period (all when no period) that
    ``user`` may see: township staff asking for another township get empty figures (its orders are
    none of theirs), as its review register is empty for them."""
    from lvzhi.services.orders import township_id_of

    policy.authorize(user, "orders.stats")

    now = env.clock()
    with uow:
        where = OrderFilter(township_id=township_id_of(uow, township), received_from=received_from,
                            received_to=received_to)  # fmt: skip
        where = policy.order_filter(user, where, uow.lists.township_id)
        orders = uow.orders.find(where, newest_first=False)
    return compute_stats(
        orders, township, now, env.policy.warn_before, env.policy.ping_pong_at, weeks
    )


def compute_stats(
    orders: Iterable[WorkOrder],
    township: str,
    now: datetime,
    warn_before: timedelta,
    ping_pong_at: int,
    weeks: int = 12,
) -> OrderStats:
    from lvzhi.domain.router import Verdict

    totals = Tally()
    groups: dict[str, dict[str, Group]] = {
        "assignee": {},
        "item": {},
        "category": {},
        "verdict": {},
    }
    satisfaction: Counter[str] = Counter({s.title: 0 for s in Satisfaction})
    hours: list[float] = []
    week_rows = _weeks(now, weeks)
    ping_pong = send_backs = 0
    for order in orders:
        status = order.deadline_status(now, warn_before)
        totals.add(order, status)
        body = order.assignee or order.responsible  # not yet assigned: the body it is routed to
        kind = (order.assignee_kind or order.responsible_kind).value
        _group(groups["assignee"], body, body, kind).tally.add(order, status)
        item = order.item_key or "outside"
        _group(groups["item"], item, order.item_name or "清单外事项").tally.add(order, status)
        _group(
            groups["category"], order.category or "清单外", order.category or "清单外"
        ).tally.add(order, status)
        _group(groups["verdict"], order.verdict.value, Verdict(order.verdict).title).tally.add(
            order, status
        )
        if order.satisfaction:
            satisfaction[order.satisfaction.title] += 1
        if order.resolved_at:
            hours.append((order.resolved_at - order.received_at).total_seconds() / 3600)
        ping_pong += order.ping_pong(ping_pong_at)
        send_backs += order.send_backs
        _count_week(week_rows, order)
    ordered = {
        name: sorted(g.values(), key=lambda g: (-g.tally.open, -g.tally.total, g.key))
        for name, g in groups.items()
    }
    return OrderStats(
        township, now, totals, ordered["assignee"], ordered["item"], ordered["category"], ordered["verdict"],
        dict(satisfaction), _hours(hours), list(week_rows.values()), ping_pong, send_backs,
    )  # fmt: skip


def _group(table: dict[str, Group], key: str, title: str, kind: str = "") -> Group:
    if key not in table:
        table[key] = Group(key, title, kind=kind)
    return table[key]


def _weeks(now: datetime, count: int) -> dict[date, Week]:
    monday = now.date() - timedelta(days=now.weekday())
    return {
        monday - timedelta(weeks=n): Week(monday - timedelta(weeks=n))
        for n in range(count - 1, -1, -1)
    }


def _count_week(weeks: dict[date, Week], order: WorkOrder) -> None:
    received = order.received_at.date()
    start = received - timedelta(days=received.weekday())
    if start in weeks:
        weeks[start].received += 1
    if order.resolved_at:
        done = order.resolved_at.date()
        start = done - timedelta(days=done.weekday())
        if start in weeks:
            weeks[start].closed += 1


def _hours(hours: list[float]) -> dict[str, float | int | None]:
    if not hours:
        return {"count": 0, "mean": None, "median": None, "p90": None}
    ranked = sorted(hours)
    return {
        "count": len(hours),
        "mean": round(statistics.fmean(hours), 1),
        "median": round(statistics.median(hours), 1),
        "p90": round(ranked[min(len(ranked) - 1, int(len(ranked) * 0.9))], 1),
    }
