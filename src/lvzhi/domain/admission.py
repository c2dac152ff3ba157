"""Duty admission review (职责准入): may this task be pushed onto the township?

A department's notice is cut into its demands; each demand is routed and judged against the
list: a basic item is accepted, a cooperative item only for the township's listed part, a
taken-back item is refused, and anything outside the list needs the county's admission
approval. Flags point out what a reviewer must look at.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from .departments import DepartmentRegistry
from .knowledge import Act
from .model import BasicItem, CooperativeItem, Item, ReclaimedItem
from .router import Router, Routing, Verdict


class Decision(StrEnum):
    ACCEPT = "accept"
    ACCEPT_PART = "accept_part"
    REFUSE = "refuse"
    NEEDS_APPROVAL = "needs_approval"

    @property
    def title(self) -> str:
        return DECISION_TITLES[self]


DECISION_TITLES = {
    Decision.ACCEPT: "接收",
    Decision.ACCEPT_PART: "部分接收（仅承担清单所列配合职责）",
    Decision.REFUSE: "退回（已收回事项）",
    Decision.NEEDS_APPROVAL: "报请准入审批（清单外）",
}
_DECISION_OF = {
    Verdict.TOWNSHIP: Decision.ACCEPT,
    Verdict.COOPERATIVE: Decision.ACCEPT_PART,
    Verdict.RECLAIMED: Decision.REFUSE,
    Verdict.OUTSIDE: Decision.NEEDS_APPROVAL,
}
# Acts that are a department's power: a township asked to exercise them is being pushed work.
POWER_ACTS = (Act.PENALTY, Act.APPROVAL, Act.INSPECTION, Act.CERTIFICATE)
_MARKER = re.compile(
    r"[（(]([0-9一二三四五六七八九十]{1,2})[)）]"
    r"|(?:^|(?<=[\s。；;：:，,]))(?:([0-9]{1,2}|[一二三四五六七八九十]{1,2})[.．、](?![0-9])|([一二三四五六七八九十])是)"
)
_HEADER = re.compile(r"^\s*([^：:，。\n]{2,30}?)[：:]\s*")


@dataclass(frozen=True)
class Flag:
    code: str
    message: str


@dataclass(frozen=True)
class DemandReview:
    text: str
    decision: Decision
    items: tuple[str, ...]
    reason: str
    flags: tuple[Flag, ...]
    routing: Routing

    @property
    def item(self) -> Item | None:
        return self.routing.primary.item if self.routing.primary else None


@dataclass(frozen=True)
class Review:
    text: str
    sender: str
    sender_department: str | None  # canonical name when the registry knows it
    demands: tuple[DemandReview, ...]

    @property
    def decision(self) -> str:
        """The notice as a whole: 接收 / 部分接收 / 退回 / 报请准入."""
        decisions = {d.decision for d in self.demands}
        if decisions <= {Decision.ACCEPT}:
            return "接收"
        if decisions == {Decision.REFUSE}:
            return "退回"
        if Decision.NEEDS_APPROVAL in decisions:
            return "报请准入"
        return "部分接收"


def split_demands(text: str) -> tuple[str, list[str]]:
    """(preamble, demands): numbered requests (1. 2. / （1）/ 一是 二是) become one demand each."""
    body = text.strip()
    marks = [m for m in _MARKER.finditer(body)]
    marks = _sequential(marks)
    if len(marks) < 2:
        return "", [body] if body else []
    preamble = body[: marks[0].start()].strip()
    demands = []
    for m, nxt in zip(marks, [*marks[1:], None]):
        piece = body[m.end() : nxt.start() if nxt else len(body)].strip(" \n；;。，,")
        if piece:
            demands.append(piece)
    return preamble, demands


def _sequential(marks: list[re.Match]) -> list[re.Match]:
    """Keep the longest run of markers numbered 1, 2, 3 ... in order."""
    from .model import chinese_numeral

    def number(m: re.Match) -> int:
        token = m.group(1) or m.group(2) or m.group(3)
        return int(token) if token.isdigit() else chinese_numeral(token)

    run: list[re.Match] = []
    for m in marks:
        if number(m) == len(run) + 1:
            run.append(m)
    return run


class AdmissionReviewer:
    def __init__(self, router: Router, registry: DepartmentRegistry, cues: Mapping[Act, Sequence[str]]) -> None:
        self.router = router
        self.registry = registry
        self.power_cues = {cue: act for act in POWER_ACTS for cue in cues.get(act, ()) if len(cue) > 1}

    def review(self, text: str, sender: str = "") -> Review:
        sender = sender.strip() or self._sender_in_header(text)
        department = self.registry.resolve(sender) if sender else None
        preamble, demands = split_demands(text)
        reviews = tuple(self._demand(d, preamble, department.name if department else None) for d in demands)
        return Review(text, sender, department.name if department else None, reviews)

    def _sender_in_header(self, text: str) -> str:
        m = _HEADER.match(text)
        return m.group(1) if m and self.registry.resolve(m.group(1)) else ""

    def _demand(self, text: str, preamble: str, sender: str | None) -> DemandReview:
        routing = self.router.route(text)
        if preamble and (routing.verdict == Verdict.OUTSIDE or routing.needs_review):
            with_context = self.router.route(f"{text}。{preamble}")
            if with_context.confidence > routing.confidence and with_context.verdict != Verdict.OUTSIDE:
                routing = with_context
        decision = _DECISION_OF[routing.verdict]
        flags = list(self._flags(text, routing, sender))
        keys = tuple(m.key for m in routing.matches[:3]) if decision == Decision.NEEDS_APPROVAL else (
            (routing.primary.key,) if routing.primary else ()
        )
        return DemandReview(text, decision, keys, _reason(routing), tuple(flags), routing)

    def _flags(self, text: str, routing: Routing, sender: str | None):
        item = routing.primary.item if routing.primary else None
        if routing.needs_review:
            yield Flag("needs_review", f"匹配把握不大（置信度 {routing.confidence:.2f}），请人工核对所依据的事项")
        if isinstance(item, CooperativeItem):
            yield from self._pushed_powers(text, item)
        if sender and isinstance(item, CooperativeItem | ReclaimedItem):
            yield from self._sender_flags(sender, item)

    def _pushed_powers(self, text: str, item: CooperativeItem):
        """A demand for a power (penalty, approval, inspection, certificate) that the township's
        listed part does not include is the department's own work pushed down."""
        township = item.township_duties.text
        asked: dict[Act, list[str]] = {}
        for cue, act in self.power_cues.items():
            if cue in text:
                asked.setdefault(act, []).append(cue)
        for act, cues in asked.items():
            own = [c for c, a in self.power_cues.items() if a == act]
            if any(c in township for c in own):
                continue
            upper = _steps(item.department_duties.paragraphs)
            quote = [p for p in upper if any(c in p for c in own)][:2] or upper[:2]
            yield Flag(
                "department_power",
                f"要求乡镇“{'、'.join(sorted(set(cues)))}”，不在乡镇配合职责之内，属{'、'.join(item.lead_departments)}职责："
                f"“{_joined(quote)}”；乡镇配合职责为：“{_joined(_steps(item.township_duties.paragraphs)[:3])}”",
            )

    def _sender_flags(self, sender: str, item: CooperativeItem | ReclaimedItem):
        names = {self.registry.canonical(d) for d in _departments(item)}
        if sender in names and isinstance(item, ReclaimedItem):
            yield Flag("sender_took_it_back", f"发文部门{sender}正是该事项的承接部门，应由本部门自行办理")
        elif sender not in names:
            role = "牵头部门" if isinstance(item, CooperativeItem) else "承接部门"
            yield Flag("sender_not_lead", f"发文部门{sender}不是该事项的{role}（{role}：{'、'.join(_departments(item))}）")


def _steps(paragraphs: Sequence[str]) -> list[str]:
    """Paragraphs without their headings: what is quoted as a duty."""
    from .model import HEADING_RE

    return [p for p in paragraphs if not HEADING_RE.match(p)]


def _joined(paragraphs: Sequence[str]) -> str:
    return "；".join(p.rstrip("；;。") for p in paragraphs) + "。"


def _departments(item: CooperativeItem | ReclaimedItem) -> tuple[str, ...]:
    return item.lead_departments if isinstance(item, CooperativeItem) else item.receiving_departments


def _reason(routing: Routing) -> str:
    item = routing.primary.item if routing.primary else None
    if isinstance(item, BasicItem):
        return f"属于基本履职事项第 {item.number} 项“{item.name}”，乡镇应当承担。"
    if isinstance(item, CooperativeItem):
        part = _joined(_steps(item.township_duties.paragraphs))
        return (f"属于配合履职事项第 {item.number} 项“{item.name}”，由{'、'.join(item.lead_departments)}牵头；"
                f"乡镇只承担所列配合职责：{part}")
    if isinstance(item, ReclaimedItem):
        method = _joined(item.working_method.paragraphs).rstrip("。")
        return (f"属于上级收回事项第 {item.number} 项“{item.name}”，已由{'、'.join(item.receiving_departments)}承接"
                f"（工作方式：{method}），乡镇不再承担，应予退回。")
    near = "；".join(f"{m.key}“{m.item.name}”：{routing.why_not(m)}" for m in routing.matches[:3])
    return "清单中没有对应事项，须报县级职责准入审批后方可交办。" + (f"最接近的事项：{near}" if near else "")
