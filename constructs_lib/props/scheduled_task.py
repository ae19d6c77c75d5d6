"""What a scheduled task is: a Fargate task that EventBridge Scheduler runs on a schedule (cron, rate or a one-off
at), with the retry policy and dead-letter queue of the schedule's target."""

from __future__ import annotations

import zoneinfo
from functools import lru_cache
from typing import Annotated, Any, ClassVar

from pydantic import BeforeValidator, Field

from .arns import SQS_QUEUE_ARN
from .base import Bounded, StrictModel, rule_error, show
from .schedule import SchedulerExpression
from .worker import BackgroundTaskOptions

# EventBridge Scheduler's limits (CreateSchedule: FlexibleTimeWindow, RetryPolicy).
FlexibleWindow = Annotated[int, Bounded(1, 1440, "a flexible time window in minutes")]
RetryAttempts = Annotated[int, Bounded(0, 185, "a number of retry attempts")]
EventAge = Annotated[int, Bounded(60, 86400, "a maximum event age in seconds")]


@lru_cache(maxsize=1)
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _check_time_zone(value: Any) -> Any:
    if isinstance(value, str) and value not in _time_zones():
        raise rule_error(f"{show(value)} is not an IANA time zone; allowed: a name such as UTC or Europe/Berlin")
    return value


TimeZone = Annotated[str, Field(min_length=1, max_length=50), BeforeValidator(_check_time_zone)]


class RetryConfig(StrictModel):
    """How often EventBridge Scheduler retries a run that failed to start (RunTask refused, throttled)."""

    maximum_retry_attempts: RetryAttempts = Field(default=185, description="0-185. default: 185, AWS's")
    maximum_event_age_seconds: EventAge = Field(
        default=86400,
        description="Give up on a run this many seconds after its time (60-86400). default: 86400",
    )


class ScheduledTaskOptions(BackgroundTaskOptions):
    """A task run on a schedule in the environment's cluster; the task's name is `service_name`."""

    KIND: ClassVar[str] = "a scheduled task"
    LACKS: ClassVar[str] = "no load balancer, DNS name, certificate or long-running service"

    schedule: SchedulerExpression = Field(
        description="When to run: cron(minutes hours day-of-month month day-of-week year), rate(<n> minutes|hours|days) "
        "or at(yyyy-mm-ddThh:mm:ss) for one run, e.g. cron(0 3 * * ? *)."
    )
    timezone: TimeZone = Field(default="UTC", description="IANA time zone of cron() and at(). default: UTC")
    flexible_window_minutes: FlexibleWindow | None = Field(
        default=None,
        description="Let the scheduler start a run up to this many minutes late (1-1440). default: off, on time",
    )
    retry: RetryConfig = Field(
        default_factory=RetryConfig,
        description="Retries of a run that failed to start.",
    )
    dead_letter_queue_arn: SQS_QUEUE_ARN | None = Field(
        default=None,
        description="SQS queue receiving runs that failed to start after the retries. default: none",
    )
    enabled: bool = Field(
        default=True,
        description="false keeps the schedule but runs nothing. default: true",
    )
