"""A known set of changes to the Emin list, for version and diff tests."""

from __future__ import annotations

from dataclasses import replace

from lvzhi.domain.model import BasicItem, DutyList, DutyText

NEW_BASIC = BasicItem(105, "综合政务", "负责辖区内无人机飞行活动的登记和巡查")
RENAMED = ("basic:5", "落实“三会一课”、主题党日等党内组织生活制度（修订）")
EXTRA_STEP = "4.每季度将巡查台账报县自然资源局备案。"


def changed_emin(emin: DutyList, label: str = "2026") -> DutyList:
    """Emin with basic:105 added, reclaimed:58 removed, basic:5 renamed and a step added to
    coop:49's township duties; nothing else differs."""
    basic = [replace(i, name=RENAMED[1]) if str(i.key) == RENAMED[0] else i for i in emin.basic]
    coop = [
        replace(i, township_duties=DutyText((*i.township_duties.paragraphs, EXTRA_STEP)))
        if i.number == 49
        else i
        for i in emin.cooperative
    ]
    reclaimed = [i for i in emin.reclaimed if i.number != 58]
    return DutyList(
        replace(emin.version, label=label),
        tuple([*basic, NEW_BASIC]),
        tuple(coop),
        tuple(reclaimed),
    )
