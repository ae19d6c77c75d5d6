"""Service keys for the load balancer's edge and the container's hardening (secure defaults, opt-in extras)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from .base import StrictModel

CidrV4 = Annotated[str, Field(pattern=r"^(\d{1,3}\.){3}\d{1,3}/\d{1,2}$")]


class AlbAccessLogsConfig(StrictModel):
    """ALB access logs to an existing S3 bucket (its policy must allow the regional ELB account to write)."""

    bucket: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")] = Field(description="S3 bucket name.")
    prefix: Annotated[str, Field(pattern=r"^[^/].*[^/]$|^$")] = Field(
        default="", description="Key prefix inside the bucket. default: none"
    )
