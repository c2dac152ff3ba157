"""Search (ranked, with spans to highlight) and routing (the router's answer, in the shape of
``lvzhi route --json``)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from lvzhi.data import default_router
from lvzhi.routing_view import routing_doc
from tests.apptools import app_of, client_on_copy


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, cli_template: Path) -> Iterator[TestClient]:
    with client_on_copy(cli_template, tmp_path_factory.mktemp("api-search"), user=None) as client:
        yield client


def test_search_ranks_items_and_marks_what_matched(client):
    doc = client.get("/api/v1/search", params={"q": "耕地 破坏", "limit": 5}).json()
    assert doc["query"] == "耕地 破坏" and doc["version"]["number"] == 1
    hits = doc["hits"]
    assert hits[0]["key"] == "coop:49" and [h["rank"] for h in hits] == [1, 2, 3, 4, 5]
    scores = [h["score"] for h in hits]
    assert scores == sorted(scores, reverse=True)
    top = hits[0]
    assert [top["name"][s:e] for s, e in top["name_spans"]] == ["破坏耕地"]
    snippet = top["snippet"]
    marked = {snippet["text"][s:e] for s, e in snippet["spans"]}
    assert marked <= {"耕地", "破坏", "破坏耕地"} and snippet["title"] == "上级部门职责"


def test_search_reports_the_official_terms_it_also_looked_for(client):
    doc = client.get("/api/v1/search", params={"q": "违建"}).json()
    assert doc["expansions"] == [{"typed": "违建", "official": "违法建设"}]
    top = doc["hits"][0]
    assert top["key"] == "coop:50" and top["terms"] == ["违法建设"]
    snippet = top["snippet"]
    assert "违法建设" in {snippet["text"][s:e] for s, e in snippet["spans"]}
    dibao = client.get("/api/v1/search", params={"q": "低保"}).json()
    assert dibao["expansions"] == [{"typed": "低保", "official": "最低生活保障"}]
    assert dibao["hits"] == []  # the Emin list never says 最低生活保障
    assert client.get("/api/v1/search", params={"q": "耕地"}).json()["expansions"] == []


def test_search_within_one_kind(client):
    hits = client.get("/api/v1/search", params={"q": "安全", "kind": "reclaimed"}).json()["hits"]
    assert hits and {h["kind"] for h in hits} == {"reclaimed"}


MATTERS = [
    "地里有人烧麦秆，烟大得睁不开眼",
    "县应急管理局：请各乡对加油站开展安全检查",
    "我想办理驾驶证换证",
]


@pytest.mark.parametrize("text", MATTERS)
def test_route_answers_as_the_cli_does(client, text):
    response = client.post("/api/v1/route", json={"text": text, "top": 3})
    assert response.status_code == 200, response.text
    expected = json.loads(json.dumps(routing_doc(default_router().route(text, top=3))))
    assert response.json() == expected


def test_route_shape_for_an_inside_and_an_outside_matter(client):
    inside = client.post("/api/v1/route", json={"text": MATTERS[0]}).json()
    assert set(inside) == {
        "verdict", "verdict_title", "confidence", "needs_review", "responsible",
        "handled_elsewhere_by", "colloquial", "matches",
    }  # fmt: skip
    assert inside["verdict"] == "cooperative" and len(inside["matches"]) == 3
    first = inside["matches"][0]
    assert first["key"] == "coop:63" and first["lead_departments"] == ["县农业农村局"]
    assert first["evidence"] and "why_not" not in first and "working_method" not in first
    assert {"said": "麦秆", "official": "秸秆"} in inside["colloquial"]
    outside = client.post("/api/v1/route", json={"text": MATTERS[2], "top": 2}).json()
    assert outside["verdict"] == "outside" and outside["handled_elsewhere_by"]
    assert all(m["why_not"] for m in outside["matches"])


def test_one_router_per_list_version_is_kept(client):
    routers = app_of(client).state.routers
    client.post("/api/v1/route", json={"text": MATTERS[0]})
    client.post("/api/v1/route?version=1", json={"text": MATTERS[1]})
    assert len(routers) == 1
    missing = client.post("/api/v1/route?township=无此乡", json={"text": MATTERS[0]})
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "unknown_township"
