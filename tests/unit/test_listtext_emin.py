"""The embedded Emin list parses exactly: counts and every field of hand-checked items."""

from __future__ import annotations

import pytest

from lvzhi.domain.model import ItemKind

from .emin_expected import BASIC, COOPERATIVE, RECLAIMED


def test_counts_are_104_102_58(emin):
    assert emin.counts() == {ItemKind.BASIC: 104, ItemKind.COOPERATIVE: 102, ItemKind.RECLAIMED: 58}


def test_numbers_run_without_gaps(emin):
    for kind, count in emin.counts().items():
        assert [i.number for i in emin.items(kind)] == list(range(1, count + 1))


@pytest.mark.parametrize("number", sorted(BASIC))
def test_basic_item_fields(emin, number):
    item = emin.item(f"basic:{number}")
    assert (item.category, item.name) == BASIC[number]


@pytest.mark.parametrize("number", sorted(COOPERATIVE))
def test_cooperative_item_fields(emin, number):
    item = emin.item(f"coop:{number}")
    want = COOPERATIVE[number]
    assert item.category == want["category"]
    assert item.name == want["name"]
    assert item.lead_departments == want["leads"]
    assert item.department_duties.paragraphs == want["upper"]
    assert item.township_duties.paragraphs == want["township"]


@pytest.mark.parametrize("number", sorted(RECLAIMED))
def test_reclaimed_item_fields(emin, number):
    item = emin.item(f"reclaimed:{number}")
    want = RECLAIMED[number]
    assert item.category == want["category"]
    assert item.name == want["name"]
    assert item.receiving_departments == want["receivers"]
    assert item.working_method.paragraphs == want["method"]


def test_issue_examples(emin):
    assert emin.item("coop:2").lead_departments == ("县委组织部", "县人力资源和社会保障局", "县纪律检查委员会")
    reclaimed = emin.item("reclaimed:54")
    assert reclaimed.name == "开展加油站危险化学品、设备设施安全检查"
    assert reclaimed.receiving_departments == ("县应急管理局",)


def test_no_text_keeps_extractor_artefacts(emin):
    for item in emin.items():
        texts = [item.name, item.category]
        for attr in ("department_duties", "township_duties", "working_method"):
            if hasattr(item, attr):
                texts.extend(getattr(item, attr).paragraphs)
        for text in texts:
            assert text == text.strip() and "  " not in text, (item.key, text)
            assert " ，" not in text and " 。" not in text and " 、" not in text, (item.key, text)
            assert "页，共" not in text and "上级部门职责" not in text, (item.key, text)


def test_every_cooperative_item_has_both_duty_columns(emin):
    for item in emin.cooperative:
        assert item.department_duties and item.township_duties, item.key
        assert item.lead_departments, item.key


def test_structure_recovers_headings_and_steps(emin):
    sections = emin.item("coop:84").department_duties.sections
    assert [s.heading for s in sections] == ["一、灾中救助", "二、冬春救助"]
    assert [step.number for step in sections[0].steps] == [1, 2]
    township = emin.item("coop:83").township_duties.sections
    assert [step.number for step in township[0].steps] == list(range(1, 11))
