"""Rows of the cooperative table: five narrow and wide cells printed one after another.

A row reads: category, name and departments (narrow columns, each wrapped at its own width),
then the departments' duties (a wide column) followed by the township's duties (a narrower
one). Neither boundary is marked in the text, so each is chosen as the split that best fits
what a printed table must look like: consistent wrapping widths, a category seen elsewhere
in the list, a department cell made of department names, and numbering that runs 1, 2, 3
within each column.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .celltext import (
    FULL_LINE_TOLERANCE,
    ends_paragraph,
    ends_sentence,
    is_marker,
    join_wrapped,
    looks_like_departments,
    numbering_cost,
    split_departments,
    split_paragraphs,
    text_width,
)
from .errors import ListFormatError
from .model import CooperativeItem, DutyText

_MAX_CATEGORY_LINES = 5
_MAX_NAME_LINES = 14
_MAX_DEPT_LINES = 40
# Costs of the header split; a cell that breaks a hard rule costs more than all soft ones together.
_UNKNOWN_CATEGORY = 1.5
_NOT_DEPARTMENTS = 20.0
_UNEVEN_WRAP = 1.0
_SAME_PRINTED_LINE = 10.0
_DUTY_STARTS_WITH_TEXT = 1.0
_TOO_WIDE_FOR_TOWNSHIP = 6
_NO_BLANK_BETWEEN_CELLS = 0.5
_BLANK_INSIDE_CELL = 0.3
_UNKNOWN_DEPARTMENT = 0.5
_SPLIT_INSIDE_PARAGRAPH = 50
_NO_BLANK_BEFORE_COLUMN = 1.0
_COLUMN_GAP = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")
_ENDS_LIKE_DEPARTMENT = re.compile(r"[\u4e00-\u9fff]$")


@dataclass(frozen=True)
class _Chunk:
    text: str
    line: int  # source line number
    width: float
    after_blank: bool = False  # a blank line stands between this chunk and the one before


@dataclass
class _Head:
    category: str
    name: str
    departments: tuple[str, ...]
    duties: list[_Chunk]


class CoopRowParser:
    def __init__(
        self,
        rows: Sequence,
        known_categories: set[str],
        source: str,
        is_department: Callable[[str], bool] | None = None,
    ) -> None:
        self.is_department = is_department
        self.rows = list(rows)
        self.known = set(known_categories)
        self.source = source
        self.heads = [self._head(row) for row in self.rows]
        self.upper_width, self.township_width = estimate_column_widths(
            [line.width for head in self.heads if head for line in _wrapped_lines(head.duties)]
        )

    def item(self, index: int, report: Callable[[ListFormatError], None]) -> CooperativeItem | None:
        row, head = self.rows[index], self.heads[index]
        if head is None:
            report(ListFormatError(row.first.number, f"配合履职事项 {row.number} 的事项类别、事项名称和对应上级部门",
                                   row.first.text.strip(), self.source))
            return None
        if len(head.duties) < 2:
            last = head.duties[-1].line if head.duties else row.first.number
            report(ListFormatError(last, f"配合履职事项 {row.number} 的上级部门职责和乡镇（街道）配合职责",
                                   "内容不全（文件可能被截断）", self.source))
            return None
        upper, township = self._split_duties(head.duties)
        return CooperativeItem(row.number, head.category, head.name, head.departments,
                               DutyText(upper), DutyText(township))

    # -- category, name, departments -------------------------------------------------------

    def _chunks(self, row) -> list[_Chunk]:
        """Non-blank lines, each cut where a space stands between two Chinese characters:
        such a space is the gap between two columns printed on one line."""
        chunks = [_Chunk(part, row.first.number, text_width(part)) for part in _COLUMN_GAP.split(row.rest.strip())]
        blank = False
        for ln in row.lines:
            for n, part in enumerate(_COLUMN_GAP.split(ln.text.strip()) if ln.text.strip() else []):
                chunks.append(_Chunk(part, ln.number, text_width(part), blank and n == 0))
            blank = not ln.text.strip()
        return [c for c in chunks if c.text]

    def _head(self, row) -> _Head | None:
        chunks = self._chunks(row)
        n = len(chunks)
        dept_costs = {j: self._dept_costs(chunks, j) for j in range(2, min(_MAX_CATEGORY_LINES + _MAX_NAME_LINES, n) + 1)}
        best: tuple[float, int, int, int] | None = None
        for i in range(1, min(_MAX_CATEGORY_LINES, n) + 1):
            cat_cost = self._category_cost(chunks[:i]) + _boundary_cost(chunks, i)
            for j in range(i + 1, min(i + _MAX_NAME_LINES, n) + 1):
                name_cost = cat_cost + _wrap_cost(chunks[i:j]) + _boundary_cost(chunks, j)
                for k, cost in dept_costs.get(j, {}).items():
                    if best is None or name_cost + cost < best[0]:
                        best = (name_cost + cost, i, j, k)
        if best is None or best[0] >= _NOT_DEPARTMENTS:
            return None
        _, i, j, k = best
        return _Head(
            category=join_wrapped([c.text for c in chunks[:i]]),
            name=join_wrapped([c.text for c in chunks[i:j]]),
            departments=split_departments(join_wrapped([c.text for c in chunks[j:k]])),
            duties=chunks[k:],
        )

    def _unknown_departments(self, text: str) -> float:
        if self.is_department is None:
            return 0.0
        return sum(_UNKNOWN_DEPARTMENT for name in split_departments(text) if not self.is_department(name))

    def _category_cost(self, cells: list[_Chunk]) -> float:
        text = join_wrapped([c.text for c in cells])
        cost = 0.0 if text in self.known else _UNKNOWN_CATEGORY
        return cost + _wrap_cost(cells) + (5.0 if len(text) > 12 else 0.0)

    def _dept_costs(self, chunks: list[_Chunk], j: int) -> dict[int, float]:
        """Cost of a department cell chunks[j:k] for every k that leaves duties after it.

        Only cells that read as department names are kept: anything else cannot be the cell.
        """
        costs: dict[int, float] = {}
        text = ""
        for k in range(j + 1, min(j + _MAX_DEPT_LINES, len(chunks) - 1) + 1):
            text += chunks[k - 1].text
            if not _ENDS_LIKE_DEPARTMENT.search(text) or not looks_like_departments(text):
                continue
            cost = _wrap_cost(chunks[j:k]) + _boundary_cost(chunks, k) + self._unknown_departments(text)
            if not is_marker(chunks[k].text):
                cost += _DUTY_STARTS_WITH_TEXT
            costs[k] = cost
        return costs

    # -- departments' duties | township's duties ----------------------------------------------

    def _split_duties(self, duties: list[_Chunk]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        texts = [c.text for c in duties]
        blanks = [c.after_blank for c in duties]
        best: tuple[float, int] | None = None
        for cut in range(1, len(duties)):
            previous = duties[cut - 1].text
            opens = is_marker(duties[cut].text) or ends_paragraph(previous, self.upper_width) or ends_sentence(previous)
            cost = 0.0 if opens else _SPLIT_INSIDE_PARAGRAPH
            cost += 0.0 if duties[cut].after_blank else _NO_BLANK_BEFORE_COLUMN
            cost += sum(
                _TOO_WIDE_FOR_TOWNSHIP
                for c in duties[cut:]
                if self.township_width and c.width > self.township_width + FULL_LINE_TOLERANCE / 2
            )
            upper = split_paragraphs(texts[:cut], self.upper_width, blanks[:cut])
            township = split_paragraphs(texts[cut:], self.township_width, blanks[cut:])
            cost += numbering_cost(upper) + numbering_cost(township)
            if best is None or cost < best[0]:
                best = (cost, cut)
        assert best is not None
        cut = best[1]
        return (
            split_paragraphs(texts[:cut], self.upper_width, blanks[:cut]),
            split_paragraphs(texts[cut:], self.township_width, blanks[cut:]),
        )


def _wrap_cost(cells: Sequence[_Chunk]) -> float:
    """Lines of one cell wrap at one width: all but the last are equally full."""
    if len(cells) < 2:
        return 0.0
    if any(a.line == b.line for a, b in zip(cells, cells[1:])):
        return _same_line_cost(cells)
    full = max(c.width for c in cells[:-1])
    inner_blanks = sum(_BLANK_INSIDE_CELL for c in cells[1:] if c.after_blank)
    cost = sum(_UNEVEN_WRAP for c in cells[:-1] if full - c.width > 1.0)
    return cost + inner_blanks + (_UNEVEN_WRAP if cells[-1].width > full + 1.0 else 0.0)


def _boundary_cost(chunks: Sequence[_Chunk], at: int) -> float:
    """Cells usually end at a blank line or where a printed line changes column."""
    if at >= len(chunks) or chunks[at].after_blank or chunks[at].line == chunks[at - 1].line:
        return 0.0
    return _NO_BLANK_BETWEEN_CELLS


def _same_line_cost(cells: Sequence[_Chunk]) -> float:
    """Pieces of one printed line sit in different columns, so one cell may not hold two."""
    return sum(_SAME_PRINTED_LINE for a, b in zip(cells, cells[1:]) if a.line == b.line)


def _wrapped_lines(lines: Sequence[_Chunk]) -> list[_Chunk]:
    """Lines that the next line continues: they were cut where the column ended."""
    return [
        a for a, b in zip(lines, lines[1:]) if not is_marker(b.text) and not ends_sentence(a.text)
    ]


def estimate_column_widths(widths: Sequence[float]) -> tuple[float | None, float | None]:
    """Widths of the departments' and the township's duty columns, from how lines wrap.

    Full lines pile up just under each column's width; the widest pile is the departments'
    column and the largest pile well below it is the township's. With too few lines to
    show a pile, the width stays unknown and only numbering and sentence ends are used.
    """
    counts = Counter(round(w) for w in widths)
    piles = sorted((w for w in counts if counts[w] + counts.get(w - 1, 0) >= max(3, len(widths) * 0.03)), reverse=True)
    if not piles:
        return None, None
    upper = piles[0]
    lower = [w for w in piles if w <= upper - 4]
    if not lower:
        return float(upper), None
    township = max(lower, key=lambda w: (counts[w] + counts.get(w - 1, 0), w))
    return float(upper), float(township)
