"""Scaling beyond CPU, memory, requests and schedules: step scaling on a CloudWatch alarm, and target tracking on
any metric (one CloudWatch metric, or metric math over several), as Application Auto Scaling takes them."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from .base import Bounded, Problems, StrictModel, problem, typed

PolicyName = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
MetricName = Annotated[str, Field(min_length=1, max_length=255)]
Namespace = Annotated[str, Field(pattern=r"^[^:].{0,254}$")]
QueryId = Annotated[str, Field(pattern=r"^[a-z][a-zA-Z0-9_]{0,254}$")]
Statistic = Literal["Average", "Minimum", "Maximum", "SampleCount", "Sum"]
Cooldown = Annotated[int, Bounded(0, 3600, "a cooldown")]
EvaluationPeriods = Annotated[int, Bounded(1, 100, "a number of evaluation periods")]
# CloudWatch alarm periods: 10, 30 or a multiple of 60 seconds (alarms on high-resolution metrics take 10 and 30).
ALARM_PERIODS = "10, 30 or a multiple of 60"


class MetricConfig(StrictModel):
    """A CloudWatch metric. Without dimensions, an AWS/ECS metric is the service's own (ClusterName, ServiceName)."""

    metric_name: MetricName = Field(description="e.g. CPUUtilization, or a custom metric's name.")
    namespace: Namespace = Field(default="AWS/ECS", description="default: AWS/ECS")
    dimensions: dict[str, str] = Field(default_factory=dict, description="default: the service's, for AWS/ECS")
    statistic: Statistic = Field(default="Average", description="default: Average")


class StepConfig(StrictModel):
    """One step: between the bounds (relative to the alarm threshold), change the capacity by `adjustment`."""

    lower_bound: float | None = Field(default=None, description="default: minus infinity")
    upper_bound: float | None = Field(default=None, description="default: plus infinity")
    adjustment: int = Field(description="Tasks (or percent) to add; negative to remove.")


class StepScalingConfig(StrictModel):
    """A CloudWatch alarm on `metric` that runs a step scaling policy while it is in ALARM."""

    name: PolicyName = Field(description="Policy and alarm name suffix, unique in the service.")
    metric: MetricConfig = Field(description="The metric the alarm watches.")
    comparison_operator: Literal[
        "GreaterThanOrEqualToThreshold",
        "GreaterThanThreshold",
        "LessThanThreshold",
        "LessThanOrEqualToThreshold",
    ] = Field(description="How the metric compares with the threshold.")
    threshold: float = Field(description="The alarm threshold; step bounds are relative to it.")
    period_seconds: int = Field(default=60, description=f"Alarm period: {ALARM_PERIODS}. default: 60")
    evaluation_periods: EvaluationPeriods = Field(default=1, description="default: 1")
    adjustment_type: Literal["ChangeInCapacity", "PercentChangeInCapacity", "ExactCapacity"] = Field(
        default="ChangeInCapacity", description="default: ChangeInCapacity"
    )
    steps: Annotated[list[StepConfig], Field(min_length=1)] = Field(description="Contiguous, non-overlapping steps.")
    cooldown_seconds: Cooldown = Field(default=60, description="default: 60")
    min_adjustment_magnitude: Annotated[int, Field(ge=1)] | None = Field(
        default=None,
        description="PercentChangeInCapacity only: change at least this many tasks. default: none",
    )

    @classmethod
    def cross_field_rules(cls, data: dict[str, Any]) -> Problems:
        problems = _step_rules(typed(data, "steps", list) or [])
        period = typed(data, "period_seconds", int)
        if period is not None and not (period in (10, 30) or (period > 0 and period % 60 == 0)):
            problems.append(
                problem(
                    ("period_seconds",),
                    f"{period} is not an alarm period; allowed: {ALARM_PERIODS}",
                    period,
                )
            )
        if (
            data.get("min_adjustment_magnitude") is not None
            and typed(data, "adjustment_type", str, "ChangeInCapacity") != "PercentChangeInCapacity"
        ):
            problems.append(
                problem(
                    ("min_adjustment_magnitude",),
                    "set without adjustment_type PercentChangeInCapacity, the only type it applies to",
                )
            )
        return problems


def _step_rules(steps: list[Any]) -> Problems:
    """Application Auto Scaling: the steps' ranges may neither overlap nor leave a gap, and only the first may be
    open below and only the last open above."""
    bounds = [
        (typed(s, "lower_bound", (int, float)), typed(s, "upper_bound", (int, float)))
        for s in steps
        if isinstance(s, dict)
    ]
    if len(bounds) != len(steps):
        return []
    order = sorted(
        range(len(bounds)),
        key=lambda i: float("-inf") if bounds[i][0] is None else bounds[i][0],
    )
    problems = []
    for position, index in enumerate(order):
        low, high = bounds[index]
        if low is None and high is None:
            problems.append(problem(("steps", index), "no bounds: give lower_bound, upper_bound or both"))
        elif low is not None and high is not None and low >= high:
            problems.append(
                problem(
                    ("steps", index, "upper_bound"),
                    f"{high} is not above lower_bound {low}",
                    high,
                )
            )
        if position + 1 < len(order) and high != bounds[order[position + 1]][0]:
            following = order[position + 1]
            problems.append(
                problem(
                    ("steps", index, "upper_bound"),
                    f"{high} does not meet steps[{following}].lower_bound {bounds[following][0]}; steps must be contiguous "
                    "without overlap",
                    high,
                )
            )
    return problems


class MetricQueryConfig(StrictModel):
    """One query of a metric math target: a metric (`metric`) or an expression over other queries' ids."""

    id: QueryId = Field(description="Query id, starting with a lowercase letter.")
    metric: MetricConfig | None = Field(default=None, description="default: none (set expression)")
    expression: Annotated[str, Field(min_length=1, max_length=2048)] | None = Field(
        default=None, description="default: none"
    )
    label: str | None = Field(default=None, description="default: none")
    return_data: bool = Field(
        default=False,
        description="The query whose value is tracked (exactly one). default: false",
    )

    @classmethod
    def cross_field_rules(cls, data: dict[str, Any]) -> Problems:
        if (data.get("metric") is None) == (data.get("expression") is None):
            return [problem(("metric",), "give either metric or expression")]
        return []


class MetricTrackingConfig(StrictModel):
    """Target tracking on any metric: hold `metric` (or the metric math of `queries`) at `target_value`."""

    name: PolicyName = Field(description="Policy name suffix, unique in the service.")
    target_value: Annotated[float, Field(gt=0)] = Field(description="The value to hold.")
    metric: MetricConfig | None = Field(default=None, description="One metric. default: none (set queries)")
    queries: list[MetricQueryConfig] = Field(
        default_factory=list, description="Metric math. default: none (set metric)"
    )
    disable_scale_in: bool = Field(default=False, description="Never remove tasks on this policy. default: false")

    @classmethod
    def cross_field_rules(cls, data: dict[str, Any]) -> Problems:
        queries = typed(data, "queries", list) or []
        if (data.get("metric") is None) == (not queries):
            return [problem(("metric",), "give either metric or queries (metric math)")]
        returned = [q for q in queries if isinstance(q, dict) and q.get("return_data") is True]
        if queries and len(returned) != 1:
            return [
                problem(
                    ("queries",),
                    f"{len(returned)} queries return data; allowed: exactly 1, the value tracked",
                )
            ]
        ids = [typed(q, "id", str) for q in queries if isinstance(q, dict)]
        return [
            problem(
                ("queries", i, "id"),
                f"{ids[i]!r} is used twice; ids must be unique",
                ids[i],
            )
            for i in range(len(ids))
            if ids[i] is not None and ids.index(ids[i]) != i
        ]


def unique_policy_names(data: dict[str, Any]) -> Problems:
    """Each step scaling and metric tracking policy is named after its `name`: unique within its list."""
    problems = []
    for key in ("step_scaling", "metric_tracking"):
        names = [typed(item, "name", str) if isinstance(item, dict) else None for item in typed(data, key, list) or []]
        problems += [
            problem(
                (key, i, "name"),
                f"{names[i]!r} is already used by {key}[{names.index(names[i])}]; names must be unique",
                names[i],
            )
            for i in range(len(names))
            if names[i] is not None and names.index(names[i]) != i
        ]
    return problems
