"""The env file's workers and scheduled tasks, and the keys every workload of an env file names by convention:
the cluster it runs in and where its image comes from (`WorkloadConventions`, shared with `ServiceConfig`).

A worker is `props.worker.WorkerOptions` plus these keys; a scheduled task `props.scheduled_task.
ScheduledTaskOptions` plus these keys. A key of a service that a worker has no use for (alb_name, route53, ...)
is an unknown key whose message names what the workload lacks (`BackgroundTaskOptions.unknown_key_reason`).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Annotated, Any

from pydantic import Field

from ..props.base import (
    ECR_REPOSITORY,
    ECS_NAME,
    IMAGE_REFERENCE,
    Problems,
    StrictModel,
    problem,
)
from ..props.scheduled_task import ScheduledTaskOptions
from ..props.worker import WorkerOptions

NonEmptyStr = Annotated[str, Field(min_length=1)]


class WorkloadConventions(StrictModel):
    """Where a workload of an env file runs and which image it runs, named by convention."""

    cluster_name: ECS_NAME = Field(description="ECS cluster name; {organization}-{environment}-{cluster_name}.")
    ecr_repo_source_env: NonEmptyStr = Field(
        default="devops",
        description="Environment (a key of accounts) whose ECR holds the image. default: devops",
    )
    ecr_repo_base_name: ECR_REPOSITORY | None = Field(
        default=None,
        description="ECR repository {organization}-{ecr_repo_source_env}-{ecr_repo_base_name}; exactly one of this "
        "and container_repo. default: none",
    )
    container_repo: IMAGE_REFERENCE | None = Field(
        default=None,
        description="Image used verbatim (e.g. nginx:latest); exclusive with ecr_repo_base_name. default: none",
    )

    @classmethod
    def cross_field_rules(cls, data: dict[str, Any]) -> Problems:
        problems = super().cross_field_rules(data)
        if (data.get("ecr_repo_base_name") is None) == (data.get("container_repo") is None):
            given = "both are set" if data.get("ecr_repo_base_name") is not None else "neither is set"
            problems.append(
                problem(
                    ("ecr_repo_base_name",),
                    f"{given}; set exactly one of ecr_repo_base_name and container_repo",
                )
            )
        return problems

    @property
    def uses_ecr(self) -> bool:
        return self.ecr_repo_base_name is not None


class HeadlessWorkload(WorkloadConventions):
    """A workload of an env file without a load balancer: the keys of an env file's service it cannot use."""

    @classmethod
    def web_service_keys(cls) -> Collection[str]:
        from .service import (
            ServiceConfig,  # the web service's keys; it imports WorkloadConventions from here
        )

        return ServiceConfig.model_fields.keys()


class WorkerConfig(HeadlessWorkload, WorkerOptions):
    """A queue worker of the env file (`workers`): an ECS service with no load balancer."""


class ScheduledTaskConfig(HeadlessWorkload, ScheduledTaskOptions):
    """A scheduled task of the env file (`scheduled_tasks`), run by EventBridge Scheduler."""
