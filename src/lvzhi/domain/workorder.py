"""Work orders (工单): states and allowed moves as data, working-day deadlines, duplicates.

Pure: the holiday calendar comes in as a function, so the core never reads a calendar file.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from itertools import chain

from .model import DomainError


class OrderState(StrEnum):
    NEW = "new"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    VISITED = "visited"
    RETURNED = "returned"
    SUSPENDED = "suspended"

    @property
    def title(self) -> str:
        return STATE_TITLES[self]

    @property
    def is_open(self) -> bool:
        return self not in (OrderState.RESOLVED, OrderState.VISITED)


STATE_TITLES = {
    OrderState.NEW: "待分派",
    OrderState.ASSIGNED: "已分派",
    OrderState.IN_PROGRESS: "处理中",
    OrderState.RESOLVED: "已办结",
    OrderState.VISITED: "已回访",
    OrderState.RETURNED: "退回",
    OrderState.SUSPENDED: "挂起",
}


class Action(StrEnum):
    ASSIGN = "assign"
    START = "start"
    RESOLVE = "resolve"
    VISIT = "visit"
    SEND_BACK = "send_back"  # 退单: the assignee says it is not theirs
    SUSPEND = "suspend"
    RESUME = "resume"
    REOPEN = "reopen"

    @property
    def title(self) -> str:
        return ACTION_TITLES[self]


ACTION_TITLES = {
    Action.ASSIGN: "分派", Action.START: "开始办理", Action.RESOLVE: "办结", Action.VISIT: "回访",
    Action.SEND_BACK: "退单", Action.SUSPEND: "挂起", Action.RESUME: "恢复办理", Action.REOPEN: "重新办理",
}

# The whole life of an order: (state, action) -> next state. Anything else is refused.
TRANSITIONS: dict[tuple[OrderState, Action], OrderState] = {
    (OrderState.NEW, Action.ASSIGN): OrderState.ASSIGNED,
    (OrderState.RETURNED, Action.ASSIGN): OrderState.ASSIGNED,
    (OrderState.ASSIGNED, Action.ASSIGN): OrderState.ASSIGNED,
    (OrderState.ASSIGNED, Action.START): OrderState.IN_PROGRESS,
    (OrderState.ASSIGNED, Action.SEND_BACK): OrderState.RETURNED,
    (OrderState.IN_PROGRESS, Action.SEND_BACK): OrderState.RETURNED,
    (OrderState.IN_PROGRESS, Action.RESOLVE): OrderState.RESOLVED,
    (OrderState.IN_PROGRESS, Action.SUSPEND): OrderState.SUSPENDED,
    (OrderState.ASSIGNED, Action.SUSPEND): OrderState.SUSPENDED,
    (OrderState.SUSPENDED, Action.RESUME): OrderState.IN_PROGRESS,
    (OrderState.RESOLVED, Action.VISIT): OrderState.VISITED,
    (OrderState.RESOLVED, Action.REOPEN): OrderState.IN_PROGRESS,
}
# Actions that must say why.
NEEDS_REASON = {Action.SEND_BACK, Action.SUSPEND, Action.REOPEN}


class BadTransition(DomainError):
    def __init__(self, state: OrderState, action: Action) -> None:
        allowed = "、".join(a.title for (s, a) in TRANSITIONS if s == state) or "无"
        super().__init__(f"工单当前为“{state.title}”，不能“{action.title}”（此时可以：{allowed}）")
        self.state, self.action = state, action


class ReasonRequired(DomainError):
    def __init__(self, action: Action) -> None:
        super().__init__(f"“{action.title}”须填写原因")


def next_state(state: OrderState, action: Action, reason: str = "") -> OrderState:
    try:
        target = TRANSITIONS[(state, action)]
    except KeyError:
        raise BadTransition(state, action) from None
    if action in NEEDS_REASON and not reason.strip():
        raise ReasonRequired(action)
    return target


def allowed_actions(state: OrderState) -> list[Action]:
    return [a for (s, a) in TRANSITIONS if s == state]


IsWorkday = Callable[[date], bool]


def add_working_days(start: datetime, days: int, is_workday: IsWorkday) -> datetime:
    """The deadline ``days`` working days after ``start``: the end of that working day.

    A matter received on a rest day starts counting on the next working day.
    """
    if days < 0:
        raise ValueError("期限天数不能为负")
    day = start.date()
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_workday(day):
            counted += 1
    if days == 0:
        while not is_workday(day):
            day += timedelta(days=1)
    return datetime.combine(day, datetime.max.time()).replace(microsecond=0, tzinfo=start.tzinfo)


class DeadlineStatus(StrEnum):
    ON_TIME = "on_time"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    PAUSED = "paused"  # 挂起: the clock stands still, neither due soon nor overdue

    @property
    def title(self) -> str:
        return {"on_time": "正常", "due_soon": "即将到期", "overdue": "已超期",
                "paused": "计时暂停"}[self.value]  # fmt: skip


def deadline_status(deadline: datetime, now: datetime, warn_before: timedelta = timedelta(days=1)) -> DeadlineStatus:
    if now > deadline:
        return DeadlineStatus.OVERDUE
    if deadline - now <= warn_before:
        return DeadlineStatus.DUE_SOON
    return DeadlineStatus.ON_TIME


# ---- 挂起: the handling clock stops while an order is suspended ----
#
# Working time is the part of an interval that falls on working days, counted by the clock (a
# working day holds 24 hours): deadlines are the end of a working day, so the same calendar
# measures both. Resuming moves the deadline later by the working time spent suspended, in
# whole minutes.

_LONGEST = 3660  # days: a calendar without working days for ten years is a broken calendar


def _midnight(day: date, like: datetime) -> datetime:
    return datetime.combine(day, datetime.min.time()).replace(tzinfo=like.tzinfo)


def working_time(start: datetime, end: datetime, is_workday: IsWorkday) -> timedelta:
    """How much of ``start`` .. ``end`` falls on working days; nothing when ``end`` is not later."""
    total = timedelta()
    day = start.date()
    while day <= end.date():
        low = max(start, _midnight(day, start))
        high = min(end, _midnight(day + timedelta(days=1), start))
        if high > low and is_workday(day):
            total += high - low
        day += timedelta(days=1)
    return total


def add_working_time(moment: datetime, amount: timedelta, is_workday: IsWorkday) -> datetime:
    """The moment ``amount`` of working time after ``moment``: rest days pass without counting."""
    left, at = amount, moment
    for _ in range(_LONGEST):
        if left <= timedelta():
            return at
        next_day = _midnight(at.date() + timedelta(days=1), at)
        if is_workday(at.date()):
            room = next_day - at
            if left <= room:
                return at + left
            left -= room
        at = next_day
    raise ValueError("工作日历中长期没有工作日，无法顺延期限")


@dataclass(frozen=True)
class Pause:
    """One suspension: from 挂起 to 恢复办理 (``end`` is ``None`` while it lasts)."""

    start: datetime
    end: datetime | None = None

    def working_time(self, now: datetime, is_workday: IsWorkday) -> timedelta:
        """Its working time in whole minutes (a pause of seconds moves nothing)."""
        spent = working_time(self.start, self.end or max(now, self.start), is_workday)
        return timedelta(minutes=spent // timedelta(minutes=1))


def paused_time(pauses: Iterable[Pause], now: datetime, is_workday: IsWorkday) -> timedelta:
    """The working time spent suspended, a suspension still under way counted up to ``now``."""
    return sum((p.working_time(now, is_workday) for p in pauses), timedelta())


def deadline_after_pauses(
    deadline: datetime, pauses: Iterable[Pause], is_workday: IsWorkday
) -> datetime:
    """The deadline once the ended suspensions are added back: ``deadline`` moved later by the
    working time they took. A suspension under way does not count until it ends.

    An order suspended after its deadline stays overdue: the paused time is added after the time
    already overdue, so on resuming it is exactly as overdue as when it was suspended."""
    ended = [p for p in pauses if p.end is not None]
    return add_working_time(deadline, paused_time(ended, deadline, is_workday), is_workday)


def duration_title(amount: timedelta) -> str:
    """``2 个工作日 3 小时 5 分`` (a working day of 24 hours); ``无`` for none."""
    minutes = int(amount.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [f"{days} 个工作日" if days else "", f"{hours} 小时" if hours else "",
             f"{minutes} 分" if minutes else ""]  # fmt: skip
    found = " ".join(p for p in parts if p)
    return found or ("不足 1 分" if amount > timedelta() else "无")


@dataclass(frozen=True)
class Candidate:
    """An open order a new one may duplicate (or an earlier row of a batch import)."""

    id: int
    text: str
    item_key: str | None
    village: str
    received_at: datetime | None = None


DUPLICATE_THRESHOLD = 0.35
SAME_ITEM_BONUS = 0.15
SAME_VILLAGE_BONUS = 0.15

_NON_WORD = re.compile(r"[\W_]+")


def _bigrams(text: str) -> set[str]:
    chars = _NON_WORD.sub("", text)  # letters, digits and CJK characters only
    return {chars[n : n + 2] for n in range(len(chars) - 1)}


def _jaccard(x: set[str], y: set[str]) -> float:
    return len(x & y) / len(x | y) if x and y else 0.0


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of character bigrams: 1.0 for the same wording."""
    return _jaccard(_bigrams(a), _bigrams(b))


def _score(words: float, item_key: str | None, village: str, other: Candidate) -> float:
    """How alike the words are, raised when the item and the village are the same."""
    if item_key and other.item_key == item_key:
        words += SAME_ITEM_BONUS
    if village and other.village == village:
        words += SAME_VILLAGE_BONUS
    return words


def likely_duplicates(
    text: str, item_key: str | None, village: str, open_orders: Iterable[Candidate],
    threshold: float = DUPLICATE_THRESHOLD,
) -> list[tuple[Candidate, float]]:  # fmt: skip
    """Open orders that look like the same matter: same item, same village, similar words.
    Sharing the item and the village lowers how alike the words must be."""
    mine = _bigrams(text)
    found = []
    for other in open_orders:
        score = _score(_jaccard(mine, _bigrams(other.text)), item_key, village, other)
        if score >= threshold:
            found.append((other, round(min(score, 1.0), 3)))
    return sorted(found, key=lambda pair: -pair[1])


class DuplicateIndex:
    """:func:`likely_duplicates` for many texts against a growing set of candidates (a batch
    import: the open orders, then each row as it is read), with the same results. Each candidate's
    bigrams are computed once and indexed, and only the candidates that can reach the threshold
    are scored: those sharing enough bigrams to pass with one bonus, and those of the same item
    and village (both bonuses) sharing any."""

    def __init__(self, threshold: float = DUPLICATE_THRESHOLD) -> None:
        self.threshold = threshold
        self._entries: list[tuple[Candidate, int]] = []  # (candidate, how many bigrams)
        self._postings: dict[str, list[int]] = {}
        self._same: dict[tuple[str, str], list[int]] = {}  # (item, village) -> entries

    def __len__(self) -> int:
        return len(self._entries)

    def add(self, candidate: Candidate) -> None:
        grams = _bigrams(candidate.text)
        index = len(self._entries)
        self._entries.append((candidate, len(grams)))
        for gram in grams:
            self._postings.setdefault(gram, []).append(index)
        if candidate.item_key and candidate.village:
            self._same.setdefault((candidate.item_key, candidate.village), []).append(index)

    def find(
        self, text: str, item_key: str | None, village: str, since: datetime | None = None
    ) -> list[tuple[Candidate, float]]:
        """Like :func:`likely_duplicates` over the candidates added so far, those received
        before ``since`` left out (a candidate without a time is always in); ties in order added."""
        mine = _bigrams(text)
        shared = Counter(chain.from_iterable(self._postings.get(g, ()) for g in mine))
        one = self.threshold - max(SAME_ITEM_BONUS, SAME_VILLAGE_BONUS)  # the words, one bonus had
        if self.threshold - SAME_ITEM_BONUS - SAME_VILLAGE_BONUS <= 0:  # the bonuses alone may do
            pairs = [(n, shared[n]) for n in range(len(self._entries))]
        else:
            bar = one * len(mine) - 1e-9  # words are at most common / len(mine) alike
            pairs = [(n, common) for n, common in shared.items() if common >= bar]
            same = self._same.get((item_key, village), ()) if item_key and village else ()
            pairs += [(n, shared[n]) for n in same if 0 < shared[n] < bar]
        found = []
        for index, common in pairs:
            other, size = self._entries[index]
            if since is not None and other.received_at is not None and other.received_at < since:
                continue
            words = common / (len(mine) + size - common) if mine and size else 0.0
            score = _score(words, item_key, village, other)
            if score >= self.threshold:
                found.append((index, other, round(min(score, 1.0), 3)))
        found.sort(key=lambda entry: (-entry[2], entry[0]))
        return [(other, score) for _, other, score in found]
