"""The two health checks of a service and their AWS limits: the target group's, which the ALB runs against
`health_check_path`, and the container's, which ECS runs inside the task (`health_check_cmd`). They share the
interval's range, so both live here."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from .base import Bounded, Problems, StrictModel, problem, typed

StartPeriod = Annotated[int, Bounded(0, 300, "a start period")]
RetryCount = Annotated[int, Bounded(1, 10, "a retry count")]
Threshold = Annotated[int, Bounded(2, 10, "a threshold")]
TargetHealthCheckTimeout = Annotated[int, Bounded(2, 120, "a health check timeout")]
ContainerHealthCheckTimeout = Annotated[int, Bounded(2, 60, "a health check timeout")]
HealthCheckInterval = Annotated[int, Bounded(5, 300, "a health check interval")]


class TargetHealthCheckConfig(StrictModel):
    interval_seconds: HealthCheckInterval = Field(default=30, description="default: 30")
    timeout_seconds: TargetHealthCheckTimeout = Field(default=5, description="default: 5")
    healthy_threshold: Threshold = Field(default=5, description="default: 5")
    unhealthy_threshold: Threshold = Field(default=2, description="default: 2")

    @classmethod
    def cross_field_rules(cls, data: dict[str, Any]) -> Problems:
        interval, timeout = typed(data, "interval_seconds", int, 30), typed(data, "timeout_seconds", int, 5)
        if interval is not None and timeout is not None and timeout >= interval:
            return [
                problem(
                    ("timeout_seconds",),
                    f"{timeout} is not below interval_seconds {interval}; allowed: less than {interval}",
                    timeout,
                )
            ]
        return []


class ContainerHealthCheckConfig(StrictModel):
    interval_seconds: HealthCheckInterval = Field(default=30, description="default: 30")
    timeout_seconds: ContainerHealthCheckTimeout = Field(default=5, description="default: 5")
    retries: RetryCount = Field(default=3, description="default: 3")
    start_period_seconds: StartPeriod = Field(default=60, description="default: 60")
