"""Backups on both backends: a copy taken while the database is in use, changed afterwards, put
back; the database is then exactly as it was at the backup. Also: SQLite runs in WAL mode with
foreign keys enforced on every connection lvzhi opens."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from lvzhi.services import accounts
from lvzhi.services.policy import Role
from lvzhi.storage import backup as backups
from lvzhi.storage.db import Database
from tests.dbtools import snapshot


def _url(database: Database) -> str:
    return database.engine.url.render_as_string(hide_password=False)


def test_a_backup_restored_brings_back_exactly_what_was_there(
    emin_db: Database, backend: str, tmp_path: Path
):
    if backend == "postgresql" and shutil.which("pg_dump") is None:
        pytest.skip("没有 pg_dump（postgresql-client）")
    accounts.add_user(emin_db.uow(), "before", Role.OPERATOR, "before-pass-1")
    target = tmp_path / ("backup.sqlite" if backend == "sqlite" else "backup.dump")
    with emin_db.engine.connect() as reader:  # a reader holds a snapshot open meanwhile
        reader.execute(text("SELECT count(*) FROM items")).scalar()
        result = backups.backup(_url(emin_db), target)
    assert result.size > 0
    before = snapshot(emin_db)
    accounts.add_user(emin_db.uow(), "after", Role.OPERATOR, "after-pass-12")
    assert snapshot(emin_db) != before
    emin_db.dispose()
    backups.restore(_url(emin_db), target)
    emin_db.dispose()
    assert snapshot(emin_db) == before


def test_sqlite_connections_use_wal_and_enforce_foreign_keys(emin_db: Database, backend: str):
    if backend != "sqlite":
        pytest.skip("SQLite only")
    with emin_db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        with pytest.raises(Exception, match="FOREIGN KEY"):
            connection.execute(text("INSERT INTO api_tokens (user_id, token_hash, name, created_at) "
                                    "VALUES (999999, 'x', 'x', '2026-01-01')"))  # fmt: skip


def test_a_rolled_back_write_leaves_no_audit_entry(emin_db: Database):
    uow = emin_db.uow()
    with uow.for_writing():  # leaving without commit rolls the write and its audit entry back
        uow.accounts.add_user({"username": "ghost", "display_name": "g", "role": "operator",
                               "password_hash": "x", "created_at": accounts.now_utc()})  # fmt: skip
    rows = snapshot(emin_db)
    assert not [r for r in rows["users"] if "ghost" in r]
    assert not [r for r in rows["audit_log"] if "ghost" in str(r)]
