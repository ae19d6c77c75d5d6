"""Application Auto Scaling of the service's desired count: one scalable target, a target-tracking policy per
configured metric (CPU, memory, ALB requests per target, an SQS queue's backlog per task) and a scheduled action
per schedule.

The ALB request policy needs a `resource_label` of `app/<alb>/<id>/targetgroup/<tg>/<id>`, which the provider
leaves users to assemble (terraform-provider-aws #9734): it is built here from the two ARN suffixes.

Policies and scheduled actions read the target's attributes, so Terraform creates them after the target; and
each depends on the one before it, because Application Auto Scaling answers concurrent writes to one target
with ConcurrentUpdateException (terraform-provider-aws #17915).
"""

from __future__ import annotations

from cdktf import ITerraformDependable
from constructs import Construct

from .._jsii.addressing import Part
from .._jsii.aws import (
    AppautoscalingPolicy,
    AppautoscalingPolicyTargetTrackingScalingPolicyConfiguration,
    AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecification as CustomizedMetric,
    AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationMetrics as MetricQuery,
    AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationMetricsMetricStat as MetricStat,
    AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationMetricsMetricStatMetric as Metric,
    AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationMetricsMetricStatMetricDimensions as Dimension,
    AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecification,
    AppautoscalingScheduledAction,
    AppautoscalingScheduledActionScalableTargetAction,
    AppautoscalingTarget,
)
from ..props.capabilities import AutoscalingConfig, TaskCountScalingConfig

SCALABLE_DIMENSION = "ecs:service:DesiredCount"
SERVICE_NAMESPACE = "ecs"

# metric key (also the construct id) -> predefined metric type
CPU, MEMORY, REQUESTS, QUEUE_BACKLOG = "cpu", "memory", "requests", "queue-backlog"
PREDEFINED_METRICS = {
    CPU: "ECSServiceAverageCPUUtilization",
    MEMORY: "ECSServiceAverageMemoryUtilization",
    REQUESTS: "ALBRequestCountPerTarget",
}


def request_count_resource_label(alb_arn_suffix: str, target_group_arn_suffix: str) -> str:
    """`app/<alb name>/<id>/targetgroup/<tg name>/<id>`: the label ALBRequestCountPerTarget needs."""
    return f"{alb_arn_suffix}/{target_group_arn_suffix}"


class ServiceAutoScaling(Part):
    """Scales the ECS service `service/<cluster_name>/<service_name>` between min and max capacity.

    Pass the cluster and service names as resource attributes (`cluster.name`, `service.name`): the reference
    makes Terraform register the target after the service exists.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        config: TaskCountScalingConfig,
        cluster_name: str,
        service_name: str,
        alb_arn_suffix: str | None,
        target_group_arn_suffix: str | None,
    ):
        super().__init__(scope, id)
        self.config = config
        self.target = AppautoscalingTarget(
            self,
            "Default",
            service_namespace=SERVICE_NAMESPACE,
            scalable_dimension=SCALABLE_DIMENSION,
            resource_id=f"service/{cluster_name}/{service_name}",
            min_capacity=config.min_capacity,
            max_capacity=config.max_capacity,
        )
        self._previous: ITerraformDependable = self.target
        targets = {CPU: config.cpu_target_percent, MEMORY: config.memory_target_percent}
        if isinstance(config, AutoscalingConfig):
            targets[REQUESTS] = config.requests_per_target
        self.policies: dict[str, AppautoscalingPolicy] = {}
        for metric, target_value in targets.items():
            if target_value is None:
                continue
            label = None
            if metric == REQUESTS:
                if alb_arn_suffix is None or target_group_arn_suffix is None:
                    raise ValueError("requests_per_target needs alb_arn_suffix and target_group_arn_suffix")
                label = request_count_resource_label(alb_arn_suffix, target_group_arn_suffix)
            self.policies[metric] = self._add_policy(metric, f"{service_name}-{metric}", target_value, label)
        self.scheduled_actions: dict[str, AppautoscalingScheduledAction] = {
            schedule.name: self._add_schedule(schedule.name, schedule.cron, schedule.min_capacity, schedule.max_capacity)
            for schedule in config.schedules
        }

    def add_queue_backlog_policy(self, *, queue_name: str, cluster_name: str, service_name: str, messages_per_task: int) -> None:
        """Hold `messages_per_task` visible messages per running task: target tracking on the metric-math expression
        ApproximateNumberOfMessagesVisible / RunningTaskCount (Container Insights, which the cluster has on). With
        no running task the expression has no value, so the minimum capacity is 1 or more (checked by the props)."""
        self.policies[QUEUE_BACKLOG] = self._add_policy(
            QUEUE_BACKLOG, f"{service_name}-{QUEUE_BACKLOG}", messages_per_task, None,
            customized=CustomizedMetric(metrics=[
                _metric("visible", "AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": queue_name}, "Sum"),
                _metric("tasks", "ECS/ContainerInsights", "RunningTaskCount",
                        {"ClusterName": cluster_name, "ServiceName": service_name}, "Average"),
                MetricQuery(id="backlog_per_task", expression="visible / tasks", label="Messages per task", return_data=True),
            ]),
        )

    def _add_policy(
        self, metric: str, name: str, target_value: int, resource_label: str | None, customized: CustomizedMetric | None = None
    ) -> AppautoscalingPolicy:
        policy = AppautoscalingPolicy(
            self,
            metric,
            name=name,
            policy_type="TargetTrackingScaling",
            service_namespace=self.target.service_namespace,
            scalable_dimension=self.target.scalable_dimension,
            resource_id=self.target.resource_id,
            target_tracking_scaling_policy_configuration=AppautoscalingPolicyTargetTrackingScalingPolicyConfiguration(
                target_value=target_value,
                scale_in_cooldown=self.config.scale_in_cooldown_seconds,
                scale_out_cooldown=self.config.scale_out_cooldown_seconds,
                predefined_metric_specification=(
                    None
                    if customized
                    else AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecification(
                        predefined_metric_type=PREDEFINED_METRICS[metric], resource_label=resource_label
                    )
                ),
                customized_metric_specification=customized,
            ),
            depends_on=self._serialized(),
        )
        self._previous = policy
        return policy

    def _add_schedule(self, name: str, schedule: str, min_capacity: int, max_capacity: int) -> AppautoscalingScheduledAction:
        action = AppautoscalingScheduledAction(
            self,
            f"schedule-{name}",
            name=name,
            service_namespace=self.target.service_namespace,
            scalable_dimension=self.target.scalable_dimension,
            resource_id=self.target.resource_id,
            schedule=schedule,
            scalable_target_action=AppautoscalingScheduledActionScalableTargetAction(
                min_capacity=str(min_capacity), max_capacity=str(max_capacity)
            ),
            depends_on=self._serialized(),
        )
        self._previous = action
        return action

    def _serialized(self) -> list[ITerraformDependable] | None:
        """After the previous policy or action; the first one already follows the target by reference."""
        return None if self._previous is self.target else [self._previous]


def _metric(id: str, namespace: str, name: str, dimensions: dict[str, str], stat: str) -> MetricQuery:
    """One metric of a metric-math expression, not returned itself."""
    return MetricQuery(
        id=id,
        return_data=False,
        metric_stat=MetricStat(
            stat=stat,
            metric=Metric(
                namespace=namespace, metric_name=name,
                dimensions=[Dimension(name=key, value=value) for key, value in dimensions.items()],
            ),
        ),
    )
