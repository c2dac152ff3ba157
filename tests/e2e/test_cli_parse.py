"""The list-file commands: parse, show, summary."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from lvzhi.cli import app
from lvzhi.data import EMIN_FILE

runner = CliRunner()


def test_parse_text_to_json(tmp_path, emin_text):
    src = tmp_path / EMIN_FILE
    src.write_text(emin_text, encoding="utf-8")
    result = runner.invoke(app, ["parse", str(src), "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert (len(doc["basic"]), len(doc["cooperative"]), len(doc["reclaimed"])) == (104, 102, 58)


def test_parse_to_xlsx_file_and_back_to_csv(tmp_path, emin_text):
    src = tmp_path / "list.txt"
    src.write_text(emin_text, encoding="utf-8")
    xlsx = tmp_path / "list.xlsx"
    assert runner.invoke(app, ["parse", str(src), "-f", "xlsx", "-o", str(xlsx)]).exit_code == 0
    result = runner.invoke(app, ["parse", str(xlsx), "-f", "csv"])
    assert result.exit_code == 0
    assert "加油站危险化学品" in result.stdout


def test_parse_bad_file_reports_line(tmp_path, emin_text):
    src = tmp_path / "bad.txt"
    src.write_text(emin_text.replace("3 党的建设", "4 党的建设", 1), encoding="utf-8")
    result = runner.invoke(app, ["parse", str(src)])
    assert result.exit_code == 1
    assert "bad.txt 第" in result.stderr and "应为序号 3" in result.stderr


def test_parse_lenient_lists_problems_and_outputs_rest(tmp_path, emin_text):
    src = tmp_path / "bad.txt"
    src.write_text(emin_text.replace("27 经济发展 沙棘产业项目", "27 经济发展", 1), encoding="utf-8")
    result = runner.invoke(app, ["parse", str(src), "--lenient"])
    assert result.exit_code == 0
    assert "问题" in result.stderr and len(json.loads(result.stdout)["basic"]) == 103


def test_parse_refuses_unknown_suffix(tmp_path):
    src = tmp_path / "list.doc"
    src.write_bytes(b"x")
    result = runner.invoke(app, ["parse", str(src)])
    assert result.exit_code == 2 and "不支持的文件类型" in result.stderr


def test_show_item_text_and_json():
    result = runner.invoke(app, ["show", "reclaimed:54"])
    assert result.exit_code == 0 and "县应急管理局" in result.stdout and "工作方式" in result.stdout
    doc = json.loads(runner.invoke(app, ["show", "coop:2", "--json"]).stdout)
    assert doc["lead_departments"] == ["县委组织部", "县人力资源和社会保障局", "县纪律检查委员会"]


def test_show_unknown_or_malformed_key():
    assert "没有事项 coop:999" in runner.invoke(app, ["show", "coop:999"]).stderr
    assert "格式不对" in runner.invoke(app, ["show", "coop49"]).stderr


def test_summary_counts():
    result = runner.invoke(app, ["summary"])
    assert result.exit_code == 0 and "104" in result.stdout and "58" in result.stdout
