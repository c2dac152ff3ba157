"""The read endpoints as a client uses them: townships, versions, items (filters, paging), one
item with its structure, departments."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from lvzhi import services
from lvzhi.data import load_emin_list
from lvzhi.storage.db import Database
from tests.apptools import client_on_copy
from tests.changes import EXTRA_STEP, RENAMED, changed_emin

HR = "县人力资源和社会保障局"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, cli_template: Path) -> Iterator[TestClient]:
    """The Emin list as version 1 and a changed copy as version 2."""
    with client_on_copy(cli_template, tmp_path_factory.mktemp("api-lists"), user=None) as client:
        database: Database = client.app.state.database  # type: ignore[attr-defined]
        services.import_list(database.uow(), changed_emin(load_emin_list()))
        yield client


def get(client: TestClient, url: str, **params: object) -> dict:
    response = client.get(url, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_townships_name_the_default_and_its_newest_version(client):
    doc = get(client, "/api/v1/townships")
    assert doc["default"] == "额敏县某乡"
    [township] = doc["townships"]
    assert township["name"] == "额敏县某乡" and township["versions"] == 2
    assert township["current"]["number"] == 2 and township["current"]["label"] == "2026"


def test_versions_list_every_version_with_counts(client):
    doc = get(client, "/api/v1/versions", township="额敏县某乡")
    assert [(v["number"], v["label"]) for v in doc["versions"]] == [(1, "2025"), (2, "2026")]
    assert doc["versions"][0]["counts"] == {"basic": 104, "coop": 102, "reclaimed": 58}
    assert doc["versions"][1]["total"] == 105 + 102 + 57


def test_items_page_through_the_newest_version(client):
    first = get(client, "/api/v1/items", limit=100)
    assert first["total"] == 264 and first["limit"] == 100 and len(first["items"]) == 100
    assert first["version"]["number"] == 2
    assert first["items"][4]["name"] == RENAMED[1]
    last = get(client, "/api/v1/items", limit=100, offset=200)
    assert len(last["items"]) == 64 and last["items"][-1]["key"] == "reclaimed:57"
    beyond = get(client, "/api/v1/items", offset=1000)
    assert beyond["total"] == 264 and beyond["items"] == []


def test_items_filter_by_kind_category_department_and_text(client):
    coop = get(client, "/api/v1/items", kind="coop", limit=500)
    assert coop["total"] == 102 and {i["kind"] for i in coop["items"]} == {"coop"}
    assert get(client, "/api/v1/items", kind="配合")["total"] == 102
    safety = get(client, "/api/v1/items", kind="coop", category="安全")
    assert safety["total"] > 0 and all("安全" in i["category"] for i in safety["items"])
    hr = get(client, "/api/v1/items", department="人社局", limit=500)
    assert hr["department"] == HR and hr["total"] == 13
    assert all(
        i["roles"] and set(i["roles"]) <= {"lead", "receiver", "assist"} for i in hr["items"]
    )
    leads = get(client, "/api/v1/items", department="人社局", role="lead")
    assert leads["total"] == 7 and all(i["roles"] == ["lead"] for i in leads["items"])
    land = get(client, "/api/v1/items", q="耕地 林地")
    assert "coop:49" in [i["key"] for i in land["items"]]
    assert get(client, "/api/v1/items", q="耕地 没有这样的词")["total"] == 0


def test_an_older_version_stays_readable(client):
    old = get(client, "/api/v1/items/basic:5", version="1")
    assert old["name"] == load_emin_list().item("basic:5").name and old["version"]["number"] == 1
    assert get(client, "/api/v1/items/basic:5")["name"] == RENAMED[1]
    assert get(client, "/api/v1/items", version="2025")["total"] == 264


def test_cooperative_item_has_steps_sections_and_department_parts(client):
    item = get(client, "/api/v1/items/coop:49")
    assert item["name"] == "对非法占用、破坏耕地、林地行为的监管执法"
    assert item["lead_departments"] == ["县自然资源局"]
    assert item["township_duties"]["paragraphs"][-1] == EXTRA_STEP
    steps = item["department_duties"]["sections"][0]["steps"]
    assert [s["number"] for s in steps] == [1, 2] and steps[1]["text"].startswith("对造成林木")
    [part] = item["department_parts"]
    assert part["department"] == "县自然资源局" and len(part["paragraphs"]) == 2
    assert "receiving_departments" not in item and "department_part" not in item


def test_one_departments_part_of_an_item(client):
    item = get(client, "/api/v1/items/coop:2", department="纪委")
    part = item["department_part"]
    assert part["department"] == "县纪律检查委员会"
    assert [s["heading"] for s in part["sections"]][-1] == "三、干部监督和干部延伸考察工作"
    assert part["paragraphs"][-1].startswith("2.县纪律检查委员会对反映领导干部")
    headings = [s["heading"] for s in item["department_duties"]["sections"]]
    assert headings[0].startswith("一、") and len(headings) == 3
    assert {p["department"] for p in item["department_parts"]} == {
        "县委组织部",
        HR,
        "县纪律检查委员会",
    }
    none = get(client, "/api/v1/items/basic:1", department="人社局")["department_part"]
    assert none["paragraphs"] == [] and "没有上级部门职责" in none["message"]


def test_basic_and_reclaimed_items_have_their_own_fields(client):
    basic = get(client, "/api/v1/items/basic:76")
    assert basic["kind_title"] == "基本履职事项" and "lead_departments" not in basic
    reclaimed = get(client, "/api/v1/items/reclaimed:54")
    assert reclaimed["receiving_departments"] and reclaimed["working_method"]["paragraphs"]
    assert "township_duties" not in reclaimed


def test_departments_with_counts_and_one_with_its_items(client):
    doc = get(client, "/api/v1/departments")
    by_name = {d["name"]: d for d in doc["departments"]}
    assert by_name[HR]["lead"] == 7 and by_name[HR]["receiver"] == 6
    assert "人社局" in by_name[HR]["aliases"]
    totals = [d["total"] for d in doc["departments"]]
    assert totals == sorted(totals, reverse=True)
    one = get(client, "/api/v1/departments/人社局")
    assert one["name"] == HR and one["total"] == len(one["items"]) == 13
    assert {tuple(i["roles"]) for i in one["items"]} == {("lead",), ("receiver",)}
