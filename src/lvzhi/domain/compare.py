"""Comparing townships' lists: which items one has and the other lacks, which items sit in different
lists (basic here, taken back there), and a county's departments × townships matrix. Pure.

Items are matched by name, never by number (each township numbers its own list): first the same
name (width, case, spaces and punctuation ignored) within a kind, then names that differ slightly
(character-bigram Dice similarity at or above ``threshold``), then the same two steps across kinds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from lvzhi.domain.model import DutyList, Item, ItemKind
from lvzhi.domain.versions import item_fields, name_key

THRESHOLD = 0.7
"""At or above it two names are one item reworded: on the Emin list two distinct items reach at most
0.61 (基层工会 / 基层妇联组织建设…), while a name with a word changed or added stays near 0.8."""


def bigrams(name: str) -> frozenset[str]:
    key = name_key(name)
    if len(key) < 2:
        return frozenset([key]) if key else frozenset()
    return frozenset(key[i : i + 2] for i in range(len(key) - 1))


def similarity(a: str, b: str) -> float:
    """Dice coefficient of the two names' character bigrams: 1.0 for the same name."""
    if name_key(a) == name_key(b):
        return 1.0
    x, y = bigrams(a), bigrams(b)
    if not x or not y:
        return 0.0
    return 2 * len(x & y) / (len(x) + len(y))


@dataclass(frozen=True)
class Pair:
    """One item found in both lists."""

    left: Item
    right: Item
    similarity: float

    @property
    def exact(self) -> bool:
        return self.similarity == 1.0

    @property
    def differing(self) -> tuple[str, ...]:
        """Fields (present in both kinds) whose text differs."""
        a, b = item_fields(self.left), item_fields(self.right)
        return tuple(name for name in a if name in b and a[name] != b[name])


@dataclass(frozen=True)
class Comparison:
    left: str
    right: str
    same_list: tuple[Pair, ...] = ()
    other_list: tuple[Pair, ...] = ()
    only_left: tuple[Item, ...] = ()
    only_right: tuple[Item, ...] = ()

    @property
    def renamed(self) -> tuple[Pair, ...]:
        """Pairs in the same list whose names differ slightly."""
        return tuple(p for p in self.same_list if not p.exact)

    @property
    def identical(self) -> bool:
        return not (self.other_list or self.only_left or self.only_right or self.renamed)


def compare_lists(left: DutyList, right: DutyList, threshold: float = THRESHOLD) -> Comparison:
    """What ``left`` and ``right`` have in common, where they place it, and what only one has."""
    lefts, rights = list(left.items()), list(right.items())
    same: list[Pair] = []
    for kind in ItemKind:
        a = [i for i in lefts if i.kind is kind]
        b = [i for i in rights if i.kind is kind]
        same += match(a, b, threshold)
    lefts = _rest(lefts, (p.left for p in same))
    rights = _rest(rights, (p.right for p in same))
    other = [p for p in match(lefts, rights, threshold) if p.left.kind is not p.right.kind]
    return Comparison(
        left.township,
        right.township,
        same_list=tuple(sorted(same, key=lambda p: p.left.key)),
        other_list=tuple(sorted(other, key=lambda p: p.left.key)),
        only_left=tuple(_rest(lefts, (p.left for p in other))),
        only_right=tuple(_rest(rights, (p.right for p in other))),
    )


def match(left: Sequence[Item], right: Sequence[Item], threshold: float) -> list[Pair]:
    """One-to-one pairs: equal names first, then the most similar pairs above ``threshold``."""
    pairs: list[Pair] = []
    by_name: dict[str, list[Item]] = {}
    for item in right:
        by_name.setdefault(name_key(item.name), []).append(item)
    unmatched: list[Item] = []
    for item in left:
        twins = by_name.get(name_key(item.name))
        if twins:
            pairs.append(Pair(item, twins.pop(0), 1.0))
        else:
            unmatched.append(item)
    rest = [i for twins in by_name.values() for i in twins]
    grams = {id(i): bigrams(i.name) for i in [*unmatched, *rest]}
    scored = []
    for a in unmatched:
        for b in rest:
            x, y = grams[id(a)], grams[id(b)]
            if x and y:
                score = 2 * len(x & y) / (len(x) + len(y))
                if score >= threshold:
                    scored.append((score, a, b))
    scored.sort(key=lambda t: (-t[0], t[1].key, t[2].key))
    taken: set[int] = set()
    for score, a, b in scored:
        if id(a) not in taken and id(b) not in taken:
            taken.update((id(a), id(b)))
            pairs.append(Pair(a, b, round(score, 3)))
    return pairs


def _rest(items: Sequence[Item], used: Iterable[Item]) -> list[Item]:
    gone = {id(i) for i in used}
    return [i for i in items if id(i) not in gone]


# ---- the county matrix ----


@dataclass(frozen=True)
class Cell:
    cooperative: int = 0
    reclaimed: int = 0

    @property
    def total(self) -> int:
        return self.cooperative + self.reclaimed


@dataclass(frozen=True)
class Matrix:
    """Departments × townships: cooperative items a department leads, reclaimed items it took back."""

    county: str
    townships: tuple[str, ...]
    departments: tuple[str, ...]
    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)

    def cell(self, department: str, township: str) -> Cell:
        return self.cells.get((department, township), Cell())

    def department_total(self, department: str) -> Cell:
        found = [self.cell(department, t) for t in self.townships]
        return Cell(sum(c.cooperative for c in found), sum(c.reclaimed for c in found))

    def township_total(self, township: str) -> Cell:
        found = [self.cell(d, township) for d in self.departments]
        return Cell(sum(c.cooperative for c in found), sum(c.reclaimed for c in found))


def build_matrix(
    county: str, townships: Sequence[str], counts: Iterable[tuple[str, str, ItemKind, int]]
) -> Matrix:
    """From ``(township, department, kind, items)`` rows; departments with most items first."""
    raw: dict[tuple[str, str], list[int]] = {}
    for township, department, kind, number in counts:
        cell = raw.setdefault((department, township), [0, 0])
        if kind is ItemKind.COOPERATIVE:
            cell[0] += number
        elif kind is ItemKind.RECLAIMED:
            cell[1] += number
    cells = {key: Cell(*value) for key, value in raw.items()}
    totals: dict[str, int] = {}
    for (department, _), cell in cells.items():
        totals[department] = totals.get(department, 0) + cell.total
    departments = sorted(totals, key=lambda d: (-totals[d], d))
    return Matrix(county, tuple(townships), tuple(departments), cells)
