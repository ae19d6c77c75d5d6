"""Where a container's logs go: the log driver (awslogs to the service's log group by default, or another driver)
and the FireLens log router sidecar. The Service Connect proxy's logs take the same `LogDriverConfig`."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .arns import SECRET_OR_PARAMETER_ARN
from .base import StrictModel


class FirelensConfig(StrictModel):
    """A Fluent Bit log router; the app container logs through awsfirelens with these options."""

    image: str = Field(
        default="public.ecr.aws/aws-observability/aws-for-fluent-bit:stable",
        description="Log router image. default: AWS for Fluent Bit",
    )
    options: dict[str, str] = Field(
        default_factory=dict, description="awsfirelens options, e.g. Name, region. default: none"
    )
    secret_options: dict[str, SECRET_OR_PARAMETER_ARN] = Field(
        default_factory=dict,
        description="Option name -> exact Secrets Manager or SSM parameter ARN (e.g. an API key). default: none",
    )


class LogDriverConfig(StrictModel):
    """The app container's log driver: awslogs (our log group), awsfirelens, or another driver with options."""

    name: Literal["awslogs", "awsfirelens", "splunk", "fluentd", "gelf", "json-file", "journald", "syslog"] = Field(
        default="awslogs", description="default: awslogs to the service's log group"
    )
    options: dict[str, str] = Field(default_factory=dict, description="Driver options. default: none")
    secret_options: dict[str, SECRET_OR_PARAMETER_ARN] = Field(
        default_factory=dict, description="Option -> exact Secrets Manager or SSM parameter ARN. default: none"
    )
