"""Proposal rules: the state table, checking a change against the list, and publishing."""

from __future__ import annotations

from dataclasses import replace

import pytest

from lvzhi.domain.listchanges import (
    Change,
    ChangeKind,
    InvalidChange,
    Pending,
    ProposalConflict,
    apply_changes,
    check_change,
    snapshot,
)
from lvzhi.domain.model import CooperativeItem, DutyList, ItemKey, ItemKind, ReclaimedItem
from lvzhi.domain.proposals import (
    TRANSITIONS,
    CommentRequired,
    MoveNotAllowed,
    ProposalAction,
    ProposalState,
    SelfReview,
    allowed_actions,
    check_review,
    next_state,
)
from lvzhi.domain.versions import diff_lists

P, A = ProposalState, ProposalAction


def test_the_state_table_allows_review_then_publication_and_nothing_after():
    assert next_state(1, P.PROPOSED, A.APPROVE) is P.APPROVED
    assert next_state(1, P.APPROVED, A.PUBLISH) is P.PUBLISHED
    assert next_state(1, P.PROPOSED, A.REJECT) is P.REJECTED
    assert allowed_actions(P.PUBLISHED) == allowed_actions(P.REJECTED) == []
    with pytest.raises(
        MoveNotAllowed, match="当前为“待审核”，不能“发布”（此时可以：同意、驳回、撤回）"
    ):
        next_state(3, P.PROPOSED, A.PUBLISH)
    with pytest.raises(MoveNotAllowed, match="不能再作任何操作"):
        next_state(3, P.PUBLISHED, A.WITHDRAW)
    assert all(state is not P.PUBLISHED for state, _ in TRANSITIONS)


def test_a_proposal_is_reviewed_by_someone_else_and_a_rejection_says_why():
    with pytest.raises(SelfReview, match="由“张三”提出，须由另一人审核"):
        check_review(1, "张三", "张三", True, "")
    with pytest.raises(CommentRequired):
        check_review(1, "张三", "李四", False, "  ")
    check_review(1, "张三", "李四", True, "")


def key(text: str) -> ItemKey:
    return ItemKey.parse(text)


def test_an_edit_keeps_only_the_fields_that_change(emin: DutyList):
    name = emin.item("basic:5").name
    change = check_change(
        Change(ChangeKind.EDIT, key("basic:5"), fields={"name": "新名称", "category": "党的建设"}),
        emin,
    )
    assert emin.item("basic:5").category == "党的建设" and name != "新名称"
    assert dict(change.fields) == {"name": "新名称"}
    with pytest.raises(InvalidChange, match="与现行内容相同"):
        check_change(Change(ChangeKind.EDIT, key("basic:5"), fields={"name": name}), emin)
    with pytest.raises(InvalidChange, match="基本履职事项没有“对应上级部门”这一栏"):
        check_change(
            Change(ChangeKind.EDIT, key("basic:5"), fields={"lead_departments": "x"}), emin
        )


def test_an_added_item_needs_the_fields_of_its_list_and_a_new_name(emin: DutyList):
    with pytest.raises(InvalidChange, match="须填写“对应上级部门”"):
        check_change(
            Change(ChangeKind.ADD, target=ItemKind.COOPERATIVE,
                   fields={"category": "安全", "name": "无人机巡查", "township_duties": "1.巡查"}),
            emin,
        )  # fmt: skip
    with pytest.raises(InvalidChange, match="已有同名事项 basic:5"):
        check_change(
            Change(ChangeKind.ADD, target=ItemKind.BASIC,
                   fields={"category": "党建", "name": emin.item("basic:5").name + "。"}),
            emin,
        )  # fmt: skip


def test_moving_a_cooperative_item_to_the_reclaimed_list_carries_its_departments(emin: DutyList):
    item = emin.item("coop:49")
    assert isinstance(item, CooperativeItem)
    change = check_change(Change(ChangeKind.MOVE, item.key, ItemKind.RECLAIMED), emin)
    new, keys = apply_changes(emin, [Pending(7, change, snapshot(item))], emin.version)
    moved = new.item(keys[7])
    assert isinstance(moved, ReclaimedItem) and keys[7] == ItemKey(ItemKind.RECLAIMED, 59)
    assert moved.receiving_departments == item.lead_departments and moved.name == item.name
    assert item.key not in new
    diff = diff_lists(emin, new)
    assert [(str(m.old.key), str(m.new.key)) for m in diff.moved] == [("coop:49", "reclaimed:59")]
    assert not diff.added and not diff.removed


def test_publishing_applies_every_change_and_keeps_numbers(emin: DutyList):
    changes = [
        Pending(1, check_change(Change(ChangeKind.REMOVE, key("basic:104")), emin),
                snapshot(emin.item("basic:104"))),
        Pending(2, check_change(Change(ChangeKind.ADD, target=ItemKind.BASIC,
                                       fields={"category": "综合", "name": "无人机飞行登记"}), emin), None),
        Pending(3, check_change(Change(ChangeKind.EDIT, key("basic:5"), fields={"name": "改名"}), emin),
                snapshot(emin.item("basic:5"))),
    ]  # fmt: skip
    version = replace(emin.version, label="2027")
    new, keys = apply_changes(emin, changes, version)
    assert keys == {1: None, 2: key("basic:105"), 3: key("basic:5")}
    assert new.item("basic:5").name == "改名" and new.version.label == "2027"
    diff = diff_lists(emin, new)
    assert [str(i.key) for i in diff.added] == ["basic:105"]
    assert [str(i.key) for i in diff.removed] == ["basic:104"]
    assert [str(c.key) for c in diff.changed] == ["basic:5"]


def test_publishing_refuses_a_change_to_an_item_edited_since_it_was_proposed(emin: DutyList):
    before = snapshot(emin.item("basic:5"))
    edited, _ = apply_changes(
        emin, [Pending(1, Change(ChangeKind.EDIT, key("basic:5"), fields={"name": "甲"}), before)],
        emin.version,
    )  # fmt: skip
    late = Pending(2, Change(ChangeKind.EDIT, key("basic:5"), fields={"name": "乙"}), before)
    with pytest.raises(ProposalConflict, match="提案 2 无法发布：提出之后事项 basic:5 已有改动"):
        apply_changes(edited, [late], emin.version)
    twice = [
        Pending(1, Change(ChangeKind.EDIT, key("basic:5"), fields={"name": "甲"}), before),
        Pending(2, Change(ChangeKind.REMOVE, key("basic:5")), before),
    ]
    with pytest.raises(ProposalConflict, match="与变更提案 1 修改的是同一事项 basic:5"):
        apply_changes(emin, twice, emin.version)
