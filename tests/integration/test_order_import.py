"""Hotline batch import, figures, XLSX export and attachments, on each backend."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from openpyxl import load_workbook

from lvzhi.domain.orderpolicy import BadOrderInput, Source
from lvzhi.domain.router import Verdict
from lvzhi.domain.workorder import Action, OrderState
from lvzhi.services.attachments import (
    MissingAttachment,
    add_attachment,
    open_attachment,
    safe_file_name,
)
from lvzhi.services.hotline import ColumnMapping, HotlineFileError
from lvzhi.services.orderexport import export_orders
from lvzhi.services.orderflow import act
from lvzhi.services.orderimport import import_orders
from lvzhi.services.orders import Intake, get_order, list_orders, open_order
from lvzhi.services.orderstats import order_stats
from lvzhi.storage.orders import OrderFilter
from tests.dbtools import snapshot
from tests.ordertools import BAD_ROWS, hotline_csv, hotline_rows, hotline_xlsx, order_env

T = "额敏县某乡"
NOW = datetime(2025, 11, 3, 9, 30)


@pytest.fixture
def env(emin_db, tmp_path):
    return order_env(emin_db, tmp_path, NOW)


def test_a_5000_row_hotline_file_is_routed_bad_rows_reported_and_nothing_imported_twice(
    emin_db, env, backend
):
    rows = 5000 if backend == "sqlite" else 1000  # the same code on PostgreSQL, in less CI time
    data = hotline_csv(rows)
    report = import_orders(emin_db.uow(), env, data, "12345导出.csv", township=T)
    assert report.rows == rows and report.created == rows - len(BAD_ROWS)
    assert [bad.line for bad in report.bad] == [index + 2 for index in sorted(BAD_ROWS)]
    messages = [str(bad) for bad in report.bad]
    assert "第 12 行：诉求内容为空" in messages
    assert messages[1].startswith("第 22 行：来电时间“上周三”无法识别")
    assert "第 32 行：缺少工单编号" in messages[2] and "与第 3 行重复" in messages[3]
    assert sum(report.verdicts.values()) == report.created and set(report.verdicts) <= set(Verdict)
    assert len(report.verdicts) >= 3
    found, total = list_orders(emin_db.uow(), OrderFilter(source="12345"), limit=rows)
    assert total == report.created and all(
        o.state == OrderState.NEW and o.responsible for o in found
    )
    assert all(o.deadline > o.received_at for o in found)
    before = snapshot(emin_db)
    again = import_orders(emin_db.uow(), env, data, "12345导出.csv", township=T)
    assert (again.created, again.already, len(again.bad)) == (0, report.created, len(BAD_ROWS))
    assert snapshot(emin_db) == before


def test_xlsx_with_other_headers_through_a_mapping_file(emin_db, env, tmp_path):
    rows = hotline_rows(30)
    rows[0] = ["编号", "受理时间", "反映内容", "事发地点", "姓名", "手机", "时限"]
    for row in rows[1:]:
        row[1] = datetime.fromisoformat(row[1])  # a real spreadsheet date
        row.append("3个工作日")
    mapping_file = tmp_path / "map.yaml"
    mapping_file.write_text(
        "columns:\n  source_id: 编号\n  received_at: 受理时间\n  content: 反映内容\n  address: 事发地点\n"
        "  reporter_name: 姓名\n  reporter_phone: 手机\n  deadline: 时限\n",
        encoding="utf-8",
    )
    mapping = ColumnMapping.load(mapping_file)
    report = import_orders(emin_db.uow(), env, hotline_xlsx(rows), "导出.xlsx", township=T,
                           source=Source.HOTLINE, mapping=mapping)  # fmt: skip
    assert (report.created, report.bad) == (30, [])
    found, _ = list_orders(emin_db.uow(), OrderFilter(), limit=1)
    assert found[0].deadline_from_source and found[0].village


def test_a_missing_column_refuses_the_file_and_says_which(emin_db, env):
    data = "编号,时间,内容\n1,2025-01-01 10:00,路灯坏了\n".encode()
    with pytest.raises(
        HotlineFileError, match="缺少必需的列：工单编号.*来电时间.*文件中的列：编号、时间、内容"
    ):
        import_orders(emin_db.uow(), env, data, "x.csv", township=T)
    with pytest.raises(HotlineFileError, match="未知字段：contents"):
        ColumnMapping.from_mapping({"contents": "内容"})


def test_gbk_csv_and_strict_mode(emin_db, env):
    data = hotline_csv(50, encoding="gb18030")
    before = snapshot(emin_db)
    strict = import_orders(emin_db.uow(), env, data, "gbk.csv", township=T, strict=True)
    assert not strict.stored and strict.created == 0 and len(strict.bad) == len(BAD_ROWS)
    assert snapshot(emin_db) == before
    lenient = import_orders(emin_db.uow(), env, data, "gbk.csv", township=T)
    assert lenient.created == 50 - len(BAD_ROWS)


def _export(*rows: tuple[str, str, str, str]) -> bytes:
    lines = ["工单编号,来电时间,诉求内容,地址"] + [",".join(row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_rows_about_an_open_order_or_an_earlier_row_are_flagged_by_line_and_stored(emin_db, env):
    stored = open_order(emin_db.uow(), env, Intake(
        "二道桥村路边有人焚烧秸秆，浓烟很大", T, address="额敏县某乡二道桥村",
        received_at=datetime(2025, 10, 30, 9, 0)), "x").order  # fmt: skip
    old = open_order(emin_db.uow(), env, Intake(
        "阔什比克村路灯坏了好几天，晚上看不见", T, address="额敏县某乡阔什比克村",
        received_at=datetime(2025, 9, 1, 9, 0)), "x").order  # fmt: skip
    closed = _closed(emin_db, env, "幸福社区垃圾站满了没人清运，臭味很大", "县住房和城乡建设局", "满意", 2)
    assert closed.state == OrderState.VISITED and not closed.is_open
    data = _export(
        ("RX1", "2025-11-01 10:00", "团结村自来水停了三天，没人管", "额敏县某乡团结村"),
        ("RX2", "2025-11-02 11:00", "二道桥村路边又有人焚烧秸秆，浓烟很大", "额敏县某乡二道桥村"),
        ("RX3", "2025-11-02 15:00", "团结村自来水已经停了三天了，没人管", "额敏县某乡团结村"),
        ("RX4", "2025-11-02 16:00", "幸福社区垃圾站满了没人清运，臭味很大", "额敏县某乡幸福社区"),
        ("RX5", "2025-11-02 17:00", "阔什比克村路灯坏了好几天，晚上看不见", "额敏县某乡阔什比克村"),
        ("RX6", "2025-11-02 18:00", "我想咨询残疾证怎么办理", ""),
    )
    report = import_orders(emin_db.uow(), env, data, "12345.csv", township=T)
    assert (report.created, report.bad) == (6, [])
    by_line = {row.line: row for row in report.duplicates}
    assert sorted(by_line) == [3, 4]  # the closed order and the one older than 30 days do not count
    against_order, against_row = by_line[3], by_line[4]
    assert [(m.order_id, m.line) for m in against_order.matches] == [(stored.id, None)]
    first_row = against_row.matches[0]
    assert first_row.line == 2 and len(against_row.matches) == 1
    found, _ = list_orders(emin_db.uow(), OrderFilter(source="12345"), limit=10)
    ids = {o.source_id: o.id for o in found}
    assert (against_row.order_id, first_row.order_id) == (ids["RX3"], ids["RX1"])
    assert str(against_row) == f"第 4 行（工单 {ids['RX3']}）可能与以下重复：第 2 行（工单 {ids['RX1']}）"
    assert str(against_order) == f"第 3 行（工单 {ids['RX2']}）可能与以下重复：工单 {stored.id}"
    assert "其中疑似重复 2 件" in report.summary
    # what the order's page shows agrees: the earlier row's order is a likely duplicate
    detail = get_order(emin_db.uow(), ids["RX3"])
    assert ids["RX1"] in [o.id for o, _ in detail.duplicates] and old.id not in [o.id for o, _ in detail.duplicates]
    before = snapshot(emin_db)
    again = import_orders(emin_db.uow(), env, data, "12345.csv", township=T)
    assert (again.created, again.already, again.duplicates) == (0, 6, [])
    assert snapshot(emin_db) == before


def test_flagged_rows_are_reported_without_order_ids_in_strict_mode_nothing(emin_db, env):
    data = _export(
        ("RX1", "2025-11-01 10:00", "团结村自来水停了三天，没人管", "额敏县某乡团结村"),
        ("RX2", "2025-11-02 15:00", "团结村自来水已经停了三天了，没人管", "额敏县某乡团结村"),
        ("RX3", "上周三", "路灯坏了", ""),
    )
    strict = import_orders(emin_db.uow(), env, data, "x.csv", township=T, strict=True)
    assert not strict.stored and strict.duplicates == []
    lenient = import_orders(emin_db.uow(), env, data, "x.csv", township=T)
    assert [row.line for row in lenient.duplicates] == [3] and [b.line for b in lenient.bad] == [4]


def _closed(db, env, content, assignee, satisfaction, hours):
    order = open_order(db.uow(), env, Intake(content, T), "x").order
    order = act(db.uow(), env, order.id, Action.ASSIGN, "x", assignee=assignee, reason="测试")
    order = act(db.uow(), env, order.id, Action.START, "x")
    env.clock.advance(hours=hours)
    order = act(db.uow(), env, order.id, Action.RESOLVE, "x", reply="已办")
    return act(db.uow(), env, order.id, Action.VISIT, "x", satisfaction=satisfaction)


def test_figures_per_body_item_category_time_to_close_satisfaction_and_weeks(emin_db, env):
    _closed(emin_db, env, "地里有人烧麦秆", "县农业农村局", "满意", 10)
    _closed(emin_db, env, "地里有人烧秸秆", "县农业农村局", "不满意", 30)
    open_order(
        emin_db.uow(),
        env,
        Intake("村口路灯坏了好几天", T, received_at=datetime(2025, 10, 1, 9, 0)),
        "x",
    )
    stats = order_stats(emin_db.uow(), env, T)
    assert (stats.totals.total, stats.totals.open, stats.totals.closed, stats.totals.overdue) == (
        3,
        1,
        2,
        1,
    )
    farm = next(g for g in stats.by_assignee if g.key == "县农业农村局")
    assert (farm.tally.closed, farm.kind) == (2, "department")
    assert (
        stats.satisfaction == {"满意": 1, "基本满意": 0, "不满意": 1}
        and stats.satisfaction_rate == 0.5
    )
    assert stats.close_hours["count"] == 2 and stats.close_hours["mean"] == 20.0
    assert sum(w.received for w in stats.weeks) == 3 and sum(w.closed for w in stats.weeks) == 2
    assert any(g.key == "coop:63" and g.tally.total == 2 for g in stats.by_item)
    book = load_workbook(io.BytesIO(export_orders(emin_db.uow(), env, T)))
    assert book.sheetnames[:3] == ["工单", "按承办单位", "按事项"]
    sheet = book["工单"]
    assert sheet.max_row == 4 and sheet["A1"].value == "编号"


def test_export_masks_phones_unless_asked(emin_db, env):
    open_order(emin_db.uow(), env, Intake("路灯坏了", T, reporter_phone="13912345678"), "x")
    column = 9  # 电话
    masked = (
        load_workbook(io.BytesIO(export_orders(emin_db.uow(), env, T)))["工单"]
        .cell(2, column)
        .value
    )
    full = (
        load_workbook(io.BytesIO(export_orders(emin_db.uow(), env, T, show_contact=True)))["工单"]
        .cell(2, column)
        .value
    )
    assert (masked, full) == ("139****5678", "13912345678")


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_attachments_are_checked_named_safely_and_read_back(emin_db, env):
    order = open_order(emin_db.uow(), env, Intake("路灯坏了", T), "x").order
    found = add_attachment(emin_db.uow(), env, order.id, "../../etc/现场照片.png", PNG, "网格员")
    assert found.file_name == "现场照片.png" and found.content_type == "image/png"
    record, path = open_attachment(emin_db.uow(), env, order.id, found.id)
    assert (
        path.read_bytes() == PNG
        and path.is_relative_to(env.files)
        and ".." not in record.stored_name
    )
    for name, data, message in (
        ("a.exe", b"MZ", "不支持的附件类型"),
        ("a.png", b"GIF89a...", "内容不是 .png"),
        ("a.pdf", b"", "空文件"),
        ("a.txt", b"x" * (env.policy.attachment_max_bytes + 1), "超过上限"),
    ):
        with pytest.raises(BadOrderInput, match=message):
            add_attachment(emin_db.uow(), env, order.id, name, data, "x")
    other = open_order(emin_db.uow(), env, Intake("另一件", T), "x").order
    with pytest.raises(MissingAttachment):  # another order's attachment is not this order's
        open_attachment(emin_db.uow(), env, other.id, found.id)
    with pytest.raises(MissingAttachment):
        open_attachment(emin_db.uow(), env, 99999, found.id)
    assert sorted(p.name for p in env.files.rglob("*") if p.is_file()) == [path.name]


def test_safe_file_names():
    assert safe_file_name("C:\\Users\\a\\照片 1.JPG") == "照片 1.JPG"
    assert safe_file_name("..") == "附件"
    assert safe_file_name(".bashrc") == "bashrc"
    assert len(safe_file_name("长" * 300 + ".pdf")) == 100
