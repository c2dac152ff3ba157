"""Full-text search over a stored list: BM25 on jieba words and bigrams, with the matches marked.

Everyday words in a query (“低保”) also look for the official terms the county's lexicon gives
for them (“最低生活保障”), as one whole term weighted ``OFFICIAL_WEIGHT``: an item that holds the
words typed still ranks first.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from lvzhi.domain.model import DomainError, Item, ItemKind
from lvzhi.domain.versions import FIELD_TITLES, StoredVersion
from lvzhi.services.queries import pick_version
from lvzhi.services.terms import match_spans, phrase_terms, query_terms, search_lexicon
from lvzhi.storage.rows import duty_texts
from lvzhi.storage.searchindex import Posting
from lvzhi.storage.uow import SqlUnitOfWork

K1 = 1.2
B = 0.75
SNIPPET_CHARS = 80
OFFICIAL_WEIGHT = 0.7  # an official term's BM25 contributions, against a typed term's


class EmptyQuery(DomainError):
    def __init__(self) -> None:
        super().__init__("搜索词为空或只有标点，请输入要查找的词，如：lvzhi search 低保")


@dataclass(frozen=True)
class Snippet:
    """Where an item matched best: a field (``name`` or a duty text), its text, the matched spans."""

    field: str
    text: str
    spans: tuple[tuple[int, int], ...]

    @property
    def title(self) -> str:
        return FIELD_TITLES[self.field]


@dataclass(frozen=True)
class SearchHit:
    item: Item
    score: float
    terms: tuple[str, ...]
    name_spans: tuple[tuple[int, int], ...]
    snippet: Snippet | None


@dataclass(frozen=True)
class SearchResult:
    query: str
    version: StoredVersion
    hits: list[SearchHit]
    expansions: tuple[tuple[str, str], ...] = ()  # (word as typed, official term also looked for)


def search(
    uow: SqlUnitOfWork,
    township: str,
    query: str,
    *,
    limit: int = 10,
    kind: ItemKind | None = None,
    version: str | None = None,
) -> SearchResult:
    """The items that best match ``query``, best first (at most ``limit``); with the official
    terms of its everyday words (``SearchResult.expansions``)."""
    typed = query_terms(query)
    if not typed:
        raise EmptyQuery()
    expansions = search_lexicon().expansions(query)
    officials = list(dict.fromkeys(term for _, term in expansions))
    pieces = [t for o in officials for t in phrase_terms(o) if t not in typed]
    with uow:
        row = pick_version(uow, township, version)
        scope = kind.value if kind else None
        count, mean_length = uow.search.stats(row.id, scope)
        postings = uow.search.postings(row.id, [*typed, *dict.fromkeys(pieces)], scope)
        counted = phrase_postings(postings, typed, officials)
        weights = dict.fromkeys(officials, OFFICIAL_WEIGHT)
        ranked = bm25(counted, count, mean_length, weights)[:limit]
        found = uow.lists.items_by_ids([item_id for item_id, _, _ in ranked])
    words = [*typed, *officials]
    hits = [_hit(found[item_id], score, terms, words) for item_id, score, terms in ranked]
    return SearchResult(query, row.stored, hits, expansions)


def phrase_postings(
    postings: Sequence[Posting], typed: Sequence[str], officials: Sequence[str]
) -> list[Posting]:
    """The typed terms' postings, and one posting per official term and item that holds all of its
    ``phrase_terms`` (tf: the fewest of them), so an official term counts as one whole term:
    “保障” alone does not make an item match 最低生活保障."""
    wanted = set(typed)
    held: dict[int, dict[str, Posting]] = defaultdict(dict)
    for p in postings:
        held[p.item_id][p.term] = p
    counted = [p for p in postings if p.term in wanted]
    for official in officials:
        needed = phrase_terms(official)
        if not needed:
            continue
        for item_id, terms in held.items():
            if needed <= terms.keys():
                tf = min(terms[t].tf for t in needed)
                counted.append(Posting(item_id, official, tf, terms[next(iter(needed))].length))
    return counted


def bm25(
    postings: Sequence[Posting],
    count: int,
    mean_length: float,
    weights: Mapping[str, float] | None = None,
) -> list[tuple[int, float, tuple[str, ...]]]:
    """``(item_id, score, matched terms)``, best first; ties in item order. A term's contributions
    are multiplied by its weight in ``weights`` (1 for a term not there)."""
    weights = weights or {}
    frequency = Counter(p.term for p in postings)
    scores: dict[int, float] = defaultdict(float)
    matched: dict[int, list[str]] = defaultdict(list)
    for p in postings:
        idf = math.log(1 + (count - frequency[p.term] + 0.5) / (frequency[p.term] + 0.5))
        norm = K1 * (1 - B + B * p.length / mean_length) if mean_length else K1
        scores[p.item_id] += weights.get(p.term, 1.0) * idf * p.tf * (K1 + 1) / (p.tf + norm)
        matched[p.item_id].append(p.term)
    ranked = sorted(scores.items(), key=lambda pair: (-pair[1], pair[0]))
    return [(item_id, score, tuple(matched[item_id])) for item_id, score in ranked]


def _hit(item: Item, score: float, terms: tuple[str, ...], wanted: list[str]) -> SearchHit:
    words = [term for term in wanted if term in terms]
    return SearchHit(
        item=item,
        score=round(score, 4),
        terms=tuple(words),
        name_spans=tuple(match_spans(item.name, words)),
        snippet=_snippet(item, words),
    )


def _snippet(item: Item, words: list[str]) -> Snippet | None:
    """The paragraph with the most matched characters, cut to about ``SNIPPET_CHARS`` around them."""
    best: tuple[int, str, str, list[tuple[int, int]]] | None = None
    for field, text in duty_texts(item).items():
        for paragraph in text.paragraphs:
            spans = match_spans(paragraph, words)
            covered = sum(end - start for start, end in spans)
            if covered and (best is None or covered > best[0]):
                best = (covered, field, paragraph, spans)
    if best is None:
        return None
    _, field, paragraph, spans = best
    return _cut(field, paragraph, spans)


def _cut(field: str, paragraph: str, spans: list[tuple[int, int]]) -> Snippet:
    if len(paragraph) <= SNIPPET_CHARS:
        return Snippet(field, paragraph, tuple(spans))
    start = max(0, min(spans[0][0] - SNIPPET_CHARS // 4, len(paragraph) - SNIPPET_CHARS))
    end = start + SNIPPET_CHARS
    text = ("…" if start else "") + paragraph[start:end] + ("…" if end < len(paragraph) else "")
    shift = 1 if start else 0
    inside = [
        (max(s, start) - start + shift, min(e, end) - start + shift)
        for s, e in spans
        if e > start and s < end
    ]
    return Snippet(field, text, tuple(inside))
