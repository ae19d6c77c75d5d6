"""Every name and ARN one service derives by the conventions the README documents (pure: no cdktf)."""

from __future__ import annotations

from .env import EnvConfig
from .service import ServiceConfig
from ..props.limits import ECS_NAME_MAX, IAM_ROLE_NAME_MAX, TARGET_GROUP_NAME_MAX
from .trust import load_balancer_name
from ..props.naming import fit, short_hash


def stack_name(env: EnvConfig, service: ServiceConfig) -> str:
    return f"{env.environment}-{service.service_name}"


def bootstrap_stack_name(env: EnvConfig) -> str:
    return f"bootstrap-{env.environment}"


def state_key(env: EnvConfig, service: ServiceConfig) -> str:
    return f"{env.state.key_prefix}/{env.environment}/{service.service_name}/terraform.tfstate"


class ServiceNames:
    """Every name of one service, derived once by the conventions the README documents."""

    def __init__(self, env: EnvConfig, service: ServiceConfig):
        naming = env.naming
        self.service = naming.resource(service.service_name, ECS_NAME_MAX)
        self.cluster = naming.resource(service.cluster_name, ECS_NAME_MAX)
        self.load_balancer = load_balancer_name(naming, service.alb_name)
        self.target_group = _target_group_name(env, service)
        self.admin_target_group = _target_group_name(env, service, "admin", service.admin_port)
        self.green_target_group = _target_group_name(env, service, "green")
        self.execution_role = naming.resource(f"{service.service_name}-execution", IAM_ROLE_NAME_MAX)
        self.task_role = naming.resource(f"{service.service_name}-task", IAM_ROLE_NAME_MAX)
        self.tasks_security_group = naming.resource(f"{service.service_name}-tasks", 200)
        self.log_group = naming.log_group(service.service_name)
        self.fqdn = f"{service.alb_domain_prefix}.{service.route53.domain_name}"
        certificate = service.ssl_certificate_id
        self.certificate_arn: str | None = (
            None
            if certificate is None
            else certificate
            if certificate.startswith("arn:")
            else f"arn:aws:acm:{env.region}:{env.account_id}:certificate/{certificate}"
        )
        # `*` for the database's resource id, which the env file does not name; the user is the service's own.
        self.iam_db_user_arn = (
            f"arn:aws:rds-db:{env.region}:{env.account_id}:dbuser:*/{service.service_name}"
            if service.use_iam_authentication
            else None
        )
        if service.ecr_repo_base_name is not None:
            account = env.accounts[service.ecr_repo_source_env]
            repository = naming.ecr_repository(service.ecr_repo_source_env, service.ecr_repo_base_name)
            self.image = f"{account}.dkr.ecr.{env.region}.amazonaws.com/{repository}:{env.app_version}"
            self.image_repository_arn: str | None = f"arn:aws:ecr:{env.region}:{account}:repository/{repository}"
        else:
            assert service.container_repo is not None  # exactly one image source, checked by ServiceConfig
            self.image = service.container_repo
            self.image_repository_arn = None


def _target_group_name(env: EnvConfig, service: ServiceConfig, role: str = "", port: int | None = None) -> str:
    """`{prefix}-{service}[-{role}]` cut to fit, plus a hash of what forces a replacement (port, protocol, target
    type, VPC): a replacement target group always has a new name."""
    port = service.application_port if port is None else port
    key = (port, "HTTP", "ip", env.network.vpc_id) if not role else (role, port, "HTTP", "ip", env.network.vpc_id)
    base = f"{env.naming.prefix}-{service.service_name}" + (f"-{role}" if role else "")
    return f"{fit(base, TARGET_GROUP_NAME_MAX - 5)}-{short_hash(*key, length=4)}"
