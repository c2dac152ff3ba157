"""Chinese search terms: jieba words plus character bigrams, and where a query matches a text.

Jieba finds words (“最低生活保障”), bigrams find what a dictionary splits differently (“低保”); an item
is indexed under both, so either way of writing a query meets it.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import lru_cache

import jieba

MAX_TERM_LENGTH = 32
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
_WORD = re.compile(r"[\u3400-\u9fff]+|[a-z0-9]+")


@lru_cache(maxsize=1)
def _tokenizer() -> jieba.Tokenizer:
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


def _words(text: str) -> Iterator[str]:
    for word in _tokenizer().cut_for_search(text):
        if _WORD.fullmatch(word) and len(word) <= MAX_TERM_LENGTH:
            yield word


def _bigrams(text: str) -> Iterator[str]:
    for run in _CJK_RUN.findall(text):
        for start in range(len(run) - 1):
            yield run[start : start + 2]


def terms(text: str) -> list[str]:
    """Every term of ``text`` with repeats: jieba words, then CJK bigrams (normalised, lower case)."""
    flat = normalize(text)
    return [*_words(flat), *_bigrams(flat)]


def query_terms(query: str) -> list[str]:
    """The distinct terms of a query, in order."""
    return list(dict.fromkeys(terms(query)))


def weighted_terms(fields: Iterable[tuple[str, int]]) -> Counter[str]:
    """Term frequencies over ``(text, weight)`` pairs: a term in a weight-3 field counts 3 times."""
    counts: Counter[str] = Counter()
    for text, weight in fields:
        for term in terms(text):
            counts[term] += weight
    return counts


def match_spans(text: str, words: Iterable[str]) -> list[tuple[int, int]]:
    """Where ``words`` occur in ``text`` (merged, sorted ``(start, end)``; case and width ignored)."""
    flat = normalize(text)
    if len(flat) != len(text):
        flat = "".join(normalize(char)[:1] or " " for char in text)
    spans: list[tuple[int, int]] = []
    for word in {w for w in words if w}:
        start = flat.find(word)
        while start >= 0:
            spans.append((start, start + len(word)))
            start = flat.find(word, start + 1)
    return _merge(spans)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
