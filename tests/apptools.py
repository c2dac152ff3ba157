"""Test helpers for the app: a TestClient on its own copy of a database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from lvzhi.api.app import create_app
from lvzhi.config import Settings
from tests.dbtools import copy_sqlite


def sqlite_settings(path: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{path}")


@contextmanager
def client_on_copy(
    template: Path, folder: Path, user: str | None = "admin"
) -> Iterator[TestClient]:
    """A client of a new app whose database is a copy of ``template`` in ``folder``, logged in
    as ``user`` (one of ``tests.dbtools.TEST_USERS``; ``None``: the public)."""
    target = folder / "api.sqlite"
    copy_sqlite(template, target)
    with TestClient(create_app(sqlite_settings(target))) as client:
        if user is not None:
            log_in(client, user)
        yield client


def token_for(app: FastAPI, username: str) -> str:
    """A bearer token for a stored user (issued directly: no password hashing in every test)."""
    from lvzhi.services import accounts

    database = app.state.database
    with database.uow() as uow:
        row = uow.accounts.user_by_name(username)
    assert row is not None, f"no test user {username}"
    return accounts.issue_token(database.uow(), accounts.principal_of(row), "test")


def log_in(client: TestClient, username: str = "admin") -> TestClient:
    """From now on ``client`` acts as ``username`` (a bearer token: no CSRF token needed)."""
    client.headers["Authorization"] = f"Bearer {token_for(app_of(client), username)}"
    return client


def log_out(client: TestClient) -> TestClient:
    client.headers.pop("Authorization", None)
    return client


def app_of(client: TestClient) -> FastAPI:
    app = client.app
    assert isinstance(app, FastAPI)
    return app
