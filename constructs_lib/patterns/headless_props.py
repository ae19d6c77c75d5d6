"""`WorkerServiceProps` and `ScheduledTaskProps`: a worker and a scheduled task built in Python, what they are
(`props.worker.WorkerOptions`, `props.scheduled_task.ScheduledTaskOptions`, shared with env files field for field)
plus where they run (`HeadlessWorkloadProps`, which also names their resources: one rule for both)."""

from __future__ import annotations

from ..props.scheduled_task import ScheduledTaskOptions
from ..props.worker import WorkerOptions
from .workload_props import HeadlessWorkloadProps


class WorkerServiceProps(WorkerOptions, HeadlessWorkloadProps):
    """A queue worker: an ECS service in private subnets of an existing cluster, with no load balancer."""


class ScheduledTaskProps(ScheduledTaskOptions, HeadlessWorkloadProps):
    """A task EventBridge Scheduler runs in an existing cluster on `schedule`."""
