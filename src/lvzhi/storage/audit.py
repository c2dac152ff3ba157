"""The audit log: every INSERT, UPDATE and DELETE that goes through an engine of lvzhi is recorded
in ``audit_log`` in the same transaction (who, when, which table and row, before and after).

Writes are captured where statements run (SQLAlchemy's ``before_execute``/``after_execute``), not
in each service, so a table or a use case added later is audited without anyone remembering to.
Who is :data:`AUDIT_ACTOR`: the API sets it per request from the logged-in user, the CLI from the
operating-system user. Derived rows (the items of an imported list, its search terms, the
department registry) are not logged one by one: the ``list_versions`` row stands for the import.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Delete, Engine, Insert, Table, Update, event, insert, select

from lvzhi.storage.tables import audit_log

AUDIT_ACTOR: ContextVar[str] = ContextVar("lvzhi_audit_actor", default="system")
NO_AUDIT = "lvzhi_no_audit"
"""An execution option: a connection with it writes without logging (schema migrations)."""
NOT_AUDITED = frozenset(
    {"audit_log", "review_audit", "alembic_version", "items", "item_paragraphs",
     "item_departments", "item_terms", "departments", "department_aliases"}
)  # fmt: skip
SECRET_COLUMNS = frozenset({"password_hash", "token_hash"})
MAX_ROWS = 200
"""An UPDATE or DELETE touching more rows logs the first 200 and how many in all."""
_PENDING = "lvzhi_audit_pending"


@contextmanager
def acting_as(actor: str) -> Iterator[None]:
    """Writes inside the block are logged as ``actor``."""
    token = AUDIT_ACTOR.set(actor)
    try:
        yield
    finally:
        AUDIT_ACTOR.reset(token)


def install(engine: Engine) -> None:
    """Log the engine's writes from now on."""
    event.listen(engine, "before_execute", _before)
    event.listen(engine, "after_execute", _after)


def _table(statement: Any) -> Table | None:
    if not isinstance(statement, Insert | Update | Delete):
        return None
    table = statement.table
    if not isinstance(table, Table) or table.name in NOT_AUDITED:
        return None
    return table


def _skipped(connection: Connection) -> bool:
    return bool(connection.get_execution_options().get(NO_AUDIT))


def _before(
    connection: Connection, statement: Any, multiparams: Any, params: Any, options: Any
) -> None:
    table = _table(statement)
    if table is None or _skipped(connection) or isinstance(statement, Insert):
        return
    query = select(table)
    if statement.whereclause is not None:
        query = query.where(statement.whereclause)
    rows = [dict(r) for r in connection.execute(query.limit(MAX_ROWS + 1)).mappings()]
    connection.info.setdefault(_PENDING, {})[id(statement)] = rows


def _after(
    connection: Connection, statement: Any, multiparams: Any, params: Any, options: Any, result: Any
) -> None:
    table = _table(statement)
    if table is None or _skipped(connection):
        return
    if isinstance(statement, Insert):
        entries = _inserted(connection, table, statement, multiparams, result)
    else:
        before = connection.info.get(_PENDING, {}).pop(id(statement), [])
        entries = _changed(connection, table, statement, before)
    if entries:
        now, actor = datetime.now(UTC), AUDIT_ACTOR.get()[:100]
        connection.execute(insert(audit_log), [{"at": now, "actor": actor, **e} for e in entries])


def _key(table: Table, row: dict[str, Any]) -> str | None:
    keys = [str(row.get(c.name)) for c in table.primary_key.columns]
    return ",".join(keys) if keys and all(k != "None" for k in keys) else None


def _inserted(
    connection: Connection, table: Table, statement: Insert, multiparams: Any, result: Any
) -> list[dict[str, Any]]:
    many = _param_list(multiparams)
    if len(many) > 1:  # executemany: the rows as given (their new ids are not known here)
        return [_entry("insert", table, None, None, _plain(p)) for p in many]
    pk = None if result is None or result.is_insert is False else result.inserted_primary_key
    row: dict[str, Any] | None = None
    if pk and all(v is not None for v in pk):
        where = [c == v for c, v in zip(table.primary_key.columns, pk, strict=True)]
        found = connection.execute(select(table).where(*where)).mappings().first()
        row = dict(found) if found else None
    if row is None:
        row = dict(many[0]) if many else dict(statement.compile().params)
    return [_entry("insert", table, _key(table, row), None, _plain(row))]


def _param_list(multiparams: Any) -> list[dict[str, Any]]:
    if not multiparams:
        return []
    if isinstance(multiparams, dict):
        return [multiparams]
    found: list[dict[str, Any]] = []
    for item in multiparams:
        if isinstance(item, dict):
            found.append(item)
        elif isinstance(item, list | tuple):
            found.extend(p for p in item if isinstance(p, dict))
    return found


def _changed(
    connection: Connection, table: Table, statement: Update | Delete, before: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    if isinstance(statement, Delete):
        return [_entry("delete", table, _key(table, b), _plain(b), None) for b in before[:MAX_ROWS]]
    entries = []
    for old in before[:MAX_ROWS]:
        where = [c == old[c.name] for c in table.primary_key.columns]
        found = connection.execute(select(table).where(*where)).mappings().first()
        new = dict(found) if found else {}
        changed = [k for k in new if new[k] != old.get(k)]
        if changed:
            entries.append(_entry("update", table, _key(table, old),
                                  _plain({k: old.get(k) for k in changed}),
                                  _plain({k: new[k] for k in changed})))  # fmt: skip
    return entries


def _entry(action: str, table: Table, key: str | None, before: Any, after: Any) -> dict[str, Any]:
    return {
        "action": action,
        "entity": table.name,
        "entity_id": key,
        "before": before,
        "after": after,
    }


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    """``row`` as JSON can hold it: moments as ISO text, secrets hidden, bytes as their length."""
    plain: dict[str, Any] = {}
    for key, value in row.items():
        key = str(key)
        if key in SECRET_COLUMNS:
            value = "***"
        elif isinstance(value, datetime | date):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = float(value)
        elif isinstance(value, bytes | bytearray | memoryview):
            value = f"<{len(bytes(value))} bytes>"
        elif value is not None and not isinstance(value, str | int | float | bool | list | dict):
            value = str(value)
        plain[key] = value
    json.dumps(plain, default=str)
    return plain
