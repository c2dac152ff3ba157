"""The review workflow as data: every state and action, every refusal with its message."""

from __future__ import annotations

import pytest

from lvzhi.domain.admission import Decision
from lvzhi.domain.model import DomainError
from lvzhi.domain.reviewflow import (
    TRANSITIONS,
    Action,
    AwaitingCounty,
    BadChoice,
    CountyAlreadyRecorded,
    CountyOutcome,
    NotSentForApproval,
    ReviewState,
    TransitionNotAllowed,
    allowed_actions,
    check_close,
    check_county,
    check_reopen,
    next_state,
    overall_decision,
    parse_county,
    parse_decision,
    parse_state,
)

P, R, C = ReviewState.PENDING, ReviewState.REVIEWED, ReviewState.CLOSED
EXPECTED = {
    (P, Action.OVERRIDE): P,
    (P, Action.DECIDE): R,
    (R, Action.REOPEN): P,
    (R, Action.COUNTY): R,
    (R, Action.CLOSE): C,
}
ACTIONS = [a for a in Action if a != Action.CREATE]


@pytest.mark.parametrize("state", list(ReviewState))
@pytest.mark.parametrize("action", ACTIONS)
def test_every_state_and_action_either_moves_or_is_refused_with_a_message(state, action):
    if (state, action) in EXPECTED:
        assert next_state(7, state, action) == EXPECTED[(state, action)]
        return
    with pytest.raises(TransitionNotAllowed) as refused:
        next_state(7, state, action)
    message = str(refused.value)
    assert f"审查记录 7 当前为“{state.title}”" in message
    assert f"不能{action.title}" in message
    assert isinstance(refused.value, DomainError)


def test_refusal_names_what_can_be_done_instead():
    with pytest.raises(TransitionNotAllowed, match="此时可以：退回重审、登记县级准入审批结果、办结"):
        next_state(1, R, Action.DECIDE)
    with pytest.raises(TransitionNotAllowed, match="已办结的记录只能查看"):
        next_state(1, C, Action.REOPEN)


def test_creating_is_no_transition_and_closed_allows_nothing():
    assert Action.CREATE not in TRANSITIONS
    assert allowed_actions(C) == []
    assert allowed_actions(P) == [Action.OVERRIDE, Action.DECIDE]


def test_task_sent_for_approval_closes_only_after_the_county_answered():
    with pytest.raises(AwaitingCounty, match="须先登记县级审批结果"):
        check_close(3, Decision.NEEDS_APPROVAL, None)
    check_close(3, Decision.NEEDS_APPROVAL, CountyOutcome.DENIED)
    check_close(3, Decision.REFUSE, None)


def test_county_outcome_only_for_tasks_sent_for_approval_and_only_once():
    with pytest.raises(NotSentForApproval, match="审查结论是“退回”，没有报请准入"):
        check_county(3, Decision.REFUSE, None)
    with pytest.raises(CountyAlreadyRecorded, match="已登记县级审批结果“批准”，不能重复登记"):
        check_county(3, Decision.NEEDS_APPROVAL, CountyOutcome.APPROVED)
    check_county(3, Decision.NEEDS_APPROVAL, None)
    with pytest.raises(CountyAlreadyRecorded, match="不能退回重审"):
        check_reopen(3, CountyOutcome.DENIED)


@pytest.mark.parametrize(
    ("decisions", "overall"),
    [
        ([], Decision.ACCEPT),
        ([Decision.ACCEPT, Decision.ACCEPT], Decision.ACCEPT),
        ([Decision.REFUSE, Decision.REFUSE], Decision.REFUSE),
        ([Decision.ACCEPT, Decision.REFUSE], Decision.ACCEPT_PART),
        ([Decision.ACCEPT, Decision.ACCEPT_PART], Decision.ACCEPT_PART),
        ([Decision.REFUSE, Decision.NEEDS_APPROVAL], Decision.NEEDS_APPROVAL),
    ],
)
def test_the_whole_task_adds_up_from_its_demands(decisions, overall):
    assert overall_decision(decisions) == overall


def test_choices_read_in_english_or_chinese_and_refuse_the_rest():
    assert parse_decision("退回") == parse_decision("refuse") == Decision.REFUSE
    assert parse_decision("报请准入") == Decision.NEEDS_APPROVAL
    assert parse_county("不予准入") == parse_county("denied") == CountyOutcome.DENIED
    assert parse_state("已办结") == C
    with pytest.raises(BadChoice, match="审查结论“同意”无法识别，应为：accept（接收）"):
        parse_decision("同意")
    with pytest.raises(BadChoice, match="县级审批结果"):
        parse_county("再议")
