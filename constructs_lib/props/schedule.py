"""Schedule expressions of Application Auto Scaling and EventBridge Scheduler, checked as AWS parses them, so a typo
fails `validate` and not `terraform apply` (PutScheduledAction / CreateSchedule: ValidationException). Both
services take the same three forms: cron() with six fields, rate() and at()."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from .base import rule_error, show

ALLOWED = (
    "cron(minutes hours day-of-month month day-of-week year), rate(<n> minute(s)|hour(s)|day(s)) "
    "or at(yyyy-mm-ddThh:mm:ss)"
)
MONTHS = {name: number for number, name in enumerate("JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split(), 1)}
DAYS = {name: number for number, name in enumerate("SUN MON TUE WED THU FRI SAT".split(), 1)}
# name, lowest, highest, names, the special forms AWS allows in that field
CRON_FIELDS: tuple[tuple[str, int, int, dict[str, int], re.Pattern[str] | None], ...] = (
    ("minutes", 0, 59, {}, None),
    ("hours", 0, 23, {}, None),
    ("day-of-month", 1, 31, {}, re.compile(r"\?|L|LW|\d{1,2}W")),
    ("month", 1, 12, MONTHS, None),
    ("day-of-week", 1, 7, DAYS, re.compile(r"\?|L|[1-7]L|[1-7]#[1-5]")),
    ("year", 1970, 2199, {}, None),
)
RATE = re.compile(r"rate\((\d+) (minute|minutes|hour|hours|day|days)\)")


def schedule_problem(expression: str) -> str | None:
    """What AWS would refuse in `expression`, or None."""
    kind, _, rest = expression.partition("(")
    if not rest.endswith(")") or kind not in ("cron", "rate", "at"):
        return "unknown form"
    body = rest[:-1]
    if kind == "rate":
        match = RATE.fullmatch(expression)
        if match is None or int(match[1]) < 1:
            return "a rate is a whole number of at least 1 and a unit"
        if (int(match[1]) == 1) != (not match[2].endswith("s")):
            return f"write {'1 ' + match[2].rstrip('s') if int(match[1]) == 1 else match[1] + ' ' + match[2] + 's'}"
        return None
    if kind == "at":
        try:
            datetime.strptime(body, "%Y-%m-%dT%H:%M:%S")
        except ValueError:
            return "at() takes a date and time yyyy-mm-ddThh:mm:ss"
        return None
    fields = body.split(" ")
    if len(fields) != len(CRON_FIELDS):
        return f"cron() takes {len(CRON_FIELDS)} fields separated by single spaces, not {len(fields)}"
    if (fields[2] == "?") == (fields[4] == "?"):
        return "exactly one of day-of-month and day-of-week must be ?"
    for text, spec in zip(fields, CRON_FIELDS, strict=False):
        reason = _cron_field_problem(text, *spec)
        if reason:
            return reason
    return None


def _cron_field_problem(text: str, name: str, low: int, high: int, names: dict[str, int], special: Any) -> str | None:
    for item in text.split(","):
        if special is not None and special.fullmatch(item):
            continue
        base, slash, step = item.partition("/")
        if slash and not (step.isdigit() and int(step) >= 1):
            return f"{name}: {item!r} has no step of 1 or more"
        if base == "*":
            continue
        for part in base.split("-", 1):
            value = names.get(part.upper(), int(part) if part.isdigit() else None)
            if value is None or not low <= value <= high:
                return f"{name}: {part!r} is not {low}-{high}" + (
                    f" or {next(iter(names))}-{list(names)[-1]}" if names else ""
                )
    return None


def schedule_expression(kind: str) -> Any:
    """A schedule expression type whose error names the service that parses it (`kind`, e.g. "an EventBridge
    Scheduler schedule")."""

    def check(value: Any) -> Any:
        if isinstance(value, str):
            reason = schedule_problem(value)
            if reason is not None:
                raise rule_error(f"{show(value)} is not {kind} ({reason}); allowed: {ALLOWED}")
        return value

    return Annotated[str, Field(pattern=r"^(cron|rate|at)\(.+\)$"), BeforeValidator(check)]


ScheduleExpression = schedule_expression("an Application Auto Scaling schedule")
SchedulerExpression = schedule_expression("an EventBridge Scheduler schedule")
