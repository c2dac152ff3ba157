"""Rows <-> domain objects for the item tables; no queries here."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from lvzhi.domain.model import (
    HEADING_RE,
    STEP_RE,
    BasicItem,
    CooperativeItem,
    DutyList,
    DutyText,
    Item,
    ItemKind,
    ListVersion,
    ReclaimedItem,
)

if TYPE_CHECKING:
    from lvzhi.storage.repository import DepartmentLink, ItemRecord


def item_row(version_id: int, position: int, record: ItemRecord) -> dict[str, Any]:
    item = record.item
    return {
        "version_id": version_id,
        "kind": item.kind.value,
        "number": item.number,
        "category": item.category,
        "name": item.name,
        "position": position,
        "token_count": sum(record.terms.values()),
    }


def duty_texts(item: Item) -> dict[str, DutyText]:
    if isinstance(item, CooperativeItem):
        return {
            "department_duties": item.department_duties,
            "township_duties": item.township_duties,
        }
    if isinstance(item, ReclaimedItem):
        return {"working_method": item.working_method}
    return {}


def paragraph_rows(item_id: int, item: Item) -> Iterable[dict[str, Any]]:
    for field, text in duty_texts(item).items():
        for position, paragraph in enumerate(text.paragraphs):
            step = STEP_RE.match(paragraph)
            yield {
                "item_id": item_id,
                "field": field,
                "position": position,
                "text": paragraph,
                "step": int(step.group(1)) if step else None,
                "is_heading": bool(HEADING_RE.match(paragraph)),
            }


def link_rows(item_id: int, links: Sequence[DepartmentLink]) -> Iterable[dict[str, Any]]:
    for position, link in enumerate(links):
        yield {
            "item_id": item_id,
            "role": link.role,
            "position": position,
            "printed_name": link.printed_name,
            "department_name": link.department_name,
            "department_id": link.department_id,
        }


def item_from_row(
    row: Mapping[str, Any],
    paragraphs: Mapping[str, list[str]],
    departments: Mapping[tuple[int, str], list[str]],
) -> Item:
    kind = ItemKind(row["kind"])
    common = (row["number"], row["category"], row["name"])
    if kind is ItemKind.COOPERATIVE:
        return CooperativeItem(
            *common,
            lead_departments=tuple(departments.get((row["id"], "lead"), ())),
            department_duties=DutyText(tuple(paragraphs.get("department_duties", ()))),
            township_duties=DutyText(tuple(paragraphs.get("township_duties", ()))),
        )
    if kind is ItemKind.RECLAIMED:
        return ReclaimedItem(
            *common,
            receiving_departments=tuple(departments.get((row["id"], "receiver"), ())),
            working_method=DutyText(tuple(paragraphs.get("working_method", ()))),
        )
    return BasicItem(*common)


def build_list(version: ListVersion, found: Iterable[Item]) -> DutyList:
    by_kind: dict[ItemKind, list[Any]] = {kind: [] for kind in ItemKind}
    for item in found:
        by_kind[item.kind].append(item)
    return DutyList(
        version,
        basic=tuple(by_kind[ItemKind.BASIC]),
        cooperative=tuple(by_kind[ItemKind.COOPERATIVE]),
        reclaimed=tuple(by_kind[ItemKind.RECLAIMED]),
    )
