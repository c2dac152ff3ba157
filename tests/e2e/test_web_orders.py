"""The work-order pages through TestClient: intake, the order page with routing and actions,
refusals shown on the page, merging, notes, attachments, import and the dashboard."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.apptools import client_on_copy, log_in
from tests.ordertools import BAD_ROWS, hotline_csv

BURNING = "地里有人烧麦秆，烟大得睁不开眼"


@pytest.fixture
def client(tmp_path: Path, cli_template: Path) -> Iterator[TestClient]:
    with client_on_copy(cli_template, tmp_path) as client:
        yield client


def submit(client: TestClient, path: str, **form: object):
    return client.post(path, data={k: str(v) for k, v in form.items()}, follow_redirects=False)


def intake(client: TestClient, content: str = BURNING, **form: object) -> str:
    response = submit(client, "/orders", content=content, source="12345", by="张三", **form)
    assert response.status_code == 303, response.text
    return response.headers["location"]


def test_intake_shows_the_routing_and_masks_the_phone(client):
    assert "受理并分派" in client.get("/orders/new").text
    location = intake(client, reporter_phone="13812345678", address="额敏县某乡二道桥村")
    assert location == "/orders/1"
    page = client.get(location).text
    assert "配合履职事项第 63 项" in page and "县农业农村局" in page and "138****5678" in page
    assert "13812345678" not in page and "13812345678" in client.get(f"{location}?contact=1").text
    assert (
        "138****5678" in client.get("/orders").text
        and 'aria-current="page">工单<' in client.get("/orders").text
    )
    bad = submit(client, "/orders", content="  ", by="x")
    assert bad.status_code == 422 and "诉求内容不能为空" in bad.text


def test_from_assignment_to_visit_with_refusals_on_the_page(client):
    location = intake(client)
    assert submit(client, f"{location}/routing", by="审核员", version=1).status_code == 303
    wrong = submit(client, f"{location}/act", action="start", by="李四")
    assert wrong.status_code == 409 and "不能“开始办理”" in wrong.text
    stale = submit(
        client, f"{location}/act", action="assign", by="李四", version=1, assignee="县农业农村局"
    )
    assert stale.status_code == 409 and "已被他人修改" in stale.text
    for form in ({"action": "assign", "assignee": "县农业农村局"}, {"action": "start"},
                 {"action": "resolve", "reply": "已到现场制止"}, {"action": "visit", "satisfaction": "satisfied"}):  # fmt: skip
        assert submit(client, f"{location}/act", by="李四", **form).status_code == 303
    page = client.get(location).text
    assert "已回访" in page and "已到现场制止" in page and "满意" in page
    assert page.count("处理中") >= 1 and "act-" not in page


def test_duplicates_merge_notes_and_attachments(client):
    first = intake(client)
    second = intake(client, "地里有人烧秸秆，烟很大")
    page = client.get(second).text
    assert "可能重复的在办工单" in page and "工单 1" in page
    assert submit(client, f"{first}/merge", other=2, by="张三").status_code == 303
    assert (
        "本工单已并入" in client.get(second).text and "并入本工单的工单" in client.get(first).text
    )
    assert submit(client, f"{first}/notes", text="已到现场查看", by="网格员").status_code == 303
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
    upload = client.post(f"{first}/attachments", files={"file": ("现场.png", png, "image/png")}, data={"by": "网格员"},
                         follow_redirects=False)  # fmt: skip
    assert upload.status_code == 303
    page = client.get(first).text
    assert "已到现场查看" in page and "现场.png" in page
    refused = client.post(
        f"{first}/attachments", files={"file": ("x.exe", b"MZ", "application/octet-stream")}
    )
    assert refused.status_code == 422 and "不支持的附件类型" in refused.text


def test_import_reports_bad_rows_and_the_dashboard_draws_charts(client):
    page = client.post(
        "/orders/import",
        files={"file": ("12345.csv", hotline_csv(60), "text/csv")},
        data={"source": "12345"},
    )
    assert (
        page.status_code == 200
        and f"新建 {60 - len(BAD_ROWS)} 件" in page.text
        and "第 12 行：诉求内容为空" in page.text
    )
    listing = client.get("/orders?state=new").text
    assert f"共 {60 - len(BAD_ROWS)} 件" in listing and "下一页" in listing
    board = client.get("/orders/dashboard").text
    assert board.count("<svg") >= 3 and "按承办单位" in board and "近 12 周受理和办结" in board
    assert "县农业农村局" in board or "办公室" in board


def test_the_import_page_lists_likely_duplicates_by_line_with_links(client):
    data = (
        "工单编号,来电时间,诉求内容,地址\n"
        "RX1,2025-11-01 10:00,团结村自来水停了三天，没人管,额敏县某乡团结村\n"
        "RX2,2025-11-02 15:00,团结村自来水已经停了三天了，没人管,额敏县某乡团结村\n"
    ).encode()
    page = client.post("/orders/import", files={"file": ("12345.csv", data, "text/csv")}, data={"source": "12345"})
    assert page.status_code == 200 and "其中疑似重复 1 件" in page.text
    assert (
        '第 3 行（<a href="/orders/2">工单 2</a>）可能与以下重复：第 2 行（<a href="/orders/1">工单 1</a>）'
        in page.text
    )
    order = client.get("/orders/2").text  # the order's page offers the merge
    assert 'id="duplicates"' in order and '<a href="/orders/1">工单 1</a>（相似度' in order


def test_the_operator_field_is_the_logged_in_user_read_only_and_a_typed_name_does_not_count(client):
    log_in(client, "clerk")
    fixed = 'name="by" value="clerk" required maxlength="100" placeholder="姓名" readonly'
    assert fixed in client.get("/orders/new").text
    response = submit(client, "/orders", content=BURNING, by="冒名的人")
    assert response.status_code == 303 and "lvzhi_by" not in response.cookies
    location = response.headers["location"]
    assert submit(client, f"{location}/routing", by="冒名的人", version=1).status_code == 303
    assert submit(client, f"{location}/act", action="assign", by="冒名的人").status_code == 303
    assert submit(client, f"{location}/notes", text="已到现场查看", by="冒名的人").status_code == 303
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
    upload = client.post(f"{location}/attachments", files={"file": ("现场.png", png, "image/png")},
                         data={"by": "冒名的人"}, follow_redirects=False)  # fmt: skip
    assert upload.status_code == 303
    page = client.get(location).text
    assert page.count(fixed) >= 3  # each action's form, the file's and the note's
    assert "冒名的人" not in page and "<td>clerk</td>" in page  # the history
    order_id = location.rsplit("/", 1)[1]
    history = client.get(f"/api/v1/orders/{order_id}").json()["history"]
    assert {h["actor"] for h in history} == {"clerk"} and len(history) == 5
