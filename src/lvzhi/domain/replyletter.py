"""The reply letter (职责准入审查回复函) a township sends back to the department: what it takes on,
what it returns and why, each demand citing the list item by number and quoting its text.

Pure: the letter is a list of paragraphs; ``formats.reply`` prints it as DOCX or PDF.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .admission import Decision
from .model import BasicItem, CooperativeItem, Item, ReclaimedItem
from .reviewflow import CountyOutcome, NotDecided, ReviewState
from .reviewrecord import DemandRecord, ReviewRecord

NUMERALS = "一二三四五六七八九十"
EXCERPT = 120
COUNTY_TAILS = {
    CountyOutcome.APPROVED: "清单外事项经县级职责准入审批予以准入，乡镇按批准的范围承接。",
    CountyOutcome.DENIED: "清单外事项经县级职责准入审批不予准入，乡镇不承接，请你单位依法自行办理。",
}


class Part(StrEnum):
    BODY = "body"  # an ordinary paragraph, first line indented
    HEADING = "heading"  # 一、关于“...”
    QUOTE = "quote"  # the list's own words, set off
    NOTE = "note"  # a flag or a reviewer's reason, smaller


@dataclass(frozen=True)
class Paragraph:
    part: Part
    text: str


@dataclass(frozen=True)
class Letter:
    title: str
    addressee: str
    paragraphs: tuple[Paragraph, ...]
    signer: str
    dated: date
    reviewer: str

    @property
    def text(self) -> str:
        """The whole letter as plain text (tests and previews)."""
        lines = [self.title, f"{self.addressee}：", *(p.text for p in self.paragraphs)]
        return "\n".join([*lines, self.signer, chinese_date(self.dated)])


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def compose_letter(record: ReviewRecord, items: Mapping[str, Item]) -> Letter:
    """The reply to ``record`` (decided or closed), quoting ``items`` (key -> item as printed)."""
    if record.state == ReviewState.PENDING or record.decision is None:
        raise NotDecided(record.id)
    paragraphs = [Paragraph(Part.BODY, _opening(record))]
    for demand in record.demands:
        paragraphs.extend(_demand(demand, items))
    paragraphs.extend(_conclusion(record))
    township = record.list_version.township
    return Letter(
        title=f"关于{record.department}交办任务的职责准入审查回复函",
        addressee=record.department,
        paragraphs=tuple(paragraphs),
        signer=f"{township}人民政府",
        dated=(record.decided_at.date() if record.decided_at else record.received),
        reviewer=record.decided_by or record.reviewer,
    )


def _opening(record: ReviewRecord) -> str:
    task = record.text if len(record.text) <= EXCERPT else record.text[:EXCERPT] + "……"
    deadline = f"，要求{chinese_date(record.deadline)}前完成" if record.deadline else ""
    return (
        f"你单位交办的任务（{chinese_date(record.received)}收文{deadline}）收悉。任务内容：“{task}”。"
        f"经对照{record.list_version.title}逐项审查，现将审查意见函复如下："
    )


def _demand(demand: DemandRecord, items: Mapping[str, Item]) -> list[Paragraph]:
    numeral = NUMERALS[demand.number - 1] if demand.number <= len(NUMERALS) else str(demand.number)
    found = [items[k] for k in demand.items if k in items]
    out = [
        Paragraph(Part.HEADING, f"{numeral}、关于“{demand.text}”"),
        Paragraph(
            Part.BODY, f"审查意见：{demand.decision.title}。{_verdict(demand.decision, found)}"
        ),
    ]
    if demand.decision != Decision.NEEDS_APPROVAL and found:
        out.extend(Paragraph(Part.QUOTE, q) for q in _quotes(found[0]))
    out.extend(
        Paragraph(Part.NOTE, f"提示：{f.message}") for f in demand.flags if f.code != "needs_review"
    )
    for change in demand.overrides:
        out.append(
            Paragraph(
                Part.NOTE,
                f"审查人{change.by}将本条由“{change.before.title}”改为“{change.after.title}”，理由：{change.reason}",
            )
        )
    return out


def _verdict(decision: Decision, found: Sequence[Item]) -> str:
    if decision == Decision.NEEDS_APPROVAL:
        near = "、".join(f"{_cite(i)}" for i in found[:3])
        hint = f"（最接近的事项为{near}，均不对应）" if near else ""
        return f"清单中没有对应事项{hint}，须报县级职责准入审批，批准前乡镇暂不承接。"
    if not found:
        return ""
    item = found[0]
    if decision == Decision.ACCEPT:
        return f"该项属于{_cite(item)}，乡镇予以接收并按清单履行职责。"
    if decision == Decision.ACCEPT_PART:
        leads = (
            "、".join(item.lead_departments) if isinstance(item, CooperativeItem) else "县级部门"
        )
        return f"该项属于{_cite(item)}，由{leads}牵头，乡镇只承担清单所列配合职责，其余工作请牵头部门履行。"
    receivers = (
        "、".join(item.receiving_departments) if isinstance(item, ReclaimedItem) else "县级部门"
    )
    return f"该项属于{_cite(item)}，已由{receivers}承接，乡镇不再承担，现予退回。"


def _cite(item: Item) -> str:
    return f"清单{item.kind.title}第 {item.number} 项“{item.name}”"


def _quotes(item: Item) -> list[str]:
    """The list's own words the verdict rests on, one printed paragraph each."""
    if isinstance(item, BasicItem):
        return [f"清单原文（{item.category}）：{item.name}"]
    if isinstance(item, CooperativeItem):
        return ["清单所列乡镇配合职责：", *item.township_duties.paragraphs]
    if isinstance(item, ReclaimedItem):
        return [
            f"承接部门：{'、'.join(item.receiving_departments)}",
            "工作方式：",
            *item.working_method.paragraphs,
        ]
    return []


def _conclusion(record: ReviewRecord) -> list[Paragraph]:
    decision = record.decision
    assert decision is not None
    tail = {
        Decision.ACCEPT: "乡镇将按清单履行上述职责。",
        Decision.ACCEPT_PART: "乡镇按清单承担上述配合职责；清单外或属部门自身职责的工作，请你单位依法自行办理。",
        Decision.REFUSE: "上述事项已由县级部门承接，请你单位按清单规定自行办理。",
        Decision.NEEDS_APPROVAL: "清单外事项已报请县级职责准入审批，批准前乡镇暂不承接。",
    }[decision]
    if record.county is not None:
        tail = COUNTY_TAILS[record.county.outcome]
    out = [Paragraph(Part.BODY, f"综上，对该任务的审查结论为：{record.decision_title}。{tail}")]
    if record.county is not None:
        note = f"（{record.county.note}）" if record.county.note else ""
        out.append(
            Paragraph(
                Part.BODY,
                f"县级职责准入审批结果：{record.county.outcome.title}{note}，"
                f"{chinese_date(record.county.at.date())}登记。",
            )
        )
    if record.comments:
        out.append(Paragraph(Part.BODY, f"说明：{record.comments}"))
    out.append(Paragraph(Part.BODY, "特此函复。"))
    return out
