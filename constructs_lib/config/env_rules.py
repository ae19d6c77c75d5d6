"""Rules of a whole env file that AWS enforces only at apply: tags, certificates of another region, two workload
stacks creating one cluster, two services claiming one priority on a shared listener. They read the raw input
like every cross-field rule (see base.py)."""

from __future__ import annotations

from typing import Any

from ..props.arns import listener_alb_name, parse_arn
from ..props.base import Problems, problem, show, typed
from ..props.environment_names import load_balancer_name
from ..props.limits import AWS_REGIONS, LIBRARY_TAG_KEYS, MAX_TAGS, TAG_KEY_MAX, TAG_VALUE_MAX
from ..props.naming import Naming
from .shared_load_balancers import load_balancer_problems
from .trust import environment_alb_names

TAG_PUNCTUATION = set(" _.:/=+-@")


def env_aws_rules(data: dict[str, Any]) -> Problems:
    services = [(i, s) for i, s in enumerate(typed(data, "services", list) or []) if isinstance(s, dict)]
    return [
        *tag_problems(typed(data, "tags", dict) or {}),
        *_certificate_regions(typed(data, "region", str), services),
        *_shared_clusters(services, env_owned=_env_owns_clusters(data)),
        *_headless_in_ec2_clusters(data, services),
        *_shared_listener_priorities(services, _naming(data), data),
        *load_balancer_problems(data),
    ]


def tag_problems(tags: dict[str, Any]) -> Problems:
    problems = []
    for key, value in tags.items():
        if not 1 <= len(key) <= TAG_KEY_MAX or not _tag_text(key):
            problems.append(
                problem(
                    ("tags", key),
                    f"the key is not a tag key; allowed: 1-{TAG_KEY_MAX} letters, digits, spaces and _.:/=+-@",
                )
            )
        elif key.lower().startswith("aws:"):
            problems.append(problem(("tags", key), "the key starts with 'aws:', which AWS reserves for its own tags"))
        if isinstance(value, str) and (len(value) > TAG_VALUE_MAX or not _tag_text(value)):
            problems.append(
                problem(
                    ("tags", key),
                    f"{show(value)} is not a tag value; allowed: 0-{TAG_VALUE_MAX} letters, digits, spaces and _.:/=+-@",
                    value,
                )
            )
    total = len(set(tags) | set(LIBRARY_TAG_KEYS))
    if total > MAX_TAGS:
        added = ", ".join(k for k in LIBRARY_TAG_KEYS if k not in tags)
        problems.append(
            problem(
                ("tags",),
                f"{len(tags)} tags, {total} with the stacks' own ({added}); allowed: at most {MAX_TAGS} per resource",
            )
        )
    return problems


def _tag_text(text: str) -> bool:
    return all(c.isalnum() or c in TAG_PUNCTUATION for c in text)


def _certificate_regions(region: str | None, services: list[tuple[int, dict[str, Any]]]) -> Problems:
    """An ALB listener takes only an ACM certificate of its own region (CloudFront's us-east-1 ones do not fit)."""
    problems = []
    for index, service in services:
        value = typed(service, "ssl_certificate_id", str) or ""
        arn = parse_arn(value)  # None for a certificate id (or a malformed ARN, which its field reports)
        if region in AWS_REGIONS and arn is not None and arn.region != region:
            problems.append(
                problem(
                    ("services", index, "ssl_certificate_id"),
                    f"the certificate is in {arn.region}, the services in {region}; an ALB takes a certificate of its own region",
                    value,
                )
            )
    return problems


def _env_owns_clusters(data: dict[str, Any]) -> bool:
    return typed(typed(data, "environment_resources", dict) or {}, "clusters", bool, True) is not False


def _uses_ec2(service: dict[str, Any]) -> bool:
    strategy = typed(service, "capacity_provider_strategy", list) or []
    return any(isinstance(i, dict) and i.get("capacity_provider") == "EC2" for i in strategy)


def _shared_clusters(services: list[tuple[int, dict[str, Any]]], *, env_owned: bool) -> Problems:
    """A service stack that creates its cluster (environment_resources.clusters off, or an EC2 capacity provider,
    which lives beside its cluster) must not share it: two stacks would create (and destroy) the same one."""
    seen: dict[str, int] = {}
    problems = []
    for index, service in services:
        name = typed(service, "cluster_name", str)
        if name is None:
            continue
        first = seen.setdefault(name, index)
        if first == index:
            continue
        other = services[[i for i, _ in services].index(first)][1]
        if not env_owned:
            reason = "each service stack creates its own cluster (environment_resources.clusters is false)"
        elif _uses_ec2(service) or _uses_ec2(other):
            reason = "a service on EC2 capacity creates its own cluster beside its instances"
        else:
            continue
        problems.append(
            problem(
                ("services", index, "cluster_name"),
                f"{name!r} is already the cluster of services[{first}]; {reason}, so give each service its own cluster_name",
                name,
            )
        )
    return problems


def _headless_in_ec2_clusters(data: dict[str, Any], services: list[tuple[int, dict[str, Any]]]) -> Problems:
    """The environment stack creates a cluster for every cluster_name of a worker or scheduled task; a service on
    EC2 capacity creates its cluster in its own stack. Both naming one cluster_name would make two stacks create
    (and destroy) the same cluster."""
    if not _env_owns_clusters(data):
        return []  # no environment cluster: the worker runs in an existing one (`prerequisites` lists it)
    ec2_clusters: dict[str, int] = {}
    for index, service in services:
        name = typed(service, "cluster_name", str)
        if name is not None and _uses_ec2(service):
            ec2_clusters.setdefault(name, index)
    problems = []
    for key, what in (("workers", "a worker"), ("scheduled_tasks", "a scheduled task")):
        for index, workload in enumerate(typed(data, key, list) or []):
            name = typed(workload, "cluster_name", str) if isinstance(workload, dict) else None
            if name in ec2_clusters:
                problems.append(
                    problem(
                        (key, index, "cluster_name"),
                        f"{name!r} is the cluster of services[{ec2_clusters[name]}], which creates it beside its EC2 "
                        f"instances; {what} runs in a cluster of the environment stack, so give it another cluster_name",
                        name,
                    )
                )
    return problems


def _naming(data: dict[str, Any]) -> Naming | None:
    organization, environment = typed(data, "organization", str), typed(data, "environment", str)
    return Naming(organization, environment) if organization and environment else None


def _shared_listener(service: dict[str, Any], naming: Naming | None, environment_albs: list[str]) -> str | None:
    """Which HTTPS listener a service's rules go on: the environment's ALB's (named in `load_balancer`, or by a
    listener ARN of it), else the listener ARN given."""
    shared = typed(service, "shared_alb", dict) or {}
    name, listener = typed(shared, "load_balancer", str), typed(shared, "listener_arn", str)
    if name is not None:
        return f"ALB {load_balancer_name(naming, name)}" if naming else None
    alb = listener_alb_name(listener) if listener else None
    return f"ALB {alb}" if alb is not None and alb in environment_albs else listener


def _shared_listener_priorities(
    services: list[tuple[int, dict[str, Any]]], naming: Naming | None, data: dict[str, Any]
) -> Problems:
    """Services on one shared listener: a priority is taken once across all of them (PriorityInUse)."""
    seen: dict[tuple[str, int], str] = {}
    problems = []
    environment_albs = environment_alb_names(naming, data) if naming else []
    for index, service in services:
        listener = _shared_listener(service, naming, environment_albs)
        for at, rule in enumerate(typed(service, "listener_rules", list) or []):
            priority = typed(rule, "priority", int) if isinstance(rule, dict) else None
            if listener is None or priority is None:
                continue
            here = f"services[{index}].listener_rules[{at}]"
            first = seen.setdefault((listener, priority), here)
            if first != here and not first.startswith(f"services[{index}]."):  # within a service: its own rule
                problems.append(
                    problem(
                        ("services", index, "listener_rules", at, "priority"),
                        f"{priority} is already the priority of {first} on the same shared_alb listener; each must be unique",
                        priority,
                    )
                )
    return problems
