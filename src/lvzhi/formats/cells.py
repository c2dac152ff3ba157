"""How multi-valued fields sit in one spreadsheet cell, shared by the tabular formats.

Departments are joined with 、; paragraphs of a duty text with newlines. ``split_*`` undo
``join_*`` exactly for any list whose parts are non-empty and contain no separator.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lvzhi.domain.model import DutyText

DEPARTMENT_SEPARATOR = "、"
PARAGRAPH_SEPARATOR = "\n"


def join_departments(departments: tuple[str, ...]) -> str:
    return DEPARTMENT_SEPARATOR.join(departments)


def split_departments(cell: str) -> tuple[str, ...]:
    return tuple(part for part in cell.split(DEPARTMENT_SEPARATOR) if part.strip())


def join_paragraphs(text: DutyText) -> str:
    return PARAGRAPH_SEPARATOR.join(text.paragraphs)


def split_paragraphs(cell: str) -> DutyText:
    lines = cell.replace("\r\n", "\n").replace("\r", "\n").split(PARAGRAPH_SEPARATOR)
    return DutyText(tuple(line for line in lines if line.strip()))


def parse_number(text: str) -> int | None:
    """A 序号 cell as a positive int, or ``None`` when it is not one ("14", " 14 ", "14.0" pass)."""
    value = text.strip()
    value = value.removesuffix(".0")
    if not value.isascii() or not value.isdigit() or int(value) < 1:
        return None
    return int(value)


_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xlsx_cells(row: Iterable[object], quote_formulas: bool = True) -> list[object]:
    """A row as a worksheet can hold it, whatever people typed: control characters (which
    openpyxl refuses) dropped, and a text starting with ``=`` kept as text, not run as a formula
    (quoted; the list's own XLSX marks such cells as text instead, so they read back exactly)."""
    cells: list[object] = []
    for value in row:
        if isinstance(value, str):
            value = _ILLEGAL.sub("", value)
            if quote_formulas and value.startswith("="):
                value = "'" + value
        cells.append(value)
    return cells
