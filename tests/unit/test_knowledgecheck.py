"""Checking the routing files: each check on a small document, with the line it reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from lvzhi.data.routingfiles import parse_routing
from lvzhi.domain.knowledge import KnowledgeError
from lvzhi.domain.knowledgecheck import Severity, check_knowledge
from lvzhi.domain.model import BasicItem, DutyList, ListVersion

LIST = DutyList(
    ListVersion("测试乡"),
    basic=(
        BasicItem(1, "防汛", "汛期防汛巡查"),
        BasicItem(2, "农业", "秸秆禁烧巡查"),
        BasicItem(3, "民生", "老年人权益保障"),
    ),
)
ITEMS = """\
1:
  terms: [防汛, 汛期巡查]
2:
  terms: [烧麦秆, 秸秆焚烧]
3:
  terms: [赡养老人]
"""


def check(basic: str = ITEMS, **others: str):
    texts = {"basic.yaml": basic, "acts.yaml": "penalty: [罚款]\n"} | {
        f"{name}.yaml": text for name, text in others.items()
    }
    return check_knowledge({name: parse_routing(text, name) for name, text in texts.items()}, LIST)


def found(report, severity: Severity, file: str = "basic.yaml") -> list[tuple[int | None, str]]:
    problems = [
        (p.line, p.message) for p in report.problems if p.severity is severity and p.file == file
    ]
    return sorted(problems, key=lambda p: p[0] or 0)


def test_the_small_knowledge_is_clean():
    report = check()
    assert report.errors == [] and found(report, Severity.WARNING) == []
    assert (report.items, report.terms) == (3, 5)


def test_a_syntax_error_gives_line_and_column():
    report = check(ITEMS.replace("[防汛, 汛期巡查]", "[防汛, 汛期巡查"))
    [problem] = report.errors
    assert (problem.file, problem.line, problem.column) == ("basic.yaml", 3, 2)
    assert (
        "YAML 语法错误" in problem.message
        and "方括号" in problem.message
        and "第 2 行" in problem.message
    )
    assert str(problem).startswith("basic.yaml:3:2 错误：")


def test_a_missing_colon_and_a_tab_are_said_in_chinese():
    [colon] = check("1:\n  terms [防汛]\n  acts: [report]\n").errors
    assert colon.line == 3 and "冒号" in colon.message
    [tab] = check("1:\n\tterms: [防汛]\n").errors
    assert tab.line == 2 and "制表符" in tab.message


def test_an_unknown_field_is_a_warning_on_its_line():
    report = check(ITEMS.replace("3:\n", "3:\n  term: [养老]\n"))
    assert report.errors == []
    assert found(report, Severity.WARNING) == [
        (
            6,
            "basic:3：未知字段“term”，不会被读取（可用：label、terms、situations、acts、scope、exclude）",
        )
    ]


def test_wrong_types_are_errors_on_the_line_of_the_value():
    report = check(
        ITEMS.replace(
            "terms: [赡养老人]",
            "terms: 赡养老人\n  situations:\n    - 老人没人管\n    - 子女: 不管",
        )
    )
    assert found(report, Severity.ERROR) == [
        (6, "basic:3 的 terms 应为方括号列表，如 [甲, 乙]（现为文字）"),
        (9, "basic:3 的 situations 的第 2 项应为文字（现为映射）"),
    ]
    assert check("1: 防汛\n").errors[0].line == 1
    assert "label 应为文字" in check(ITEMS + "  label: [a]\n").errors[0].message


def test_item_numbers_must_be_integers_in_the_list():
    report = check(ITEMS + "7:\n  terms: [积水]\n防汛:\n  terms: [积水]\n")
    assert found(report, Severity.WARNING) == [
        (7, "basic:7：清单中没有基本履职事项第 7 项（共第 1–3 项），这段知识不会被使用")
    ]
    [error] = report.errors
    assert error.line == 9 and "“防汛”不是事项编号" in error.message


def test_items_without_knowledge_or_terms_are_warnings():
    report = check("1:\n  terms: [防汛]\n2:\n  situations: [地里烧麦秆]\n")
    assert found(report, Severity.WARNING) == [
        (1, "清单中这些事项没有路由知识，只能靠清单原文判定：basic:3"),
        (3, "basic:2：没有 terms，这个事项只能靠清单原文和 situations 命中"),
    ]


def test_an_unknown_act_is_an_error_on_its_line():
    report = check(ITEMS.replace("3:\n", "3:\n  acts:\n    - service\n    - punish\n"))
    assert found(report, Severity.ERROR) == [
        (8, "basic:3：未知的行为类型“punish”（可用：report、inspection、approval、penalty、certificate、subsidy、"
            "publicity、service、statistics、assessment、reward、mediation、emergency、management、organization、"
            "supervision）"),
    ]  # fmt: skip


def test_duplicate_and_one_character_terms_are_warnings():
    report = check(
        ITEMS.replace("terms: [烧麦秆, 秸秆焚烧]", "terms:\n    - 烧麦秆\n    - 烧\n    - 烧麦秆")
    )
    assert found(report, Severity.WARNING) == [
        (6, "basic:2：terms 中“烧”只有一个字，含这个字的任何文字都会命中"),
        (7, "basic:2：terms 中“烧麦秆”重复（第 5 行已有）"),
    ]


def test_a_term_that_is_an_outside_matter_or_an_incidental_word_is_a_warning():
    outside = "- body: 县公安局户政窗口\n  matters: [身份证补办, 防汛]\n  note: 身份证由公安办理\n"
    report = check(
        ITEMS.replace("[赡养老人]", "[赡养老人, 老人]"),
        outside=outside,
        incidental="- 老人\n- 村民\n",
    )
    assert found(report, Severity.WARNING) == [
        (
            2,
            "basic:1：terms 中“防汛”也是清单外机构“县公安局户政窗口”的说法（outside.yaml），路由无法区分",
        ),
        (6, "basic:3：terms 中“老人”是旁及词（incidental.yaml），计分打折，不宜作为事项的说法"),
    ]
    assert report.bodies == 1


def test_outside_bodies_need_a_name_and_distinct_matters():
    outside = "- body: 供电公司\n  matters: [电费, 电费]\n- matters: [护照]\n- body: 银行\n  matters: [电费]\n  phone: 1\n"
    report = check(outside=outside)
    assert found(report, Severity.ERROR, "outside.yaml") == [
        (3, "第 2 个机构缺少 body（办理机构的名称）")
    ]
    assert found(report, Severity.WARNING, "outside.yaml") == [
        (2, "“供电公司”：matters 中“电费”重复（第 2 行已有）"),
        (5, "“银行”：matters 中“电费”也是“供电公司”的说法，路由无法区分"),
        (6, "“银行”：未知字段“phone”，不会被读取（可用：body、matters、note）"),
    ]


def test_a_synonym_whose_official_term_is_nowhere_cannot_help():
    synonyms = "秸秆焚烧: [烧麦秆子]\n防汛巡查: [看水]\n宅基地: [房基地]\n违法建设: 违建\n"
    report = check(synonyms=synonyms)
    assert found(report, Severity.WARNING, "synonyms.yaml") == [
        (3, "规范用语“宅基地”不出现在任何事项的原文或路由知识中，这组口语说法不起作用")
    ]
    assert found(report, Severity.ERROR, "synonyms.yaml") == [
        (4, "“违法建设”的口语说法 应为方括号列表，如 [甲, 乙]（现为文字）")
    ]


def test_a_key_written_twice_is_a_warning_at_the_one_that_is_lost():
    report = check(ITEMS + "1:\n  terms: [防洪]\n")
    assert found(report, Severity.WARNING) == [
        (1, "“1”重复出现，这一处被第 7 行的同名内容覆盖，不会生效")
    ]


def test_acts_keys_must_be_known_acts_with_cue_lists():
    report = check(acts="penalty: [罚款]\npunish: [罚]\nreport:\n")
    assert [p.line for p in report.errors] == [2, 3]
    assert "未知的行为类型“punish”" in report.errors[0].message
    assert [p.message for p in check_knowledge({}, LIST).errors] == ["缺少此文件，路由无法加载"]


def test_the_loader_names_file_line_and_column_of_a_syntax_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    import lvzhi.data

    (tmp_path / "routing").mkdir()
    (tmp_path / "routing" / "outside.yaml").write_text(
        "- body: 银行\n  matters: [存款, 取款\n", encoding="utf-8"
    )
    monkeypatch.setattr(lvzhi.data, "files", lambda _: tmp_path)
    with pytest.raises(KnowledgeError, match=r"outside\.yaml 第 3 行第 1 列：YAML 语法错误"):
        lvzhi.data._routing_yaml("outside.yaml")
    (tmp_path / "routing" / "outside.yaml").write_text(
        "- body: 银行\n  matters: [存款, 取款]\n", encoding="utf-8"
    )
    assert lvzhi.data._routing_yaml("outside.yaml") == [
        {"body": "银行", "matters": ["存款", "取款"]}
    ]
