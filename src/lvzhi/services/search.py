"""Full-text search over a stored list: BM25 on jieba words and bigrams, with the matches marked."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from lvzhi.domain.model import DomainError, Item, ItemKind
from lvzhi.domain.versions import FIELD_TITLES, StoredVersion
from lvzhi.services.queries import pick_version
from lvzhi.services.terms import match_spans, query_terms
from lvzhi.storage.rows import duty_texts
from lvzhi.storage.searchindex import Posting
from lvzhi.storage.uow import SqlUnitOfWork

K1 = 1.2
B = 0.75
SNIPPET_CHARS = 80


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


def search(
    uow: SqlUnitOfWork,
    township: str,
    query: str,
    *,
    limit: int = 10,
    kind: ItemKind | None = None,
    version: str | None = None,
) -> SearchResult:
    """The items that best match ``query``, best first (at most ``limit``)."""
    wanted = query_terms(query)
    if not wanted:
        raise EmptyQuery()
    with uow:
        row = pick_version(uow, township, version)
        scope = kind.value if kind else None
        count, mean_length = uow.search.stats(row.id, scope)
        postings = uow.search.postings(row.id, wanted, scope)
        ranked = bm25(postings, count, mean_length)[:limit]
        found = uow.lists.items_by_ids([item_id for item_id, _, _ in ranked])
    hits = [_hit(found[item_id], score, terms, wanted) for item_id, score, terms in ranked]
    return SearchResult(query, row.stored, hits)


def bm25(
    postings: Sequence[Posting], count: int, mean_length: float
) -> list[tuple[int, float, tuple[str, ...]]]:
    """``(item_id, score, matched terms)``, best first; ties in item order."""
    frequency: dict[str, int] = defaultdict(int)
    for posting in postings:
        frequency[posting.term] += 1
    scores: dict[int, float] = defaultdict(float)
    matched: dict[int, list[str]] = defaultdict(list)
    for p in postings:
        idf = math.log(1 + (count - frequency[p.term] + 0.5) / (frequency[p.term] + 0.5))
        norm = K1 * (1 - B + B * p.length / mean_length) if mean_length else K1
        scores[p.item_id] += idf * p.tf * (K1 + 1) / (p.tf + norm)
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
