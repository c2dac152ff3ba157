"""Comparing two townships' lists on a hand-built pair, and the county matrix."""

from __future__ import annotations

from lvzhi.domain.compare import build_matrix, compare_lists, similarity
from lvzhi.domain.model import (
    BasicItem,
    CooperativeItem,
    DutyList,
    DutyText,
    ItemKind,
    ListVersion,
    ReclaimedItem,
)


def coop(number: int, name: str, lead: str = "县应急管理局") -> CooperativeItem:
    return CooperativeItem(
        number, "安全", name, (lead,), DutyText(("1.指导",)), DutyText(("1.配合",))
    )


def reclaimed(number: int, name: str, by: str = "县农业农村局") -> ReclaimedItem:
    return ReclaimedItem(number, "农业", name, (by,), DutyText(("县级承担",)))


LEFT = DutyList(
    ListVersion("甲乡"),
    basic=(
        BasicItem(1, "党建", "落实“三会一课”制度"),
        BasicItem(2, "民政", "做好最低生活保障申请的受理和初审工作"),
        BasicItem(3, "农业", "农药经营门店日常巡查"),
        BasicItem(4, "综合", "档案管理工作"),
    ),
    cooperative=(coop(1, "燃气安全隐患排查整治"),),
)
RIGHT = DutyList(
    ListVersion("乙镇"),
    basic=(
        BasicItem(7, "党建", "落实 “三会一课” 制度。"),
        BasicItem(8, "民政", "负责最低生活保障申请的受理和初审工作"),
        BasicItem(9, "综合", "地名管理工作"),
    ),
    cooperative=(coop(3, "燃气安全隐患排查整治", "县住房和城乡建设局"),),
    reclaimed=(reclaimed(5, "农药经营门店日常巡查"),),
)


def test_items_match_by_name_not_number_and_slight_rewordings_still_match():
    found = compare_lists(LEFT, RIGHT)
    pairs = {(str(p.left.key), str(p.right.key)): p for p in found.same_list}
    assert set(pairs) == {("basic:1", "basic:7"), ("basic:2", "basic:8"), ("coop:1", "coop:3")}
    assert pairs[("basic:1", "basic:7")].exact
    assert 0.7 <= pairs[("basic:2", "basic:8")].similarity < 1
    assert [str(p.left.key) for p in found.renamed] == ["basic:2"]
    assert pairs[("coop:1", "coop:3")].differing == ("lead_departments",)


def test_the_same_item_in_another_list_and_items_only_one_township_has():
    found = compare_lists(LEFT, RIGHT)
    assert [(str(p.left.key), str(p.right.key)) for p in found.other_list] == [
        ("basic:3", "reclaimed:5")
    ]
    assert [i.name for i in found.only_left] == ["档案管理工作"]
    assert [i.name for i in found.only_right] == ["地名管理工作"]
    assert similarity("档案管理工作", "地名管理工作") < 0.7
    assert compare_lists(LEFT, LEFT).identical and not found.identical


def test_the_matrix_counts_cooperative_and_taken_back_items_per_department_and_township():
    rows = [
        ("甲乡", "县应急管理局", ItemKind.COOPERATIVE, 3),
        ("乙镇", "县应急管理局", ItemKind.COOPERATIVE, 2),
        ("乙镇", "县应急管理局", ItemKind.RECLAIMED, 1),
        ("乙镇", "县农业农村局", ItemKind.RECLAIMED, 1),
    ]
    matrix = build_matrix("某县", ["甲乡", "乙镇", "丙乡"], rows)
    assert matrix.departments == ("县应急管理局", "县农业农村局")
    assert matrix.cell("县应急管理局", "乙镇").total == 3
    assert matrix.cell("县农业农村局", "丙乡").total == 0
    assert matrix.department_total("县应急管理局").cooperative == 5
    assert matrix.township_total("乙镇").reclaimed == 2
