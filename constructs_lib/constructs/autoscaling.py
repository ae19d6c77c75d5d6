"""Application Auto Scaling of the service's desired count: one scalable target, a target-tracking policy per
configured metric (CPU, memory, ALB requests per target, an SQS queue's backlog per task, any metric or metric
math), a scheduled action per schedule, and step scaling policies each run by a CloudWatch alarm of their own.

The ALB request policy needs a `resource_label` of `app/<alb>/<id>/targetgroup/<tg>/<id>`, which the provider
leaves users to assemble (terraform-provider-aws #9734): it is built here from the two ARN suffixes.

Policies and scheduled actions read the target's attributes, so Terraform creates them after the target; and
each depends on the one before it, because Application Auto Scaling answers concurrent writes to one target
with ConcurrentUpdateException (terraform-provider-aws #17915).
"""

from __future__ import annotations

from typing import Any

from constructs import Construct

from .._jsii.addressing import Part
from .._jsii.aws import (
    AppautoscalingPolicy,
    AppautoscalingPolicyTargetTrackingScalingPolicyConfiguration,
    AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecification,
    AppautoscalingScheduledAction,
    AppautoscalingScheduledActionScalableTargetAction,
    AppautoscalingTarget,
    CloudwatchMetricAlarm,
)
from .._jsii.aws import (
    AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecification as CustomizedMetric,
)
from .._jsii.aws import (
    AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationMetrics as MetricQuery,
)
from .._jsii.aws import (
    AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationMetricsMetricStat as MetricStat,
)
from .._jsii.aws import (
    AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationMetricsMetricStatMetric as Metric,
)
from .._jsii.aws import (
    AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationMetricsMetricStatMetricDimensions as Dimension,
)
from .._jsii.engine import ITerraformDependable
from ..props.autoscaling import AutoscalingConfig, TaskCountScalingConfig
from ..props.scaling import StepScalingConfig
from .scaling_policies import customized_metric, metric_dimensions, step_configuration

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
        self.step_alarms: dict[str, CloudwatchMetricAlarm] = {}
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
            schedule.name: self._add_schedule(
                schedule.name, schedule.cron, schedule.min_capacity, schedule.max_capacity
            )
            for schedule in config.schedules
        }
        dimensions = {"ClusterName": cluster_name, "ServiceName": service_name}
        for step in config.step_scaling:
            self._add_step_policy(step, f"{service_name}-{step.name}", dimensions)
        for tracking in config.metric_tracking:
            self.policies[f"metric-{tracking.name}"] = self._add_policy(
                f"metric-{tracking.name}",
                f"{service_name}-{tracking.name}",
                tracking.target_value,
                None,
                customized=customized_metric(tracking, dimensions),
                disable_scale_in=tracking.disable_scale_in or None,
            )

    def add_queue_backlog_policy(
        self, *, queue_name: str, cluster_name: str, service_name: str, messages_per_task: int
    ) -> None:
        """Hold `messages_per_task` visible messages per running task: target tracking on the metric-math expression
        ApproximateNumberOfMessagesVisible / RunningTaskCount (Container Insights, which the cluster has on). With
        no running task the expression has no value, so the minimum capacity is 1 or more (checked by the props)."""
        self.policies[QUEUE_BACKLOG] = self._add_policy(
            QUEUE_BACKLOG,
            f"{service_name}-{QUEUE_BACKLOG}",
            messages_per_task,
            None,
            customized=CustomizedMetric(
                metrics=[
                    _metric(
                        "visible", "AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": queue_name}, "Sum"
                    ),
                    _metric(
                        "tasks",
                        "ECS/ContainerInsights",
                        "RunningTaskCount",
                        {"ClusterName": cluster_name, "ServiceName": service_name},
                        "Average",
                    ),
                    MetricQuery(
                        id="backlog_per_task", expression="visible / tasks", label="Messages per task", return_data=True
                    ),
                ]
            ),
        )

    def _add_policy(
        self,
        metric: str,
        name: str,
        target_value: float,
        resource_label: str | None,
        *,
        customized: Any = None,
        disable_scale_in: bool | None = None,
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
                disable_scale_in=disable_scale_in,
                customized_metric_specification=customized,
                predefined_metric_specification=(
                    None
                    if customized
                    else AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecification(
                        predefined_metric_type=PREDEFINED_METRICS[metric], resource_label=resource_label
                    )
                ),
            ),
            depends_on=self._serialized(),
        )
        self._previous = policy
        return policy

    def _add_step_policy(self, config: StepScalingConfig, name: str, dimensions: dict[str, str]) -> None:
        """The policy, and the alarm that runs it while in ALARM (the alarm reads the policy's ARN)."""
        policy = AppautoscalingPolicy(
            self,
            f"step-{config.name}",
            name=name,
            policy_type="StepScaling",
            service_namespace=self.target.service_namespace,
            scalable_dimension=self.target.scalable_dimension,
            resource_id=self.target.resource_id,
            step_scaling_policy_configuration=step_configuration(config),
            depends_on=self._serialized(),
        )
        self._previous = policy
        self.policies[f"step-{config.name}"] = policy
        metric = config.metric
        self.step_alarms[config.name] = CloudwatchMetricAlarm(
            self,
            f"step-{config.name}-alarm",
            alarm_name=name,
            alarm_description=f"Runs the step scaling policy {name}",
            namespace=metric.namespace,
            metric_name=metric.metric_name,
            statistic=metric.statistic,
            dimensions=metric_dimensions(metric, dimensions) or None,
            comparison_operator=config.comparison_operator,
            threshold=config.threshold,
            period=config.period_seconds,
            evaluation_periods=config.evaluation_periods,
            alarm_actions=[self.ref(policy).arn],
        )

    def _add_schedule(
        self, name: str, schedule: str, min_capacity: int, max_capacity: int
    ) -> AppautoscalingScheduledAction:
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
                namespace=namespace,
                metric_name=name,
                dimensions=[Dimension(name=key, value=value) for key, value in dimensions.items()],
            ),
        ),
    )
