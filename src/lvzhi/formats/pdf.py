"""Import a duty list from the original PDF: its three tables, read page by page with pdfplumber.

The tables are told apart by their header rows; a header repeated on a later page is skipped, a
table on a page without a header continues the one before, and a row with an empty 序号 is the
rest of the row above, cut by a page break. Cells become fields: departments split on 、, duty
cells into paragraphs (a paragraph starts at "1." / "2、" steps and "一、" headings; wrapped lines
join without spaces).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import pdfplumber
from pdfplumber.utils.exceptions import PdfminerException

from lvzhi.domain.celltext import is_marker, join_wrapped, tidy
from lvzhi.domain.model import DutyList, ItemKind, ListVersion
from lvzhi.formats.errors import FormatError
from lvzhi.formats.rows import (
    CATEGORY,
    LEAD_DUTIES,
    LEADS,
    METHOD,
    NAME,
    NUMBER,
    RECEIVERS,
    TOWNSHIP_DUTIES,
    ListBuilder,
    header_key,
    item_from_cells,
)

RECEIVERS_AND_METHOD = "承接部门及工作方式"
_METHOD_LABEL = re.compile(r"^工作方式[:：]?")


@dataclass(frozen=True)
class _Layout:
    kind: ItemKind
    columns: tuple[str, ...]


_LAYOUTS = (
    _Layout(ItemKind.BASIC, (NUMBER, CATEGORY, NAME)),
    _Layout(ItemKind.COOPERATIVE, (NUMBER, CATEGORY, NAME, LEADS, LEAD_DUTIES, TOWNSHIP_DUTIES)),
    _Layout(ItemKind.RECLAIMED, (NUMBER, CATEGORY, NAME, RECEIVERS_AND_METHOD)),
    _Layout(ItemKind.RECLAIMED, (NUMBER, CATEGORY, NAME, RECEIVERS, METHOD)),
)
_LAYOUT_BY_HEADER = {layout.columns: layout for layout in _LAYOUTS}


@dataclass(frozen=True)
class PdfPlace:
    """A row of a table in the PDF: page number (from 1) and row within that page's table."""

    source: str
    page: int
    row: int

    def where(self) -> str:
        return f"第 {self.page} 页表格第 {self.row} 行"

    def error(self, column: str | None, message: str) -> FormatError:
        location = f"{self.where()} {column}" if column else self.where()
        return FormatError(self.source, location, message)


@dataclass
class _RawRow:
    """A table row as lines per column, possibly stitched together across a page break."""

    layout: _Layout
    place: PdfPlace
    lines: list[list[str]]

    def extend(self, cells: list[str]) -> None:
        for column_lines, cell in zip(self.lines, cells):
            column_lines.extend(cell.splitlines())


@dataclass
class _TableReader:
    """Feeds on table rows in reading order and keeps track of which table they belong to."""

    layout: _Layout | None = None
    rows: list[_RawRow] = field(default_factory=list)

    def feed(self, cells: list[str], place: PdfPlace) -> None:
        header = _LAYOUT_BY_HEADER.get(tuple(header_key(cell) for cell in cells))
        if header is not None:
            self.layout = header
        elif any(cell.strip() for cell in cells):
            self._feed_body(cells, place)

    def _feed_body(self, cells: list[str], place: PdfPlace) -> None:
        if self.layout is None:
            raise place.error(None, "表格前没有可识别的表头（序号、事项类别、事项名称……）")
        width = len(self.layout.columns)
        if len(cells) != width:
            title = self.layout.kind.title
            raise place.error(None, f"该行有 {len(cells)} 列，{title}表格应有 {width} 列")
        if cells[0].strip():
            self.rows.append(_RawRow(self.layout, place, [cell.splitlines() for cell in cells]))
        elif self.rows and self.rows[-1].layout is self.layout:
            self.rows[-1].extend(cells)
        else:
            raise place.error(NUMBER, "为空，且前面没有可接续的事项")


def from_pdf(
    data: bytes, *, source_name: str = "PDF", version: ListVersion | None = None
) -> DutyList:
    """Read the duty list tables; the PDF holds no version, so it comes from ``version``."""
    reader = _TableReader()
    for place, cells in _table_rows(data, source_name):
        reader.feed(cells, place)
    if not reader.rows:
        raise FormatError(source_name, "", "没有找到履职事项表格")
    builder = ListBuilder()
    for row in reader.rows:
        builder.add(item_from_cells(row.layout.kind, _fields(row), row.place), row.place)
    return builder.build(version or ListVersion(township="", source=source_name))


def _table_rows(data: bytes, source: str) -> Iterator[tuple[PdfPlace, list[str]]]:
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except PdfminerException:
        raise FormatError(source, "", "不是有效的 PDF 文件") from None
    with pdf:
        for page in pdf.pages:
            row_number = 0
            for table in page.extract_tables():
                for row in table:
                    row_number += 1
                    place = PdfPlace(source, page.page_number, row_number)
                    yield place, [cell or "" for cell in row]


def _fields(row: _RawRow) -> dict[str, str]:
    """Column name -> field text in the form ``rows.item_from_cells`` reads."""
    columns = dict(zip(row.layout.columns, row.lines))
    if RECEIVERS_AND_METHOD in columns:
        columns[RECEIVERS], columns[METHOD] = _split_receivers(
            columns.pop(RECEIVERS_AND_METHOD), row.place
        )
    fields: dict[str, str] = {}
    for column, lines in columns.items():
        if column in (LEAD_DUTIES, TOWNSHIP_DUTIES, METHOD):
            fields[column] = "\n".join(_paragraphs(lines))
        else:
            fields[column] = join_wrapped(lines)
    return fields


def _split_receivers(lines: list[str], place: PdfPlace) -> tuple[list[str], list[str]]:
    """Split "县民政局 / 工作方式：1.…" into department lines and working-method lines."""
    cleaned = [tidy(line) for line in lines]
    for index, line in enumerate(cleaned):
        if _METHOD_LABEL.match(line):
            first = _METHOD_LABEL.sub("", line, count=1)
            return cleaned[:index], ([first] if first else []) + cleaned[index + 1 :]
    raise place.error(RECEIVERS_AND_METHOD, "找不到“工作方式：”，无法分开承接部门和工作方式")


def _paragraphs(lines: list[str]) -> list[str]:
    paragraphs: list[str] = []
    for line in (tidy(line) for line in lines):
        if not line:
            continue
        # A table cell gives no line widths: only step and heading markers open paragraphs.
        if not paragraphs or is_marker(line):
            paragraphs.append(line)
        else:
            paragraphs[-1] = tidy(paragraphs[-1] + line)
    return paragraphs
