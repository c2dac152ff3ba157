"""Working days in mainland China: official holidays and adjusted working weekends.

The `chinesecalendar` package carries the State Council's schedule year by year. For a year
it does not yet know (the schedule is published each November or December), weekends are rest
days and weekdays are working days, and `covered()` says so, so a deadline can be marked as
provisional instead of silently wrong.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import chinese_calendar


@lru_cache(maxsize=4096)
def is_workday(day: date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def covered(day: date) -> bool:
    """Whether the official schedule for ``day``'s year is known."""
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return False
    return True
