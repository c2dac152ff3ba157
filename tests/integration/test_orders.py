"""Work orders on each backend: intake routed by the list, every state and every refused move,
routing corrections kept, send-back ping-pong, optimistic locking, merges, deadlines."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from lvzhi.domain.orderpolicy import BadOrderInput, Source, UnknownAssignee
from lvzhi.domain.orderrecord import EventKind, RoutingStatus
from lvzhi.domain.router import Verdict
from lvzhi.domain.workorder import TRANSITIONS, Action, BadTransition, OrderState, ReasonRequired
from lvzhi.services.orderbase import MergedOrder, StaleOrder
from lvzhi.services.orderflow import act, add_note, correct_routing, merge_orders
from lvzhi.services.orders import Intake, get_order, list_orders, open_order
from lvzhi.services.orderstats import order_stats
from lvzhi.storage.orders import OrderFilter
from tests.dbtools import snapshot
from tests.ordertools import order_env

T = "额敏县某乡"
NOW = datetime(2025, 11, 3, 9, 30)  # a Monday
BURNING = "地里有人烧麦秆，烟大得睁不开眼"
LAMP = "村口路灯坏了好几天，晚上太黑"
LICENCE = "我买了辆二手车，想把车过户到我名下，在哪里办？"


@pytest.fixture
def env(emin_db, tmp_path):
    return order_env(emin_db, tmp_path, NOW)


def new(db, env, content=BURNING, **fields):
    return open_order(db.uow(), env, Intake(content, T, **fields), "受理员").order


def run(db, env, order, action, **fields):
    return act(db.uow(), env, order.id, action, "办理人", **fields)


def test_intake_routes_by_the_list_and_keeps_the_suggestion(emin_db, env):
    coop = new(
        emin_db, env, BURNING, source=Source.HOTLINE, source_id="A1", reporter_phone="13812345678"
    )
    assert (coop.state, coop.verdict, coop.item_key) == (
        OrderState.NEW,
        Verdict.COOPERATIVE,
        "coop:63",
    )
    assert coop.responsible == coop.suggested_assignee == "县农业农村局"
    assert "配合履职事项第 63 项" in coop.notice and coop.routing_status == RoutingStatus.SUGGESTED
    assert coop.masked_phone == "138****5678" and coop.reporter_phone == "13812345678"
    outside = new(emin_db, env, LICENCE)
    assert outside.verdict == Verdict.OUTSIDE and outside.item_key is None
    assert outside.responsible == "县级统筹协调" and "车管" in outside.notice
    basic = new(emin_db, env, LAMP, address="额敏县某乡二道桥村3组")
    assert basic.verdict == Verdict.TOWNSHIP and basic.responsible.endswith("办公室")
    assert basic.village == "二道桥村"
    reclaimed = new(emin_db, env, "想问问个体户营业执照在哪里办", item_key="reclaimed:1")
    assert reclaimed.verdict == Verdict.RECLAIMED and reclaimed.confidence is None
    assert "已由上级收回" in reclaimed.notice


def test_the_same_source_id_is_taken_in_once(emin_db, env):
    first = new(emin_db, env, source=Source.HOTLINE, source_id="X-1")
    again = new(emin_db, env, "别的内容", source=Source.HOTLINE, source_id="X-1")
    assert again.id == first.id and again.content == BURNING
    other_source = new(emin_db, env, source=Source.GRID, source_id="X-1")
    assert other_source.id != first.id


def test_an_order_walks_through_every_state_and_the_history_says_who_and_when(emin_db, env):
    order = new(emin_db, env)
    steps = [
        (Action.ASSIGN, {}, OrderState.ASSIGNED),
        (Action.SEND_BACK, {"reason": "不属于本部门"}, OrderState.RETURNED),
        (Action.ASSIGN, {}, OrderState.ASSIGNED),
        (Action.START, {}, OrderState.IN_PROGRESS),
        (Action.SUSPEND, {"reason": "等待气象数据"}, OrderState.SUSPENDED),
        (Action.RESUME, {}, OrderState.IN_PROGRESS),
        (Action.RESOLVE, {"reply": "已到现场制止并宣传禁烧"}, OrderState.RESOLVED),
        (Action.REOPEN, {"reason": "群众反映仍在焚烧"}, OrderState.IN_PROGRESS),
        (Action.RESOLVE, {"reply": "已联合执法，现场处置完毕"}, OrderState.RESOLVED),
        (Action.VISIT, {"satisfaction": "基本满意"}, OrderState.VISITED),
    ]
    for n, (action, fields, state) in enumerate(steps, 2):
        env.clock.advance(hours=1)
        order = run(emin_db, env, order, action, expected_version=order.version, **fields)
        assert order.state == state and order.version == n
    assert order.reply == "已联合执法，现场处置完毕" and order.satisfaction.title == "基本满意"
    assert order.send_backs == 1 and order.assignee == "县农业农村局"
    history = get_order(emin_db.uow(), order.id).events
    moves = [(e.from_state, e.to_state) for e in history if e.kind == EventKind.ACTION]
    assert moves[0] == (OrderState.NEW, OrderState.ASSIGNED) and len(moves) == len(steps)
    assert all(e.actor == "办理人" for e in history if e.kind == EventKind.ACTION)
    assert (
        history[-1].at == datetime(2025, 11, 3, 19, 30) and "满意度：基本满意" in history[-1].note
    )
    assert "县农业农村局退单：不属于本部门" in [e.note for e in history]


def _drive_to(db, env, state: OrderState):
    order = new(db, env)
    path = {
        OrderState.NEW: [],
        OrderState.ASSIGNED: [(Action.ASSIGN, {})],
        OrderState.IN_PROGRESS: [(Action.ASSIGN, {}), (Action.START, {})],
        OrderState.SUSPENDED: [(Action.ASSIGN, {}), (Action.SUSPEND, {"reason": "等待"})],
        OrderState.RETURNED: [(Action.ASSIGN, {}), (Action.SEND_BACK, {"reason": "非本单位"})],
        OrderState.RESOLVED: [
            (Action.ASSIGN, {}),
            (Action.START, {}),
            (Action.RESOLVE, {"reply": "已办"}),
        ],
    }
    path[OrderState.VISITED] = [
        *path[OrderState.RESOLVED],
        (Action.VISIT, {"satisfaction": "满意"}),
    ]
    for action, fields in path[state]:
        order = run(db, env, order, action, **fields)
    assert order.state == state
    return order


def test_every_move_outside_the_table_is_refused_and_changes_nothing(emin_db, env):
    refused = 0
    for state in OrderState:
        order = _drive_to(emin_db, env, state)
        before = snapshot(emin_db)
        for action in Action:
            if (state, action) in TRANSITIONS:
                continue
            with pytest.raises(BadTransition) as err:
                run(emin_db, env, order, action, reason="原因", reply="答复", satisfaction="满意")
            assert state.title in str(err.value) and action.title in str(err.value)
            assert "此时可以" in str(err.value)
            refused += 1
        assert snapshot(emin_db) == before
    assert refused == len(OrderState) * len(Action) - len(TRANSITIONS)


def test_moves_that_need_words_say_so(emin_db, env):
    order = _drive_to(emin_db, env, OrderState.IN_PROGRESS)
    with pytest.raises(ReasonRequired):
        run(emin_db, env, order, Action.SEND_BACK)
    with pytest.raises(BadOrderInput, match="答复") as err:
        run(emin_db, env, order, Action.RESOLVE)
    assert err.value.field == "reply"
    order = run(emin_db, env, order, Action.RESOLVE, reply="已处理")
    with pytest.raises(BadOrderInput, match="满意度"):
        run(emin_db, env, order, Action.VISIT)
    with pytest.raises(BadOrderInput, match="满意度应为"):
        run(emin_db, env, order, Action.VISIT, satisfaction="还行")


def test_sending_back_twice_flags_ping_pong(emin_db, env):
    order = new(emin_db, env)
    for department in ("县农业农村局", "县自然资源局"):
        order = run(emin_db, env, order, Action.ASSIGN, assignee=department, reason="试分派")
        order = run(emin_db, env, order, Action.SEND_BACK, reason=f"{department}：不属于本单位")
    assert order.send_backs == 2 and order.ping_pong(env.policy.ping_pong_at)
    assert order.state == OrderState.RETURNED and order.assignee is None
    found, total = list_orders(emin_db.uow(), OrderFilter(ping_pong_at=2))
    assert total == 1 and found[0].id == order.id


def test_assigning_elsewhere_corrects_the_routing_and_says_why(emin_db, env):
    order = new(emin_db, env)
    with pytest.raises(BadOrderInput, match="须说明原因"):
        run(emin_db, env, order, Action.ASSIGN, assignee="应急局")
    with pytest.raises(UnknownAssignee, match="不是登记的县级部门"):
        run(emin_db, env, order, Action.ASSIGN, assignee="县宇宙局", reason="试")
    order = run(emin_db, env, order, Action.ASSIGN, assignee="自然资源局", reason="发生在林区")
    assert order.assignee == order.responsible == "县自然资源局"
    assert order.routing_status == RoutingStatus.CORRECTED
    routing = [e for e in get_order(emin_db.uow(), order.id).events if e.kind == EventKind.ROUTING]
    assert (routing[0].before, routing[0].after, routing[0].note) == (
        "县农业农村局",
        "县自然资源局",
        "发生在林区",
    )
    office = run(
        emin_db, env, new(emin_db, env, LAMP), Action.ASSIGN, assignee="党政办", reason="综合协调"
    )
    assert office.assignee == "党政综合办公室" and office.assignee_kind.value == "office"


def test_routing_is_accepted_or_corrected_with_who_why_from_and_to(emin_db, env):
    order = new(emin_db, env)
    accepted = correct_routing(emin_db.uow(), env, order.id, "审核员")
    assert accepted.routing_status == RoutingStatus.ACCEPTED and accepted.item_key == "coop:63"
    with pytest.raises(BadOrderInput, match="说明原因"):
        correct_routing(emin_db.uow(), env, order.id, "审核员", item_key="basic:3")
    corrected = correct_routing(
        emin_db.uow(), env, order.id, "审核员", item_key="basic:74", reason="实为乱堆乱放"
    )
    assert corrected.item_key == "basic:74" and corrected.verdict == Verdict.TOWNSHIP
    assert (
        corrected.suggested_item == "coop:63"
        and corrected.routing_status == RoutingStatus.CORRECTED
    )
    outside = correct_routing(
        emin_db.uow(), env, order.id, "审核员", item_key="outside", reason="清单未列"
    )
    assert outside.responsible == "县级统筹协调" and outside.item_key is None
    events = [e for e in get_order(emin_db.uow(), order.id).events if e.kind == EventKind.ROUTING]
    assert [(e.actor, e.before, e.after) for e in events][1:] == [
        ("审核员", "coop:63｜县农业农村局", f"basic:74｜{corrected.responsible}"),
        ("审核员", f"basic:74｜{corrected.responsible}", "清单外｜县级统筹协调"),
    ]


def test_a_stale_update_is_refused_with_a_clear_message(emin_db, env):
    order = new(emin_db, env)
    seen = order.version
    run(emin_db, env, order, Action.ASSIGN, expected_version=seen)
    before = snapshot(emin_db)
    with pytest.raises(StaleOrder, match=r"已被他人修改.*第 1 版.*第 2 版.*请刷新后重试"):
        run(emin_db, env, order, Action.ASSIGN, expected_version=seen)
    with pytest.raises(StaleOrder):
        correct_routing(emin_db.uow(), env, order.id, "x", expected_version=seen)
    assert snapshot(emin_db) == before


def test_merged_orders_keep_their_reporters_follow_the_primary_and_get_its_reply(emin_db, env):
    first = new(emin_db, env, reporter_name="甲", reporter_phone="13800000001")
    second = open_order(
        emin_db.uow(), env, Intake("地里有人烧秸秆，烟很大", T, reporter_name="乙"), "x"
    )
    assert [o.id for o, _ in second.duplicates] == [first.id]
    run(emin_db, env, first, Action.ASSIGN)
    merge_orders(emin_db.uow(), env, first.id, [second.order.id], "受理员", "同一处焚烧")
    child = get_order(emin_db.uow(), second.order.id).order
    assert (
        child.merged_into == first.id
        and child.state == OrderState.ASSIGNED
        and child.reporter_name == "乙"
    )
    with pytest.raises(MergedOrder, match=f"已并入工单 {first.id}"):
        run(emin_db, env, child, Action.START)
    first = run(emin_db, env, get_order(emin_db.uow(), first.id).order, Action.START)
    run(emin_db, env, first, Action.RESOLVE, reply="已处置")
    child = get_order(emin_db.uow(), second.order.id)
    assert child.order.state == OrderState.RESOLVED and child.order.reply == "已处置"
    assert child.actions == [Action.VISIT]
    visited = run(emin_db, env, child.order, Action.VISIT, satisfaction="不满意")
    assert visited.satisfaction.title == "不满意"
    assert get_order(emin_db.uow(), first.id).order.state == OrderState.RESOLVED
    assert [o.id for o in get_order(emin_db.uow(), first.id).merged] == [second.order.id]


def test_deadlines_count_working_days_across_national_day_and_the_adjusted_weekend(emin_db, env):
    received = datetime(
        2025, 9, 26, 10, 0
    )  # Friday; Sunday 09-28 is a working day, 10-01..10-08 off
    coop = new(emin_db, env, received_at=received)
    assert coop.deadline == datetime(2025, 10, 10, 23, 59, 59)  # 5 working days: 28, 29, 30, 9, 10
    reclaimed = new(emin_db, env, "营业执照怎么办", item_key="reclaimed:1", received_at=received)
    assert reclaimed.deadline == datetime(2025, 9, 30, 23, 59, 59)  # 3 working days: 28, 29, 30
    asked = new(emin_db, env, received_at=received, deadline=datetime(2025, 10, 9))
    assert asked.deadline == datetime(2025, 10, 9, 23, 59, 59) and asked.deadline_from_source
    future = new(emin_db, env, received_at=datetime(2099, 3, 2, 9, 0))
    assert future.deadline_provisional and not coop.deadline_provisional


def test_deadline_warnings_before_and_flags_after(emin_db, env):
    order = new(emin_db, env, received_at=datetime(2025, 11, 3, 9, 0))  # due 2025-11-10 end of day
    warn = env.policy.warn_before
    assert order.deadline_status(datetime(2025, 11, 7, 12, 0), warn).value == "on_time"
    assert order.deadline_status(datetime(2025, 11, 10, 9, 0), warn).value == "due_soon"
    assert order.deadline_status(datetime(2025, 11, 11, 0, 0), warn).value == "overdue"
    env.clock.now = datetime(2025, 11, 12, 8, 0)
    found, total = list_orders(emin_db.uow(), OrderFilter(overdue_at=env.clock()))
    assert total == 1 and found[0].id == order.id


def test_suspension_stops_the_clock_and_resuming_moves_the_deadline_by_the_working_time(emin_db, env):
    order = new(emin_db, env)  # Monday 2025-11-03 09:30, due Monday 2025-11-10 end of day
    original = datetime(2025, 11, 10, 23, 59, 59)
    child = new(emin_db, env, "地里有人烧秸秆，烟很大")
    assert order.deadline == child.deadline == original
    order = run(emin_db, env, order, Action.ASSIGN)
    merge_orders(emin_db.uow(), env, order.id, [child.id], "受理员")
    order = run(emin_db, env, get_order(emin_db.uow(), order.id).order, Action.START)
    env.clock.now = datetime(2025, 11, 6, 10, 0)  # Thursday
    order = run(emin_db, env, order, Action.SUSPEND, reason="等待诉求人补充材料")

    env.clock.now = datetime(2025, 11, 11, 8, 0)  # past the original deadline, still suspended
    assert order.deadline_status(env.clock(), env.policy.warn_before).value == "paused"
    assert list_orders(emin_db.uow(), OrderFilter(overdue_at=env.clock()))[1] == 0
    totals = order_stats(emin_db.uow(), env, T).totals
    assert (totals.open, totals.overdue, totals.due_soon) == (2, 0, 0)
    clock = get_order(emin_db.uow(), order.id).deadline_clock(env.clock(), env.is_workday)
    assert clock.suspended_since == datetime(2025, 11, 6, 10, 0) and clock.deadline == original
    assert clock.paused == timedelta(hours=14 + 24 + 24 + 8)  # Thu, Fri, Mon, Tue: the weekend not

    env.clock.now = datetime(2025, 11, 11, 10, 0)  # Tuesday: 3 working days suspended
    order = run(emin_db, env, order, Action.RESUME)
    moved = datetime(2025, 11, 13, 23, 59, 59)
    assert order.deadline == moved and order.state == OrderState.IN_PROGRESS
    assert get_order(emin_db.uow(), child.id).order.deadline == moved  # merged orders follow
    detail = get_order(emin_db.uow(), order.id)
    clock = detail.deadline_clock(env.clock(), env.is_workday)
    assert (clock.original, clock.paused, clock.deadline) == (original, timedelta(days=3), moved)
    assert clock.suspended_since is None
    resumed = detail.events[-1]
    assert (resumed.before, resumed.after) == ("2025-11-10T23:59:59", "2025-11-13T23:59:59")
    assert "挂起计 3 个工作日，办理期限顺延至 2025-11-13 23:59" in resumed.note
    assert order.deadline_status(env.clock(), env.policy.warn_before).value == "on_time"

    env.clock.now = datetime(2025, 11, 14, 8, 0)  # Friday: overdue on the moved deadline
    found, total = list_orders(emin_db.uow(), OrderFilter(overdue_at=env.clock()))
    assert total == 2 and {o.id for o in found} == {order.id, child.id}
    env.clock.now = datetime(2025, 11, 17, 9, 0)  # a second suspension, resumed the same day
    order = run(emin_db, env, order, Action.SUSPEND, reason="延期申请已批准")
    env.clock.now = datetime(2025, 11, 17, 15, 0)
    order = run(emin_db, env, order, Action.RESUME)
    assert order.deadline == datetime(2025, 11, 14, 5, 59, 59)  # 6 hours more: still overdue
    clock = get_order(emin_db.uow(), order.id).deadline_clock(env.clock(), env.is_workday)
    assert (clock.original, clock.paused) == (original, timedelta(days=3, hours=6))


def test_notes_go_into_the_history(emin_db, env):
    order = new(emin_db, env)
    add_note(emin_db.uow(), env, order.id, "网格员", "已到现场查看，火已扑灭")
    with pytest.raises(BadOrderInput):
        add_note(emin_db.uow(), env, order.id, "网格员", "  ")
    notes = [e for e in get_order(emin_db.uow(), order.id).events if e.kind == EventKind.NOTE]
    assert [(n.actor, n.note) for n in notes] == [("网格员", "已到现场查看，火已扑灭")]


def test_a_signed_in_user_is_recorded_as_themselves_and_the_cli_by_its_name(emin_db, env):
    from lvzhi.services.attachments import add_attachment
    from lvzhi.services.policy import Principal, Role
    from tests.ordertools import hotline_csv

    clerk = Principal("wang", Role.TOWNSHIP, "王乡干", township=T)
    order = open_order(emin_db.uow(), env, Intake(BURNING, T), "冒名", user=clerk).order
    other = open_order(emin_db.uow(), env, Intake("地里有人烧秸秆，烟很大", T), "", user=clerk).order
    correct_routing(emin_db.uow(), env, order.id, "冒名", user=clerk)
    order = act(emin_db.uow(), env, order.id, Action.ASSIGN, "冒名", user=clerk)
    order = act(emin_db.uow(), env, order.id, Action.START, "", user=clerk)  # no name needed
    order = act(emin_db.uow(), env, order.id, Action.SUSPEND, "冒名", reason="等材料", user=clerk)
    order = act(emin_db.uow(), env, order.id, Action.RESUME, "冒名", user=clerk)
    order = act(emin_db.uow(), env, order.id, Action.SEND_BACK, "冒名", reason="不归我", user=clerk)
    add_note(emin_db.uow(), env, order.id, "冒名", "已到现场", user=clerk)
    merge_orders(emin_db.uow(), env, order.id, [other.id], "冒名", user=clerk)
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
    found = add_attachment(emin_db.uow(), env, order.id, "现场.png", png, "冒名", clerk)
    assert found.uploaded_by == "王乡干"
    for one in (order, other):
        assert {e.actor for e in get_order(emin_db.uow(), one.id).events} == {"王乡干"}
    assert import_actors(emin_db, env, hotline_csv(3), "冒名", clerk) == {"王乡干"}

    # the CLI (no user): the name given, as before; the hotline import keeps its --by
    cli = run(emin_db, env, new(emin_db, env, LAMP), Action.ASSIGN)
    assert {e.actor for e in get_order(emin_db.uow(), cli.id).events} == {"受理员", "办理人"}
    assert import_actors(emin_db, env, hotline_csv(12), "热线导入员") == {"热线导入员"}


def import_actors(db, env, data, actor, user=None):
    """Who the history names for the orders one import created."""
    from lvzhi.services.orderimport import import_orders

    before = {o.id for o in list_orders(db.uow(), OrderFilter(), limit=500)[0]}
    report = import_orders(db.uow(), env, data, "12345.csv", township=T, actor=actor, user=user)
    fresh = [o for o in list_orders(db.uow(), OrderFilter(), limit=500)[0] if o.id not in before]
    assert report.created == len(fresh) >= 1
    return {e.actor for o in fresh for e in get_order(db.uow(), o.id).events}
