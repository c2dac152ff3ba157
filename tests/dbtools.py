"""Test helpers for databases: a fresh database per backend, and a snapshot of every row."""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from lvzhi.config import normalize_url
from lvzhi.storage.db import Database
from lvzhi.storage.tables import metadata

PG_ENV = "LVZHI_TEST_PG_URL"
BACKENDS = ["sqlite", "postgresql"]


def pg_url() -> str | None:
    url = os.environ.get(PG_ENV, "").strip()
    return normalize_url(url) if url else None


@contextmanager
def fresh_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """An empty database on ``backend``: a SQLite file, or a PostgreSQL schema of its own."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite'}"
        return
    base = pg_url()
    if base is None:
        pytest.skip(f"未设置 {PG_ENV}，跳过 PostgreSQL")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def snapshot(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sorted: equal snapshots mean nothing was stored or changed."""
    found = {}
    with database.engine.connect() as connection:
        for table in metadata.sorted_tables:
            found[table.name] = sorted(tuple(row) for row in connection.execute(select(table)))
    return found


def copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite database (WAL included), through SQLite's backup API."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def build_emin_database(path: Path) -> Path:
    """A SQLite database at ``path`` set up as ``lvzhi init`` does (schema, departments, Emin)."""
    from lvzhi.data import load_departments
    from lvzhi.services import init_database

    database = Database(f"sqlite:///{path}", load_departments())
    init_database(database)
    seed_users(database)
    database.dispose()
    return path


TOWNSHIP = "额敏县某乡"
TEST_USERS: dict[str, dict[str, str]] = {
    "admin": {"role": "admin", "password": "admin-test-pass"},
    "lister": {"role": "list_admin", "password": "lister-test-pass"},
    "clerk": {"role": "township_staff", "password": "clerk-test-pass", "township": TOWNSHIP},
    "other_clerk": {"role": "township_staff", "password": "other-test-pass", "township": "别的乡"},
    "agri": {"role": "department", "password": "agri-test-pass", "department": "县农业农村局"},
    "hotline": {"role": "operator", "password": "hotline-test-pass"},
}
"""One user per role (and a second township's clerk), in every test database built here."""


def seed_users(database: Database) -> None:
    from lvzhi.services import accounts
    from lvzhi.services.policy import Role

    for name, user in TEST_USERS.items():
        accounts.add_user(
            database.uow(), name, Role(user["role"]), user["password"],
            township=user.get("township"), department=user.get("department"),
        )  # fmt: skip
