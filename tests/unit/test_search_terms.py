"""Search terms: jieba words and bigrams; BM25 ranks rarer and denser matches higher."""

from __future__ import annotations

from lvzhi.services.search import bm25
from lvzhi.services.terms import match_spans, query_terms, weighted_terms
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
