"""The search index in the database: per item, its terms and their weighted frequencies."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from lvzhi.storage.tables import item_terms, items


@dataclass(frozen=True)
class Posting:
    item_id: int
    term: str
    tf: int
    length: int


class SearchIndex:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def stats(self, version_id: int, kind: str | None = None) -> tuple[int, float]:
        """How many items the version has (of ``kind``) and their mean length in terms."""
        query = select(func.count(), func.avg(items.c.token_count)).where(
            *self._scope(version_id, kind)
        )
        count, mean = self.connection.execute(query).one()
        return int(count), float(mean or 0.0)

    def postings(
        self, version_id: int, terms: Sequence[str], kind: str | None = None
    ) -> list[Posting]:
        """Every (item, term) pair of the version for ``terms``."""
        if not terms:
            return []
        query = (
            select(item_terms.c.item_id, item_terms.c.term, item_terms.c.tf, items.c.token_count)
            .join(items)
            .where(item_terms.c.term.in_(list(terms)), *self._scope(version_id, kind))
        )
        return [Posting(*row) for row in self.connection.execute(query)]

    @staticmethod
    def _scope(version_id: int, kind: str | None) -> list[object]:
        scope: list[object] = [items.c.version_id == version_id]
        if kind:
            scope.append(items.c.kind == kind)
        return scope
