"""Every AWS name one workload (web service, worker, scheduled task) derives from its props, by the conventions the README documents.

One derivation for both front ends: `config.service_names.ServiceNames` (an env file's service, also read by the
collision check, `prerequisites` and `diagram`) and `WebService` (props given in Python) call `derive_names`, so a
name in a plan is always the name the checks saw.
"""

from __future__ import annotations

from dataclasses import dataclass

from .environment_names import EnvironmentNames, load_balancer_name
from .limits import ECS_NAME_MAX, IAM_ROLE_NAME_MAX, SCHEDULE_NAME_MAX, TARGET_GROUP_NAME_MAX
from .naming import Naming, fit, short_hash


@dataclass(frozen=True)
class ResourceNames:
    service: str
    cluster: str
    load_balancer: str
    target_group: str
    admin_target_group: str
    green_target_group: str
    execution_role: str
    task_role: str
    tasks_security_group: str
    log_group: str


@dataclass(frozen=True)
class WorkloadNames:
    """The names every Fargate workload has: its ECS service or task family, roles, security group and logs."""

    service: str
    execution_role: str
    task_role: str
    tasks_security_group: str
    log_group: str


def workload_names(naming: Naming, service_name: str) -> WorkloadNames:
    return WorkloadNames(
        service=naming.resource(service_name, ECS_NAME_MAX),
        execution_role=naming.resource(f"{service_name}-execution", IAM_ROLE_NAME_MAX),
        task_role=naming.resource(f"{service_name}-task", IAM_ROLE_NAME_MAX),
        tasks_security_group=naming.resource(f"{service_name}-tasks", 200),
        log_group=naming.log_group(service_name),
    )


def scheduler_names(naming: Naming, service_name: str) -> tuple[str, str]:
    """A scheduled task's EventBridge schedule (at most 64 characters) and the role the scheduler assumes."""
    return naming.resource(service_name, SCHEDULE_NAME_MAX), naming.resource(
        f"{service_name}-scheduler", IAM_ROLE_NAME_MAX
    )


def target_group_name(
    naming: Naming,
    service_name: str,
    vpc_id: str,
    port: int,
    role: str = "",
    protocol_version: str | None = None,
    protocol: str = "HTTP",
) -> str:
    """`{prefix}-{service}[-{role}]` cut to fit, plus a hash of what forces a replacement (port, protocol, target
    type, VPC, protocol version when set): a replacement target group always has a new name."""
    key: tuple[object, ...] = (port, protocol, "ip", vpc_id) if not role else (role, port, protocol, "ip", vpc_id)
    key += (protocol_version,) if protocol_version else ()
    base = f"{naming.prefix}-{service_name}" + (f"-{role}" if role else "")
    return f"{fit(base, TARGET_GROUP_NAME_MAX - 5)}-{short_hash(*key, length=4)}"


def derive_names(
    environment: EnvironmentNames,
    *,
    service_name: str,
    cluster_name: str,
    alb_name: str,
    vpc_id: str,
    application_port: int,
    admin_port: int | None,
    protocol_version: str | None = None,
    protocol: str = "HTTP",
) -> ResourceNames:
    """A web service's names. Its cluster is the environment's (`EnvironmentNames.cluster`): the one rule by which
    the environment stack creates it and the service stack finds it."""
    naming = environment.naming

    def target_group(role: str = "", port: int | None = None) -> str:
        port = application_port if port is None else port
        return target_group_name(naming, service_name, vpc_id, port, role, protocol_version, protocol)

    workload = workload_names(naming, service_name)
    return ResourceNames(
        service=workload.service,
        cluster=environment.cluster(cluster_name),
        load_balancer=load_balancer_name(naming, alb_name),
        target_group=target_group(),
        admin_target_group=target_group("admin", admin_port),
        green_target_group=target_group("green"),
        execution_role=workload.execution_role,
        task_role=workload.task_role,
        tasks_security_group=workload.tasks_security_group,
        log_group=workload.log_group,
    )


def ecr_repository_arn(image: str) -> str | None:
    """The ECR repository an image reference pulls from (`<account>.dkr.ecr.<region>.amazonaws.com/<repo>:<tag>`),
    so the execution role may pull exactly it; None for other registries."""
    host, _, path = image.partition("/")
    parts = host.split(".")
    if len(parts) != 6 or parts[1:3] != ["dkr", "ecr"] or parts[4:] != ["amazonaws", "com"] or not path:
        return None
    path = path.split("@")[0]
    head, _, last = path.rpartition("/")
    repository = (f"{head}/" if head else "") + last.split(":")[0]
    return f"arn:aws:ecr:{parts[3]}:{parts[0]}:repository/{repository}"


def iam_db_user_arn(region: str, account_id: str, service_name: str) -> str:
    """`rds-db:connect` as the database user named after the service; `*` for the database's resource id, which
    neither an env file nor the props name."""
    return f"arn:aws:rds-db:{region}:{account_id}:dbuser:*/{service_name}"


def log_group_arn(region: str, account_id: str, name: str) -> str:
    """A log group's ARN, derived from its name (IAM statements use it without reading the resource)."""
    return f"arn:aws:logs:{region}:{account_id}:log-group:{name}"
