"""CloudWatch alarms on the service (CPU, memory) and its target group (5xx count, p99 latency), notifying an SNS
topic on alarm and on OK. Names are plain strings from the prefix, so `deployment_alarms` can list them.

Periods are one minute; CPU, memory and latency must breach for 3 minutes in a row, 5xx for one. Missing data
(no traffic, no tasks yet) is not breaching, so a quiet service never fails a deployment.
"""

from __future__ import annotations

from dataclasses import dataclass

from constructs import Construct

from .._jsii.addressing import Part
from .._jsii.aws import CloudwatchMetricAlarm
from .._jsii.engine import Token
from ..props.alarms import AlarmsConfig

PERIOD_SECONDS = 60
SUSTAINED_PERIODS = 3
MAX_ALARM_NAME = 255

# metric key -> construct id and alarm name suffix
CPU_HIGH, MEMORY_HIGH, TARGET_5XX, P99_LATENCY = "cpu_high", "memory_high", "target_5xx", "p99_latency"


@dataclass(frozen=True)
class _Alarm:
    key: str
    namespace: str
    metric_name: str
    threshold: float
    comparison_operator: str
    evaluation_periods: int
    dimensions: dict[str, str]
    description: str
    statistic: str | None = None
    extended_statistic: str | None = None


class ServiceAlarms(Part):
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        config: AlarmsConfig,
        alarm_name_prefix: str,
        cluster_name: str,
        service_name: str,
        alb_arn_suffix: str | None,
        target_group_arn_suffix: str | None,
    ):
        super().__init__(scope, id)
        if Token.is_unresolved(alarm_name_prefix):
            raise ValueError("alarm_name_prefix must be a plain string, not a Terraform reference")
        actions = [config.sns_topic_arn] if config.sns_topic_arn else None
        self.alarms: dict[str, CloudwatchMetricAlarm] = {}
        self.alarm_names: dict[str, str] = {}
        for alarm in _alarms(config, cluster_name, service_name, alb_arn_suffix, target_group_arn_suffix):
            name = f"{alarm_name_prefix}-{alarm.key.replace('_', '-')}"
            if len(name) > MAX_ALARM_NAME:
                raise ValueError(f"alarm name {name!r} is longer than {MAX_ALARM_NAME} characters")
            self.alarm_names[alarm.key] = name
            self.alarms[alarm.key] = CloudwatchMetricAlarm(
                self,
                alarm.key.replace("_", "-"),
                alarm_name=name,
                alarm_description=alarm.description,
                namespace=alarm.namespace,
                metric_name=alarm.metric_name,
                dimensions=alarm.dimensions,
                statistic=alarm.statistic,
                extended_statistic=alarm.extended_statistic,
                period=PERIOD_SECONDS,
                evaluation_periods=alarm.evaluation_periods,
                threshold=alarm.threshold,
                comparison_operator=alarm.comparison_operator,
                treat_missing_data="notBreaching",
                alarm_actions=actions,
                ok_actions=actions,
            )


def _alarms(
    config: AlarmsConfig,
    cluster_name: str,
    service_name: str,
    alb_arn_suffix: str | None,
    target_group_arn_suffix: str | None,
) -> list[_Alarm]:
    """The service's alarms, then its target group's, in that order (the construct ids follow it)."""
    alarms = _service_alarms(config, {"ClusterName": cluster_name, "ServiceName": service_name})
    if config.target_5xx_count is None and config.p99_latency_seconds is None:
        return alarms
    if alb_arn_suffix is None or target_group_arn_suffix is None:
        raise ValueError("target_5xx_count and p99_latency_seconds need alb_arn_suffix and target_group_arn_suffix")
    return alarms + _target_alarms(config, {"LoadBalancer": alb_arn_suffix, "TargetGroup": target_group_arn_suffix})


def _service_alarms(config: AlarmsConfig, service: dict[str, str]) -> list[_Alarm]:
    """CPU and memory of the ECS service, averaged over its tasks and sustained: one busy minute is no alarm."""
    alarms = []
    for key, metric_name, threshold, what in (
        (CPU_HIGH, "CPUUtilization", config.cpu_high_percent, "CPU"),
        (MEMORY_HIGH, "MemoryUtilization", config.memory_high_percent, "memory"),
    ):
        if threshold is not None:
            description = f"Service average {what} above {threshold}% for {SUSTAINED_PERIODS} minutes"
            alarms.append(
                _Alarm(
                    key,
                    "AWS/ECS",
                    metric_name,
                    threshold,
                    "GreaterThanThreshold",
                    SUSTAINED_PERIODS,
                    service,
                    description,
                    statistic="Average",
                )
            )
    return alarms


def _target_alarms(config: AlarmsConfig, target: dict[str, str]) -> list[_Alarm]:
    """The target group's 5xx count (one bad minute is enough) and its p99 response time (sustained)."""
    alarms = []
    if config.target_5xx_count is not None:
        alarms.append(
            _Alarm(
                TARGET_5XX,
                "AWS/ApplicationELB",
                "HTTPCode_Target_5XX_Count",
                config.target_5xx_count,
                "GreaterThanOrEqualToThreshold",
                1,
                target,
                f"{config.target_5xx_count} or more target 5xx responses in a minute",
                statistic="Sum",
            )
        )
    if config.p99_latency_seconds is not None:
        alarms.append(
            _Alarm(
                P99_LATENCY,
                "AWS/ApplicationELB",
                "TargetResponseTime",
                config.p99_latency_seconds,
                "GreaterThanThreshold",
                SUSTAINED_PERIODS,
                target,
                f"Target p99 response time above {config.p99_latency_seconds} s for {SUSTAINED_PERIODS} minutes",
                extended_statistic="p99",
            )
        )
    return alarms
