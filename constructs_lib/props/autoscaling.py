"""A long-running workload's task-count autoscaling (the `autoscaling` key): target tracking on CPU, memory and, for
a web service, ALB requests per task, plus scheduled capacity and the step and metric policies of scaling.py.

Web services and workers (`worker.WorkerAutoscalingConfig`) share `TaskCountScalingConfig`, so the task-count
bounds and the rules between them are written once.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from pydantic import Field

from .base import Bounded, Percent, Problems, StrictModel, problem, typed
from .limits import MAX_TASKS_PER_SERVICE
from .scaling import MetricTrackingConfig, StepScalingConfig, unique_policy_names
from .schedule import ScheduleExpression

TaskCount = Annotated[int, Bounded(0, MAX_TASKS_PER_SERVICE, "a task count of an ECS service")]
MaxTaskCount = Annotated[int, Bounded(1, MAX_TASKS_PER_SERVICE, "a maximum task count of an ECS service")]


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
        return problems + _schedule_problems(typed(data, "schedules", list) or [])


class AutoscalingConfig(TaskCountScalingConfig):
    """A web service's scaling: CPU, memory and ALB requests per target, plus schedules."""

    POLICY_KEYS: ClassVar[tuple[str, ...]] = ("cpu_target_percent", "memory_target_percent", "requests_per_target")

    requests_per_target: Annotated[int, Field(ge=1)] | None = Field(
        default=None, description="ALB requests per task to hold. default: no request policy"
    )


def _schedule_problems(schedules: list[Any]) -> Problems:
    """Each schedule's own bounds, and its name unique among them (Application Auto Scaling keys actions by it)."""
    problems: Problems = []
    seen: dict[str, int] = {}
    for index, schedule in enumerate(schedules):
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
