"""The reply letter (回复函) printed: DOCX (python-docx) and PDF (reportlab).

The PDF uses reportlab's built-in CID font STSong-Light: every PDF reader supplies the glyphs, so
nothing is downloaded or embedded. Both put a red rule under the title, as official letters do.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph

from lvzhi.domain.replyletter import Letter, Part, chinese_date

BODY_FONT = "仿宋"
TITLE_FONT = "宋体"
HEADING_FONT = "黑体"
PDF_FONT = "STSong-Light"
RED = "C00000"


# ---- DOCX ----


def letter_docx(letter: Letter) -> bytes:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.8)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = BODY_FONT, Pt(14)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), BODY_FONT)

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title, letter.title, TITLE_FONT, 20, bold=True)
    _red_rule(title)
    _run(document.add_paragraph(), f"{letter.addressee}：", BODY_FONT, 14)
    for paragraph in letter.paragraphs:
        _docx_paragraph(document.add_paragraph(), paragraph.part, paragraph.text)
    for line in (letter.signer, chinese_date(letter.dated), f"审查人：{letter.reviewer}"):
        closing = document.add_paragraph()
        closing.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _run(closing, line, BODY_FONT, 14)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _docx_paragraph(paragraph: DocxParagraph, part: Part, text: str) -> None:
    form = paragraph.paragraph_format
    if part == Part.HEADING:
        _run(paragraph, text, HEADING_FONT, 14)
        form.first_line_indent = Pt(28)
    elif part == Part.QUOTE:
        _run(paragraph, text, "楷体", 12)
        form.left_indent = Pt(28)
    elif part == Part.NOTE:
        _run(paragraph, text, BODY_FONT, 12)
        form.left_indent = Pt(28)
    else:
        _run(paragraph, text, BODY_FONT, 14)
        form.first_line_indent = Pt(28)


def _run(paragraph: DocxParagraph, text: str, font: str, size: int, bold: bool = False) -> None:
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.name = font
    run.font.size = Pt(size)
    run.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)


def _red_rule(paragraph: DocxParagraph) -> None:
    """A red bottom border under the paragraph (the title)."""
    properties = paragraph._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "18"), ("space", "6"), ("color", RED)):
        bottom.set(qn(f"w:{key}"), value)
    border.append(bottom)
    properties.append(border)
    paragraph.runs[0].font.color.rgb = RGBColor.from_string(RED)


# ---- PDF ----


def letter_pdf(letter: Letter) -> bytes:
    from reportlab.lib.colors import HexColor
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import HRFlowable, Paragraph, SimpleDocTemplate, Spacer

    styles = _pdf_styles()
    story = [
        Paragraph(escape(letter.title), styles["title"]),
        HRFlowable(width="100%", thickness=2, color=HexColor(f"#{RED}"), spaceAfter=14),
        Paragraph(escape(f"{letter.addressee}："), styles["plain"]),
    ]
    story += [Paragraph(escape(p.text), styles[p.part.value]) for p in letter.paragraphs]
    story.append(Spacer(0, 18))
    for line in (letter.signer, chinese_date(letter.dated), f"审查人：{letter.reviewer}"):
        story.append(Paragraph(escape(line), styles["signature"]))
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=2.8 * cm, rightMargin=2.8 * cm, topMargin=3 * cm,
        bottomMargin=2.5 * cm, title=letter.title, author=letter.signer,
    )  # fmt: skip
    document.build(story, onFirstPage=_page_number, onLaterPages=_page_number)
    return buffer.getvalue()


def _pdf_styles() -> dict[str, object]:
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))
    base = {"fontName": PDF_FONT, "fontSize": 12, "leading": 21, "wordWrap": "CJK"}
    return {
        "title": ParagraphStyle("title", **{**base, "fontSize": 18, "leading": 26},
                                alignment=TA_CENTER, textColor=f"#{RED}", spaceAfter=6),
        "plain": ParagraphStyle("plain", **base),
        Part.BODY.value: ParagraphStyle("body", **base, firstLineIndent=24, spaceAfter=4),
        Part.HEADING.value: ParagraphStyle("heading", **base, firstLineIndent=24, spaceBefore=6),
        Part.QUOTE.value: ParagraphStyle("quote", **{**base, "fontSize": 10.5, "leading": 17},
                                         leftIndent=24, textColor="#333333"),
        Part.NOTE.value: ParagraphStyle("note", **{**base, "fontSize": 10.5, "leading": 17},
                                        leftIndent=24, textColor="#7a4b00"),
        "signature": ParagraphStyle("signature", **base, alignment=TA_RIGHT),
    }  # fmt: skip


def _page_number(canvas: object, document: object) -> None:
    from reportlab.lib.pagesizes import A4

    canvas.saveState()  # type: ignore[attr-defined]
    canvas.setFont(PDF_FONT, 9)  # type: ignore[attr-defined]
    page = canvas.getPageNumber()  # type: ignore[attr-defined]
    canvas.drawCentredString(A4[0] / 2, 28, f"— {page} —")  # type: ignore[attr-defined]
    canvas.restoreState()  # type: ignore[attr-defined]
