"""Admission review: demands, each decision, flags for pushed-down powers and the sender."""

from __future__ import annotations

import pytest

from lvzhi.data import default_router, load_act_cues, load_departments
from lvzhi.domain.admission import AdmissionReviewer, Decision, split_demands


@pytest.fixture(scope="module")
def reviewer():
    return AdmissionReviewer(default_router(), load_departments(), load_act_cues())


def test_numbered_demands_are_split_and_the_preamble_kept_apart():
    preamble, demands = split_demands("县应急管理局：为做好安全工作，请各乡：1.开展检查；2.开展宣传；3.上报台账。")
    assert preamble.startswith("县应急管理局") and demands == ["开展检查", "开展宣传", "上报台账"]
    assert split_demands("一是摸清底数，二是建立台账，三是按时上报")[1] == ["摸清底数", "建立台账", "按时上报"]
    assert split_demands("（1）宣传到户（2）统计上报")[1] == ["宣传到户", "统计上报"]
    assert split_demands("请于2025年3月1日前上报")[1] == ["请于2025年3月1日前上报"]


def test_multi_demand_notice_gets_one_verdict_per_demand(reviewer):
    review = reviewer.review(
        "县应急管理局：请各乡：1.对辖区加油站开展危险化学品安全检查；2.在各村开展应急管理和消防安全知识宣传。"
    )
    assert review.sender_department == "县应急管理局"
    assert [d.decision for d in review.demands] == [Decision.REFUSE, Decision.ACCEPT]
    assert review.demands[0].items == ("reclaimed:54",)
    assert "县应急管理局" in review.demands[0].reason and "退回" in review.demands[0].reason
    assert review.decision == "部分接收"


def test_taken_back_task_is_refused_naming_the_department_and_method(reviewer):
    demand = reviewer.review("请各乡对辖区加油站的危化品和设备设施开展安全检查", "县应急管理局").demands[0]
    assert demand.decision == Decision.REFUSE
    assert "工作方式" in demand.reason and "县应急管理局" in demand.reason
    assert any(f.code == "sender_took_it_back" for f in demand.flags)


def test_cooperative_task_accepts_only_the_township_part_and_flags_pushed_powers(reviewer):
    demand = reviewer.review("请各乡对辖区农药经营门店开展监督检查，发现违规经营的依法查处并罚款", "县农业农村局").demands[0]
    assert demand.decision == Decision.ACCEPT_PART and demand.items == ("coop:26",)
    power = [f for f in demand.flags if f.code == "department_power"]
    assert power and "罚款" in power[0].message and "县农业农村局" in power[0].message
    assert "乡镇配合职责" in power[0].message


def test_sender_who_does_not_lead_the_item_is_flagged(reviewer):
    demand = reviewer.review("请各乡开展秸秆焚烧巡查，发现焚烧的及时制止", "县市场监督管理局").demands[0]
    assert demand.decision == Decision.ACCEPT_PART
    assert [f.code for f in demand.flags if f.code.startswith("sender")] == ["sender_not_lead"]
    assert "县农业农村局" in demand.flags[-1].message


def test_outside_task_needs_admission_approval_with_nearest_items(reviewer):
    demand = reviewer.review("请各乡协助在村里推广银行信用卡，每村至少办理20张", "县某银行").demands[0]
    assert demand.decision == Decision.NEEDS_APPROVAL
    assert "准入审批" in demand.reason
    review = reviewer.review("请各乡协助在村里推广银行信用卡，每村至少办理20张", "县某银行")
    assert review.sender_department is None and review.decision == "报请准入"


def test_basic_task_is_accepted(reviewer):
    demand = reviewer.review("请各村组织开展人民调解，排查化解邻里矛盾纠纷").demands[0]
    assert demand.decision == Decision.ACCEPT and demand.items == ("basic:51",)
