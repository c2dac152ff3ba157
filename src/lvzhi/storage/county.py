"""Queries across townships: the township directory and per-department item counts (SQL Core)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC

from sqlalchemy import Connection, distinct, func, select

from lvzhi.domain.model import ItemKind
from lvzhi.domain.versions import StoredVersion
from lvzhi.storage.tables import item_departments, items, list_versions, townships


@dataclass(frozen=True)
class TownshipRow:
    id: int
    name: str
    county: str


class CountyRepository:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def townships(self, county: str | None = None) -> list[TownshipRow]:
        query = select(townships.c.id, townships.c.name, townships.c.county).order_by(
            townships.c.id
        )
        if county is not None:
            query = query.where(townships.c.county == county)
        return [TownshipRow(*row) for row in self.connection.execute(query)]

    def township(self, township_id: int) -> TownshipRow | None:
        query = select(townships.c.id, townships.c.name, townships.c.county).where(
            townships.c.id == township_id
        )
        row = self.connection.execute(query).first()
        return TownshipRow(*row) if row else None

    def counties(self) -> list[str]:
        query = select(townships.c.county).group_by(townships.c.county).order_by(townships.c.county)
        return list(self.connection.scalars(query))

    def versions(self, county: str | None = None) -> dict[int, list[tuple[int, StoredVersion]]]:
        """Per township id, its ``(version id, version)`` pairs, oldest first, in three queries
        whatever the number of townships."""
        query = (
            select(list_versions, townships.c.name.label("township"))
            .join(townships)
            .order_by(list_versions.c.township_id, list_versions.c.number)
        )
        if county is not None:
            query = query.where(townships.c.county == county)
        rows = self.connection.execute(query).mappings().all()
        counts: dict[int, dict[ItemKind, int]] = {}
        count_query = select(items.c.version_id, items.c.kind, func.count()).group_by(
            items.c.version_id, items.c.kind
        )
        if county is not None:
            count_query = count_query.where(items.c.version_id.in_([r["id"] for r in rows]))
        for version_id, kind, number in self.connection.execute(count_query):
            counts.setdefault(version_id, {})[ItemKind(kind)] = number
        found: dict[int, list[tuple[int, StoredVersion]]] = {}
        for row in rows:
            imported = row["imported_at"]
            stored = StoredVersion(
                row["township"], row["number"], row["label"], row["effective_date"], row["source"],
                imported if imported.tzinfo else imported.replace(tzinfo=UTC),
                {kind: counts.get(row["id"], {}).get(kind, 0) for kind in ItemKind},
            )  # fmt: skip
            found.setdefault(row["township_id"], []).append((row["id"], stored))
        return found

    def department_counts(self, version_ids: Iterable[int]) -> list[tuple[int, str, ItemKind, int]]:
        """``(version id, department, kind, items)``: cooperative items a department leads and
        reclaimed items it took back, per version."""
        wanted = list(version_ids)
        found: list[tuple[int, str, ItemKind, int]] = []
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            query = (
                select(
                    items.c.version_id,
                    item_departments.c.department_name,
                    items.c.kind,
                    func.count(distinct(items.c.id)),
                )
                .join(item_departments, item_departments.c.item_id == items.c.id)
                .where(
                    items.c.version_id.in_(chunk),
                    item_departments.c.role.in_(("lead", "receiver")),
                )
                .group_by(items.c.version_id, item_departments.c.department_name, items.c.kind)
            )
            found += [(v, d, ItemKind(k), n) for v, d, k, n in self.connection.execute(query)]
        return found
