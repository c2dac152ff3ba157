"""Open311 GeoReport v2 conformance: every endpoint's fields and their types, the api_key on
POST, and errors as ``[{"code", "description"}]``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.apptools import client_on_copy

BASE = "/open311/v2"
KEY = "test-key-123"
SERVICE_FIELDS = {"service_code": str, "service_name": str, "description": str, "metadata": bool,
                  "type": str, "keywords": str, "group": str}  # fmt: skip
REQUEST_FIELDS = {
    "service_request_id": str, "status": str, "status_notes": str, "service_name": str,
    "service_code": str, "description": str, "agency_responsible": str, "service_notice": str,
    "requested_datetime": str, "updated_datetime": str, "expected_datetime": str, "address": str,
    "address_id": str, "zipcode": str,
}  # fmt: skip


@pytest.fixture
def client(tmp_path: Path, cli_template: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("LVZHI_OPEN311_KEYS", f"other-key, {KEY}")
    with client_on_copy(cli_template, tmp_path) as client:
        yield client


def post(client: TestClient, **fields: object):
    return client.post(f"{BASE}/requests.json", data={"api_key": KEY, **fields})


def assert_error(response, status: int) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert isinstance(body, list) and len(body) == 1 and set(body[0]) == {"code", "description"}
    assert body[0]["code"] == status and isinstance(body[0]["description"], str)
    return body[0]["description"]


def assert_time(text: str) -> None:
    moment = datetime.fromisoformat(text)
    assert moment.tzinfo is not None and text.endswith("+08:00")


def test_discovery(client):
    doc = client.get(f"{BASE}/discovery.json").json()
    assert {"changeset", "contact", "key_service", "endpoints"} <= set(doc)
    endpoint = doc["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith(BASE) and endpoint["type"] in ("production", "test")
    assert "application/json" in endpoint["formats"]
    assert_time(endpoint["changeset"])


def test_services_are_the_list_items(client):
    services = client.get(f"{BASE}/services.json").json()
    assert len(services) == 104 + 102 + 58 + 1
    for service in services:
        assert {k: type(service[k]) for k in SERVICE_FIELDS} == SERVICE_FIELDS
        assert service["metadata"] is False and service["type"] == "realtime"
    coop = next(s for s in services if s["service_code"] == "coop:49")
    assert coop["group"] == "自然资源" and "县部门牵头" in coop["description"] and coop["keywords"]
    assert services[-1]["service_code"] == "auto"
    definition = client.get(f"{BASE}/services/coop:49.json").json()
    assert definition == {"service_code": "coop:49", "attributes": []}
    assert "没有服务" in assert_error(client.get(f"{BASE}/services/coop:999.json"), 404)
    assert "JSON" in assert_error(client.get(f"{BASE}/services.xml"), 400)


def test_post_needs_a_valid_api_key(client):
    fields = {"service_code": "auto", "description": "路灯坏了", "address_string": "二道桥村"}
    assert "api_key" in assert_error(client.post(f"{BASE}/requests.json", data=fields), 403)
    assert_error(client.post(f"{BASE}/requests.json", data={**fields, "api_key": "nope"}), 403)
    assert "位置" in assert_error(post(client, service_code="auto", description="路灯坏了"), 400)
    assert_error(post(client, service_code="coop:999", description="x", address_string="y"), 404)
    assert "description" in assert_error(post(client, service_code="auto", address_string="y"), 400)
    assert "lat" in assert_error(post(client, service_code="auto", description="x", lat="北", long="1"), 400)


def test_post_then_read_back_with_every_field_typed(client):
    created = post(client, service_code="auto", description="地里有人烧麦秆，烟大得睁不开眼", lat="46.52",
                   long="83.63", first_name="先生", last_name="王", phone="13812345678")  # fmt: skip
    assert created.status_code == 200, created.text
    answer = created.json()
    assert len(answer) == 1 and set(answer[0]) == {"service_request_id", "service_notice", "account_id"}
    request_id = answer[0]["service_request_id"]
    assert isinstance(request_id, str) and "配合履职事项第 63 项" in answer[0]["service_notice"]
    chosen = post(client, service_code="coop:49", description="有人在耕地上挖沙", address_string="额敏县某乡团结村")
    [one] = client.get(f"{BASE}/requests/{request_id}.json").json()
    assert {k: type(one[k]) for k in REQUEST_FIELDS} == REQUEST_FIELDS
    assert (one["status"], one["service_code"], one["agency_responsible"]) == ("open", "coop:63", "县农业农村局")
    assert isinstance(one["lat"], float) and isinstance(one["long"], float) and "phone" not in str(one)
    for key in ("requested_datetime", "updated_datetime", "expected_datetime"):
        assert_time(one[key])
    listed = client.get(f"{BASE}/requests.json").json()
    assert [r["service_request_id"] for r in listed] == [chosen.json()[0]["service_request_id"], request_id]
    assert client.get(f"{BASE}/requests.json?status=closed").json() == []
    coop49 = client.get(f"{BASE}/requests.json?service_code=coop:49").json()
    assert [r["service_code"] for r in coop49] == ["coop:49"] and coop49[0]["address"] == "额敏县某乡团结村"
    by_id = client.get(f"{BASE}/requests.json?service_request_id={request_id}").json()
    assert [r["service_request_id"] for r in by_id] == [request_id]
    assert client.get(f"{BASE}/requests.json?start_date=2099-01-01T00:00:00Z").json() == []
    assert_error(client.get(f"{BASE}/requests.json?status=maybe"), 400)
    assert_error(client.get(f"{BASE}/requests.json?start_date=昨天"), 400)
    assert_error(client.get(f"{BASE}/requests/999.json"), 404)


def test_a_closed_request_carries_the_reply_and_a_photo(client):
    request_id = post(client, service_code="auto", description="村口路灯坏了", address_string="二道桥村").json()[0]["service_request_id"]
    api = f"/api/v1/orders/{request_id}"
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 10
    client.post(f"{api}/attachments", files={"file": ("灯.png", png, "image/png")})
    for action, body in (("assign", {}), ("start", {}), ("resolve", {"reply": "已更换灯泡"})):
        assert client.post(f"{api}/{action}", json={"by": "x", **body}).status_code == 200
    [one] = client.get(f"{BASE}/requests/{request_id}.json").json()
    assert one["status"] == "closed" and one["status_notes"] == "已办结：已更换灯泡"
    assert one["media_url"].startswith("http") and client.get(one["media_url"]).content == png
