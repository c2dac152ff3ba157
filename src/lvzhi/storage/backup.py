"""Backups: a consistent copy of a running database, and putting one back.

SQLite goes through SQLite's online backup API (``sqlite3.Connection.backup``): it copies a
consistent snapshot page by page while lvzhi keeps serving, WAL included, and the copy is checked
(``PRAGMA integrity_check``) before it counts. PostgreSQL goes through ``pg_dump -Fc`` and
``pg_restore --clean`` (the server's own tools, found on PATH).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from lvzhi.domain.model import DomainError


class BackupError(DomainError):
    """A backup or restore that could not be made; nothing was changed."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    revision: str | None


def backend(url: str) -> str:
    return make_url(url).get_backend_name()


def sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("内存数据库无法备份")
    return Path(database)


def _check_sqlite_file(path: Path) -> str | None:
    """The file's schema revision, after checking it is an intact SQLite database of lvzhi."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
            verdict = connection.execute("PRAGMA integrity_check").fetchone()[0]
            if verdict != "ok":
                raise BackupError(f"{path} 已损坏（integrity_check：{verdict}）")
            tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
            if "alembic_version" not in tables or "list_versions" not in tables:
                raise BackupError(f"{path} 不是 lvzhi 的数据库")
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            return row[0] if row else None
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} 不是可用的 SQLite 数据库：{exc}") from None


def backup_sqlite(url: str, target: Path) -> BackupResult:
    source = sqlite_path(url)
    if not source.exists():
        raise BackupError(f"找不到数据库文件 {source}")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    partial.unlink(missing_ok=True)
    try:
        with sqlite3.connect(source, timeout=30) as src, sqlite3.connect(partial) as dst:
            src.backup(dst, pages=1024)
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside
        src.close()
        dst.close()
        revision = _check_sqlite_file(partial)
        os.replace(partial, target)
    finally:
        for leftover in (partial, *(partial.with_name(partial.name + x) for x in ("-wal", "-shm"))):
            leftover.unlink(missing_ok=True)
    return BackupResult(target, target.stat().st_size, revision)


def restore_sqlite(url: str, source: Path) -> Path:
    """Put ``source`` back as the database; the current file is kept beside it first. Returns
    where the previous database was kept."""
    if not source.is_file():
        raise BackupError(f"找不到备份文件 {source}")
    _check_sqlite_file(source)
    target = sqlite_path(url)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    kept = target.with_name(f"{target.name}.before-restore-{stamp}")
    if target.exists():
        backup_sqlite(url, kept)
    with sqlite3.connect(source) as src, sqlite3.connect(target, timeout=30) as dst:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=WAL")
    src.close()
    dst.close()
    return kept


def _libpq_url(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _schema(url: str) -> str | None:
    """The schema a URL's ``options=-csearch_path=NAME`` picks (how the tests isolate)."""
    options = str(make_url(url).query.get("options", ""))
    marker = "search_path="
    return options.split(marker, 1)[1].split(",")[0].split()[0] if marker in options else None


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
            if (folder / name).exists():
                return str(folder / name)
        raise BackupError(f"找不到 {name}：请安装 PostgreSQL 客户端工具（postgresql-client）")
    return found


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} 失败：{done.stderr.strip()[:500]}")


def backup_postgresql(url: str, target: Path) -> BackupResult:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    schema = _schema(url)
    only = [f"--schema={schema}"] if schema else []
    _run([_tool("pg_dump"), "--format=custom", "--no-owner", *only, f"--file={partial}",
          _libpq_url(url)])  # fmt: skip
    os.replace(partial, target)
    return BackupResult(target, target.stat().st_size, None)


def restore_postgresql(url: str, source: Path) -> None:
    if not source.is_file():
        raise BackupError(f"找不到备份文件 {source}")
    _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
          f"--dbname={_libpq_url(url)}", str(source)])  # fmt: skip


def backup(url: str, target: Path) -> BackupResult:
    if backend(url) == "sqlite":
        return backup_sqlite(url, target)
    return backup_postgresql(url, target)


def restore(url: str, source: Path) -> Path | None:
    if backend(url) == "sqlite":
        return restore_sqlite(url, source)
    restore_postgresql(url, source)
    return None
