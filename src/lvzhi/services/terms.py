"""Chinese search terms: jieba words plus character bigrams, and where a query matches a text.

Jieba finds words (“最低生活保障”), bigrams find what a dictionary splits differently (“耕地保护”
holds “地保”); an item is indexed under both. Everyday words (“低保”) meet the official wording
(“最低生活保障”) through the county's lexicon (``Lexicon``).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import product

import jieba

from lvzhi.data import load_knowledge

MAX_TERM_LENGTH = 32
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
_WORD = re.compile(r"[\u3400-\u9fff]+|[a-z0-9]+")
_RUN = re.compile(r"\w+")


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


def phrase_terms(phrase: str) -> frozenset[str]:
    """The terms every text that contains ``phrase`` is indexed under, however jieba cuts the text
    around it: its CJK bigrams and latin words (a one-character phrase: its terms)."""
    flat = normalize(phrase)
    held = {*_bigrams(flat), *(word for word in _words(flat) if word.isascii())}
    return frozenset(held or terms(flat))


def weighted_terms(fields: Iterable[tuple[str, int]]) -> Counter[str]:
    """Term frequencies over ``(text, weight)`` pairs: a term in a weight-3 field counts 3 times."""
    counts: Counter[str] = Counter()
    for text, weight in fields:
        for term in terms(text):
            counts[term] += weight
    return counts


def _aligned(text: str) -> str:
    """``text`` normalised character by character, so that positions stay those of ``text``."""
    return "".join(normalize(char)[:1] or " " for char in text)


def match_spans(text: str, words: Iterable[str]) -> list[tuple[int, int]]:
    """Where ``words`` occur in ``text`` (merged, sorted ``(start, end)``; case and width ignored)."""
    flat = normalize(text)
    if len(flat) != len(text):
        flat = _aligned(text)
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


MAX_SPELLINGS = 8


@dataclass(frozen=True)
class Lexicon:
    """Everyday words and the official terms the list uses for them: the routing lexicon
    (``routing/synonyms.yaml``, official -> everyday words) turned round, normalised.

    Official terms are known phrases too, so that “物业费” is read as one term and not as the
    everyday word “物业” followed by “费”."""

    phrases: Mapping[str, tuple[str, ...]]  # phrase -> its official terms; () for an official term
    longest: int = 0

    @classmethod
    def of(cls, synonyms: Mapping[str, Iterable[str]]) -> Lexicon:
        phrases: dict[str, list[str]] = {}
        for official, words in synonyms.items():
            term = normalize(official).strip()
            if not term:
                continue
            phrases.setdefault(term, [])
            for word in map(str.strip, map(normalize, words)):
                if word and word != term:
                    phrases.setdefault(word, []).append(term)
        frozen = {phrase: tuple(dict.fromkeys(terms)) for phrase, terms in phrases.items()}
        return cls(frozen, max(map(len, frozen), default=0))

    def expansions(self, query: str) -> tuple[tuple[str, str], ...]:
        """``(word as typed, official term)`` for each everyday word of ``query``: read left to right,
        the longest known phrase first; an official term already in the query is not added. A
        one-character everyday word (“狗”) counts only as a word of its own, not inside another
        (“吵” in “吵架”)."""
        flat = normalize(query)
        aligned = flat if len(flat) == len(query) else _aligned(query)
        found: list[tuple[str, str]] = []
        for run in _RUN.finditer(aligned):
            for start, end, officials in self._segments(run.group()):
                word = query[run.start() + start : run.start() + end]
                found += [(word, official) for official in officials if official not in flat]
        return tuple(dict.fromkeys(found))

    def spellings(self, word: str) -> tuple[str, ...]:
        """``word`` (normalised) and the same word with its everyday words written as the official
        terms (at most ``MAX_SPELLINGS``): “低保” -> (“低保”, “最低生活保障”)."""
        flat = normalize(word)
        choices = [
            officials or (flat[start:end],) for start, end, officials in self._segments(flat)
        ]
        spelt = dict.fromkeys([flat])
        for parts in product(*choices):
            if len(spelt) >= MAX_SPELLINGS:
                break
            spelt.setdefault("".join(parts))
        return tuple(spelt)

    def _segments(self, word: str) -> Iterator[tuple[int, int, tuple[str, ...]]]:
        """``word`` (normalised, no spaces) cut into ``(start, end, official terms)``: known phrases,
        longest first, and the text between them (no official terms)."""
        start = plain = 0
        while start < len(word):
            end = next(
                (
                    end
                    for end in range(min(len(word), start + self.longest), start, -1)
                    if word[start:end] in self.phrases
                ),
                None,
            )
            if end is None or (end - start == 1 and len(word) > 1):
                start += 1
                continue
            if plain < start:
                yield plain, start, ()
            yield start, end, self.phrases[word[start:end]]
            start = plain = end
        if plain < len(word):
            yield plain, len(word), ()


@lru_cache(maxsize=1)
def search_lexicon() -> Lexicon:
    """The lexicon search uses, built once from the routing knowledge (county-editable YAML)."""
    return Lexicon.of(load_knowledge().synonyms)
