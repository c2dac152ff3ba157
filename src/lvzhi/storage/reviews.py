"""Admission reviews in the database: records in, :class:`ReviewRecord` out (SQLAlchemy Core).

Rows only: which change is allowed is the workflow's business (``domain.reviewflow``), what to
record is the services'. The audit trail is only ever appended to (the database refuses the rest).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from sqlalchemy import ColumnElement, Connection, RowMapping, func, insert, select, update

from lvzhi.domain.admission import Decision, Flag
from lvzhi.domain.reviewflow import Action, CountyOutcome, ReviewState
from lvzhi.domain.reviewrecord import (
    AuditEntry,
    CountyRecord,
    DemandRecord,
    ListRef,
    NewReview,
    Override,
    ReviewFilter,
    ReviewRecord,
)
from lvzhi.storage.tables import (
    list_versions,
    review_audit,
    review_demands,
    review_overrides,
    reviews,
    townships,
)


class ReviewRepository:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    # ---- in ----

    def add(self, new: NewReview, version_id: int, at: datetime) -> int:
        review = new.review
        values = {
            "version_id": version_id,
            "text": review.text,
            "sender": review.sender,
            "sender_department": review.sender_department,
            "received": new.received,
            "deadline": new.deadline,
            "reviewer": new.reviewer,
            "state": ReviewState.PENDING.value,
            "suggested": new.suggested.value,
            "created_at": at,
        }
        review_id = int(
            self.connection.execute(insert(reviews).values(**values)).inserted_primary_key[0]
        )
        demands = [_demand_row(review_id, d) for d in new.demands]
        if demands:
            self.connection.execute(insert(review_demands), demands)
        return review_id

    def update(self, review_id: int, **values: Any) -> None:
        """Set columns of the review (state, decision, comments, county_*, closed_at)."""
        values = {k: v.value if isinstance(v, Enum) else v for k, v in values.items()}
        self.connection.execute(update(reviews).where(reviews.c.id == review_id).values(**values))

    def override(self, review_id: int, number: int, change: Override) -> None:
        """Set a demand's decision and keep the override beside it."""
        demand_id = self.connection.scalar(
            select(review_demands.c.id).where(
                review_demands.c.review_id == review_id, review_demands.c.number == number
            )
        )
        self.connection.execute(
            update(review_demands)
            .where(review_demands.c.id == demand_id)
            .values(decision=change.after.value)
        )
        self.connection.execute(
            insert(review_overrides).values(
                demand_id=demand_id, before=change.before.value, after=change.after.value,
                by=change.by, at=change.at, reason=change.reason,
            )
        )  # fmt: skip

    def append_audit(self, entry: AuditEntry) -> None:
        self.connection.execute(
            insert(review_audit).values(
                review_id=entry.review_id, at=entry.at, actor=entry.actor,
                action=entry.action.value, before=entry.before, after=entry.after,
            )
        )  # fmt: skip

    # ---- out ----

    def lock(self, review_id: int) -> bool:
        """Hold the review's row until the transaction ends (PostgreSQL), so two reviewers acting
        at once take turns; False when there is no such review."""
        query = select(reviews.c.id).where(reviews.c.id == review_id).with_for_update()
        return self.connection.scalar(query) is not None

    def get(self, review_id: int) -> ReviewRecord | None:
        found = self.find(reviews.c.id == review_id)
        return found[0] if found else None

    def version_id(self, review_id: int) -> int | None:
        return self.connection.scalar(select(reviews.c.version_id).where(reviews.c.id == review_id))

    def list(self, wanted: ReviewFilter | None = None) -> list[ReviewRecord]:
        return self.find(*_conditions(wanted or ReviewFilter()))

    def find(self, *conditions: ColumnElement[bool]) -> list[ReviewRecord]:
        changes = (
            select(func.count())
            .where(review_audit.c.review_id == reviews.c.id)
            .correlate(reviews)
            .scalar_subquery()
        )
        query = (
            select(
                reviews,
                changes.label("changes"),
                townships.c.name.label("township"),
                list_versions.c.number.label("version_number"),
                list_versions.c.label.label("version_label"),
            )
            .join(list_versions, reviews.c.version_id == list_versions.c.id)
            .join(townships, list_versions.c.township_id == townships.c.id)
            .where(*conditions)
            .order_by(reviews.c.id)
        )
        found = self.connection.execute(query).mappings().all()
        demands = self._demands([row["id"] for row in found])
        return [_record(row, demands.get(row["id"], [])) for row in found]

    def _demands(self, ids: Sequence[int]) -> dict[int, list[DemandRecord]]:
        if not ids:
            return {}
        query = (
            select(review_demands)
            .where(review_demands.c.review_id.in_(list(ids)))
            .order_by(review_demands.c.review_id, review_demands.c.number)
        )
        rows = self.connection.execute(query).mappings().all()
        overrides = self._overrides([row["id"] for row in rows])
        found: dict[int, list[DemandRecord]] = {}
        for row in rows:
            found.setdefault(row["review_id"], []).append(
                _demand(row, overrides.get(row["id"], []))
            )
        return found

    def _overrides(self, demand_ids: Sequence[int]) -> dict[int, list[Override]]:
        found: dict[int, list[Override]] = {}
        if not demand_ids:
            return found
        query = (
            select(review_overrides)
            .where(review_overrides.c.demand_id.in_(list(demand_ids)))
            .order_by(review_overrides.c.id)
        )
        for row in self.connection.execute(query).mappings():
            change = Override(
                Decision(row["before"]),
                Decision(row["after"]),
                row["by"],
                _utc(row["at"]),
                row["reason"],
            )
            found.setdefault(row["demand_id"], []).append(change)
        return found

    def audit(self, review_id: int) -> list[AuditEntry]:
        query = (
            select(review_audit)
            .where(review_audit.c.review_id == review_id)
            .order_by(review_audit.c.id)
        )
        return [
            AuditEntry(
                row["review_id"],
                _utc(row["at"]),
                row["actor"],
                Action(row["action"]),
                row["before"],
                row["after"],
            )
            for row in self.connection.execute(query).mappings()
        ]


def _conditions(wanted: ReviewFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if wanted.township is not None:
        conditions.append(townships.c.name == wanted.township)
    if wanted.state is not None:
        conditions.append(reviews.c.state == wanted.state.value)
    if wanted.department:
        name = wanted.department
        conditions.append((reviews.c.sender_department == name) | (reviews.c.sender == name))
    if wanted.decision is not None:
        conditions.append(reviews.c.decision == wanted.decision.value)
    if wanted.sent_for_approval or wanted.county_pending:
        conditions.append(reviews.c.decision == Decision.NEEDS_APPROVAL.value)
    if wanted.county_pending:
        conditions.append(reviews.c.county_outcome.is_(None))
    if wanted.received_from is not None:
        conditions.append(reviews.c.received >= wanted.received_from)
    if wanted.received_to is not None:
        conditions.append(reviews.c.received <= wanted.received_to)
    return conditions


def _demand_row(review_id: int, demand: DemandRecord) -> dict[str, Any]:
    return {
        "review_id": review_id,
        "number": demand.number,
        "text": demand.text,
        "suggested": demand.suggested.value,
        "decision": demand.decision.value,
        "items": list(demand.items),
        "reason": demand.reason,
        "flags": [{"code": f.code, "message": f.message} for f in demand.flags],
        "confidence": demand.confidence,
    }


def _demand(row: RowMapping, overrides: list[Override]) -> DemandRecord:
    return DemandRecord(
        number=row["number"],
        text=row["text"],
        suggested=Decision(row["suggested"]),
        decision=Decision(row["decision"]),
        items=tuple(row["items"]),
        reason=row["reason"],
        flags=tuple(Flag(f["code"], f["message"]) for f in row["flags"]),
        confidence=row["confidence"],
        overrides=tuple(overrides),
    )


def _record(row: RowMapping, demands: list[DemandRecord]) -> ReviewRecord:
    county = None
    if row["county_outcome"]:
        county = CountyRecord(
            CountyOutcome(row["county_outcome"]),
            row["county_by"] or "",
            _utc(row["county_at"]),
            row["county_note"],
        )
    return ReviewRecord(
        id=row["id"],
        text=row["text"],
        sender=row["sender"],
        sender_department=row["sender_department"],
        received=row["received"],
        deadline=row["deadline"],
        reviewer=row["reviewer"],
        state=ReviewState(row["state"]),
        suggested=Decision(row["suggested"]),
        decision=Decision(row["decision"]) if row["decision"] else None,
        decided_by=row["decided_by"],
        decided_at=_utc(row["decided_at"]) if row["decided_at"] else None,
        comments=row["comments"],
        county=county,
        list_version=ListRef(row["township"], row["version_number"], row["version_label"]),
        demands=tuple(demands),
        created_at=_utc(row["created_at"]),
        closed_at=_utc(row["closed_at"]) if row["closed_at"] else None,
        version=max(int(row["changes"] or 0), 1),
    )


def _utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every moment lvzhi stores is UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
