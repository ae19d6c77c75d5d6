"""How often a scheduled task runs in a month, read from its EventBridge Scheduler expression, for `cost`.

rate() is exact; cron() is counted when each field is `*`, `?`, a number, a list, a range or a step (`*/15`), with
days of the week as a share of the month's days; `L`, `W` and `#` forms return None (the estimate says it assumed
one run a day). at() runs once.
"""

from __future__ import annotations

from ..props.schedule import DAYS, MONTHS, RATE

HOURS_PER_DAY = 24
HOURS_PER_MONTH = 730  # AWS's own convention in its pricing calculator


def runs_per_month(expression: str, hours_per_month: float) -> float | None:
    """Runs in `hours_per_month` hours; None when the expression is beyond this counting."""
    days = hours_per_month / HOURS_PER_DAY
    if expression.startswith("at("):
        return 1.0
    rate = RATE.fullmatch(expression)
    if rate:
        minutes = int(rate[1]) * {"minute": 1, "hour": 60, "day": 60 * HOURS_PER_DAY}[rate[2].rstrip("s")]
        return hours_per_month * 60 / minutes
    fields = expression.removeprefix("cron(").removesuffix(")").split(" ")
    if len(fields) != 6:
        return None
    minute, hour, day_of_month, month, day_of_week, _ = fields
    counts = [
        _count(minute, 0, 59, {}),
        _count(hour, 0, 23, {}),
        _count(month, 1, 12, MONTHS),
    ]
    if day_of_month in ("*", "?") and day_of_week in ("*", "?"):
        day_share: float | None = days
    elif day_of_month == "?":
        weekdays = _count(day_of_week, 1, 7, DAYS)
        day_share = None if weekdays is None else days * weekdays / 7
    else:
        monthly = _count(day_of_month, 1, 31, {})
        day_share = None if monthly is None else float(monthly)
    if None in counts or day_share is None:
        return None
    minute_count, hour_count, month_count = (float(c) for c in counts if c is not None)
    return minute_count * hour_count * day_share * month_count / 12


def _count(field: str, low: int, high: int, names: dict[str, int]) -> int | None:
    """Values a cron field matches; None for the L, W and # forms."""
    matched: set[int] = set()
    for item in field.split(","):
        base, _, step = item.partition("/")
        if base in ("*", "?"):
            start, end = low, high
        else:
            bounds = [names.get(part.upper(), int(part) if part.isdigit() else -1) for part in base.split("-", 1)]
            if -1 in bounds:
                return None
            start, end = (
                bounds[0],
                bounds[-1] if len(bounds) == 2 or step else bounds[0],
            )
            if step and len(bounds) == 1:
                end = high
        matched.update(range(start, end + 1, int(step) if step else 1))
    return len(matched)
