"""Admission reviews in the database, on SQLite and PostgreSQL: stored verdicts, the workflow, the
audit trail, overrides, the county's answer, the register and its figures."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from lvzhi import services
from lvzhi.domain.admission import Decision
from lvzhi.domain.reviewflow import (
    Action,
    AwaitingCounty,
    CountyAlreadyRecorded,
    CountyOutcome,
    MissingActor,
    NothingToChange,
    NotSentForApproval,
    ReasonRequired,
    ReviewState,
    TransitionNotAllowed,
    UnknownDemand,
    UnknownReview,
)
from lvzhi.domain.reviewrecord import ReviewFilter
from lvzhi.services import reviews
from lvzhi.services.review_stats import review_statistics
from tests.changes import changed_emin
from tests.dbtools import snapshot

TASK = (
    "县应急管理局：请各乡：1.对辖区加油站开展危险化学品安全检查；2.在各村开展消防安全知识宣传；"
    "3.对农药经营门店开展检查并依法罚款。"
)
OUTSIDE = "请各乡协助办理辖区企业的增值税发票认证"


def _add(db, task: str = TASK, sender: str = "", **extra):
    options = {"received": date(2026, 3, 2), "reviewer": "张三", **extra}
    return reviews.create_review(db.uow(), task, sender, **options)


def test_new_review_stores_each_verdict_and_the_list_version(emin_db):
    record = _add(emin_db, deadline=date(2026, 3, 20))
    again = reviews.get_review(emin_db.uow(), record.id)
    assert again == record
    assert record.state == ReviewState.PENDING and record.decision is None
    assert (record.sender, record.sender_department) == ("县应急管理局", "县应急管理局")
    assert [d.decision for d in record.demands] == [Decision.REFUSE, Decision.ACCEPT, Decision.ACCEPT_PART]
    assert record.demands[0].items == ("reclaimed:54",)
    assert {f.code for f in record.demands[2].flags} >= {"department_power", "sender_not_lead"}
    assert (record.list_version.township, record.list_version.number) == ("额敏县某乡", 1)
    assert (record.received, record.deadline, record.reviewer) == (date(2026, 3, 2), date(2026, 3, 20), "张三")
    assert record.suggested == Decision.ACCEPT_PART


def test_workflow_round_with_every_change_in_the_audit_trail(emin_db):
    record = _add(emin_db, OUTSIDE, "县住房和城乡建设局")
    assert record.suggested == Decision.NEEDS_APPROVAL
    uow = emin_db.uow
    reviews.decide(uow(), record.id, "李四", comments="清单外，报县里")
    reviews.record_county_outcome(uow(), record.id, CountyOutcome.DENIED, "县委编办", "不属乡镇职责")
    closed = reviews.close(uow(), record.id, "李四")
    assert closed.state == ReviewState.CLOSED and closed.closed_at is not None
    assert closed.county.outcome == CountyOutcome.DENIED and closed.county.by == "县委编办"
    trail = reviews.review_audit(uow(), record.id)
    assert [(e.action, e.actor) for e in trail] == [
        (Action.CREATE, "张三"), (Action.DECIDE, "李四"), (Action.COUNTY, "县委编办"), (Action.CLOSE, "李四"),
    ]  # fmt: skip
    create, decide, county, close = trail
    assert create.before is None and create.after["demands"] == ["needs_approval"]
    assert decide.before["state"] == "pending" and decide.before["decision"] is None
    assert decide.after["state"] == "reviewed" and decide.after["decision"] == "needs_approval"
    assert decide.after["comments"] == "清单外，报县里"
    assert county.before == {"county_outcome": None} and county.after["county_outcome"] == "denied"
    assert (close.before["state"], close.after["state"]) == ("reviewed", "closed")
    assert all(e.at.tzinfo is not None for e in trail)


def test_override_is_kept_with_from_to_who_and_why(emin_db):
    record = _add(emin_db)
    changed = reviews.override_demand(
        emin_db.uow(), record.id, 2, Decision.NEEDS_APPROVAL, "王五", "宣传范围超出清单"
    )
    demand = changed.demand(2)
    assert (demand.suggested, demand.decision) == (Decision.ACCEPT, Decision.NEEDS_APPROVAL)
    change = demand.overrides[0]
    assert (change.before, change.after, change.by, change.reason) == (
        Decision.ACCEPT, Decision.NEEDS_APPROVAL, "王五", "宣传范围超出清单",
    )  # fmt: skip
    assert changed.standing == Decision.NEEDS_APPROVAL
    audit = reviews.review_audit(emin_db.uow(), record.id)[-1]
    assert audit.action == Action.OVERRIDE
    assert audit.before == {"demand": 2, "decision": "accept"}
    assert audit.after == {"demand": 2, "decision": "needs_approval", "reason": "宣传范围超出清单"}
    decided = reviews.decide(emin_db.uow(), record.id, "王五")
    assert decided.decision == Decision.NEEDS_APPROVAL


def test_bad_changes_are_refused_with_a_message_and_store_nothing(emin_db):
    record = _add(emin_db)
    uow = emin_db.uow
    before = snapshot(emin_db)
    refusals = [
        (lambda: reviews.close(uow(), record.id, "李四"), TransitionNotAllowed, "当前为“待审”，不能办结"),
        (lambda: reviews.reopen(uow(), record.id, "李四", "x"), TransitionNotAllowed, "不能退回重审"),
        (lambda: reviews.record_county_outcome(uow(), record.id, CountyOutcome.APPROVED, "县"),
         TransitionNotAllowed, "不能登记县级准入审批结果"),
        (lambda: reviews.override_demand(uow(), record.id, 9, Decision.REFUSE, "李四", "x"),
         UnknownDemand, "没有第 9 条要求（共 3 条"),
        (lambda: reviews.override_demand(uow(), record.id, 1, Decision.ACCEPT, "李四", " "),
         ReasonRequired, "须写明理由"),
        (lambda: reviews.override_demand(uow(), record.id, 1, Decision.REFUSE, "李四", "x"),
         NothingToChange, "无需改判"),
        (lambda: reviews.decide(uow(), record.id, "李四", Decision.ACCEPT),
         ReasonRequired, "与各条要求合起来的结论“部分接收”不一致"),
        (lambda: reviews.decide(uow(), record.id, " "), MissingActor, "请注明操作人"),
        (lambda: reviews.decide(uow(), 999, "李四"), UnknownReview, "没有编号为 999 的审查记录"),
    ]  # fmt: skip
    for call, error, message in refusals:
        with pytest.raises(error, match=message):
            call()
    assert snapshot(emin_db) == before


def test_decided_review_refuses_a_second_decision_and_overrides(emin_db):
    record = _add(emin_db)
    reviews.decide(emin_db.uow(), record.id, "李四")
    with pytest.raises(TransitionNotAllowed, match="当前为“已审”，不能作出审查决定"):
        reviews.decide(emin_db.uow(), record.id, "李四")
    with pytest.raises(TransitionNotAllowed, match="不能改判一条要求"):
        reviews.override_demand(emin_db.uow(), record.id, 1, Decision.ACCEPT, "李四", "x")
    with pytest.raises(NotSentForApproval):
        reviews.record_county_outcome(emin_db.uow(), record.id, CountyOutcome.APPROVED, "县")
    reopened = reviews.reopen(emin_db.uow(), record.id, "李四", "依据有误")
    assert reopened.state == ReviewState.PENDING and reopened.decision is None
    reviews.decide(emin_db.uow(), record.id, "李四", Decision.REFUSE, "整体退回，请部门自行办理")
    closed = reviews.close(emin_db.uow(), record.id, "李四", "已函复")
    assert closed.comments == "整体退回，请部门自行办理\n已函复"
    with pytest.raises(TransitionNotAllowed, match="已办结的记录只能查看"):
        reviews.reopen(emin_db.uow(), record.id, "李四", "x")


def test_approval_task_waits_for_the_county_and_its_answer_stands(emin_db):
    record = _add(emin_db, OUTSIDE)
    reviews.decide(emin_db.uow(), record.id, "李四")
    with pytest.raises(AwaitingCounty):
        reviews.close(emin_db.uow(), record.id, "李四")
    assert [r.id for r in reviews.county_view(emin_db.uow(), pending_only=True)] == [record.id]
    reviews.record_county_outcome(emin_db.uow(), record.id, CountyOutcome.APPROVED, "县委编办")
    with pytest.raises(CountyAlreadyRecorded, match="不能重复登记"):
        reviews.record_county_outcome(emin_db.uow(), record.id, CountyOutcome.DENIED, "县委编办")
    with pytest.raises(CountyAlreadyRecorded, match="不能退回重审"):
        reviews.reopen(emin_db.uow(), record.id, "李四", "x")
    assert reviews.county_view(emin_db.uow(), pending_only=True) == []
    assert reviews.county_view(emin_db.uow())[0].county.outcome == CountyOutcome.APPROVED


def test_audit_trail_cannot_be_changed_or_deleted(emin_db):
    record = _add(emin_db)
    for statement in ("UPDATE review_audit SET actor = 'x'", "DELETE FROM review_audit"):
        with pytest.raises(DBAPIError, match="审计记录只能追加"):
            with emin_db.engine.begin() as connection:
                connection.execute(text(statement))
    assert len(reviews.review_audit(emin_db.uow(), record.id)) == 1


def test_list_filters_by_state_department_and_decision(emin_db):
    first = _add(emin_db)
    second = _add(emin_db, OUTSIDE, "住建局")
    reviews.decide(emin_db.uow(), second.id, "李四")
    listed = reviews.list_reviews
    assert [r.id for r in listed(emin_db.uow())] == [first.id, second.id]
    assert [r.id for r in listed(emin_db.uow(), ReviewFilter(state=ReviewState.PENDING))] == [first.id]
    assert [r.id for r in listed(emin_db.uow(), ReviewFilter(department="应急局"))] == [first.id]
    assert [r.id for r in listed(emin_db.uow(), ReviewFilter(department="县住房和城乡建设局"))] == [second.id]
    wanted = ReviewFilter(decision=Decision.NEEDS_APPROVAL)
    assert [r.id for r in listed(emin_db.uow(), wanted)] == [second.id]
    assert listed(emin_db.uow(), ReviewFilter(received_from=date(2026, 4, 1))) == []


def test_statistics_per_department_shares_and_wrongly_pushed_items(emin_db):
    first = _add(emin_db)
    reviews.decide(emin_db.uow(), first.id, "李四")
    refused = _add(emin_db, "请各乡对辖区加油站的危化品和设备设施开展安全检查", "县应急管理局")
    reviews.decide(emin_db.uow(), refused.id, "李四")
    sent = _add(emin_db, OUTSIDE, "县住房和城乡建设局")
    reviews.decide(emin_db.uow(), sent.id, "李四")
    _add(emin_db, OUTSIDE, "县住房和城乡建设局")  # still pending
    stats = review_statistics(emin_db.uow())
    assert stats.total == 4 and stats.decided == 3
    assert stats.by_state == {"reviewed": 3, "pending": 1}
    assert stats.by_decision == {"accept_part": 1, "refuse": 1, "needs_approval": 1}
    assert stats.share(Decision.REFUSE) == pytest.approx(1 / 3)
    assert stats.county == {"pending": 1}
    by_name = {d.department: d for d in stats.departments}
    emergency, housing = by_name["县应急管理局"], by_name["县住房和城乡建设局"]
    assert (emergency.tasks, emergency.decided, emergency.refused, emergency.sent) == (2, 2, 1, 0)
    assert emergency.share_refused_or_sent == pytest.approx(0.5)
    assert (housing.tasks, housing.decided, housing.sent, housing.share_refused_or_sent) == (2, 1, 1, 1.0)
    top = stats.pushed_items[0]
    assert (top.key, top.count, top.refused) == ("reclaimed:54", 2, 2)
    assert top.name == "开展加油站危险化学品、设备设施安全检查"
    assert top.departments == {"县应急管理局": 2}
    assert any(p.key == "coop:26" and p.powers == 1 for p in stats.pushed_items)


def test_review_keeps_the_list_version_it_was_decided_under(emin_db, emin_list):
    old = _add(emin_db)
    services.import_list(emin_db.uow(), changed_emin(emin_list))
    new = _add(emin_db)
    assert (old.list_version.number, new.list_version.number) == (1, 2)
    assert reviews.get_review(emin_db.uow(), old.id).list_version.label == "2025"
    assert [d.items for d in new.demands] == [d.items for d in old.demands]
    assert reviews.cited_items(emin_db.uow(), old)["reclaimed:54"].name.startswith("开展加油站")


def test_two_reviewers_deciding_at_once_take_turns(emin_db):
    import threading

    record = _add(emin_db)
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def decide(name: str) -> None:
        start.wait()
        try:
            reviews.decide(emin_db.uow(), record.id, name)
            outcomes.append("decided")
        except TransitionNotAllowed:
            outcomes.append("refused")

    threads = [threading.Thread(target=decide, args=(n,)) for n in ("李四", "王五")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["decided", "refused"]
    trail = reviews.review_audit(emin_db.uow(), record.id)
    assert [e.action for e in trail].count(Action.DECIDE) == 1


def test_a_signed_in_user_is_recorded_as_themselves_and_the_cli_by_its_name(emin_db):
    from lvzhi.services.policy import ANONYMOUS, Principal, Role

    clerk = Principal("wang", Role.TOWNSHIP, "王乡干", township="额敏县某乡")
    record = _add(emin_db, reviewer="冒名", user=clerk)
    assert record.reviewer == "王乡干"
    changed = reviews.override_demand(
        emin_db.uow(), record.id, 3, Decision.REFUSE, "冒名", "县里已承接", clerk
    )
    assert changed.demands[2].overrides[0].by == "王乡干"
    decided = reviews.decide(emin_db.uow(), record.id, "", user=clerk)  # no name needed
    assert decided.decided_by == "王乡干"
    reviews.reopen(emin_db.uow(), record.id, "", "依据有误", clerk)
    assert {e.actor for e in reviews.review_audit(emin_db.uow(), record.id)} == {"王乡干"}
    assert reviews.decide(emin_db.uow(), record.id, " 李四 ").decided_by == "李四"  # the CLI
    other = _add(emin_db)
    with pytest.raises(MissingActor):  # no login and no name: refused, as before
        reviews.decide(emin_db.uow(), other.id, " ", user=ANONYMOUS)
