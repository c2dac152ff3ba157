"""Reading stored lists: versions, items with filters, one item, departments, differences."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from lvzhi.domain.departments import department_parts, normalize_name
from lvzhi.domain.model import (
    CooperativeItem,
    DomainError,
    DutyList,
    Item,
    ItemKey,
    ItemKind,
    UnknownItem,
    departments_of,
)
from lvzhi.domain.proposals import Proposal
from lvzhi.domain.versions import (
    ListDiff,
    StoredVersion,
    UnknownTownship,
    UnknownVersion,
    diff_lists,
    in_force,
)
from lvzhi.services.terms import normalize, search_lexicon
from lvzhi.storage.repository import VersionRow
from lvzhi.storage.rows import duty_texts
from lvzhi.storage.tables import ROLES
from lvzhi.storage.uow import SqlUnitOfWork

ROLE_TITLES = {"lead": "牵头", "receiver": "承接", "assist": "协同"}
CHINA = timezone(timedelta(hours=8))
_NUMBER = re.compile(r"(?:v|V|第)?\s*(\d+)\s*版?")


class UnknownDepartment(DomainError):
    def __init__(self, name: str) -> None:
        super().__init__(
            f"未登记的部门“{name}”：部门登记表中没有这个名称或简称，清单中也没有出现；"
            "可用 lvzhi depts 查看全部部门，或在 departments.yaml 中登记该简称"
        )


@dataclass(frozen=True)
class Listing:
    """Items of one version, with the roles a department plays in each when filtered by one."""

    version: StoredVersion
    items: list[Item]
    department: str | None = None
    roles: dict[ItemKey, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class DepartmentUsage:
    name: str
    kind: str
    registered: bool
    aliases: list[str]
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class VersionDiff:
    old: StoredVersion
    new: StoredVersion
    diff: ListDiff
    proposals: tuple[Proposal, ...] = ()
    """The published change proposals between the two versions: the reasons for the changes."""

    def reasons(self, *keys: object) -> list[Proposal]:
        """The proposals that changed an item with one of ``keys`` (old or new key)."""
        wanted = {str(k) for k in keys}
        return [
            p for p in self.proposals
            if (p.change.key and str(p.change.key) in wanted) or p.result_key in wanted
        ]  # fmt: skip


def pick_version(uow: SqlUnitOfWork, township: str, wanted: str | None = None) -> VersionRow:
    """The township's version ``wanted`` (a number: 2, v2, 第2版; else a label), or the one in force
    today (the newest whose effective date has come)."""
    known = uow.lists.versions(township)
    if not known:
        raise UnknownTownship(township, uow.lists.townships())
    if wanted is None or not wanted.strip():
        return known[in_force([v.stored for v in known], china_today())]
    match = _NUMBER.fullmatch(wanted.strip())
    by_number = [v for v in known if match and v.stored.number == int(match.group(1))]
    by_label = [v for v in known if v.stored.label == wanted.strip()]
    found = by_number or by_label
    if not found:
        names = [f"{v.stored.number}（{v.stored.label}）" for v in known]
        raise UnknownVersion(township, wanted, names)
    return found[-1]


def china_today() -> date:
    """Today in China: a version whose effective date is today is in force from midnight there."""
    return datetime.now(CHINA).date()


def list_townships(uow: SqlUnitOfWork) -> dict[str, list[StoredVersion]]:
    """Every stored township with its versions, oldest first."""
    with uow:
        return {
            name: [row.stored for row in uow.lists.versions(name)] for name in uow.lists.townships()
        }


def list_versions(uow: SqlUnitOfWork, township: str) -> list[StoredVersion]:
    with uow:
        versions = [row.stored for row in uow.lists.versions(township)]
        if not versions:
            raise UnknownTownship(township, uow.lists.townships())
        return versions


def get_list(uow: SqlUnitOfWork, township: str, version: str | None = None) -> DutyList:
    with uow:
        return uow.lists.load_list(pick_version(uow, township, version))


@dataclass(frozen=True)
class ItemView:
    """One stored item; with a department, that department's part of the department duties."""

    version: StoredVersion
    item: Item
    department: str | None = None
    part: list[str] | None = None


def get_item(
    uow: SqlUnitOfWork,
    township: str,
    key: str | ItemKey,
    version: str | None = None,
    department: str | None = None,
) -> ItemView:
    item_key = ItemKey.parse(key) if isinstance(key, str) else key
    with uow:
        row = pick_version(uow, township, version)
        item = uow.lists.get_item(row.id, item_key)
        if item is None:
            raise UnknownItem(f"{item_key}（{township} 第 {row.stored.number} 版）")
        if department is None:
            return ItemView(row.stored, item)
        name = resolve_department(uow, department)
    part = None
    if isinstance(item, CooperativeItem):
        parts = department_parts(item.department_duties, item.lead_departments, uow.registry)
        part = parts.get(name, [])
    return ItemView(row.stored, item, name, part)


def list_items(
    uow: SqlUnitOfWork,
    township: str,
    *,
    kind: ItemKind | None = None,
    category: str | None = None,
    department: str | None = None,
    roles: tuple[str, ...] = ROLES,
    version: str | None = None,
    text: str | None = None,
) -> Listing:
    """Items of a version (the newest by default), filtered; ``text`` keeps the items whose name,
    category, departments or duty texts contain every word of it (case and width ignored; an
    everyday word may also be written as the lexicon's official term: 低保 or 最低生活保障)."""
    words = [search_lexicon().spellings(word) for word in normalize(text or "").split()]
    with uow:
        row = pick_version(uow, township, version)
        name = resolve_department(uow, department) if department else None
        found = uow.lists.find_items(
            row.id, kind=kind, category=category, department=name, roles=roles
        )
        found = [(item_id, item) for item_id, item in found if contains_words(item, words)]
        roles_by_id = uow.lists.roles(name, [item_id for item_id, _ in found]) if name else {}
        return Listing(
            row.stored,
            [item for _, item in found],
            name,
            {item.key: roles_by_id.get(item_id, []) for item_id, item in found},
        )


def contains_words(item: Item, words: list[tuple[str, ...]]) -> bool:
    """Whether every one of ``words`` occurs in the item's printed text in one of its spellings
    (normalised: as typed, or with its everyday words written as the official terms)."""
    if not words:
        return True
    fields = [item.name, item.category, *departments_of(item)]
    fields += [text.text for text in duty_texts(item).values()]
    flat = normalize("\n".join(fields))
    return all(any(spelling in flat for spelling in word) for word in words)


def resolve_department(uow: SqlUnitOfWork, name: str) -> str:
    """The canonical name for ``name`` (a short name goes through the registry); a name the
    registry lacks is accepted when a stored item prints it."""
    department = uow.registry.resolve(name)
    if department is not None:
        return department.name
    printed = normalize_name(name)
    if printed and uow.departments.is_named(printed):
        return printed
    raise UnknownDepartment(name.strip())


def department_usage(
    uow: SqlUnitOfWork, township: str, version: str | None = None
) -> tuple[StoredVersion, list[DepartmentUsage]]:
    """Every department (registered, or printed in the version) with its items per role."""
    with uow:
        row = pick_version(uow, township, version)
        usage = uow.departments.usage(row.id)
        kinds = {d.name: d.kind for d in uow.registry}
        aliases = {d.name: list(d.aliases) for d in uow.registry}
        names = list(dict.fromkeys([*kinds, *sorted(usage)]))
        found = [
            DepartmentUsage(
                name,
                kinds.get(name, "未登记"),
                name in kinds,
                aliases.get(name, []),
                {role: usage.get(name, {}).get(role, 0) for role in ROLES},
            )  # fmt: skip
            for name in names
        ]
        found.sort(key=lambda d: (-d.total, names.index(d.name)))
        return row.stored, found


def diff_versions(uow: SqlUnitOfWork, township: str, old: str, new: str) -> VersionDiff:
    """What changed from ``old`` to ``new``, with the proposals published in between."""
    with uow:
        old_row, new_row = pick_version(uow, township, old), pick_version(uow, township, new)
        before = uow.lists.load_list(old_row)
        after = uow.lists.load_list(new_row)
        low, high = sorted((old_row.stored.number, new_row.stored.number))
        between = [v.id for v in uow.lists.versions(township) if low < v.stored.number <= high]
        proposals = uow.proposals.find(published_in=between) if between else []
    return VersionDiff(old_row.stored, new_row.stored, diff_lists(before, after), tuple(proposals))
