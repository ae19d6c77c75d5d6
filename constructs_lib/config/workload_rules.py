"""Rules across an env file's services, workers and scheduled tasks: each is a stack named
`<environment>-<service_name>` with the state key `.../<environment>/<service_name>/...`, so one name is one
workload of the file, and `environment` is the environment stack's."""

from __future__ import annotations

from typing import Any

from ..props.base import Problems, problem, typed

WORKLOAD_LISTS = ("services", "workers", "scheduled_tasks")
ENVIRONMENT_STACK = "environment"  # the stack {environment}-environment: no workload may take the name


def workload_problems(data: dict[str, Any]) -> Problems:
    return _name_problems(data) + _image_source_problems(data)


def _workloads(data: dict[str, Any], lists: tuple[str, ...] = WORKLOAD_LISTS) -> list[tuple[str, int, dict[str, Any]]]:
    return [
        (key, index, item)
        for key in lists
        for index, item in enumerate(typed(data, key, list) or [])
        if isinstance(item, dict)
    ]


def _name_problems(data: dict[str, Any]) -> Problems:
    problems: Problems = []
    first_seen: dict[str, tuple[str, int]] = {}
    for key, index, workload in _workloads(data):
        name = typed(workload, "service_name", str)
        if name is None:
            continue
        if name == ENVIRONMENT_STACK:
            stack = f"{typed(data, 'environment', str)}-{ENVIRONMENT_STACK}"
            problems.append(
                problem(
                    (key, index, "service_name"),
                    f"{name!r} names the environment stack ({stack}); choose another service_name",
                    name,
                )
            )
            continue
        first = first_seen.setdefault(name, (key, index))
        both_services = first[0] == key == "services"  # env.py reports those, as it always did
        if first != (key, index) and not both_services:
            problems.append(
                problem(
                    (key, index, "service_name"),
                    f"{name!r} is already used by {first[0]}[{first[1]}]; services, workers and scheduled tasks each need their own name",
                    name,
                )
            )
    return problems


def _image_source_problems(data: dict[str, Any]) -> Problems:
    """A worker's or scheduled task's ECR source environment must be a key of accounts (services: env.py)."""
    accounts = typed(data, "accounts", dict)
    if accounts is None:
        return []
    problems = []
    for key, index, workload in _workloads(data, ("workers", "scheduled_tasks")):
        source_env = typed(workload, "ecr_repo_source_env", str, "devops")
        if workload.get("ecr_repo_base_name") is not None and source_env is not None and source_env not in accounts:
            allowed = ", ".join(repr(k) for k in accounts) or "none"
            problems.append(
                problem(
                    (key, index, "ecr_repo_source_env"),
                    f"{source_env!r} is not a key of accounts; allowed: {allowed}",
                    source_env,
                )
            )
    return problems
