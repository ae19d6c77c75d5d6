"""Load balancing beyond one HTTP/1.1 port: the target groups' protocol version (HTTP2, gRPC) and more container
ports, each behind its own target group and listener rule on the service's HTTPS listener."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from .base import BoundedText, Port, Problems, StrictModel, problem, typed
from .limits import LISTENER_CONDITION_VALUE_MAX

ConditionValue = Annotated[str, BoundedText(1, LISTENER_CONDITION_VALUE_MAX, "a listener rule condition value")]
ProtocolVersion = Literal["HTTP1", "HTTP2", "GRPC"]
# ECS: at most 5 target groups per service (load_balancer blocks).
MAX_TARGET_GROUPS_PER_SERVICE = 5
# gRPC health checks succeed on gRPC status codes (0-99), not HTTP ones: 0 is OK.
GRPC_HEALTHY_CODES = "0"


class ExtraPortConfig(StrictModel):
    """Another port of the app container, reached through a listener rule on the service's HTTPS listener (its own
    ALB's, or the shared one's)."""

    port: Port = Field(description="Container port.")
    priority: Annotated[int, Field(ge=1, le=50000)] = Field(
        description="Listener rule priority, unique on the listener."
    )
    path_patterns: list[ConditionValue] = Field(default_factory=list, description="e.g. /metrics/*. default: any path")
    host_headers: list[ConditionValue] = Field(
        default_factory=list, description="e.g. grpc.example.com. default: any host"
    )
    health_check_path: Annotated[str, Field(pattern=r"^/", max_length=1024)] = Field(
        default="/", description="The port's target group health check path. default: /"
    )

    @classmethod
    def cross_field_rules(cls, data: dict[str, Any]) -> Problems:
        if not data.get("path_patterns") and not data.get("host_headers"):
            return [
                problem(
                    ("path_patterns",),
                    "an extra port's rule needs path_patterns or host_headers",
                )
            ]
        return []


def extra_port_rules(data: dict[str, Any]) -> Problems:
    """Ports unique in the task, priorities unique on the listener (with listener_rules), ECS's 5 target groups
    per service, and no extra rules where a blue/green deployment owns the listener."""
    problems = []
    ports = typed(data, "extra_ports", list) or []
    if not ports:
        return []
    taken = {typed(data, "application_port", int): "application_port"}
    if typed(data, "admin_active", bool, False):
        taken[typed(data, "admin_port", int)] = "admin_port"
    priorities = {
        typed(r, "priority", int): f"listener_rules[{i}]"
        for i, r in enumerate(typed(data, "listener_rules", list) or [])
        if isinstance(r, dict)
    }
    for index, item in enumerate(ports):
        port, priority = (
            (typed(item, "port", int), typed(item, "priority", int)) if isinstance(item, dict) else (None, None)
        )
        if port is not None and port in taken:
            problems.append(
                problem(
                    ("extra_ports", index, "port"),
                    f"{port} is already the container port of {taken[port]}; each must be unique",
                    port,
                )
            )
        if priority is not None and priority in priorities:
            problems.append(
                problem(
                    ("extra_ports", index, "priority"),
                    f"{priority} is already the priority of {priorities[priority]}; each must be unique",
                    priority,
                )
            )
        taken.setdefault(port, f"extra_ports[{index}]")
        priorities.setdefault(priority, f"extra_ports[{index}]")
    groups = 1 + len(ports) + (1 if typed(data, "admin_public", bool, False) else 0)
    if groups > MAX_TARGET_GROUPS_PER_SERVICE:
        problems.append(
            problem(
                ("extra_ports",),
                f"{len(ports)} ports make {groups} target groups; allowed: at most {MAX_TARGET_GROUPS_PER_SERVICE} per ECS service",
            )
        )
    if typed(data, "deployment_ownership", str) in ("codedeploy", "ecs_blue_green"):
        problems.append(
            problem(
                ("extra_ports",),
                "a blue/green deployment switches the listener's traffic itself; allowed: with deployment_ownership terraform or external_image",
            )
        )
    return problems
