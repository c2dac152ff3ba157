"""Setting a database up: the schema, the county's departments, the embedded Emin list."""

from __future__ import annotations

from dataclasses import dataclass

from lvzhi.domain.model import DutyList
from lvzhi.services.imports import ImportResult, Progress, import_list
from lvzhi.storage.db import Database


@dataclass(frozen=True)
class InitResult:
    created: bool
    departments: int
    imported: ImportResult


def init_database(
    database: Database, duty_list: DutyList | None = None, progress: Progress | None = None
) -> InitResult:
    """Create or upgrade the schema, copy the registry, import the embedded list (idempotent)."""
    from lvzhi.data import load_emin_list
    from lvzhi.storage.db import current_revision

    created = current_revision(database.engine) is None
    database.migrate()
    uow = database.uow()
    with uow:
        count = len(uow.departments.sync(uow.registry))
        uow.commit()
    imported = import_list(database.uow(), duty_list or load_emin_list(), progress)
    return InitResult(created, count, imported)
