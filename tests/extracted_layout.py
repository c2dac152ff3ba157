"""A stand-in for the PDF text extractor: renders a DutyList the way extracted list PDFs read.

Used by the property tests to produce extracted text with any column widths, page breaks,
repeated or truncated headers and page footers, so the parser is tested beyond one file.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from lvzhi.domain.celltext import char_width
from lvzhi.domain.model import (
    HEADING_RE,
    BasicItem,
    CooperativeItem,
    DutyList,
    DutyText,
    ReclaimedItem,
)


@dataclass(frozen=True)
class Layout:
    basic_name: int = 48
    category: int = 3
    name: int = 7
    departments: int = 4
    upper: int = 34
    township: int = 24
    reclaimed_name: int = 16
    reclaimed_departments: int = 30
    method: int = 34
    page_break_chance: float = 0.3
    truncated_header_chance: float = 0.4
    footer_chance: float = 0.3
    blank_after_first_line: bool = True
    seed: int = 0


BASIC_HEADER = [" 序号 事项类别 事项名称"]
COOP_HEADER = ["序", "号", "", "事项", "类别", "", "事项名称", "对应上级", "", "部门", "上级部门职责 乡镇（街道）配合职责"]
COOP_HEADER_TRUNCATED = [" 上级部门职责 乡镇（街道）配合职责"]
RECLAIMED_HEADER = [" 序号 事项类别 事项名称 承接部门及工作方式"]


def wrap(text: str, width: int, rng: random.Random) -> list[str]:
    """Greedy wrap at ``width`` em; a line may hold up to one em less, as printed text does."""
    lines, line, used = [], "", 0.0
    capacity = width - rng.choice((0, 0, 0.5, 1))
    for ch in text:
        if used + char_width(ch) > capacity and line:
            lines.append(line)
            line, used = "", 0.0
            capacity = width - rng.choice((0, 0, 0.5, 1))
        line += ch
        used += char_width(ch)
    if line:
        lines.append(line)
    return lines


class _Writer:
    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.rng = random.Random(layout.seed)
        self.out: list[str] = []
        self.page = 1

    def page_break(self, header: list[str], truncated: list[str] | None = None) -> None:
        if self.rng.random() >= self.layout.page_break_chance:
            return
        if self.rng.random() < self.layout.footer_chance:
            self.out += [f"第 {self.page} 页，共 99 页", "", ""]
        self.page += 1
        use_truncated = truncated and self.rng.random() < self.layout.truncated_header_chance
        self.out += list(truncated if use_truncated else header) + [""]

    def paragraphs(self, duty: DutyText, width: int, prefix: str = "") -> list[str]:
        lines: list[str] = []
        for n, para in enumerate(duty.paragraphs):
            wrapped = wrap((prefix if n == 0 else "") + para, width, self.rng)
            heading = HEADING_RE.match(para)
            if self.layout.blank_after_first_line and len(wrapped) > 1 and len(duty.paragraphs) > 1 and not heading:
                wrapped = wrapped[:1] + [""] + wrapped[1:]
            lines += wrapped + [""]
        return lines


def render(duty_list: DutyList, layout: Layout = Layout()) -> str:
    w = _Writer(layout)
    if duty_list.basic:
        w.out += BASIC_HEADER + [""]
        for item in duty_list.basic:
            _basic(w, item)
            w.page_break(BASIC_HEADER)
    if duty_list.cooperative:
        w.out += COOP_HEADER + [""]
        for item in duty_list.cooperative:
            _cooperative(w, item)
            w.page_break(COOP_HEADER, COOP_HEADER_TRUNCATED)
    if duty_list.reclaimed:
        w.out += RECLAIMED_HEADER + [""]
        for item in duty_list.reclaimed:
            _reclaimed(w, item)
            w.page_break(RECLAIMED_HEADER)
    return "\n".join(w.out) + "\n"


def _basic(w: _Writer, item: BasicItem) -> None:
    lines = wrap(item.name, w.layout.basic_name, w.rng)
    if len(lines) == 1:
        w.out += [f"{item.number} {item.category} {lines[0]}", ""]
    else:
        w.out += [f"{item.number} {item.category}"] + lines + [""]


def _cooperative(w: _Writer, item: CooperativeItem) -> None:
    lay = w.layout
    category = wrap(item.category, lay.category, w.rng)
    w.out += [f"{item.number} {category[0]}"] + category[1:] + [""]
    w.out += wrap(item.name, lay.name, w.rng) + [""]
    w.out += wrap("、".join(item.lead_departments), lay.departments, w.rng) + [""]
    w.out += w.paragraphs(item.department_duties, lay.upper)
    w.out += w.paragraphs(item.township_duties, lay.township)


def _reclaimed(w: _Writer, item: ReclaimedItem) -> None:
    lay = w.layout
    name = wrap(item.name, lay.reclaimed_name, w.rng)
    if len(name) == 1:
        w.out += [f"{item.number} {item.category} {name[0]}", ""]
    else:
        w.out += [f"{item.number} {item.category}"] + name + [""]
    w.out += wrap("、".join(item.receiving_departments), lay.reclaimed_departments, w.rng) + [""]
    method = item.working_method
    if len(method.paragraphs) == 1:
        w.out += w.paragraphs(method, lay.method, prefix="工作方式：")
    else:
        w.out += ["工作方式：", ""] + w.paragraphs(method, lay.method)
