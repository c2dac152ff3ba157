"""`lvzhi orders ...` through the CLI on a throwaway SQLite database with the Emin list."""

from __future__ import annotations

import io
import json
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from lvzhi.cli import app
from tests.ordertools import BAD_ROWS, hotline_csv

runner = CliRunner()
BURNING = "地里有人烧麦秆，烟大得睁不开眼"


def run(*args: str, code: int = 0):
    result = runner.invoke(app, ["orders", *args])
    assert result.exit_code == code, result.output
    return result


def add(text: str = BURNING, *extra: str) -> dict:
    return json.loads(run("add", text, "--json", "--by", "张三", *extra).stdout)


def test_add_routes_by_the_list_and_shows_the_phone_only_when_asked():
    doc = add(
        BURNING,
        "--source",
        "12345",
        "--source-id",
        "RX1",
        "--phone",
        "13812345678",
        "--address",
        "额敏县某乡二道桥村",
    )
    assert doc["state"] == "new" and doc["routing"]["item_key"] == "coop:63"
    assert doc["routing"]["responsible"] == "县农业农村局" and doc["village"] == "二道桥村"
    assert doc["reporter"]["phone"] == "138****5678"
    listed = json.loads(run("list", "--json").stdout)
    assert listed["total"] == 1 and listed["orders"][0]["reporter"]["phone"] == "138****5678"
    shown = json.loads(run("show", "1", "--contact", "--json").stdout)
    assert shown["reporter"]["phone"] == "13812345678" and shown["history"][0]["kind"] == "created"
    text = run("add", "地里有人烧秸秆，烟很大").stdout
    assert "可能重复：工单 1" in text and "lvzhi orders merge" in text


def test_an_order_goes_from_intake_to_visit_and_a_bad_move_says_what_is_allowed():
    add()
    assert "已分派" in run("assign", "1").stdout
    assert "不能“回访”" in run("act", "1", "visit", "--satisfaction", "满意", code=1).output
    run("act", "1", "start", "--by", "李四")
    assert "须填写给诉求人的答复" in run("act", "1", "resolve", code=1).output
    run("act", "1", "resolve", "--reply", "已到现场制止")
    assert (
        "已被他人修改"
        in run(
            "act", "1", "visit", "--satisfaction", "满意", "--expect-version", "2", code=1
        ).output
    )
    doc = json.loads(run("act", "1", "visit", "--satisfaction", "基本满意", "--json").stdout)
    assert doc["state"] == "visited" and doc["satisfaction_title"] == "基本满意"
    assert "动作“fly”无法识别" in run("act", "1", "fly", code=2).output
    history = json.loads(run("show", "1", "--json").stdout)["history"]
    assert [h["to"] for h in history if h["kind"] == "action"] == [
        "assigned",
        "in_progress",
        "resolved",
        "visited",
    ]


def test_route_note_merge_and_attach(tmp_path: Path):
    add()
    add("地里有人烧秸秆，烟很大")
    assert "须说明原因" in run("route", "1", "--item", "basic:74", code=1).output
    doc = json.loads(
        run("route", "1", "--item", "basic:74", "--reason", "实为乱堆乱放", "--json").stdout
    )
    assert doc["routing"]["item_key"] == "basic:74" and doc["routing"]["status"] == "corrected"
    run("note", "1", "已到现场查看")
    run("merge", "1", "2", "--reason", "同一件事")
    photo = tmp_path / "现场.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 10)
    assert "已上传附件 现场.png" in run("attach", "1", str(photo)).stdout
    bad = tmp_path / "x.exe"
    bad.write_bytes(b"MZ")
    assert "不支持的附件类型" in run("attach", "1", str(bad), code=1).output
    shown = json.loads(run("show", "1", "--json").stdout)
    assert [m["id"] for m in shown["merged"]] == [2] and shown["attachments"][0][
        "file_name"
    ] == "现场.png"
    assert any(h["kind"] == "note" and h["note"] == "已到现场查看" for h in shown["history"])


def test_import_reports_bad_rows_by_line_and_a_second_run_stores_nothing(tmp_path: Path):
    export = tmp_path / "12345.csv"
    export.write_bytes(hotline_csv(200))
    first = json.loads(run("import", str(export), "--json").stdout)
    assert first["created"] == 200 - len(BAD_ROWS)
    assert [b["line"] for b in first["bad_rows"]] == [i + 2 for i in sorted(BAD_ROWS)]
    second = run("import", str(export)).stdout
    assert "新建 0 件，已导入过 196 件" in second and "第 12 行：诉求内容为空" in second
    assert "未导入任何内容" in run("import", str(export), "--strict", code=1).stdout
    renamed = tmp_path / "other.csv"
    renamed.write_text("编号,时间,内容\nA,2025-01-01 10:00,路灯坏了\n", encoding="utf-8")
    assert "缺少必需的列" in run("import", str(renamed), code=1).output
    ok = json.loads(run("import", str(renamed), "--col", "source_id=编号", "--col", "received_at=时间",
                        "--col", "content=内容", "--json").stdout)  # fmt: skip
    assert ok["created"] == 1


def test_import_lists_the_rows_that_look_like_an_open_order_or_an_earlier_row(tmp_path: Path):
    add("二道桥村路边有人焚烧秸秆，浓烟很大", "--address", "额敏县某乡二道桥村", "--received", "2025-10-30 09:00")
    export = tmp_path / "12345.csv"
    export.write_text(
        "工单编号,来电时间,诉求内容,地址\n"
        "RX1,2025-11-01 10:00,团结村自来水停了三天，没人管,额敏县某乡团结村\n"
        "RX2,2025-11-02 11:00,二道桥村路边又有人焚烧秸秆，浓烟很大,额敏县某乡二道桥村\n"
        "RX3,2025-11-02 15:00,团结村自来水已经停了三天了，没人管,额敏县某乡团结村\n",
        encoding="utf-8",
    )
    doc = json.loads(run("import", str(export), "--json").stdout)
    assert doc["created"] == 3
    assert [(d["line"], d["order_id"], [(m["order_id"], m["line"]) for m in d["matches"]])
            for d in doc["duplicates"]] == [(3, 3, [(1, None)]), (4, 4, [(2, 2)])]  # fmt: skip
    again = run("import", str(export)).stdout
    assert "新建 0 件，已导入过 3 件" in again and "疑似重复" not in again
    other = tmp_path / "more.csv"
    other.write_text(
        "工单编号,来电时间,诉求内容,地址\nRX9,2025-11-02 16:00,团结村自来水停了三天，一直没人管,额敏县某乡团结村\n",
        encoding="utf-8",
    )
    text = run("import", str(other)).stdout
    assert "其中疑似重复 1 件" in text and "第 2 行（工单 5）可能与以下重复：工单 2、工单 4" in text


def test_stats_and_export(tmp_path: Path):
    add(BURNING, "--phone", "13912345678")
    run("assign", "1")
    stats = json.loads(run("stats", "--json").stdout)
    assert stats["totals"]["open"] == 1 and stats["by_assignee"][0]["key"] == "县农业农村局"
    assert "共 1 件" in run("stats").stdout
    target = tmp_path / "工单.xlsx"
    run("export", "-o", str(target))
    book = load_workbook(io.BytesIO(target.read_bytes()))
    assert book["工单"].cell(2, 9).value == "139****5678" and "按承办单位" in book.sheetnames


def test_every_orders_command_is_documented():
    import typer.main

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    group = typer.main.get_group(app).commands["orders"]
    assert sorted(group.commands) == sorted(
        [
            "add",
            "import",
            "list",
            "show",
            "route",
            "assign",
            "act",
            "note",
            "merge",
            "attach",
            "stats",
            "export",
        ]
    )
    assert [c for c in group.commands if f"lvzhi orders {c}" not in readme] == []
