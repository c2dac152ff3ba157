"""Work orders in the database: rows in, :class:`WorkOrder` out. It never commits."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    RowMapping,
    and_,
    func,
    insert,
    or_,
    select,
    update,
)

from lvzhi.domain.orderpolicy import AssigneeKind, Satisfaction, Source
from lvzhi.domain.orderrecord import Attachment, EventKind, OrderEvent, RoutingStatus, WorkOrder
from lvzhi.domain.router import Verdict
from lvzhi.domain.workorder import Candidate, OrderState
from lvzhi.storage.tables import order_attachments, order_events, townships, work_orders

INSERT_CHUNK = 500


@dataclass(frozen=True)
class OrderFilter:
    """What a list of orders is narrowed to; ``None`` means any."""

    township_id: int | None = None
    states: tuple[str, ...] = ()
    assignee: str | None = None
    item_key: str | None = None
    category: str | None = None
    source: str | None = None
    village: str | None = None
    text: str | None = None
    received_from: datetime | None = None
    received_to: datetime | None = None
    overdue_at: datetime | None = None  # open, not suspended, past the deadline at this moment
    ping_pong_at: int | None = None  # sent back at least this many times
    include_merged: bool = True
    ids: tuple[int, ...] = ()


class OrderRepository:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    # ---- in ----

    def add(self, values: Mapping[str, Any]) -> int:
        result = self.connection.execute(insert(work_orders).values(**values))
        return int(result.inserted_primary_key[0])

    def add_many(self, rows: Sequence[Mapping[str, Any]]) -> dict[str, int]:
        """Insert ``rows`` (each with a ``source_id``); their source id -> new order id."""
        for start in range(0, len(rows), INSERT_CHUNK):
            self.connection.execute(insert(work_orders), list(rows[start : start + INSERT_CHUNK]))
        if not rows:
            return {}
        source = rows[0]["source"]
        return self.ids_by_source_id(source, [str(r["source_id"]) for r in rows])

    def update(self, order_id: int, expected_version: int, values: Mapping[str, Any]) -> bool:
        """Change the order when it is still at ``expected_version``; ``False`` when it is not."""
        query = (
            update(work_orders)
            .where(work_orders.c.id == order_id, work_orders.c.version == expected_version)
            .values(**values, version=expected_version + 1)
        )
        return self.connection.execute(query).rowcount == 1

    def add_event(
        self, order_id: int, at: datetime, actor: str, kind: EventKind, **fields: Any
    ) -> None:
        values = {"order_id": order_id, "at": at, "actor": actor, "kind": kind.value, **fields}
        for key in ("from_state", "to_state"):
            if values.get(key) is not None:
                values[key] = str(values[key])
        self.connection.execute(insert(order_events).values(**values))

    def add_events(self, rows: Sequence[Mapping[str, Any]]) -> None:
        for start in range(0, len(rows), INSERT_CHUNK):
            self.connection.execute(insert(order_events), list(rows[start : start + INSERT_CHUNK]))

    def add_attachment(self, values: Mapping[str, Any]) -> int:
        result = self.connection.execute(insert(order_attachments).values(**values))
        return int(result.inserted_primary_key[0])

    # ---- out ----

    def get(self, order_id: int) -> WorkOrder | None:
        found = self.find(OrderFilter(ids=(order_id,)), limit=1)
        return found[0] if found else None

    def find(
        self,
        where: OrderFilter,
        *,
        limit: int | None = None,
        offset: int = 0,
        newest_first: bool = True,
    ) -> list[WorkOrder]:
        query = _select_orders().where(*_conditions(where))
        order = work_orders.c.received_at.desc() if newest_first else work_orders.c.received_at
        query = query.order_by(order, work_orders.c.id.desc() if newest_first else work_orders.c.id)
        if limit is not None:
            query = query.limit(limit).offset(offset)
        return [order_from_row(row) for row in self.connection.execute(query).mappings()]

    def count(self, where: OrderFilter) -> int:
        query = select(func.count()).select_from(work_orders).where(*_conditions(where))
        return int(self.connection.scalar(query) or 0)

    def ids_by_source_id(self, source: str, source_ids: Iterable[str]) -> dict[str, int]:
        wanted = list(dict.fromkeys(source_ids))
        found: dict[str, int] = {}
        for start in range(0, len(wanted), INSERT_CHUNK):
            chunk = wanted[start : start + INSERT_CHUNK]
            query = select(work_orders.c.source_id, work_orders.c.id).where(
                work_orders.c.source == source, work_orders.c.source_id.in_(chunk)
            )
            found.update({sid: oid for sid, oid in self.connection.execute(query)})
        return found

    def open_candidates(self, township_id: int, since: datetime, limit: int) -> list[Candidate]:
        """The township's open orders received since ``since`` (newest first, not merged), as
        duplicate candidates: only the columns the comparison needs."""
        c = work_orders.c
        query = (
            select(c.id, c.content, c.item_key, c.village, c.received_at)
            .where(
                c.township_id == township_id,
                c.state.in_([s.value for s in OrderState if s.is_open]),
                c.received_at >= since,
                c.merged_into.is_(None),
            )
            .order_by(c.received_at.desc(), c.id.desc())
            .limit(limit)
        )
        return [
            Candidate(i, text, key, village, received)
            for i, text, key, village, received in self.connection.execute(query)
        ]

    def children(self, primary_id: int) -> list[WorkOrder]:
        query = _select_orders().where(work_orders.c.merged_into == primary_id)
        rows = self.connection.execute(query.order_by(work_orders.c.id)).mappings()
        return [order_from_row(row) for row in rows]

    def events(self, order_id: int) -> list[OrderEvent]:
        query = select(order_events).where(order_events.c.order_id == order_id)
        rows = self.connection.execute(query.order_by(order_events.c.id)).mappings()
        return [_event(row) for row in rows]

    def attachments(self, order_id: int) -> list[Attachment]:
        query = select(order_attachments).where(order_attachments.c.order_id == order_id)
        rows = self.connection.execute(query.order_by(order_attachments.c.id)).mappings()
        return [Attachment(**dict(row)) for row in rows]

    def attachment(self, attachment_id: int) -> Attachment | None:
        query = select(order_attachments).where(order_attachments.c.id == attachment_id)
        row = self.connection.execute(query).mappings().first()
        return Attachment(**dict(row)) if row else None

    def first_images(self, order_ids: Sequence[int]) -> dict[int, int]:
        """Order id -> the id of its first image attachment, for the orders that have one."""
        if not order_ids:
            return {}
        query = (
            select(order_attachments.c.order_id, func.min(order_attachments.c.id))
            .where(
                order_attachments.c.order_id.in_(list(order_ids)),
                order_attachments.c.content_type.like("image/%"),
            )
            .group_by(order_attachments.c.order_id)
        )
        return {oid: aid for oid, aid in self.connection.execute(query)}


def _select_orders():  # noqa: ANN202 (a SQLAlchemy Select)
    return select(work_orders, townships.c.name.label("township")).join(
        townships, townships.c.id == work_orders.c.township_id
    )


def _conditions(where: OrderFilter) -> list[ColumnElement[bool]]:
    c = work_orders.c
    found: list[ColumnElement[bool]] = []
    simple = (
        (c.township_id, where.township_id), (c.item_key, where.item_key),
        (c.category, where.category), (c.source, where.source), (c.village, where.village),
    )  # fmt: skip
    found.extend(column == value for column, value in simple if value is not None)
    if where.assignee is not None:  # assigned to it, or routed to it and not yet assigned
        found.append(
            or_(
                c.assignee == where.assignee,
                and_(c.assignee.is_(None), c.responsible == where.assignee),
            )
        )
    if where.ids:
        found.append(c.id.in_(where.ids))
    if where.states:
        found.append(c.state.in_(where.states))
    if where.text:
        for word in where.text.split():
            found.append(
                or_(
                    c.content.contains(word, autoescape=True),
                    c.address.contains(word, autoescape=True),
                )
            )
    if where.received_from is not None:
        found.append(c.received_at >= where.received_from)
    if where.received_to is not None:
        found.append(c.received_at < where.received_to)
    if where.overdue_at is not None:  # a suspended order's clock stands still: never overdue
        running = [s.value for s in OrderState if s.is_open and s != OrderState.SUSPENDED]
        found.extend([c.state.in_(running), c.deadline < where.overdue_at])
    if where.ping_pong_at is not None:
        found.append(c.send_backs >= where.ping_pong_at)
    if not where.include_merged:
        found.append(c.merged_into.is_(None))
    return found


def order_from_row(row: RowMapping) -> WorkOrder:
    values = {key: row[key] for key in WorkOrder.__dataclass_fields__}
    values["source"] = Source(row["source"])
    values["state"] = OrderState(row["state"])
    values["suggested_verdict"] = Verdict(row["suggested_verdict"])
    values["verdict"] = Verdict(row["verdict"])
    values["routing_status"] = RoutingStatus(row["routing_status"])
    values["responsible_kind"] = AssigneeKind(row["responsible_kind"])
    values["assignee_kind"] = AssigneeKind(row["assignee_kind"]) if row["assignee_kind"] else None
    values["satisfaction"] = Satisfaction(row["satisfaction"]) if row["satisfaction"] else None
    return WorkOrder(**values)


def _event(row: RowMapping) -> OrderEvent:
    values = dict(row)
    values["kind"] = EventKind(row["kind"])
    values["from_state"] = OrderState(row["from_state"]) if row["from_state"] else None
    values["to_state"] = OrderState(row["to_state"]) if row["to_state"] else None
    return OrderEvent(**values)
