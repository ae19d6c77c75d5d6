"""The env file's workers and scheduled tasks: the keys every workload names by convention
(`workload_conventions.WorkloadConventions`, shared with `ServiceConfig`) plus their options.

A worker is `props.worker.WorkerOptions` plus these keys; a scheduled task `props.scheduled_task.
ScheduledTaskOptions` plus these keys. A key of a service that a worker has no use for (alb_name, route53, ...)
is an unknown key whose message names what the workload lacks (`BackgroundTaskOptions.unknown_key_reason`).
"""

from __future__ import annotations

from collections.abc import Collection

from ..props.scheduled_task import ScheduledTaskOptions
from ..props.worker import WorkerOptions
from .service import ServiceConfig
from .workload_conventions import WorkloadConventions


class HeadlessWorkload(WorkloadConventions):
    """A workload of an env file without a load balancer: the keys of an env file's service it cannot use."""

    @classmethod
    def web_service_keys(cls) -> Collection[str]:
        return ServiceConfig.model_fields.keys()


class WorkerConfig(HeadlessWorkload, WorkerOptions):
    """A queue worker of the env file (`workers`): an ECS service with no load balancer."""


class ScheduledTaskConfig(HeadlessWorkload, ScheduledTaskOptions):
    """A scheduled task of the env file (`scheduled_tasks`), run by EventBridge Scheduler."""
