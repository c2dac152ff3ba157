"""A Routing as the JSON document the CLI and the API both return."""

from __future__ import annotations

from typing import Any

from lvzhi.domain.model import CooperativeItem, ReclaimedItem
from lvzhi.domain.router import Match, Routing


def match_doc(match: Match) -> dict[str, Any]:
    item = match.item
    doc: dict[str, Any] = {
        "key": match.key,
        "kind": item.kind.value,
        "name": item.name,
        "category": item.category,
        "score": round(match.score, 3),
        "evidence": match.evidence,
        "matched_terms": list(match.phrases),
    }
    if isinstance(item, CooperativeItem):
        doc["lead_departments"] = list(item.lead_departments)
        doc["township_duties"] = list(item.township_duties.paragraphs)
    if isinstance(item, ReclaimedItem):
        doc["receiving_departments"] = list(item.receiving_departments)
        doc["working_method"] = list(item.working_method.paragraphs)
    return doc


def routing_doc(routing: Routing) -> dict[str, Any]:
    return {
        "verdict": routing.verdict.value,
        "verdict_title": routing.verdict.title,
        "confidence": routing.confidence,
        "needs_review": routing.needs_review,
        "responsible": routing.responsible,
        "handled_elsewhere_by": routing.elsewhere.body if routing.elsewhere else None,
        "colloquial": [{"said": s, "official": o} for s, o in routing.expansions],
        "matches": [_with_reason(routing, m) for m in routing.matches],
    }


def _with_reason(routing: Routing, match: Match) -> dict[str, Any]:
    doc = match_doc(match)
    if routing.primary is None:
        doc["why_not"] = routing.why_not(match)
    return doc
