"""The env file: one environment of one organization, its account, network, state and services."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import Field

from ..props.arns import KMS_KEY, KMS_KEY_ARN, LISTENER_ARN
from ..props.base import Problems, StrictModel, problem, typed
from ..props.capacity import Ec2CapacityConfig
from ..props.iam import IAM_POLICY_ARN, own_account_problems
from ..props.limits import ALB_NAME_MAX, IMAGE_TAG_PATTERN, NAME_PART_PATTERN
from ..props.naming import Naming
from ..props.network import AccountId, NetworkConfig, Region
from .collisions import collisions
from .env_rules import env_aws_rules
from .environment_resources import EnvironmentResourcesConfig
from .policy import PolicyConfig, evaluate_policy
from .service import ServiceConfig
from .trust import trust_problems
from .workload_rules import workload_problems
from .workloads import ScheduledTaskConfig, WorkerConfig


class StateConfig(StrictModel):
    """Where Terraform keeps each stack's state: one key per environment and service."""

    bucket: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")] = Field(description="S3 state bucket.")
    region: Region = Field(description="Region of the state bucket.")
    key_prefix: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$")] = Field(
        default="ecs",
        description="State key is {key_prefix}/{environment}/{service_name}/terraform.tfstate. default: ecs",
    )
    kms_key_id: KMS_KEY | None = Field(
        default=None,
        description="KMS key (ARN, in the state region) encrypting state objects. default: the AWS-managed aws/s3 key",
    )
    access_log_bucket: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")] | None = Field(
        default=None, description="Existing bucket receiving the state bucket's server access logs. default: none"
    )


class EnvConfig(StrictModel):
    """One env file (envs/<environment>.json)."""

    schema_: str | None = Field(default=None, alias="$schema", description="JSON Schema reference for editors.")
    extends: str | None = Field(
        default=None,
        description="A base env file (relative path) whose keys this file overrides: objects merge, lists and values "
        "are replaced. default: none",
    )
    organization: Annotated[str, Field(pattern=NAME_PART_PATTERN, max_length=20)] = Field(
        description="Organization prefix of every name: {organization}-{environment}-{name}."
    )
    environment: Annotated[str, Field(pattern=NAME_PART_PATTERN, max_length=20)] = Field(
        description="Environment name (dev, prod, ...)."
    )
    account_id: AccountId = Field(description="12-digit AWS account id the services deploy to.")
    region: Region = Field(description="AWS region the services deploy to.")
    accounts: dict[str, AccountId] = Field(
        description="Environment name -> account id; holds the ECR source environment (e.g. devops)."
    )
    trusted_account_ids: list[AccountId] = Field(
        default_factory=list,
        description="Other accounts whose secrets, SSM parameters and KMS keys this env file may name by ARN (their "
        "resource policies must allow it too). default: none, every such ARN is of account_id",
    )
    trusted_listener_arns: list[LISTENER_ARN] = Field(
        default_factory=list,
        description="Listeners that shared_alb may attach listener rules to besides those of the ALBs this env "
        "file's services create. default: none",
    )
    app_version: Annotated[str, Field(pattern=IMAGE_TAG_PATTERN)] = Field(description="Image tag deployed.")
    network: NetworkConfig = Field(description="The existing VPC and subnets the services run in.")
    state: StateConfig = Field(description="The S3 bucket holding every stack's Terraform state.")
    tags: dict[str, str] = Field(default_factory=dict, description="Tags added to every resource. default: none")
    kms_key_arn: KMS_KEY_ARN | None = Field(
        default=None,
        description="Customer KMS key (exact ARN of the env's account and region) encrypting the log groups and the "
        "SSM parameters the stacks write, and the schedules of scheduled tasks (its policy must allow CloudWatch Logs "
        "and SSM; their scheduler roles get kms:Decrypt). default: AWS-managed "
        "encryption",
    )
    ec2_capacity: Ec2CapacityConfig | None = Field(
        default=None,
        description='EC2 instances as a capacity provider (capacity_provider "EC2" in a service\'s strategy). default: none',
    )
    permissions_boundary_arn: IAM_POLICY_ARN | None = Field(
        default=None,
        description="Managed policy set as the permissions boundary of every IAM role the stacks create; a service's "
        "own permissions_boundary_arn replaces it. default: none",
    )
    environment_resources: EnvironmentResourcesConfig = Field(
        default_factory=EnvironmentResourcesConfig,
        description="What the environment stack ({environment}-environment) owns for the services: clusters, "
        "namespaces, the log KMS key, the ALB access-log bucket, the WAF web ACL. default: all of them",
    )
    policy: PolicyConfig = Field(
        default_factory=PolicyConfig,
        description="Severity of each security rule. default: every rule a warning "
        "(public_task_ip: an error in prod and production)",
    )
    services: Annotated[list[ServiceConfig], Field(min_length=1)] = Field(
        description="The services of this environment."
    )
    workers: list[WorkerConfig] = Field(
        default_factory=list, description="Queue workers: ECS services with no load balancer. default: none"
    )
    scheduled_tasks: list[ScheduledTaskConfig] = Field(
        default_factory=list, description="Tasks EventBridge Scheduler runs on a schedule. default: none"
    )

    @classmethod
    def cross_field_rules(cls, data: dict[str, Any]) -> Problems:
        services = typed(data, "services", list) or []
        problems: Problems = trust_problems(data) + _unique_service_keys(services)
        for index, service in enumerate(services):
            if isinstance(service, dict):
                problems += _service_in_env_problems(data, index, service)
        account_id = typed(data, "account_id", str)
        problems += own_account_problems(data, account_id)
        for key in ("services", "workers", "scheduled_tasks"):
            for index, workload in enumerate(typed(data, key, list) or []):
                if isinstance(workload, dict):
                    problems += own_account_problems(workload, account_id, (key, index))
        return problems + env_aws_rules(data) + workload_problems(data)

    def model_rules(self) -> Problems:
        """Names two services would share once cut to AWS limits, and the policy rules set to `error`: they need
        the whole environment (production-like or not), and hold for `EnvConfig(...)` as for an env file."""
        problems = [problem(found.loc, found.message) for found in collisions([("", self)])]
        return problems + [
            problem(_location(finding.path), f"error: {finding.message} (policy.{finding.rule})")
            for finding in evaluate_policy(self)
            if finding.severity == "error"
        ]

    @property
    def naming(self) -> Naming:
        return Naming(self.organization, self.environment)

    @property
    def workloads(self) -> list[ServiceConfig | WorkerConfig | ScheduledTaskConfig]:
        """Every workload of the file, one stack each: services, then workers, then scheduled tasks."""
        return [*self.services, *self.workers, *self.scheduled_tasks]


def _location(path: str) -> tuple[str | int, ...]:
    """`services[0].waf_web_acl_arn` (a policy finding's path) as a validation error location."""
    return tuple(int(index) if index else key for index, key in re.findall(r"\[(\d+)\]|([^.\[\]]+)", path))


def _unique_service_keys(services: list[Any]) -> Problems:
    """Two services with one `service_name` or `alb_name` would share every AWS name derived from it."""
    problems: Problems = []
    for key in ("service_name", "alb_name"):
        first_seen: dict[str, int] = {}
        for index, service in enumerate(services):
            value = typed(service, key, str) if isinstance(service, dict) else None
            if value is None:
                continue
            first = first_seen.setdefault(value, index)
            if first != index:
                problems.append(
                    problem(
                        ("services", index, key),
                        f"{value!r} is already used by services[{first}]; each service needs its own",
                        value,
                    )
                )
    return problems


def _service_in_env_problems(data: dict[str, Any], index: int, service: dict[str, Any]) -> Problems:
    """A service's keys that need the env's top level to check: EC2 capacity, the ECR source account, and the names
    built from the organization and environment."""
    problems: Problems = []
    strategy = typed(service, "capacity_provider_strategy", list) or []
    if (
        any(isinstance(i, dict) and i.get("capacity_provider") == "EC2" for i in strategy)
        and data.get("ec2_capacity") is None
    ):
        problems.append(
            problem(
                ("services", index, "capacity_provider_strategy"),
                "EC2 needs the env's ec2_capacity: set ec2_capacity at the top level",
            )
        )
    accounts = typed(data, "accounts", dict)
    source_env = typed(service, "ecr_repo_source_env", str, "devops")
    if (
        accounts is not None
        and service.get("ecr_repo_base_name") is not None
        and source_env is not None
        and source_env not in accounts
    ):
        allowed = ", ".join(repr(k) for k in accounts) or "none"
        problems.append(
            problem(
                ("services", index, "ecr_repo_source_env"),
                f"{source_env!r} is not a key of accounts; allowed: {allowed}",
                source_env,
            )
        )
    organization, environment = typed(data, "organization", str), typed(data, "environment", str)
    if organization and environment:
        naming = Naming(organization, environment)
        problems += [
            problem(("services", index, field), message) for field, message in _name_limit_problems(naming, service)
        ]
    return problems


def _name_limit_problems(naming: Naming, service: dict[str, Any]) -> list[tuple[str, str]]:
    """Names that no truncation can make valid: AWS reserves prefixes, and DNS names have hard limits."""
    problems = []
    alb_name = typed(service, "alb_name", str)
    if alb_name is not None and naming.resource(alb_name, ALB_NAME_MAX).startswith("internal-"):
        alb = naming.resource(alb_name, ALB_NAME_MAX)
        problems.append(
            (
                "alb_name",
                f"{alb!r} starts with 'internal-', which AWS reserves for internal ALBs' DNS names; change organization or environment",
            )
        )
    prefix, route53 = typed(service, "alb_domain_prefix", str), typed(service, "route53", dict)
    domain = typed(route53, "domain_name", str) if route53 is not None else None
    if prefix is not None and domain is not None:
        fqdn = f"{prefix}.{domain}"
        if len(fqdn) > 253 or any(len(label) > 63 for label in fqdn.split(".")):
            problems.append(("alb_domain_prefix", f"{fqdn!r} exceeds DNS limits (253 characters, 63 per label)"))
    if naming.prefix.startswith("sg-"):
        problems.append(
            ("service_name", f"security group names would start with 'sg-' ({naming.prefix!r}), which AWS reserves")
        )
    return problems
