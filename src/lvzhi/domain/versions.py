"""List versions: what a stored version is, when two lists say the same, and what changed.

Pure: compares domain objects only.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from lvzhi.domain.model import (
    CooperativeItem,
    DomainError,
    DutyList,
    Item,
    ItemKey,
    ItemKind,
    ReclaimedItem,
)

FIELD_TITLES: dict[str, str] = {
    "category": "事项类别",
    "name": "事项名称",
    "lead_departments": "对应上级部门",
    "department_duties": "上级部门职责",
    "township_duties": "乡镇（街道）配合职责",
    "receiving_departments": "承接部门",
    "working_method": "工作方式",
}


class UnknownVersion(DomainError):
    def __init__(self, township: str, wanted: str, known: Iterable[str] = ()) -> None:
        have = "、".join(known)
        hint = f"（已有版本：{have}）" if have else "（该乡镇还没有导入任何版本）"
        super().__init__(f"乡镇“{township}”没有版本“{wanted}”{hint}")


class UnknownTownship(DomainError):
    def __init__(self, township: str, known: Iterable[str] = ()) -> None:
        have = "、".join(known)
        hint = f"数据库中已有：{have}" if have else "数据库中还没有任何清单，请先运行 lvzhi init"
        super().__init__(f"数据库中没有乡镇“{township}”的清单；{hint}")


@dataclass(frozen=True)
class StoredVersion:
    """A list version as stored: ``number`` counts 1, 2, ... per township; ``label`` is official."""

    township: str
    number: int
    label: str
    effective_date: date | None
    source: str
    imported_at: datetime
    counts: dict[ItemKind, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def in_force_on(self, day: date) -> bool:
        return self.effective_date is None or self.effective_date <= day


def in_force(versions: Sequence[StoredVersion], day: date) -> int:
    """The index of the version in force on ``day``: the newest whose effective date has come (or
    that has none); when every version is still to come, the first one."""
    for index in range(len(versions) - 1, -1, -1):
        if versions[index].in_force_on(day):
            return index
    return 0


def item_fields(item: Item) -> dict[str, str | tuple[str, ...]]:
    """The fields an item has, as comparable values (duty texts as their paragraphs)."""
    fields: dict[str, str | tuple[str, ...]] = {"category": item.category, "name": item.name}
    if isinstance(item, CooperativeItem):
        fields["lead_departments"] = item.lead_departments
        fields["department_duties"] = item.department_duties.paragraphs
        fields["township_duties"] = item.township_duties.paragraphs
    if isinstance(item, ReclaimedItem):
        fields["receiving_departments"] = item.receiving_departments
        fields["working_method"] = item.working_method.paragraphs
    return fields


def content_hash(duty_list: DutyList) -> str:
    """Identifies the items and their wording; the version's label, date and source do not count."""
    document = [[str(item.key), item_fields(item)] for item in duty_list.items()]
    encoded = json.dumps(document, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str | tuple[str, ...]
    new: str | tuple[str, ...]

    @property
    def title(self) -> str:
        return FIELD_TITLES[self.field]


@dataclass(frozen=True)
class ItemChange:
    key: ItemKey
    name: str
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class ItemMove:
    """An item that left one of the three lists for another (same name, a new key)."""

    old: Item
    new: Item
    changes: tuple[FieldChange, ...] = ()

    @property
    def name(self) -> str:
        return self.new.name


@dataclass(frozen=True)
class ListDiff:
    added: tuple[Item, ...] = ()
    removed: tuple[Item, ...] = ()
    changed: tuple[ItemChange, ...] = ()
    moved: tuple[ItemMove, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed or self.moved)


_PUNCTUATION = re.compile(r"[\s\W_]+")


def name_key(name: str) -> str:
    """A name as compared across lists: width, case, spaces and punctuation ignored."""
    return _PUNCTUATION.sub("", unicodedata.normalize("NFKC", name or "").lower())


def diff_lists(old: DutyList, new: DutyList) -> ListDiff:
    """Items added, removed and changed (with each changed field) from ``old`` to ``new``."""
    old_keys = {item.key: item for item in old.items()}
    new_keys = {item.key: item for item in new.items()}
    changed = []
    for key in sorted(old_keys.keys() & new_keys.keys()):
        changes = _field_changes(old_keys[key], new_keys[key])
        if changes:
            changed.append(ItemChange(key, new_keys[key].name, changes))
    added = [new_keys[k] for k in sorted(new_keys.keys() - old_keys.keys())]
    removed = [old_keys[k] for k in sorted(old_keys.keys() - new_keys.keys())]
    moved = _moves(removed, added)
    gone = {id(m.old) for m in moved} | {id(m.new) for m in moved}
    return ListDiff(
        added=tuple(i for i in added if id(i) not in gone),
        removed=tuple(i for i in removed if id(i) not in gone),
        changed=tuple(changed),
        moved=tuple(moved),
    )


def _moves(removed: list[Item], added: list[Item]) -> list[ItemMove]:
    """A removed item and an added one of another kind with the same name: one item moved."""
    by_name: dict[str, list[Item]] = {}
    for item in added:
        by_name.setdefault(name_key(item.name), []).append(item)
    moves = []
    for old in removed:
        candidates = [i for i in by_name.get(name_key(old.name), []) if i.kind is not old.kind]
        if candidates:
            new = candidates[0]
            by_name[name_key(old.name)].remove(new)
            moves.append(ItemMove(old, new, _shared_changes(old, new)))
    return moves


def _shared_changes(old: Item, new: Item) -> tuple[FieldChange, ...]:
    before, after = item_fields(old), item_fields(new)
    return tuple(
        FieldChange(name, before[name], after[name])
        for name in after
        if name in before and before[name] != after[name]
    )


def _field_changes(old: Item, new: Item) -> tuple[FieldChange, ...]:
    before, after = item_fields(old), item_fields(new)
    return tuple(
        FieldChange(name, before[name], after[name])
        for name in after
        if before.get(name) != after[name]
    )
