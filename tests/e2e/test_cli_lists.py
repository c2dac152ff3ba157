"""The database commands as a person uses them: init, import, list, show, search, depts, export,
versions, diff, summary; each output checked."""

from __future__ import annotations

import io
import json
import sqlite3

import pytest
from docx import Document
from openpyxl import load_workbook
from typer.testing import CliRunner

from lvzhi.cli import app
from lvzhi.cli.views import highlight
from lvzhi.config import SQLITE_FILE
from lvzhi.data import load_emin_list
from lvzhi.formats import from_csv, from_json, to_json
from tests.changes import EXTRA_STEP, RENAMED, changed_emin

runner = CliRunner()
HR = "县人力资源和社会保障局"


def run(*args: str, code: int = 0):
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result


def rows(data_dir, table: str) -> int:
    with sqlite3.connect(data_dir / SQLITE_FILE) as connection:
        return connection.execute(f"select count(*) from {table}").fetchone()[0]


@pytest.fixture
def changed_file(tmp_path):
    path = tmp_path / "changed.json"
    path.write_text(to_json(changed_emin(load_emin_list())), encoding="utf-8")
    return path


# ---- init and first use ----


@pytest.mark.empty_data_dir
def test_init_creates_database_and_loads_emin_once(data_dir):
    first = run("init").stdout
    assert "（新建）" in first and "44 个部门" in first
    assert "已导入额敏县某乡 第 1 版（2025）：基本履职事项 104 项" in first
    assert (data_dir / SQLITE_FILE).exists()
    again = run("init").stdout
    assert "已存在" in again and "与额敏县某乡 第 1 版（2025）相同，未作任何改动" in again
    assert rows(data_dir, "list_versions") == 1


@pytest.mark.empty_data_dir
def test_first_read_sets_up_the_default_database(data_dir):
    result = run("list", "--dept", "人社局")
    assert "首次使用" in result.stderr and HR in result.stdout


@pytest.mark.empty_data_dir
def test_configured_database_is_never_set_up_silently(tmp_path, monkeypatch):
    monkeypatch.setenv("LVZHI_DATABASE_URL", f"sqlite:///{tmp_path / 'other.sqlite'}")
    result = run("show", "coop:49", code=1)
    assert "尚未初始化，请先运行 lvzhi init" in result.stderr


# ---- import, versions, diff ----


def test_import_same_list_changes_nothing(tmp_path, emin_text, data_dir):
    src = tmp_path / "emin.txt"
    src.write_text(emin_text, encoding="utf-8")
    result = run("import", str(src), "--township", "额敏县某乡", "--version", "重印")
    assert "相同，未作任何改动" in result.stdout
    assert rows(data_dir, "list_versions") == 1


def test_import_changed_list_becomes_version_2(changed_file):
    result = run("import", str(changed_file), "--effective", "2026-01-01")
    assert "已导入额敏县某乡 第 2 版（2026）" in result.stdout
    assert "与第 1 版相比：新增 1 项，删除 1 项，修改 2 项（详见 lvzhi diff 1 2）" in result.stdout
    versions = json.loads(run("versions", "--json").stdout)["versions"]
    assert [(v["number"], v["label"], v["effective_date"]) for v in versions] == [
        (1, "2025", None),
        (2, "2026", "2026-01-01"),
    ]
    assert versions[1]["counts"] == {"basic": 105, "coop": 102, "reclaimed": 57}
    table = run("versions").stdout
    assert "2026-01-01" in table and "105" in table


def test_diff_reports_exactly_the_changes(changed_file):
    run("import", str(changed_file))
    lines = run("diff", "1", "2").stdout.splitlines()
    assert lines[:6] == [
        "额敏县某乡 第 1 版（2025） → 第 2 版",
        "新增 1 项，删除 1 项，修改 2 项",
        "+ 新增 basic:105  负责辖区内无人机飞行活动的登记和巡查",
        "- 删除 reclaimed:58  对从事无照经营的处罚",
        f"~ 修改 basic:5  {RENAMED[1]}  （事项名称）",
        f"    事项名称：{load_emin_list().item('basic:5').name} → {RENAMED[1]}",
    ]
    assert "~ 修改 coop:49" in lines[6] and "（乡镇（街道）配合职责）" in lines[6]
    assert lines[8] == f"      + {EXTRA_STEP}"
    doc = json.loads(run("diff", "v1", "2026", "--json").stdout)
    assert [c["key"] for c in doc["changed"]] == ["basic:5", "coop:49"]
    assert doc["changed"][1]["fields"][0]["new"][-1] == EXTRA_STEP
    assert "两个版本的事项完全相同" in run("diff", "1", "1").stdout


def test_bad_file_is_refused_with_place_and_nothing_stored(tmp_path, emin_text, data_dir):
    src = tmp_path / "bad.txt"
    src.write_text(emin_text.replace("3 党的建设", "4 党的建设", 1), encoding="utf-8")
    before = rows(data_dir, "items")
    result = run("import", str(src), "-t", "额敏镇", code=1)
    assert "bad.txt 第" in result.stderr and "应为序号 3" in result.stderr
    assert rows(data_dir, "items") == before


def test_import_without_township_or_with_bad_date_is_refused(tmp_path):
    src = tmp_path / "list.csv"
    src.write_bytes(run("export", "--format", "csv").stdout.encode("utf-8"))
    assert "请用 --township 指定" in run("import", str(src), code=1).stderr
    bad_date = run("import", str(src), "-t", "额敏镇", "--effective", "2026/1/1", code=2)
    assert "应为 YYYY-MM-DD" in bad_date.stderr


def test_missing_file_is_named(tmp_path):
    result = run("import", str(tmp_path / "无此文件.xlsx"), code=2)
    assert "找不到文件" in result.stderr and "无此文件.xlsx" in result.stderr


def test_text_import_has_no_label_unless_given(tmp_path, emin_text):
    src = tmp_path / "other.txt"
    src.write_text(emin_text, encoding="utf-8")
    assert "已导入试点镇 第 1 版：" in run("import", str(src), "-t", "试点镇").stdout
    labelled = run("import", str(src), "-t", "另一镇", "-v", "2025修订").stdout
    assert "已导入另一镇 第 1 版（2025修订）" in labelled


# ---- list, show, search, depts ----


def test_list_by_department_short_name():
    text = run("list", "--dept", "人社局").stdout
    assert f"13 项（涉及 {HR}）" in text and "coop:43" in text and "承接" in text
    doc = json.loads(run("list", "--dept", "人社局", "--json").stdout)
    assert doc["department"] == HR and doc["count"] == 13
    assert all(
        HR in item.get("lead_departments", item.get("receiving_departments", []))
        for item in doc["items"]
    )
    leads = json.loads(run("list", "-d", "人社局", "--role", "lead", "-k", "coop", "--json").stdout)
    assert leads["count"] == 7 and {i["roles"][0] for i in leads["items"]} == {"lead"}


def test_list_by_kind_and_category():
    doc = json.loads(run("list", "--kind", "reclaimed", "--category", "社会保障", "--json").stdout)
    assert [i["key"] for i in doc["items"]] == ["reclaimed:14", "reclaimed:15"]
    assert "reclaimed:14" in run("list", "-k", "收回", "-c", "社会保障").stdout


def test_list_refuses_unknown_kind_role_and_department():
    assert "无法识别" in run("list", "--kind", "other", code=2).stderr
    assert "角色“boss”无法识别" in run("list", "-d", "人社局", "--role", "boss", code=2).stderr
    assert "未登记的部门“县水务局”" in run("list", "--dept", "县水务局", code=1).stderr


def test_show_item_and_department_part():
    text = run("show", "coop:2", "--dept", "人社局").stdout
    assert "额敏县某乡 第 1 版（2025）" in text and f"{HR} 的职责" in text
    doc = json.loads(run("show", "coop:2", "--dept", "纪委", "--json").stdout)
    assert doc["list_version"]["number"] == 1
    part = doc["department_part"]
    assert part["department"] == "县纪律检查委员会" and part["paragraphs"][-1].startswith(
        "2.县纪律检查委员会"
    )


def test_show_reads_older_versions(changed_file):
    run("import", str(changed_file))
    assert "无人机" in run("show", "basic:105").stdout
    assert (
        "没有事项 basic:105（额敏县某乡 第 1 版）"
        in run("show", "basic:105", "-v", "1", code=1).stderr
    )


def test_search_ranks_and_marks():
    doc = json.loads(run("search", "耕地", "破坏", "--json").stdout)
    first = doc["hits"][0]
    assert first["key"] == "coop:49" and first["rank"] == 1
    assert [first["name"][s:e] for s, e in first["name_spans"]] == ["破坏耕地"]
    assert first["snippet"]["title"] == "上级部门职责"
    text = run("search", "耕地", "-n", "2").stdout
    assert (
        "耕地" in text
        and text.count("basic:") + text.count("coop:") + text.count("reclaimed:") == 2
    )
    assert highlight("破坏耕地[b]", [(2, 4)]) == "破坏[bold red]耕地[/]\\[b]"


def test_search_says_which_official_terms_it_also_looked_for():
    text = run("search", "违建").stdout
    assert "已同时查找规范用语：违建 → 违法建设" in text and "coop:50" in text
    doc = json.loads(run("search", "低保", "--json").stdout)
    assert doc["expansions"] == [{"typed": "低保", "official": "最低生活保障"}]
    assert json.loads(run("search", "耕地", "--json").stdout)["expansions"] == []


def test_search_without_hits_or_words():
    assert "没有找到与“魑魅魍魉”相关的事项" in run("search", "魑魅魍魉").stdout
    assert "搜索词为空" in run("search", "，", code=1).stderr


def test_depts_counts_every_department():
    text = run("depts").stdout
    assert "44 个部门" in text and "县住房和城乡建设局" in text
    doc = json.loads(run("depts", "--json").stdout)
    hr = next(d for d in doc["departments"] if d["name"] == HR)
    assert (hr["lead"], hr["receiver"], hr["assist"], hr["total"]) == (7, 6, 0, 13)
    assert "人社局" in hr["aliases"]


def test_summary_and_unknown_township():
    doc = json.loads(run("summary", "--json").stdout)
    assert [entry["count"] for entry in doc["lists"]] == [104, 102, 58]
    result = run("summary", "--township", "某某乡", code=1)
    assert "没有乡镇“某某乡”的清单；数据库中已有：额敏县某乡" in result.stderr


# ---- export ----


def test_export_json_and_csv_read_back():
    emin = load_emin_list()
    assert from_json(run("export").stdout) == emin
    csv_text = run("export", "-f", "csv").stdout
    assert from_csv(csv_text.encode("utf-8"), version=emin.version) == emin


def test_export_xlsx_and_docx_files(tmp_path):
    xlsx, docx = tmp_path / "list.xlsx", tmp_path / "list.docx"
    assert "已导出" in run("export", "-f", "xlsx", "-o", str(xlsx)).stderr
    assert load_workbook(xlsx).sheetnames[:3] == ["基本履职事项", "配合履职事项", "上级收回事项"]
    run("export", "--format", "docx", "--out", str(docx))
    document = Document(io.BytesIO(docx.read_bytes()))
    assert [len(t.rows) for t in document.tables] == [105, 103, 59]
    assert document.tables[1].rows[0].cells[4].text == "上级部门职责"
    assert document.paragraphs[0].text == "额敏县某乡履行职责事项清单"
    assert "需要" not in run("export", "-f", "docx", code=2).stdout
    assert "不支持的导出格式 pdf" in run("export", "-f", "pdf", code=2).stderr


def test_every_command_and_setting_is_documented():
    from pathlib import Path

    from lvzhi.config import Settings

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    commands = [c.name or c.callback.__name__ for c in app.registered_commands]
    assert [c for c in commands if f"lvzhi {c}" not in readme] == []
    settings = [f"LVZHI_{name.upper()}" for name in Settings.model_fields]
    assert [s for s in settings if s not in readme] == []
