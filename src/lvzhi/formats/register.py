"""The review register (职责准入审查台账) as an XLSX workbook: one row per task on the first sheet,
one row per demand on the second (what the engine said, what stands, the items, any override)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC, date, datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from lvzhi.domain.admission import Decision
from lvzhi.domain.reviewflow import OUTCOME_TITLES
from lvzhi.domain.reviewrecord import ReviewRecord
from lvzhi.formats.cells import xlsx_cells

TASK_SHEET = "准入审查台账"
DEMAND_SHEET = "逐条审查明细"
TASK_COLUMNS = (
    ("编号", 7), ("收文日期", 12), ("发文部门", 20), ("发文单位（原文）", 18), ("任务内容", 50),
    ("要求完成时间", 13), ("要求条数", 9), ("接收", 7), ("部分接收", 9), ("退回", 7), ("报请准入", 9),
    ("系统建议", 11), ("审查结论", 11), ("审查人", 10), ("审查日期", 12), ("状态", 9),
    ("县级审批结果", 13), ("依据清单版本", 26), ("备注", 30),
)  # fmt: skip
DEMAND_COLUMNS = (
    ("编号", 7), ("序号", 6), ("要求", 50), ("系统判断", 26), ("现结论", 26), ("依据事项", 16),
    ("理由", 60), ("提示", 50), ("改判记录", 40),
)  # fmt: skip
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def register_xlsx(records: Sequence[ReviewRecord]) -> bytes:
    workbook = Workbook()
    tasks = workbook.active
    tasks.title = TASK_SHEET
    _header(tasks, TASK_COLUMNS)
    for record in records:
        tasks.append(xlsx_cells(task_row(record)))
    demands = workbook.create_sheet(DEMAND_SHEET)
    _header(demands, DEMAND_COLUMNS)
    for record in records:
        for row in demand_rows(record):
            demands.append(xlsx_cells(row))
    for sheet in (tasks, demands):
        sheet.auto_filter.ref = sheet.dimensions
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def task_row(record: ReviewRecord) -> list[object]:
    counts = {d: sum(1 for x in record.demands if x.decision == d) for d in Decision}
    ref = record.list_version
    return [
        record.id,
        record.received,
        record.department,
        record.sender,
        record.text,
        record.deadline,
        len(record.demands),
        *(counts[d] for d in Decision),
        OUTCOME_TITLES[record.suggested],
        OUTCOME_TITLES[record.decision] if record.decision else "",
        record.decided_by or "",
        _day(record.decided_at),
        record.state.title,
        _county(record),
        f"{ref.township} 第 {ref.number} 版" + (f"（{ref.label}）" if ref.label else ""),
        record.comments,
    ]


def demand_rows(record: ReviewRecord) -> list[list[object]]:
    return [
        [
            record.id,
            d.number,
            d.text,
            d.suggested.title,
            d.decision.title,
            "、".join(d.items),
            d.reason,
            "\n".join(f.message for f in d.flags),
            "\n".join(
                f"{o.by}：{o.before.title} → {o.after.title}（{o.reason}）" for o in d.overrides
            ),
        ]
        for d in record.demands
    ]


def _county(record: ReviewRecord) -> str:
    if record.county is not None:
        return record.county.outcome.title
    return "待县级审批" if record.decision == Decision.NEEDS_APPROVAL else ""


def _day(moment: datetime | None) -> date | None:
    return moment.astimezone(UTC).date() if moment else None


def _header(sheet: Worksheet, columns: Sequence[tuple[str, int]]) -> None:
    sheet.append([name for name, _ in columns])
    for index, (_, width) in enumerate(columns, 1):
        cell = sheet.cell(row=1, column=index)
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[cell.column_letter].width = width
    sheet.freeze_panes = "A2"
