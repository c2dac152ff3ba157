"""The county and list-change pages through TestClient: choosing the township (remembered in a
cookie), the routing console on the chosen township's list, proposals through publication, the
diff with reasons, comparison and the matrix."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

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
    with client_on_copy(cli_template, tmp_path) as client:
        database: Database = client.app.state.database  # type: ignore[attr-defined]
        for duty_list in synthetic_county(load_emin_list(), count=2, seed=5):
            services.import_list(database.uow(), duty_list)
        yield client


def title(page) -> str:
    return page.text.split("<title>", 1)[1].split("</title>", 1)[0]


def post(client: TestClient, path: str, **form: str):
    return client.post(path, data=form, follow_redirects=False)


def test_the_chosen_township_is_remembered_and_every_page_shows_it(client):
    other = client.get("/api/v1/townships").json()["townships"][1]["name"]
    assert 'name="township"' in client.get("/").text  # the selector, with several townships
    switched = client.get("/township", params={"township": "2", "next": "/items/coop:49"},
                          follow_redirects=False)  # fmt: skip
    assert switched.status_code == 303 and switched.headers["location"] == "/items"
    assert unquote(switched.cookies["lvzhi_township"]) == other
    client.cookies.set("lvzhi_township", switched.cookies["lvzhi_township"])
    assert other in title(client.get("/items"))
    routed = client.get("/route", params={"matter": "地里有人烧麦秆"})
    assert routed.status_code == 200 and other in title(routed)
    linked = client.get("/items", params={"township": EMIN})
    assert EMIN in title(linked) and unquote(linked.cookies["lvzhi_township"]) == EMIN
    assert client.get("/township", params={"township": "没有这个乡"}).status_code == 404
    client.cookies.set("lvzhi_township", "%E6%B2%A1%E6%9C%89")  # a township since removed
    assert EMIN in title(client.get("/items"))


def test_a_change_proposed_approved_and_published_from_the_pages(client):
    log_in(client, "clerk")  # 额敏县某乡's staff: the form's 操作人 is them, and fixed
    form = client.get("/proposals").text
    assert 'name="by" value="clerk"' in form and "readonly" in form
    made = post(client, "/proposals", change="edit", key="basic:5", name="落实“三会一课”制度",
                reason="县委组织部 8 号文", by="张三")  # fmt: skip
    assert made.status_code == 303 and made.headers["location"] == "/proposals/1"
    page = client.get("/proposals/1")
    assert "县委组织部 8 号文" in page.text and "待审核" in page.text and "同意" in page.text
    assert "clerk 于" in page.text and "张三" not in page.text  # the proposer: who is logged in
    log_in(client, "admin")
    second = post(client, "/proposals", change="remove", key="basic:6", reason="合并", by="李四")
    refused = post(client, second.headers["location"] + "/approve", by="王五")
    assert refused.status_code == 409 and "须由另一人审核" in refused.text  # admin's own
    assert post(client, "/proposals/1/approve", by="李四").status_code == 303
    assert post(client, "/proposals/2/withdraw", comment="不改了").status_code == 303
    bad = post(
        client, "/proposals", change="move", key="coop:49", target="basic", reason="", by="张三"
    )
    assert bad.status_code == 422 and "须写明理由" in bad.text
    assert "发布为第 2 版" in client.get("/proposals").text
    published = post(client, "/publish", effective="2026-11-01", label="2027", by="李四")
    assert published.headers["location"] == "/diff?old=1&new=2"
    diff = client.get(published.headers["location"])
    assert "修改 1 项" in diff.text and "理由：县委组织部 8 号文" in diff.text
    assert "落实“三会一课”制度" in diff.text
    versions = client.get("/versions")
    assert "第 2 版" in versions.text and "现行" in versions.text


def test_two_townships_compared_and_the_matrix(client):
    other = client.get("/api/v1/townships").json()["townships"][1]["name"]
    page = client.get("/compare", params={"left": EMIN, "right": other})
    assert page.status_code == 200 and f"只有{EMIN}有" in page.text and "放在不同清单" in page.text
    matrix = client.get("/matrix", params={"county": "额敏县"})
    assert matrix.status_code == 200 and "县住房和城乡建设局" in matrix.text
    county = client.get("/county")
    assert other in county.text and "与当前乡镇比较" in county.text
