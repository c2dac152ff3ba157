"""The department registry: names people use resolve to one department, and duty texts split by
department the way the list assigns them."""

from __future__ import annotations

import re
from importlib.resources import files

import pytest

from lvzhi.data import load_departments
from lvzhi.domain.departments import (
    Department,
    DepartmentKind,
    DepartmentRegistry,
    DepartmentRegistryError,
    department_parts,
)
from lvzhi.domain.model import DutyText

RENSHE = "县人力资源和社会保障局"
SHIJIAN = "县市场监督管理局"
YINGJI = "县应急管理局"
ZUZHI = "县委组织部"
JIWEI = "县纪律检查委员会"
ZHUJIAN = "县住房和城乡建设局"


@pytest.fixture(scope="module")
def registry() -> DepartmentRegistry:
    return load_departments()


# ---- resolving names ----


@pytest.mark.parametrize(
    ("said", "meant"),
    [
        ("人社局", RENSHE),
        ("县人社局", RENSHE),
        ("人社部门", RENSHE),
        ("人社", RENSHE),
        ("人力资源和社会保障局", RENSHE),
        ("市场监管局", SHIJIAN),
        ("县市场监管局", SHIJIAN),
        ("市监局", SHIJIAN),
        ("市场监管部门", SHIJIAN),
        ("应急局", YINGJI),
        ("应急管理局", YINGJI),
        ("应急部门", YINGJI),
        ("组织部", ZUZHI),
        ("纪委", JIWEI),
        ("住建局", ZHUJIAN),
        ("发改委", "县发展和改革委员会"),
        ("环保局", "塔城地区生态环境局额敏分局"),
    ],
)
def test_short_names_people_use_resolve_to_the_department(
    registry: DepartmentRegistry, said: str, meant: str
) -> None:
    department = registry.resolve(said)
    assert department is not None
    assert department.name == meant


@pytest.mark.parametrize(
    ("printed", "meant"),
    [
        ("县人力资源和\n社会保障局", RENSHE),  # a name wrapped in a table cell
        (" 县应急管理局 ", YINGJI),
        ("县发展和改革委员会：", "县发展和改革委员会"),  # as a heading prints it
        ("公安局", "县公安局"),  # the leading 县 left out
        ("水利局", "县水利局"),
        ("县应急局", YINGJI),
        ("额敏县公安局", "县公安局"),  # the county's own name written out
        ("县消防救援局", "县消防救援大队"),  # 上级收回事项 52 prints it so
    ],
)
def test_printing_differences_still_resolve(
    registry: DepartmentRegistry, printed: str, meant: str
) -> None:
    assert registry.canonical(printed) == meant


def test_full_width_letters_resolve_like_half_width() -> None:
    registry = DepartmentRegistry([Department("县ABC中心", DepartmentKind.OTHER, ("ABC",))])
    assert registry.canonical("县ＡＢＣ中心") == "县ABC中心"
    assert registry.canonical("ＡＢＣ") == "县ABC中心"


@pytest.mark.parametrize("name", ["县水务局", "水务局", "县教育局", "县生态环境局", "县委办", "县"])
def test_other_counties_bureaus_are_unknown_not_guessed(
    registry: DepartmentRegistry, name: str
) -> None:
    assert registry.resolve(name) is None


def test_unknown_lists_each_unresolved_name_once_in_order(registry: DepartmentRegistry) -> None:
    names = ["县水务局", "人社局", "县统计局", "县水务局", "县水利局"]
    assert registry.unknown(names) == ["县水务局", "县统计局"]


def test_kinds_are_recorded(registry: DepartmentRegistry) -> None:
    assert registry.resolve("组织部").kind == DepartmentKind.PARTY
    assert registry.resolve("人社局").kind == DepartmentKind.GOVERNMENT
    assert registry.resolve("残联").kind == DepartmentKind.MASS_ORGANIZATION
    assert registry.resolve("县气象局").kind == DepartmentKind.VERTICAL
    assert registry.resolve("县人民法院").kind == DepartmentKind.OTHER


# ---- building and editing the registry ----


def test_with_department_adds_one_and_leaves_the_original_alone(
    registry: DepartmentRegistry,
) -> None:
    added = registry.with_department(Department("县水务局", DepartmentKind.GOVERNMENT, ("水务局",)))
    assert added.canonical("水务局") == "县水务局"
    assert registry.resolve("水务局") is None
    assert len(added.departments()) == len(registry.departments()) + 1


def test_an_alias_claimed_by_two_departments_is_refused(registry: DepartmentRegistry) -> None:
    with pytest.raises(DepartmentRegistryError, match="人社局"):
        registry.with_department(Department("县另一个局", DepartmentKind.OTHER, ("人社局",)))


def test_from_mapping_reads_the_yaml_shape() -> None:
    registry = DepartmentRegistry.from_mapping(
        {
            "county": "额敏县",
            "departments": [
                {"name": "县民政局", "kind": "政府部门", "aliases": ["民政局"]},
                {"name": "县红十字会", "kind": "群团"},
            ],
        }
    )
    assert [d.name for d in registry.departments()] == ["县民政局", "县红十字会"]
    assert registry.resolve("额敏县民政局").kind == DepartmentKind.GOVERNMENT
    assert registry.resolve("红十字会").aliases == ()


@pytest.mark.parametrize(
    ("entries", "says"),
    [
        ([{"kind": "群团"}], "第 1 项缺少 name"),
        ([{"name": "县民政局", "kind": "部委"}], "kind“部委”无法识别"),
        ([{"name": "县民政局", "aliases": "民政局"}], "aliases 应是列表"),
        ([{"name": "县民政局"}, {"name": "县民政局"}], "登记了两次"),
    ],
)
def test_bad_registry_data_says_what_and_where(entries: list[object], says: str) -> None:
    with pytest.raises(DepartmentRegistryError, match=says):
        DepartmentRegistry.from_mapping({"departments": entries})


def test_packaged_registry_names_every_department_once(registry: DepartmentRegistry) -> None:
    names = [d.name for d in registry.departments()]
    assert len(names) == len(set(names)) >= 40
    assert registry.county == "额敏县"


# ---- cells and free text ----


def test_split_cell_rejoins_wrapped_names_and_splits_on_the_list_mark(
    registry: DepartmentRegistry,
) -> None:
    cell = "县委组织\n部、县人\n力资源和\n社会保障\n局、县纪\n律检查委\n员会"
    assert registry.split_cell(cell) == (ZUZHI, RENSHE, JIWEI)


def test_split_cell_keeps_a_mark_at_the_start_of_a_line(registry: DepartmentRegistry) -> None:
    cell = "县委政法\n委、县教\n育和科学\n技术局、\n县公安局\n、县卫生\n健康委员\n会"
    assert registry.split_cell(cell) == (
        "县委政法委",
        "县教育和科学技术局",
        "县公安局",
        "县卫生健康委员会",
    )


def test_split_cell_takes_one_department_per_line_and_commas(registry: DepartmentRegistry) -> None:
    assert registry.split_cell("县民政局\n县红十字会，县财政局, 县水利局") == (
        "县民政局",
        "县红十字会",
        "县财政局",
        "县水利局",
    )


def test_split_cell_keeps_unknown_names_as_printed(registry: DepartmentRegistry) -> None:
    assert registry.split_cell("县水务\n局、县应急管理局") == ("县水务局", YINGJI)


def test_find_in_text_reports_where_each_department_is_named(registry: DepartmentRegistry) -> None:
    text = "乡将组织部转办的有关问题进行查核，并向县人社局和市场监管局报告，抄送县应急管\n理局。"
    found = [
        (text[start:end], department.name) for start, end, department in registry.find_in_text(text)
    ]
    assert found == [
        ("组织部", ZUZHI),
        ("县人社局", RENSHE),
        ("市场监管局", SHIJIAN),
        ("县应急管\n理局", YINGJI),
    ]


def test_find_in_text_prefers_the_longest_name(registry: DepartmentRegistry) -> None:
    text = "报县委组织部审批；县住房和城乡建设局负责"
    found = [department.name for _, _, department in registry.find_in_text(text)]
    assert found == [ZUZHI, ZHUJIAN]  # not 组织部 or 住房和城乡建设局 a second time


def test_find_in_text_skips_the_generic_word_bumen(registry: DepartmentRegistry) -> None:
    assert registry.find_in_text("及时向同级党委和上级组织部门报告情况") == []


def test_find_in_text_finds_nothing_in_text_without_departments(
    registry: DepartmentRegistry,
) -> None:
    assert registry.find_in_text("落实“三会一课”、主题党日等党内组织生活制度") == []


# ---- every department the Emin list names ----

EMIN_TEXT = files("lvzhi.data").joinpath("duty_list_emin.txt").read_text(encoding="utf-8")
_NAME = (
    r"(?:塔城地区|县|国家电网)(?:(?!县)[\u4e00-\u9fff])+?"
    r"(?:局|部|委|会|办公室|中心|大队|园区|法院|研究室|巡察办|分公司)"
)
# A department cell, with line breaks removed, is a run of names joined by 、 that the duty text
# follows: a step “1.”, a heading “一、”, “工作方式” (上级收回事项) or a sentence opening with a department.
_CELL = re.compile(rf"{_NAME}(?:、{_NAME})*(?=\d+\.|[一二三四五六七八九十]、|工作方式|县|塔城地区)")


def _cell_names() -> set[str]:
    flat = "".join(EMIN_TEXT.split())
    return {name for cell in _CELL.findall(flat) for name in cell.split("、")}


def test_every_department_in_the_emin_cells_resolves(registry: DepartmentRegistry) -> None:
    names = _cell_names()
    assert len(names) >= 40  # the extraction found the cells
    assert registry.unknown(sorted(names)) == []


@pytest.mark.parametrize(
    "name",
    ["地区民政局", "地区商务局", "地区数字化发展局", "地区政务服务和公共资源交易中心", "国家电网"],
)
def test_departments_named_only_inside_duty_texts_resolve(
    registry: DepartmentRegistry, name: str
) -> None:
    assert name in EMIN_TEXT.replace("\n", "")
    assert registry.resolve(name) is not None


# ---- department_parts ----

COOP_39_LEADS = (
    "县委政法\n委、县教\n育和科学\n技术局、\n县公安局\n、县卫生\n健康委员\n会、县市\n场监督管\n理局、县\n"
    "住房和城\n乡建设局\n、县文化\n体育广播\n电视和旅\n游局、县\n消防救援\n大队"
)
COOP_39 = DutyText(
    (
        "1.县委政法委协调公安、司法行政等政法机关和有关部门，加强校园及周边综合治理，维护校园正常秩序和师生合法权益；",
        "2.县教育和科学技术局制定校园安全工作年度计划并组织实施，建立学校安全生产工作机制，联合相关部门开展校园内安全保障；向乡反馈校园周边安全隐患，提出治理需求；",
        "3.县公安局维护校园周边治安秩序，打击针对师生的违法犯罪行为，整治交通隐患，设置护学岗、完善交通标志、查处违规停车等；",
        "4.县卫生健康委员会监督校园周边公共场所卫生，防控传染病疫情；",
        "5.县市场监督管理局监管校园周边食品安全，查处“三无”食品、过期食品。整治违规销售烟草、电子烟及非法出版物等行为；",
        "6.县住房和城乡建设局加强对校园周边流动商贩、占地经营、校园周边违章建筑等行为的查处；",
        "7.县文化体育广播电视和旅游局清查校园周边网吧、娱乐场所违规接纳未成年人问题，整治不良文化产品；",
        "8.县住房和城乡建设局对校园周边建筑工地进行巡查，严控噪音，确保施工安全，避免影响学校安全；",
        "9.县消防救援大队检查指导各学校消防设施设备运行情况及校园周边消防安全检查执法。",
    )
)


def test_coop_39_gives_each_department_the_steps_that_name_it(
    registry: DepartmentRegistry,
) -> None:
    leads = registry.split_cell(COOP_39_LEADS)
    parts = department_parts(COOP_39, leads, registry)
    assert list(parts) == [
        "县委政法委",
        "县教育和科学技术局",
        "县公安局",
        "县卫生健康委员会",
        SHIJIAN,
        ZHUJIAN,
        "县文化体育广播电视和旅游局",
        "县消防救援大队",
    ]
    assert parts["县委政法委"] == [COOP_39.paragraphs[0]]
    assert parts[ZHUJIAN] == [COOP_39.paragraphs[5], COOP_39.paragraphs[7]]
    assert parts["县消防救援大队"] == [COOP_39.paragraphs[8]]
    assert sorted(p for ps in parts.values() for p in ps) == sorted(COOP_39.paragraphs)


COOP_82_LEADS = (
    YINGJI,
    "县商务和工业信息化局",
    ZHUJIAN,
    SHIJIAN,
    "县农业农村局",
    "县水利局",
    "县文化体育广播电视和旅游局",
    "县卫生健康委员会",
)
COOP_82 = DutyText(
    (
        "一、县应急管理局",
        "1.负责矿山单位和生产、储存、经营危险化学品、烟花爆竹的单位以及规模以上商贸行业生产经营单位的安全生产监督管理；",
        "2.制定并实施年度安全生产监督检查计划，对矿山单位和生产、储存、经营危险化学品、烟花爆竹的单位进行重点检查，对规模以下商贸行业生产经营单位安全生产状况进行监督抽查；",
        "3.对其他负有安全生产监督管理职责的部门和下级政府履行安全生产职责情况进行综合管理；",
        "4.对乡报告的安全生产违法行为和问题，依法调查处理、研究解决。",
        (
            "二、县商务和工业信息化局、县住房和城乡建设局、县市场监督管理局、县农业农村局、县水利局、"
            "县文化体育广播电视和旅游局、县卫生健康委员会"
        ),
        "1.依照《自治区实施<地方党政领导干部安全生产责任制规定>细则》确定的职责范围，依法对相关行业领域生产经营单位的安全生产实施监督管理；",
        "2.对乡报告的安全生产违法行为和问题，依法调查处理、研究解决。",
    )
)


def test_coop_82_headings_that_name_departments_group_their_steps(
    registry: DepartmentRegistry,
) -> None:
    parts = department_parts(COOP_82, COOP_82_LEADS, registry)
    assert list(parts) == list(COOP_82_LEADS)
    assert parts[YINGJI] == list(COOP_82.paragraphs[1:5])
    for lead in COOP_82_LEADS[1:]:
        assert parts[lead] == list(COOP_82.paragraphs[6:8]), lead


def test_a_department_heading_with_a_colon_and_a_step_naming_two_departments(
    registry: DepartmentRegistry,
) -> None:
    duties = DutyText(
        (
            "一、县发展和改革委员会：",
            "1.县发展和改革委员会和县农业农村局制定规划并争取政策支持，推动农业数字化转型；",
            "2.县发展和改革委员会完善农村数字基础设施，提升乡村数字应用时效。",
            "二、县农业农村局：",
            "1.县农业农村局加强数字乡村人才培养，开展数字人才引进、技能培训；",
        )
    )
    parts = department_parts(duties, ("县发展和改革委员会", "县农业农村局"), registry)
    assert parts == {
        "县发展和改革委员会": [duties.paragraphs[1], duties.paragraphs[2]],
        "县农业农村局": [duties.paragraphs[1], duties.paragraphs[4]],
    }


COOP_2_LEADS = "县委组织\n部、县人\n力资源和\n社会保障\n局、县纪\n律检查委\n员会"
COOP_2 = DutyText(
    (
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
    )
)


def test_coop_2_topic_headings_go_to_all_leads_and_only_opening_names_count(
    registry: DepartmentRegistry,
) -> None:
    p = COOP_2.paragraphs
    parts = department_parts(COOP_2, registry.split_cell(COOP_2_LEADS), registry)
    assert list(parts) == [ZUZHI, RENSHE, JIWEI]
    shared = [*p[0:6], *p[6:12]]  # steps 5 mentions 县委组织部 inside: still everyone's
    assert parts[ZUZHI] == [*shared, p[14], p[15], p[17]]
    assert parts[RENSHE] == [*shared, p[12], p[13]]
    assert parts[JIWEI] == [*shared, p[14], p[16]]


def test_a_cell_that_does_not_split_gives_every_lead_every_paragraph(
    registry: DepartmentRegistry,
) -> None:
    duties = DutyText(
        (
            "1.组织各党委开展审核汇总工作，全面压实统计数据质量责任；",
            "2.对党内统计数据进行分析研究，及时向同级党委和上级组织部门报告情况。",
        )
    )
    parts = department_parts(duties, ("县委组织部", "县委宣传部"), registry)
    assert parts == {ZUZHI: list(duties.paragraphs), "县委宣传部": list(duties.paragraphs)}


def test_unknown_leads_keep_their_printed_name(registry: DepartmentRegistry) -> None:
    duties = DutyText(("1.制定方案；", "2.县应急管理局组织演练。"))
    parts = department_parts(duties, ("县水务局", "县应急局"), registry)
    assert parts == {
        "县水务局": [duties.paragraphs[0]],
        YINGJI: [duties.paragraphs[0], duties.paragraphs[1]],
    }
