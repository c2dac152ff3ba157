"""The routing console: paste a matter, see who handles it, why, and the items to open."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request

from lvzhi.domain.model import CooperativeItem, ReclaimedItem
from lvzhi.domain.router import MAX_MATTER_CHARS, Match, MatterTooLong, Routing, Verdict
from lvzhi.web.context import Site, SiteDep, render
from lvzhi.web.present import Section, duty_blocks, mark_words

router = APIRouter(include_in_schema=False)

EXAMPLES = (
    "地里有人烧麦秆，烟大得睁不开眼",
    "村里有户人家想申请低保",
    "县应急管理局：请各乡对加油站开展安全检查",
    "有人在耕地上盖房子",
    "我的驾驶证到期了要换证",
)


@dataclass(frozen=True)
class Ranked:
    match: Match
    why_not: str | None


def verdict_title(routing: Routing) -> str:
    """The verdict for people; a reclaimed one names who took the item back."""
    match = routing.primary
    if match is not None and isinstance(match.item, ReclaimedItem):
        return f"已收回，由{'、'.join(match.item.receiving_departments)}承担"
    return routing.verdict.title


def routing_context(routing: Routing) -> dict[str, Any]:
    nearest = routing.matches[0] if routing.matches else None
    words = [*nearest.phrases, *nearest.words] if nearest else []
    what_to_do: list[Section] = []
    if routing.primary is not None:
        item = routing.primary.item
        if isinstance(item, CooperativeItem):
            what_to_do = duty_blocks(item.township_duties)
        elif isinstance(item, ReclaimedItem):
            what_to_do = duty_blocks(item.working_method)
    outside = routing.verdict is Verdict.OUTSIDE
    return {
        "routing": routing,
        "verdict_title": verdict_title(routing),
        "marked": mark_words(routing.text, words),
        "ranked": [Ranked(m, routing.why_not(m) if outside else None) for m in routing.matches],
        "what_to_do": what_to_do,
        "outside": outside,
    }


def _page(request: Request, current: Site, matter: str):
    matter = matter.strip()
    context: dict[str, Any] = {"site": current, "matter": matter, "examples": EXAMPLES,
                               "limit": MAX_MATTER_CHARS, "error": None}  # fmt: skip
    status = 200
    if matter:
        try:
            context.update(routing_context(current.router().route(matter)))
        except MatterTooLong as exc:
            context["error"], status = str(exc), 413
    return render(request, "route.html", status, **context)


@router.get("/route", name="route")
def route_page(request: Request, current: SiteDep, matter: str = ""):
    return _page(request, current, matter)


@router.post("/route", name="route_submit")
def route_submit(request: Request, current: SiteDep, matter: Annotated[str, Form()] = ""):
    return _page(request, current, matter)
