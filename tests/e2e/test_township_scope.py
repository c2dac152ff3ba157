"""Two townships of one county in one instance: the review register, its export and figures show
the township chosen (selector, ``?township=``, ``/townships/{id}/``), township staff never see
another township's reviews, and propose list changes only for their own township, as themselves.
Work orders likewise: the list, its export (from the pages too) and the figures are the chosen
township's, none of another township's for its staff; review actions record who is logged in."""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from lvzhi import services
from lvzhi.data import load_emin_list
from lvzhi.services import accounts
from lvzhi.services.policy import Role
from lvzhi.storage.db import Database
from lvzhi.synthetic import synthetic_county
from tests.apptools import client_on_copy, log_in

EMIN = "额敏县某乡"  # township 1, the test user "clerk"'s
A_TASK = "请各乡开展消防安全宣传"
B_TASK = "请各乡统计本乡耕地撂荒情况"


@pytest.fixture
def client(tmp_path: Path, cli_template: Path) -> Iterator[TestClient]:
    """Emin and a synthetic township B (id 2) with its own clerk; one review in each."""
    with client_on_copy(cli_template, tmp_path) as client:
        database: Database = client.app.state.database  # type: ignore[attr-defined]
        for duty_list in synthetic_county(load_emin_list(), count=1, seed=5):
            services.import_list(database.uow(), duty_list)
        other = client.get("/api/v1/townships").json()["townships"][1]["name"]
        accounts.add_user(database.uow(), "b_clerk", Role.TOWNSHIP, "b-clerk-test-pass",
                          display_name="赵乡干", township=other)  # fmt: skip
        log_in(client, "clerk")
        created = client.post("/api/v1/reviews", json={"text": A_TASK, "reviewer": "张三"})
        assert created.status_code == 201, created.text
        log_in(client, "b_clerk")
        created = client.post(
            "/api/v1/townships/2/reviews", json={"text": B_TASK, "reviewer": "赵"}
        )
        assert created.status_code == 201, created.text
        client.other = other  # type: ignore[attr-defined]
        yield client


def texts(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [r["text"] for r in response.json()["reviews"]]


def exported(client: TestClient, **params: str) -> list[str]:
    response = client.get("/api/v1/reviews/register.xlsx", params=params)
    assert response.status_code == 200, response.text
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [str(cell.value) for row in sheet.iter_rows(min_row=2) for cell in row if cell.value]


def test_the_register_export_and_figures_show_the_chosen_township_only(client):
    log_in(client, "lister")  # a county role sees every township, one at a time
    other = client.other
    assert texts(client.get("/api/v1/reviews")) == [A_TASK]  # the default township
    assert texts(client.get("/api/v1/reviews", params={"township": other})) == [B_TASK]
    assert texts(client.get("/api/v1/townships/2/reviews")) == [B_TASK]
    assert client.get("/api/v1/townships/2/reviews/stats").json()["total"] == 1
    assert client.get("/api/v1/reviews/stats", params={"township": EMIN}).json()["total"] == 1
    assert B_TASK in exported(client, township=other) and A_TASK not in exported(
        client, township=other
    )
    assert A_TASK in exported(client) and B_TASK not in exported(client)
    unknown = client.get("/api/v1/reviews", params={"township": "没有这个乡"})
    assert unknown.status_code == 404
    page = client.get("/reviews", params={"township": other})
    assert B_TASK in page.text and A_TASK not in page.text
    assert "register.xlsx?township=" in page.text  # the export button downloads what is shown
    stats = client.get("/reviews/stats")  # the selector (cookie) now says township B
    assert "<strong>1</strong>审查记录" in stats.text
    log_in(client, "admin")  # two more: the figures follow the register of the township shown
    for task in ("请各乡做好防汛准备", "请各乡上报秸秆禁烧台账"):
        created = client.post("/api/v1/townships/2/reviews", json={"text": task, "reviewer": "钱"})
        assert created.status_code == 201, created.text
    assert client.get("/api/v1/townships/2/reviews/stats").json()["total"] == 3
    assert client.get("/api/v1/reviews/stats").json()["total"] == 1
    assert "<strong>3</strong>审查记录" in client.get("/reviews/stats").text


def test_township_staff_never_see_another_townships_reviews(client):
    log_in(client, "clerk")
    other = client.other
    assert texts(client.get("/api/v1/reviews")) == [A_TASK]
    assert texts(client.get("/api/v1/reviews", params={"township": other})) == []
    assert texts(client.get("/api/v1/townships/2/reviews")) == []
    assert client.get("/api/v1/townships/2/reviews/stats").json()["total"] == 0
    assert B_TASK not in exported(client, township=other)
    assert client.get("/api/v1/reviews/2").status_code == 404
    page = client.get("/reviews", params={"township": other})
    assert page.status_code == 200 and B_TASK not in page.text and A_TASK not in page.text
    log_in(client, "b_clerk")
    assert texts(client.get("/api/v1/townships/2/reviews")) == [B_TASK]
    assert texts(client.get("/api/v1/townships/1/reviews")) == []


def test_township_staff_propose_only_for_their_own_township_and_as_themselves(client):
    log_in(client, "b_clerk")
    body = {"change": "remove", "key": "basic:6", "reason": "已合并", "by": "冒名的人"}
    own = client.post("/api/v1/townships/2/proposals", json=body)
    assert own.status_code == 201, own.text
    assert own.json()["proposed_by"] == "赵乡干"  # the logged-in user, not the name typed
    refused = client.post("/api/v1/townships/1/proposals", json=body)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    assert client.post("/api/v1/proposals", json=body).status_code == 403  # default: Emin
    page = client.post("/proposals", params={"township": EMIN}, data={**body, "key": "basic:6"})
    assert page.status_code == 403
    log_in(client, "clerk")
    mine = client.post("/api/v1/proposals", json={**body, "by": ""})
    assert mine.status_code == 201 and mine.json()["proposed_by"] == "clerk"
    theirs = own.json()["id"]
    withdrawn = client.post(f"/api/v1/proposals/{theirs}/withdraw", json={})
    assert withdrawn.status_code == 403
    log_in(client, "admin")  # a county role reviews; the proposer cannot, whatever name is typed
    approved = client.post(f"/api/v1/proposals/{theirs}/approve", json={"by": "赵乡干"})
    assert approved.status_code == 200 and approved.json()["reviewed_by"] == "admin"
    own_proposal = client.post("/api/v1/proposals", json={**body, "key": "basic:7"}).json()
    self_review = client.post(f"/api/v1/proposals/{own_proposal['id']}/approve",
                              json={"by": "别人"})  # fmt: skip
    assert self_review.status_code == 409 and self_review.json()["error"]["code"] == "self_review"


# ---- work orders: the list, one order, the figures and the export follow the township chosen ----

A_ORDER = "村口路灯坏了，晚上看不见路"
B_ORDER = "地里有人烧麦秆，烟大得睁不开眼"


@pytest.fixture
def with_orders(client: TestClient) -> TestClient:
    """``client`` with one order in each township, taken in by that township's staff."""
    log_in(client, "clerk")
    made = client.post("/api/v1/orders", json={"content": A_ORDER, "by": "张三"})
    assert made.status_code == 201, made.text
    log_in(client, "b_clerk")
    made = client.post("/api/v1/orders", params={"township": client.other},  # type: ignore[attr-defined]
                       json={"content": B_ORDER, "by": "赵"})  # fmt: skip
    assert made.status_code == 201, made.text
    client.b_order = made.json()["order"]["id"]  # type: ignore[attr-defined]
    return client


def contents(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [o["content"] for o in response.json()["orders"]]


def order_export(client: TestClient, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, response.text
    sheet = load_workbook(io.BytesIO(response.content))["工单"]
    return [str(cell.value) for row in sheet.iter_rows(min_row=2) for cell in row if cell.value]


def export_link(page) -> str:
    """The page's 导出 Excel link, as the browser follows it."""
    assert page.status_code == 200, page.text
    found = re.search(r'href="(/api/v1/orders/export\.xlsx[^"]*)"', page.text)
    assert found is not None
    return html.unescape(found.group(1))


def test_the_order_pages_export_the_orders_of_the_township_shown(with_orders):
    client = with_orders
    log_in(client, "admin")  # a county role: every township, one at a time
    other = client.other
    assert contents(client.get("/api/v1/orders")) == [A_ORDER]
    assert contents(client.get("/api/v1/orders", params={"township": other})) == [B_ORDER]
    listing = client.get("/orders", params={"township": other})
    assert B_ORDER in listing.text and A_ORDER not in listing.text
    link = export_link(listing)
    assert parse_qs(urlsplit(link).query)["township"] == [other]
    shown = order_export(client, link)
    assert B_ORDER in shown and A_ORDER not in shown
    filtered = export_link(client.get("/orders", params={"state": "new", "q": "麦秆"}))
    wanted = {"township": [other], "state": ["new"], "q": ["麦秆"]}  # the filters too
    assert parse_qs(urlsplit(filtered).query) == wanted
    board = client.get("/orders/dashboard")  # the selector (cookie) still says township B
    assert "工单总数<strong>1</strong>" in board.text
    shown = order_export(client, export_link(board))
    assert B_ORDER in shown and A_ORDER not in shown
    client.get("/orders", params={"township": EMIN})
    shown = order_export(client, export_link(client.get("/orders/dashboard")))
    assert A_ORDER in shown and B_ORDER not in shown


def test_township_staff_see_no_orders_of_another_township(with_orders):
    client = with_orders
    log_in(client, "clerk")
    other, b_order = client.other, client.b_order
    assert contents(client.get("/api/v1/orders")) == [A_ORDER]
    assert contents(client.get("/api/v1/orders", params={"township": other})) == []  # not A's
    assert client.get("/api/v1/orders", params={"township": other}).json()["total"] == 0
    assert client.get(f"/api/v1/orders/{b_order}").status_code == 404
    figures = client.get("/api/v1/orders/stats", params={"township": other})
    assert figures.status_code == 200 and figures.json()["totals"]["total"] == 0
    assert client.get("/api/v1/orders/stats").json()["totals"]["total"] == 1
    exported_there = order_export(client, f"/api/v1/orders/export.xlsx?township={quote(other)}")
    assert A_ORDER not in exported_there and B_ORDER not in exported_there
    page = client.get("/orders", params={"township": other})
    assert page.status_code == 200 and A_ORDER not in page.text and B_ORDER not in page.text
    assert client.get(f"/orders/{b_order}").status_code == 404
    board = client.get("/orders/dashboard")  # another township's figures: empty, not a 403
    assert board.status_code == 200 and "工单总数<strong>0</strong>" in board.text
    assert order_export(client, export_link(board)) == []
    log_in(client, "b_clerk")
    assert contents(client.get("/api/v1/orders", params={"township": other})) == [B_ORDER]
    assert contents(client.get("/api/v1/orders", params={"township": EMIN})) == []


# ---- review actions record who is logged in ----


def test_review_actions_record_the_logged_in_user_not_a_typed_name(client):
    log_in(client, "b_clerk")
    created = client.post("/api/v1/townships/2/reviews", json={"text": "请各乡开展防汛宣传"})
    assert created.status_code == 201, created.text  # `reviewer` may be left out
    review = created.json()
    assert review["reviewer"] == "赵乡干"
    url = f"/api/v1/reviews/{review['id']}"
    changed = client.post(f"{url}/override",
                          json={"by": "冒名的人", "number": 1, "to": "退回", "reason": "县里已组织"})  # fmt: skip
    assert changed.status_code == 200, changed.text
    assert changed.json()["demands"][0]["overrides"][0]["by"] == "赵乡干"
    decided = client.post(f"{url}/decide", json={"by": "冒名的人", "comments": "x"})
    assert decided.status_code == 200 and decided.json()["decided_by"] == "赵乡干"
    assert client.post(f"{url}/reopen", json={"reason": "依据有误"}).status_code == 200
    audit = client.get(url).json()["audit"]
    assert [a["actor"] for a in audit] == ["赵乡干"] * 4
    page = client.get(f"/reviews/{review['id']}", params={"township": client.other})
    assert 'value="赵乡干" required maxlength="100" placeholder="姓名" readonly' in page.text
    form = client.post(f"/reviews/{review['id']}/decide", data={"by": "冒名的人"},
                       follow_redirects=False)  # fmt: skip
    assert form.status_code == 303, form.text
    assert client.get(url).json()["decided_by"] == "赵乡干"
