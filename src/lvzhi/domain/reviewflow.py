"""The admission review workflow (职责准入审查): states, actions and the transitions between them.

Pure data and checks: a review record is 待审 (pending) until a reviewer decides it, then 已审
(reviewed) with one of 接收 / 部分接收 / 退回 / 报请准入, then 已办结 (closed). Which action is allowed
in which state is the table :data:`TRANSITIONS`; everything else is refused with a named error
whose message says what the record is and what can be done instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from .admission import Decision
from .model import DomainError


class ReviewState(StrEnum):
    PENDING = "pending"
    REVIEWED = "reviewed"
    CLOSED = "closed"

    @property
    def title(self) -> str:
        return STATE_TITLES[self]


STATE_TITLES = {
    ReviewState.PENDING: "待审",
    ReviewState.REVIEWED: "已审",
    ReviewState.CLOSED: "已办结",
}

OUTCOME_TITLES = {
    Decision.ACCEPT: "接收",
    Decision.ACCEPT_PART: "部分接收",
    Decision.REFUSE: "退回",
    Decision.NEEDS_APPROVAL: "报请准入",
}
"""A whole task's decision in a word (a demand's decision keeps its longer ``Decision.title``)."""


class CountyOutcome(StrEnum):
    APPROVED = "approved"
    DENIED = "denied"

    @property
    def title(self) -> str:
        return COUNTY_TITLES[self]


COUNTY_TITLES = {CountyOutcome.APPROVED: "批准", CountyOutcome.DENIED: "不予准入"}


class Action(StrEnum):
    CREATE = "create"
    OVERRIDE = "override"
    DECIDE = "decide"
    REOPEN = "reopen"
    COUNTY = "county"
    CLOSE = "close"

    @property
    def title(self) -> str:
        return ACTION_TITLES[self]


ACTION_TITLES = {
    Action.CREATE: "登记审查",
    Action.OVERRIDE: "改判一条要求",
    Action.DECIDE: "作出审查决定",
    Action.REOPEN: "退回重审",
    Action.COUNTY: "登记县级准入审批结果",
    Action.CLOSE: "办结",
}


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: frozenset[ReviewState]
    target: ReviewState | None  # None: the state stays as it is


TRANSITIONS: dict[Action, Transition] = {
    t.action: t
    for t in (
        Transition(Action.OVERRIDE, frozenset({ReviewState.PENDING}), None),
        Transition(Action.DECIDE, frozenset({ReviewState.PENDING}), ReviewState.REVIEWED),
        Transition(Action.REOPEN, frozenset({ReviewState.REVIEWED}), ReviewState.PENDING),
        Transition(Action.COUNTY, frozenset({ReviewState.REVIEWED}), None),
        Transition(Action.CLOSE, frozenset({ReviewState.REVIEWED}), ReviewState.CLOSED),
    )
}
"""Which action may start from which state, and where it leads. Creating starts at 待审."""


class ReviewError(DomainError):
    """A review record cannot do what was asked."""


class TransitionNotAllowed(ReviewError):
    def __init__(self, review_id: int, state: ReviewState, action: Action) -> None:
        self.review_id, self.state, self.action = review_id, state, action
        allowed = "、".join(a.title for a in allowed_actions(state)) or "无（已办结的记录只能查看）"
        super().__init__(
            f"审查记录 {review_id} 当前为“{state.title}”，不能{action.title}；此时可以：{allowed}"
        )


class AwaitingCounty(ReviewError):
    def __init__(self, review_id: int) -> None:
        super().__init__(
            f"审查记录 {review_id} 已报请县级职责准入审批，须先登记县级审批结果（批准或不予准入）再办结"
        )


class NotSentForApproval(ReviewError):
    def __init__(self, review_id: int, decision: Decision | None) -> None:
        what = OUTCOME_TITLES[decision] if decision else "尚未决定"
        super().__init__(
            f"审查记录 {review_id} 的审查结论是“{what}”，没有报请准入，不能登记县级审批结果"
        )


class CountyAlreadyRecorded(ReviewError):
    def __init__(self, review_id: int, outcome: CountyOutcome, doing: str = "重复登记") -> None:
        super().__init__(f"审查记录 {review_id} 已登记县级审批结果“{outcome.title}”，不能{doing}")


class ReasonRequired(ReviewError):
    def __init__(self, what: str) -> None:
        super().__init__(f"{what}须写明理由")


class UnknownReview(ReviewError):
    def __init__(self, review_id: int) -> None:
        self.review_id = review_id
        super().__init__(f"没有编号为 {review_id} 的审查记录；可用 lvzhi reviews list 查看全部记录")


class UnknownDemand(ReviewError):
    def __init__(self, review_id: int, number: int, count: int) -> None:
        super().__init__(
            f"审查记录 {review_id} 没有第 {number} 条要求（共 {count} 条，序号从 1 开始）"
        )


class EmptyTask(ReviewError):
    def __init__(self) -> None:
        super().__init__("任务内容为空：请给出部门交办任务的全文")


class BadChoice(ReviewError):
    def __init__(self, what: str, text: str, choices: Iterable[str]) -> None:
        super().__init__(f"{what}“{text}”无法识别，应为：{'、'.join(choices)}")


def allowed_actions(state: ReviewState) -> list[Action]:
    return [t.action for t in TRANSITIONS.values() if state in t.sources]


def next_state(review_id: int, state: ReviewState, action: Action) -> ReviewState:
    """The state after ``action``; :class:`TransitionNotAllowed` when ``state`` does not allow it."""
    transition = TRANSITIONS.get(action)
    if transition is None or state not in transition.sources:
        raise TransitionNotAllowed(review_id, state, action)
    return transition.target or state


def check_close(review_id: int, decision: Decision | None, county: CountyOutcome | None) -> None:
    """A task sent for the county's admission approval is closed only once the county answered."""
    if decision == Decision.NEEDS_APPROVAL and county is None:
        raise AwaitingCounty(review_id)


def check_county(review_id: int, decision: Decision | None, county: CountyOutcome | None) -> None:
    if decision != Decision.NEEDS_APPROVAL:
        raise NotSentForApproval(review_id, decision)
    if county is not None:
        raise CountyAlreadyRecorded(review_id, county)


def check_reopen(review_id: int, county: CountyOutcome | None) -> None:
    """A decision the county has answered stands: reopening it would orphan the answer."""
    if county is not None:
        raise CountyAlreadyRecorded(review_id, county, "退回重审")


def overall_decision(decisions: Iterable[Decision]) -> Decision:
    """The whole task from its demands: all accepted, all refused, any outside the list (the county
    must approve it first), else a partial acceptance."""
    found = set(decisions)
    if found <= {Decision.ACCEPT}:
        return Decision.ACCEPT
    if found == {Decision.REFUSE}:
        return Decision.REFUSE
    if Decision.NEEDS_APPROVAL in found:
        return Decision.NEEDS_APPROVAL
    return Decision.ACCEPT_PART


_DECISION_WORDS = {
    **{d.value: d for d in Decision},
    **{title: d for d, title in OUTCOME_TITLES.items()},
    "部分": Decision.ACCEPT_PART, "拒绝": Decision.REFUSE, "报请准入审批": Decision.NEEDS_APPROVAL,
    "准入": Decision.NEEDS_APPROVAL, "approval": Decision.NEEDS_APPROVAL,
}  # fmt: skip
_COUNTY_WORDS = {
    **{o.value: o for o in CountyOutcome},
    **{title: o for o, title in COUNTY_TITLES.items()},
    "准予": CountyOutcome.APPROVED, "同意": CountyOutcome.APPROVED, "不予批准": CountyOutcome.DENIED,
    "不批准": CountyOutcome.DENIED, "驳回": CountyOutcome.DENIED,
}  # fmt: skip


def parse_decision(text: str) -> Decision:
    """``accept`` / ``接收``, ``accept_part`` / ``部分接收``, ``refuse`` / ``退回``,
    ``needs_approval`` / ``报请准入``."""
    found = _DECISION_WORDS.get(text.strip().lower())
    if found is None:
        choices = [f"{d.value}（{t}）" for d, t in OUTCOME_TITLES.items()]
        raise BadChoice("审查结论", text, choices)
    return found


def parse_county(text: str) -> CountyOutcome:
    found = _COUNTY_WORDS.get(text.strip().lower())
    if found is None:
        raise BadChoice("县级审批结果", text, [f"{o.value}（{o.title}）" for o in CountyOutcome])
    return found


def parse_state(text: str) -> ReviewState:
    words = {**{s.value: s for s in ReviewState}, **{t: s for s, t in STATE_TITLES.items()}}
    found = words.get(text.strip().lower())
    if found is None:
        raise BadChoice("状态", text, [f"{s.value}（{s.title}）" for s in ReviewState])
    return found


class MissingActor(ReviewError):
    def __init__(self) -> None:
        super().__init__("请注明操作人（审查人姓名），每一次改动都要记入审计记录")


class NotDecided(ReviewError):
    def __init__(self, review_id: int) -> None:
        super().__init__(
            f"审查记录 {review_id} 尚未作出审查决定，不能出具回复函；请先作出决定"
            f"（lvzhi reviews decide {review_id}）"
        )


class StaleReview(ReviewError):
    """Someone changed the record since the person acting read it (optimistic locking)."""

    def __init__(self, review_id: int, expected: int, current: int) -> None:
        super().__init__(
            f"审查记录 {review_id} 已被他人修改（您看到的是第 {expected} 版，现在是第 {current} 版），"
            "本次操作未保存，请刷新后重试"
        )


class NothingToChange(ReviewError):
    def __init__(self, review_id: int, number: int, decision: Decision) -> None:
        super().__init__(
            f"审查记录 {review_id} 第 {number} 条要求的结论已是“{decision.title}”，无需改判"
        )
