"""Exports through the API: every format, the same filters as /items, a Chinese file name."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest
from docx import Document
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from lvzhi.data import load_emin_list
from lvzhi.formats import from_csv, from_json, from_xlsx
from tests.apptools import client_on_copy


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, cli_template: Path) -> Iterator[TestClient]:
    with client_on_copy(cli_template, tmp_path_factory.mktemp("api-export"), user=None) as client:
        yield client


def export(client: TestClient, **params: str):
    response = client.get("/api/v1/export", params=params)
    assert response.status_code == 200, response.text
    return response


def test_json_export_is_the_whole_list(client):
    response = export(client)
    assert response.headers["content-type"].startswith("application/json")
    disposition = unquote(response.headers["content-disposition"])
    assert disposition.startswith("attachment;") and "额敏县某乡-第1版.json" in disposition
    assert from_json(response.text, source_name="api.json") == load_emin_list()


def test_csv_export_keeps_only_the_filtered_items(client):
    response = export(client, format="csv", kind="coop", department="自然资源局")
    assert response.headers["content-type"].startswith("text/csv")
    read = from_csv(response.content, source_name="api.csv")
    keys = [str(item.key) for item in read.items()]
    listed = client.get(
        "/api/v1/items", params={"kind": "coop", "department": "自然资源局", "limit": 500}
    ).json()
    assert keys == [item["key"] for item in listed["items"]] and "coop:49" in keys


def test_xlsx_and_docx_exports_open(client):
    xlsx = export(client, format="xlsx", q="耕地").content
    assert load_workbook(io.BytesIO(xlsx)).sheetnames
    read = from_xlsx(xlsx, source_name="api.xlsx")
    assert read.township == "额敏县某乡" and "coop:49" in [str(i.key) for i in read.items()]
    assert 0 < len(list(read.items())) < 264
    docx = Document(io.BytesIO(export(client, format="docx", kind="reclaimed").content))
    assert len(docx.tables) >= 1
