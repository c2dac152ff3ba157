"""Proposals to change a township's list (变更提案): states and moves as data, named errors, and
the record a proposal is. Pure: no storage, no clock.

A change (``listchanges.Change``) is proposed against the newest version with a reason, approved or
rejected by someone else with a comment, and published with the other approved changes as the next
version, which takes effect on the date given.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from lvzhi.domain.listchanges import (
    Change,
    ChangeKind,
    InvalidChange,
    ProposalConflict,
    Snapshot,
)
from lvzhi.domain.model import DomainError

__all__ = ["Change", "ChangeKind", "InvalidChange", "ProposalConflict"]


class ProposalState(StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    PUBLISHED = "published"

    @property
    def title(self) -> str:
        return STATE_TITLES[self]


STATE_TITLES = {
    ProposalState.PROPOSED: "待审核",
    ProposalState.APPROVED: "已同意",
    ProposalState.REJECTED: "已驳回",
    ProposalState.WITHDRAWN: "已撤回",
    ProposalState.PUBLISHED: "已发布",
}


class ProposalAction(StrEnum):
    PROPOSE = "propose"
    APPROVE = "approve"
    REJECT = "reject"
    WITHDRAW = "withdraw"
    PUBLISH = "publish"

    @property
    def title(self) -> str:
        return ACTION_TITLES[self]


ACTION_TITLES = {
    ProposalAction.PROPOSE: "提出",
    ProposalAction.APPROVE: "同意",
    ProposalAction.REJECT: "驳回",
    ProposalAction.WITHDRAW: "撤回",
    ProposalAction.PUBLISH: "发布",
}

TRANSITIONS: dict[tuple[ProposalState, ProposalAction], ProposalState] = {
    (ProposalState.PROPOSED, ProposalAction.APPROVE): ProposalState.APPROVED,
    (ProposalState.PROPOSED, ProposalAction.REJECT): ProposalState.REJECTED,
    (ProposalState.PROPOSED, ProposalAction.WITHDRAW): ProposalState.WITHDRAWN,
    (ProposalState.APPROVED, ProposalAction.WITHDRAW): ProposalState.WITHDRAWN,
    (ProposalState.APPROVED, ProposalAction.PUBLISH): ProposalState.PUBLISHED,
}
"""Every move a proposal may make; anything else is refused with what the state allows."""

# ---- errors ----


class ProposalError(DomainError):
    """A change that cannot be made as asked; the message says what to do instead."""


class UnknownProposal(ProposalError):
    def __init__(self, proposal_id: int) -> None:
        super().__init__(f"没有编号为 {proposal_id} 的变更提案")


class MoveNotAllowed(ProposalError):
    def __init__(self, proposal_id: int, state: ProposalState, action: ProposalAction) -> None:
        allowed = "、".join(a.title for a in allowed_actions(state)) or "不能再作任何操作"
        super().__init__(
            f"变更提案 {proposal_id} 当前为“{state.title}”，不能“{action.title}”（此时可以：{allowed}）"
        )


class MissingActor(ProposalError):
    def __init__(self) -> None:
        super().__init__("请写明操作人姓名（命令行用 --by，接口用 by）")


class ReasonRequired(ProposalError):
    def __init__(self) -> None:
        super().__init__("提出变更须写明理由（如依据的文件、会议纪要），理由会显示在版本比较中")


class CommentRequired(ProposalError):
    def __init__(self) -> None:
        super().__init__("驳回变更须写明审核意见，说明不同意的原因")


class SelfReview(ProposalError):
    def __init__(self, proposal_id: int, who: str) -> None:
        super().__init__(f"变更提案 {proposal_id} 由“{who}”提出，须由另一人审核")


class NothingToPublish(ProposalError):
    def __init__(self, township: str) -> None:
        super().__init__(f"乡镇“{township}”没有已同意、待发布的变更提案")


class MissingEffectiveDate(ProposalError):
    def __init__(self) -> None:
        super().__init__("发布新版本须写明生效日期（YYYY-MM-DD）")


STATE_NAMES: dict[str, ProposalState] = {
    **{s.value: s for s in ProposalState},
    **{title: s for s, title in STATE_TITLES.items()},
}


# ---- states ----


def allowed_actions(state: ProposalState) -> list[ProposalAction]:
    return [action for (s, action) in TRANSITIONS if s is state]


def next_state(proposal_id: int, state: ProposalState, action: ProposalAction) -> ProposalState:
    try:
        return TRANSITIONS[(state, action)]
    except KeyError:
        raise MoveNotAllowed(proposal_id, state, action) from None


def check_review(
    proposal_id: int, proposer: str, reviewer: str, approve: bool, comment: str
) -> None:
    """Someone other than the proposer decides; a rejection says why."""
    if reviewer.strip() == proposer.strip():
        raise SelfReview(proposal_id, proposer)
    if not approve and not comment.strip():
        raise CommentRequired()


# ---- records ----


@dataclass(frozen=True)
class ProposalEvent:
    at: datetime
    actor: str
    action: ProposalAction
    from_state: ProposalState | None
    to_state: ProposalState
    comment: str = ""


@dataclass(frozen=True)
class Proposal:
    """A stored proposal: the change, against which version, why, and what became of it."""

    id: int
    township: str
    base_version: int
    change: Change
    before: Snapshot | None
    item_name: str
    reason: str
    state: ProposalState
    proposed_by: str
    proposed_at: datetime
    reviewed_by: str | None = None
    reviewed_at: datetime | None = None
    review_comment: str = ""
    published_version: int | None = None
    effective_date: date | None = None
    result_key: str | None = None

    @property
    def title(self) -> str:
        return self.change.describe()


class EarlyEffectiveDate(ProposalError):
    def __init__(self, wanted: date, number: int, effective: date) -> None:
        super().__init__(
            f"生效日期 {wanted.isoformat()} 早于第 {number} 版的生效日期 {effective.isoformat()}，"
            "新版本须在其后生效"
        )
