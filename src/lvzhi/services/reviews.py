"""Admission review use cases (职责准入审查): register a task, decide it, override a demand, send
it to the county, close it. Each takes a unit of work and is one transaction; every change is
checked against ``domain.reviewflow`` and written to the audit trail with its before and after.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from lvzhi.domain.admission import AdmissionReviewer, Decision
from lvzhi.domain.model import Item, ItemKey
from lvzhi.domain.reviewflow import (
    OUTCOME_TITLES,
    Action,
    CountyOutcome,
    EmptyTask,
    MissingActor,
    NothingToChange,
    ReasonRequired,
    ReviewState,
    StaleReview,
    UnknownDemand,
    UnknownReview,
    check_close,
    check_county,
    check_reopen,
    next_state,
)
from lvzhi.domain.reviewrecord import (
    AuditEntry,
    NewReview,
    Override,
    ReviewFilter,
    ReviewRecord,
    state_doc,
)
from lvzhi.domain.versions import content_hash
from lvzhi.services import policy
from lvzhi.services.policy import Principal
from lvzhi.storage.repository import VersionRow
from lvzhi.storage.uow import SqlUnitOfWork

_ENGINES: dict[str, AdmissionReviewer] = {}
"""Reviewers for stored lists other than the embedded one, by content hash (building one takes
about a second)."""


def reviewer_for(uow: SqlUnitOfWork, version: VersionRow) -> AdmissionReviewer:
    """The review engine over ``version``'s items (the embedded list's engine when they match)."""
    from lvzhi.data import build_router, default_reviewer, load_act_cues, load_emin_list

    if version.content_hash == content_hash(load_emin_list()):
        return default_reviewer()
    engine = _ENGINES.get(version.content_hash)
    if engine is None:
        router = build_router(uow.lists.load_list(version))
        engine = AdmissionReviewer(router, uow.registry, load_act_cues())
        if len(_ENGINES) >= 4:
            _ENGINES.clear()
        _ENGINES[version.content_hash] = engine
    return engine


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _actor(by: str, user: Principal | None = None) -> str:
    """Who acts: the logged-in user when there is one (a name typed in a form or a request body
    does not count), else the name given (the CLI's ``--by`` or OS user)."""
    if user is not None and user.authenticated:
        return user.label
    if not by or not by.strip():
        raise MissingActor()
    return by.strip()


def create_review(
    uow: SqlUnitOfWork,
    text: str,
    sender: str = "",
    received: date | None = None,
    deadline: date | None = None,
    reviewer: str = "",
    *,
    township: str | None = None,
    version: str | None = None,
    engine: AdmissionReviewer | None = None,
    user: Principal | None = None,
) -> ReviewRecord:
    """Run the review engine on a department's task under the township's list (its newest version
    unless ``version`` is given) and store the verdicts as a 待审 record. ``engine`` must review
    against that same version (the API passes one built on its cached router). The reviewer
    recorded is the logged-in ``user`` when there is one, else ``reviewer``."""
    from lvzhi.services.queries import pick_version

    policy.check_township(user, township or _default_township(), "reviews.create")
    by = _actor(reviewer, user)
    if not text.strip():
        raise EmptyTask()
    with uow.for_writing():
        row = pick_version(uow, township or _default_township(), version)
        review = (engine or reviewer_for(uow, row)).review(text.strip(), sender.strip())
        new = NewReview(review, received or date.today(), deadline, by)
        now = _now()
        review_id = uow.reviews.add(new, row.id, now)
        record = _get(uow, review_id)
        after = {**state_doc(record), "text": record.text, "sender": record.sender,
                 "demands": [d.decision.value for d in record.demands]}  # fmt: skip
        uow.reviews.append_audit(AuditEntry(review_id, now, by, Action.CREATE, None, after))
        uow.commit()
        return record


def _default_township() -> str:
    from lvzhi.data import EMIN_VERSION

    return EMIN_VERSION.township


def get_review(
    uow: SqlUnitOfWork, review_id: int, *, user: Principal | None = None
) -> ReviewRecord:
    with uow:
        record = _get(uow, review_id)
    policy.check_review(user, record, "reviews.read")
    return record


def _get(uow: SqlUnitOfWork, review_id: int) -> ReviewRecord:
    record = uow.reviews.get(review_id)
    if record is None:
        raise UnknownReview(review_id)
    return record


def review_audit(
    uow: SqlUnitOfWork, review_id: int, *, user: Principal | None = None
) -> list[AuditEntry]:
    with uow:
        policy.check_review(user, _get(uow, review_id), "reviews.read")
        return uow.reviews.audit(review_id)


def list_reviews(
    uow: SqlUnitOfWork, filters: ReviewFilter | None = None, *, user: Principal | None = None
) -> list[ReviewRecord]:
    """Reviews matching ``filters`` (a department by short or full name; the township's, when
    ``filters.township`` names one) that ``user`` may see, oldest first. Township staff asking for
    another township get none of its reviews: the scope applies within the township asked for."""
    from lvzhi.domain.versions import UnknownTownship

    policy.authorize(user, "reviews.read")
    filters = filters or ReviewFilter()
    if filters.department:
        filters = replace(filters, department=uow.registry.canonical(filters.department))
    with uow:
        if filters.township is not None and uow.lists.township_id(filters.township) is None:
            raise UnknownTownship(filters.township, uow.lists.townships())
        found = uow.reviews.list(filters)
    return [r for r in found if policy.sees_review(user, r)]


def county_view(
    uow: SqlUnitOfWork, *, pending_only: bool = False, user: Principal | None = None
) -> list[ReviewRecord]:
    """Tasks sent for the county's admission approval (报请准入): those awaiting an answer first."""
    wanted = ReviewFilter(sent_for_approval=True, county_pending=pending_only)
    found = list_reviews(uow, wanted, user=user)
    return sorted(found, key=lambda r: (r.county is not None, r.received, r.id))


Change = Callable[[ReviewRecord, ReviewState, datetime, str], tuple[dict[str, Any], dict[str, Any]]]
"""Applies one action to the locked record as the actor (the last argument) and returns the audit
trail's before and after."""


def _act(
    uow: SqlUnitOfWork, review_id: int, action: Action, by: str, change: Change,
    user: Principal | None = None, expected_version: int | None = None,
) -> ReviewRecord:  # fmt: skip
    """Run ``change`` on the locked record; the actor is the logged-in ``user`` when there is one,
    else ``by`` (the CLI)."""
    by = _actor(by, user)
    with uow.for_writing():
        if not uow.reviews.lock(review_id):
            raise UnknownReview(review_id)
        record = _get(uow, review_id)
        if expected_version is not None and expected_version != record.version:
            raise StaleReview(review_id, expected_version, record.version)
        policy.check_review(
            user, record, "reviews.county" if action == Action.COUNTY else "reviews.decide"
        )
        target = next_state(review_id, record.state, action)
        now = _now()
        before, after = change(record, target, now, by)
        uow.reviews.append_audit(AuditEntry(review_id, now, by, action, before, after))
        record = _get(uow, review_id)
        uow.commit()
        return record


def decide(
    uow: SqlUnitOfWork,
    review_id: int,
    by: str,
    decision: Decision | None = None,
    comments: str = "",
    user: Principal | None = None,
    expected_version: int | None = None,
) -> ReviewRecord:
    """待审 -> 已审. ``decision`` defaults to what the demands add up to; another decision needs
    a comment saying why."""

    def change(record: ReviewRecord, target: ReviewState, now: datetime, actor: str):
        chosen = decision or record.standing
        if chosen != record.standing and not comments.strip():
            raise ReasonRequired(
                f"审查结论“{OUTCOME_TITLES[chosen]}”与各条要求合起来的结论"
                f"“{OUTCOME_TITLES[record.standing]}”不一致，"
            )
        values = {"state": target, "decision": chosen, "decided_by": actor,
                  "decided_at": now, "comments": comments.strip()}  # fmt: skip
        uow.reviews.update(review_id, **values)
        return state_doc(record), {**state_doc(record), **_plain(values, "decided_at")}

    return _act(uow, review_id, Action.DECIDE, by, change, user, expected_version)


def override_demand(
    uow: SqlUnitOfWork, review_id: int, number: int, to: Decision, by: str, reason: str,
    user: Principal | None = None, expected_version: int | None = None,
) -> ReviewRecord:  # fmt: skip
    """Change one demand's decision (while 待审); the old and new decision, who and why are kept."""

    def change(record: ReviewRecord, target: ReviewState, now: datetime, actor: str):
        demand = record.demand(number)
        if demand is None:
            raise UnknownDemand(review_id, number, len(record.demands))
        if demand.decision == to:
            raise NothingToChange(review_id, number, to)
        if not reason.strip():
            raise ReasonRequired(f"改判第 {number} 条要求（{demand.decision.title} → {to.title}）")
        uow.reviews.override(
            review_id, number, Override(demand.decision, to, actor, now, reason.strip())
        )
        before = {"demand": number, "decision": demand.decision.value}
        return before, {"demand": number, "decision": to.value, "reason": reason.strip()}

    return _act(uow, review_id, Action.OVERRIDE, by, change, user, expected_version)


def reopen(
    uow: SqlUnitOfWork, review_id: int, by: str, reason: str, user: Principal | None = None,
    expected_version: int | None = None,
) -> ReviewRecord:  # fmt: skip
    """已审 -> 待审, to correct a decision; the county's answer must not be on it yet."""

    def change(record: ReviewRecord, target: ReviewState, now: datetime, actor: str):
        if not reason.strip():
            raise ReasonRequired("退回重审")
        check_reopen(review_id, record.county.outcome if record.county else None)
        values = {"state": target, "decision": None, "decided_by": None, "decided_at": None}
        uow.reviews.update(review_id, **values)
        after = {**state_doc(record), **_plain(values, "decided_at"), "reason": reason.strip()}
        return state_doc(record), after

    return _act(uow, review_id, Action.REOPEN, by, change, user, expected_version)


def record_county_outcome(
    uow: SqlUnitOfWork, review_id: int, outcome: CountyOutcome, by: str, note: str = "",
    user: Principal | None = None, expected_version: int | None = None,
) -> ReviewRecord:  # fmt: skip
    """The county's answer to a task sent for admission approval: 批准 or 不予准入."""

    def change(record: ReviewRecord, target: ReviewState, now: datetime, actor: str):
        check_county(review_id, record.decision, record.county.outcome if record.county else None)
        values = {"county_outcome": outcome, "county_by": actor, "county_at": now,
                  "county_note": note.strip()}  # fmt: skip
        uow.reviews.update(review_id, **values)
        return {"county_outcome": None}, _plain(values, "county_at")

    return _act(uow, review_id, Action.COUNTY, by, change, user, expected_version)


def close(
    uow: SqlUnitOfWork, review_id: int, by: str, comments: str = "", user: Principal | None = None,
    expected_version: int | None = None,
) -> ReviewRecord:  # fmt: skip
    """已审 -> 已办结 (a task sent for approval only once the county has answered)."""

    def change(record: ReviewRecord, target: ReviewState, now: datetime, actor: str):
        check_close(review_id, record.decision, record.county.outcome if record.county else None)
        values: dict[str, Any] = {"state": target, "closed_at": now}
        if comments.strip():
            values["comments"] = "\n".join(filter(None, [record.comments, comments.strip()]))
        uow.reviews.update(review_id, **values)
        return state_doc(record), {**state_doc(record), **_plain(values, "closed_at")}

    return _act(uow, review_id, Action.CLOSE, by, change, user, expected_version)


def _plain(values: dict[str, Any], *moments: str) -> dict[str, Any]:
    """``values`` as JSON can hold them: enums by value, moments as ISO text."""
    plain = {}
    for key, value in values.items():
        if key in moments and value is not None:
            value = value.isoformat()
        plain[key] = getattr(value, "value", value)
    return plain


def cited_items(uow: SqlUnitOfWork, record: ReviewRecord) -> dict[str, Item]:
    """The items the record's demands cite, as the list version it was decided under prints them."""
    with uow:
        version_id = uow.reviews.version_id(record.id)
        found: dict[str, Item] = {}
        for key in dict.fromkeys(k for d in record.demands for k in d.items):
            item = uow.lists.get_item(version_id, ItemKey.parse(key)) if version_id else None
            if item is not None:
                found[key] = item
        return found
