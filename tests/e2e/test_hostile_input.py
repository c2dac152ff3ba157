"""Hostile input: script and template payloads in every field a page shows come back escaped,
SQL in filters is only text, oversized text and bodies are refused, file names cannot climb out."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from lvzhi.services import accounts
from lvzhi.services.policy import Role
from tests.apptools import app_of, client_on_copy, log_in, log_out

SCRIPT = "<script>alert(1)</script>"
TAG = "<img src=x onerror=alert(2)>"
TEMPLATE = "{{7*7}}{% raw %}"
PAYLOAD = f"烧麦秆{SCRIPT}\"'>{TAG}{TEMPLATE}"
RAW = re.compile(r"<script>alert|<img src=x", re.IGNORECASE)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, cli_template: Path) -> Iterator[TestClient]:
    with client_on_copy(cli_template, tmp_path_factory.mktemp("hostile"), user="admin") as client:
        yield client


def page(client: TestClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code < 500, path
    html = response.text
    assert not RAW.search(html), f"{path} 原样输出了脚本或标签"
    return html


def test_payloads_in_every_order_field_are_escaped_on_every_page(client):
    fields = {"content": PAYLOAD, "address": PAYLOAD, "village": "x" + TAG[:50],
              "reporter_name": PAYLOAD[:100], "source_id": "RX" + SCRIPT, "by": PAYLOAD[:100]}  # fmt: skip
    created = client.post("/api/v1/orders", json=fields)
    assert created.status_code == 201, created.text
    order_id = created.json()["order"]["id"]
    client.post(f"/api/v1/orders/{order_id}/notes", json={"by": PAYLOAD[:100], "text": PAYLOAD})
    client.post(
        f"/api/v1/orders/{order_id}/assign",
        json={"by": "x", "assignee": "党政办", "reason": PAYLOAD},
    )
    files = {"file": (f"../../{SCRIPT}.txt", "内容".encode(), "text/plain")}
    upload = client.post(
        f"/api/v1/orders/{order_id}/attachments", files=files, data={"by": PAYLOAD[:100]}
    )
    assert upload.status_code == 201 and "/" not in upload.json()["file_name"]
    html = page(client, f"/orders/{order_id}")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "{{7*7}}" in html
    page(client, f"/orders/{order_id}?contact=1")
    page(client, f"/orders?q={SCRIPT}")
    page(client, "/orders")
    page(client, "/orders/dashboard")
    download = client.get(f"/api/v1/orders/{order_id}/attachments/{upload.json()['id']}")
    assert (
        "\n" not in download.headers["content-disposition"]
        and "<" not in download.headers["content-disposition"]
    )
    assert download.headers["x-content-type-options"] == "nosniff"


def test_payloads_in_reviews_users_search_and_errors_are_escaped(client):
    review = client.post(
        "/api/v1/reviews",
        json={
            "text": "请各乡开展消防宣传" + PAYLOAD,
            "sender": PAYLOAD[:100],
            "reviewer": PAYLOAD[:100],
        },
    )
    assert review.status_code == 201, review.text
    review_id = review.json()["id"]
    client.post(
        f"/api/v1/reviews/{review_id}/decide",
        json={"by": "x", "decision": "退回", "comments": PAYLOAD},
    )
    for path in (f"/reviews/{review_id}", "/reviews", "/reviews/stats", "/reviews/approvals"):
        page(client, path)
    accounts.add_user(app_of(client).state.database.uow(), "evil", Role.OPERATOR, "evil-pass-123",
                      display_name=PAYLOAD[:100])  # fmt: skip
    users = page(client, "/admin/users")
    assert "&lt;script&gt;" in users
    page(client, "/audit")
    log_in(client, "evil")
    page(client, "/orders")  # the user's own name in the navigation
    log_in(client, "admin")
    for path in (f"/items?q={SCRIPT}", f"/search?q={SCRIPT}", f"/route?matter={PAYLOAD}",
                 f"/departments/{SCRIPT}", f"/items/{SCRIPT}", f"/no-such-page{SCRIPT}"):  # fmt: skip
        page(client, path)
    log_out(client)
    page(client, f"/route?matter={PAYLOAD}")
    page(client, f"/login?next={SCRIPT}")


def test_sql_in_filters_is_only_text(client):
    log_in(client, "admin")
    injections = ["' OR '1'='1", "1; DROP TABLE work_orders; --", "%' --", "\\", "\x00"]
    for text in injections:
        orders = client.get("/api/v1/orders", params={"q": text, "village": text, "assignee": text})
        assert orders.status_code == 200 and orders.json()["total"] == 0
        items = client.get("/api/v1/items", params={"q": text})
        assert items.status_code in (200, 422) and (
            items.status_code == 422 or items.json()["total"] == 0
        )
        assert client.get("/api/v1/audit", params={"actor": text}).json()["total"] == 0
        assert client.get("/api/v1/search", params={"q": text}).status_code < 500
    assert client.get("/api/v1/orders").json()["total"] >= 1  # the table is still there


def test_oversized_text_and_bodies_are_refused(client):
    log_in(client, "admin")
    too_long = client.post("/api/v1/orders", json={"content": "烧" * 5001})
    assert too_long.status_code in (413, 422)
    assert (
        client.post(
            "/api/v1/orders", json={"content": "烧", "reporter_name": "名" * 101}
        ).status_code
        == 422
    )
    huge = client.post(
        "/api/v1/route",
        content=b"{" + b" " * 70_000 + b"}",
        headers={"content-type": "application/json"},
    )
    assert huge.status_code == 413
    big_user = client.post("/api/v1/users", json={"username": "a" * 51, "role": "operator"})
    assert big_user.status_code == 422
    bad_name = client.post("/api/v1/users", json={"username": "../etc", "role": "operator"})
    assert bad_name.status_code == 422
    long_password = client.post(
        "/api/v1/auth/login", json={"username": "admin", "password": "x" * 201}
    )
    assert long_password.status_code == 422
    big_file = {"file": ("a.txt", b"x" * (10 * 1024 * 1024 + 1), "text/plain")}
    refused = client.post("/api/v1/orders/1/attachments", files=big_file, data={"by": "x"})
    assert refused.status_code == 422 and "超过上限" in refused.text


def test_page_forms_are_held_to_the_same_limits_as_the_api(client):
    log_in(client, "admin")
    long_name = client.post("/orders", data={"content": "村口路灯坏了", "reporter_name": "名" * 101})
    assert long_name.status_code == 422 and "诉求人姓名过长" in long_name.text
    long_address = client.post("/api/v1/orders", json={"content": "路灯坏了", "address": "址" * 501})
    assert long_address.status_code == 422


def test_pages_forbid_foreign_scripts_and_framing(client):
    response = client.get("/items")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert response.headers["x-frame-options"] == "DENY"
    assert "content-security-policy" not in client.get("/docs").headers  # Swagger UI's own script
