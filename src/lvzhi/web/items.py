"""One item as the item page shows it: duty texts in sections, each department's part, links."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lvzhi import services
from lvzhi.domain.departments import DepartmentRegistry, department_parts
from lvzhi.domain.model import CooperativeItem, DutyText, Item, ReclaimedItem
from lvzhi.web.context import Site
from lvzhi.web.present import duty_blocks

KIND_NOTES = {
    "basic": "乡镇（街道）自身承担的职责，由乡镇（街道）负责办理",
    "coop": "县级部门牵头负责，乡镇（街道）按所列配合职责做好配合",
    "reclaimed": "已由县级部门收回承担，乡镇（街道）不再承担，不应交由乡镇（街道）办理",
}


def item_context(current: Site, view: services.ItemView, words: list[str]) -> dict[str, Any]:
    item = view.item
    registry = current.registry
    parts = (
        department_parts(item.department_duties, item.lead_departments, registry)
        if isinstance(item, CooperativeItem)
        else {}
    )
    context: dict[str, Any] = {
        "item": item,
        "kind_note": KIND_NOTES[item.kind.value],
        "related": related_departments(item, registry, parts),
        "siblings": _siblings(current, item),
        "words": words,
        "focus": None,
        "parts": [],
    }
    if isinstance(item, CooperativeItem):
        context["department_sections"] = duty_blocks(item.department_duties, words)
        context["township_sections"] = duty_blocks(item.township_duties, words)
        if splits(item, parts):
            context["parts"] = [(name, duty_blocks(paras, words)) for name, paras in parts.items()]
        if view.department:
            context["focus"] = (view.department, duty_blocks(view.part or [], words))
    if isinstance(item, ReclaimedItem):
        context["method_sections"] = duty_blocks(item.working_method, words)
    return context


def splits(item: CooperativeItem, parts: dict[str, list[str]]) -> bool:
    """Whether the department duties give departments different parts (not all of it to each)."""
    whole = list(item.department_duties.paragraphs)
    return len(parts) > 1 and any(paragraphs != whole for paragraphs in parts.values())


def related_departments(
    item: Item, registry: DepartmentRegistry, parts: Mapping[str, object]
) -> list[tuple[str, str]]:
    """``(department, how it is related)``: leads or receivers first, then those with a part of
    the department duties (``parts``, from ``department_parts``), then those the texts name."""
    found: dict[str, str] = {}
    texts: list[DutyText] = []
    if isinstance(item, CooperativeItem):
        for name in item.lead_departments:
            found.setdefault(registry.canonical(name), "牵头部门")
        for name in parts:
            found.setdefault(name, "承担部分职责")
        texts = [item.department_duties, item.township_duties]
    elif isinstance(item, ReclaimedItem):
        for name in item.receiving_departments:
            found.setdefault(registry.canonical(name), "承接部门")
        texts = [item.working_method]
    for text in texts:
        for _, _, department in registry.find_in_text(text.text):
            found.setdefault(department.name, "职责中提及")
    return list(found.items())


def _siblings(current: Site, item: Item, most: int = 12) -> list[Item]:
    """Other items of the same list and category."""
    listing = services.list_items(
        current.uow(), current.township, kind=item.kind, category=item.category,
        version=current.number,
    )  # fmt: skip
    return [other for other in listing.items if other.category == item.category and other != item][
        :most
    ]
