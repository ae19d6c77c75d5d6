"""Env file -> props: an env file's service compiled into the `WebServiceProps` a Python caller would write.

The one path from config to constructs: what a service is (`ServiceOptions`) is copied field for field; what the
env file names by convention (cluster, ALB, domain, image, certificate) is resolved by `ServiceNames`, the
same derivation `validate`, `prerequisites` and the collision check read. What the environment stack owns
(`environment_resources`) the service finds by name, unless the env file sets the key itself.
"""

from __future__ import annotations

from ..config import EnvConfig, ServiceConfig
from ..config.service_names import ServiceNames, uses_ec2
from ..constructs.cluster import ClusterReference
from ..props.environment_names import EnvironmentNames
from ..props.network import Domain
from ..props.security import AlbAccessLogsConfig
from ..props.service import ServiceOptions
from .web_service_props import WebServiceProps


def web_service_props(env: EnvConfig, service: ServiceConfig) -> WebServiceProps:
    """Built from models that are valid already: not validated again (and so never re-reading text that
    literal.py escaped as if it were the user's)."""
    names = ServiceNames(env, service)
    options = {name: getattr(service, name) for name in ServiceOptions.model_fields}
    options["permissions_boundary_arn"] = service.permissions_boundary_arn or env.permissions_boundary_arn
    options |= _environment_resources(env, service)
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
        cluster_name=service.cluster_name,
        alb_name=service.alb_name,
        cloudfront_prefix_list_id=service.eu_west_cloudront_prefix_list_id,
        ec2_capacity=env.ec2_capacity,
        task_security_group_ids=None,
        grant_existing_roles=False,
    )


def _environment_resources(env: EnvConfig, service: ServiceConfig) -> dict[str, object]:
    """The props that find the environment stack's resources: its cluster by name (a service on EC2 capacity
    creates its own), its log key by alias, its web ACL by name for an internet-facing ALB of the service's own,
    its access-log bucket (prefix: the service's name), its namespaces by name."""
    owned, names = env.environment_resources, EnvironmentNames(env.naming, env.account_id, env.region)
    own_alb = service.shared_alb is None
    cluster = None
    if owned.clusters and not uses_ec2(service):
        cluster = ClusterReference.from_name(
            names.cluster(service.cluster_name), region=env.region, account_id=env.account_id,
            exec_log_group_name=names.exec_log_group(service.cluster_name),
        )
    access_logs = service.alb_access_logs
    if access_logs is None and owned.alb_access_logs and own_alb:
        access_logs = AlbAccessLogsConfig.model_construct(bucket=names.access_log_bucket, prefix=service.service_name)
    use_web_acl = owned.waf_web_acl and own_alb and not service.internal and service.waf_web_acl_arn is None
    return {
        "cluster": cluster,
        "kms_key_arn": env.kms_key_arn,
        "kms_key_alias": names.log_key_alias if owned.log_kms_key and env.kms_key_arn is None else None,
        "waf_web_acl_name": names.web_acl if use_web_acl else None,
        "alb_access_logs": access_logs,
        "existing_namespace": owned.namespaces,
    }
