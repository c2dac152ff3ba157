"""What an item brings into the database besides itself: department links and search terms."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from functools import lru_cache

from lvzhi.domain.departments import DepartmentRegistry, department_parts
from lvzhi.domain.model import CooperativeItem, Item, ReclaimedItem, departments_of
from lvzhi.services.terms import weighted_terms
from lvzhi.storage.repository import DepartmentLink, ItemRecord

NAME_WEIGHT = 3
"""A word in an item's name counts as much as three in its duty texts."""


def item_record(
    item: Item, registry: DepartmentRegistry, department_ids: Mapping[str, int]
) -> ItemRecord:
    return ItemRecord(item, links=_links(item, registry, department_ids), terms=_terms(item))


def _links(
    item: Item, registry: DepartmentRegistry, department_ids: Mapping[str, int]
) -> list[DepartmentLink]:
    role = "lead" if isinstance(item, CooperativeItem) else "receiver"
    links = []
    for printed in departments_of(item):
        canonical = registry.canonical(printed)
        links.append(DepartmentLink(role, printed, canonical, department_ids.get(canonical)))
    named = {link.department_name for link in links}
    for canonical in assisting_departments(item, registry):
        if canonical not in named:
            named.add(canonical)
            links.append(
                DepartmentLink("assist", canonical, canonical, department_ids.get(canonical))
            )
    return links


def assisting_departments(item: Item, registry: DepartmentRegistry) -> list[str]:
    return list(_assisting(item, registry))


@lru_cache(maxsize=4096)
def _assisting(item: Item, registry: DepartmentRegistry) -> tuple[str, ...]:
    """Departments the item's department text names besides its leads or receivers: those that get
    their own part (``department_parts``) and any other department the text mentions."""
    found: list[str] = []
    if isinstance(item, CooperativeItem):
        parts = department_parts(item.department_duties, item.lead_departments, registry)
        found.extend(name for name, paragraphs in parts.items() if paragraphs)
        found.extend(_mentions(item.department_duties.text, registry))
    if isinstance(item, ReclaimedItem):
        found.extend(_mentions(item.working_method.text, registry))
    leads = {registry.canonical(name) for name in departments_of(item)}
    return tuple(name for name in dict.fromkeys(found) if name not in leads)


def _mentions(text: str, registry: DepartmentRegistry) -> Iterable[str]:
    return (department.name for _, _, department in registry.find_in_text(text))


def _terms(item: Item) -> Counter[str]:
    return Counter(_item_terms(item))


@lru_cache(maxsize=4096)
def _item_terms(item: Item) -> Counter[str]:
    """Terms depend on the item's text alone; a county's lists share most items, so tokenizing each
    text once per process makes importing the next township's list about twice as fast."""
    fields: list[tuple[str, int]] = [(item.name, NAME_WEIGHT), (item.category, 1)]
    fields.extend((name, 1) for name in departments_of(item))
    if isinstance(item, CooperativeItem):
        fields += [(item.department_duties.text, 1), (item.township_duties.text, 1)]
    if isinstance(item, ReclaimedItem):
        fields.append((item.working_method.text, 1))
    return weighted_terms(fields)
