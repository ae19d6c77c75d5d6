"""Every name and ARN one workload (service, worker, scheduled task) derives by the conventions the README
documents (pure: no cdktf)."""

from __future__ import annotations

from ..props.environment_names import EnvironmentNames
from ..props.resource_names import derive_names, ecr_repository_arn, iam_db_user_arn
from .env import EnvConfig
from .service import ServiceConfig
from .workload_conventions import WorkloadConventions
from .workload_rules import ENVIRONMENT_STACK
from .workloads import ScheduledTaskConfig, WorkerConfig

Workload = ServiceConfig | WorkerConfig | ScheduledTaskConfig


def workload_image(env: EnvConfig, workload: WorkloadConventions) -> str:
    """The image a workload runs: its ECR repository at the env's app_version, or container_repo verbatim."""
    if workload.ecr_repo_base_name is not None:
        account = env.accounts[workload.ecr_repo_source_env]
        repository = env.naming.ecr_repository(workload.ecr_repo_source_env, workload.ecr_repo_base_name)
        return f"{account}.dkr.ecr.{env.region}.amazonaws.com/{repository}:{env.app_version}"
    assert workload.container_repo is not None  # exactly one image source, checked by WorkloadConventions
    return workload.container_repo


def cluster_name(env: EnvConfig, workload: WorkloadConventions) -> str:
    """The environment's cluster a workload names: {organization}-{environment}-{cluster_name}."""
    return EnvironmentNames(env.naming, env.account_id, env.region).cluster(workload.cluster_name)


def stack_name(env: EnvConfig, service: Workload) -> str:
    return f"{env.environment}-{service.service_name}"


def bootstrap_stack_name(env: EnvConfig) -> str:
    return f"bootstrap-{env.environment}"


def state_key(env: EnvConfig, service: Workload) -> str:
    return f"{env.state.key_prefix}/{env.environment}/{service.service_name}/terraform.tfstate"


def environment_stack_name(env: EnvConfig) -> str:
    return f"{env.environment}-{ENVIRONMENT_STACK}"


def environment_stack_state_key(env: EnvConfig) -> str:
    return f"{env.state.key_prefix}/{env.environment}/{ENVIRONMENT_STACK}/terraform.tfstate"


def uses_ec2(workload: Workload) -> bool:
    """An EC2 capacity provider lives beside its cluster, so such a workload keeps a cluster of its own."""
    return any(i.capacity_provider == "EC2" for i in workload.capacity_provider_strategy or [])


def owned_clusters(env: EnvConfig) -> dict[str, list[Workload]]:
    """cluster_name -> its workloads (services, workers, scheduled tasks), for the clusters the environment stack
    owns."""
    if not env.environment_resources.clusters:
        return {}
    users: dict[str, list[Workload]] = {}
    for workload in env.workloads:
        if not uses_ec2(workload):
            users.setdefault(workload.cluster_name, []).append(workload)
    return users


def cluster_users(env: EnvConfig, cluster_name: str) -> list[Workload]:
    """`owned_clusters(env).get(cluster_name, [])`, without grouping every workload: asked once per workload, the
    grouping made validation and synth quadratic in the number of services (0.6 s at 600 services)."""
    if not env.environment_resources.clusters:
        return []
    return [w for w in env.workloads if w.cluster_name == cluster_name and not uses_ec2(w)]


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
            EnvironmentNames(env.naming, env.account_id, env.region),
            service_name=service.service_name,
            cluster_name=service.cluster_name,
            alb_name=service.alb_name,
            vpc_id=env.network.vpc_id,
            application_port=service.application_port,
            admin_port=service.admin_port,
            protocol_version=service.protocol_version,
            protocol=service.target_group_protocol,
        )
        self.service, self.cluster, self.load_balancer = names.service, names.cluster, names.load_balancer
        self.target_group, self.admin_target_group = names.target_group, names.admin_target_group
        self.green_target_group, self.execution_role, self.task_role = (
            names.green_target_group,
            names.execution_role,
            names.task_role,
        )
        self.tasks_security_group, self.log_group = names.tasks_security_group, names.log_group
        self.fqdn = f"{service.alb_domain_prefix}.{service.route53.domain_name}"
        self.certificate_arn = _listener_certificate(env, service)
        self.iam_db_user_arn = (
            iam_db_user_arn(env.region, env.account_id, service.service_name)
            if service.use_iam_authentication
            else None
        )
        self.image = workload_image(env, service)
        self.image_repository_arn = ecr_repository_arn(self.image)


def _listener_certificate(env: EnvConfig, service: ServiceConfig) -> str | None:
    """The ARN of the certificate the service's listener presents (an id is of the env's account and region). On one
    of the environment's ALBs, none when it is that ALB's own certificate, which its listener presents already."""
    certificate = service.ssl_certificate_id
    if certificate is not None and not certificate.startswith("arn:"):
        certificate = f"arn:aws:acm:{env.region}:{env.account_id}:certificate/{certificate}"
    shared = service.shared_alb.load_balancer if service.shared_alb else None
    albs = {alb.name: alb.certificate_arn for alb in env.environment_resources.load_balancers}
    return None if shared is not None and albs.get(shared) == certificate else certificate
