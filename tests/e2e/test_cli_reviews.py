"""`lvzhi reviews ...` through the CLI on a throwaway SQLite database with the Emin list."""

from __future__ import annotations

import io
import json
from pathlib import Path

from docx import Document
from openpyxl import load_workbook
from typer.testing import CliRunner

from lvzhi.cli import app

runner = CliRunner()
TASK = "请各乡：1.对辖区加油站开展危险化学品安全检查；2.在各村开展消防安全知识宣传；3.协助办理辖区企业的增值税发票认证"


def run(*args: str, code: int = 0):
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result


def _add(*extra: str) -> dict:
    return json.loads(run("reviews", "add", TASK, "--from", "应急局", "--by", "张三", "--json", *extra).stdout)


def test_add_stores_one_verdict_per_demand_and_show_reads_it_back():
    doc = _add("--deadline", "2026-12-20", "--received", "2026-12-01")
    assert doc["id"] == 1 and doc["state"] == "pending"
    assert [d["decision"] for d in doc["demands"]] == ["refuse", "accept", "needs_approval"]
    assert {"text", "decision", "items", "reason", "flags"} <= set(doc["demands"][0])
    assert (doc["sender"], doc["sender_department"]) == ("应急局", "县应急管理局")
    assert (doc["received"], doc["deadline"]) == ("2026-12-01", "2026-12-20")
    shown = json.loads(run("reviews", "show", "1", "--json").stdout)
    assert shown["demands"] == doc["demands"]
    assert [a["action"] for a in shown["audit"]] == ["create"]
    assert "审查记录 1" in run("reviews", "show", "1").stdout


def test_whole_round_override_decide_county_close_and_documents(tmp_path: Path):
    _add()
    run("reviews", "override", "1", "2", "--to", "退回", "-m", "已由县里组织", "--by", "王五")
    assert "已审，结论：报请准入" in run("reviews", "decide", "1", "--by", "李四").stdout
    pending = json.loads(run("reviews", "approvals", "--pending", "--json").stdout)
    assert [r["id"] for r in pending["reviews"]] == [1]
    assert "待答复" in run("reviews", "approvals").stdout
    run("reviews", "close", "1", code=1)
    run("reviews", "county", "1", "不予准入", "-m", "属部门职责", "--by", "县委编办")
    run("reviews", "close", "1", "--by", "李四")
    shown = json.loads(run("reviews", "show", "1", "--json").stdout)
    assert shown["state"] == "closed" and shown["county"]["outcome"] == "denied"
    assert shown["demands"][1]["overrides"][0] | {"at": None} == {
        "from": "accept", "to": "refuse", "by": "王五", "at": None, "reason": "已由县里组织",
    }  # fmt: skip
    assert [a["action"] for a in shown["audit"]] == ["create", "override", "decide", "county", "close"]
    docx, pdf, xlsx = tmp_path / "回复函.docx", tmp_path / "回复函.pdf", tmp_path / "台账.xlsx"
    run("reviews", "reply", "1", "--format", "docx", "-o", str(docx))
    paragraphs = [p.text for p in Document(io.BytesIO(docx.read_bytes())).paragraphs]
    assert paragraphs[0] == "关于县应急管理局交办任务的职责准入审查回复函"
    assert any("清单上级收回事项第 54 项" in p for p in paragraphs)
    run("reviews", "reply", "1", "-f", "pdf", "-o", str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF")
    run("reviews", "register", "-o", str(xlsx))
    sheet = load_workbook(xlsx).active
    assert sheet["A2"].value == 1 and sheet["M2"].value == "报请准入" and sheet["Q2"].value == "不予准入"


def test_stats_count_departments_and_wrongly_pushed_items():
    _add()
    run("reviews", "decide", "1", "--by", "李四")
    stats = json.loads(run("reviews", "stats", "--json").stdout)
    assert stats["total"] == 1 and stats["share_sent_for_approval"] == 1.0
    assert stats["departments"][0]["department"] == "县应急管理局"
    assert stats["pushed_items"][0]["key"] == "reclaimed:54"
    assert "最常被错误下派的清单事项" in run("reviews", "stats").stdout


def test_list_filters_and_empty_register():
    assert "没有记录" in run("reviews", "list").stdout
    _add()
    listed = json.loads(run("reviews", "list", "--state", "待审", "--json").stdout)
    assert listed["count"] == 1 and listed["reviews"][0]["department"] == "县应急管理局"
    assert json.loads(run("reviews", "list", "--state", "closed", "--json").stdout)["count"] == 0
    assert json.loads(run("reviews", "list", "--dept", "县应急管理局", "--json").stdout)["count"] == 1


def test_mistakes_are_refused_in_chinese():
    assert "没有编号为 5 的审查记录" in run("reviews", "show", "5", code=1).stderr
    assert "状态“foo”无法识别" in run("reviews", "list", "--state", "foo", code=2).stderr
    assert "--deadline 的日期" in run("reviews", "add", TASK, "--deadline", "3月1日", code=2).stderr
    assert "任务内容为空" in run("reviews", "add", "  ", code=1).stderr
    _add()
    assert "尚未作出审查决定" in run("reviews", "reply", "1", "-o", "x.docx", code=1).stderr
    assert "请用 --out" in run("reviews", "reply", "1", code=2).stderr
    assert "不支持的回复函格式" in run("reviews", "reply", "1", "-f", "odt", "-o", "x", code=2).stderr
    assert "须写明理由" in run("reviews", "override", "1", "1", "--to", "接收", code=1).stderr
    assert "不能办结" in run("reviews", "close", "1", code=1).stderr


def test_every_reviews_command_is_documented():
    import typer.main

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    group = typer.main.get_group(app).commands["reviews"]
    assert sorted(group.commands) == sorted(
        ["add", "list", "show", "decide", "override", "reopen", "county", "approvals", "close",
         "reply", "register", "stats"]
    )  # fmt: skip
    assert [c for c in group.commands if f"lvzhi reviews {c}" not in readme] == []
