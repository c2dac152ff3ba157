"""Many rows into one table fast: PostgreSQL's COPY, SQLite's executemany, below SQLAlchemy's
per-row parameter handling. For derived rows only (an imported list's paragraphs, department links
and search terms): they fire no ORM or audit events, which those tables do not have anyway."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Table


def bulk_insert(connection: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys) into ``table`` in the connection's transaction."""
    if not rows:
        return
    columns = list(rows[0])
    values = [tuple(row[c] for c in columns) for row in rows]
    if connection.dialect.name == "postgresql":
        driver = connection.connection.driver_connection
        names = ", ".join(f'"{c}"' for c in columns)
        with driver.cursor() as cursor:  # type: ignore[union-attr]
            with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
                for value in values:
                    copy.write_row(value)
        return
    marks = ", ".join("?" for _ in columns)
    names = ", ".join(f'"{c}"' for c in columns)
    connection.exec_driver_sql(f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})', values)
