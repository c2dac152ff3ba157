"""A stored admission review: the task, the engine's verdicts, the reviewer's decision, the county's
answer, and the audit trail. Plain frozen data; storage builds it, documents and views read it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from .admission import Decision, Flag, Review
from .reviewflow import OUTCOME_TITLES, Action, CountyOutcome, ReviewState, overall_decision


@dataclass(frozen=True)
class Override:
    """A reviewer changed a demand's decision: from what to what, who, when and why."""

    before: Decision
    after: Decision
    by: str
    at: datetime
    reason: str


@dataclass(frozen=True)
class DemandRecord:
    number: int  # 1-based, as the demands stand in the task
    text: str
    suggested: Decision  # what the engine said
    decision: Decision  # what stands now (the engine's unless overridden)
    items: tuple[str, ...]
    reason: str
    flags: tuple[Flag, ...]
    confidence: float
    overrides: tuple[Override, ...] = ()

    @property
    def overridden(self) -> bool:
        return self.decision != self.suggested or bool(self.overrides)


@dataclass(frozen=True)
class ListRef:
    """The list version a review was decided under."""

    township: str
    number: int
    label: str

    @property
    def title(self) -> str:
        label = f"（{self.label}）" if self.label else ""
        return f"《{self.township}履行职责事项清单》第 {self.number} 版{label}"


@dataclass(frozen=True)
class CountyRecord:
    outcome: CountyOutcome
    by: str
    at: datetime
    note: str


@dataclass(frozen=True)
class ReviewRecord:
    id: int
    text: str
    sender: str  # as printed on the notice
    sender_department: str | None  # canonical, when the registry knows it
    received: date
    deadline: date | None
    reviewer: str
    state: ReviewState
    suggested: Decision  # the engine's verdict on the whole task
    decision: Decision | None  # the reviewer's, once decided
    decided_by: str | None
    decided_at: datetime | None
    comments: str
    county: CountyRecord | None
    list_version: ListRef
    demands: tuple[DemandRecord, ...]
    created_at: datetime
    closed_at: datetime | None = None
    version: int = 1
    """How many changes the record has had (entries in its audit trail, its creation included):
    an action sent with the version the person saw is refused once someone else changed it."""

    @property
    def department(self) -> str:
        """Who sent it, by its canonical name when known."""
        return self.sender_department or self.sender or "（未注明发文部门）"

    @property
    def standing(self) -> Decision:
        """The decision the demands add up to now (overrides included)."""
        return overall_decision(d.decision for d in self.demands)

    @property
    def decision_title(self) -> str:
        return OUTCOME_TITLES[self.decision] if self.decision else "（待审）"

    def demand(self, number: int) -> DemandRecord | None:
        return next((d for d in self.demands if d.number == number), None)


@dataclass(frozen=True)
class AuditEntry:
    review_id: int
    at: datetime
    actor: str
    action: Action
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass(frozen=True)
class NewReview:
    """What ``create_review`` stores: the engine's review plus the register's fields."""

    review: Review
    received: date
    deadline: date | None
    reviewer: str

    @property
    def demands(self) -> tuple[DemandRecord, ...]:
        return tuple(
            DemandRecord(
                number=n,
                text=d.text,
                suggested=d.decision,
                decision=d.decision,
                items=d.items,
                reason=d.reason,
                flags=d.flags,
                confidence=round(d.routing.confidence, 4),
            )
            for n, d in enumerate(self.review.demands, 1)
        )

    @property
    def suggested(self) -> Decision:
        return overall_decision(d.decision for d in self.review.demands)


@dataclass(frozen=True)
class ReviewFilter:
    """Which reviews to list; every field left empty matches all."""

    state: ReviewState | None = None
    department: str | None = None  # canonical name, or as printed
    decision: Decision | None = None
    county_pending: bool = False  # sent for approval, county has not answered
    sent_for_approval: bool = False  # decided 报请准入, answered or not
    received_from: date | None = None
    received_to: date | None = None
    township: str | None = None  # the list's township; None: every township (the CLI's default)


def state_doc(record: ReviewRecord) -> dict[str, Any]:
    """The fields a decision changes, as the audit trail keeps them."""
    return {
        "state": record.state.value,
        "decision": record.decision.value if record.decision else None,
        "comments": record.comments,
        "decided_by": record.decided_by,
    }
