"""The work-order API under /api/v1/orders through TestClient, on a copy of the Emin database."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tests.apptools import app_of, client_on_copy, log_in
from tests.ordertools import BAD_ROWS, Clock, hotline_csv

BURNING = "地里有人烧麦秆，烟大得睁不开眼"


@pytest.fixture
def client(tmp_path: Path, cli_template: Path) -> Iterator[TestClient]:
    with client_on_copy(cli_template, tmp_path) as client:
        yield client


def create(client: TestClient, content: str = BURNING, **extra: object) -> dict:
    response = client.post("/api/v1/orders", json={"content": content, "by": "受理员", **extra})
    assert response.status_code == 201, response.text
    return response.json()


def act(client: TestClient, order_id: int, action: str, status: int = 200, **body: object) -> dict:
    response = client.post(f"/api/v1/orders/{order_id}/{action}", json={"by": "办理人", **body})
    assert response.status_code == status, response.text
    return response.json()


def test_create_routes_and_the_phone_is_masked_unless_asked(client):
    doc = create(client, source="12345", source_id="RX9", reporter_phone="13812345678", address="额敏县某乡二道桥村")
    order = doc["order"]
    assert order["state"] == "new" and order["routing"]["item_key"] == "coop:63"
    assert order["routing"]["responsible"] == "县农业农村局" and order["reporter"]["phone"] == "138****5678"
    assert order["deadline"].endswith("+08:00") and order["version"] == 1
    again = create(client, "别的", source="12345", source_id="RX9")
    assert again["order"]["id"] == order["id"]
    listed = client.get("/api/v1/orders").json()
    assert listed["total"] == 1 and listed["orders"][0]["reporter"]["phone"] == "138****5678"
    assert client.get(f"/api/v1/orders/{order['id']}").json()["reporter"]["phone"] == "138****5678"
    full = client.get(f"/api/v1/orders/{order['id']}?contact=true").json()
    assert full["reporter"]["phone"] == "13812345678" and full["actions"][0]["action"] == "assign"
    dup = create(client, "地里有人烧秸秆，烟很大")
    assert [d["id"] for d in dup["duplicates"]] == [order["id"]]


def test_from_intake_to_visit_with_history_and_refusals(client):
    order = create(client)["order"]
    oid = order["id"]
    ok = client.post(f"/api/v1/orders/{oid}/routing", json={"by": "审核员"}).json()
    assert ok["routing"]["status"] == "accepted"
    assigned = act(client, oid, "assign", expected_version=ok["version"])
    assert assigned["assignee"] == "县农业农村局"
    stale = act(client, oid, "start", status=409, expected_version=ok["version"])
    assert stale["error"]["code"] == "stale_order" and "请刷新后重试" in stale["error"]["message"]
    bad = act(client, oid, "visit", status=409, satisfaction="满意")
    assert bad["error"]["code"] == "transition_not_allowed" and "此时可以" in bad["error"]["message"]
    act(client, oid, "start")
    missing = act(client, oid, "resolve", status=422)
    assert missing["error"]["field"] == "reply"
    assert act(client, oid, "send_back", status=422)["error"]["code"] == "reason_required"
    act(client, oid, "resolve", reply="已制止焚烧")
    visited = act(client, oid, "visit", satisfaction="满意")
    assert visited["state"] == "visited" and visited["satisfaction"] == "satisfied"
    note = client.post(f"/api/v1/orders/{oid}/notes", json={"by": "网格员", "text": "回访已完成"})
    assert note.status_code == 201
    history = note.json()["history"]
    assert [h["to"] for h in history if h["kind"] == "action"] == ["assigned", "in_progress", "resolved", "visited"]
    assert client.post(f"/api/v1/orders/{oid}/fly", json={"by": "x"}).status_code == 422
    assert client.get("/api/v1/orders/999").json()["error"]["code"] == "unknown_order"


def test_a_suspended_order_is_not_overdue_and_resuming_moves_its_deadline(client):
    assert client.get("/api/v1/orders").status_code == 200  # the app's order env now exists
    clock = app_of(client).state.order_env.clock = Clock(datetime(2025, 11, 3, 9, 30))  # Monday
    oid = create(client)["order"]["id"]
    act(client, oid, "assign")
    act(client, oid, "start")
    clock.now = datetime(2025, 11, 6, 10, 0)
    suspended = act(client, oid, "suspend", reason="等待诉求人补充材料")
    assert suspended["deadline"] == "2025-11-10T23:59:59+08:00"
    clock.now = datetime(2025, 11, 12, 9, 0)  # past the original deadline, still suspended
    doc = client.get(f"/api/v1/orders/{oid}").json()
    assert doc["deadline_status"] == "paused" and doc["deadline_status_title"] == "计时暂停"
    assert doc["deadline_clock"]["suspended_since"] == "2025-11-06T10:00:00+08:00"
    assert client.get("/api/v1/orders?overdue=true").json()["total"] == 0
    assert client.get("/api/v1/orders/stats").json()["totals"]["overdue"] == 0
    assert "自 2025-11-06 10:00 挂起中，计时暂停" in client.get(f"/orders/{oid}").text
    clock.now = datetime(2025, 11, 12, 10, 0)  # Wednesday: Thu 14 h + Fri, Mon, Tue + 10 h
    resumed = act(client, oid, "resume")
    assert resumed["deadline"] == "2025-11-14T23:59:59+08:00" and resumed["deadline_status"] == "on_time"
    doc = client.get(f"/api/v1/orders/{oid}").json()
    assert doc["deadline_clock"] == {
        "original_deadline": "2025-11-10T23:59:59+08:00", "paused_seconds": 4 * 86400,
        "paused_title": "4 个工作日", "deadline": "2025-11-14T23:59:59+08:00", "suspended_since": None,
    }  # fmt: skip
    clock.now = datetime(2025, 11, 17, 9, 0)
    assert [o["id"] for o in client.get("/api/v1/orders?overdue=true").json()["orders"]] == [oid]
    page = client.get(f"/orders/{oid}").text
    assert "原期限 2025-11-10 23:59，累计挂起 4 个工作日" in page and "期限已顺延至 2025-11-14 23:59" in page


def test_send_back_twice_correct_routing_and_merge(client):
    oid = create(client)["order"]["id"]
    for department in ("县农业农村局", "县自然资源局"):
        act(client, oid, "assign", assignee=department, reason="试分派")
        order = act(client, oid, "send_back", reason="不属于本单位")
    assert order["send_backs"] == 2 and order["ping_pong"]
    assert client.get("/api/v1/orders?ping_pong=true").json()["total"] == 1
    fixed = client.post(f"/api/v1/orders/{oid}/routing", json={"by": "审核员", "item_key": "basic:74", "reason": "实为乱堆"})
    assert fixed.json()["routing"]["status"] == "corrected"
    other = create(client, "地里有人烧秸秆，烟很大")["order"]["id"]
    merged = client.post(f"/api/v1/orders/{oid}/merge", json={"by": "x", "orders": [other]})
    assert merged.status_code == 200
    assert act(client, other, "assign", status=409)["error"]["code"] == "merged_order"
    assert client.get("/api/v1/orders?state=bogus").status_code == 422


def test_attachments_up_and_down(client):
    oid = create(client)["order"]["id"]
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    up = client.post(f"/api/v1/orders/{oid}/attachments", files={"file": ("../现场.png", png, "image/png")}, data={"by": "网格员"})
    assert up.status_code == 201 and up.json()["file_name"] == "现场.png"
    down = client.get(f"/api/v1/orders/{oid}/attachments/{up.json()['id']}")
    assert down.content == png and down.headers["content-type"] == "image/png"
    assert "filename*=UTF-8''%E7%8E%B0%E5%9C%BA.png" in down.headers["content-disposition"]
    bad = client.post(f"/api/v1/orders/{oid}/attachments", files={"file": ("a.exe", b"MZ", "application/x-msdownload")})
    assert bad.status_code == 422 and "不支持的附件类型" in bad.json()["error"]["message"]
    big = client.post(f"/api/v1/orders/{oid}/attachments", files={"file": ("big.txt", b"x" * (11 * 1024 * 1024), "text/plain")})
    assert big.status_code == 422 and "超过上限" in big.json()["error"]["message"]
    assert client.get(f"/api/v1/orders/{oid}/attachments/999").status_code == 404


def test_import_stats_and_export(client):
    data = hotline_csv(100)
    first = client.post("/api/v1/orders/import", files={"file": ("12345.csv", data, "text/csv")}).json()
    assert first["created"] == 100 - len(BAD_ROWS) and [b["line"] for b in first["bad_rows"]] == [12, 22, 32, 42]
    again = client.post("/api/v1/orders/import", files={"file": ("12345.csv", data, "text/csv")}).json()
    assert (again["created"], again["already_imported"]) == (0, 96)
    mapped = client.post(
        "/api/v1/orders/import",
        files={"file": ("x.csv", "编号,时间,内容\nB1,2025-10-01 10:00,路灯坏了\n".encode(), "text/csv")},
        data={"mapping": '{"source_id": "编号", "received_at": "时间", "content": "内容"}'},
    )
    assert mapped.json()["created"] == 1
    stats = client.get("/api/v1/orders/stats").json()
    assert stats["totals"]["total"] == 97 and stats["by_category"] and len(stats["weeks"]) == 12
    book = load_workbook(io.BytesIO(client.get("/api/v1/orders/export.xlsx?state=new").content))
    assert book["工单"].max_row == 98


def test_import_reports_rows_that_look_like_an_open_order_or_an_earlier_row(client):
    first = create(client, "二道桥村路边有人焚烧秸秆，浓烟很大", address="额敏县某乡二道桥村",
                   received_at="2025-10-30T09:00:00")["order"]  # fmt: skip
    data = (
        "工单编号,来电时间,诉求内容,地址\n"
        "RX1,2025-11-01 10:00,团结村自来水停了三天，没人管,额敏县某乡团结村\n"
        "RX2,2025-11-02 11:00,二道桥村路边又有人焚烧秸秆，浓烟很大,额敏县某乡二道桥村\n"
        "RX3,2025-11-02 15:00,团结村自来水已经停了三天了，没人管,额敏县某乡团结村\n"
    ).encode()
    doc = client.post("/api/v1/orders/import", files={"file": ("12345.csv", data, "text/csv")}).json()
    assert doc["created"] == 3 and doc["bad_rows"] == []
    flagged = {d["line"]: d for d in doc["duplicates"]}
    assert sorted(flagged) == [3, 4]
    assert [(m["order_id"], m["line"]) for m in flagged[3]["matches"]] == [(first["id"], None)]
    row = flagged[4]["matches"][0]
    assert row["line"] == 2 and row["order_id"] and 0.35 <= row["score"] <= 1
    assert flagged[4]["message"].startswith("第 4 行（工单") and "第 2 行（工单" in flagged[4]["message"]
    again = client.post("/api/v1/orders/import", files={"file": ("12345.csv", data, "text/csv")}).json()
    assert (again["created"], again["already_imported"], again["duplicates"]) == (0, 3, [])


def test_every_action_records_the_logged_in_user_not_the_name_sent(client):
    log_in(client, "clerk")
    oid = create(client)["order"]["id"]  # "by": "受理员" in the body
    other = client.post("/api/v1/orders", json={"content": "地里有人烧秸秆，烟很大"})  # `by` left out
    assert other.status_code == 201, other.text
    routed = client.post(f"/api/v1/orders/{oid}/routing", json={"by": "冒名的人"})
    assert routed.status_code == 200, routed.text
    act(client, oid, "assign", by="冒名的人")
    act(client, oid, "start")
    act(client, oid, "suspend", reason="等材料")
    act(client, oid, "resume", by="冒名的人")
    note = client.post(f"/api/v1/orders/{oid}/notes", json={"text": "已到现场"})
    assert note.status_code == 201, note.text
    merged = client.post(f"/api/v1/orders/{oid}/merge",
                         json={"by": "冒名的人", "orders": [other.json()["order"]["id"]]})  # fmt: skip
    assert merged.status_code == 200, merged.text
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
    up = client.post(f"/api/v1/orders/{oid}/attachments",
                     files={"file": ("现场.png", png, "image/png")}, data={"by": "冒名的人"})  # fmt: skip
    assert up.status_code == 201 and up.json()["uploaded_by"] == "clerk"
    history = client.get(f"/api/v1/orders/{oid}").json()["history"]
    assert len(history) >= 8 and {h["actor"] for h in history} == {"clerk"}
    imported = client.post("/api/v1/orders/import", data={"by": "冒名的人"},
                           files={"file": ("12345.csv", hotline_csv(3), "text/csv")})  # fmt: skip
    assert imported.status_code == 200 and imported.json()["created"] == 3
    listed = client.get("/api/v1/orders", params={"limit": 500}).json()["orders"]
    actors = {h["actor"] for o in listed for h in client.get(f"/api/v1/orders/{o['id']}").json()["history"]}
    assert actors == {"clerk"}
    too_long = client.post(f"/api/v1/orders/{oid}/notes", json={"by": "李" * 101, "text": "x"})
    assert too_long.status_code == 422
