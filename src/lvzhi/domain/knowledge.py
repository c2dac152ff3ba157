"""Routing knowledge: how people speak of each item, and colloquial -> official vocabulary.

Built from plain mappings (as loaded from the county-editable YAML files); no I/O here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from .model import DomainError, ItemKey, ItemKind


class Act(StrEnum):
    """Kinds of act an item covers; a matter that asks for one points to the item holding it."""

    REPORT = "report"
    INSPECTION = "inspection"
    APPROVAL = "approval"
    PENALTY = "penalty"
    CERTIFICATE = "certificate"
    SUBSIDY = "subsidy"
    PUBLICITY = "publicity"
    SERVICE = "service"
    STATISTICS = "statistics"
    ASSESSMENT = "assessment"
    REWARD = "reward"
    MEDIATION = "mediation"
    EMERGENCY = "emergency"
    MANAGEMENT = "management"
    ORGANIZATION = "organization"
    SUPERVISION = "supervision"


ACT_TITLES = {
    Act.REPORT: "发现上报", Act.INSPECTION: "检查巡查", Act.APPROVAL: "审批许可", Act.PENALTY: "处罚执法",
    Act.CERTIFICATE: "证明登记", Act.SUBSIDY: "补贴救助", Act.PUBLICITY: "宣传教育", Act.SERVICE: "办事服务",
    Act.STATISTICS: "统计普查", Act.ASSESSMENT: "考核评估", Act.REWARD: "表彰奖励", Act.MEDIATION: "调解纠纷",
    Act.EMERGENCY: "应急处置", Act.MANAGEMENT: "日常管理", Act.ORGANIZATION: "组织建设", Act.SUPERVISION: "监督监管",
}


class KnowledgeError(DomainError):
    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"路由知识 {where}：{message}")
        self.where = where


@dataclass(frozen=True)
class ItemKnowledge:
    label: str = ""
    terms: tuple[str, ...] = ()
    situations: tuple[str, ...] = ()
    acts: frozenset[Act] = frozenset()
    scope: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class RoutingKnowledge:
    items: Mapping[ItemKey, ItemKnowledge]
    synonyms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # official -> colloquial

    @classmethod
    def from_mappings(
        cls, per_kind: Mapping[ItemKind, Mapping[int, Mapping]], synonyms: Mapping[str, Iterable[str]]
    ) -> RoutingKnowledge:
        items: dict[ItemKey, ItemKnowledge] = {}
        for kind, entries in per_kind.items():
            for number, entry in (entries or {}).items():
                items[ItemKey(kind, int(number))] = _item(f"{kind.value}:{number}", entry)
        syn = {str(k): tuple(str(v) for v in (vals or ())) for k, vals in (synonyms or {}).items()}
        return cls(items, syn)

    def get(self, key: ItemKey) -> ItemKnowledge:
        return self.items.get(key, ItemKnowledge())

    def missing(self, keys: Iterable[ItemKey]) -> list[ItemKey]:
        return [k for k in keys if not self.items.get(k) or not self.items[k].terms]


def _strings(where: str, name: str, value) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise KnowledgeError(where, f"{name} 应为字符串列表")
    return tuple(str(v).strip() for v in value if str(v).strip())


def _item(where: str, entry: Mapping) -> ItemKnowledge:
    if not isinstance(entry, Mapping):
        raise KnowledgeError(where, "应为包含 terms、situations、acts 的映射")
    acts = _strings(where, "acts", entry.get("acts"))
    unknown = [a for a in acts if a not in Act._value2member_map_]
    if unknown:
        raise KnowledgeError(where, f"未知的 acts：{'、'.join(unknown)}（可用：{'、'.join(a.value for a in Act)}）")
    return ItemKnowledge(
        label=str(entry.get("label") or ""),
        terms=_strings(where, "terms", entry.get("terms")),
        situations=_strings(where, "situations", entry.get("situations")),
        acts=frozenset(Act(a) for a in acts),
        scope=_strings(where, "scope", entry.get("scope")),
        exclude=_strings(where, "exclude", entry.get("exclude")),
    )
