"""The duty list: townships' items in three kinds, with their official text and structure.

Pure data: nothing here reads files or talks to a database.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class DomainError(Exception):
    """Base of errors a person can act on; entry points turn them into 4xx / messages."""


class UnknownItem(DomainError):
    def __init__(self, key: str) -> None:
        super().__init__(f"清单中没有事项 {key}")
        self.key = key


class BadItemKey(DomainError):
    def __init__(self, text: str) -> None:
        super().__init__(
            f"事项编号“{text}”格式不对，应为 basic:N、coop:N 或 reclaimed:N（如 coop:49）"
        )
        self.text = text


class ItemKind(StrEnum):
    BASIC = "basic"
    COOPERATIVE = "coop"
    RECLAIMED = "reclaimed"

    @property
    def title(self) -> str:
        return KIND_TITLES[self]


KIND_TITLES = {
    ItemKind.BASIC: "基本履职事项",
    ItemKind.COOPERATIVE: "配合履职事项",
    ItemKind.RECLAIMED: "上级收回事项",
}

_KEY_ALIASES = {
    "basic": ItemKind.BASIC,
    "b": ItemKind.BASIC,
    "基本": ItemKind.BASIC,
    "coop": ItemKind.COOPERATIVE,
    "cooperative": ItemKind.COOPERATIVE,
    "c": ItemKind.COOPERATIVE,
    "配合": ItemKind.COOPERATIVE,
    "reclaimed": ItemKind.RECLAIMED,
    "r": ItemKind.RECLAIMED,
    "收回": ItemKind.RECLAIMED,
}


@dataclass(frozen=True, order=True)
class ItemKey:
    kind: ItemKind
    number: int

    @classmethod
    def parse(cls, text: str) -> ItemKey:
        m = re.fullmatch(r"\s*([A-Za-z\u4e00-\u9fff]+)\s*[:：]\s*(\d+)\s*", text or "")
        if not m or m.group(1).lower() not in _KEY_ALIASES:
            raise BadItemKey(text)
        return cls(_KEY_ALIASES[m.group(1).lower()], int(m.group(2)))

    def __str__(self) -> str:
        return f"{self.kind.value}:{self.number}"


STEP_RE = re.compile(r"^(\d+)[.．、](?!\d)")
HEADING_RE = re.compile(r"^([一二三四五六七八九十]+)、")
_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def chinese_numeral(text: str) -> int:
    """一..九十九 as an int (headings never go further)."""
    if text == "十":
        return 10
    if "十" in text:
        tens, _, ones = text.partition("十")
        return _CN_DIGITS.get(tens, 1) * 10 + _CN_DIGITS.get(ones, 0)
    return _CN_DIGITS[text]


@dataclass(frozen=True)
class Step:
    """One paragraph of a duty cell: a numbered step (``number``) or free text (``None``)."""

    number: int | None
    text: str


@dataclass(frozen=True)
class DutySection:
    """Steps under one heading (一、...); the heading is ``None`` before any heading."""

    heading: str | None
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class DutyText:
    """A duty cell as printed: one string per paragraph (a heading, a numbered step, or free text)."""

    paragraphs: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)

    def __bool__(self) -> bool:
        return bool(self.paragraphs)

    @property
    def sections(self) -> tuple[DutySection, ...]:
        sections: list[DutySection] = []
        heading: str | None = None
        steps: list[Step] = []
        for para in self.paragraphs:
            if HEADING_RE.match(para):
                if heading is not None or steps:
                    sections.append(DutySection(heading, tuple(steps)))
                heading, steps = para, []
                continue
            m = STEP_RE.match(para)
            steps.append(Step(int(m.group(1)), para[m.end() :]) if m else Step(None, para))
        if heading is not None or steps:
            sections.append(DutySection(heading, tuple(steps)))
        return tuple(sections)


@dataclass(frozen=True)
class BasicItem:
    number: int
    category: str
    name: str

    kind = ItemKind.BASIC

    @property
    def key(self) -> ItemKey:
        return ItemKey(self.kind, self.number)


@dataclass(frozen=True)
class CooperativeItem:
    number: int
    category: str
    name: str
    lead_departments: tuple[str, ...]
    department_duties: DutyText
    township_duties: DutyText

    kind = ItemKind.COOPERATIVE

    @property
    def key(self) -> ItemKey:
        return ItemKey(self.kind, self.number)


@dataclass(frozen=True)
class ReclaimedItem:
    number: int
    category: str
    name: str
    receiving_departments: tuple[str, ...]
    working_method: DutyText

    kind = ItemKind.RECLAIMED

    @property
    def key(self) -> ItemKey:
        return ItemKey(self.kind, self.number)


Item = BasicItem | CooperativeItem | ReclaimedItem


def departments_of(item: Item) -> tuple[str, ...]:
    """The departments a cell names for the item, as printed (leads or receivers)."""
    if isinstance(item, CooperativeItem):
        return item.lead_departments
    if isinstance(item, ReclaimedItem):
        return item.receiving_departments
    return ()


@dataclass(frozen=True)
class ListVersion:
    township: str
    county: str = ""
    label: str = "1"
    effective_date: date | None = None
    source: str = ""


@dataclass(frozen=True)
class DutyList:
    version: ListVersion
    basic: tuple[BasicItem, ...] = ()
    cooperative: tuple[CooperativeItem, ...] = ()
    reclaimed: tuple[ReclaimedItem, ...] = ()
    _by_key: dict[ItemKey, Item] = field(default_factory=dict, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        for item in self.items():
            self._by_key[item.key] = item

    @property
    def township(self) -> str:
        return self.version.township

    def items(self, kind: ItemKind | None = None) -> Iterator[Item]:
        if kind in (None, ItemKind.BASIC):
            yield from self.basic
        if kind in (None, ItemKind.COOPERATIVE):
            yield from self.cooperative
        if kind in (None, ItemKind.RECLAIMED):
            yield from self.reclaimed

    def item(self, key: ItemKey | str) -> Item:
        k = ItemKey.parse(key) if isinstance(key, str) else key
        try:
            return self._by_key[k]
        except KeyError:
            raise UnknownItem(str(k)) from None

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def counts(self) -> dict[ItemKind, int]:
        return {
            ItemKind.BASIC: len(self.basic),
            ItemKind.COOPERATIVE: len(self.cooperative),
            ItemKind.RECLAIMED: len(self.reclaimed),
        }

    def categories(self, kind: ItemKind | None = None) -> list[str]:
        seen: dict[str, None] = {}
        for item in self.items(kind):
            seen.setdefault(item.category, None)
        return list(seen)
