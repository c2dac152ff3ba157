"""Malformed extracted text stops with an error naming the line and what was expected;
lenient mode keeps what it can and lists every problem."""

from __future__ import annotations

import pytest

from lvzhi.domain.errors import ListFormatError
from lvzhi.domain.listtext import parse_list_text


def _line_of(text: str, startswith: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith(startswith))


def _replace_line(text: str, startswith: str, new: str) -> str:
    lines = text.splitlines()
    n = _line_of(text, startswith) - 1
    lines[n] = new
    return "\n".join(lines) + "\n"


def test_number_out_of_sequence_names_line_and_expected(emin_text):
    bad = _replace_line(emin_text, "3 党的建设", "4 党的建设")
    with pytest.raises(ListFormatError) as err:
        parse_list_text(bad, source="emin.txt")
    assert err.value.line == _line_of(emin_text, "3 党的建设")
    assert err.value.expected == "序号 3"
    assert "emin.txt 第" in str(err.value) and "应为序号 3" in str(err.value)


def test_missing_category_is_reported(emin_text):
    bad = _replace_line(emin_text, "27 经济发展", "27")
    with pytest.raises(ListFormatError) as err:
        parse_list_text(bad)
    assert err.value.line == _line_of(emin_text, "27 经济发展")


def test_item_without_name_is_reported(emin_text):
    bad = _replace_line(emin_text, "27 经济发展 沙棘产业项目", "27 经济发展")
    with pytest.raises(ListFormatError) as err:
        parse_list_text(bad)
    assert "事项名称" in err.value.expected and err.value.line == _line_of(emin_text, "27 经济发展")


def test_reclaimed_row_without_working_method(emin_text):
    bad = _replace_line(emin_text, "工作方式：开展创业实体", "开展创业实体信息及就业务工信息统计。")
    with pytest.raises(ListFormatError) as err:
        parse_list_text(bad)
    assert "上级收回事项 9" in err.value.expected and "工作方式" in err.value.expected


def test_cooperative_row_missing_department_column(emin_text):
    start = emin_text.splitlines().index("1 党的建") + 1
    lines = emin_text.splitlines()
    # coop 1's department cell is the two lines 县委组织 / 部 after the name.
    assert lines[start + 5 : start + 7] == ["县委组织", "部"]
    bad = "\n".join(lines[: start + 5] + lines[start + 7 :])
    with pytest.raises(ListFormatError) as err:
        parse_list_text(bad)
    assert err.value.line == start and "对应上级部门" in err.value.expected


@pytest.mark.parametrize("cut_at", ["1 党的建", "1 民生服务"])
def test_truncated_file_is_reported(emin_text, cut_at):
    lines = emin_text.splitlines()
    bad = "\n".join(lines[: lines.index(cut_at) if cut_at in lines else _line_of(emin_text, cut_at) - 1])
    with pytest.raises(ListFormatError) as err:
        parse_list_text(bad)
    assert "截断" in err.value.found


def test_truncated_inside_last_reclaimed_row(emin_text):
    bad = emin_text[: emin_text.rindex("工作方式：负责执法检查")]
    with pytest.raises(ListFormatError) as err:
        parse_list_text(bad)
    assert "上级收回事项 58" in err.value.expected


def test_empty_and_foreign_text(tmp_path):
    with pytest.raises(ListFormatError) as err:
        parse_list_text("这不是一份清单\n只是普通文字\n", source="notes.txt")
    assert err.value.line == 1 and "序号" in err.value.expected and err.value.found == "这不是一份清单"
    with pytest.raises(ListFormatError):
        parse_list_text("")


def test_lenient_mode_imports_the_rest_and_lists_every_problem(emin_text):
    bad = _replace_line(emin_text, "27 经济发展 沙棘产业项目", "27 经济发展")
    bad = _replace_line(bad, "工作方式：开展创业实体", "开展创业实体信息及就业务工信息统计。")
    result = parse_list_text(bad, lenient=True)
    assert len(result.problems) == 2
    assert len(result.duty_list.basic) == 103 and len(result.duty_list.reclaimed) == 57
    assert len(result.duty_list.cooperative) == 102
    assert all(p.line > 0 for p in result.problems)
