"""The Application Auto Scaling structures of step scaling and of target tracking on any metric, built from the
typed settings (props/scaling.py). A metric of the AWS/ECS namespace given without dimensions is the service's own."""

from __future__ import annotations

from .._jsii.aws import (
    AppautoscalingPolicyStepScalingPolicyConfiguration,
    AppautoscalingPolicyStepScalingPolicyConfigurationStepAdjustment,
    AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecification,
    AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationDimensions,
    AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationMetrics,
    AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationMetricsMetricStat,
    AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationMetricsMetricStatMetric,
    AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationMetricsMetricStatMetricDimensions,
)
from ..props.scaling import MetricConfig, MetricTrackingConfig, StepScalingConfig

ECS_NAMESPACE = "AWS/ECS"
# Application Auto Scaling reads the metric over the alarm's period: the policy aggregates like the alarm.
AGGREGATION_BY_STATISTIC = {
    "Average": "Average",
    "Minimum": "Minimum",
    "Maximum": "Maximum",
}


def metric_dimensions(metric: MetricConfig, service_dimensions: dict[str, str]) -> dict[str, str]:
    if metric.dimensions or metric.namespace != ECS_NAMESPACE:
        return dict(metric.dimensions)
    return dict(service_dimensions)


def step_configuration(
    config: StepScalingConfig,
) -> AppautoscalingPolicyStepScalingPolicyConfiguration:
    return AppautoscalingPolicyStepScalingPolicyConfiguration(
        adjustment_type=config.adjustment_type,
        cooldown=config.cooldown_seconds,
        metric_aggregation_type=AGGREGATION_BY_STATISTIC.get(config.metric.statistic, "Average"),
        min_adjustment_magnitude=config.min_adjustment_magnitude,
        step_adjustment=[
            AppautoscalingPolicyStepScalingPolicyConfigurationStepAdjustment(
                scaling_adjustment=step.adjustment,
                metric_interval_lower_bound=_bound(step.lower_bound),
                metric_interval_upper_bound=_bound(step.upper_bound),
            )
            for step in config.steps
        ],
    )


def customized_metric(
    config: MetricTrackingConfig, service_dimensions: dict[str, str]
) -> AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecification:
    if config.metric is not None:
        metric = config.metric
        return AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecification(
            metric_name=metric.metric_name,
            namespace=metric.namespace,
            statistic=metric.statistic,
            dimensions=[
                AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationDimensions(
                    name=k, value=v
                )
                for k, v in metric_dimensions(metric, service_dimensions).items()
            ]
            or None,
        )
    return AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecification(
        metrics=[
            AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationMetrics(
                id=query.id,
                expression=query.expression,
                label=query.label,
                return_data=query.return_data,
                metric_stat=_metric_stat(query.metric, service_dimensions) if query.metric else None,
            )
            for query in config.queries
        ]
    )


def _metric_stat(
    metric: MetricConfig, service_dimensions: dict[str, str]
) -> AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationMetricsMetricStat:
    return AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationMetricsMetricStat(
        stat=metric.statistic,
        metric=AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationMetricsMetricStatMetric(
            metric_name=metric.metric_name,
            namespace=metric.namespace,
            dimensions=[
                AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationMetricsMetricStatMetricDimensions(
                    name=k, value=v
                )
                for k, v in metric_dimensions(metric, service_dimensions).items()
            ]
            or None,
        ),
    )


def _bound(value: float | None) -> str | None:
    """The provider takes bounds as strings; whole numbers are written without a fraction."""
    if value is None:
        return None
    return str(int(value)) if float(value).is_integer() else str(value)
