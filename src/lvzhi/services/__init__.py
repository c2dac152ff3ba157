"""Use cases over a unit of work: import lists, read them, search them, compare versions.

Each function takes an :class:`~lvzhi.storage.uow.SqlUnitOfWork` and opens its own transaction.
"""

from __future__ import annotations

from lvzhi.services.bootstrap import init_database
from lvzhi.services.imports import ImportResult, ImportStatus, import_list
from lvzhi.services.queries import (
    DepartmentUsage,
    ItemView,
    Listing,
    VersionDiff,
    department_usage,
    diff_versions,
    get_item,
    get_list,
    list_items,
    list_townships,
    list_versions,
    pick_version,
    resolve_department,
)
from lvzhi.services.search import SearchHit, SearchResult, search

__all__ = [
    "DepartmentUsage",
    "ImportResult",
    "ImportStatus",
    "ItemView",
    "Listing",
    "SearchHit",
    "SearchResult",
    "VersionDiff",
    "department_usage",
    "diff_versions",
    "get_item",
    "get_list",
    "import_list",
    "init_database",
    "list_items",
    "list_townships",
    "list_versions",
    "pick_version",
    "resolve_department",
    "search",
]
