"""A change to a list: add, remove or edit an item, or move it to another of the three lists;
checking one against the list it will apply to, and applying approved ones to make the next version.

Pure: domain objects in, domain objects out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from lvzhi.domain.model import (
    BasicItem,
    CooperativeItem,
    DomainError,
    DutyList,
    DutyText,
    Item,
    ItemKey,
    ItemKind,
    ListVersion,
    ReclaimedItem,
)
from lvzhi.domain.versions import FIELD_TITLES, item_fields, name_key

FieldValue = str | tuple[str, ...]
Snapshot = dict[str, str | list[str]]
"""An item's fields as JSON (lists for tuples): what the proposer saw."""


class ChangeKind(StrEnum):
    ADD = "add"
    REMOVE = "remove"
    EDIT = "edit"
    MOVE = "move"

    @property
    def title(self) -> str:
        return CHANGE_TITLES[self]


CHANGE_TITLES = {
    ChangeKind.ADD: "新增事项",
    ChangeKind.REMOVE: "删除事项",
    ChangeKind.EDIT: "修改事项",
    ChangeKind.MOVE: "调整所属清单",
}


KIND_FIELDS: dict[ItemKind, tuple[str, ...]] = {
    ItemKind.BASIC: ("category", "name"),
    ItemKind.COOPERATIVE: (
        "category", "name", "lead_departments", "department_duties", "township_duties",
    ),
    ItemKind.RECLAIMED: ("category", "name", "receiving_departments", "working_method"),
}  # fmt: skip
REQUIRED: dict[ItemKind, tuple[str, ...]] = {
    ItemKind.BASIC: ("category", "name"),
    ItemKind.COOPERATIVE: ("category", "name", "lead_departments", "township_duties"),
    ItemKind.RECLAIMED: ("category", "name", "receiving_departments"),
}
TEXT_FIELDS = ("department_duties", "township_duties", "working_method")
LIST_FIELDS = ("lead_departments", "receiving_departments", *TEXT_FIELDS)


class InvalidChange(DomainError):
    def __init__(self, message: str, field_name: str | None = None) -> None:
        super().__init__(message)
        self.field = field_name


class ProposalConflict(DomainError):
    def __init__(self, proposal_id: int, message: str) -> None:
        super().__init__(f"变更提案 {proposal_id} 无法发布：{message}")
        self.proposal_id = proposal_id


# ---- changes ----


@dataclass(frozen=True)
class Change:
    """What a proposal asks: ``key`` names the item (not for ADD), ``target`` the list an added or
    moved item goes to, ``fields`` the new values (EDIT: only the changed ones)."""

    kind: ChangeKind
    key: ItemKey | None = None
    target: ItemKind | None = None
    fields: Mapping[str, FieldValue] = field(default_factory=dict)

    def describe(self) -> str:
        if self.kind is ChangeKind.ADD and self.target is not None:
            return f"新增{self.target.title}“{self.fields.get('name', '')}”"
        if self.kind is ChangeKind.MOVE and self.target is not None:
            return f"将 {self.key} 调整到{self.target.title}"
        if self.kind is ChangeKind.EDIT:
            names = "、".join(FIELD_TITLES[f] for f in self.fields)
            return f"修改 {self.key} 的{names}"
        return f"删除 {self.key}"


def clean_fields(raw: Mapping[str, object]) -> dict[str, FieldValue]:
    """Known field names only; strings stripped; list fields as tuples of non-empty lines."""
    found: dict[str, FieldValue] = {}
    for name, value in raw.items():
        if name not in FIELD_TITLES:
            known = "、".join(FIELD_TITLES)
            raise InvalidChange(f"没有字段“{name}”（可用：{known}）", name)
        if name in LIST_FIELDS:
            parts = value.splitlines() if isinstance(value, str) else list(value or ())  # type: ignore[call-overload]
            found[name] = tuple(str(p).strip() for p in parts if str(p).strip())
        else:
            found[name] = str(value or "").strip()
    return found


def snapshot(item: Item) -> Snapshot:
    return {k: v if isinstance(v, str) else list(v) for k, v in item_fields(item).items()}


def check_change(change: Change, duty_list: DutyList) -> Change:
    """``change`` as it will be stored, checked against ``duty_list`` (the newest version)."""
    fields = clean_fields(change.fields)
    if change.kind is ChangeKind.ADD:
        target = _target(change)
        _known_fields(fields, target)
        item = build_item(target, 0, fields)
        _same_name(duty_list, item)
        return Change(change.kind, None, target, fields)
    item = duty_list.item(_key(change))
    if change.kind is ChangeKind.REMOVE:
        return Change(change.kind, item.key)
    if change.kind is ChangeKind.EDIT:
        _known_fields(fields, item.kind)
        current = item_fields(item)
        fields = {k: v for k, v in fields.items() if current.get(k) != v}
        if not fields:
            raise InvalidChange(f"{item.key} 的修改与现行内容相同，没有要变更的字段")
        _required(edited_item(item, fields))
        return Change(change.kind, item.key, None, fields)
    target = _target(change)
    if target is item.kind:
        raise InvalidChange(f"{item.key} 已在{target.title}中", "target")
    _known_fields(fields, target)
    _required(moved_item(item, target, 0, fields))
    return Change(change.kind, item.key, target, fields)


def _key(change: Change) -> ItemKey:
    if change.key is None:
        raise InvalidChange(f"{change.kind.title}须指明事项编号（如 basic:5）", "key")
    return change.key


def _target(change: Change) -> ItemKind:
    if change.target is None:
        raise InvalidChange(
            f"{change.kind.title}须指明所属清单：basic、coop 或 reclaimed", "target"
        )
    return change.target


def _known_fields(fields: Mapping[str, FieldValue], kind: ItemKind) -> None:
    for name in fields:
        if name not in KIND_FIELDS[kind]:
            raise InvalidChange(f"{kind.title}没有“{FIELD_TITLES[name]}”这一栏", name)


def _required(item: Item) -> Item:
    values = item_fields(item)
    for name in REQUIRED[item.kind]:
        if not values.get(name):
            raise InvalidChange(f"{item.kind.title}须填写“{FIELD_TITLES[name]}”", name)
    return item


def _same_name(duty_list: DutyList, item: Item) -> None:
    for other in duty_list.items(item.kind):
        if name_key(other.name) == name_key(item.name):
            raise InvalidChange(
                f"{item.kind.title}中已有同名事项 {other.key}“{other.name}”", "name"
            )


def build_item(kind: ItemKind, number: int, fields: Mapping[str, FieldValue]) -> Item:
    values = {k: _typed(k, v) for k, v in fields.items()}
    common = (number, str(values.get("category", "")), str(values.get("name", "")))
    if kind is ItemKind.COOPERATIVE:
        item: Item = CooperativeItem(
            *common,
            lead_departments=values.get("lead_departments", ()),  # type: ignore[arg-type]
            department_duties=values.get("department_duties", DutyText()),  # type: ignore[arg-type]
            township_duties=values.get("township_duties", DutyText()),  # type: ignore[arg-type]
        )
    elif kind is ItemKind.RECLAIMED:
        item = ReclaimedItem(
            *common,
            receiving_departments=values.get("receiving_departments", ()),  # type: ignore[arg-type]
            working_method=values.get("working_method", DutyText()),  # type: ignore[arg-type]
        )
    else:
        item = BasicItem(*common)
    return _required(item)


def edited_item(item: Item, fields: Mapping[str, FieldValue]) -> Item:
    return replace(item, **{k: _typed(k, v) for k, v in fields.items()})  # type: ignore[type-var]


def moved_item(item: Item, target: ItemKind, number: int, fields: Mapping[str, FieldValue]) -> Item:
    """``item`` in another list: name and category kept; a cooperative item's leads become the
    departments that took it back (and its department duties their working method), and back."""
    carried: dict[str, FieldValue] = {
        k: v for k, v in item_fields(item).items() if k in ("category", "name")
    }
    if isinstance(item, CooperativeItem):
        carried["receiving_departments"] = item.lead_departments
        carried["working_method"] = item.department_duties.paragraphs
    if isinstance(item, ReclaimedItem):
        carried["lead_departments"] = item.receiving_departments
        carried["department_duties"] = item.working_method.paragraphs
    values = {k: v for k, v in {**carried, **fields}.items() if k in KIND_FIELDS[target]}
    return build_item(target, number, values)


def _typed(name: str, value: FieldValue) -> object:
    if name in TEXT_FIELDS:
        return DutyText(tuple(value))
    if name in LIST_FIELDS:
        return tuple(value)
    return value


# ---- publishing ----


@dataclass(frozen=True)
class Pending:
    """An approved proposal as publishing needs it."""

    id: int
    change: Change
    before: Snapshot | None


def apply_changes(
    duty_list: DutyList, pending: Sequence[Pending], version: ListVersion
) -> tuple[DutyList, dict[int, ItemKey | None]]:
    """The next version: ``pending`` applied in order to ``duty_list``, and the key each proposal's
    item has in it. Numbers stay: an added or moved item takes the next number of its list."""
    lists: dict[ItemKind, list[Item]] = {k: list(duty_list.items(k)) for k in ItemKind}
    floor = {k: _next_number(lists[k]) - 1 for k in ItemKind}  # never reuse a number of the base

    def number(kind: ItemKind) -> int:
        return max(floor[kind], _next_number(lists[kind]) - 1) + 1

    touched: dict[ItemKey, int] = {}
    results: dict[int, ItemKey | None] = {}
    for p in pending:
        change = p.change
        if change.kind is ChangeKind.ADD:
            assert change.target is not None
            new = build_item(change.target, number(change.target), change.fields)
            _no_twin(p.id, lists[new.kind], new)
            lists[new.kind].append(new)
            results[p.id] = new.key
            continue
        key = _key(change)
        if key in touched:
            raise ProposalConflict(
                p.id, f"与变更提案 {touched[key]} 修改的是同一事项 {key}，请撤回其中一个"
            )
        touched[key] = p.id
        current = next((i for i in lists[key.kind] if i.key == key), None)
        if current is None:
            raise ProposalConflict(p.id, f"事项 {key} 已不在清单中")
        if p.before is not None and snapshot(current) != p.before:
            raise ProposalConflict(p.id, f"提出之后事项 {key} 已有改动，请撤回后按现行内容重新提出")
        position = lists[key.kind].index(current)
        if change.kind is ChangeKind.REMOVE:
            del lists[key.kind][position]
            results[p.id] = None
        elif change.kind is ChangeKind.EDIT:
            lists[key.kind][position] = _required(edited_item(current, change.fields))
            results[p.id] = key
        else:
            assert change.target is not None
            del lists[key.kind][position]
            moved = moved_item(current, change.target, number(change.target), change.fields)
            lists[change.target].append(moved)
            results[p.id] = moved.key
    return DutyList(
        version,
        basic=tuple(lists[ItemKind.BASIC]),  # type: ignore[arg-type]
        cooperative=tuple(lists[ItemKind.COOPERATIVE]),  # type: ignore[arg-type]
        reclaimed=tuple(lists[ItemKind.RECLAIMED]),  # type: ignore[arg-type]
    ), results


def _next_number(items: Sequence[Item]) -> int:
    return max((i.number for i in items), default=0) + 1


def _no_twin(proposal_id: int, items: Sequence[Item], new: Item) -> None:
    for other in items:
        if other is not new and name_key(other.name) == name_key(new.name):
            raise ProposalConflict(proposal_id, f"{new.kind.title}中已有同名事项 {other.key}")
