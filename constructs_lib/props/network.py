"""Where a service runs: the account and region, and the existing VPC (the spec's foundation dependency)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from .base import Matching, StrictModel
from .limits import ACCOUNT_ID_PATTERN, REGION_PATTERN

AccountId = Annotated[str, Matching(ACCOUNT_ID_PATTERN, "is not an AWS account id", "a string of 12 digits")]
Region = Annotated[
    str, Matching(REGION_PATTERN, "is not an AWS region name", "a region name like eu-west-1 or us-east-1")
]


class NetworkConfig(StrictModel):
    """The existing VPC the services run in (the spec's foundation dependency)."""

    vpc_id: Annotated[str, Field(pattern=r"^vpc-[0-9a-f]{8,17}$")] = Field(description="Existing VPC id.")
    private_subnet_ids: Annotated[
        list[Annotated[str, Field(pattern=r"^subnet-[0-9a-f]{8,17}$")]], Field(min_length=1)
    ] = Field(description="Subnets of the tasks (no public IP; egress through NAT).")
    public_subnet_ids: Annotated[
        list[Annotated[str, Field(pattern=r"^subnet-[0-9a-f]{8,17}$")]], Field(min_length=2)
    ] = Field(description="Subnets of the internet-facing ALB, in two or more AZs.")
    create_security_groups: bool = Field(
        default=False,
        description="Create the ALB security groups with least-privilege rules instead of looking up the "
        "pre-created ones by name. default: false (look up, as the ECSBuilder does)",
    )


class Domain(StrictModel):
    """The service's DNS name: an A record (alias of its load balancer) in an existing public hosted zone."""

    zone_id: Annotated[str, Field(pattern=r"^Z[A-Z0-9]{1,31}$")] = Field(description="Existing public hosted zone id.")
    name: Annotated[str, Field(pattern=r"^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}$", max_length=253)] = Field(
        description="The record's fully qualified name, inside the zone, e.g. api.example.com."
    )
