"""What a queue worker is: a long-running Fargate workload no load balancer reaches (`WorkerOptions`), and what
both it and a scheduled task have instead of a load balancer's health check (`BackgroundTaskOptions`).

A worker scales on CPU, memory and on its SQS queue's backlog per task (`QueueBacklogConfig`): the tasks hold
`messages_per_task` visible messages each, the target tracking AWS recommends for queue consumers.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Annotated, Any, ClassVar

from pydantic import Field

from .arns import SQS_QUEUE_ARN
from .autoscaling import TaskCountScalingConfig
from .base import Problems, StrictModel, problem, typed
from .deployment import TRAFFIC_SHIFTING_STRATEGIES
from .task import EcsServiceOptions, TaskOptions

NonEmptyStr = Annotated[str, Field(min_length=1)]
# What `WebServiceProps` adds for a load-balanced service built in Python (patterns/web_service_props.py).
WEB_SERVICE_PROPS = {
    "domain",
    "certificate_arn",
    "cluster_name",
    "alb_name",
    "cloudfront_prefix_list_id",
    "ec2_capacity",
}


class BackgroundTaskOptions(TaskOptions):
    """A task with no port and no load balancer: its health is what its own command says. A web service's key
    given to it is explained (`unknown_key_reason`), not only "unknown"."""

    KIND: ClassVar[str] = "a workload"
    LACKS: ClassVar[str] = "no load balancer, DNS name or certificate"

    health_check_command: NonEmptyStr | None = Field(
        default=None,
        description="Container health check run by the shell (CMD-SHELL), exit status 0 healthy, e.g. "
        "'pgrep -f worker || exit 1'; timing from container_health_check. default: no container health check",
    )

    @classmethod
    def cross_field_rules(cls, data: dict[str, Any]) -> Problems:
        problems = super().cross_field_rules(data)
        strategy = typed(data, "capacity_provider_strategy", list) or []
        if any(isinstance(i, dict) and i.get("capacity_provider") == "EC2" for i in strategy):
            problems.append(
                problem(
                    ("capacity_provider_strategy",),
                    "EC2 capacity belongs to a web service's own cluster; workers and scheduled tasks run in the "
                    "environment's cluster on FARGATE or FARGATE_SPOT",
                )
            )
        return problems

    def container_health_check_command(self) -> str | None:
        return self.health_check_command

    @classmethod
    def web_service_keys(cls) -> Collection[str]:
        """The keys of a web service as this front end names them (an env file's add the ALB, DNS and image)."""
        from .service import ServiceOptions

        return ServiceOptions.model_fields.keys() | WEB_SERVICE_PROPS

    @classmethod
    def unknown_key_reason(cls, key: str) -> str | None:
        if key in cls.web_service_keys() and key not in cls.model_fields:
            return f"{cls.KIND} has {cls.LACKS}: {key} is a service key; remove it"
        return None


class QueueBacklogConfig(StrictModel):
    """Scale on the backlog per task of one SQS queue: ApproximateNumberOfMessagesVisible / RunningTaskCount."""

    queue_arn: SQS_QUEUE_ARN = Field(description="The queue the worker consumes (in the env's region).")
    messages_per_task: Annotated[int, Field(ge=1)] = Field(
        description="Visible messages one task may have waiting: the latency you accept times the messages one task "
        "handles per second."
    )
    grant_consume: bool = Field(
        default=False,
        description="Allow the task role to receive, delete and change the visibility of messages and read the "
        "attributes of exactly this queue (add kms:Decrypt yourself for a queue with a customer managed key). "
        "default: false, the task role gets nothing on the queue",
    )


class WorkerAutoscalingConfig(TaskCountScalingConfig):
    """A worker's scaling: CPU, memory and its queue's backlog per task, plus schedules."""

    POLICY_KEYS: ClassVar[tuple[str, ...]] = (
        "cpu_target_percent",
        "memory_target_percent",
        "queue_backlog",
    )

    queue_backlog: QueueBacklogConfig | None = Field(
        default=None,
        description="Target tracking on an SQS queue's backlog per task. default: no queue policy",
    )

    @classmethod
    def cross_field_rules(cls, data: dict[str, Any]) -> Problems:
        problems = super().cross_field_rules(data)
        if data.get("queue_backlog") is not None and typed(data, "min_capacity", int) == 0:
            problems.append(
                problem(
                    ("min_capacity",),
                    "0 with queue_backlog: the backlog per task is undefined without a running task; allowed: 1 or more",
                    0,
                )
            )
        return problems


class WorkerOptions(BackgroundTaskOptions, EcsServiceOptions):
    """A long-running worker: an ECS service in private subnets that nothing connects to (no ingress), with the
    same task, egress and deployment as a web service."""

    KIND: ClassVar[str] = "a worker"

    autoscaling: WorkerAutoscalingConfig | None = Field(
        default=None,
        description="Application Auto Scaling on CPU, memory and queue backlog. default: off",
    )

    @classmethod
    def cross_field_rules(cls, data: dict[str, Any]) -> Problems:
        problems = super().cross_field_rules(data)
        alarms = typed(data, "alarms", dict) or {}
        for key in ("target_5xx_count", "p99_latency_seconds"):
            if alarms.get(key) is not None:
                problems.append(
                    problem(
                        ("alarms", key),
                        "a worker has no load balancer to measure; allowed: cpu_high_percent, memory_high_percent",
                    )
                )
        strategy = typed(typed(data, "deployment", dict) or {}, "strategy", str)
        if strategy in TRAFFIC_SHIFTING_STRATEGIES:
            problems.append(
                problem(
                    ("deployment", "strategy"),
                    f"{strategy!r} shifts a load balancer's traffic; a worker has none; allowed: rolling",
                    strategy,
                )
            )
        return problems
