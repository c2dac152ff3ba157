"""Work order rules: every state and move, working-day deadlines, duplicates."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from lvzhi.domain.workorder import (
    TRANSITIONS,
    Action,
    BadTransition,
    Candidate,
    DeadlineStatus,
    OrderState,
    ReasonRequired,
    add_working_days,
    allowed_actions,
    deadline_status,
    likely_duplicates,
    next_state,
)
from lvzhi.workcalendar import covered, is_workday


def test_an_order_walks_from_intake_to_visit():
    state = OrderState.NEW
    for action in (Action.ASSIGN, Action.START, Action.SUSPEND, Action.RESUME, Action.RESOLVE, Action.VISIT):
        state = next_state(state, action, reason="等待材料" if action == Action.SUSPEND else "")
    assert state == OrderState.VISITED and not state.is_open


def test_send_back_and_reassign_then_reopen():
    state = next_state(OrderState.ASSIGNED, Action.SEND_BACK, reason="不属于本部门职责")
    assert state == OrderState.RETURNED
    state = next_state(state, Action.ASSIGN)
    state = next_state(next_state(state, Action.START), Action.RESOLVE)
    assert next_state(state, Action.REOPEN, reason="群众不满意") == OrderState.IN_PROGRESS


@pytest.mark.parametrize("state", list(OrderState))
@pytest.mark.parametrize("action", list(Action))
def test_every_move_not_in_the_table_is_refused_with_a_message(state, action):
    if (state, action) in TRANSITIONS:
        assert next_state(state, action, reason="原因") == TRANSITIONS[(state, action)]
        return
    with pytest.raises(BadTransition) as err:
        next_state(state, action, reason="原因")
    assert state.title in str(err.value) and action.title in str(err.value)


def test_moves_that_need_a_reason():
    for action, state in ((Action.SEND_BACK, OrderState.ASSIGNED), (Action.SUSPEND, OrderState.IN_PROGRESS)):
        with pytest.raises(ReasonRequired):
            next_state(state, action, reason="  ")
    assert Action.ASSIGN in allowed_actions(OrderState.NEW)


def test_deadline_skips_national_day_and_counts_the_adjusted_working_weekend():
    # 2025: 10-01..10-08 off; Sunday 09-28 and Saturday 10-11 are working days.
    assert is_workday(date(2025, 9, 28)) and not is_workday(date(2025, 10, 3)) and is_workday(date(2025, 10, 11))
    received = datetime(2025, 9, 26, 10, 0)  # a Friday
    assert add_working_days(received, 1, is_workday).date() == date(2025, 9, 28)
    assert add_working_days(received, 3, is_workday).date() == date(2025, 9, 30)
    assert add_working_days(received, 4, is_workday).date() == date(2025, 10, 9)
    assert add_working_days(received, 5, is_workday).date() == date(2025, 10, 10)
    assert add_working_days(received, 6, is_workday).date() == date(2025, 10, 11)


def test_spring_festival_2026_and_a_rest_day_receipt():
    received = datetime(2026, 2, 15, 9, 0)  # Sunday inside the holiday
    assert add_working_days(received, 0, is_workday).date() == date(2026, 2, 24)
    assert add_working_days(received, 1, is_workday).date() == date(2026, 2, 24)


def test_years_without_an_official_schedule_fall_back_to_weekends():
    assert not covered(date(2099, 1, 1))
    assert is_workday(date(2099, 1, 5)) and not is_workday(date(2099, 1, 3))


def test_deadline_status_warns_before_and_flags_after():
    deadline = datetime(2025, 10, 9, 23, 59, 59)
    assert deadline_status(deadline, deadline - timedelta(days=3)) == DeadlineStatus.ON_TIME
    assert deadline_status(deadline, deadline - timedelta(hours=5)) == DeadlineStatus.DUE_SOON
    assert deadline_status(deadline, deadline + timedelta(minutes=1)) == DeadlineStatus.OVERDUE


def test_duplicates_need_similar_words_and_count_same_item_and_village():
    open_orders = [
        Candidate(1, "3村路边有人焚烧秸秆，浓烟很大", "coop:63", "3村"),
        Candidate(2, "5村自来水停了三天", "coop:27", "5村"),
    ]
    found = likely_duplicates("3村路边又在烧秸秆，烟太大了", "coop:63", "3村", open_orders)
    assert [c.id for c, _ in found] == [1]
    assert likely_duplicates("我想办残疾证", "coop:22", "7村", open_orders) == []
