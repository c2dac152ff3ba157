"""Duty lists survive export and import in every format, and bad files say where they are bad."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from lvzhi.domain.model import (
    BasicItem,
    CooperativeItem,
    DutyList,
    DutyText,
    ListVersion,
    ReclaimedItem,
)
from lvzhi.formats import (
    FORMATS,
    FormatError,
    dump,
    from_csv,
    from_json,
    from_pdf,
    from_xlsx,
    load,
    to_csv,
    to_json,
    to_xlsx,
)

VERSION = ListVersion(
    township="额敏镇", county="额敏县", label="2025", effective_date=date(2025, 3, 1),
    source="额敏镇履行职责事项清单.pdf",
)  # fmt: skip

BASIC = tuple(BasicItem(n, c, t) for n, c, t in [
    (1, "党的建设", "深入学习贯彻习近平新时代中国特色社会主义思想和习近平总书记关于新疆工作的重要讲话重要指示批示精神，完整准确全面贯彻新时代党的治疆方略，宣传和执行党的路线方针政策，执行上级党组织及本级党组织决议，加强政治建设，坚定拥护“两个确立”、坚决做到“两个维护”，开展党内集中教育"),
    (2, "党的建设", "以铸牢中华民族共同体意识为主线，加强宣传教育，引导各族群众不断增强对伟大祖国、中华民族、中华文化、中国共产党、中国特色社会主义的认同"),
    (3, "党的建设", "加强党委自身建设，履行全面从严治党主体责任，贯彻民主集中制，落实党委议事规则和重大事项请示报告制度，建立健全并执行“三重一大”事项集体决策机制，开展理论学习中心组学习"),
    (4, "党的建设", "领导本乡政权机关、群团组织和其他各类组织，抓好村以及其他隶属党组织建设，加强“五个好”党支部标准化规范化建设，整顿软弱涣散基层党组织"),
    (5, "党的建设", "落实“三会一课”、主题党日等党内组织生活制度，召开民主生活会、组织生活会，严肃党内政治生活"),
    (6, "党的建设", "按照干部管理权限，负责干部教育、培养、选拔、考核、管理和监督工作，办理干部退休手续，服务管理退休老干部，组织引导老同志发挥作用"),
    (7, "党的建设", "负责村“两委”干部及其后备力量“选育管用”工作"),
    (8, "党的建设", "加强“四个合格”党员队伍建设，负责党员发展、教育、管理、监督、服务等工作，依规稳妥处置不合格党员，做好党代表推选、日常联络服务工作"),
    (9, "党的建设", "做好人才引进、服务、管理和使用工作"),
    (10, "党的建设", "落实党建引领基层治理机制，完善社会参与制度，指导村委会的设立、撤销、调整和换届选举、村务公开、村务监督工作，加强基层政权治理能力建设，推进社会工作者队伍建设和管理"),
    (24, "经济发展", "制订本乡经济和产业发展规划、村镇建设规划，发展本地特色产业"),
    (25, "经济发展", "负责本乡统计队伍建设，开展经济普查、人口普查、农业普查、各项抽样调查工作，承担本乡经济运行数据监测、上报"),
    (103, "综合政务", "12345政务服务便民热线、人民网留言板、“互联网+督查”、中国政府网等平台转办推送事项的办理、反馈"),
])  # fmt: skip

COOP_1 = CooperativeItem(
    1, "党的建设", "推荐县级以上党代表工作", ("县委组织部",),
    DutyText(("1.下发推荐县级以上党代表通知；", "2.审批县级党代表。")),
    DutyText((
        "1.酝酿推荐，提出推荐人选名单；", "2.组织考察、征求意见、公示；", "3.研究提出初步人选名单；",
        "4.确定代表候选人预备人选；", "5.报县委组织部审批。",
    )),
)  # fmt: skip

COOP_2 = CooperativeItem(
    2, "党的建设",
    "开展乡领导班子绩效考核、班子成员年度考核工作，科级干部选拔任用、职级（职员等级）晋升、延伸考察和干部监督工作",
    ("县委组织部", "县人力资源和社会保障局", "县纪律检查委员会"),
    DutyText((
        "一、领导班子绩效考核、领导班子及领导干部年度考核工作",
        "1.制定科级领导班子和领导干部年度考核工作方案，明确考核对象、内容、程序，统筹组织实施；",
        "2.通过个别谈话、查阅资料、采集有关数据和信息、实地调研，核实考核对象有关情况，进行量化评分，形成初步考核结果；",
        "3.考核办研究确定科级领导班子及领导干部年度考核拟定等次；",
        "4.按规定程序报县委确定考核等次；",
        "5.做好考核结果的反馈和运用。",
        "二、干部选拔任用、干部职级（职员等级）晋升工作",
        "1.组织考察组制定考察工作方案；",
        "2.发布干部考察预告；",
        "3.通过个别谈话、会议推荐、民主测评，同考察对象面谈，了解考察对象有关情况；",
        "4.向考察对象党委反馈考察情况；",
        "5.考察组提出任用建议，并按照干部管理权限提交县委组织部部务会、县委常委会研究；",
        "6.县人力资源和社会保障局配合县委组织部审批管理岗八级职员及以上职员等级晋升；",
        "7.县人力资源和社会保障局审批九级职员等级晋升。",
        "三、干部监督和干部延伸考察工作",
        "1.县委组织部收到干部问题线索进行核查处理，对受理范围内的举报件按照干部管理权限，直接调查核实，或转有关部门（单位）承办；根据调查核实情况形成核查报告，对经查属实的问题，依规依纪依法进行处理；",
        "2.县纪律检查委员会对反映领导干部八小时外社会交往、生活情况、家风家教方面的问题，做好核查处理工作，问题属实的，督促干部及时纠正，并视情节轻重给予提醒、诫勉及相应组织处理，采取适当方式对典型问题进行通报曝光；",
        "3.县委组织部根据考察工作需要，组织开展干部延伸考察工作，将考察结果作为选拔任用、职级晋升、评优评先的重要参考。",
    )),
    DutyText((
        "一、绩效考核、干部选拔任用、职级（职员等级）晋升工作",
        "1.负责考核组下点之后的会议组织、民主测评、干部谈话、提出初步定等意见等工作；做好干部考察等各项准备工作；",
        "2.乡考核（考察）结束后将考核（考察）材料统一上报至考核（考察）组审核。",
        "二、干部监督和干部延伸考察工作",
        "1.乡将组织部转办的有关问题进行查核，并反馈处理情况；",
        "2.乡将日常工作中收集的涉及领导干部及其家属的不良反映和问题线索，向县委组织部或其所在单位党委报告；",
        "3.乡、村根据延伸考察工作安排，开展延伸考察，村党组织书记、村委会主任和联络员如实、客观反映干部遵守村规章制度、家风家教、党性修养等方面情况。",
    )),
)  # fmt: skip

RECLAIMED = (
    ReclaimedItem(1, "民生服务", "出具婚姻状况证明（婚姻关系证明、分居证明）", ("县民政局",),
                  DutyText(("不再开展此项工作。",))),
    ReclaimedItem(2, "民生服务", "收养登记", ("县民政局",), DutyText((
        "1.核实申请人本人婚姻状况和抚养教育被收养人的能力等；",
        "2.对收养人员、被收养人员、送养人员申请资料进行核查审定。",
    ))),
    ReclaimedItem(53, "应急管理及消防", "烟花爆竹安全监管",
                  ("县应急管理局", "县公安局", "县市场监督管理局"), DutyText((
        "1.县应急管理局负责烟花爆竹生产、经营环节的安全生产监督管理工作；",
        "2.县公安局负责烟花爆竹运输、燃放环节的安全监管和公共安全管理；",
        "3.县市场监督管理局负责烟花爆竹的质量监督。相关部门接到乡举报按照职责分工及时予以处置。",
    ))),
    ReclaimedItem(54, "应急管理及消防", "开展加油站危险化学品、设备设施安全检查", ("县应急管理局",),
                  DutyText(("取消乡开展加油站危险化学品、设备设施安全检查工作职责，由县应急管理局负责开展加油站危险化学品、设备设施安全检查。",))),
)  # fmt: skip

EMIN = DutyList(VERSION, BASIC, (COOP_1, COOP_2), RECLAIMED)


# --- round trips -------------------------------------------------------------------------------


def test_json_export_import_export_is_byte_identical() -> None:
    text = to_json(EMIN)
    again = from_json(text)
    assert again == EMIN
    assert to_json(again) == text
    assert text.endswith("}\n") and "额敏镇" in text  # readable Chinese, not \\u escapes


def test_json_document_has_the_documented_shape() -> None:
    doc = json.loads(to_json(EMIN))
    assert (doc["format"], doc["format_version"]) == ("lvzhi-duty-list", 1)
    assert doc["version"]["effective_date"] == "2025-03-01"
    assert doc["cooperative"][1]["lead_departments"] == list(COOP_2.lead_departments)
    assert doc["reclaimed"][1]["working_method"][0].startswith("1.核实申请人")


def test_csv_round_trip_keeps_every_field() -> None:
    data = to_csv(EMIN)
    assert data.startswith("\ufeff".encode())  # BOM: Excel reads UTF-8
    assert from_csv(data, version=VERSION) == EMIN


def test_csv_rows_name_their_list_and_join_departments_with_dunhao() -> None:
    rows = list(csv.DictReader(io.StringIO(to_csv(EMIN).decode("utf-8-sig"))))
    coop_2 = next(r for r in rows if r["清单"] == "配合履职事项" and r["序号"] == "2")
    assert coop_2["对应上级部门"] == "县委组织部、县人力资源和社会保障局、县纪律检查委员会"
    assert (
        coop_2["乡镇（街道）配合职责"].split("\n")[0]
        == "一、绩效考核、干部选拔任用、职级（职员等级）晋升工作"
    )


def test_xlsx_round_trip_keeps_every_field_and_the_version() -> None:
    assert from_xlsx(to_xlsx(EMIN)) == EMIN


def test_xlsx_has_the_official_sheets_and_headers() -> None:
    book = load_workbook(io.BytesIO(to_xlsx(EMIN)))
    assert book.sheetnames == ["基本履职事项", "配合履职事项", "上级收回事项", "清单信息"]
    header = [c.value for c in book["上级收回事项"][1]]
    assert header == ["序号", "事项类别", "事项名称", "承接部门", "工作方式"]
    coop = book["配合履职事项"]
    assert coop.freeze_panes == "A2" and coop["A1"].font.bold and coop["E3"].alignment.wrap_text
    assert coop["D3"].value == "县委组织部、县人力资源和社会保障局、县纪律检查委员会"


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_registry_dump_then_load_gives_the_same_list(fmt: str) -> None:
    version = VERSION if fmt == "csv" else None
    assert load(dump(EMIN, fmt), fmt, source_name=f"emin.{fmt}", version=version) == EMIN


def test_text_that_looks_like_a_formula_stays_text_in_xlsx() -> None:
    odd = DutyList(VERSION, (BasicItem(1, "=SUM(A1:A2)", "+86 热线"),))
    assert from_xlsx(to_xlsx(odd)) == odd


_TEXT = st.text(st.sampled_from("额敏乡镇县局（）“”，。；：-=+,\"' ab12"), min_size=1, max_size=12)
_NAME = _TEXT.filter(lambda s: s.strip() != "")
_PART = _NAME.filter(lambda s: "、" not in s)
_DUTY = st.lists(_NAME, max_size=3).map(lambda ps: DutyText(tuple(ps)))
_COOPS = st.builds(CooperativeItem, st.integers(1, 5), _NAME, _NAME,
                   st.lists(_PART, max_size=3).map(tuple), _DUTY, _DUTY)  # fmt: skip
_LISTS = st.builds(
    DutyList, st.just(VERSION), st.just(BASIC[:1]),
    st.lists(_COOPS, max_size=4, unique_by=lambda i: i.number).map(tuple),
)  # fmt: skip


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_LISTS)
def test_any_list_survives_every_format(duty_list: DutyList) -> None:
    assert from_json(to_json(duty_list)) == duty_list
    assert from_csv(to_csv(duty_list), version=VERSION) == duty_list
    assert from_xlsx(to_xlsx(duty_list)) == duty_list


# --- bad input says where ----------------------------------------------------------------------


def _error(call: Callable[..., object], *args: object, **kwargs: object) -> FormatError:
    with pytest.raises(FormatError) as caught:
        call(*args, **kwargs)
    return caught.value


def test_malformed_json_names_line_and_column() -> None:
    err = _error(from_json, '{"format": "lvzhi-duty-list",\n  "basic": [}', source_name="x.json")
    assert (err.source, err.location) == ("x.json", "第 2 行第 13 列")
    assert str(err).startswith("x.json，第 2 行第 13 列：JSON 语法错误")


def test_ill_typed_json_field_names_its_path() -> None:
    doc = json.loads(to_json(EMIN))
    doc["cooperative"][1]["lead_departments"] = "县委组织部"
    err = _error(from_json, json.dumps(doc))
    assert err.location == "cooperative[1].lead_departments"
    assert "cooperative[1].lead_departments：应为字符串列表" in str(err)


@pytest.mark.parametrize(
    ("change", "location", "message"),
    [
        (lambda d: d["reclaimed"][3].pop("name"), "reclaimed[3].name", "缺少该字段"),
        (lambda d: d["basic"][0].update(number="1"), "basic[0].number", "应为正整数"),
        (lambda d: d["basic"][2].update(name=" "), "basic[2].name", "不能为空"),
        (lambda d: d["basic"][2].update(number=1), "basic[2].number", "重复"),
        (lambda d: d["version"].update(effective_date="3月1日"), "version.effective_date", "日期"),
        (lambda d: d.update(format="other"), "format", "不是本系统导出"),
        (lambda d: d["basic"][0].update(nmae="x"), "basic[0].nmae", "未知字段"),
    ],
)
def test_bad_json_fields_are_named(
    change: Callable[[dict], object], location: str, message: str
) -> None:
    doc = json.loads(to_json(EMIN))
    change(doc)
    err = _error(from_json, json.dumps(doc, ensure_ascii=False))
    assert err.location == location and message in err.message


def _csv_with(edit: Callable[[list[list[str]]], object]) -> bytes:
    rows = list(csv.reader(io.StringIO(to_csv(EMIN).decode("utf-8-sig"))))
    edit(rows)
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def test_csv_missing_column_says_which() -> None:
    data = _csv_with(lambda rows: [row.pop(3) for row in rows])  # 事项名称
    err = _error(from_csv, data, source_name="emin.csv")
    assert err.location == "第 1 行" and "缺少列：事项名称" in err.message


def test_csv_empty_name_names_list_row_and_column() -> None:
    data = _csv_with(lambda rows: rows[15].__setitem__(3, ""))  # row 16 = 配合履职事项 2
    err = _error(from_csv, data, source_name="emin.csv")
    assert str(err) == "emin.csv，配合履职事项 第 16 行 事项名称：为空"


def test_csv_unknown_list_and_stray_cells_are_refused() -> None:
    err = _error(from_csv, _csv_with(lambda rows: rows[1].__setitem__(0, "基本")))
    assert err.location == "第 2 行 清单"
    err = _error(from_csv, _csv_with(lambda rows: rows[1].__setitem__(4, "县委组织部")))
    assert err.location == "基本履职事项 第 2 行 对应上级部门"


def _xlsx_with(edit: Callable[[Workbook], object]) -> bytes:
    book = load_workbook(io.BytesIO(to_xlsx(EMIN)))
    edit(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_non_numeric_number_names_sheet_row_and_column() -> None:
    data = _xlsx_with(lambda b: b["配合履职事项"]["A3"].__setattr__("value", "二"))
    err = _error(from_xlsx, data, source_name="emin.xlsx")
    assert str(err) == "emin.xlsx，配合履职事项 第 3 行 序号：“二”不是正整数"


def test_xlsx_missing_column_and_sheet_are_named() -> None:
    err = _error(from_xlsx, _xlsx_with(lambda b: b["配合履职事项"].delete_cols(4)))
    assert err.location == "配合履职事项 第 1 行" and "缺少列：对应上级部门" in err.message
    err = _error(from_xlsx, _xlsx_with(lambda b: b.remove(b["上级收回事项"])))
    assert "缺少工作表“上级收回事项”" in err.message


def test_xlsx_duplicate_number_points_at_both_rows() -> None:
    data = _xlsx_with(lambda b: b["基本履职事项"]["A3"].__setattr__("value", 1))
    err = _error(from_xlsx, data)
    assert err.location == "基本履职事项 第 3 行 序号" and "第 2 行已用" in err.message


def test_not_a_workbook_is_a_format_error() -> None:
    assert "不是有效的 Excel" in _error(from_xlsx, b"PK\x03\x04 broken").message
    assert "不支持的格式" in _error(load, b"{}", "docx", source_name="a.docx").message


# --- PDF import --------------------------------------------------------------------------------
# The PDF is drawn here with reportlab's built-in STSong-Light CID font (no font file, no network);
# pdfplumber reads its text back through the Adobe-GB1 maps that pdfminer ships.

_PDF_HEADERS = {
    "basic": ["序号", "事项类别", "事项名称"],
    "coop": [
        "序号",
        "事项类别",
        "事项名称",
        "对应上级部门",
        "上级部门职责",
        "乡镇（街道）配合职责",
    ],
    "combined": ["序号", "事项类别", "事项名称", "承接部门及工作方式"],
    "split": ["序号", "事项类别", "事项名称", "承接部门", "工作方式"],
}
_PDF_WIDTHS = {"basic": [28, 60, 427], "coop": [26, 40, 70, 60, 170, 149],
               "combined": [28, 60, 150, 277], "split": [28, 60, 150, 90, 187]}  # fmt: skip


def _pdf_table(layout: str, rows: list[list[str]]) -> object:
    from xml.sax.saxutils import escape

    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("cell", fontName="STSong-Light", fontSize=9, leading=12, wordWrap="CJK")
    cells = [[Paragraph(escape(c).replace("\n", "<br/>"), style) for c in row]
             for row in [_PDF_HEADERS[layout], *rows]]  # fmt: skip
    table = Table(cells, colWidths=_PDF_WIDTHS[layout], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))  # fmt: skip
    return table


def _coop_cells(item: CooperativeItem) -> list[str]:
    return [str(item.number), item.category, item.name, "、".join(item.lead_departments),
            item.department_duties.text, item.township_duties.text]  # fmt: skip


def _reclaimed_cells(item: ReclaimedItem, layout: str) -> list[str]:
    head = [str(item.number), item.category, item.name, "、".join(item.receiving_departments)]
    if layout == "split":
        return [*head, item.working_method.text]
    method = list(item.working_method.paragraphs)
    label = "工作方式：" if method[0][0].isdigit() else "工作方式：" + method.pop(0)
    return [*head[:3], "\n".join([head[3], label, *method])]


def _emin_pdf(reclaimed_layout: str) -> bytes:
    """EMIN as the official PDF lays it out; 配合 2 is cut mid-sentence by a page break."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import PageBreak, SimpleDocTemplate, Spacer

    first, rest = _coop_cells(COOP_2), ["", "", "", "", "", ""]
    duties, township = COOP_2.department_duties.paragraphs, COOP_2.township_duties.paragraphs
    cut = duties[11].index("提交")
    first[4] = "\n".join([*duties[:11], duties[11][:cut]]).replace("方案，", "方案 ，")
    rest[4] = "\n".join([duties[11][cut:], *duties[12:]])
    first[5], rest[5] = "\n".join(township[:3]), "\n".join(township[3:])
    story = [
        _pdf_table("basic", [[str(i.number), i.category, i.name] for i in BASIC]), Spacer(0, 20),
        _pdf_table("coop", [_coop_cells(COOP_1), first]), PageBreak(),
        _pdf_table("coop", [rest]), Spacer(0, 20),
        _pdf_table(reclaimed_layout, [_reclaimed_cells(i, reclaimed_layout) for i in RECLAIMED]),
    ]  # fmt: skip
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4).build(story)
    return out.getvalue()


def _page_tables(data: bytes) -> list[list[list[list[str | None]]]]:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_tables() for page in pdf.pages]


@pytest.mark.parametrize("reclaimed_layout", ["combined", "split"])
def test_pdf_import_reads_back_the_list_it_was_drawn_from(reclaimed_layout: str) -> None:
    data = _emin_pdf(reclaimed_layout)
    pages = _page_tables(data)
    headers = [
        t[0][0] for tables in pages for t in tables if (t[0][0] or "").replace("\n", "") == "序号"
    ]
    assert len(pages) >= 3 and len(headers) >= 5  # three tables, repeated on later pages
    assert from_pdf(data, version=VERSION) == EMIN


def test_pdf_without_version_takes_the_file_name_as_source() -> None:
    got = load(_emin_pdf("combined"), "pdf", source_name="emin.pdf")
    assert got.version == ListVersion(township="", source="emin.pdf")
    assert got.item("coop:2") == COOP_2


def _small_pdf(layout: str, rows: list[list[str]]) -> bytes:
    from reportlab.platypus import SimpleDocTemplate

    out = io.BytesIO()
    SimpleDocTemplate(out).build([_pdf_table(layout, rows)])
    return out.getvalue()


def test_pdf_errors_name_page_and_row() -> None:
    bad_number = _small_pdf(
        "basic", [["1", "党的建设", "推动党组织联建共建"], ["二", "党的建设", "x"]]
    )
    err = _error(from_pdf, bad_number, source_name="emin.pdf")
    assert str(err) == "emin.pdf，第 1 页表格第 3 行 序号：“二”不是正整数"
    continued_nothing = _small_pdf("basic", [["", "党的建设", "推动党组织联建共建"]])
    assert _error(from_pdf, continued_nothing).location == "第 1 页表格第 2 行 序号"
    assert "不是有效的 PDF" in _error(from_pdf, b"not a pdf").message
