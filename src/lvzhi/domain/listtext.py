"""Text extracted from a duty-list PDF -> DutyList.

The extractor writes each table row cell after cell (序号 and 事项类别, 事项名称, departments,
duty columns), wraps each cell at its column width, and repeats (or truncates) the table
header on every page. Nothing here is tuned to one township's file: column widths are
measured from the text, and rows are recognised by their running number.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .celltext import (
    join_wrapped,
    looks_like_departments,
    split_departments,
    split_paragraphs,
    wrap_width,
)
from .coopcells import CoopRowParser
from .errors import ListFormatError
from .model import BasicItem, DutyList, DutyText, ItemKind, ListVersion, ReclaimedItem

_FOOTER = re.compile(r"^(第\s*\d+\s*页\s*[，,]?\s*(共\s*\d+\s*页)?|[-—]\s*\d+\s*[-—]|\d+\s*/\s*\d+)$")
_STRONG_HEADER = {"序号", "事项类别", "事项名称", "对应上级部门", "上级部门职责", "乡镇（街道）配合职责",
                  "乡镇配合职责", "配合职责", "承接部门及工作方式", "承接部门", "工作方式"}
_WEAK_HEADER = {"序", "号", "事项", "类别", "对应上级", "部门", "上级部门", "乡镇（街道）"}
_TABLE_TITLE = re.compile(r"^(附件\s*\d*\s*)?([一二三四五六七八九十]+、)?.{0,30}(事项清单|履职事项|收回事项)(（.{0,12}）)?$")
_ROW_START = re.compile(r"^(\d{1,4})(?:\s+(\S.*))?$")
_METHOD_LABEL = re.compile(r"^工作方式\s*[:：]\s*")


@dataclass(frozen=True)
class Line:
    number: int  # 1-based line in the source
    text: str


@dataclass
class ParseResult:
    duty_list: DutyList
    problems: list[ListFormatError] = field(default_factory=list)


@dataclass
class _Section:
    kind: ItemKind
    header_line: int
    lines: list[Line]


def parse_list_text(
    text: str,
    version: ListVersion | None = None,
    *,
    lenient: bool = False,
    source: str = "",
    is_department: Callable[[str], bool] | None = None,
) -> ParseResult:
    """Parse a whole list. Strict mode raises the first ListFormatError; lenient mode
    keeps every row it can read and reports the others in ``problems``."""
    version = version or ListVersion(township="")
    problems: list[ListFormatError] = []

    def report(err: ListFormatError) -> None:
        if not lenient:
            raise err
        problems.append(err)

    sections = _split_sections(_lines(text), source)
    if not sections:
        report(ListFormatError(1, "表头“序号 事项类别 事项名称”", _first_text(text), source))
    _check_all_tables(sections, text, source, report)
    found: dict[ItemKind, list] = {kind: [] for kind in ItemKind}
    for section in sections:
        rows = _rows(section, source, report)
        found[section.kind].extend((section, row) for row in rows)
    known_categories = set()
    basic = [_basic_item(row, source, report) for _, row in found[ItemKind.BASIC]]
    reclaimed_rows = [row for _, row in found[ItemKind.RECLAIMED]]
    width = wrap_width([text for row in reclaimed_rows for text in _method_lines(row)])
    reclaimed = [_reclaimed_item(row, source, report, width) for row in reclaimed_rows]
    known_categories.update(i.category for i in basic + reclaimed if i)
    coop_rows = [row for _, row in found[ItemKind.COOPERATIVE]]
    coop_parser = CoopRowParser(coop_rows, known_categories, source, is_department)
    cooperative = [coop_parser.item(i, report) for i in range(len(found[ItemKind.COOPERATIVE]))]
    duty_list = DutyList(
        version=version,
        basic=tuple(i for i in basic if i),
        cooperative=tuple(i for i in cooperative if i),
        reclaimed=tuple(i for i in reclaimed if i),
    )
    return ParseResult(duty_list, problems)


def _check_all_tables(sections: list[_Section], text: str, source: str, report) -> None:
    """A list has all three tables; one missing at the end means the file was cut short."""
    present = {s.kind for s in sections}
    last_line = max(1, len(text.splitlines()))
    for kind in ItemKind:
        if sections and kind not in present:
            report(ListFormatError(last_line, f"“{kind.title}”表", "文件结束（文件可能不完整或被截断）", source))


def _first_text(text: str) -> str:
    return next((s.strip() for s in text.splitlines() if s.strip()), "（空文件）")[:40]


def _lines(text: str) -> list[Line]:
    return [Line(i, raw.replace("\f", "").rstrip()) for i, raw in enumerate(text.splitlines(), 1)]


def _header_tokens(text: str) -> list[str] | None:
    tokens = text.split()
    if tokens and all(t in _STRONG_HEADER or t in _WEAK_HEADER for t in tokens):
        return tokens
    return None


def _header_kind(tokens: Iterable[str]) -> ItemKind | None:
    joined = "".join(tokens)
    if "承接部门" in joined or "工作方式" in joined:
        return ItemKind.RECLAIMED
    if "上级部门职责" in joined or "配合职责" in joined or "对应上级" in joined:
        return ItemKind.COOPERATIVE
    if "事项名称" in joined or "事项类别" in joined:
        return ItemKind.BASIC
    return None


def _split_sections(lines: list[Line], source: str) -> list[_Section]:
    """Cut the text into tables at their headers and drop headers, footers and titles."""
    keep = [not _FOOTER.match(line.text.strip()) for line in lines]
    header_at: dict[int, ItemKind] = {}
    idx = 0
    while idx < len(lines):
        block = _header_block(lines, idx)
        tokens = [t for j in block for t in (_header_tokens(lines[j].text) or [])]
        kind = _header_kind(tokens) if any(t in _STRONG_HEADER for t in tokens) else None
        if kind is None:
            idx += 1
            continue
        for j in block:
            keep[j] = False
        header_at[block[0]] = kind
        _drop_title_before(lines, block[0], keep)
        idx = block[-1] + 1
    sections: list[_Section] = []
    for idx, line in enumerate(lines):
        if idx in header_at:
            kind = header_at[idx]
            if not sections or sections[-1].kind != kind:
                sections.append(_Section(kind, line.number, []))
            continue
        if keep[idx] and sections:
            sections[-1].lines.append(line)
    return sections


def _header_block(lines: list[Line], idx: int) -> list[int]:
    """The run of header-fragment lines starting at ``idx`` (blank lines inside allowed)."""
    block: list[int] = []
    j = idx
    while j < len(lines):
        s = lines[j].text.strip()
        if s and not _header_tokens(s):
            break
        if s:
            block.append(j)
        elif not block:
            break
        j += 1
    return block


def _drop_title_before(lines: list[Line], idx: int, keep: list[bool]) -> None:
    seen = 0
    j = idx - 1
    while j >= 0 and seen < 3:
        s = lines[j].text.strip()
        if s:
            seen += 1
            if _TABLE_TITLE.match(s):
                keep[j] = False
        j -= 1


@dataclass
class Row:
    number: int
    first: Line  # the line with the running number
    rest: str  # what follows the number on that line
    lines: list[Line]  # the following lines, blanks included


def _rows(section: _Section, source: str, report) -> list[Row]:
    rows: list[Row] = []
    for line in section.lines:
        m = _ROW_START.match(line.text.strip())
        expected = rows[-1].number + 1 if rows else 1
        if m and expected - 1 <= int(m.group(1)) <= expected + 5 and _plausible_row(m, rows):
            number = int(m.group(1))
            if number != expected:
                report(ListFormatError(line.number, f"序号 {expected}", line.text.strip(), source))
            rows.append(Row(number, line, m.group(2) or "", []))
        elif rows:
            rows[-1].lines.append(line)
        elif line.text.strip():
            report(ListFormatError(line.number, f"{section.kind.title}第 1 行（序号 1）", line.text.strip(), source))
    if not rows:
        report(ListFormatError(section.header_line, f"{section.kind.title}的第一行", "表头后没有内容（文件可能被截断）", source))
    return rows


def _plausible_row(match: re.Match, rows: list[Row]) -> bool:
    """A bare number inside a row is a row start only when the row so far has content."""
    rest = match.group(2)
    return rest is None or not rest.startswith(("年", "月", "日", "个", "%"))


def _nonblank(lines: list[Line]) -> list[Line]:
    return [ln for ln in lines if ln.text.strip()]


def _basic_item(row: Row, source: str, report) -> BasicItem | None:
    lines = _nonblank(row.lines)
    head = row.rest.split(maxsplit=1)
    if not head and lines:
        head = lines.pop(0).text.strip().split(maxsplit=1)
    if not head:
        report(ListFormatError(row.first.number, "事项类别", "（空）", source))
        return None
    category = head[0]
    name = join_wrapped(head[1:] + [ln.text for ln in lines])
    if not name:
        report(ListFormatError(row.first.number, f"基本履职事项 {row.number} 的事项名称", "（空）", source))
        return None
    return BasicItem(row.number, category, name)


def _reclaimed_item(row: Row, source: str, report, method_width: float | None) -> ReclaimedItem | None:
    head = row.rest.split(maxsplit=1)
    method_at = next((i for i, ln in enumerate(row.lines) if _METHOD_LABEL.match(ln.text.strip())), None)
    if method_at is None:
        last = row.lines[-1] if row.lines else row.first
        report(ListFormatError(last.number, f"上级收回事项 {row.number} 的“工作方式：”", last.text.strip() or "（行尾）", source))
        return None
    before = row.lines[:method_at]
    if not head:
        lines = _nonblank(before)
        head = lines[0].text.strip().split(maxsplit=1) if lines else []
        before = before[before.index(lines[0]) + 1 :] if lines else before
    if not head:
        report(ListFormatError(row.first.number, "事项类别", "（空）", source))
        return None
    name_lines, dept_lines = _split_name_and_departments(head[1:], before)
    name, departments = join_wrapped(name_lines), join_wrapped(dept_lines)
    if not name or not departments:
        field_name = "事项名称" if not name else "承接部门"
        report(ListFormatError(row.first.number, f"上级收回事项 {row.number} 的{field_name}", "（空）", source))
        return None
    # Split with the label in place: it takes room on the first line like any text.
    method = list(split_paragraphs([ln.text for ln in row.lines[method_at:]], method_width))
    method[0] = _METHOD_LABEL.sub("", method[0])
    return ReclaimedItem(
        row.number, head[0], name, split_departments(departments), DutyText(tuple(p for p in method if p))
    )


def _method_lines(row: Row) -> list[str]:
    texts = [ln.text for ln in row.lines if ln.text.strip()]
    start = next((i for i, t in enumerate(texts) if _METHOD_LABEL.match(t.strip())), len(texts))
    return texts[start:] + [""]


def _split_name_and_departments(name_start: list[str], lines: list[Line]) -> tuple[list[str], list[str]]:
    """The department cell is the last block of lines before 工作方式 that reads as departments."""
    blocks: list[list[str]] = [[]]
    for ln in lines:
        if ln.text.strip():
            blocks[-1].append(ln.text)
        elif blocks[-1]:
            blocks.append([])
    blocks = [b for b in blocks if b]
    if not blocks:
        return name_start, []
    last = blocks[-1]
    for cut in range(len(last)):
        if looks_like_departments(join_wrapped(last[cut:])):
            body = [t for b in blocks[:-1] for t in b] + last[:cut]
            return name_start + body, last[cut:]
    return name_start + [t for b in blocks[:-1] for t in b], last
