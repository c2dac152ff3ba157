"""Engines and schema: SQLite with WAL and foreign keys, PostgreSQL through psycopg 3, Alembic."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from lvzhi.domain.departments import DepartmentRegistry
from lvzhi.domain.model import DomainError
from lvzhi.storage.uow import SqlUnitOfWork

MIGRATIONS = "lvzhi.storage.migrations"
WRITE_FLAG = "lvzhi_write"
"""Set on a connection before a transaction that will write: SQLite then takes the write lock at
BEGIN (IMMEDIATE), so two writers queue instead of failing when the second upgrades its lock."""


class DatabaseError(DomainError):
    """The database cannot be used as it is: missing, unreachable, not initialised, too new."""


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``; SQLite files get WAL, foreign keys and real transactions."""
    from lvzhi.storage import audit

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        engine = create_engine(url, pool_pre_ping=True, **kwargs)
        audit.install(engine)
        return engine
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30}, **kwargs)
    _sqlite_pragmas(engine)
    audit.install(engine)
    return engine


def _sqlite_pragmas(engine: Engine) -> None:
    """pysqlite opens transactions late and commits DDL on its own; take that over (SQLAlchemy's
    documented recipe), so every unit of work is one real transaction."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        writing = connection.info.get(WRITE_FLAG, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


def alembic_config() -> Config:
    """Alembic's configuration for the packaged migrations; the caller hands over a connection."""
    config = Config()
    config.set_main_option("script_location", str(files(MIGRATIONS)))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (creates it on an empty database)."""
    from lvzhi.storage.audit import NO_AUDIT

    with engine.begin() as connection:
        connection.execution_options(**{NO_AUDIT: True})  # a migration's rows are the schema's
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def check_schema(engine: Engine) -> None:
    """Raise :class:`DatabaseError` unless the database is reachable and at the newest revision."""
    where = engine.url.render_as_string(hide_password=True)
    try:
        revision = current_revision(engine)
    except SQLAlchemyError as exc:
        raise DatabaseError(f"无法连接数据库 {where}：{_reason(exc)}") from None
    if revision is None:
        raise DatabaseError(f"数据库 {where} 尚未初始化，请先运行 lvzhi init")
    if revision != head_revision():
        raise DatabaseError(
            f"数据库 {where} 的结构版本（{revision}）与本程序（{head_revision()}）不一致，"
            "请运行 lvzhi init 升级数据库，或升级 lvzhi"
        )


def _reason(exc: SQLAlchemyError) -> str:
    original = getattr(exc, "orig", None) or exc
    return str(original).strip().splitlines()[0] if str(original).strip() else type(exc).__name__


class Database:
    """One database: its engine, its schema, and units of work on it."""

    def __init__(self, url: str, registry: DepartmentRegistry | None = None) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.registry = registry

    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine, self.registry)

    def migrate(self) -> None:
        migrate(self.engine)

    def check(self) -> None:
        check_schema(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()
