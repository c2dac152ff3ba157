"""Optimistic locking: an action sent with the version the person saw is refused (409) once
someone else changed the order or the review, so no change is silently written over."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.apptools import client_on_copy

TASK = "县应急管理局：请各乡：1.对加油站开展安全检查；2.开展消防安全宣传。"


@pytest.fixture
def client(tmp_path: Path, cli_template: Path) -> Iterator[TestClient]:
    with client_on_copy(cli_template, tmp_path, user="clerk") as client:
        yield client


def test_a_stale_review_action_is_refused_not_lost(client):
    review = client.post(
        "/api/v1/reviews", json={"text": TASK, "sender": "应急局", "reviewer": "张三"}
    ).json()
    assert review["version"] == 1
    first = client.post(f"/api/v1/reviews/{review['id']}/override",
                        json={"by": "王五", "number": 2, "to": "退回", "reason": "已由县级承接", "expected_version": 1})  # fmt: skip
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = client.post(
        f"/api/v1/reviews/{review['id']}/decide", json={"by": "李四", "expected_version": 1}
    )
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale_review"
    assert "第 1 版" in stale.json()["error"]["message"]
    assert client.get(f"/api/v1/reviews/{review['id']}").json()["state"] == "pending"
    fresh = client.post(
        f"/api/v1/reviews/{review['id']}/decide", json={"by": "李四", "expected_version": 2}
    )
    assert fresh.status_code == 200 and fresh.json()["version"] == 3


def test_the_review_page_sends_the_version_it_showed(client):
    review = client.post(
        "/api/v1/reviews", json={"text": TASK, "sender": "应急局", "reviewer": "张三"}
    ).json()
    page = client.get(f"/reviews/{review['id']}").text
    assert 'name="version" value="1"' in page
    current = review["demands"][0]["decision"]
    to = "接收" if current != "accept" else "退回"
    changed = client.post(f"/api/v1/reviews/{review['id']}/override",
                          json={"by": "王五", "number": 1, "to": to, "reason": "理由"})  # fmt: skip
    assert changed.status_code == 200, changed.text
    stale = client.post(f"/reviews/{review['id']}/decide", data={"by": "李四", "version": "1"})
    assert stale.status_code == 409 and "已被他人修改" in stale.text


def test_a_stale_order_action_is_refused_not_lost(client):
    order = client.post("/api/v1/orders", json={"content": "村口路灯坏了", "by": "张三"}).json()[
        "order"
    ]
    assert (
        client.post(
            f"/api/v1/orders/{order['id']}/assign", json={"by": "甲", "expected_version": 1}
        ).status_code
        == 200
    )
    stale = client.post(
        f"/api/v1/orders/{order['id']}/assign", json={"by": "乙", "expected_version": 1}
    )
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale_order"
