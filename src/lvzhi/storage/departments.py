"""Departments in the database: a copy of the county registry, and how items use each department."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, delete, distinct, func, insert, select, update

from lvzhi.domain.departments import DepartmentRegistry, normalize_name
from lvzhi.storage.tables import department_aliases, departments, item_departments, items


@dataclass(frozen=True)
class DepartmentRow:
    name: str
    kind: str
    registered: bool


class DepartmentRepository:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def sync(self, registry: DepartmentRegistry) -> dict[str, int]:
        """Make the table match ``registry`` (names, kinds, aliases); departments the registry no
        longer has stay, marked unregistered, so old versions keep their links. Name -> id."""
        ids = self.ids()
        for department in registry:
            values = {"kind": department.kind.value, "county": registry.county, "registered": True}
            if department.name in ids:
                query = update(departments).where(departments.c.id == ids[department.name])
                self.connection.execute(query.values(**values))
            else:
                result = self.connection.execute(
                    insert(departments).values(name=department.name, **values)
                )
                ids[department.name] = int(result.inserted_primary_key[0])
        self._replace_aliases(registry, ids)
        known = {department.name for department in registry}
        gone = [ids[name] for name in ids if name not in known]
        if gone:
            query = update(departments).where(departments.c.id.in_(gone))
            self.connection.execute(query.values(registered=False))
        return ids

    def _replace_aliases(self, registry: DepartmentRegistry, ids: dict[str, int]) -> None:
        self.connection.execute(delete(department_aliases))
        rows = [
            {"department_id": ids[department.name], "alias": normalize_name(alias)}
            for department in registry
            for alias in dict.fromkeys(department.aliases)
        ]
        if rows:
            self.connection.execute(insert(department_aliases), rows)

    def ids(self) -> dict[str, int]:
        query = select(departments.c.name, departments.c.id)
        return {name: id_ for name, id_ in self.connection.execute(query)}

    def all(self) -> list[DepartmentRow]:
        query = select(departments.c.name, departments.c.kind, departments.c.registered)
        return [
            DepartmentRow(*row) for row in self.connection.execute(query.order_by(departments.c.id))
        ]

    def aliases(self, name: str) -> list[str]:
        query = (
            select(department_aliases.c.alias)
            .join(departments)
            .where(departments.c.name == name)
            .order_by(department_aliases.c.id)
        )
        return list(self.connection.scalars(query))

    def usage(self, version_id: int) -> dict[str, dict[str, int]]:
        """Department name -> role -> number of items of the version that name it so."""
        query = (
            select(
                item_departments.c.department_name,
                item_departments.c.role,
                func.count(distinct(item_departments.c.item_id)),
            )
            .join(items)
            .where(items.c.version_id == version_id)
            .group_by(item_departments.c.department_name, item_departments.c.role)
        )
        found: dict[str, dict[str, int]] = {}
        for name, role, count in self.connection.execute(query):
            found.setdefault(name, {})[role] = count
        return found

    def is_named(self, department_name: str) -> bool:
        """Whether any stored item names ``department_name`` (registered or not)."""
        query = select(item_departments.c.id).where(
            item_departments.c.department_name == department_name
        )
        return self.connection.scalar(query.limit(1)) is not None
