"""Rules between a task's own keys (`TaskOptions`: every workload's): log routing, platform, capacity providers
and container names."""

from __future__ import annotations

from typing import Any

from .base import Problems, problem, typed


def task_rules(data: dict[str, Any]) -> Problems:
    """Rules between the task's own keys: log routing, platform, capacity and container names."""
    problems = []
    log_driver = typed(data, "log_driver", dict) or {}
    if log_driver.get("name") == "awsfirelens" and data.get("firelens") is None:
        problems.append(
            problem(
                ("log_driver", "name"),
                "awsfirelens needs the firelens log router: set firelens",
            )
        )
    os_family = typed(data, "operating_system_family", str, "LINUX")
    if (
        os_family
        and os_family != "LINUX"
        and (data.get("efs_config") or typed(data, "cpu_architecture", str) == "ARM64")
    ):
        problems.append(
            problem(
                ("operating_system_family",),
                f"{os_family!r} supports neither EFS volumes nor ARM64 on Fargate",
                os_family,
            )
        )
    providers = [
        i.get("capacity_provider") for i in typed(data, "capacity_provider_strategy", list) or [] if isinstance(i, dict)
    ]
    if "EC2" in providers and any(p in ("FARGATE", "FARGATE_SPOT") for p in providers):
        problems.append(
            problem(
                ("capacity_provider_strategy",),
                "ECS cannot mix EC2 with FARGATE or FARGATE_SPOT in one strategy",
            )
        )
    unknown = [p for p in providers if isinstance(p, str) and p not in ("EC2", "FARGATE", "FARGATE_SPOT")]
    for provider in unknown:
        problems.append(
            problem(
                ("capacity_provider_strategy",),
                f"{provider!r} is not a capacity provider here; allowed: FARGATE, FARGATE_SPOT, EC2",
                provider,
            )
        )
    names = [typed(s, "name", str) for s in typed(data, "sidecars", list) or [] if isinstance(s, dict)]
    reserved = {typed(data, "service_name", str), "xray-daemon", "log-router"}
    for index, name in enumerate(names):
        if name in reserved or names.index(name) != index:
            problems.append(
                problem(
                    ("sidecars", index, "name"),
                    f"{name!r} is already a container of the task; names must be unique",
                    name,
                )
            )
    return problems
