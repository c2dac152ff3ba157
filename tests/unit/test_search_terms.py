"""Search terms: jieba words and bigrams; BM25 ranks rarer and denser matches higher."""

from __future__ import annotations

import pytest

from lvzhi.services.search import bm25, phrase_postings
from lvzhi.services.terms import (
    Lexicon,
    match_spans,
    phrase_terms,
    query_terms,
    search_lexicon,
    weighted_terms,
)
from lvzhi.storage.searchindex import Posting


def test_query_terms_hold_words_and_bigrams_once():
    found = query_terms("耕地保护")
    assert "耕地" in found and "保护" in found and "地保" in found
    assert len(found) == len(set(found))


def test_punctuation_and_width_do_not_matter():
    assert query_terms("，。！") == []
    assert query_terms("ＡＰＰ") == ["app"]


def test_weights_multiply_frequencies():
    counts = weighted_terms([("耕地", 3), ("耕地保护", 1)])
    assert counts["耕地"] == 2 * 3 + 2  # a word and a bigram in each text


def test_match_spans_merge_overlaps():
    assert match_spans("破坏耕地行为", ["破坏", "坏耕", "耕地"]) == [(0, 4)]
    assert match_spans("ＡＰＰ平台", ["app"]) == [(0, 3)]


def test_bm25_prefers_short_items_then_rare_terms():
    common = [Posting(n, "工作", 1, 20) for n in range(3, 13)]
    postings = [Posting(1, "耕地", 1, 10), Posting(2, "耕地", 1, 40), *common]
    ranked = bm25(postings, count=20, mean_length=20.0)
    assert [item for item, _, _ in ranked][:3] == [1, 2, 3]
    assert ranked[0][2] == ("耕地",)


# ---- everyday words -> official terms ----

SYNONYMS = {
    "最低生活保障": ["低保", "吃低保", "低保户"],
    "物业服务": ["物业", "物管"],
    "物业费": ["物管费"],
    "犬只": ["狗", "野狗"],
    "噪声": ["吵", "噪音"],
}


def test_an_everyday_word_brings_its_official_term_longest_match_first():
    lexicon = Lexicon.of(SYNONYMS)
    assert lexicon.expansions("低保") == (("低保", "最低生活保障"),)
    assert lexicon.expansions("村里有人吃低保") == (("吃低保", "最低生活保障"),)
    assert lexicon.expansions("低保户 物管费") == (("低保户", "最低生活保障"), ("物管费", "物业费"))
    assert lexicon.expansions("ＫＴＶ噪音") == (("噪音", "噪声"),)


def test_no_expansion_when_nothing_matches_or_the_official_term_is_typed():
    lexicon = Lexicon.of(SYNONYMS)
    assert lexicon.expansions("耕地 破坏") == ()
    assert lexicon.expansions("最低生活保障 低保") == ()
    assert lexicon.expansions("物业费") == ()  # an official term, not 物业 + 费


def test_a_one_character_everyday_word_counts_only_on_its_own():
    lexicon = Lexicon.of(SYNONYMS)
    assert lexicon.expansions("狗") == (("狗", "犬只"),)
    assert lexicon.expansions("吵架") == ()


def test_spellings_keep_the_word_as_typed_and_add_the_official_wording():
    lexicon = Lexicon.of(SYNONYMS)
    assert lexicon.spellings("低保") == ("低保", "最低生活保障")
    assert lexicon.spellings("低保申请") == ("低保申请", "最低生活保障申请")
    assert lexicon.spellings("耕地") == ("耕地",)


def test_the_shipped_lexicon_reads_dibao_as_the_official_term():
    assert search_lexicon().expansions("吃低保") == (("吃低保", "最低生活保障"),)


def test_an_official_term_counts_as_one_term_and_only_where_it_is_whole():
    whole = [Posting(2, term, 2, 10) for term in phrase_terms("最低生活保障")]
    partial = [Posting(3, "保障", 1, 10)]  # “社会保障”: a piece of the official term only
    postings = [Posting(1, "低保", 1, 10), *whole, *partial]
    counted = phrase_postings(postings, query_terms("低保"), ["最低生活保障"])
    assert counted == [Posting(1, "低保", 1, 10), Posting(2, "最低生活保障", 2, 10)]


def test_official_terms_count_less_than_the_typed_words():
    postings = [Posting(1, "低保", 1, 10), Posting(2, "最低生活保障", 1, 10)]
    [(first, typed, _), (second, official, _)] = bm25(
        postings, count=20, mean_length=10.0, weights={"最低生活保障": 0.7}
    )
    assert (first, second) == (1, 2)
    assert official == pytest.approx(0.7 * typed)
