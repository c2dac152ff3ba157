"""Domain and service results as the API's schemas."""

from __future__ import annotations

from lvzhi.api.schemas import (
    DepartmentPartPublic,
    DepartmentPublic,
    DutyTextPublic,
    ExpansionPublic,
    ItemPublic,
    ItemSummary,
    RoutingPublic,
    SearchHitPublic,
    SearchPublic,
    SectionPublic,
    SnippetPublic,
    StepPublic,
    VersionPublic,
)
from lvzhi.domain.departments import DepartmentRegistry, department_parts
from lvzhi.domain.model import (
    CooperativeItem,
    DutySection,
    DutyText,
    Item,
    ItemKind,
    ReclaimedItem,
    departments_of,
)
from lvzhi.domain.router import Routing
from lvzhi.domain.versions import StoredVersion
from lvzhi.routing_view import routing_doc
from lvzhi.services import DepartmentUsage, ItemView, SearchResult


def version_public(version: StoredVersion) -> VersionPublic:
    return VersionPublic(
        township=version.township,
        number=version.number,
        label=version.label,
        effective_date=version.effective_date,
        source=version.source,
        imported_at=version.imported_at,
        counts={kind.value: version.counts.get(kind, 0) for kind in ItemKind},
        total=version.total,
    )


def sections_public(sections: tuple[DutySection, ...]) -> list[SectionPublic]:
    return [
        SectionPublic(
            heading=section.heading,
            steps=[StepPublic(number=step.number, text=step.text) for step in section.steps],
        )
        for section in sections
    ]


def duty_text_public(text: DutyText) -> DutyTextPublic:
    return DutyTextPublic(paragraphs=list(text.paragraphs), sections=sections_public(text.sections))


def item_summary(item: Item, roles: list[str] | None = None) -> ItemSummary:
    fields = _summary_fields(item)
    if roles is not None:
        fields["roles"] = roles
    return ItemSummary(**fields)


def _summary_fields(item: Item) -> dict[str, object]:
    return {
        "key": str(item.key),
        "kind": item.kind.value,
        "kind_title": item.kind.title,
        "number": item.number,
        "category": item.category,
        "name": item.name,
        "departments": list(departments_of(item)),
    }


def part_public(department: str, paragraphs: list[str] | None) -> DepartmentPartPublic:
    """A department's part of an item's 上级部门职责 (``None``: the item has no such text)."""
    found = paragraphs or []
    part = DepartmentPartPublic(
        department=department,
        paragraphs=found,
        sections=sections_public(DutyText(tuple(found)).sections),
    )
    if paragraphs is None:
        part.message = f"该事项没有上级部门职责，无法列出 {department} 的部分"
    elif not paragraphs:
        part.message = f"上级部门职责中没有分给 {department} 的内容"
    return part


def item_public(view: ItemView, registry: DepartmentRegistry) -> ItemPublic:
    item = view.item
    fields = _summary_fields(item)
    if isinstance(item, CooperativeItem):
        parts = department_parts(item.department_duties, item.lead_departments, registry)
        fields |= {
            "lead_departments": list(item.lead_departments),
            "department_duties": duty_text_public(item.department_duties),
            "township_duties": duty_text_public(item.township_duties),
            "department_parts": [part_public(name, found) for name, found in parts.items()],
        }
    if isinstance(item, ReclaimedItem):
        fields |= {
            "receiving_departments": list(item.receiving_departments),
            "working_method": duty_text_public(item.working_method),
        }
    if view.department is not None:
        fields["department_part"] = part_public(view.department, view.part)
    return ItemPublic(**fields, version=version_public(view.version))


def search_public(result: SearchResult) -> SearchPublic:
    hits = []
    for rank, hit in enumerate(result.hits, 1):
        snippet = hit.snippet
        hits.append(
            SearchHitPublic(
                rank=rank,
                key=str(hit.item.key),
                kind=hit.item.kind.value,
                kind_title=hit.item.kind.title,
                name=hit.item.name,
                category=hit.item.category,
                score=hit.score,
                terms=list(hit.terms),
                name_spans=list(hit.name_spans),
                snippet=None
                if snippet is None
                else SnippetPublic(
                    field=snippet.field,
                    title=snippet.title,
                    text=snippet.text,
                    spans=list(snippet.spans),
                ),
            )
        )
    expansions = [
        ExpansionPublic(typed=typed, official=official) for typed, official in result.expansions
    ]
    return SearchPublic(
        query=result.query, version=version_public(result.version), hits=hits, expansions=expansions
    )


def department_fields(usage: DepartmentUsage) -> dict[str, object]:
    return {
        "name": usage.name,
        "kind": usage.kind,
        "registered": usage.registered,
        "aliases": usage.aliases,
        "lead": usage.counts["lead"],
        "receiver": usage.counts["receiver"],
        "assist": usage.counts["assist"],
        "total": usage.total,
    }


def department_public(usage: DepartmentUsage) -> DepartmentPublic:
    return DepartmentPublic(**department_fields(usage))


def routing_public(routing: Routing) -> RoutingPublic:
    """The router's answer in exactly the shape of ``routing_doc`` (the CLI's ``route --json``)."""
    return RoutingPublic.model_validate(routing_doc(routing))
