"""Small pieces the templates use: marked text, duty texts as headings and ordered steps, pages."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote, urlencode

from markupsafe import Markup, escape

from lvzhi.domain.model import DutyText
from lvzhi.services.terms import match_spans

STATIC_DIR = Path(__file__).resolve().parent / "static"


@lru_cache(maxsize=64)
def _fingerprint(path: str) -> str:
    try:
        return hashlib.sha1((STATIC_DIR / path).read_bytes()).hexdigest()[:10]
    except OSError:
        return "0"


def static_url(path: str) -> str:
    """``/static/<path>?v=<hash>``: browsers may keep the file until it changes."""
    return f"/static/{path}?v={_fingerprint(path)}"


def department_href(name: str) -> str:
    return "/departments/" + quote(name, safe="")


def mark(text: str, spans: Sequence[tuple[int, int]] = ()) -> Markup:
    """``text`` escaped, with each ``(start, end)`` span in ``<mark>``."""
    pieces: list[str] = []
    at = 0
    for start, end in spans:
        pieces += [escape(text[at:start]), Markup("<mark>%s</mark>") % text[start:end]]
        at = end
    pieces.append(escape(text[at:]))
    return Markup("").join(pieces)


def mark_words(text: str, words: Iterable[str]) -> Markup:
    words = [w for w in words if w]
    return mark(text, match_spans(text, words)) if words else mark(text)


def percent(value: float) -> str:
    return f"{round(value * 100)}%"


@dataclass(frozen=True)
class Block:
    """Consecutive numbered steps (``ordered``) or one paragraph of free text."""

    ordered: bool
    lines: list[tuple[int | None, Markup]] = field(default_factory=list)


@dataclass(frozen=True)
class Section:
    heading: Markup | None
    blocks: list[Block]


def duty_blocks(text: DutyText | Sequence[str], words: Iterable[str] = ()) -> list[Section]:
    """A duty text as its headings (一、…) with the numbered steps under each as ordered lists."""
    duty = text if isinstance(text, DutyText) else DutyText(tuple(text))
    words = list(words)
    sections = []
    for section in duty.sections:
        blocks: list[Block] = []
        for step in section.steps:
            line = (step.number, mark_words(step.text, words))
            if step.number is not None and blocks and blocks[-1].ordered:
                blocks[-1].lines.append(line)
            else:
                blocks.append(Block(step.number is not None, [line]))
        heading = mark_words(section.heading, words) if section.heading else None
        sections.append(Section(heading, blocks))
    return sections


@dataclass(frozen=True)
class Pager:
    page: int
    pages: int
    size: int
    total: int

    @classmethod
    def of(cls, total: int, page: int, size: int) -> Pager:
        pages = max(1, -(-total // size))
        return cls(min(max(page, 1), pages), pages, size, total)

    @property
    def start(self) -> int:
        return (self.page - 1) * self.size

    def window(self, around: int = 2) -> list[int | None]:
        """Page numbers to show: first, last, and ``around`` either side of this one; ``None`` for a gap."""
        wanted = {1, self.pages, *range(self.page - around, self.page + around + 1)}
        shown: list[int | None] = []
        for n in sorted(p for p in wanted if 1 <= p <= self.pages):
            if shown and shown[-1] is not None and n > shown[-1] + 1:
                shown.append(None)
            shown.append(n)
        return shown


EXPORT_FORMATS = (("xlsx", "导出 Excel"), ("docx", "导出 Word"))


def export_links(filters: dict[str, str]) -> list[tuple[str, str]]:
    """``(href, title)`` of the API's export in each format, with the page's filters."""
    kept = {k: v for k, v in filters.items() if v}
    return [
        (f"/api/v1/export?{urlencode({'format': fmt, **kept})}", title)
        for fmt, title in EXPORT_FORMATS
    ]


def query_string(params: dict[str, object], **changes: object) -> str:
    """``?a=1&b=2`` from ``params`` with ``changes``; empty values left out."""
    merged = {**params, **changes}
    kept = {k: v for k, v in merged.items() if v not in (None, "") and (k, v) != ("page", 1)}
    return "?" + urlencode(kept) if kept else ""
