"""CLI tests run against their own SQLite database in a temporary data folder, never the user's."""

from __future__ import annotations

from pathlib import Path

import pytest

from lvzhi.config import SQLITE_FILE
from tests.dbtools import build_emin_database, copy_sqlite


@pytest.fixture(scope="session")
def cli_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_emin_database(tmp_path_factory.mktemp("cli-template") / SQLITE_FILE)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty data folder as LVZHI_DATA_DIR; no LVZHI_DATABASE_URL."""
    folder = tmp_path / "data"
    monkeypatch.setenv("LVZHI_DATA_DIR", str(folder))
    monkeypatch.delenv("LVZHI_DATABASE_URL", raising=False)
    return folder


@pytest.fixture(autouse=True)
def emin_data_dir(data_dir: Path, cli_template: Path, request: pytest.FixtureRequest) -> Path:
    """The data folder holding a database with the Emin list (skipped by tests marked
    ``empty_data_dir``, which start from nothing)."""
    if "empty_data_dir" not in request.keywords:
        copy_sqlite(cli_template, data_dir / SQLITE_FILE)
    return data_dir


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "empty_data_dir: the test starts with no database")
