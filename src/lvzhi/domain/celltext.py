"""Cell text as a PDF extractor leaves it: wrapped lines, spurious spaces, paragraphs.

Widths are measured in em: a Chinese character or full-width mark is 1, anything else 0.5,
because that is how the printed column holds them.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

from .model import HEADING_RE, STEP_RE

_CJK_SPACE = re.compile(
    r"\s+(?=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’《》<>（）])"
    r"|(?<=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’《》<>（）])\s+"
)
_TERMINAL = tuple("。；;！!？?")
_DEPARTMENT_SUFFIX = re.compile(r"(局|委|会|部|队|院|办|室|区|所|站|中心|公司|政府|团|处|馆|社|行|联|厂|场|组)$")
_PUNCTUATION_ONLY = re.compile(r"^[。；;，,、：:！!？?）)”’》]+$")
# How far a full line may fall short of its column's width and still count as full.
FULL_LINE_TOLERANCE = 2.5


def char_width(ch: str) -> float:
    return 1.0 if unicodedata.east_asian_width(ch) in ("W", "F", "A") else 0.5


def text_width(text: str) -> float:
    return sum(char_width(ch) for ch in text.strip())


def tidy(text: str) -> str:
    """Drop whitespace the extractor put next to Chinese text; keep it between Latin words."""
    return re.sub(r"\s{2,}", " ", _CJK_SPACE.sub("", text)).strip()


def join_wrapped(lines: Sequence[str]) -> str:
    """Join the lines of one wrapped paragraph back into the printed text."""
    # Chinese typesetting breaks lines anywhere, Latin words included: join without a space.
    return tidy("".join(line.strip() for line in lines))


def is_marker(line: str) -> bool:
    """A line that opens a paragraph by itself: a numbered step or a 一、 heading."""
    s = line.strip()
    return bool(STEP_RE.match(s) or HEADING_RE.match(s))


def is_full(line: str, width: float | None) -> bool:
    return width is not None and text_width(line) >= width - FULL_LINE_TOLERANCE


def ends_sentence(line: str) -> bool:
    return line.strip().endswith(_TERMINAL)


def ends_paragraph(line: str, width: float | None) -> bool:
    """True when the text after this line cannot be its continuation."""
    s = line.strip()
    if width is None:
        return s.endswith(_TERMINAL)
    if HEADING_RE.match(s) and not is_full(s, width):
        return True
    return not is_full(s, width)


def split_paragraphs(
    lines: Sequence[str], width: float | None = None, after_blank: Sequence[bool] | None = None
) -> tuple[str, ...]:
    """Group a cell's lines into paragraphs, each joined as printed.

    ``width`` is the column width in em; without it, step and heading markers, sentence ends
    and a blank line after a heading open new paragraphs. ``after_blank`` tells, per line,
    whether the extractor left a blank line before it.
    """
    groups: list[list[str]] = []
    for n, line in enumerate(lines):
        if not line.strip():
            continue
        blank = bool(after_blank and after_blank[n])
        if groups and _PUNCTUATION_ONLY.match(line.strip()):
            groups[-1].append(line)
        elif not groups or is_marker(line) or _closes(groups[-1], width, blank):
            groups.append([line])
        else:
            groups[-1].append(line)
    return tuple(join_wrapped(g) for g in groups)


def _closes(group: list[str], width: float | None, blank_follows: bool) -> bool:
    if blank_follows and HEADING_RE.match(group[0].strip()):
        return True
    return ends_paragraph(group[-1], width)


def wrap_width(lines: Sequence[str]) -> float | None:
    """A column's width, read off the lines the next line continues (None if too few)."""
    widths = [
        text_width(a) for a, b in zip(lines, lines[1:]) if b.strip() and a.strip() and not is_marker(b) and not ends_sentence(a)
    ]
    counts = Counter(round(w) for w in widths)
    piles = [w for w in counts if counts[w] + counts.get(w - 1, 0) >= max(3, len(widths) * 0.1)]
    return float(max(piles)) if piles else None


def numbering_cost(paragraphs: Sequence[str]) -> int:
    """How far a column's paragraphs are from well-formed numbering (0 is perfect).

    Within a heading's section steps run 1, 2, 3...; headings run 一, 二, 三...
    Free text between numbered steps or a heading with nothing under it is unusual.
    """
    from .model import chinese_numeral

    cost = 0
    expected_heading = 1
    expected_step = 1
    previous = "start"  # start | heading | step | text
    for para in paragraphs:
        heading = HEADING_RE.match(para)
        step = STEP_RE.match(para)
        if heading:
            if chinese_numeral(heading.group(1)) != expected_heading:
                cost += 10
            if previous == "heading":
                cost += 5
            expected_heading = chinese_numeral(heading.group(1)) + 1
            expected_step = 1
            previous = "heading"
        elif step:
            if int(step.group(1)) != expected_step:
                cost += 10
            expected_step = int(step.group(1)) + 1
            previous = "step"
        else:
            if previous == "step":
                cost += 3
            elif previous == "text":
                cost += 2
            previous = "text"
    if previous == "heading":
        cost += 5
    return cost


def split_departments(cell: str) -> tuple[str, ...]:
    """A department cell as printed, one name per part."""
    return tuple(p for p in (tidy(x) for x in re.split(r"[、，,；;]", cell)) if p)


def looks_like_departments(text: str) -> bool:
    """Every part ends like the name of a body (局, 委, 办 ...): a department cell, not prose."""
    parts = split_departments(text)
    return bool(parts) and all(_DEPARTMENT_SUFFIX.search(p) and len(p) <= 30 for p in parts)
