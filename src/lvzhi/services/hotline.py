"""Reading a hotline export (CSV or XLSX): which column holds what, and each row as values.

The column mapping is data: the defaults below are the usual 12345 headers, a YAML/JSON file or
command options name others.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import yaml

from lvzhi.domain.model import DomainError

FIELD_TITLES = {
    "source_id": "来源工单编号", "received_at": "来电（受理）时间", "content": "诉求内容",
    "address": "地址", "reporter_name": "联系人", "reporter_phone": "电话", "village": "村（社区）",
    "deadline": "办理时限", "source": "来源",
}  # fmt: skip
REQUIRED = ("source_id", "received_at", "content")


class HotlineFileError(DomainError):
    """The file as a whole cannot be imported (unreadable, a required column missing)."""


@dataclass(frozen=True)
class ColumnMapping:
    """Field -> the column header that holds it; an empty header means the file has no such column."""

    source_id: str = "工单编号"
    received_at: str = "来电时间"
    content: str = "诉求内容"
    address: str = "地址"
    reporter_name: str = "联系人"
    reporter_phone: str = "电话"
    village: str = "所属村"
    deadline: str = "办理时限"
    source: str = "来源"

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], where: str = "列映射") -> ColumnMapping:
        """From ``{field: header}`` (or ``{"columns": {...}}``); unknown fields are refused."""
        columns = data.get("columns", data) if isinstance(data, Mapping) else None
        if not isinstance(columns, Mapping):
            raise HotlineFileError(f"{where}应是“字段: 列名”的映射，如 content: 诉求内容")
        known = {f.name for f in fields(cls)}
        unknown = [str(k) for k in columns if k not in known]
        if unknown:
            raise HotlineFileError(
                f"{where}中有未知字段：{'、'.join(unknown)}（可用：{'、'.join(sorted(known))}）"
            )
        return replace(cls(), **{str(k): str(v or "") for k, v in columns.items()})

    @classmethod
    def load(cls, path: Path) -> ColumnMapping:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise HotlineFileError(f"无法读取列映射文件 {path}：{exc.strerror}") from None
        try:
            data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
        except (ValueError, yaml.YAMLError) as exc:
            raise HotlineFileError(f"列映射文件 {path} 格式有误：{exc}") from None
        return cls.from_mapping(data or {}, f"列映射文件 {path.name} ")

    def with_columns(self, overrides: Mapping[str, str | None]) -> ColumnMapping:
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})


def _header(text: Any) -> str:
    return "".join(unicodedata.normalize("NFKC", str(text or "")).split())


@dataclass(frozen=True)
class SheetRow:
    line: int  # the line (CSV) or row (XLSX) people see in the file
    values: dict[str, Any]  # field -> cell value


def read_rows(data: bytes, file_name: str, mapping: ColumnMapping) -> Iterator[SheetRow]:
    """The file's data rows as fields; a missing required column refuses the whole file."""
    fmt = file_name.rpartition(".")[2].lower()
    if fmt == "csv":
        table = _csv_rows(data, file_name)
    elif fmt in ("xlsx", "xlsm"):
        table = _xlsx_rows(data, file_name)
    else:
        raise HotlineFileError(f"{file_name}：不支持的文件类型 .{fmt}，请导出为 CSV 或 XLSX")
    header_line, header = next(table, (0, []))
    columns = {_header(h): n for n, h in enumerate(header) if _header(h)}
    wanted = {f.name: _header(getattr(mapping, f.name)) for f in fields(mapping)}
    missing = [
        f"{wanted[f] or '（未指定）'}（{FIELD_TITLES[f]}）"
        for f in REQUIRED
        if wanted[f] not in columns
    ]
    if missing:
        have = "、".join(columns) or "（无）"
        raise HotlineFileError(
            f"{file_name} 第 {header_line or 1} 行的表头缺少必需的列：{'、'.join(missing)}；"
            f"文件中的列：{have}。请用列映射指定对应的列名"
        )
    where = {name: columns[head] for name, head in wanted.items() if head in columns}
    for line, cells in table:
        if not any(str(c or "").strip() for c in cells):
            continue
        yield SheetRow(
            line, {name: cells[n] if n < len(cells) else None for name, n in where.items()}
        )


def _csv_rows(data: bytes, file_name: str) -> Iterator[tuple[int, list[Any]]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise HotlineFileError(f"{file_name}：无法识别文件编码，请另存为 UTF-8 的 CSV")
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    try:
        for cells in reader:
            yield start, cells
            start = reader.line_num + 1
    except csv.Error as exc:
        raise HotlineFileError(
            f"{file_name} 第 {reader.line_num} 行：CSV 格式有误（{exc}）"
        ) from None


def _xlsx_rows(data: bytes, file_name: str) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise HotlineFileError(f"{file_name}：不是有效的 XLSX 文件") from None
    try:
        sheet = book.worksheets[0]
        for number, cells in enumerate(sheet.iter_rows(values_only=True), 1):
            if number == 1 or any(c not in (None, "") for c in cells):
                yield number, list(cells)
    finally:
        book.close()


TIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M", "%Y年%m月%d日 %H:%M:%S", "%Y年%m月%d日 %H:%M", "%Y年%m月%d日%H时%M分",
    "%Y年%m月%d日 %H时%M分", "%Y%m%d%H%M%S", "%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日", "%Y.%m.%d %H:%M",
    "%Y.%m.%d",
)  # fmt: skip
WORKING_DAYS = re.compile(r"^(\d{1,3})\s*(?:个)?(?:工作日|天)?$")


def parse_time(value: Any) -> datetime | None:
    """A cell as a time: a spreadsheet date, or text in the usual Chinese forms; ``None`` if not."""
    if isinstance(value, datetime):
        return value.replace(microsecond=0)
    if isinstance(value, date):
        return datetime.combine(value, time())
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    text = re.sub(r"\.\d+$", "", text.replace("Z", "").rsplit("+", 1)[0])
    for fmt in TIME_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def parse_deadline(value: Any) -> datetime | int | None:
    """A deadline cell: a time, or a number of working days (``5``, ``5个工作日``)."""
    if value is None or str(value).strip() == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value < 1000:
        return int(value)
    found = WORKING_DAYS.match(unicodedata.normalize("NFKC", str(value)).strip())
    if found:
        return int(found.group(1))
    return parse_time(value)


def cell_text(value: Any) -> str:
    """A cell as text: numbers without a trailing ``.0`` (phone numbers, order numbers)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
