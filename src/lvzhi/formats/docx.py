"""A printable 清单 as a Word document: a title, then the three official tables (export only).

A4 landscape, 仿宋 body text, a header row repeated on every page, one paragraph per duty step.
"""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell

from lvzhi.domain.model import DutyList, ItemKind
from lvzhi.formats.rows import COLUMNS, item_cells

BODY_FONT = "仿宋"
TITLE_FONT = "黑体"
NUMERALS = ("一", "二", "三")
WIDTHS_CM: dict[str, float] = {
    "序号": 1.2, "事项类别": 2.4, "事项名称": 5.0, "对应上级部门": 3.2, "上级部门职责": 7.0,
    "乡镇（街道）配合职责": 6.4, "承接部门": 3.6, "工作方式": 12.0,
}  # fmt: skip


def to_docx(duty_list: DutyList) -> bytes:
    document = Document()
    _page_setup(document)
    _title(document, duty_list)
    for numeral, kind in zip(NUMERALS, ItemKind, strict=True):
        heading = document.add_paragraph()
        _run(heading, f"{numeral}、{kind.title}清单", TITLE_FONT, 14)
        _table(document, duty_list, kind)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _page_setup(document: DocumentType) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.8))
    style = document.styles["Normal"]
    style.font.name = BODY_FONT
    style.font.size = Pt(10.5)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), BODY_FONT)


def _title(document: DocumentType, duty_list: DutyList) -> None:
    version = duty_list.version
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title, f"{version.township}履行职责事项清单", TITLE_FONT, 18)
    facts = [f"版本：{version.label}"] if version.label else []
    if version.effective_date:
        facts.append(f"生效日期：{version.effective_date.isoformat()}")
    counts = "，".join(f"{kind.title} {n} 项" for kind, n in duty_list.counts().items())
    line = document.add_paragraph("    ".join([*facts, counts]))
    line.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _run(paragraph: object, text: str, font: str, size: int) -> None:
    run = paragraph.add_run(text)  # type: ignore[attr-defined]
    run.bold = True
    run.font.name = font
    run.font.size = Pt(size)
    run.element.rPr.rFonts.set(qn("w:eastAsia"), font)


def _table(document: DocumentType, duty_list: DutyList, kind: ItemKind) -> None:
    columns = COLUMNS[kind]
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    table.autofit = False
    for cell, column in zip(table.rows[0].cells, columns, strict=True):
        _fill(cell, column, bold=True)
    _repeat_header(table)
    for item in duty_list.items(kind):
        cells = item_cells(item)
        row = table.add_row().cells
        for cell, column in zip(row, columns, strict=True):
            _fill(cell, str(cells.get(column, "")))
    for index, column in enumerate(columns):
        for cell in table.columns[index].cells:
            cell.width = Cm(WIDTHS_CM[column])


def _fill(cell: _Cell, text: str, bold: bool = False) -> None:
    """One paragraph per line, so numbered steps stay on their own lines."""
    lines = text.split("\n") or [""]
    cell.text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)
    if bold:
        for paragraph in cell.paragraphs:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            for run in paragraph.runs:
                run.bold = True


def _repeat_header(table: Table) -> None:
    properties = table.rows[0]._tr.get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    properties.append(marker)
