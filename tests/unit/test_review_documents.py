"""Documents from a decided review: the reply letter as DOCX and PDF, the register as XLSX."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from docx import Document
from openpyxl import load_workbook

from lvzhi.data import default_reviewer, load_emin_list
from lvzhi.domain.admission import Decision
from lvzhi.domain.replyletter import Part, compose_letter
from lvzhi.domain.reviewflow import CountyOutcome, NotDecided, ReviewState
from lvzhi.domain.reviewrecord import CountyRecord, ListRef, NewReview, Override, ReviewRecord
from lvzhi.formats.register import DEMAND_SHEET, TASK_SHEET, register_xlsx
from lvzhi.formats.reply import letter_docx, letter_pdf

TASK = (
    "县应急管理局：请各乡：1.对辖区加油站开展危险化学品安全检查；2.在各村开展消防安全知识宣传；"
    "3.对农药经营门店开展检查并依法罚款。"
)
DECIDED = datetime(2026, 3, 3, 2, 30, tzinfo=UTC)


def _record(task: str = TASK, **changes: object) -> ReviewRecord:
    new = NewReview(default_reviewer().review(task), date(2026, 3, 2), date(2026, 3, 20), "张三")
    record = ReviewRecord(
        id=12, text=new.review.text, sender=new.review.sender,
        sender_department=new.review.sender_department, received=new.received,
        deadline=new.deadline, reviewer="张三", state=ReviewState.REVIEWED,
        suggested=new.suggested, decision=new.suggested, decided_by="李四", decided_at=DECIDED,
        comments="", county=None, list_version=ListRef("额敏县某乡", 1, "2025"),
        demands=new.demands, created_at=DECIDED,
    )  # fmt: skip
    return replace(record, **changes)


def _items(record: ReviewRecord) -> dict:
    emin = load_emin_list()
    return {key: emin.item(key) for d in record.demands for key in d.items}


@pytest.fixture(scope="module")
def record() -> ReviewRecord:
    return _record()


def test_letter_cites_each_item_by_number_and_quotes_its_text(record):
    letter = compose_letter(record, _items(record))
    assert letter.title == "关于县应急管理局交办任务的职责准入审查回复函"
    assert letter.addressee == "县应急管理局" and letter.signer == "额敏县某乡人民政府"
    text = letter.text
    assert "2026年3月2日收文，要求2026年3月20日前完成" in text
    assert "《额敏县某乡履行职责事项清单》第 1 版（2025）" in text
    assert "清单上级收回事项第 54 项“开展加油站危险化学品、设备设施安全检查”" in text
    assert "清单基本履职事项第 86 项" in text and "清单配合履职事项第 26 项" in text
    reclaimed = load_emin_list().item("reclaimed:54")
    assert reclaimed.working_method.paragraphs[0] in text
    township_part = load_emin_list().item("coop:26").township_duties.paragraphs
    assert all(p in text for p in township_part)
    assert "综上，对该任务的审查结论为：部分接收" in text and "2026年3月3日" in text
    headings = [p.text for p in letter.paragraphs if p.part == Part.HEADING]
    assert headings[0] == "一、关于“对辖区加油站开展危险化学品安全检查”" and len(headings) == 3


def test_letter_keeps_overrides_and_the_county_answer(record):
    change = Override(Decision.ACCEPT, Decision.NEEDS_APPROVAL, "王五", DECIDED, "宣传范围超出清单")
    demands = list(record.demands)
    demands[1] = replace(demands[1], decision=Decision.NEEDS_APPROVAL, overrides=(change,))
    county = CountyRecord(CountyOutcome.DENIED, "县委编办", DECIDED, "属部门职责")
    changed = replace(
        record, demands=tuple(demands), decision=Decision.NEEDS_APPROVAL, county=county
    )
    text = compose_letter(changed, _items(changed)).text
    assert "审查人王五将本条由“接收”改为“报请准入审批（清单外）”，理由：宣传范围超出清单" in text
    assert "县级职责准入审批结果：不予准入（属部门职责）" in text
    assert "不予准入，乡镇不承接" in text


def test_pending_review_has_no_letter(record):
    with pytest.raises(NotDecided, match="尚未作出审查决定，不能出具回复函"):
        compose_letter(replace(record, state=ReviewState.PENDING, decision=None), {})


def test_docx_letter_reads_back_with_title_citations_and_signature(record):
    letter = compose_letter(record, _items(record))
    document = Document(io.BytesIO(letter_docx(letter)))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == letter.title and paragraphs[1] == "县应急管理局："
    assert paragraphs[2:2 + len(letter.paragraphs)] == [p.text for p in letter.paragraphs]
    assert paragraphs[-3:] == ["额敏县某乡人民政府", "2026年3月3日", "审查人：李四"]
    assert any("清单上级收回事项第 54 项" in p for p in paragraphs)
    title_font = document.paragraphs[0].runs[0].element.rPr.rFonts
    assert title_font.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")


def test_pdf_letter_has_the_text_and_a_visible_first_page(record, tmp_path):
    import pdfplumber
    import pypdfium2

    data = letter_pdf(compose_letter(record, _items(record)))
    assert data.startswith(b"%PDF")
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        first = pdf.pages[0].extract_text().replace(" ", "")
        assert "职责准入审查回复函" in first and "县应急管理局：" in first
        assert "清单上级收回事项第54项" in first
        assert "额敏县某乡人民政府" in "".join(p.extract_text() for p in pdf.pages).replace(" ", "")
    document = pypdfium2.PdfDocument(data)
    try:
        image = document[0].render(scale=2).to_pil().convert("L")
    finally:
        document.close()
    image.save(tmp_path / "page1.png")
    dark = sum(image.histogram()[:128])
    # the red rule under the title alone darkens ~6,000 pixels: the page is not blank even where
    # no CJK font is installed for the renderer; with one, the text adds far more
    assert image.size[0] > 1000 and dark > 3000


def test_register_lists_tasks_and_demands(record):
    refused = _record("请各乡对辖区加油站的危化品和设备设施开展安全检查", id=13, decision=Decision.REFUSE,
                      sender="应急局", sender_department="县应急管理局")  # fmt: skip
    workbook = load_workbook(io.BytesIO(register_xlsx([record, refused])))
    assert workbook.sheetnames == [TASK_SHEET, DEMAND_SHEET]
    tasks = [[c.value for c in row] for row in workbook[TASK_SHEET].iter_rows()]
    header = tasks[0]
    assert header[:5] == ["编号", "收文日期", "发文部门", "发文单位（原文）", "任务内容"]
    first = dict(zip(header, tasks[1]))
    assert first["编号"] == 12 and first["收文日期"].date() == date(2026, 3, 2)
    assert (first["要求条数"], first["接收"], first["部分接收"], first["退回"]) == (3, 1, 1, 1)
    assert (first["审查结论"], first["状态"], first["审查人"]) == ("部分接收", "已审", "李四")
    assert first["依据清单版本"] == "额敏县某乡 第 1 版（2025）"
    second = dict(zip(header, tasks[2]))
    assert (second["发文单位（原文）"], second["审查结论"]) == ("应急局", "退回")
    demands = [[c.value for c in row] for row in workbook[DEMAND_SHEET].iter_rows()]
    assert len(demands) == 1 + 3 + 1
    assert demands[1][:6] == [12, 1, "对辖区加油站开展危险化学品安全检查", "退回（已收回事项）",
                              "退回（已收回事项）", "reclaimed:54"]  # fmt: skip
