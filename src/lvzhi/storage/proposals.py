"""Change proposals in the database: rows in, :class:`~lvzhi.domain.proposals.Proposal` out.

Reads and writes rows only; the services decide. Never commits: the unit of work does.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, RowMapping, insert, select, update

from lvzhi.domain.listchanges import Change, ChangeKind
from lvzhi.domain.model import ItemKey, ItemKind
from lvzhi.domain.proposals import Proposal, ProposalAction, ProposalEvent, ProposalState
from lvzhi.storage.tables import list_proposals, list_versions, proposal_events, townships

_base = list_versions.alias("base")
_published = list_versions.alias("published")


class ProposalRepository:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, values: dict[str, Any]) -> int:
        result = self.connection.execute(insert(list_proposals).values(**values))
        return int(result.inserted_primary_key[0])

    def update(self, proposal_id: int, values: dict[str, Any]) -> None:
        query = update(list_proposals).where(list_proposals.c.id == proposal_id)
        self.connection.execute(query.values(**values))

    def get(self, proposal_id: int, *, lock: bool = False) -> Proposal | None:
        query = self._select(list_proposals.c.id == proposal_id)
        row = self.connection.execute(query.with_for_update(of=list_proposals) if lock else query)
        found = row.mappings().first()
        return _proposal(found) if found else None

    def find(
        self,
        township_id: int | None = None,
        states: Sequence[ProposalState] = (),
        published_in: Sequence[int] = (),
    ) -> list[Proposal]:
        """Proposals of a township, in some states, or published into some versions; oldest first."""
        conditions: list[ColumnElement[bool]] = []
        if township_id is not None:
            conditions.append(list_proposals.c.township_id == township_id)
        if states:
            conditions.append(list_proposals.c.state.in_([s.value for s in states]))
        if published_in:
            conditions.append(list_proposals.c.published_version_id.in_(list(published_in)))
        found = self.connection.execute(self._select(*conditions)).mappings().all()
        return [_proposal(row) for row in found]

    def township_of(self, proposal_id: int) -> int | None:
        query = select(list_proposals.c.township_id).where(list_proposals.c.id == proposal_id)
        return self.connection.scalar(query)

    def add_event(
        self,
        proposal_id: int,
        at: datetime,
        actor: str,
        action: ProposalAction,
        before: ProposalState | None,
        after: ProposalState,
        comment: str = "",
    ) -> None:
        values = {"proposal_id": proposal_id, "at": at, "actor": actor, "action": action.value,
                  "from_state": before.value if before else None, "to_state": after.value,
                  "comment": comment}  # fmt: skip
        self.connection.execute(insert(proposal_events).values(**values))

    def events(self, proposal_id: int) -> list[ProposalEvent]:
        query = (
            select(proposal_events)
            .where(proposal_events.c.proposal_id == proposal_id)
            .order_by(proposal_events.c.id)
        )
        return [
            ProposalEvent(
                _utc(row["at"]),
                row["actor"],
                ProposalAction(row["action"]),
                ProposalState(row["from_state"]) if row["from_state"] else None,
                ProposalState(row["to_state"]),
                row["comment"],
            )  # fmt: skip
            for row in self.connection.execute(query).mappings()
        ]

    @staticmethod
    def _select(*conditions: ColumnElement[bool]) -> Any:
        return (
            select(
                list_proposals,
                townships.c.name.label("township"),
                _base.c.number.label("base_number"),
                _published.c.number.label("published_number"),
                _published.c.effective_date.label("published_effective"),
            )
            .join(townships, townships.c.id == list_proposals.c.township_id)
            .join(_base, _base.c.id == list_proposals.c.base_version_id)
            .outerjoin(_published, _published.c.id == list_proposals.c.published_version_id)
            .where(*conditions)
            .order_by(list_proposals.c.id)
        )


def _proposal(row: RowMapping) -> Proposal:
    change = Change(
        ChangeKind(row["change"]),
        ItemKey.parse(row["item_key"]) if row["item_key"] else None,
        ItemKind(row["target_kind"]) if row["target_kind"] else None,
        {k: v if isinstance(v, str) else tuple(v) for k, v in (row["fields"] or {}).items()},
    )
    return Proposal(
        id=row["id"],
        township=row["township"],
        base_version=row["base_number"],
        change=change,
        before=row["before"],
        item_name=row["item_name"],
        reason=row["reason"],
        state=ProposalState(row["state"]),
        proposed_by=row["proposed_by"],
        proposed_at=_utc(row["proposed_at"]),
        reviewed_by=row["reviewed_by"],
        reviewed_at=_utc(row["reviewed_at"]) if row["reviewed_at"] else None,
        review_comment=row["review_comment"],
        published_version=row["published_number"],
        effective_date=row["published_effective"],
        result_key=row["result_key"],
    )


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def change_values(change: Change) -> dict[str, Any]:
    """The columns that hold a change."""
    return {
        "change": change.kind.value,
        "item_key": str(change.key) if change.key else None,
        "target_kind": change.target.value if change.target else None,
        "fields": {k: v if isinstance(v, str) else list(v) for k, v in change.fields.items()},
    }
