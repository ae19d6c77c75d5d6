"""The app container's definition, built as Python data and serialized once.

Rendered in the normalized form the AWS provider compares against what ECS returns (every list present,
`hostPort` equal to `containerPort`, environment and secrets sorted by name), so a plan after apply shows no
perpetual diff.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .aws import EcsTaskDefinitionVolume
from .config import ServiceConfig


@dataclass(frozen=True)
class ContainerInputs:
    """What the container definition needs besides the service config: values other constructs derive."""

    name: str
    image: str
    log_group_name: str
    region: str
    secrets: dict[str, str]
    environment_file_arns: list[str]


def render_container_definitions(service: ServiceConfig, inputs: ContainerInputs) -> str:
    return json.dumps([app_container(service, inputs)], sort_keys=True, separators=(",", ":"))


def app_container(service: ServiceConfig, inputs: ContainerInputs) -> dict[str, Any]:
    container: dict[str, Any] = {
        "name": inputs.name,
        "image": inputs.image,
        "essential": True,
        "portMappings": [_port(p) for p in _container_ports(service)],
        "environment": [{"name": k, "value": v} for k, v in sorted(service.parameters.environment.items())],
        "environmentFiles": [{"type": "s3", "value": arn} for arn in inputs.environment_file_arns],
        "secrets": [{"name": k, "valueFrom": v} for k, v in sorted(inputs.secrets.items())],
        "mountPoints": [
            {"sourceVolume": m.volume_name, "containerPath": m.container_path, "readOnly": m.read_only}
            for m in (service.efs_config.mount_points if service.efs_config else [])
        ]
        + [
            {"sourceVolume": name, "containerPath": path, "readOnly": False}
            for name, path in _scratch(service)
        ],
        "volumesFrom": [],
        "systemControls": [],
        "logConfiguration": {
            "logDriver": "awslogs",
            "options": {
                "awslogs-group": inputs.log_group_name,
                "awslogs-region": inputs.region,
                "awslogs-stream-prefix": service.service_name,
            },
            "secretOptions": [],
        },
    }
    if service.readonly_root_filesystem:
        container["readonlyRootFilesystem"] = True
    if service.health_check_cmd:
        container["healthCheck"] = {
            "command": [
                "CMD-SHELL",
                f"{service.health_check_cmd} http://localhost:{service.application_port}"
                f"{service.health_check_path} || exit 1",
            ],
            "interval": 30,
            "timeout": 5,
            "retries": 3,
            "startPeriod": 60,
        }
    if service.efs_config and service.efs_config.container_user:
        container["user"] = service.efs_config.container_user
    return container


def scratch_volumes(service: ServiceConfig) -> list[EcsTaskDefinitionVolume]:
    """Task-local volumes (Fargate ephemeral storage) behind `scratch_paths`: writable with a read-only root."""
    return [EcsTaskDefinitionVolume(name=name) for name, _ in _scratch(service)]


def _scratch(service: ServiceConfig) -> list[tuple[str, str]]:
    return [(f"scratch-{index}", path) for index, path in enumerate(service.scratch_paths)]


def _container_ports(service: ServiceConfig) -> list[int]:
    """The app port always; the admin port only when admin_active (the spec's rule)."""
    ports = [service.application_port]
    if service.admin_active and service.admin_port is not None:
        ports.append(service.admin_port)
    return ports


def _port(port: int) -> dict[str, Any]:
    return {"containerPort": port, "hostPort": port, "protocol": "tcp"}
