"""Figures over the review register: tasks per department, how many were refused or sent for the
county's approval, and the list items departments most often push down wrongly."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from lvzhi.domain.admission import Decision
from lvzhi.domain.model import ItemKey
from lvzhi.domain.reviewrecord import DemandRecord, ListRef, ReviewFilter, ReviewRecord
from lvzhi.services.policy import Principal
from lvzhi.storage.uow import SqlUnitOfWork

WRONG_FLAGS = ("department_power", "sender_took_it_back")
"""Flags that mean a department pushed its own work down (its power, or an item it took back)."""


@dataclass
class DepartmentStats:
    department: str
    tasks: int = 0
    decided: int = 0
    refused: int = 0  # tasks decided 退回
    sent: int = 0  # tasks decided 报请准入
    demands: int = 0
    wrong_demands: int = 0  # demands refused or flagged as pushed down

    @property
    def share_refused_or_sent(self) -> float:
        return (self.refused + self.sent) / self.decided if self.decided else 0.0


@dataclass
class PushedItem:
    key: str
    name: str
    count: int = 0
    refused: int = 0  # demands on it whose decision is 退回 (a taken-back item)
    powers: int = 0  # demands flagged for a department's power pushed onto the township
    departments: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class ReviewStats:
    total: int
    by_state: dict[str, int]
    by_decision: dict[str, int]  # decided tasks only
    county: dict[str, int]  # county answers; "pending" for those still waiting
    departments: list[DepartmentStats]
    pushed_items: list[PushedItem]

    @property
    def decided(self) -> int:
        return sum(self.by_decision.values())

    def share(self, decision: Decision) -> float:
        return self.by_decision.get(decision.value, 0) / self.decided if self.decided else 0.0


def review_statistics(
    uow: SqlUnitOfWork, filters: ReviewFilter | None = None, top: int = 10,
    user: Principal | None = None,
) -> ReviewStats:  # fmt: skip
    """Figures over the reviews ``user`` may see."""
    from lvzhi.services.reviews import list_reviews

    records = list_reviews(uow, filters, user=user)
    departments: dict[str, DepartmentStats] = {}
    pushed: dict[str, PushedItem] = {}
    names = _ItemNames(uow)
    for record in records:
        stats = departments.setdefault(record.department, DepartmentStats(record.department))
        _count_task(stats, record)
        for demand in record.demands:
            if _pushed_wrongly(demand) and demand.items:
                key = demand.items[0]
                item = pushed.get(key) or PushedItem(key, names.name(record.list_version, key))
                pushed[key] = item
                item.count += 1
                item.refused += demand.decision == Decision.REFUSE
                item.powers += any(f.code == "department_power" for f in demand.flags)
                item.departments[record.department] += 1
                stats.wrong_demands += 1
    return ReviewStats(
        total=len(records),
        by_state=dict(Counter(r.state.value for r in records)),
        by_decision=dict(Counter(r.decision.value for r in records if r.decision)),
        county=_county_counts(records),
        departments=sorted(departments.values(), key=lambda d: (-d.tasks, d.department)),
        pushed_items=sorted(pushed.values(), key=lambda p: (-p.count, _order(p.key)))[:top],
    )


def _count_task(stats: DepartmentStats, record: ReviewRecord) -> None:
    stats.tasks += 1
    stats.demands += len(record.demands)
    if record.decision is not None:
        stats.decided += 1
        stats.refused += record.decision == Decision.REFUSE
        stats.sent += record.decision == Decision.NEEDS_APPROVAL


def _pushed_wrongly(demand: DemandRecord) -> bool:
    """Refused (the item was taken back) or flagged: the department asked for its own work. A
    demand sent for approval cites only the nearest items, so it names no item here."""
    if demand.decision == Decision.NEEDS_APPROVAL:
        return False
    return demand.decision == Decision.REFUSE or any(f.code in WRONG_FLAGS for f in demand.flags)


def _county_counts(records: list[ReviewRecord]) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for record in records:
        if record.decision == Decision.NEEDS_APPROVAL:
            counts[record.county.outcome.value if record.county else "pending"] += 1
    return dict(counts)


def _order(key: str) -> tuple[str, int]:
    parsed = ItemKey.parse(key)
    return parsed.kind.value, parsed.number


class _ItemNames:
    """Item names as the list version a review was decided under prints them (looked up once)."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self.uow = uow
        self.known: dict[tuple[str, int, str], str] = {}

    def name(self, ref: ListRef, key: str) -> str:
        wanted = (ref.township, ref.number, key)
        if wanted not in self.known:
            self.known[wanted] = self._look_up(ref, key)
        return self.known[wanted]

    def _look_up(self, ref: ListRef, key: str) -> str:
        with self.uow:
            version = next(
                (v for v in self.uow.lists.versions(ref.township) if v.stored.number == ref.number),
                None,
            )
            item = self.uow.lists.get_item(version.id, ItemKey.parse(key)) if version else None
            return item.name if item else ""
