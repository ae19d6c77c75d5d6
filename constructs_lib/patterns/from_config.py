"""Env file -> props: an env file's service compiled into the `WebServiceProps` a Python caller would write.

The one path from config to constructs: what a service is (`ServiceOptions`) is copied field for field; what the
env file names by convention (cluster, ALB, domain, image, certificate) is resolved by `ServiceNames`, the
same derivation `validate`, `prerequisites` and the collision check read.
"""

from __future__ import annotations

from ..config import EnvConfig, ServiceConfig
from ..config.service_names import ServiceNames
from ..props.network import Domain
from ..props.service import ServiceOptions
from .web_service_props import WebServiceProps


def web_service_props(env: EnvConfig, service: ServiceConfig) -> WebServiceProps:
    """Built from models that are valid already: not validated again (and so never re-reading text that
    literal.py escaped as if it were the user's)."""
    names = ServiceNames(env, service)
    options = {name: getattr(service, name) for name in ServiceOptions.model_fields}
    options["permissions_boundary_arn"] = service.permissions_boundary_arn or env.permissions_boundary_arn
    return WebServiceProps.model_construct(
        **options,
        organization=env.organization,
        environment=env.environment,
        region=env.region,
        account_id=env.account_id,
        network=env.network,
        image=names.image,
        domain=Domain.model_construct(zone_id=service.route53.hosted_zone_id, name=names.fqdn),
        certificate_arn=names.certificate_arn,
        cluster=None,
        cluster_name=service.cluster_name,
        alb_name=service.alb_name,
        cloudfront_prefix_list_id=service.eu_west_cloudront_prefix_list_id,
        kms_key_arn=env.kms_key_arn,
        ec2_capacity=env.ec2_capacity,
        task_security_group_ids=None,
        grant_existing_roles=False,
    )
