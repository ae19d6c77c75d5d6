"""The service object of an env file: the ECSBuilder's EcsConfig, key for key.

Names, types, defaults and mandatory-ness follow the spec's "Configuration Parameters" table; the spec's own
JSON examples load unchanged. What a service is (`props.service.ServiceOptions`) is shared with the typed API;
here are the keys an env file names by convention: its ALB, domain and certificate (cluster and image:
`workload_conventions.WorkloadConventions`, shared with workers and scheduled tasks).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from ..props.base import CERTIFICATE_ID, Problems, StrictModel
from ..props.service import ServiceOptions, certificate_choice_rules
from .workload_conventions import WorkloadConventions


class Route53Config(StrictModel):
    hosted_zone_id: Annotated[str, Field(pattern=r"^Z[A-Z0-9]{1,31}$")] = Field(
        description="Existing public hosted zone id."
    )
    domain_name: Annotated[str, Field(pattern=r"^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}$")] = Field(
        description="The zone's domain; the record is {alb_domain_prefix}.{domain_name}."
    )


class ServiceConfig(ServiceOptions, WorkloadConventions):
    """One ECS Fargate service behind its own ALB: the spec's EcsConfig, plus route53, parameters, efs_config
    and environment_files."""

    alb_name: Annotated[str, Field(pattern=r"^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$")] = Field(
        description="ALB name; created as {organization}-{environment}-{alb_name}, shortened with a hash to 32."
    )
    alb_domain_prefix: Annotated[
        str, Field(pattern=r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$")
    ] = Field(description="DNS label(s) in front of route53.domain_name, e.g. 'api' for api.example.com.")
    ssl_certificate_id: CERTIFICATE_ID | None = Field(
        default=None,
        description="ACM certificate id or full ARN for the HTTPS listener (an id is expanded in the env's region). "
        "Required unless create_certificate is true or the service is on a shared_alb, whose HTTPS listener then "
        "presents it for the service's host name (SNI) beside the ALB's own.",
    )
    eu_west_cloudront_prefix_list_id: Annotated[str, Field(pattern=r"^pl-[0-9a-f]{8,17}$")] = Field(
        description="CloudFront managed prefix list allowed to reach the ALB on 443 (spelled as in the spec)."
    )
    route53: Route53Config = Field(description="Hosted zone and domain of the service's A record.")

    @classmethod
    def certificate_rules(cls, data: dict[str, Any]) -> Problems:
        missing = "missing: this key is required (or set create_certificate: true)"
        return certificate_choice_rules(data, "ssl_certificate_id", missing)
