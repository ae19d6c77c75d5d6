"""What must exist in the account before a workload's stack can apply, with the exact names our conventions
derive: the stack looks these up (data sources) or references them, and a plan fails naming the missing one."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..config import EnvConfig, ServiceConfig
from ..config.service_names import (
    ServiceNames,
    Workload,
    cluster_name,
    environment_stack_name,
    stack_name,
    uses_ec2,
    workload_image,
)
from ..config.workloads import ScheduledTaskConfig, WorkerConfig
from ..constructs.iam import Statement
from ..patterns.from_config import scheduled_task_props, web_service_props, worker_props
from ..patterns.permissions import (
    efs_grants,
    execution_role_statements,
    service_resources,
    task_role_statements,
)
from ..patterns.secrets import resolve_secrets
from ..patterns.worker_service import QUEUE_CONSUMER_ACTIONS
from ..props.environment_names import EnvironmentNames
from ..props.resource_names import ecr_repository_arn, log_group_arn


@dataclass(frozen=True)
class Prerequisite:
    kind: str
    name: str
    why: str


def service_prerequisites(env: EnvConfig, service: ServiceConfig) -> list[Prerequisite]:
    naming = env.naming
    names = ServiceNames(env, service)
    found = [
        Prerequisite("S3 bucket", env.state.bucket, "Terraform state (create it with the bootstrap command)"),
        *_network_prerequisites(env, service),
        Prerequisite("Route53 hosted zone", service.route53.hosted_zone_id, f"zone of {service.route53.domain_name}"),
    ]
    if names.certificate_arn:
        listener = (
            "the shared ALB's HTTPS listener, for the service's host name"
            if service.shared_alb
            else "the HTTPS listener"
        )
        found.append(
            Prerequisite("ACM certificate", names.certificate_arn, f"issued, in the env's region, for {listener}")
        )
    shared = service.shared_alb.load_balancer if service.shared_alb else None
    if shared is not None:
        environment = EnvironmentNames(naming, env.account_id, env.region)
        why = f"the environment stack's ({environment_stack_name(env)}), with its HTTPS listener and groups: apply it first"
        found.append(Prerequisite("ALB", environment.load_balancer(shared), why))
    elif not env.network.create_security_groups:
        for role in ("cloudfront", "private"):
            name = naming.alb_security_group(service.alb_name, role)
            found.append(Prerequisite("security group", name, f"ALB {role} group in {env.network.vpc_id}"))
    return found + _load_balancer_prerequisites(service) + _task_prerequisites(env, service)


def _cluster_source(env: EnvConfig, workload: Workload) -> str:
    """Who creates the cluster a worker or scheduled task runs in: the environment stack, a service's stack (which
    creates its own while environment_resources.clusters is false), or, when neither does, the user."""
    if env.environment_resources.clusters:
        return "the environment stack's cluster the tasks run in"
    for service in env.services:
        if service.cluster_name == workload.cluster_name:
            return f"created by the stack {stack_name(env, service)} (environment_resources.clusters is false)"
    return "an existing cluster the tasks run in: environment_resources.clusters is false and no service creates it"


def _load_balancer_prerequisites(service: ServiceConfig) -> list[Prerequisite]:
    """What the env file names for the service's own load balancer instead of the environment stack's: the
    environment's web ACL and log bucket are created before the service, a user's must exist already."""
    if service.shared_alb is not None:
        return []  # the shared ALB's owner logs and protects it
    found = []
    if service.alb_access_logs is not None:
        why = "the load balancer's access logs: SSE-S3, its policy lets the region's ELB log delivery write"
        found.append(Prerequisite("S3 bucket", service.alb_access_logs.bucket, why))
    if service.waf_web_acl_arn is not None and service.nlb is None:  # an NLB takes no web ACL
        found.append(Prerequisite("WAF web ACL", service.waf_web_acl_arn, "regional, associated with the ALB"))
    return found


def _network_prerequisites(env: EnvConfig, workload: Workload) -> list[Prerequisite]:
    """The VPC every security group and target group is created in, and each subnet the stack places something in:
    tasks in the private subnets (the public ones with assign_public_ip), a load balancer of the service's own in
    the public ones (the private ones when internal), EC2 capacity in the private ones."""
    network, places = env.network, dict[str, list[str]]()
    tasks_public = getattr(workload, "assign_public_ip", False)  # a scheduled task always runs in private subnets
    places["the tasks"] = network.public_subnet_ids if tasks_public else network.private_subnet_ids
    if isinstance(workload, ServiceConfig) and workload.shared_alb is None:
        internal = workload.internal
        places["the load balancer"] = network.private_subnet_ids if internal else network.public_subnet_ids
    if uses_ec2(workload) and env.ec2_capacity is not None:
        places["the EC2 capacity"] = network.private_subnet_ids
    found = [Prerequisite("VPC", network.vpc_id, "holds the security groups and target groups the stack creates")]
    for subnet in dict.fromkeys(s for subnets in places.values() for s in subnets):
        users = [what for what, subnets in places.items() if subnet in subnets]
        kind = "private" if subnet in network.private_subnet_ids else "public"
        found.append(Prerequisite("subnet", subnet, f"{kind}, in {network.vpc_id}: {' and '.join(users)}"))
    return found


def _key_prerequisites(env: EnvConfig) -> list[Prerequisite]:
    if env.kms_key_arn is None:
        return []  # AWS-owned keys, or the environment stack's log key (found by alias)
    why = "the log groups' key: its policy lets CloudWatch Logs of this account and region use it"
    return [Prerequisite("KMS key", env.kms_key_arn, why)]


def environment_prerequisites(env: EnvConfig) -> list[Prerequisite]:
    """The environment stack's: its state bucket, the bucket its ALB log bucket logs to, and for the ALBs it owns the
    network they sit in and the certificates their listeners serve."""
    owned, network = env.environment_resources, env.network
    found = [Prerequisite("S3 bucket", env.state.bucket, "Terraform state (create it with the bootstrap command)")]
    if owned.alb_access_logs and env.state.access_log_bucket:
        found.append(Prerequisite("S3 bucket", env.state.access_log_bucket, "server access logs of the ALB log bucket"))
    if owned.load_balancers:
        found.append(Prerequisite("VPC", network.vpc_id, "holds the environment's ALBs and their security groups"))
    subnets = {
        subnet: "private" if balancer.internal else "public"
        for balancer in owned.load_balancers
        for subnet in (network.private_subnet_ids if balancer.internal else network.public_subnet_ids)
    }
    found += [Prerequisite("subnet", s, f"{kind}, in {network.vpc_id}: the ALBs") for s, kind in subnets.items()]
    for balancer in owned.load_balancers:
        why = f"issued, in the env's region, for the HTTPS listener of the ALB {balancer.name!r}"
        found.append(Prerequisite("ACM certificate", balancer.certificate_arn, why))
    return found


def workload_prerequisites(env: EnvConfig, workload: Workload) -> list[Prerequisite]:
    """A service's, a worker's or a scheduled task's prerequisites."""
    if isinstance(workload, ServiceConfig):
        return service_prerequisites(env, workload)
    found = [
        Prerequisite("S3 bucket", env.state.bucket, "Terraform state (create it with the bootstrap command)"),
        *_network_prerequisites(env, workload),
        Prerequisite("ECS cluster", cluster_name(env, workload), _cluster_source(env, workload)),
    ]
    backlog = (
        workload.autoscaling.queue_backlog if isinstance(workload, WorkerConfig) and workload.autoscaling else None
    )
    if backlog:
        found.append(Prerequisite("SQS queue", backlog.queue_arn, "its backlog per task scales the worker"))
    if backlog and backlog.grant_consume and workload.task_role_arn:
        why = f"the task role consumes the queue: allow {', '.join(QUEUE_CONSUMER_ACTIONS)} on it"
        found.append(Prerequisite("IAM role", workload.task_role_arn, why))
    if isinstance(workload, ScheduledTaskConfig) and workload.dead_letter_queue_arn:
        found.append(Prerequisite("SQS queue", workload.dead_letter_queue_arn, "dead-letter queue of the schedule"))
    return found + _task_prerequisites(env, workload)


def _task_prerequisites(env: EnvConfig, service: Workload) -> list[Prerequisite]:
    """What any task reads: its image, secrets, EFS volumes and env files."""
    naming = env.naming
    found = _key_prerequisites(env)
    image = workload_image(env, service)
    if ecr_repository_arn(image):
        found.append(Prerequisite("ECR image", image, f"its repository policy lets account {env.account_id} pull"))
    secrets = resolve_secrets(service.parameters.secrets, naming, env.region, env.account_id)
    found += [Prerequisite("Secrets Manager secret", arn, "container secret") for arn in secrets.secret_arns]
    found += [
        Prerequisite("SSM parameter", arn.split(":parameter", 1)[1], "container secret (PARAM)")
        for arn in secrets.parameter_arns
    ]
    for volume in service.efs_config.volumes if service.efs_config else []:
        found.append(
            Prerequisite(
                "SSM parameter",
                naming.efs_file_system_parameter(volume.efs_parameter_key_suffix),
                f"EFS file system id of volume {volume.volume_name}",
            )
        )
        if volume.ap_parameter_key_suffix:
            found.append(
                Prerequisite(
                    "SSM parameter",
                    naming.efs_access_point_parameter(volume.ap_parameter_key_suffix),
                    f"EFS access point id of volume {volume.volume_name}",
                )
            )
    for base_name in dict.fromkeys(f.bucket_base_name for f in service.environment_files or []):
        found.append(
            Prerequisite(
                "SSM parameter",
                naming.env_file_bucket_parameter(base_name),
                f"name of the env-file bucket {base_name!r}",
            )
        )
    for env_file in service.environment_files or []:
        found.append(
            Prerequisite("S3 object", f"<{env_file.bucket_base_name}>/{env_file.file_path}", "environment file")
        )
    return found + existing_role_grants(env, service)


def existing_role_grants(env: EnvConfig, service: Workload) -> list[Prerequisite]:
    """The roles an env file names instead of created ones, each with every statement the stack would otherwise
    attach (an env file's stack adds no policy to a role it does not own). `<name>` stands for a value the stack
    reads from SSM at plan time."""
    props = _props(env, service)
    if props.execution_role_arn is None and props.task_role_arn is None:
        return []
    naming, files = env.naming, service.environment_files or []
    used = service_resources(
        props,
        app_secrets=resolve_secrets(service.parameters.secrets, naming, env.region, env.account_id),
        sidecar_secrets=[resolve_secrets(s.secrets, naming, env.region, env.account_id) for s in service.sidecars],
        log_group_arn=log_group_arn(env.region, env.account_id, props.names.log_group),
        environment_file_object_arns=[f"arn:aws:s3:::<{f.bucket_base_name}>/{f.file_path}" for f in files],
        environment_file_bucket_arns=[f"arn:aws:s3:::<{b}>" for b in dict.fromkeys(f.bucket_base_name for f in files)],
    )
    file_systems = {
        v.volume_name: f"arn:aws:elasticfilesystem:{env.region}:{env.account_id}:file-system/"
        f"<{naming.efs_file_system_parameter(v.efs_parameter_key_suffix)}>"
        for v in (service.efs_config.volumes if service.efs_config else [])
    }
    roles = [
        (props.execution_role_arn, "execution role", execution_role_statements(used)),
        (
            props.task_role_arn,
            "task role",
            task_role_statements(used) + [s for _, s in efs_grants(service.efs_config, file_systems)],
        ),
    ]
    found = []
    for arn, what, statements in roles:
        if arn is None:
            continue
        found.append(Prerequisite("IAM role", arn, f"the {what}: trusted by ecs-tasks.amazonaws.com, allowing:"))
        found += [Prerequisite("  IAM statement", s.sid, _allows(s)) for s in statements]
    return found


def _props(env: EnvConfig, workload: Workload) -> Any:
    if isinstance(workload, ServiceConfig):
        return web_service_props(env, workload)
    if isinstance(workload, WorkerConfig):
        return worker_props(env, workload)
    return scheduled_task_props(env, workload)


def _allows(statement: Statement) -> str:
    condition = f" if {json.dumps(statement.conditions, sort_keys=True)}" if statement.conditions else ""
    return f"{', '.join(sorted(statement.actions))} on {', '.join(statement.resources)}{condition}"
