"""Search understands everyday words: 低保 also finds the list's 最低生活保障 (the routing lexicon),
below an item that says 低保 itself, and says so."""

from __future__ import annotations

from dataclasses import replace

from lvzhi import services
from lvzhi.domain.model import BasicItem, DutyList

T = "额敏县某乡"
OFFICIAL = BasicItem(105, "民生服务", "负责最低生活保障对象的申请受理和入户调查")
LITERAL = BasicItem(106, "民生服务", "负责低保户的走访慰问")


def with_dibao_items(emin: DutyList) -> DutyList:
    return replace(
        emin, version=replace(emin.version, label="2026"), basic=(*emin.basic, OFFICIAL, LITERAL)
    )


def test_an_everyday_word_finds_the_official_term_and_says_so(emin_db, emin_list):
    services.import_list(emin_db.uow(), with_dibao_items(emin_list))
    result = services.search(emin_db.uow(), T, "低保")
    assert result.expansions == (("低保", "最低生活保障"),)
    keys = [str(hit.item.key) for hit in result.hits]
    assert keys[:2] == [
        "basic:106",
        "basic:105",
    ]  # the words as typed first, then the official term
    official = result.hits[1]
    assert [official.item.name[s:e] for s, e in official.name_spans] == ["最低生活保障"]


def test_the_list_filter_takes_the_everyday_word_too(emin_db, emin_list):
    services.import_list(emin_db.uow(), with_dibao_items(emin_list))
    listing = services.list_items(emin_db.uow(), T, text="低保")
    assert {str(item.key) for item in listing.items} == {"basic:105", "basic:106"}


def test_on_the_emin_list_dibao_reports_the_official_term_and_no_loose_matches(emin_db):
    result = services.search(emin_db.uow(), T, "低保")
    assert result.expansions == (("低保", "最低生活保障"),)
    assert (
        result.hits == []
    )  # the list never says 最低生活保障; “生活” or “保障” alone do not count


def test_an_everyday_word_ranks_the_items_that_use_the_official_term(emin_db):
    result = services.search(emin_db.uow(), T, "违建")
    assert result.expansions == (("违建", "违法建设"),)
    first = result.hits[0]
    assert str(first.item.key) == "coop:50" and first.snippet is not None
    marked = {first.snippet.text[s:e] for s, e in first.snippet.spans}
    assert "违法建设" in marked


def test_a_literal_query_is_not_expanded(emin_db):
    result = services.search(emin_db.uow(), T, "耕地 破坏")
    assert result.expansions == ()
    assert str(result.hits[0].item.key) == "coop:49"
