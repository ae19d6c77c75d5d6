"""`environment_resources`: what the environment stack (`<environment>-environment`) owns for the services of one
env file, each switched on by default and off per environment.

A service finds each by its deterministic name (`props.environment_names`), never through another stack's state;
a key the service or env file sets itself (`kms_key_arn`, `waf_web_acl_arn`, `alb_access_logs`) wins.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from ..props.base import StrictModel
from .shared_load_balancers import EnvironmentLoadBalancerConfig


class EnvironmentResourcesConfig(StrictModel):
    """The environment stack's resources; a service stack never creates what is switched on here."""

    clusters: bool = Field(
        default=True,
        description="One ECS cluster per distinct cluster_name (Container Insights, Fargate capacity providers, ECS "
        "Exec logging); services on an EC2 capacity_provider_strategy keep a cluster of their own. default: true",
    )
    namespaces: bool = Field(
        default=True,
        description="The Cloud Map HTTP namespaces that services name in service_connect. default: true",
    )
    log_kms_key: bool = Field(
        default=True,
        description="A KMS key (alias/{organization}-{environment}-logs) encrypting the log groups, usable by "
        "CloudWatch Logs of this account and region only; not created when the env file sets kms_key_arn. default: true",
    )
    alb_access_logs: bool = Field(
        default=True,
        description="An S3 bucket receiving the ALBs' access logs (SSE-S3, public access blocked, TLS only, "
        "expiring); its own access logs go to state.access_log_bucket when set. default: true",
    )
    alb_access_log_retention_days: Annotated[int, Field(ge=1, le=3650)] = Field(
        default=90, description="Days an ALB access log is kept. default: 90"
    )
    waf_web_acl: bool = Field(
        default=True,
        description="A regional WAF web ACL (AWS managed rule groups: common, known bad inputs incl. Log4j, IP "
        "reputation) associated with every internet-facing ALB. default: true",
    )
    load_balancers: list[EnvironmentLoadBalancerConfig] = Field(
        default_factory=list,
        description="ALBs the environment stack owns, which services attach listener rules to by name "
        "(shared_alb.load_balancer): HTTPS (404 unless a rule matches), HTTP redirected, access logs and the web ACL "
        "as a service's ALB. default: none",
    )
    import_existing: bool = Field(
        default=False,
        description="One-time migration from stacks whose services created their clusters and namespaces: the "
        "environment stack imports them (Terraform import blocks) instead of creating them. Set it for the first "
        "apply after the upgrade, then remove it. default: false",
    )
