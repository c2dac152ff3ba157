"""The county endpoints as a client uses them: a township's reads under its own address, change
proposals through publication and the diff with reasons, comparison and the matrix."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from lvzhi import services
from lvzhi.data import load_emin_list
from lvzhi.storage.db import Database
from lvzhi.synthetic import synthetic_county
from tests.apptools import client_on_copy, log_in

EMIN = "额敏县某乡"


@pytest.fixture
def client(tmp_path: Path, cli_template: Path) -> Iterator[TestClient]:
    """Emin and two synthetic townships of the same county."""
    with client_on_copy(cli_template, tmp_path) as client:
        database: Database = client.app.state.database  # type: ignore[attr-defined]
        for duty_list in synthetic_county(load_emin_list(), count=2, seed=5):
            services.import_list(database.uow(), duty_list)
        yield client


def ok(response) -> dict:
    assert response.status_code in (200, 201), response.text
    return response.json()


def error(response, status: int) -> dict:
    assert response.status_code == status, response.text
    return response.json()["error"]


def test_every_read_answers_under_the_townships_own_address(client):
    townships = ok(client.get("/api/v1/townships"))["townships"]
    assert [t["id"] for t in townships] == [1, 2, 3]
    other = townships[1]
    assert other["county"] == "额敏县" and other["current"]["number"] == 1
    by_id = ok(client.get("/api/v1/townships/2/items", params={"limit": 5}))
    by_query = ok(client.get("/api/v1/items", params={"township": other["name"], "limit": 5}))
    assert by_id == by_query and by_id["version"]["township"] == other["name"]
    assert (
        ok(client.get(f"/api/v1/townships/{other['name']}/versions"))["township"] == other["name"]
    )
    assert (
        ok(client.get("/api/v1/townships/2/items/basic:2"))["version"]["township"] == other["name"]
    )
    assert ok(client.get("/api/v1/townships/2/search", params={"q": "耕地"}))["hits"]
    assert ok(client.get("/api/v1/townships/2/departments"))["departments"]
    routed = ok(client.post("/api/v1/townships/2/route", json={"text": "地里有人烧麦秆"}))
    assert routed["matches"]
    assert ok(client.get("/api/v1/townships/2"))["name"] == other["name"]
    assert error(client.get("/api/v1/townships/99/items"), 404)["code"] == "unknown_township"
    clash = error(client.get("/api/v1/townships/2/items", params={"township": EMIN}), 422)
    assert clash["field"] == "township"


def test_a_change_proposed_reviewed_and_published_over_http(client):
    log_in(client, "clerk")  # the township's own staff propose; a typed name does not count
    body = {"change": "move", "key": "coop:49", "target": "reclaimed", "reason": "县级承接",
            "by": "张三"}  # fmt: skip
    proposal = ok(client.post("/api/v1/townships/1/proposals", json=body))
    assert proposal["state"] == "proposed" and proposal["actions"] == [
        "approve",
        "reject",
        "withdraw",
    ]
    assert proposal["proposed_by"] == "clerk"
    url = f"/api/v1/proposals/{proposal['id']}"
    assert error(client.post(f"{url}/approve", json={"by": "李四"}), 403)["code"] == "forbidden"
    log_in(client, "admin")
    assert (
        error(client.post(f"{url}/reject", json={"by": "李四"}), 422)["code"] == "comment_required"
    )
    approved = ok(client.post(f"{url}/approve", json={"comment": "同意"}))
    assert approved["reviewed_by"] == "admin"
    bad = {"change": "edit", "key": "basic:5", "fields": {"lead_departments": ["县公安局"]},
           "reason": "x", "by": "张三"}  # fmt: skip
    assert error(client.post("/api/v1/proposals", json=bad), 422)["field"] == "lead_departments"
    missing = {"by": "李四", "effective_date": None}
    assert (
        error(client.post("/api/v1/publish", json=missing), 422)["code"]
        == "effective_date_required"
    )
    done = ok(client.post("/api/v1/publish", json={"by": "李四", "effective_date": "2026-11-01"}))
    assert (done["previous"], done["version"]) == (1, 2)
    assert done["proposals"][0]["result_key"] == "reclaimed:59"
    diff = ok(client.get("/api/v1/diff", params={"old": 1, "new": 2}))
    assert [(m["old_key"], m["new_key"]) for m in diff["moved"]] == [("coop:49", "reclaimed:59")]
    assert diff["moved"][0]["reasons"][0]["reason"] == "县级承接"
    assert ok(client.get(url))["events"][-1]["action"] == "publish"
    again = error(
        client.post("/api/v1/publish", json={"by": "李四", "effective_date": "2026-11-01"}), 409
    )
    assert again["code"] == "nothing_to_publish"
    assert ok(client.get("/api/v1/items/coop:49", params={"version": "1"}))["kind"] == "coop"
    assert error(client.get("/api/v1/items/coop:49"), 404)["code"] == "unknown_item"


def test_two_townships_compared_and_the_county_matrix(client):
    compared = ok(client.get("/api/v1/compare", params={"left": 1, "right": 2}))
    assert compared["left"]["township"] == EMIN
    assert compared["counts"]["only_left"] >= 3 and compared["counts"]["same_list"] > 240
    assert (
        compared["other_list"]
        and compared["other_list"][0]["left"]["kind"] != compared["other_list"][0]["right"]["kind"]
    )
    matrix = ok(client.get("/api/v1/matrix", params={"county": "额敏县"}))
    assert len(matrix["townships"]) == 3
    first = matrix["departments"][0]
    assert first["total"]["coop"] == sum(c["coop"] for c in first["cells"].values())
    assert (
        error(client.get("/api/v1/matrix", params={"county": "某县"}), 404)["code"]
        == "unknown_county"
    )
