"""Names two workloads would share after truncation and hashing: stacks, state keys, DNS records, AWS resources.

Within one env file the names differ by construction unless a cut name meets another one; across the files of
one run (`validate a.json b.json`), a copied file or a reused environment name makes two stacks claim one state key
and one set of AWS resources, and the second apply would take over or fail on the first's. Each claim is scoped
where AWS keeps the name unique (IAM: the account; most others: account and region; security groups: the VPC).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import location

if TYPE_CHECKING:
    from .env import EnvConfig

Location = tuple[Any, ...]


@dataclass(frozen=True)
class Collision:
    env_index: int  # the env (in the order given) whose workload claims a name already taken
    loc: Location  # its field
    message: str
    first_env_index: int


def collisions(envs: list[tuple[str, EnvConfig]]) -> list[Collision]:
    """Every name claimed a second time, by the later claimant; `envs` holds (file, env) in the order given."""
    first: dict[tuple[str, Any, str], tuple[int, Location]] = {}
    grouped: dict[tuple[int, Location, int, Location], list[str]] = {}
    for env_index, (_, env) in enumerate(envs):
        for owner, claims in _claimants(env):
            for kind, scope, name, field in claims:
                taken = first.setdefault((kind, scope, name), (env_index, owner))
                if taken != (env_index, owner):
                    grouped.setdefault((env_index, (*owner, field), *taken), []).append(f"{kind} {name!r}")
    found = []
    for (env_index, loc, first_env, first_owner), names in grouped.items():
        where = location(first_owner) if first_owner else "environment"  # the field that names the claimant
        where = where if first_env == env_index else f"{envs[first_env][0]} {where}"
        verb = "is" if len(names) == 1 else "are"
        advice = _ADVICE.get((loc[0], first_owner[0] if first_owner else "environment"), "each workload needs its own")
        found.append(
            Collision(env_index, loc, f"{', '.join(names)} {verb} already used by {where}; {advice}", first_env)
        )
    return found


_ADVICE = {  # (the later claimant's key, the first's) -> what to change
    ("services", "services"): "each service needs its own",
    ("environment", "environment"): "each env file of one run needs an environment of its own",
}


def _claimants(env: EnvConfig) -> list[tuple[Location, list[tuple[str, Any, str, str]]]]:
    """(where in the env file, its claims): the environment stack first, then each workload."""
    from .service_names import environment_stack_name, environment_stack_state_key

    environment = [
        ("stack", None, environment_stack_name(env), "environment"),
        ("state key", env.state.bucket, environment_stack_state_key(env), "environment"),
    ]
    lists = (("services", env.services), ("workers", env.workers), ("scheduled_tasks", env.scheduled_tasks))
    workloads = [((key, index), _claims(env, workload)) for key, items in lists for index, workload in enumerate(items)]
    return [((), environment), *workloads]


def _claims(env: EnvConfig, service: Any) -> list[tuple[str, Any, str, str]]:
    """(kind, where AWS keeps it unique, name, the field that decides it) of each name the workload's stack uses."""
    from .service import ServiceConfig
    from .service_names import ServiceNames, cluster_users, stack_name, state_key  # imports the config models

    if not isinstance(service, ServiceConfig):
        return _headless_claims(env, service)
    names = ServiceNames(env, service)
    region = (env.account_id, env.region)
    # A cluster the environment stack owns is claimed once, by its first service: the others share it.
    sharing = (cluster_users(env, service.cluster_name) or [service])[0] is not service
    claims = [
        ("stack", None, stack_name(env, service), "service_name"),
        ("state key", env.state.bucket, state_key(env, service), "service_name"),
        ("DNS name", None, names.fqdn, "alb_domain_prefix"),
        *([] if sharing else [("ECS cluster", region, names.cluster, "cluster_name")]),
        ("load balancer", region, names.load_balancer, "alb_name"),
        ("IAM role", env.account_id, names.execution_role, "service_name"),
        ("IAM role", env.account_id, names.task_role, "service_name"),
        ("log group", region, names.log_group, "service_name"),
        ("security group", (*region, env.network.vpc_id), names.tasks_security_group, "service_name"),
    ]
    claims += [("target group", region, tg, "service_name") for tg in (names.target_group, names.green_target_group)]
    if service.admin_public:
        claims.append(("target group", region, names.admin_target_group, "admin_port"))
    return claims


def _headless_claims(env: EnvConfig, workload: Any) -> list[tuple[str, Any, str, str]]:
    """A worker's or a scheduled task's: its stack, state, roles, log group and security group (and a scheduled
    task's schedule and scheduler role)."""
    from ..props.resource_names import scheduler_names, workload_names
    from .service_names import stack_name, state_key
    from .workloads import ScheduledTaskConfig

    names = workload_names(env.naming, workload.service_name)
    region = (env.account_id, env.region)
    claims = [
        ("stack", None, stack_name(env, workload), "service_name"),
        ("state key", env.state.bucket, state_key(env, workload), "service_name"),
        ("IAM role", env.account_id, names.execution_role, "service_name"),
        ("IAM role", env.account_id, names.task_role, "service_name"),
        ("log group", region, names.log_group, "service_name"),
        ("security group", (*region, env.network.vpc_id), names.tasks_security_group, "service_name"),
    ]
    if isinstance(workload, ScheduledTaskConfig):
        schedule, role = scheduler_names(env.naming, workload.service_name)
        claims += [("schedule", region, schedule, "service_name"), ("IAM role", env.account_id, role, "service_name")]
    return claims
