"""CSV and XLSX, both ways, with the official column headers.

XLSX: one sheet per list (基本履职事项 / 配合履职事项 / 上级收回事项) and a sheet 清单信息 with
the version. CSV: one UTF-8 file with BOM (Excel opens it right), a first column 清单 naming the
list of each row and the union of the columns; the version is not in it, the caller gives it.
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from datetime import date
from xml.etree.ElementTree import ParseError

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.workbook.workbook import Workbook as WorkbookType
from openpyxl.worksheet.worksheet import Worksheet

from lvzhi.domain.model import KIND_TITLES, DutyList, ItemKind, ListVersion
from lvzhi.formats.cells import xlsx_cells
from lvzhi.formats.errors import FormatError
from lvzhi.formats.rows import (
    ALL_COLUMNS,
    COLUMNS,
    ListBuilder,
    RowPlace,
    cell_text,
    column_positions,
    item_cells,
    item_from_cells,
    pick,
)

LIST_COLUMN = "清单"
CSV_COLUMNS: tuple[str, ...] = (LIST_COLUMN, *ALL_COLUMNS)
INFO_SHEET = "清单信息"
INFO_FIELDS: tuple[str, ...] = ("乡镇", "县", "版本", "生效日期", "来源")
_KIND_BY_TITLE = {title: kind for kind, title in KIND_TITLES.items()}
_WIDTHS = {"序号": 6, "事项类别": 14, "事项名称": 36, "对应上级部门": 24, "上级部门职责": 60,
           "乡镇（街道）配合职责": 50, "承接部门": 24, "工作方式": 60, "字段": 10, "值": 40}  # fmt: skip


# --- CSV ---------------------------------------------------------------------------------------


def to_csv(duty_list: DutyList) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for item in duty_list.items():
        cells = item_cells(item)
        writer.writerow([item.kind.title, *(cells.get(column, "") for column in ALL_COLUMNS)])
    return out.getvalue().encode("utf-8-sig")


def from_csv(
    data: bytes, *, source_name: str = "CSV", version: ListVersion | None = None
) -> DutyList:
    """Read a CSV written by :func:`to_csv` (or by Excel from it; GB18030 is accepted too)."""
    rows = _csv_rows(_decode(data, source_name), source_name)
    if not rows:
        raise FormatError(source_name, "", "文件是空的，没有表头")
    positions = column_positions(rows[0], CSV_COLUMNS, RowPlace(source_name, "", 1))
    builder = ListBuilder()
    for number, row in enumerate(rows[1:], start=2):
        if any(cell.strip() for cell in row):
            cells = pick(row, positions)
            kind = _csv_kind(cells[LIST_COLUMN], RowPlace(source_name, "", number))
            place = RowPlace(source_name, kind.title, number)
            _check_unused(kind, cells, place)
            builder.add(item_from_cells(kind, cells, place), place)
    return builder.build(version or ListVersion(township="", source=source_name))


def _decode(data: bytes, source: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FormatError(source, "", "无法识别文件编码，请另存为“CSV UTF-8（逗号分隔）”")


def _csv_rows(text: str, source: str) -> list[list[str]]:
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise FormatError(source, "", f"CSV 格式有误（{exc}）") from None


def _csv_kind(title: str, place: RowPlace) -> ItemKind:
    kind = _KIND_BY_TITLE.get(title.strip())
    if kind is None:
        names = "、".join(KIND_TITLES.values())
        raise place.error(LIST_COLUMN, f"“{title}”不是清单名称，应为 {names} 之一")
    return kind


def _check_unused(kind: ItemKind, cells: dict[str, str], place: RowPlace) -> None:
    for column in ALL_COLUMNS:
        if column not in COLUMNS[kind] and cells[column].strip():
            raise place.error(column, f"{kind.title}没有这一列，应留空")


# --- XLSX --------------------------------------------------------------------------------------


def to_xlsx(duty_list: DutyList) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    for kind in ItemKind:
        _write_sheet(workbook.create_sheet(kind.title), COLUMNS[kind], _item_rows(duty_list, kind))
    _write_sheet(workbook.create_sheet(INFO_SHEET), ("字段", "值"), _info_rows(duty_list.version))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _item_rows(duty_list: DutyList, kind: ItemKind) -> Iterable[list[object]]:
    for item in duty_list.items(kind):
        cells = item_cells(item)
        yield [cells[column] for column in COLUMNS[kind]]


def _info_rows(version: ListVersion) -> list[list[object]]:
    values = (version.township, version.county, version.label, version.effective_date)
    return [[field, value] for field, value in zip(INFO_FIELDS, (*values, version.source))]


def _write_sheet(sheet: Worksheet, header: Sequence[str], rows: Iterable[list[object]]) -> None:
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    body = Alignment(vertical="top", wrap_text=True)
    for row in rows:
        sheet.append(xlsx_cells((None if value == "" else value for value in row), False))
        for cell in sheet[sheet.max_row]:
            cell.alignment = body
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text starting with "=" stays text, not a formula
            elif isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    for index, column in enumerate(header):
        sheet.column_dimensions[sheet.cell(1, index + 1).column_letter].width = _WIDTHS[column]
    sheet.freeze_panes = "A2"


def from_xlsx(data: bytes, *, source_name: str = "XLSX") -> DutyList:
    workbook = _open_workbook(data, source_name)
    try:
        builder = ListBuilder()
        for kind in ItemKind:
            rows = _sheet_rows(workbook, kind.title, source_name)
            for place, cells in _sheet_cells(rows, COLUMNS[kind], source_name, kind.title):
                builder.add(item_from_cells(kind, cells, place), place)
        info = _sheet_rows(workbook, INFO_SHEET, source_name)
        return builder.build(_read_version(info, source_name))
    finally:
        workbook.close()


BROKEN_XLSX = (zipfile.BadZipFile, zlib.error, ParseError, KeyError, OSError, ValueError, EOFError)
"""What openpyxl raises for a damaged file; read-only workbooks parse each sheet as it is read, so
the sheets' damage shows only while iterating."""


def _open_workbook(data: bytes, source: str) -> WorkbookType:
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except BROKEN_XLSX as exc:
        raise FormatError(
            source, "", f"不是有效的 Excel（.xlsx）文件（{type(exc).__name__}）"
        ) from None


def _sheet_rows(workbook: WorkbookType, title: str, source: str) -> list[list[str]]:
    if title not in workbook.sheetnames:
        raise FormatError(source, "", f"缺少工作表“{title}”")
    sheet = workbook[title]
    try:
        return [[cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    except BROKEN_XLSX as exc:
        raise FormatError(source, title, f"工作表已损坏，无法读取（{type(exc).__name__}）") from None


def _sheet_cells(
    rows: list[list[str]], columns: tuple[str, ...], source: str, sheet: str
) -> Iterable[tuple[RowPlace, dict[str, str]]]:
    if not rows:
        raise FormatError(source, sheet, "工作表是空的，没有表头")
    positions = column_positions(rows[0], columns, RowPlace(source, sheet, 1))
    for number, row in enumerate(rows[1:], start=2):
        if any(cell.strip() for cell in row):
            yield RowPlace(source, sheet, number), pick(row, positions)


def _read_version(rows: list[list[str]], source: str) -> ListVersion:
    values: dict[str, str] = {}
    for row in rows[1:]:
        if row and row[0].strip() in INFO_FIELDS:
            values[row[0].strip()] = row[1] if len(row) > 1 else ""
    missing = [name for name in INFO_FIELDS if name not in values]
    if missing:
        raise FormatError(source, INFO_SHEET, f"缺少字段：{'、'.join(missing)}")
    return ListVersion(
        township=values["乡镇"],
        county=values["县"],
        label=values["版本"],
        effective_date=_read_date(values["生效日期"], source),
        source=values["来源"],
    )


def _read_date(text: str, source: str) -> date | None:
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise FormatError(
            source, f"{INFO_SHEET} 生效日期", f"“{text}”不是日期（应如 2025-01-01）"
        ) from None
