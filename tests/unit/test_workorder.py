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
    DuplicateIndex,
    OrderState,
    Pause,
    ReasonRequired,
    add_working_days,
    add_working_time,
    allowed_actions,
    deadline_after_pauses,
    deadline_status,
    duration_title,
    likely_duplicates,
    next_state,
    paused_time,
    working_time,
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


def test_the_duplicate_index_finds_what_likely_duplicates_finds_within_the_window():
    import random

    from tests.ordertools import matters

    rng = random.Random(3)
    texts = matters()[:300]
    start = datetime(2025, 9, 1, 8, 0)

    def candidate(n: int) -> Candidate:
        return Candidate(n, rng.choice(texts), rng.choice(["coop:63", "coop:27", None]),
                         rng.choice(["3村", "5村", ""]), start + timedelta(hours=7 * n))  # fmt: skip

    pool = [candidate(n) for n in range(400)]
    for threshold in (0.35, 0.25, 0.6):
        index = DuplicateIndex(threshold)
        for other in pool:
            index.add(other)
        for new in [candidate(n) for n in range(400, 460)]:
            since = new.received_at - timedelta(days=30)
            wanted = likely_duplicates(new.text, new.item_key, new.village,
                                       [c for c in pool if c.received_at >= since], threshold)  # fmt: skip
            found = index.find(new.text, new.item_key, new.village, since)
            assert [(c.id, s) for c, s in found] == [(c.id, s) for c, s in wanted]
    assert len(index) == 400 and index.find("", None, "") == []


# ---- 挂起: the deadline moves later by the working time spent suspended ----

FRIDAY_DEADLINE = datetime(2025, 11, 7, 23, 59, 59)  # the end of Friday 2025-11-07
DAY = timedelta(days=1)


def test_a_suspension_across_a_weekend_counts_only_the_working_days():
    pause = Pause(datetime(2025, 11, 6, 10, 0), datetime(2025, 11, 10, 10, 0))  # Thursday -> Monday
    assert pause.working_time(pause.end, is_workday) == timedelta(hours=14 + 24 + 10)  # Sat, Sun: 0
    assert deadline_after_pauses(FRIDAY_DEADLINE, [pause], is_workday) == datetime(2025, 11, 11, 23, 59, 59)


def test_a_suspension_across_national_day_moves_the_deadline_onto_the_adjusted_working_saturday():
    # 2025-10-01..10-08 are off: suspended 09-30 09:00, resumed 10-09 09:00 is 15 + 9 hours of work
    pause = Pause(datetime(2025, 9, 30, 9, 0), datetime(2025, 10, 9, 9, 0))
    assert working_time(pause.start, pause.end, is_workday) == DAY
    deadline = datetime(2025, 10, 10, 23, 59, 59)  # a Friday; Saturday 10-11 is a working day
    assert deadline_after_pauses(deadline, [pause], is_workday) == datetime(2025, 10, 11, 23, 59, 59)


def test_several_suspensions_add_up_and_one_under_way_does_not_move_the_deadline_yet():
    first = Pause(datetime(2025, 11, 3, 9, 0), datetime(2025, 11, 4, 9, 0))  # Monday -> Tuesday: 1 day
    second = Pause(datetime(2025, 11, 5, 12, 0), datetime(2025, 11, 6, 0, 0))  # Wednesday afternoon: 12 h
    both = deadline_after_pauses(FRIDAY_DEADLINE, [first, second], is_workday)
    assert both == datetime(2025, 11, 11, 11, 59, 59)  # Friday end + 1 day 12 h, the weekend skipped
    one_by_one = deadline_after_pauses(
        deadline_after_pauses(FRIDAY_DEADLINE, [first], is_workday), [second], is_workday
    )
    assert one_by_one == both
    under_way = Pause(datetime(2025, 11, 7, 9, 0))
    assert deadline_after_pauses(FRIDAY_DEADLINE, [first, second, under_way], is_workday) == both
    now = datetime(2025, 11, 7, 15, 0)
    assert paused_time([first, second, under_way], now, is_workday) == timedelta(days=1, hours=18)


def test_suspending_an_overdue_order_keeps_the_time_already_overdue():
    deadline = datetime(2025, 11, 3, 23, 59, 59)  # Monday
    suspended, resumed = datetime(2025, 11, 5, 9, 0), datetime(2025, 11, 7, 9, 0)  # Wed -> Fri
    moved = deadline_after_pauses(deadline, [Pause(suspended, resumed)], is_workday)
    assert moved == datetime(2025, 11, 5, 23, 59, 59)  # two working days later, still in the past
    assert deadline_status(moved, resumed) == DeadlineStatus.OVERDUE
    overdue_before = working_time(deadline, suspended, is_workday)
    assert working_time(moved, resumed, is_workday) == overdue_before == timedelta(hours=33, seconds=1)


def test_resuming_on_the_same_day_moves_the_deadline_by_the_hours_and_a_rest_day_pause_by_nothing():
    same_day = Pause(datetime(2025, 11, 4, 10, 0), datetime(2025, 11, 4, 15, 0))  # Tuesday
    assert deadline_after_pauses(FRIDAY_DEADLINE, [same_day], is_workday) == datetime(2025, 11, 10, 4, 59, 59)
    weekend = Pause(datetime(2025, 11, 8, 10, 0), datetime(2025, 11, 9, 18, 0))
    assert deadline_after_pauses(FRIDAY_DEADLINE, [weekend], is_workday) == FRIDAY_DEADLINE
    seconds = Pause(datetime(2025, 11, 4, 10, 0), datetime(2025, 11, 4, 10, 0, 59))
    assert deadline_after_pauses(FRIDAY_DEADLINE, [seconds], is_workday) == FRIDAY_DEADLINE


def test_adding_working_time_skips_rest_days_and_says_how_long_in_words():
    assert add_working_time(datetime(2025, 11, 7, 20, 0), timedelta(hours=6), is_workday) == datetime(2025, 11, 10, 2, 0)
    assert add_working_time(FRIDAY_DEADLINE, timedelta(), is_workday) == FRIDAY_DEADLINE
    with pytest.raises(ValueError):
        add_working_time(FRIDAY_DEADLINE, DAY, lambda day: False)
    assert duration_title(timedelta(days=2, hours=3, minutes=5)) == "2 个工作日 3 小时 5 分"
    assert duration_title(timedelta()) == "无" and duration_title(timedelta(seconds=5)) == "不足 1 分"
