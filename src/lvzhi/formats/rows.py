"""Items as rows of named cells: the columns of the official tables, and both directions.

Shared by CSV and XLSX; every complaint names sheet (or list), row and column.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from lvzhi.domain.model import (
    BasicItem,
    CooperativeItem,
    DutyList,
    Item,
    ItemKey,
    ItemKind,
    ListVersion,
    ReclaimedItem,
)
from lvzhi.formats.cells import (
    join_departments,
    join_paragraphs,
    parse_number,
    split_departments,
    split_paragraphs,
)
from lvzhi.formats.errors import FormatError

NUMBER, CATEGORY, NAME = "序号", "事项类别", "事项名称"
LEADS, LEAD_DUTIES, TOWNSHIP_DUTIES = "对应上级部门", "上级部门职责", "乡镇（街道）配合职责"
RECEIVERS, METHOD = "承接部门", "工作方式"

COLUMNS: dict[ItemKind, tuple[str, ...]] = {
    ItemKind.BASIC: (NUMBER, CATEGORY, NAME),
    ItemKind.COOPERATIVE: (NUMBER, CATEGORY, NAME, LEADS, LEAD_DUTIES, TOWNSHIP_DUTIES),
    ItemKind.RECLAIMED: (NUMBER, CATEGORY, NAME, RECEIVERS, METHOD),
}
ALL_COLUMNS: tuple[str, ...] = tuple(
    dict.fromkeys(column for columns in COLUMNS.values() for column in columns)
)


class Place(Protocol):
    """Anything that can say where a row is and blame one of its cells."""

    def where(self) -> str: ...

    def error(self, column: str | None, message: str) -> FormatError: ...


@dataclass(frozen=True)
class RowPlace:
    """Where a row sits: file, sheet (or list title), row number as a spreadsheet shows it."""

    source: str
    sheet: str
    row: int

    def where(self) -> str:
        return f"{self.sheet} 第 {self.row} 行" if self.sheet else f"第 {self.row} 行"

    def error(self, column: str | None, message: str) -> FormatError:
        parts = [self.sheet, f"第 {self.row} 行", column or ""]
        return FormatError(self.source, " ".join(part for part in parts if part), message)


def item_cells(item: Item) -> dict[str, str | int]:
    cells: dict[str, str | int] = {NUMBER: item.number, CATEGORY: item.category, NAME: item.name}
    if isinstance(item, CooperativeItem):
        cells[LEADS] = join_departments(item.lead_departments)
        cells[LEAD_DUTIES] = join_paragraphs(item.department_duties)
        cells[TOWNSHIP_DUTIES] = join_paragraphs(item.township_duties)
    elif isinstance(item, ReclaimedItem):
        cells[RECEIVERS] = join_departments(item.receiving_departments)
        cells[METHOD] = join_paragraphs(item.working_method)
    return cells


def item_from_cells(kind: ItemKind, cells: Mapping[str, str], place: Place) -> Item:
    number = parse_number(cells[NUMBER])
    if number is None:
        message = "为空" if not cells[NUMBER].strip() else f"“{cells[NUMBER]}”不是正整数"
        raise place.error(NUMBER, message)
    category, name = _required(cells, CATEGORY, place), _required(cells, NAME, place)
    if kind is ItemKind.COOPERATIVE:
        return CooperativeItem(
            number,
            category,
            name,
            lead_departments=split_departments(cells[LEADS]),
            department_duties=split_paragraphs(cells[LEAD_DUTIES]),
            township_duties=split_paragraphs(cells[TOWNSHIP_DUTIES]),
        )
    if kind is ItemKind.RECLAIMED:
        return ReclaimedItem(
            number,
            category,
            name,
            receiving_departments=split_departments(cells[RECEIVERS]),
            working_method=split_paragraphs(cells[METHOD]),
        )
    return BasicItem(number, category, name)


def _required(cells: Mapping[str, str], column: str, place: Place) -> str:
    if not cells[column].strip():
        raise place.error(column, "为空")
    return cells[column]


def cell_text(value: object) -> str:
    """A spreadsheet value as the text a person sees (14.0 -> "14", a date -> ISO)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def header_key(text: str) -> str:
    """A header cell as compared: no spaces or line breaks, full-width parentheses."""
    return re.sub(r"\s+", "", text).replace("(", "（").replace(")", "）")


def column_positions(
    header: Sequence[str], expected: tuple[str, ...], place: RowPlace
) -> dict[str, int]:
    """Where each expected column is; extra columns are allowed and ignored."""
    positions: dict[str, int] = {}
    for index, text in enumerate(header):
        key = header_key(text)
        if key in expected and key in positions:
            raise place.error(None, f"表头中“{key}”列出现了两次")
        if key in expected:
            positions[key] = index
    missing = [column for column in expected if column not in positions]
    if missing:
        raise place.error(
            None, f"表头缺少列：{'、'.join(missing)}（应有列：{'、'.join(expected)}）"
        )
    return positions


def pick(row: Sequence[str], positions: Mapping[str, int]) -> dict[str, str]:
    return {column: row[i] if i < len(row) else "" for column, i in positions.items()}


@dataclass
class ListBuilder:
    """Collects items per kind in file order and refuses a 序号 used twice in one list."""

    basic: list[BasicItem] = field(default_factory=list)
    cooperative: list[CooperativeItem] = field(default_factory=list)
    reclaimed: list[ReclaimedItem] = field(default_factory=list)
    seen: dict[ItemKey, str] = field(default_factory=dict)

    def add(self, item: Item, place: Place) -> None:
        if item.key in self.seen:
            message = f"{item.kind.title}序号 {item.number} 重复（{self.seen[item.key]}已用）"
            raise place.error(NUMBER, message)
        self.seen[item.key] = place.where()
        if isinstance(item, CooperativeItem):
            self.cooperative.append(item)
        elif isinstance(item, ReclaimedItem):
            self.reclaimed.append(item)
        else:
            self.basic.append(item)

    def build(self, version: ListVersion) -> DutyList:
        return DutyList(version, tuple(self.basic), tuple(self.cooperative), tuple(self.reclaimed))
