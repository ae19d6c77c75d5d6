"""Env file -> props: an env file's workload compiled into the props a Python caller would write.

The one path from config to constructs: what a workload is (`ServiceOptions`, `WorkerOptions`,
`ScheduledTaskOptions`) is copied field for field; what the env file names by convention (cluster, ALB, domain,
image, certificate) is resolved by `config.service_names`, the same derivation `validate`, `prerequisites` and
the collision check read. What the environment stack owns (`environment_resources`) every workload finds by name
(its cluster, its log key; a service also its web ACL, access-log bucket and namespaces), unless the env file sets
the key itself. Built from models that are valid already: not validated again (and so never re-reading text that
literal.py escaped as if it were the user's).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from .._jsii.literal import literal_data
from ..config import EnvConfig, ServiceConfig
from ..config.service_names import ServiceNames, Workload, uses_ec2, workload_image
from ..config.workloads import ScheduledTaskConfig, WorkerConfig
from ..constructs.cluster import ClusterReference
from ..props.environment_names import EnvironmentNames
from ..props.network import Domain
from ..props.scheduled_task import ScheduledTaskOptions
from ..props.security import AlbAccessLogsConfig
from ..props.service import ServiceOptions
from ..props.worker import WorkerOptions
from .headless_props import ScheduledTaskProps, WorkerServiceProps
from .web_service_props import WebServiceProps


def literal_env(env: EnvConfig, *, hcl: bool) -> EnvConfig:
    """The env's own settings as literal text (literal.py), for one workload's props: its workload lists are left
    out, which no workload reads and which, copied for every workload, made a synth quadratic in their number."""
    return literal_data(env.model_copy(update={"services": [], "workers": [], "scheduled_tasks": []}), hcl=hcl)


def web_service_props(env: EnvConfig, service: ServiceConfig) -> WebServiceProps:
    names = ServiceNames(env, service)
    return WebServiceProps.model_construct(
        **(
            _options(env, service, ServiceOptions) | _placement(env, service) | _web_environment_resources(env, service)
        ),
        domain=Domain.model_construct(zone_id=service.route53.hosted_zone_id, name=names.fqdn),
        certificate_arn=names.certificate_arn,
        cluster_name=service.cluster_name,
        alb_name=service.alb_name,
        cloudfront_prefix_list_id=service.eu_west_cloudront_prefix_list_id,
        ec2_capacity=env.ec2_capacity,
    )


def worker_props(env: EnvConfig, worker: WorkerConfig) -> WorkerServiceProps:
    return WorkerServiceProps.model_construct(**_options(env, worker, WorkerOptions), **_placement(env, worker))


def scheduled_task_props(env: EnvConfig, task: ScheduledTaskConfig) -> ScheduledTaskProps:
    return ScheduledTaskProps.model_construct(**_options(env, task, ScheduledTaskOptions), **_placement(env, task))


def _options(env: EnvConfig, workload: BaseModel, options: type[BaseModel]) -> dict[str, Any]:
    """What the workload is, field for field; the env's permissions boundary unless the workload sets its own."""
    fields = {name: getattr(workload, name) for name in options.model_fields}
    fields["permissions_boundary_arn"] = fields["permissions_boundary_arn"] or env.permissions_boundary_arn
    return fields


def _placement(env: EnvConfig, workload: Workload) -> dict[str, Any]:
    """Where an env file's workload runs, its image, and the environment stack's cluster and log key it finds by
    name: a service on EC2 capacity creates its own cluster, a worker or a scheduled task always runs in the
    environment's. An env file names no task groups, and its existing roles get no grants (`prerequisites`)."""
    owned, names = env.environment_resources, EnvironmentNames(env.naming, env.account_id, env.region)
    cluster = None
    if not isinstance(workload, ServiceConfig) or (owned.clusters and not uses_ec2(workload)):
        cluster = ClusterReference.from_name(
            names.cluster(workload.cluster_name),
            region=env.region,
            account_id=env.account_id,
            exec_log_group_name=names.exec_log_group(workload.cluster_name) if owned.clusters else None,
        )
    return {
        "organization": env.organization,
        "environment": env.environment,
        "region": env.region,
        "account_id": env.account_id,
        "network": env.network,
        "image": workload_image(env, workload),
        "cluster": cluster,
        "kms_key_arn": env.kms_key_arn,
        "kms_key_alias": names.log_key_alias if owned.log_kms_key and env.kms_key_arn is None else None,
        "task_security_group_ids": None,
        "grant_existing_roles": False,
    }


def _web_environment_resources(env: EnvConfig, service: ServiceConfig) -> dict[str, object]:
    """What a service also finds of the environment stack's: its web ACL by name for an internet-facing ALB of the
    service's own, its access-log bucket (prefix: the service's name), its namespaces by name."""
    owned, names = env.environment_resources, EnvironmentNames(env.naming, env.account_id, env.region)
    own_alb = service.shared_alb is None
    access_logs = service.alb_access_logs
    if access_logs is None and owned.alb_access_logs and own_alb:
        access_logs = AlbAccessLogsConfig.model_construct(bucket=names.access_log_bucket, prefix=service.service_name)
    use_web_acl = owned.waf_web_acl and own_alb and not service.internal and service.waf_web_acl_arn is None
    return {
        "waf_web_acl_name": names.web_acl if use_web_acl else None,
        "alb_access_logs": access_logs,
        "existing_namespace": owned.namespaces,
    }
