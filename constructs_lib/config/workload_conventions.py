"""The keys every workload of an env file names by convention: the cluster it runs in and where its image comes
from. Services (`ServiceConfig`), workers and scheduled tasks (`workloads`) all build on it."""

from __future__ import annotations

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
