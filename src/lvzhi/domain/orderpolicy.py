"""Who handles a work order and by when: the county's order policy applied to a routing.

Pure: the policy (deadlines per item kind, township offices, the county coordinator) comes in as
data (``data/workorders.yaml`` is read by ``lvzhi.data.orders``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum

from .departments import DepartmentRegistry, normalize_name
from .model import CooperativeItem, DomainError, Item, ItemKind, ReclaimedItem
from .router import Routing, Verdict


class Source(StrEnum):
    HOTLINE = "12345"
    GRID = "grid"
    WINDOW = "window"
    DEPARTMENT = "department"
    OPEN311 = "open311"
    OTHER = "other"

    @property
    def title(self) -> str:
        return SOURCE_TITLES[self]

    @classmethod
    def parse(cls, text: str) -> Source:
        key = normalize_name(text).lower()
        for source in cls:
            if key in (source.value, source.title.lower()):
                return source
        if key in SOURCE_ALIASES:
            return SOURCE_ALIASES[key]
        names = "、".join(f"{s.value}（{s.title}）" for s in cls)
        raise BadOrderInput("source", f"来源“{text}”无法识别，可用：{names}")


SOURCE_TITLES = {
    Source.HOTLINE: "12345热线", Source.GRID: "网格员", Source.WINDOW: "窗口",
    Source.DEPARTMENT: "部门交办", Source.OPEN311: "网上报事", Source.OTHER: "其他",
}  # fmt: skip
SOURCE_ALIASES = {"12345": Source.HOTLINE, "热线": Source.HOTLINE, "网格": Source.GRID,
                  "交办": Source.DEPARTMENT, "网上": Source.OPEN311}  # fmt: skip


class Satisfaction(StrEnum):
    SATISFIED = "satisfied"
    FAIR = "fair"
    UNSATISFIED = "unsatisfied"

    @property
    def title(self) -> str:
        return {"satisfied": "满意", "fair": "基本满意", "unsatisfied": "不满意"}[self.value]

    @classmethod
    def parse(cls, text: str) -> Satisfaction:
        key = (text or "").strip()
        for value in cls:
            if key in (value.value, value.title):
                return value
        raise BadOrderInput("satisfaction", "满意度应为：满意、基本满意或不满意")


class AssigneeKind(StrEnum):
    OFFICE = "office"  # 乡镇内设机构
    DEPARTMENT = "department"  # 县级部门
    COORDINATOR = "coordinator"  # 县级统筹协调

    @property
    def title(self) -> str:
        return {"office": "乡镇内设机构", "department": "县级部门", "coordinator": "县级统筹协调"}[
            self.value
        ]


class BadOrderInput(DomainError):
    """A field of an order is missing or cannot be read; ``field`` names it."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name


class UnknownAssignee(DomainError):
    def __init__(self, name: str, offices: Sequence[str]) -> None:
        super().__init__(
            f"“{name}”不是登记的县级部门或乡镇内设机构（内设机构：{'、'.join(offices)}）；"
            "请使用部门登记表中的名称或简称"
        )


@dataclass(frozen=True)
class Office:
    name: str
    aliases: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()


@dataclass(frozen=True)
class OrderPolicy:
    """What a county decides about orders (``data/workorders.yaml``)."""

    deadline_days: Mapping[str, int] = field(
        default_factory=lambda: {"basic": 5, "coop": 5, "reclaimed": 3, "outside": 3}
    )
    warn_before: timedelta = timedelta(days=1)
    coordinator: str = "县级统筹协调"
    offices: tuple[Office, ...] = ()
    default_office: str = "党政综合办公室"
    villages: tuple[str, ...] = ()
    attachment_max_bytes: int = 10 * 1024 * 1024
    attachment_types: tuple[str, ...] = ("jpg", "jpeg", "png", "pdf", "docx", "xlsx", "txt")
    ping_pong_at: int = 2  # 退单 this many times makes an order a ping-pong case

    def days_for(self, verdict: Verdict) -> int:
        key = {Verdict.TOWNSHIP: "basic", Verdict.COOPERATIVE: "coop",
               Verdict.RECLAIMED: "reclaimed", Verdict.OUTSIDE: "outside"}[verdict]  # fmt: skip
        return int(self.deadline_days.get(key, 5))

    def office_for(self, category: str) -> str:
        for office in self.offices:
            if category in office.categories:
                return office.name
        return self.default_office

    def office_names(self) -> list[str]:
        return [office.name for office in self.offices] or [self.default_office]


@dataclass(frozen=True)
class Suggestion:
    """The routing of an order in the terms of work orders: the item, the verdict, who handles it."""

    verdict: Verdict
    item_key: str | None
    item_name: str
    category: str
    assignee: str
    assignee_kind: AssigneeKind
    notice: str  # one sentence for people: who handles it and why, citing the item


VERDICT_OF_KIND = {
    ItemKind.BASIC: Verdict.TOWNSHIP,
    ItemKind.COOPERATIVE: Verdict.COOPERATIVE,
    ItemKind.RECLAIMED: Verdict.RECLAIMED,
}


def suggest_for_item(item: Item, policy: OrderPolicy, registry: DepartmentRegistry) -> Suggestion:
    """Who handles a matter of ``item``: a township office, or the county department cited."""
    verdict = VERDICT_OF_KIND[item.kind]
    cited = f"{item.kind.title}第 {item.number} 项“{item.name}”"
    if isinstance(item, CooperativeItem | ReclaimedItem):
        names = (
            item.lead_departments
            if isinstance(item, CooperativeItem)
            else item.receiving_departments
        )
        body = registry.canonical(names[0]) if names else policy.coordinator
        kind = AssigneeKind.DEPARTMENT if names else AssigneeKind.COORDINATOR
        if isinstance(item, CooperativeItem):
            notice = f"转{body}牵头办理，乡镇按配合职责配合（依据{cited}）"
        else:
            notice = f"该事项已由上级收回，转{body}办理（依据{cited}）"
        return Suggestion(verdict, str(item.key), item.name, item.category, body, kind, notice)
    office = policy.office_for(item.category)
    notice = f"乡镇主责，由{office}办理（依据{cited}）"
    return Suggestion(
        verdict, str(item.key), item.name, item.category, office, AssigneeKind.OFFICE, notice
    )


def suggest(routing: Routing, policy: OrderPolicy, registry: DepartmentRegistry) -> Suggestion:
    """The suggestion for a routed matter; outside the list goes to the county coordinator."""
    match = routing.primary
    if match is not None:
        return suggest_for_item(match.item, policy, registry)
    hint = f"，此类事项一般由{routing.elsewhere.body}办理" if routing.elsewhere else ""
    notice = f"清单外事项，报{policy.coordinator}研究确定承办单位{hint}"
    return Suggestion(
        Verdict.OUTSIDE, None, "", "", policy.coordinator, AssigneeKind.COORDINATOR, notice
    )


def resolve_assignee(
    name: str, policy: OrderPolicy, registry: DepartmentRegistry
) -> tuple[str, AssigneeKind]:
    """A canonical assignee: a township office (or its alias), the coordinator, or a department."""
    key = normalize_name(name)
    for office in policy.offices:
        if key in (normalize_name(n) for n in (office.name, *office.aliases)):
            return office.name, AssigneeKind.OFFICE
    if key == normalize_name(policy.default_office):
        return policy.default_office, AssigneeKind.OFFICE
    if key == normalize_name(policy.coordinator):
        return policy.coordinator, AssigneeKind.COORDINATOR
    department = registry.resolve(key) if key else None
    if department is None:
        raise UnknownAssignee(name, policy.office_names())
    return department.name, AssigneeKind.DEPARTMENT


def mask_phone(phone: str) -> str:
    """``13812345678`` -> ``138****5678``; short numbers keep only their last two digits."""
    digits = (phone or "").strip()
    if len(digits) >= 7:
        return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
    return "*" * max(len(digits) - 2, 0) + digits[-2:] if digits else ""


_VILLAGE = re.compile(r"[\u4e00-\u9fff]{1,10}?(?:村|社区|牧业队)")
_AREA_END = re.compile(r"(?<=[省市县乡镇州])")


def village_of(address: str, villages: Sequence[str] = ()) -> str:
    """The village an address names: one of ``villages`` when given, else the first "……村"
    (or 社区) after the province, county and township names."""
    text = normalize_name(address)
    for name in sorted(villages, key=len, reverse=True):
        if name and name in text:
            return name
    for piece in _AREA_END.split(text):
        found = _VILLAGE.search(piece)
        if found:
            return found.group(0)
    return ""
