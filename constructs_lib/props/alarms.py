"""CloudWatch alarms: those a service creates on itself and its target group (`alarms`), and those that fail and
roll back a deployment (`deployment_alarms`), which may name the former."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from .base import Percent, StrictModel


class DeploymentAlarmsConfig(StrictModel):
    alarm_names: Annotated[list[Annotated[str, Field(min_length=1)]], Field(min_length=1)] = Field(
        description="CloudWatch alarms that fail a deployment; the names of `alarms` below may be used."
    )
    rollback: bool = Field(default=True, description="Roll back when an alarm fires. default: true")


class AlarmsConfig(StrictModel):
    """CloudWatch alarms on the service and its target group, notifying an SNS topic."""

    sns_topic_arn: Annotated[str, Field(pattern=r"^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:.+$")] | None = Field(
        default=None, description="Topic notified on alarm and OK. default: no notification"
    )
    cpu_high_percent: Percent | None = Field(default=None, description="Service CPU above this. default: no alarm")
    memory_high_percent: Percent | None = Field(
        default=None, description="Service memory above this. default: no alarm"
    )
    target_5xx_count: Annotated[int, Field(ge=1)] | None = Field(
        default=None, description="Target 5xx per minute. default: none"
    )
    p99_latency_seconds: Annotated[float, Field(gt=0)] | None = Field(
        default=None, description="p99 response time. default: none"
    )
