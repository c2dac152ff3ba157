"""Schemathesis against the app's own OpenAPI document: generated requests to every operation,
as the system administrator (who may call them all), never answered with a 5xx.

Bounded to a few examples per operation so it runs in CI in about a minute (``-m schemathesis``
selects it alone; ``LVZHI_SCHEMATHESIS_EXAMPLES`` raises the count for a longer run).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings

from lvzhi.api.app import create_app
from tests.apptools import sqlite_settings, token_for
from tests.dbtools import copy_sqlite

EXAMPLES = int(os.environ.get("LVZHI_SCHEMATHESIS_EXAMPLES", "3"))
pytestmark = pytest.mark.schemathesis


@pytest.fixture(scope="module")
def app_and_token(tmp_path_factory: pytest.TempPathFactory, cli_template: Path) -> Iterator[tuple]:
    target = tmp_path_factory.mktemp("schemathesis") / "api.sqlite"
    copy_sqlite(cli_template, target)
    app = create_app(sqlite_settings(target))
    with TestClient(app) as client:  # runs the lifespan; a few orders and a review to act on
        token = token_for(app, "admin")
        bearer = {"Authorization": f"Bearer {token}"}
        for text in ("地里有人烧麦秆", "村口路灯坏了"):
            client.post("/api/v1/orders", json={"content": text, "by": "测试"}, headers=bearer)
        client.post(
            "/api/v1/reviews",
            json={"text": "请各乡开展消防宣传", "reviewer": "测试"},
            headers=bearer,
        )
        yield app, token


def operations(app) -> list:
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    found = [result.ok() for result in schema.get_all_operations()]
    return [op for op in found if not op.path.endswith("/auth/logout")]  # would end our token


def test_no_generated_request_gets_a_server_error(app_and_token: tuple):
    app, token = app_and_token
    failures: list[str] = []
    tried = 0
    for operation in operations(app):

        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck),
                  phases=[Phase.explicit, Phase.generate], database=None)  # fmt: skip
        @given(case=operation.as_strategy())
        def check(case) -> None:
            nonlocal tried
            tried += 1
            response = case.call(headers={"Authorization": f"Bearer {token}"})
            if response.status_code >= 500:
                failures.append(
                    f"{response.status_code}: {case.as_curl_command()}\n{response.text[:300]}"
                )

        check()
    assert tried >= len(operations(app)) and failures == [], "\n".join(failures[:10])
