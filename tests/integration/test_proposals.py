"""Change proposals in the database, on SQLite and PostgreSQL: proposed, reviewed, published as the
next version; the old version stays readable; reviews and orders keep the version they were
decided under."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from lvzhi import services
from lvzhi.domain.listchanges import Change, ChangeKind, InvalidChange
from lvzhi.domain.model import ItemKey, ItemKind
from lvzhi.domain.proposals import (
    CommentRequired,
    MoveNotAllowed,
    NothingToPublish,
    ProposalConflict,
    ProposalState,
    SelfReview,
    UnknownProposal,
)
from lvzhi.services import proposals, reviews
from lvzhi.services.orders import Intake, get_order, open_order
from lvzhi.storage.tables import work_orders
from tests.dbtools import snapshot
from tests.ordertools import order_env

T = "额敏县某乡"
NEW_NAME = "落实“三会一课”制度（2027 年修订）"
PAST = date(2026, 11, 1)


def edit(key: str, **fields: object) -> Change:
    return Change(ChangeKind.EDIT, ItemKey.parse(key), fields=fields)  # type: ignore[arg-type]


def approved(db, change: Change, reason: str = "县委编办 2026 年 12 号文") -> int:
    proposal = proposals.propose(db.uow(), T, change, reason, "乡党政办 张三")
    return proposals.review(db.uow(), proposal.id, "县委编办 李四", True).id


def test_proposals_reviewed_then_published_make_version_2_and_version_1_stays(emin_db):
    old_name = services.get_item(emin_db.uow(), T, "basic:5").item.name
    edited = proposals.propose(emin_db.uow(), T, edit("basic:5", name=NEW_NAME), "依据文件", "张三")
    assert (edited.state, edited.base_version, edited.item_name) == (
        ProposalState.PROPOSED,
        1,
        old_name,
    )
    with pytest.raises(SelfReview):
        proposals.review(emin_db.uow(), edited.id, "张三", True)
    proposals.review(emin_db.uow(), edited.id, "李四", True, "同意")
    moved = approved(emin_db, Change(ChangeKind.MOVE, ItemKey.parse("coop:49"), ItemKind.RECLAIMED))
    added = approved(emin_db, Change(ChangeKind.ADD, target=ItemKind.BASIC,
                                     fields={"category": "综合政务", "name": "无人机飞行登记巡查"}))  # fmt: skip
    turned_down = proposals.propose(emin_db.uow(), T, Change(ChangeKind.REMOVE, ItemKey.parse("basic:1")), "精简", "张三")  # fmt: skip
    with pytest.raises(CommentRequired):
        proposals.review(emin_db.uow(), turned_down.id, "李四", False)
    proposals.review(emin_db.uow(), turned_down.id, "李四", False, "该项为党建基本职责，不宜删除")

    done = proposals.publish(emin_db.uow(), T, PAST, "县委编办 李四", label="2027")
    assert (done.previous.number, done.version.number, done.version.label) == (1, 2, "2027")
    assert done.version.effective_date == PAST
    assert {p.id: p.result_key for p in done.proposals} == {
        edited.id: "basic:5",
        moved: "reclaimed:59",
        added: "basic:105",
    }
    assert services.get_item(emin_db.uow(), T, "basic:5", "1").item.name == old_name
    assert services.get_item(emin_db.uow(), T, "basic:5").item.name == NEW_NAME
    again, events = proposals.get_proposal(emin_db.uow(), edited.id)
    assert (again.state, again.published_version) == (ProposalState.PUBLISHED, 2)
    assert [e.action.value for e in events] == ["propose", "approve", "publish"]
    rejected, _ = proposals.get_proposal(emin_db.uow(), turned_down.id)
    assert rejected.state is ProposalState.REJECTED and "党建" in rejected.review_comment
    with pytest.raises(MoveNotAllowed, match="已驳回"):
        proposals.publish(emin_db.uow(), T, PAST, "李四", only=[turned_down.id])

    found = services.diff_versions(emin_db.uow(), T, "1", "2")
    assert [str(c.key) for c in found.diff.changed] == ["basic:5"]
    assert [str(i.key) for i in found.diff.added] == ["basic:105"]
    assert [(str(m.old.key), str(m.new.key)) for m in found.diff.moved] == [
        ("coop:49", "reclaimed:59")
    ]
    assert [p.reason for p in found.reasons("basic:5")] == ["依据文件"]
    assert [p.id for p in found.reasons("coop:49", "reclaimed:59")] == [moved]


def test_a_version_effective_later_is_published_but_not_yet_in_force(emin_db):
    approved(emin_db, edit("basic:5", name=NEW_NAME))
    proposals.publish(emin_db.uow(), T, date(2099, 1, 1), "李四")
    assert services.get_item(emin_db.uow(), T, "basic:5").version.number == 1
    assert services.get_item(emin_db.uow(), T, "basic:5", "2").item.name == NEW_NAME
    later = proposals.propose(emin_db.uow(), T, edit("basic:6", name="后续修订"), "文件", "张三")
    assert later.base_version == 2  # changes build on the newest version, in force or not


def test_publishing_stops_whole_when_one_proposal_no_longer_applies(emin_db):
    approved(emin_db, edit("basic:5", name="甲"))
    approved(emin_db, Change(ChangeKind.REMOVE, ItemKey.parse("basic:5")))
    before = snapshot(emin_db)
    with pytest.raises(ProposalConflict, match="同一事项 basic:5"):
        proposals.publish(emin_db.uow(), T, PAST, "李四")
    assert snapshot(emin_db) == before
    with pytest.raises(UnknownProposal):
        proposals.publish(emin_db.uow(), T, PAST, "李四", only=[999])
    for proposal in proposals.list_proposals(emin_db.uow(), T):
        proposals.withdraw(emin_db.uow(), proposal.id, "张三", "合并为一个提案")
    with pytest.raises(NothingToPublish):
        proposals.publish(emin_db.uow(), T, PAST, "李四")
    assert snapshot(emin_db)["list_versions"] == before["list_versions"]


def test_a_change_is_checked_against_the_list_when_proposed(emin_db):
    with pytest.raises(InvalidChange, match="与现行内容相同"):
        name = services.get_item(emin_db.uow(), T, "basic:5").item.name
        proposals.propose(emin_db.uow(), T, edit("basic:5", name=name), "无", "张三")
    assert proposals.list_proposals(emin_db.uow(), T) == []


def test_a_review_decided_under_version_1_still_cites_version_1s_item(emin_db):
    record = reviews.create_review(
        emin_db.uow(), "请各乡在各村开展消防安全知识宣传", "应急局", reviewer="张三"
    )
    key = record.demands[0].items[0]
    old = reviews.cited_items(emin_db.uow(), record)[key]
    approved(emin_db, edit(key, name=old.name + "（修订）"))
    proposals.publish(emin_db.uow(), T, PAST, "李四")
    assert services.get_item(emin_db.uow(), T, key).item.name == old.name + "（修订）"
    again = reviews.get_review(emin_db.uow(), record.id)
    assert again.list_version.number == 1
    assert reviews.cited_items(emin_db.uow(), again)[key] == old


def test_an_order_routed_under_version_1_keeps_version_1s_item(emin_db, tmp_path):
    env = order_env(emin_db, tmp_path, datetime(2026, 11, 2, 9, 0))
    order = open_order(emin_db.uow(), env, Intake("地里有人烧秸秆，烟很大", T), "受理员").order
    assert order.item_key is not None
    v1_name = order.item_name
    approved(emin_db, edit(order.item_key, name=v1_name + "（修订）"))
    proposals.publish(emin_db.uow(), T, PAST, "李四")
    assert get_order(emin_db.uow(), order.id).order.item_name == v1_name
    with emin_db.engine.connect() as connection:
        version_id = connection.scalar(
            select(work_orders.c.list_version_id).where(work_orders.c.id == order.id)
        )
    with emin_db.uow() as uow:
        v1 = uow.lists.versions(T)[0]
        assert version_id == v1.id
        assert uow.lists.get_item(version_id, ItemKey.parse(order.item_key)).name == v1_name


def test_a_signed_in_proposer_is_recorded_as_themselves_and_only_for_their_township(emin_db):
    from lvzhi.services.policy import Forbidden, Principal, Role

    clerk = Principal("wang", Role.TOWNSHIP, "王乡干", township=T)
    stranger = Principal("zhao", Role.TOWNSHIP, "赵乡干", township="别的乡")
    change = edit("basic:5", name=NEW_NAME)
    made = proposals.propose(emin_db.uow(), T, change, "依据文件", "冒名", user=clerk)
    assert made.proposed_by == "王乡干"
    with pytest.raises(Forbidden):
        proposals.propose(emin_db.uow(), T, change, "依据文件", "王乡干", user=stranger)
    with pytest.raises(Forbidden):
        proposals.withdraw(emin_db.uow(), made.id, "", user=stranger)
    with pytest.raises(Forbidden):  # deciding is the county's
        proposals.review(emin_db.uow(), made.id, "", True, user=clerk)
    lister = Principal("wang", Role.LIST_ADMIN, "王乡干")  # same name as the proposer
    with pytest.raises(SelfReview):
        proposals.review(emin_db.uow(), made.id, "李四", True, user=lister)
    county = Principal("li", Role.LIST_ADMIN, "李四")
    assert proposals.review(emin_db.uow(), made.id, "", True, user=county).reviewed_by == "李四"
