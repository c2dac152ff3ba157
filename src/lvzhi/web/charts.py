"""Stacked horizontal bar charts, laid out here and drawn as inline SVG by ``_chart.html``.

No script and no chart library: an old office PC or a phone draws them as fast as text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from lvzhi.domain.model import DutyList, ItemKind
from lvzhi.services import DepartmentUsage
from lvzhi.services.queries import ROLE_TITLES
from lvzhi.web.present import department_href

WIDTH = 480
ROW = 28
BAR = 18
TOP = 8
CHAR = 14  # the width of one Chinese character at the chart's font size
KIND_CLASSES = {
    ItemKind.BASIC: "basic",
    ItemKind.COOPERATIVE: "coop",
    ItemKind.RECLAIMED: "reclaimed",
}
ROLE_CLASSES = {"lead": "lead", "receiver": "receiver", "assist": "assist"}


@dataclass(frozen=True)
class Segment:
    name: str  # what the colour stands for (基本履职事项, 牵头 ...)
    css: str
    value: int
    href: str
    x: float = 0.0
    width: float = 0.0


@dataclass(frozen=True)
class Row:
    label: str
    title: str
    href: str
    y: float
    total: int
    segments: list[Segment]
    end: float  # where the bar ends: the total is written after it


@dataclass(frozen=True)
class Chart:
    title: str
    rows: list[Row]
    legend: list[tuple[str, str]]  # (css class, name)
    label_width: int
    width: int = WIDTH

    @property
    def height(self) -> int:
        return TOP * 2 + ROW * len(self.rows)


def layout(
    title: str,
    rows: Sequence[tuple[str, str, str, list[Segment]]],
    legend: list[tuple[str, str]],
) -> Chart:
    """Rows of ``(label, full title, link, segments)`` scaled to the largest total."""
    longest = max((len(label) for label, *_ in rows), default=4)
    label_width = min(16 + CHAR * longest, 190)
    room = WIDTH - label_width - 44
    largest = max((sum(s.value for s in segs) for *_, segs in rows), default=1) or 1
    placed: list[Row] = []
    for n, (label, full, href, segments) in enumerate(rows):
        x = float(label_width)
        laid = []
        for s in segments:
            if s.value <= 0:
                continue
            width = room * s.value / largest
            laid.append(Segment(s.name, s.css, s.value, s.href, round(x, 1), round(width, 1)))
            x += width
        total = sum(s.value for s in segments)
        placed.append(Row(label, full, href, TOP + n * ROW, total, laid, round(x, 1)))
    return Chart(title, placed, legend, label_width)


def items_href(**params: str) -> str:
    return "/items?" + urlencode({k: v for k, v in params.items() if v})


def by_category(duty_list: DutyList) -> Chart:
    """Items per category, each bar split into the three lists."""
    counts: dict[str, dict[ItemKind, int]] = {}
    for item in duty_list.items():
        counts.setdefault(item.category, {}).setdefault(item.kind, 0)
        counts[item.category][item.kind] += 1
    ordered = sorted(counts.items(), key=lambda kv: -sum(kv[1].values()))
    rows = []
    for category, per_kind in ordered:
        segments = [
            Segment(
                kind.title,
                KIND_CLASSES[kind],
                per_kind.get(kind, 0),
                items_href(kind=kind.value, category=category),
            )  # fmt: skip
            for kind in ItemKind
        ]
        rows.append((category, category, items_href(category=category), segments))
    legend = [(KIND_CLASSES[kind], kind.title) for kind in ItemKind]
    return layout("按事项类别", rows, legend)


def short_name(usage: DepartmentUsage) -> str:
    """A long department name as its shortest 县… short name (县人社局), else as it is."""
    if len(usage.name) <= 7:
        return usage.name
    county = [a for a in usage.aliases if a.startswith("县") and len(a) < len(usage.name)]
    shorter = county or [a for a in usage.aliases if len(a) < len(usage.name)]
    return min(shorter, key=len) if shorter else usage.name


def by_department(usage: Sequence[DepartmentUsage], top: int = 15) -> Chart:
    """The departments named in the most items, each bar split by role."""
    rows = []
    for dept in [d for d in usage if d.total][:top]:
        href = department_href(dept.name)
        segments = [
            Segment(ROLE_TITLES[role], css, dept.counts.get(role, 0), href)
            for role, css in ROLE_CLASSES.items()
        ]
        rows.append((short_name(dept), dept.name, href, segments))
    legend = [(css, ROLE_TITLES[role]) for role, css in ROLE_CLASSES.items()]
    return layout(f"按部门（涉及事项最多的 {len(rows)} 个）", rows, legend)
