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
def client_on_copy(template: Path, folder: Path) -> Iterator[TestClient]:
    """A client of a new app whose database is a copy of ``template`` in ``folder``."""
    target = folder / "api.sqlite"
    copy_sqlite(template, target)
    with TestClient(create_app(sqlite_settings(target))) as client:
        yield client


def app_of(client: TestClient) -> FastAPI:
    app = client.app
    assert isinstance(app, FastAPI)
    return app
