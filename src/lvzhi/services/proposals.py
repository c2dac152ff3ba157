"""Change proposal use cases: propose a change to a township's list, review it, withdraw it, and
publish the approved ones as the next version. Each is one transaction; every move is checked
against ``domain.proposals`` and kept as an event (who, when, from, to, comment).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from lvzhi.domain.listchanges import Change, Pending, apply_changes, check_change, snapshot
from lvzhi.domain.model import ListVersion
from lvzhi.domain.proposals import (
    EarlyEffectiveDate,
    MissingActor,
    MissingEffectiveDate,
    NothingToPublish,
    Proposal,
    ProposalAction,
    ProposalEvent,
    ProposalState,
    ReasonRequired,
    UnknownProposal,
    check_review,
    next_state,
)
from lvzhi.domain.versions import ListDiff, StoredVersion, UnknownTownship
from lvzhi.services import policy
from lvzhi.services.imports import store_version
from lvzhi.services.policy import Principal
from lvzhi.storage.proposals import change_values
from lvzhi.storage.uow import SqlUnitOfWork

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _actor(by: str, user: Principal | None = None) -> str:
    """Who acts: the logged-in user when there is one (so nobody can propose, or review their own
    proposal, under another name), else the name given (the CLI's ``--by`` or OS user)."""
    if user is not None and user.authenticated:
        return user.label
    if not by or not by.strip():
        raise MissingActor()
    return by.strip()


def propose(
    uow: SqlUnitOfWork, township: str, change: Change, reason: str, by: str = "",
    clock: Clock = utc_now, *, user: Principal | None = None,
) -> Proposal:  # fmt: skip
    """Record ``change`` to the township's newest version as 待审核, with the item as it stands.
    Township staff propose for their own township only (403 for another)."""
    policy.check_township(user, township, "list.propose")
    actor = _actor(by, user)
    if not reason.strip():
        raise ReasonRequired()
    now = clock()
    with uow.for_writing():
        township_id = _township_id(uow, township)
        newest = uow.lists.versions(township)[-1]
        duty_list = uow.lists.load_list(newest)
        checked = check_change(change, duty_list)
        item = duty_list.item(checked.key) if checked.key else None
        values = {
            **change_values(checked), "township_id": township_id, "base_version_id": newest.id,
            "before": snapshot(item) if item else None,
            "item_name": item.name if item else str(checked.fields.get("name", "")),
            "reason": reason.strip(), "state": ProposalState.PROPOSED.value,
            "proposed_by": actor, "proposed_at": now,
        }  # fmt: skip
        proposal_id = uow.proposals.add(values)
        uow.proposals.add_event(
            proposal_id, now, actor, ProposalAction.PROPOSE, None, ProposalState.PROPOSED, reason
        )
        uow.commit()
        return _get(uow, proposal_id)


def review(
    uow: SqlUnitOfWork, proposal_id: int, by: str, approve: bool, comment: str = "",
    clock: Clock = utc_now, *, user: Principal | None = None,
) -> Proposal:  # fmt: skip
    """Approve or reject a 待审核 proposal; the reviewer is not the proposer, a rejection says why."""
    policy.authorize(user, "list.review")
    actor = _actor(by, user)
    action = ProposalAction.APPROVE if approve else ProposalAction.REJECT
    now = clock()
    with uow.for_writing():
        proposal = _get(uow, proposal_id, lock=True)
        state = next_state(proposal.id, proposal.state, action)
        check_review(proposal.id, proposal.proposed_by, actor, approve, comment)
        uow.proposals.update(proposal.id, {
            "state": state.value, "reviewed_by": actor, "reviewed_at": now,
            "review_comment": comment.strip(),
        })  # fmt: skip
        uow.proposals.add_event(proposal.id, now, actor, action, proposal.state, state, comment)
        uow.commit()
        return _get(uow, proposal.id)


def withdraw(
    uow: SqlUnitOfWork, proposal_id: int, by: str, comment: str = "", clock: Clock = utc_now,
    *, user: Principal | None = None,
) -> Proposal:  # fmt: skip
    """Take back a proposal that is not yet published (待审核 or 已同意); township staff only
    their own township's."""
    actor = _actor(by, user)
    now = clock()
    with uow.for_writing():
        proposal = _get(uow, proposal_id, lock=True)
        policy.check_township(user, proposal.township, "list.propose")
        state = next_state(proposal.id, proposal.state, ProposalAction.WITHDRAW)
        uow.proposals.update(proposal.id, {"state": state.value})
        uow.proposals.add_event(
            proposal.id, now, actor, ProposalAction.WITHDRAW, proposal.state, state, comment
        )
        uow.commit()
        return _get(uow, proposal.id)


@dataclass(frozen=True)
class Publication:
    version: StoredVersion
    previous: StoredVersion
    diff: ListDiff | None
    proposals: list[Proposal]


def publish(
    uow: SqlUnitOfWork, township: str, effective: date | None, by: str, label: str = "",
    only: Sequence[int] = (), clock: Clock = utc_now, *, user: Principal | None = None,
) -> Publication:  # fmt: skip
    """Apply the township's approved proposals (``only`` these, when given) to its newest version
    and store the result as the next version, in force from ``effective``. All or nothing: one
    proposal that no longer applies stops the publication and names itself."""
    policy.authorize(user, "list.publish")
    actor = _actor(by, user)
    if effective is None:
        raise MissingEffectiveDate()
    now = clock()
    with uow.for_writing():
        township_id = _township_id(uow, township, lock=True)
        newest = uow.lists.versions(township)[-1]
        if newest.stored.effective_date and effective < newest.stored.effective_date:
            raise EarlyEffectiveDate(effective, newest.stored.number, newest.stored.effective_date)
        chosen = _chosen(uow, township, township_id, only)
        base = uow.lists.load_list(newest)
        ids = "、".join(str(p.id) for p in chosen)
        version = ListVersion(township, base.version.county, label.strip() or effective.isoformat(),
                              effective, f"变更提案 {ids} 发布（{actor}）")  # fmt: skip
        pending = [Pending(p.id, p.change, p.before) for p in chosen]
        new_list, keys = apply_changes(base, pending, version)
        result, version_id = store_version(uow, new_list)
        for p in chosen:
            key = keys[p.id]
            uow.proposals.update(p.id, {
                "state": ProposalState.PUBLISHED.value, "published_version_id": version_id,
                "result_key": str(key) if key else None,
            })  # fmt: skip
            uow.proposals.add_event(p.id, now, actor, ProposalAction.PUBLISH, p.state,
                                    ProposalState.PUBLISHED, f"第 {result.version.number} 版")  # fmt: skip
        uow.commit()
        published = [_get(uow, p.id) for p in chosen]
    return Publication(result.version, newest.stored, result.diff, published)


def _chosen(
    uow: SqlUnitOfWork, township: str, township_id: int, only: Sequence[int]
) -> list[Proposal]:
    approved = uow.proposals.find(township_id, states=[ProposalState.APPROVED])
    if not only:
        if not approved:
            raise NothingToPublish(township)
        return approved
    by_id = {p.id: p for p in approved}
    chosen = []
    for proposal_id in dict.fromkeys(only):
        if proposal_id not in by_id:
            found = uow.proposals.get(proposal_id)
            if found is None or found.township != township:
                raise UnknownProposal(proposal_id)
            next_state(found.id, found.state, ProposalAction.PUBLISH)  # raises: says what it is
        chosen.append(by_id[proposal_id])
    return chosen


def list_proposals(
    uow: SqlUnitOfWork, township: str | None = None, states: Sequence[ProposalState] = ()
) -> list[Proposal]:
    with uow:
        township_id = _township_id(uow, township) if township else None
        return uow.proposals.find(township_id, states)


def get_proposal(uow: SqlUnitOfWork, proposal_id: int) -> tuple[Proposal, list[ProposalEvent]]:
    with uow:
        return _get(uow, proposal_id), uow.proposals.events(proposal_id)


def _get(uow: SqlUnitOfWork, proposal_id: int, lock: bool = False) -> Proposal:
    found = uow.proposals.get(proposal_id, lock=lock)
    if found is None:
        raise UnknownProposal(proposal_id)
    return found


def _township_id(uow: SqlUnitOfWork, township: str, lock: bool = False) -> int:
    found = uow.lists.township_id(township, lock=lock)
    if found is None:
        raise UnknownTownship(township, uow.lists.townships())
    return found
