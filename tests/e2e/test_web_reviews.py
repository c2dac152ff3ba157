"""The admission review pages through TestClient: the form, the review page with its verdicts and
decision buttons, refusals shown on the page, the county view and the figures with inline SVG."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.apptools import client_on_copy

TASK = "县应急管理局：请各乡：1.对辖区加油站开展危险化学品安全检查；2.在各村开展消防安全知识宣传；3.协助办理辖区企业的增值税发票认证"


@pytest.fixture
def client(tmp_path: Path, cli_template: Path) -> Iterator[TestClient]:
    with client_on_copy(cli_template, tmp_path) as client:
        yield client


def _submit(client: TestClient, path: str, **form: object):
    return client.post(path, data={k: str(v) for k, v in form.items()}, follow_redirects=False)


def _new(client: TestClient) -> str:
    response = _submit(client, "/reviews", text=TASK, sender="应急局", deadline="2026-12-20", by="张三")
    assert response.status_code == 303, response.text
    assert "lvzhi_by" not in response.cookies  # the 操作人 is who is logged in: nothing to remember
    return response.headers["location"]


def test_register_page_has_the_form_and_lists_reviews(client):
    page = client.get("/reviews")
    assert page.status_code == 200 and "登记新任务" in page.text and "没有审查记录" in page.text
    location = _new(client)
    assert location == "/reviews/1"
    listed = client.get("/reviews", params={"state": "pending"}).text
    assert 'href="/reviews/1"' in listed and "县应急管理局" in listed and "待审" in listed
    assert "没有审查记录" in client.get("/reviews", params={"state": "closed"}).text


def test_review_page_shows_each_verdict_flags_items_and_buttons(client):
    page = client.get(_new(client)).text
    assert page.count('class="demand demand-') == 3
    assert "退回（已收回事项）" in page and "报请准入审批（清单外）" in page
    assert "发文部门县应急管理局正是该事项的承接部门" in page  # a flag
    assert 'href="/items/reclaimed:54"' in page
    assert 'action="/reviews/1/decide"' in page and 'action="/reviews/1/override"' in page
    assert 'action="/reviews/1/close"' not in page
    assert 'name="by" value="admin" required maxlength="100" placeholder="姓名" readonly' in page
    assert 'value="张三"' not in page  # 操作人 is who is logged in, not the name last typed
    assert "<dt>登记人</dt><dd>admin，" in page
    assert "登记审查" in page  # the audit trail


def test_actions_through_forms_and_refusals_on_the_page(client):
    _new(client)
    refused = _submit(client, "/reviews/1/override", number=2, to="refuse", reason="", by="王五")
    assert refused.status_code == 422 and "须写明理由" in refused.text and 'role="alert"' in refused.text
    assert _submit(client, "/reviews/1/override", number=2, to="refuse", reason="县里已组织", by="王五").status_code == 303
    assert _submit(client, "/reviews/1/decide", decision="", comments="", by="李四").status_code == 303
    page = client.get("/reviews/1").text
    assert "admin 改判：接收 → 退回（已收回事项）；理由：县里已组织" in page and "王五" not in page
    assert 'action="/reviews/1/county"' in page and 'action="/reviews/1/close"' not in page
    assert "/api/v1/reviews/1/reply.pdf" in page
    again = _submit(client, "/reviews/1/decide", decision="", by="李四")
    assert again.status_code == 409 and "当前为“已审”，不能作出审查决定" in again.text
    approvals = client.get("/reviews/approvals", params={"pending": "true"}).text
    assert 'href="/reviews/1"' in approvals and "协助办理辖区企业的增值税发票认证" in approvals
    back = _submit(client, "/reviews/1/county", outcome="denied", note="属部门职责", by="县委编办", back="approvals")
    assert back.status_code == 303 and back.headers["location"] == "/reviews/approvals"
    assert "不予准入" in client.get("/reviews/approvals").text
    assert _submit(client, "/reviews/1/close", comments="已函复", by="李四").status_code == 303
    assert "已办结的记录只能查看" in client.get("/reviews/1").text


def test_unknown_review_and_bad_input_are_chinese_error_pages(client):
    missing = client.get("/reviews/42")
    assert missing.status_code == 404 and "没有编号为 42 的审查记录" in missing.text
    assert missing.headers["content-type"].startswith("text/html")
    empty = _submit(client, "/reviews", text="  ", by="张三")
    assert empty.status_code == 422 and "任务内容为空" in empty.text
    bad_date = _submit(client, "/reviews", text=TASK, deadline="3月1日", by="张三")
    assert bad_date.status_code == 422 and "格式不对" in bad_date.text and "3月1日" in bad_date.text
    assert client.get("/reviews", params={"state": "foo"}).status_code == 422


def test_statistics_page_draws_inline_svg_charts(client):
    assert "还没有审查记录" in client.get("/reviews/stats").text
    _new(client)
    _submit(client, "/reviews/1/decide", by="李四")
    page = client.get("/reviews/stats").text
    svgs = re.findall(r"<svg [^>]*class=\"bars\"", page)
    assert len(svgs) == 2 and "各部门交办任务" in page and "最常被错误下派的清单事项" in page
    assert 'href="/items/reclaimed:54"' in page and "<script" not in page.split("<main", 1)[1]
    assert "100%" in page  # share sent for approval
