"""Storage tests run once per backend: SQLite always, PostgreSQL when LVZHI_TEST_PG_URL is set."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lvzhi.data import load_departments, load_emin_list
from lvzhi.domain.model import DutyList
from lvzhi.services import init_database
from lvzhi.storage.db import Database
from tests.dbtools import BACKENDS, build_emin_database, copy_sqlite, fresh_url


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def database(backend: str, tmp_path: Path) -> Iterator[Database]:
    """An empty database at the newest schema."""
    with fresh_url(backend, tmp_path) as url:
        db = Database(url, load_departments())
        db.migrate()
        yield db
        db.dispose()


@pytest.fixture(scope="session")
def emin_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database with the Emin list, built once and copied by the tests that need it."""
    return build_emin_database(tmp_path_factory.mktemp("template") / "emin.sqlite")


@pytest.fixture
def emin_db(backend: str, tmp_path: Path, emin_template: Path) -> Iterator[Database]:
    """A database holding the Emin list as version 1."""
    if backend == "sqlite":
        copy_sqlite(emin_template, tmp_path / "emin.sqlite")
        db = Database(f"sqlite:///{tmp_path / 'emin.sqlite'}", load_departments())
        yield db
        db.dispose()
        return
    with fresh_url(backend, tmp_path) as url:
        db = Database(url, load_departments())
        init_database(db)
        yield db
        db.dispose()


@pytest.fixture(scope="session")
def emin_list() -> DutyList:
    return load_emin_list()
