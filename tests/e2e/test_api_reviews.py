"""The review register through the HTTP API: one entry per demand, the workflow with its refusals,
the reply letter, the register and the figures."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest
from docx import Document
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tests.apptools import client_on_copy

TASK = "县应急管理局：请各乡：1.对辖区加油站开展危险化学品安全检查；2.在各村开展消防安全知识宣传；3.协助办理辖区企业的增值税发票认证"


@pytest.fixture
def client(tmp_path: Path, cli_template: Path) -> Iterator[TestClient]:
    with client_on_copy(cli_template, tmp_path) as client:
        yield client


def _create(client: TestClient, **extra: object) -> dict:
    body = {"text": TASK, "sender": "应急局", "reviewer": "张三", "deadline": "2026-12-20", **extra}
    response = client.post("/api/v1/reviews", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def _post(client: TestClient, path: str, code: int = 200, **body: object) -> dict:
    response = client.post(f"/api/v1/reviews/{path}", json=body)
    assert response.status_code == code, response.text
    return response.json()


def test_create_returns_one_entry_per_demand_plus_id_and_state(client):
    doc = _create(client)
    assert doc["id"] == 1 and doc["state"] == "pending"
    assert [d["decision"] for d in doc["demands"]] == ["refuse", "accept", "needs_approval"]
    first = doc["demands"][0]
    assert {"text", "decision", "items", "reason", "flags"} <= set(first)
    assert first["items"] == ["reclaimed:54"] and first["flags"][0]["code"] == "sender_took_it_back"
    assert doc["sender_department"] == "县应急管理局" and doc["deadline"] == "2026-12-20"
    assert doc["list_version"] == {"township": "额敏县某乡", "number": 1, "label": "2025"}
    assert doc["allowed_actions"] == ["override", "decide"]
    assert client.get("/api/v1/reviews/1").json()["audit"][0]["action"] == "create"


def test_workflow_through_the_api_with_audit_and_county_view(client):
    assert _create(client)["reviewer"] == "admin"  # the logged-in user, not the name typed
    changed = _post(client, "1/override", by="王五", number=2, to="退回", reason="已由县里组织")
    assert changed["demands"][1]["overrides"][0]["from"] == "accept"
    assert changed["demands"][1]["overrides"][0]["by"] == "admin"
    decided = _post(client, "1/decide")  # `by` may be left out when logged in
    assert decided["decision"] == "needs_approval" and decided["decided_by"] == "admin"
    pending = client.get("/api/v1/reviews/approvals", params={"pending": "true"}).json()
    assert [r["id"] for r in pending["reviews"]] == [1]
    refused = _post(client, "1/close", 409, by="李四")
    assert refused["error"]["code"] == "awaiting_county" and "须先登记县级审批结果" in refused["error"]["message"]
    county = _post(client, "1/county", by="县委编办", outcome="批准")["county"]
    assert county["outcome"] == "approved" and county["by"] == "admin"
    assert _post(client, "1/close", by="李四")["state"] == "closed"
    audit = client.get("/api/v1/reviews/1").json()["audit"]
    assert [a["action"] for a in audit] == ["create", "override", "decide", "county", "close"]
    assert {a["actor"] for a in audit} == {"admin"}
    assert audit[2]["before"]["state"] == "pending" and audit[2]["after"]["state"] == "reviewed"
    listed = client.get("/api/v1/reviews", params={"state": "已办结"}).json()
    assert listed["count"] == 1 and listed["reviews"][0]["county"] == "approved"


def test_refusals_have_status_code_and_chinese_message(client):
    assert client.get("/api/v1/reviews/9").status_code == 404
    _create(client)
    cases = [
        ("1/reopen", 409, "transition_not_allowed", {"by": "李四", "reason": "x"}),
        ("1/override", 404, "unknown_demand", {"by": "李四", "number": 9, "to": "退回", "reason": "x"}),
        ("1/override", 422, "reason_required", {"by": "李四", "number": 1, "to": "接收", "reason": ""}),
        ("1/override", 422, "bad_choice", {"by": "李四", "number": 1, "to": "同意", "reason": "x"}),
        ("1/decide", 422, "reason_required", {"by": "李四", "decision": "接收"}),
        ("1/decide", 422, "invalid_input", {"by": "李" * 101}),
        ("1/county", 409, "transition_not_allowed", {"by": "县", "outcome": "批准"}),
    ]
    for path, status, code, body in cases:
        error = _post(client, path, status, **body)["error"]
        assert error["code"] == code, (path, error)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in error["message"])
    assert client.get("/api/v1/reviews/1/reply.docx").json()["error"]["code"] == "not_decided"
    assert client.post("/api/v1/reviews", json={"text": " ", "reviewer": "张三"}).status_code == 422
    bad_state = client.get("/api/v1/reviews", params={"state": "foo"})
    assert bad_state.status_code == 422 and bad_state.json()["error"]["field"] == "state"


def test_reply_letters_register_and_stats(client):
    _create(client)
    _post(client, "1/decide", by="李四")
    docx = client.get("/api/v1/reviews/1/reply.docx")
    assert docx.status_code == 200 and docx.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    assert "职责准入审查回复函-1.docx" in unquote(docx.headers["content-disposition"])
    paragraphs = [p.text for p in Document(io.BytesIO(docx.content)).paragraphs]
    assert any("清单上级收回事项第 54 项" in p for p in paragraphs)
    pdf = client.get("/api/v1/reviews/1/reply.pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert client.get("/api/v1/reviews/1/reply.odt").status_code == 422
    xlsx = client.get("/api/v1/reviews/register.xlsx")
    workbook = load_workbook(io.BytesIO(xlsx.content))
    assert workbook.active["A2"].value == 1 and workbook.active["M2"].value == "报请准入"
    stats = client.get("/api/v1/reviews/stats").json()
    assert stats["total"] == 1 and stats["departments"][0]["sent_for_approval"] == 1
    assert stats["pushed_items"][0]["key"] == "reclaimed:54"


def test_reviews_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/reviews", "/api/v1/reviews/{review_id}/decide", "/api/v1/reviews/stats",
            "/api/v1/reviews/{review_id}/reply.{fmt}", "/api/v1/reviews/register.xlsx"} <= set(paths)  # fmt: skip
