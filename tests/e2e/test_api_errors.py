"""Wrong input gets a 4xx with a machine code and a Chinese message naming what was wrong; never
a 500. Errors outside /api go to the page renderer the web package registers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import Request, Response
from fastapi.responses import PlainTextResponse
from fastapi.testclient import TestClient

from lvzhi.api.errors import set_page_renderer
from lvzhi.domain.router import MAX_MATTER_CHARS
from tests.apptools import app_of, client_on_copy

CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, cli_template: Path) -> Iterator[TestClient]:
    with client_on_copy(cli_template, tmp_path_factory.mktemp("api-errors")) as client:
        yield client


def error_of(response, status: int, code: str, field: str | None = None) -> str:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code
    assert CHINESE.search(error["message"]), error["message"]
    assert error.get("field") == field
    return error["message"]


GETS = [
    # (url, status, code, field, words the message must contain)
    ("/api/v1/items/coop:999", 404, "unknown_item", None, "清单中没有事项 coop:999"),
    ("/api/v1/items/coop-49", 422, "bad_item_key", None, "格式不对"),
    ("/api/v1/items?township=无此乡", 404, "unknown_township", None, "无此乡"),
    ("/api/v1/versions?township=无此乡", 404, "unknown_township", None, "额敏县某乡"),
    ("/api/v1/items?version=9", 404, "unknown_version", None, "已有版本"),
    ("/api/v1/items?kind=foo", 422, "bad_filter", "kind", "basic（基本）"),
    ("/api/v1/items?department=无此局", 422, "bad_filter", "department", "未登记的部门“无此局”"),
    ("/api/v1/items/coop:49?department=无此局", 422, "bad_filter", "department", "无此局"),
    ("/api/v1/items?role=boss", 422, "bad_filter", "role", "lead（牵头）"),
    ("/api/v1/items?limit=abc", 422, "invalid_input", "limit", "应为整数，收到“abc”"),
    ("/api/v1/items?limit=0", 422, "invalid_input", "limit", "应不小于 1"),
    ("/api/v1/items?limit=501", 422, "invalid_input", "limit", "应不大于 500"),
    ("/api/v1/items?offset=-1", 422, "invalid_input", "offset", "应不小于 0"),
    ("/api/v1/items?q=" + "耕" * 201, 422, "invalid_input", "q", "最多 200 个字"),
    ("/api/v1/departments/无此局", 404, "unknown_department", None, "/api/v1/departments"),
    ("/api/v1/search", 422, "invalid_input", "q", "是必填项"),
    ("/api/v1/search?q=，。", 422, "empty_query", "q", "搜索词为空"),
    ("/api/v1/search?q=耕地&limit=x", 422, "invalid_input", "limit", "应为整数"),
    ("/api/v1/search?q=耕地&kind=x", 422, "bad_filter", "kind", "无法识别"),
    ("/api/v1/export?format=pdf", 422, "invalid_input", "format", "json、csv、xlsx、docx"),
    ("/api/v1/export?format=csv&kind=x", 422, "bad_filter", "kind", "无法识别"),
    ("/api/v1/no-such-thing", 404, "not_found", None, "/api/v1/no-such-thing"),
]


@pytest.mark.parametrize(("url", "status", "code", "field", "words"), GETS)
def test_bad_get_is_a_4xx_with_a_chinese_message(client, url, status, code, field, words):
    assert words in error_of(client.get(url), status, code, field)


ROUTES = [
    # (json body, status, code, field, words)
    ({}, 422, "invalid_input", "text", "请求体字段“text”是必填项"),
    ({"text": 123}, 422, "invalid_input", "text", "应为文字"),
    ({"text": "烧秸秆", "top": "x"}, 422, "invalid_input", "top", "应为整数，收到“x”"),
    ({"text": "烧秸秆", "top": 0}, 422, "invalid_input", "top", "应不小于 1"),
    ({"text": "烧秸秆", "top": 21}, 422, "invalid_input", "top", "应不大于 20"),
    ({"text": "   "}, 422, "empty_text", "text", "请填写"),
    ([1, 2], 422, "invalid_input", None, "JSON 对象"),
    ({"text": "秸" * (MAX_MATTER_CHARS + 1)}, 413, "text_too_long", None, "5000 字以内"),
]


@pytest.mark.parametrize(("body", "status", "code", "field", "words"), ROUTES)
def test_bad_route_request_is_a_4xx_with_a_chinese_message(
    client, body, status, code, field, words
):
    response = client.post("/api/v1/route", json=body)
    assert words in error_of(response, status, code, field)


def test_broken_json_and_huge_bodies_are_refused(client):
    broken = client.post(
        "/api/v1/route", content=b'{"text": ', headers={"content-type": "application/json"}
    )
    assert "不是合法的 JSON" in error_of(broken, 422, "invalid_input")
    huge = client.post("/api/v1/route", content=b"x" * 200_000)
    assert "请求体过大" in error_of(huge, 413, "payload_too_large")

    def chunks() -> Iterator[bytes]:
        for _ in range(100):
            yield b"x" * 1000

    streamed = client.post(
        "/api/v1/route", content=chunks(), headers={"content-type": "application/json"}
    )
    assert "请求体过大" in error_of(streamed, 413, "payload_too_large")


def test_wrong_method_is_405(client):
    assert "不支持 DELETE" in error_of(client.delete("/api/v1/items"), 405, "method_not_allowed")


def test_errors_outside_the_api_go_to_the_registered_page_renderer(client):
    app = app_of(client)
    seen: list[tuple[int, str]] = []

    def page(request: Request, status: int, code: str, message: str) -> Response:
        seen.append((status, code))
        return PlainTextResponse(f"页面：{message}", status_code=status)

    set_page_renderer(app, page)
    try:
        response = client.get("/no-such-page")
        assert response.status_code == 404 and response.text.startswith("页面：")
        assert client.get("/api/v1/items/coop:999").json()["error"]["code"] == "unknown_item"
        assert seen == [(404, "not_found")]
    finally:
        set_page_renderer(app, None)
    assert client.get("/no-such-page").json()["error"]["code"] == "not_found"


def test_openapi_and_docs_work_offline(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/items", "/api/v1/items/{key}", "/api/v1/route", "/api/v1/export"} <= set(
        spec["paths"]
    )
    page = client.get("/docs").text
    assert "/api/docs-assets/swagger-ui-bundle.js" in page and "cdn" not in page.lower()
    script = client.get("/api/docs-assets/swagger-ui-bundle.js")
    assert script.status_code == 200 and len(script.content) > 100_000
    assert "cdn" not in client.get("/redoc").text.lower()
