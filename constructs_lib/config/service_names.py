"""Every name and ARN one service derives by the conventions the README documents (pure: no cdktf)."""

from __future__ import annotations

from ..props.resource_names import derive_names, ecr_repository_arn, iam_db_user_arn
from .env import ENVIRONMENT_STACK, EnvConfig
from .service import ServiceConfig


def stack_name(env: EnvConfig, service: ServiceConfig) -> str:
    return f"{env.environment}-{service.service_name}"


def bootstrap_stack_name(env: EnvConfig) -> str:
    return f"bootstrap-{env.environment}"


def state_key(env: EnvConfig, service: ServiceConfig) -> str:
    return f"{env.state.key_prefix}/{env.environment}/{service.service_name}/terraform.tfstate"


def environment_stack_name(env: EnvConfig) -> str:
    return f"{env.environment}-{ENVIRONMENT_STACK}"


def environment_stack_state_key(env: EnvConfig) -> str:
    return f"{env.state.key_prefix}/{env.environment}/{ENVIRONMENT_STACK}/terraform.tfstate"


def uses_ec2(service: ServiceConfig) -> bool:
    """An EC2 capacity provider lives beside its cluster, so such a service keeps a cluster of its own."""
    return any(i.capacity_provider == "EC2" for i in service.capacity_provider_strategy or [])


def owned_clusters(env: EnvConfig) -> dict[str, list[ServiceConfig]]:
    """cluster_name -> its services, for the clusters the environment stack owns."""
    if not env.environment_resources.clusters:
        return {}
    users: dict[str, list[ServiceConfig]] = {}
    for service in env.services:
        if not uses_ec2(service):
            users.setdefault(service.cluster_name, []).append(service)
    return users


def owned_namespaces(env: EnvConfig) -> list[str]:
    """The Service Connect namespaces that services name (not those given by ARN), in first-use order."""
    if not env.environment_resources.namespaces:
        return []
    names = [s.service_connect.namespace for s in env.services if s.service_connect]
    return list(dict.fromkeys(n for n in names if not n.startswith("arn:")))


class ServiceNames:
    """Every name of one service of an env file: the props' names (`derive_names`) and what the env file names by
    convention (domain, certificate, image)."""

    def __init__(self, env: EnvConfig, service: ServiceConfig):
        names = derive_names(
            env.naming, service_name=service.service_name, cluster_name=service.cluster_name,
            alb_name=service.alb_name, vpc_id=env.network.vpc_id, application_port=service.application_port,
            admin_port=service.admin_port, protocol_version=service.protocol_version,
            protocol=service.target_group_protocol,
        )
        self.service, self.cluster, self.load_balancer = names.service, names.cluster, names.load_balancer
        self.target_group, self.admin_target_group = names.target_group, names.admin_target_group
        self.green_target_group, self.execution_role, self.task_role = (
            names.green_target_group, names.execution_role, names.task_role
        )
        self.tasks_security_group, self.log_group = names.tasks_security_group, names.log_group
        self.fqdn = f"{service.alb_domain_prefix}.{service.route53.domain_name}"
        certificate = service.ssl_certificate_id
        self.certificate_arn: str | None = (
            None
            if certificate is None
            else certificate
            if certificate.startswith("arn:")
            else f"arn:aws:acm:{env.region}:{env.account_id}:certificate/{certificate}"
        )
        self.iam_db_user_arn = iam_db_user_arn(env.region, env.account_id, service.service_name) if service.use_iam_authentication else None
        if service.ecr_repo_base_name is not None:
            account = env.accounts[service.ecr_repo_source_env]
            repository = env.naming.ecr_repository(service.ecr_repo_source_env, service.ecr_repo_base_name)
            self.image = f"{account}.dkr.ecr.{env.region}.amazonaws.com/{repository}:{env.app_version}"
        else:
            assert service.container_repo is not None  # exactly one image source, checked by ServiceConfig
            self.image = service.container_repo
        self.image_repository_arn = ecr_repository_arn(self.image)
