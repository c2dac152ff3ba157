"""A stored work order as the services and the pages see it, with its history and attachments.

Pure data: the repository builds these from rows; what they derive (deadline status, ping-pong,
the masked phone) needs only the clock passed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from .orderpolicy import AssigneeKind, Satisfaction, Source, mask_phone
from .router import Verdict
from .workorder import (
    Action,
    DeadlineStatus,
    IsWorkday,
    OrderState,
    Pause,
    deadline_status,
    paused_time,
)


class RoutingStatus(StrEnum):
    SUGGESTED = "suggested"  # the router's (or the reporter's) suggestion, not yet checked
    ACCEPTED = "accepted"  # a person accepted the suggestion
    CORRECTED = "corrected"  # a person changed the item or the responsible body

    @property
    def title(self) -> str:
        return {"suggested": "系统建议（待确认）", "accepted": "已确认", "corrected": "已人工更正"}[
            self.value
        ]


class EventKind(StrEnum):
    CREATED = "created"
    ACTION = "action"
    ROUTING = "routing"
    NOTE = "note"
    MERGE = "merge"
    ATTACHMENT = "attachment"

    @property
    def title(self) -> str:
        return {"created": "受理", "action": "办理", "routing": "分派依据", "note": "办理记录",
                "merge": "合并", "attachment": "附件"}[self.value]  # fmt: skip


@dataclass(frozen=True)
class WorkOrder:
    id: int
    township: str
    source: Source
    source_id: str | None
    content: str
    village: str
    address: str
    reporter_name: str
    reporter_phone: str
    received_at: datetime
    deadline: datetime
    deadline_from_source: bool
    deadline_provisional: bool
    state: OrderState
    suggested_verdict: Verdict
    suggested_item: str | None
    suggested_assignee: str
    confidence: float | None
    routing_status: RoutingStatus
    verdict: Verdict
    item_key: str | None
    item_name: str
    category: str
    responsible: str
    responsible_kind: AssigneeKind
    notice: str
    assignee: str | None
    assignee_kind: AssigneeKind | None
    send_backs: int
    merged_into: int | None
    reply: str
    replied_at: datetime | None
    satisfaction: Satisfaction | None
    resolved_at: datetime | None
    visited_at: datetime | None
    created_at: datetime
    updated_at: datetime
    version: int
    latitude: float | None = None
    longitude: float | None = None

    @property
    def is_open(self) -> bool:
        return self.state.is_open

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.reporter_phone)

    def deadline_status(self, now: datetime, warn_before: timedelta) -> DeadlineStatus:
        """Open orders against the clock; closed ones against the time they were resolved; a
        suspended one is neither due soon nor overdue while it is suspended."""
        if self.state == OrderState.SUSPENDED:
            return DeadlineStatus.PAUSED
        if not self.is_open:
            done = self.resolved_at or self.updated_at
            return DeadlineStatus.OVERDUE if done > self.deadline else DeadlineStatus.ON_TIME
        return deadline_status(self.deadline, now, warn_before)

    def ping_pong(self, at: int) -> bool:
        """Sent back ``at`` times or more: departments pass it around instead of handling it."""
        return self.send_backs >= at


@dataclass(frozen=True)
class OrderEvent:
    id: int
    order_id: int
    at: datetime
    actor: str
    kind: EventKind
    action: str | None
    from_state: OrderState | None
    to_state: OrderState | None
    before: str
    after: str
    note: str

    @property
    def summary(self) -> str:
        """One line for people: what happened."""
        if self.kind == EventKind.ACTION and self.from_state and self.to_state:
            title = Action(self.action).title if self.action else "办理"
            return f"{title}：{self.from_state.title} → {self.to_state.title}"
        if self.kind == EventKind.ROUTING and self.before == self.after:
            return f"确认分派依据：{self.after}"
        if self.kind == EventKind.ROUTING:
            return f"更正分派依据：{self.before or '无'} → {self.after or '无'}"
        if self.kind == EventKind.MERGE:
            return f"合并：{self.before} → {self.after}"
        return self.kind.title


@dataclass(frozen=True)
class Attachment:
    id: int
    order_id: int
    stored_name: str
    file_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime
    uploaded_by: str


def pauses_of(events: Sequence[OrderEvent]) -> list[Pause]:
    """The order's suspensions, from its history: each move into 挂起 starts one, the move out
    of it ends it (the last one has no end while the order is still suspended)."""
    found: list[Pause] = []
    for event in events:
        if event.kind != EventKind.ACTION:
            continue
        if event.from_state == OrderState.SUSPENDED and found and found[-1].end is None:
            found[-1] = Pause(found[-1].start, event.at)
        if event.to_state == OrderState.SUSPENDED and (not found or found[-1].end is not None):
            found.append(Pause(event.at))
    return found


def original_deadline(order: WorkOrder, events: Sequence[OrderEvent]) -> datetime:
    """The deadline before any suspension moved it: the first 恢复办理 that moved the deadline
    keeps the one it replaced (``before``); an order never resumed still has it."""
    for event in events:
        if event.kind == EventKind.ACTION and event.action == Action.RESUME.value and event.before:
            try:
                return datetime.fromisoformat(event.before)
            except ValueError:
                continue
    return order.deadline


@dataclass(frozen=True)
class DeadlineClock:
    """An order's deadline with its suspensions: the original deadline, the working time spent
    suspended (up to now for one under way) and the deadline in force."""

    original: datetime
    paused: timedelta
    deadline: datetime
    suspended_since: datetime | None

    @property
    def moved(self) -> bool:
        return self.deadline != self.original


def deadline_clock(
    order: WorkOrder, events: Sequence[OrderEvent], now: datetime, is_workday: IsWorkday
) -> DeadlineClock:
    pauses = pauses_of(events)
    under_way = pauses[-1].start if pauses and pauses[-1].end is None else None
    if under_way is not None and order.state != OrderState.SUSPENDED:
        pauses, under_way = pauses[:-1], None  # a history that lost its 恢复办理: not counting on
    return DeadlineClock(
        original_deadline(order, events),
        paused_time(pauses, now, is_workday),
        order.deadline,
        under_way,
    )
