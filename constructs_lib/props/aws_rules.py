"""Rules of one service that AWS enforces only at apply: duplicate listener priorities, container ports and mount
paths, capacity provider strategies ECS refuses, log drivers Fargate lacks. Each reads the raw input like every
cross-field rule (see base.py), so a file with other problems still reports these."""

from __future__ import annotations

from typing import Any

from .base import Problems, problem, typed
from .limits import FARGATE_LOG_DRIVERS


def service_aws_rules(data: dict[str, Any]) -> Problems:
    return [
        *_listener_priorities(data),
        *_container_ports(data),
        *_mount_paths(data),
        *_capacity_strategy(data),
        *_log_drivers(data),
        *_ebs_volume(data),
    ]


def runs_on_ec2(data: dict[str, Any]) -> bool:
    """The service's strategy names the EC2 capacity provider: Fargate's limits do not apply."""
    return any(item.get("capacity_provider") == "EC2" for _, item in _dicts(data, "capacity_provider_strategy"))


def _dicts(data: dict[str, Any], key: str) -> list[tuple[int, dict[str, Any]]]:
    return [(index, item) for index, item in enumerate(typed(data, key, list) or []) if isinstance(item, dict)]


def _first_seen(items: list[tuple[tuple[Any, ...], Any, str]], what: str) -> Problems:
    """A problem at each location whose value an earlier item (described by its `where`) already has."""
    seen: dict[Any, str] = {}
    problems = []
    for loc, value, where in items:
        if value in seen:
            problems.append(problem(loc, f"{value!r} is already {what} of {seen[value]}; each must be unique", value))
        else:
            seen[value] = where
    return problems


def _listener_priorities(data: dict[str, Any]) -> Problems:
    """An ALB listener refuses two rules of the same priority (PriorityInUse)."""
    items = []
    for index, rule in _dicts(data, "listener_rules"):
        priority = typed(rule, "priority", int)
        if priority is not None:
            items.append((("listener_rules", index, "priority"), priority, f"listener_rules[{index}]"))
    return _first_seen(items, "the priority")


def _container_ports(data: dict[str, Any]) -> Problems:
    """Containers of an awsvpc task share one network namespace: a port can be mapped once per task."""
    items: list[tuple[tuple[str | int, ...], Any, str]] = []
    application_port = typed(data, "application_port", int)
    if application_port is not None:
        items.append((("application_port",), application_port, "application_port"))
    admin_port = typed(data, "admin_port", int)
    if typed(data, "admin_active", bool, False) and admin_port is not None and admin_port != application_port:
        items.append((("admin_port",), admin_port, "admin_port"))  # equal to application_port: its own rule
    for index, sidecar in _dicts(data, "sidecars"):
        for at, port in enumerate(typed(sidecar, "ports", list) or []):
            if isinstance(port, int) and not isinstance(port, bool):
                items.append((("sidecars", index, "ports", at), port, f"sidecars[{index}].ports[{at}]"))
    return _first_seen(items, "the container port")


def _mount_paths(data: dict[str, Any]) -> Problems:
    """ECS refuses a task definition that mounts two volumes at one container path."""
    items: list[tuple[tuple[str | int, ...], Any, str]] = []
    efs = typed(data, "efs_config", dict) or {}
    for index, mount in _dicts(efs, "mount_points"):
        path = typed(mount, "container_path", str)
        if path is not None:
            items.append(
                (
                    ("efs_config", "mount_points", index, "container_path"),
                    path.rstrip("/") or "/",
                    f"efs_config.mount_points[{index}]",
                )
            )
    for index, path in enumerate(typed(data, "scratch_paths", list) or []):
        if isinstance(path, str):
            items.append((("scratch_paths", index), path.rstrip("/") or "/", f"scratch_paths[{index}]"))
    ebs_path = typed(typed(data, "ebs_volume", dict) or {}, "container_path", str)
    if ebs_path is not None:
        items.append((("ebs_volume", "container_path"), ebs_path.rstrip("/") or "/", "ebs_volume"))
    return _first_seen(items, "the mount path")


def _ebs_volume(data: dict[str, Any]) -> Problems:
    """ECS attaches EBS volumes under its own deployment controller only, and Fargate has no magnetic volumes."""
    ebs = typed(data, "ebs_volume", dict)
    if ebs is None:
        return []
    problems = []
    if typed(data, "deployment_ownership", str) == "codedeploy":
        problems.append(
            problem(
                ("ebs_volume",),
                "ECS attaches EBS volumes only to services it deploys itself; "
                "allowed: deployment_ownership other than codedeploy",
            )
        )
    name = typed(ebs, "name", str, "ebs")
    efs_names = [typed(v, "volume_name", str) for _, v in _dicts(typed(data, "efs_config", dict) or {}, "volumes")]
    if name in efs_names:
        problems.append(
            problem(
                ("ebs_volume", "name"), f"{name!r} is already an efs_config volume; volume names must be unique", name
            )
        )
    on_ec2 = any(item.get("capacity_provider") == "EC2" for _, item in _dicts(data, "capacity_provider_strategy"))
    if typed(ebs, "volume_type", str) == "standard" and not on_ec2:
        problems.append(
            problem(
                ("ebs_volume", "volume_type"),
                "'standard' (magnetic) is not supported on Fargate; "
                "allowed: gp2, gp3, io1, io2, st1, sc1 (standard needs the EC2 capacity provider)",
                "standard",
            )
        )
    return problems


def _capacity_strategy(data: dict[str, Any]) -> Problems:
    """ECS: each provider once, a base on one provider at most, and some weight above 0 (else nothing runs)."""
    items = _dicts(data, "capacity_provider_strategy")
    problems = _first_seen(
        [
            (
                ("capacity_provider_strategy", i, "capacity_provider"),
                typed(item, "capacity_provider", str),
                f"capacity_provider_strategy[{i}]",
            )
            for i, item in items
            if typed(item, "capacity_provider", str)
        ],
        "the provider",
    )
    weights = [typed(item, "weight", int, 1) for _, item in items]
    if items and None not in weights and not any(weights):
        problems.append(
            problem(
                ("capacity_provider_strategy",),
                "every weight is 0; allowed: at least one provider with a weight of 1-1000",
            )
        )
    based = [i for i, item in items if (typed(item, "base", int) or 0) > 0]
    for index in based[1:]:
        problems.append(
            problem(
                ("capacity_provider_strategy", index, "base"),
                f"a base is already set on capacity_provider_strategy[{based[0]}]; ECS allows a base on one provider only",
            )
        )
    return problems


def _log_drivers(data: dict[str, Any]) -> Problems:
    """The app container's log driver and the Service Connect proxy's follow the same rules."""
    service_connect = typed(data, "service_connect", dict) or {}
    return [
        *_log_driver(data, typed(data, "log_driver", dict) or {}, ("log_driver",)),
        *_log_driver(
            data, typed(service_connect, "log_configuration", dict) or {}, ("service_connect", "log_configuration")
        ),
    ]


def _log_driver(data: dict[str, Any], log_driver: dict[str, Any], at: tuple[str, ...]) -> Problems:
    problems = []
    name = typed(log_driver, "name", str)
    if name is not None and name not in FARGATE_LOG_DRIVERS and not runs_on_ec2(data):
        allowed = ", ".join(FARGATE_LOG_DRIVERS)
        problems.append(
            problem(
                (*at, "name"),
                f"{name!r} is not supported on Fargate; allowed: {allowed} (others need the EC2 capacity provider)",
                name,
            )
        )
    if "awslogs-create-group" in (typed(log_driver, "options", dict) or {}):
        problems.append(
            problem(
                (*at, "options", "awslogs-create-group"),
                "the stack creates the service's log group (with its retention and KMS key); remove this option, which "
                "would need logs:CreateLogGroup on the execution role",
            )
        )
    return problems
