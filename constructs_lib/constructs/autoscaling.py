"""Application Auto Scaling of the service's desired count: one scalable target, a target-tracking policy per
configured metric (CPU, memory, ALB requests per target) and a scheduled action per schedule.

The ALB request policy needs a `resource_label` of `app/<alb>/<id>/targetgroup/<tg>/<id>`, which the provider
leaves users to assemble (terraform-provider-aws #9734): it is built here from the two ARN suffixes.

Policies and scheduled actions read the target's attributes, so Terraform creates them after the target; and
each depends on the one before it, because Application Auto Scaling answers concurrent writes to one target
with ConcurrentUpdateException (terraform-provider-aws #17915).
"""

from __future__ import annotations

from .._jsii.engine import ITerraformDependable
from constructs import Construct

from .._jsii.addressing import Part
from .._jsii.aws import (
    AppautoscalingPolicy,
    AppautoscalingPolicyTargetTrackingScalingPolicyConfiguration,
    AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecification,
    AppautoscalingScheduledAction,
    AppautoscalingScheduledActionScalableTargetAction,
    AppautoscalingTarget,
)
from ..props.capabilities import AutoscalingConfig

SCALABLE_DIMENSION = "ecs:service:DesiredCount"
SERVICE_NAMESPACE = "ecs"

# metric key (also the construct id) -> predefined metric type
CPU, MEMORY, REQUESTS = "cpu", "memory", "requests"
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
        config: AutoscalingConfig,
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
        targets = {CPU: config.cpu_target_percent, MEMORY: config.memory_target_percent, REQUESTS: config.requests_per_target}
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

    def _add_policy(self, metric: str, name: str, target_value: int, resource_label: str | None) -> AppautoscalingPolicy:
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
                    AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecification(
                        predefined_metric_type=PREDEFINED_METRICS[metric], resource_label=resource_label
                    )
                ),
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
