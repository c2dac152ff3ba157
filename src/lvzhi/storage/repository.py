"""Lists in the database: townships, versions and items in, domain objects out (SQLAlchemy Core).

The repository only reads and writes rows; deciding what to store (versions, links, search terms)
is the services' job. It never commits: the unit of work does.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, Connection, RowMapping, func, insert, select

from lvzhi.domain.model import DutyList, Item, ItemKey, ItemKind, ListVersion
from lvzhi.domain.versions import StoredVersion
from lvzhi.storage import rows
from lvzhi.storage.bulk import bulk_insert
from lvzhi.storage.tables import (
    ROLES,
    item_departments,
    item_paragraphs,
    item_terms,
    items,
    list_versions,
    townships,
)


@dataclass(frozen=True)
class DepartmentLink:
    role: str
    printed_name: str
    department_name: str
    department_id: int | None


@dataclass
class ItemRecord:
    """An item with what the services derived for it: department links and search terms."""

    item: Item
    links: list[DepartmentLink] = field(default_factory=list)
    terms: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class VersionRow:
    id: int
    stored: StoredVersion
    content_hash: str


class ListRepository:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    # ---- townships and versions ----

    def townships(self) -> list[str]:
        return list(self.connection.scalars(select(townships.c.name).order_by(townships.c.id)))

    def township_id(self, name: str, *, lock: bool = False) -> int | None:
        """The township's id; ``lock`` holds its row (PostgreSQL) until the transaction ends, so
        imports for one township take turns."""
        query = select(townships.c.id).where(townships.c.name == name)
        return self.connection.scalar(query.with_for_update() if lock else query)

    def add_township(self, name: str, county: str) -> int:
        result = self.connection.execute(insert(townships).values(name=name, county=county))
        return int(result.inserted_primary_key[0])

    def versions(self, township: str) -> list[VersionRow]:
        query = (
            select(list_versions, townships.c.name.label("township"))
            .join(townships)
            .where(townships.c.name == township)
            .order_by(list_versions.c.number)
        )
        found = self.connection.execute(query).mappings().all()
        counts = self._counts([row["id"] for row in found])
        return [_version_row(row, counts.get(row["id"], {})) for row in found]

    def _counts(self, version_ids: list[int]) -> dict[int, dict[ItemKind, int]]:
        query = (
            select(items.c.version_id, items.c.kind, func.count())
            .where(items.c.version_id.in_(version_ids))
            .group_by(items.c.version_id, items.c.kind)
        )
        counts: dict[int, dict[ItemKind, int]] = {}
        for version_id, kind, number in self.connection.execute(query):
            counts.setdefault(version_id, {})[ItemKind(kind)] = number
        return counts

    def add_version(
        self, township_id: int, number: int, version: ListVersion, content_hash: str
    ) -> int:
        values = {
            "township_id": township_id,
            "number": number,
            "label": version.label,
            "effective_date": version.effective_date,
            "source": version.source,
            "content_hash": content_hash,
            "imported_at": datetime.now(UTC),
        }
        result = self.connection.execute(insert(list_versions).values(**values))
        return int(result.inserted_primary_key[0])

    # ---- items in ----

    def add_items(self, version_id: int, records: Sequence[ItemRecord], start: int = 0) -> None:
        """Insert ``records`` (positions from ``start``) with their paragraphs, links and terms."""
        if not records:
            return
        self.connection.execute(
            insert(items),
            [rows.item_row(version_id, start + n, record) for n, record in enumerate(records)],
        )
        ids = self._item_ids(version_id, [record.item.key for record in records])
        paragraphs, links, terms = [], [], []
        for record in records:
            item_id = ids[record.item.key]
            paragraphs.extend(rows.paragraph_rows(item_id, record.item))
            links.extend(rows.link_rows(item_id, record.links))
            terms.extend({"item_id": item_id, "term": t, "tf": n} for t, n in record.terms.items())
        for table, values in (
            (item_paragraphs, paragraphs), (item_departments, links), (item_terms, terms)
        ):  # fmt: skip
            bulk_insert(self.connection, table, values)

    def _item_ids(self, version_id: int, keys: Iterable[ItemKey]) -> dict[ItemKey, int]:
        wanted = set(keys)
        query = select(items.c.id, items.c.kind, items.c.number).where(
            items.c.version_id == version_id
        )
        found = {ItemKey(ItemKind(k), n): i for i, k, n in self.connection.execute(query)}
        return {key: found[key] for key in wanted}

    # ---- items out ----

    def load_list(self, version: VersionRow, county: str = "") -> DutyList:
        loaded = self.items_where(items.c.version_id == version.id)
        stored = version.stored
        list_version = ListVersion(
            township=stored.township,
            county=county or self.county_of(stored.township),
            label=stored.label,
            effective_date=stored.effective_date,
            source=stored.source,
        )
        return rows.build_list(list_version, [item for _, item in loaded])

    def get_item(self, version_id: int, key: ItemKey) -> Item | None:
        found = self.items_where(
            items.c.version_id == version_id,
            items.c.kind == key.kind.value,
            items.c.number == key.number,
        )
        return found[0][1] if found else None

    def find_items(
        self,
        version_id: int,
        *,
        kind: ItemKind | None = None,
        category: str | None = None,
        department: str | None = None,
        roles: Sequence[str] = ROLES,
    ) -> list[tuple[int, Item]]:
        """Items of a kind, in a category (part of its name will do), naming a department."""
        conditions: list[ColumnElement[bool]] = [items.c.version_id == version_id]
        if kind is not None:
            conditions.append(items.c.kind == kind.value)
        if category and category.strip():
            conditions.append(items.c.category.contains(category.strip(), autoescape=True))
        if department is not None:
            naming = select(item_departments.c.item_id).where(
                item_departments.c.department_name == department,
                item_departments.c.role.in_(list(roles)),
            )
            conditions.append(items.c.id.in_(naming))
        return self.items_where(*conditions)

    def items_by_ids(self, ids: Sequence[int]) -> dict[int, Item]:
        found: dict[int, Item] = {}
        for chunk in _chunks(list(ids)):
            found.update(self.items_where(items.c.id.in_(chunk)))
        return found

    def roles(self, department: str, ids: Sequence[int]) -> dict[int, list[str]]:
        """For each item id, the roles ``department`` has in it (lead, receiver, assist)."""
        found: dict[int, list[str]] = {}
        for chunk in _chunks(list(ids)):
            query = select(item_departments.c.item_id, item_departments.c.role).where(
                item_departments.c.department_name == department,
                item_departments.c.item_id.in_(chunk),
            )
            for item_id, role in self.connection.execute(query):
                found.setdefault(item_id, [])
                if role not in found[item_id]:
                    found[item_id].append(role)
        return found

    def county_of(self, township: str) -> str:
        query = select(townships.c.county).where(townships.c.name == township)
        return self.connection.scalar(query) or ""

    def items_where(self, *conditions: ColumnElement[bool]) -> list[tuple[int, Item]]:
        """``(id, item)`` for the items matching ``conditions``, in list order."""
        query = select(items).where(*conditions).order_by(items.c.version_id, items.c.position)
        found = self.connection.execute(query).mappings().all()
        return self.items_from_rows(found)

    def items_from_rows(self, found: Sequence[RowMapping]) -> list[tuple[int, Item]]:
        ids = [row["id"] for row in found]
        paragraphs = self._paragraphs(ids)
        names = self._printed_departments(ids)
        return [
            (row["id"], rows.item_from_row(row, paragraphs.get(row["id"], {}), names))
            for row in found
        ]

    def _paragraphs(self, ids: list[int]) -> dict[int, dict[str, list[str]]]:
        found: dict[int, dict[str, list[str]]] = {}
        for chunk in _chunks(ids):
            query = (
                select(item_paragraphs.c.item_id, item_paragraphs.c.field, item_paragraphs.c.text)
                .where(item_paragraphs.c.item_id.in_(chunk))
                .order_by(item_paragraphs.c.item_id, item_paragraphs.c.position)
            )
            for item_id, name, text in self.connection.execute(query):
                found.setdefault(item_id, {}).setdefault(name, []).append(text)
        return found

    def _printed_departments(self, ids: list[int]) -> dict[tuple[int, str], list[str]]:
        found: dict[tuple[int, str], list[str]] = {}
        for chunk in _chunks(ids):
            query = (
                select(
                    item_departments.c.item_id,
                    item_departments.c.role,
                    item_departments.c.printed_name,
                )  # fmt: skip
                .where(item_departments.c.item_id.in_(chunk))
                .order_by(item_departments.c.item_id, item_departments.c.position)
            )
            for item_id, role, name in self.connection.execute(query):
                found.setdefault((item_id, role), []).append(name)
        return found


def _version_row(row: RowMapping, counts: dict[ItemKind, int]) -> VersionRow:
    imported = row["imported_at"]
    if imported.tzinfo is None:
        imported = imported.replace(tzinfo=UTC)
    stored = StoredVersion(
        township=row["township"],
        number=row["number"],
        label=row["label"],
        effective_date=row["effective_date"],
        source=row["source"],
        imported_at=imported,
        counts={kind: counts.get(kind, 0) for kind in ItemKind},
    )
    return VersionRow(row["id"], stored, row["content_hash"])


def _chunks(ids: list[int], size: int = 500) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]
