"""`WorkerService`: a queue worker, a long-running ECS service that no load balancer reaches.

    worker = WorkerService(stack, "orders-worker", props=WorkerServiceProps(..., cluster=ClusterReference.from_name(
        "acme-prod-apps", region=..., account_id=...), autoscaling=WorkerAutoscalingConfig(min_capacity=1,
        max_capacity=10, queue_backlog=QueueBacklogConfig(queue_arn=..., messages_per_task=100))))

The task, roles and logs are a web service's (`FargateWorkload`); the tasks sit in private subnets behind a security
group with egress only; the service has no target group and no health check grace period; auto scaling tracks CPU,
memory and the queue's backlog per task. The task role gets nothing on the queue unless `grant_consume` says so.
"""

from __future__ import annotations

from constructs import Construct

from ..constructs.alarms import ServiceAlarms
from ..constructs.autoscaling import ServiceAutoScaling
from ..constructs.fargate_service import FargateService, ServiceSettings
from ..props.worker import QueueBacklogConfig
from .fargate_workload import FargateWorkload
from .headless_props import WorkerServiceProps

# What a consumer does with a message: receive it, keep it hidden while working, delete it when done.
QUEUE_CONSUMER_ACTIONS = [
    "sqs:ReceiveMessage",
    "sqs:ChangeMessageVisibility",
    "sqs:DeleteMessage",
    "sqs:GetQueueAttributes",
]


class WorkerService(FargateWorkload):
    """Every object a caller may want is an attribute: `cluster`, `service`, `task_definition`, `execution_role`,
    `task_role`, `log_group`, `security_groups`, `alarms`, `autoscaling`."""

    props: WorkerServiceProps

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        props: WorkerServiceProps,
        _literal: bool = False,
    ):
        super().__init__(scope, id, props=props, _literal=_literal)  # logs, secrets, env files, EFS, roles
        props = self.props
        self.cluster = props.cluster
        self._add_private_tasks_group("ECS tasks of a worker, egress only")
        self.alarms = (
            ServiceAlarms(
                self,
                "alarms",
                config=props.alarms,
                alarm_name_prefix=self.names.service,
                cluster_name=self.cluster.name,
                service_name=self.names.service,
                alb_arn_suffix=None,
                target_group_arn_suffix=None,
            )
            if props.alarms
            else None
        )
        self._add_task()
        self.service = FargateService(
            self,
            "service",
            settings=self._service_settings(),
            cluster_id=self._cluster_arn(),
            task_definition_arn=self.ref(self.task_definition.task_definition).arn,
            depends_on=[
                *(self.alarms.alarms.values() if self.alarms else []),
                *([self.ebs_volume.role.policy] if self.ebs_volume else []),
            ],
        )
        self.autoscaling: ServiceAutoScaling | None = None
        if props.autoscaling:
            self._add_autoscaling()
        self._grant_task_efs()

    def _service_settings(self) -> ServiceSettings:
        """No target group, so no health check grace period: the container health check (if any) decides."""
        return ServiceSettings(**self._ecs_service_settings(), targets=[], health_check_grace_period_seconds=None)

    def _add_autoscaling(self) -> None:
        config = self.props.autoscaling
        assert config is not None
        service_name = self.ref(self.service.service).name
        self.autoscaling = ServiceAutoScaling(
            self,
            "autoscaling",
            config=config,
            cluster_name=self._cluster_name(),
            service_name=service_name,
            alb_arn_suffix=None,
            target_group_arn_suffix=None,
        )
        if config.queue_backlog:
            self._scale_on_queue(config.queue_backlog, service_name)

    def _scale_on_queue(self, backlog: QueueBacklogConfig, service_name: str) -> None:
        self.autoscaling_queue_name = backlog.queue_arn.rsplit(":", 1)[1]
        assert self.autoscaling is not None
        self.autoscaling.add_queue_backlog_policy(
            queue_name=self.autoscaling_queue_name,
            cluster_name=self._cluster_name(),
            service_name=service_name,
            messages_per_task=backlog.messages_per_task,
        )
        if backlog.grant_consume and (self.props.grant_existing_roles or self.props.task_role_arn is None):
            self.task_role.grant("queue", actions=QUEUE_CONSUMER_ACTIONS, resources=[backlog.queue_arn])
