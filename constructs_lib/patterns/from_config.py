"""Env file -> props: an env file's workload compiled into the props a Python caller would write.

The one path from config to constructs: what a workload is (`ServiceOptions`, `WorkerOptions`,
`ScheduledTaskOptions`) is copied field for field; what the env file names by convention (cluster, ALB, domain,
image, certificate) is resolved by `config.service_names`, the same derivation `validate`, `prerequisites` and
the collision check read. Built from models that are valid already: not validated again (and so never re-reading
text that literal.py escaped as if it were the user's).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from ..config import EnvConfig, ServiceConfig
from ..config.service_names import ServiceNames, cluster_name, workload_image
from ..config.workloads import ScheduledTaskConfig, WorkerConfig, WorkloadConventions
from ..constructs.cluster import ClusterReference
from ..props.network import Domain
from ..props.scheduled_task import ScheduledTaskOptions
from ..props.service import ServiceOptions
from ..props.worker import WorkerOptions
from .headless_props import ScheduledTaskProps, WorkerServiceProps
from .web_service_props import WebServiceProps


def web_service_props(env: EnvConfig, service: ServiceConfig) -> WebServiceProps:
    names = ServiceNames(env, service)
    return WebServiceProps.model_construct(
        **_options(service, ServiceOptions),
        **_placement(env, service, cluster=None),
        domain=Domain.model_construct(zone_id=service.route53.hosted_zone_id, name=names.fqdn),
        certificate_arn=names.certificate_arn,
        cluster_name=service.cluster_name,
        alb_name=service.alb_name,
        cloudfront_prefix_list_id=service.eu_west_cloudront_prefix_list_id,
        ec2_capacity=env.ec2_capacity,
    )


def worker_props(env: EnvConfig, worker: WorkerConfig) -> WorkerServiceProps:
    return WorkerServiceProps.model_construct(
        **_options(worker, WorkerOptions), **_placement(env, worker, cluster=_environment_cluster(env, worker))
    )


def scheduled_task_props(env: EnvConfig, task: ScheduledTaskConfig) -> ScheduledTaskProps:
    return ScheduledTaskProps.model_construct(
        **_options(task, ScheduledTaskOptions), **_placement(env, task, cluster=_environment_cluster(env, task))
    )


def _options(workload: BaseModel, options: type[BaseModel]) -> dict[str, Any]:
    return {name: getattr(workload, name) for name in options.model_fields}


def _placement(env: EnvConfig, workload: WorkloadConventions, *, cluster: ClusterReference | None) -> dict[str, Any]:
    """Where an env file's workload runs and its image; an env file names no existing roles or task groups."""
    return {
        "organization": env.organization,
        "environment": env.environment,
        "region": env.region,
        "account_id": env.account_id,
        "network": env.network,
        "image": workload_image(env, workload),
        "cluster": cluster,
        "kms_key_arn": env.kms_key_arn,
        "execution_role_arn": None,
        "task_role_arn": None,
        "task_security_group_ids": None,
    }


def _environment_cluster(env: EnvConfig, workload: WorkloadConventions) -> ClusterReference:
    """The environment stack's cluster, by its deterministic name: no state of another stack is read."""
    return ClusterReference.from_name(cluster_name(env, workload), region=env.region, account_id=env.account_id)
