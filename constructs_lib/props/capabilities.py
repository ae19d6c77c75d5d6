"""Optional service keys beyond the ECSBuilder: what the AWS CDK, terraform-aws-modules and Massdriver offer.

Each model is off (None) or at the ECSBuilder's behaviour by default; the README documents every key.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field

from .arns import SECRET_OR_PARAMETER_ARN
from .base import Bounded, BoundedText, Port, Problems, StrictModel, problem, typed
from .containers import (
    Command,
    ContainerUser,
    EntryPoint,
    LinuxCapabilities,
    RestartPolicy,
    VersionConsistency,
    WorkingDirectory,
)
from .limits import LISTENER_CONDITION_VALUE_MAX, MAX_TASKS_PER_SERVICE
from .scaling import MetricTrackingConfig, StepScalingConfig, unique_policy_names
from .schedule import ScheduleExpression
from .secrets import ContainerSecretConfig
from .service_connect import ProxyTimeout, ServiceConnectTlsConfig, timeout_rules

Percent = Annotated[int, Field(ge=1, le=100)]
Name = Annotated[str, Field(pattern=r"^[a-zA-Z0-9_-]{1,255}$")]


StartPeriod = Annotated[int, Bounded(0, 300, "a start period")]
RetryCount = Annotated[int, Bounded(1, 10, "a retry count")]
StickinessDuration = Annotated[int, Bounded(1, 604800, "a stickiness duration")]
Threshold = Annotated[int, Bounded(2, 10, "a threshold")]
TargetHealthCheckTimeout = Annotated[int, Bounded(2, 120, "a health check timeout")]
ContainerHealthCheckTimeout = Annotated[int, Bounded(2, 60, "a health check timeout")]
HealthCheckInterval = Annotated[int, Bounded(5, 300, "a health check interval")]
TaskCount = Annotated[int, Bounded(0, MAX_TASKS_PER_SERVICE, "a task count of an ECS service")]
MaxTaskCount = Annotated[int, Bounded(1, MAX_TASKS_PER_SERVICE, "a maximum task count of an ECS service")]
ConditionValue = Annotated[str, BoundedText(1, LISTENER_CONDITION_VALUE_MAX, "a listener rule condition value")]


class ScheduleConfig(StrictModel):
    name: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")] = Field(description="Scheduled action name.")
    cron: ScheduleExpression = Field(
        description="Application Auto Scaling schedule, e.g. cron(0 7 ? * MON-FRI *) (UTC)."
    )
    min_capacity: TaskCount = Field(description="Minimum tasks from this time on.")
    max_capacity: TaskCount = Field(description="Maximum tasks from this time on.")


class TaskCountScalingConfig(StrictModel):
    """Target tracking on CPU and memory, plus schedules, shared by web services and workers; the service then
    ignores `desired_count` drift so an apply never resets what the scaler decided."""

    POLICY_KEYS: ClassVar[tuple[str, ...]] = ("cpu_target_percent", "memory_target_percent")

    min_capacity: TaskCount = Field(description="Fewest tasks.")
    max_capacity: MaxTaskCount = Field(description="Most tasks.")
    cpu_target_percent: Percent | None = Field(default=None, description="Average CPU to hold. default: no CPU policy")
    memory_target_percent: Percent | None = Field(default=None, description="Average memory to hold. default: none")
    scale_in_cooldown_seconds: Annotated[int, Field(ge=0, le=3600)] = Field(default=300, description="default: 300")
    scale_out_cooldown_seconds: Annotated[int, Field(ge=0, le=3600)] = Field(default=60, description="default: 60")
    schedules: list[ScheduleConfig] = Field(default_factory=list, description="Scheduled capacity. default: none")
    # Step scaling and target tracking on any metric (issue 14).
    step_scaling: list[StepScalingConfig] = Field(
        default_factory=list,
        description="Step scaling policies, each run by a CloudWatch alarm of its own. default: none",
    )
    metric_tracking: list[MetricTrackingConfig] = Field(
        default_factory=list, description="Target tracking on a custom metric or metric math. default: none"
    )

    @classmethod
    def cross_field_rules(cls, data: dict[str, Any]) -> Problems:
        problems = unique_policy_names(data)
        low, high = typed(data, "min_capacity", int), typed(data, "max_capacity", int)
        if low is not None and high is not None and low > high:
            problems.append(
                problem(("min_capacity",), f"{low} is above max_capacity {high}; allowed: at most {high}", low)
            )
        lists = ("schedules", "step_scaling", "metric_tracking")
        if not any(data.get(k) is not None for k in cls.POLICY_KEYS) and not any(data.get(k) for k in lists):
            problems.append(
                problem(
                    ("cpu_target_percent",),
                    f"no scaling policy: set {', '.join(cls.POLICY_KEYS + lists[:2])} or {lists[2]}",
                )
            )
        seen: dict[str, int] = {}
        for index, schedule in enumerate(typed(data, "schedules", list) or []):
            name = typed(schedule, "name", str) if isinstance(schedule, dict) else None
            if name is not None and seen.setdefault(name, index) != index:
                problems.append(
                    problem(
                        ("schedules", index, "name"),
                        f"{name!r} is already used by schedules[{seen[name]}]; names must be unique",
                        name,
                    )
                )
            if isinstance(schedule, dict):
                s_low, s_high = typed(schedule, "min_capacity", int), typed(schedule, "max_capacity", int)
                if s_low is not None and s_high is not None and s_low > s_high:
                    problems.append(
                        problem(("schedules", index, "min_capacity"), f"{s_low} is above max_capacity {s_high}", s_low)
                    )
        return problems


class AutoscalingConfig(TaskCountScalingConfig):
    """A web service's scaling: CPU, memory and ALB requests per target, plus schedules."""

    POLICY_KEYS: ClassVar[tuple[str, ...]] = ("cpu_target_percent", "memory_target_percent", "requests_per_target")

    requests_per_target: Annotated[int, Field(ge=1)] | None = Field(
        default=None, description="ALB requests per task to hold. default: no request policy"
    )


class UlimitConfig(StrictModel):
    name: Literal[
        "core",
        "cpu",
        "data",
        "fsize",
        "locks",
        "memlock",
        "msgqueue",
        "nice",
        "nofile",
        "nproc",
        "rss",
        "rtprio",
        "rttime",
        "sigpending",
        "stack",
    ]
    soft_limit: Annotated[int, Field(ge=0)]
    hard_limit: Annotated[int, Field(ge=0)]


class LinuxParametersConfig(StrictModel):
    init_process_enabled: bool = Field(default=False, description="Run an init process (reaps zombies). default: false")


class DependsOnConfig(StrictModel):
    container_name: Name
    condition: Literal["START", "COMPLETE", "SUCCESS", "HEALTHY"] = Field(default="START", description="default: START")


class SidecarConfig(StrictModel):
    """An extra container in the task, e.g. a proxy or an agent."""

    name: Name = Field(description="Container name, unique in the task.")
    image: Annotated[str, Field(min_length=1)] = Field(description="Image, used verbatim.")
    cpu: Annotated[int, Field(ge=0)] = Field(default=0, description="CPU units reserved. default: 0 (shared)")
    memory_limit_mib: Annotated[int, Field(ge=4)] | None = Field(
        default=None, description="Hard memory limit. default: none"
    )
    ports: list[Port] = Field(default_factory=list, description="default: none")
    environment: dict[str, str] = Field(default_factory=dict, description="default: none")
    secrets: dict[str, ContainerSecretConfig] = Field(
        default_factory=dict, description="As parameters.secrets. default: none"
    )
    depends_on: list[DependsOnConfig] = Field(default_factory=list, description="default: none")
    essential: bool = Field(default=False, description="Stop the task when it stops. default: false")
    command: Command
    entry_point: EntryPoint
    working_directory: WorkingDirectory
    user: ContainerUser
    restart_policy: RestartPolicy
    version_consistency: VersionConsistency
    linux_capabilities: LinuxCapabilities
    readonly_root_filesystem: bool = Field(default=False, description="Read-only root filesystem. default: false")


class FirelensConfig(StrictModel):
    """A Fluent Bit log router; the app container logs through awsfirelens with these options."""

    image: str = Field(
        default="public.ecr.aws/aws-observability/aws-for-fluent-bit:stable",
        description="Log router image. default: AWS for Fluent Bit",
    )
    options: dict[str, str] = Field(
        default_factory=dict, description="awsfirelens options, e.g. Name, region. default: none"
    )
    secret_options: dict[str, SECRET_OR_PARAMETER_ARN] = Field(
        default_factory=dict,
        description="Option name -> exact Secrets Manager or SSM parameter ARN (e.g. an API key). default: none",
    )


class LogDriverConfig(StrictModel):
    """The app container's log driver: awslogs (our log group), awsfirelens, or another driver with options."""

    name: Literal["awslogs", "awsfirelens", "splunk", "fluentd", "gelf", "json-file", "journald", "syslog"] = Field(
        default="awslogs", description="default: awslogs to the service's log group"
    )
    options: dict[str, str] = Field(default_factory=dict, description="Driver options. default: none")
    secret_options: dict[str, SECRET_OR_PARAMETER_ARN] = Field(
        default_factory=dict, description="Option -> exact Secrets Manager or SSM parameter ARN. default: none"
    )


class DeploymentAlarmsConfig(StrictModel):
    alarm_names: Annotated[list[Annotated[str, Field(min_length=1)]], Field(min_length=1)] = Field(
        description="CloudWatch alarms that fail a deployment; the names of `alarms` below may be used."
    )
    rollback: bool = Field(default=True, description="Roll back when an alarm fires. default: true")


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


class StickinessConfig(StrictModel):
    enabled: bool = Field(default=True, description="default: true")
    duration_seconds: StickinessDuration = Field(default=86400, description="default: 86400")


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


class ServiceConnectConfig(StrictModel):
    namespace: Annotated[str, Field(min_length=1, max_length=1024)] = Field(
        description="Cloud Map HTTP namespace name (created when absent) or ARN (referenced)."
    )
    port_name: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")] = Field(
        default="app", description="Name given to the app port mapping. default: app"
    )
    discovery_name: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")] | None = Field(
        default=None, description="Cloud Map service name. default: service_name"
    )
    dns_name: Annotated[str, Field(min_length=1)] | None = Field(
        default=None, description="Client alias DNS name. default: discovery name"
    )
    port: Port | None = Field(default=None, description="Client alias port. default: application_port")
    # Proxy timeouts, logs and TLS (issue 14).
    idle_timeout_seconds: ProxyTimeout | None = Field(
        default=None,
        description="Seconds an idle connection stays open; 0 turns it off. default: ECS's 5 minutes for HTTP",
    )
    per_request_timeout_seconds: ProxyTimeout | None = Field(
        default=None, description="Seconds the proxy waits for a complete response; 0 turns it off. default: ECS's own"
    )
    log_configuration: LogDriverConfig | None = Field(
        default=None,
        description="The Service Connect proxy's logs (awslogs: the service's log group, stream prefix "
        "service-connect). default: none",
    )
    tls: ServiceConnectTlsConfig | None = Field(
        default=None, description="TLS between the proxies. default: plain text"
    )

    @classmethod
    def cross_field_rules(cls, data: dict[str, Any]) -> Problems:
        return timeout_rules(data)


class ServiceDiscoveryConfig(StrictModel):
    namespace_id: Annotated[str, Field(pattern=r"^ns-[a-z0-9]+$")] = Field(
        description="Existing private DNS namespace id."
    )
    name: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")] | None = Field(
        default=None, description="default: service_name"
    )
    record_type: Literal["A", "SRV"] = Field(default="A", description="default: A")
    ttl_seconds: Annotated[int, Field(ge=0, le=2147483647)] = Field(default=10, description="default: 10")


class ListenerRuleConfig(StrictModel):
    """Route part of a shared ALB's HTTPS traffic to this service."""

    priority: Annotated[int, Field(ge=1, le=50000)] = Field(description="Rule priority, unique on the listener.")
    path_patterns: list[ConditionValue] = Field(default_factory=list, description="e.g. /api/*. default: any path")
    host_headers: list[ConditionValue] = Field(
        default_factory=list, description="e.g. api.example.com. default: any host"
    )

    @classmethod
    def cross_field_rules(cls, data: dict[str, Any]) -> Problems:
        if not data.get("path_patterns") and not data.get("host_headers"):
            return [problem(("path_patterns",), "a listener rule needs path_patterns or host_headers")]
        return []


class CapacityProviderStrategyItem(StrictModel):
    capacity_provider: Annotated[str, Field(min_length=1, max_length=255)] = Field(
        description="FARGATE, FARGATE_SPOT, or EC2 (the env's ec2_capacity provider)."
    )
    weight: Annotated[int, Field(ge=0, le=1000)] = Field(default=1, description="default: 1")
    base: Annotated[int, Field(ge=0, le=100000)] = Field(default=0, description="default: 0")


class Ec2CapacityConfig(StrictModel):
    """An Auto Scaling group of ECS-optimized Amazon Linux 2023 instances as a capacity provider."""

    preset: Literal["development", "production"] | None = Field(
        default=None, description="development: t3.medium; production: c5.2xlarge. default: none (set instance_type)"
    )
    instance_type: Annotated[str, Field(pattern=r"^[a-z0-9]+\.[a-z0-9]+$")] | None = Field(
        default=None, description="EC2 instance type. default: the preset's"
    )
    min_size: Annotated[int, Field(ge=0)] = Field(default=0, description="default: 0")
    max_size: Annotated[int, Field(ge=1)] = Field(default=4, description="default: 4")
    spot: bool = Field(default=False, description="Spot instances. default: false")

    @classmethod
    def cross_field_rules(cls, data: dict[str, Any]) -> Problems:
        problems = []
        if data.get("preset") is None and data.get("instance_type") is None:
            problems.append(
                problem(("instance_type",), "missing: set instance_type or preset (development | production)")
            )
        low, high = typed(data, "min_size", int, 0), typed(data, "max_size", int, 4)
        if low is not None and high is not None and low > high:
            problems.append(problem(("min_size",), f"{low} is above max_size {high}", low))
        return problems


INSTANCE_TYPE_BY_PRESET = {"development": "t3.medium", "production": "c5.2xlarge"}
