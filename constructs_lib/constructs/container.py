"""The task's container definitions, built as Python data and serialized once.

The app container, the user's sidecars, and the ready-made X-Ray daemon and Fluent Bit log router. Rendered in
the normalized form the AWS provider compares against what ECS returns (every list present, `hostPort` equal to
`containerPort`, environment and secrets sorted by name), so a plan after apply shows no perpetual diff.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from constructs import Construct

from .._jsii.aws import EcsTaskDefinitionVolume
from .._jsii.embedded_json import embedded_json
from ..props.ebs import EbsVolumeConfig
from ..props.sidecars import SidecarConfig
from ..props.task import ContainerPort, TaskOptions
from .container_process import process_settings
from .conventions import LOG_ROUTER_CONTAINER, XRAY_CONTAINER
from .ebs import ebs_mount_points

XRAY_IMAGE = "public.ecr.aws/xray/aws-xray-daemon:3.3.14"
XRAY_PORT = 2000
LOG_ROUTER_SCRATCH = "log-router-scratch"


@dataclass(frozen=True)
class ContainerInputs:
    """What the container definitions need besides the service config: values other constructs derive."""

    name: str
    image: str
    log_group_name: str
    region: str
    secrets: dict[str, str]
    sidecar_secrets: dict[str, dict[str, str]]
    environment_file_arns: list[str]
    ebs_volume: EbsVolumeConfig | None = None  # a long-running workload's volume, attached by its ECS service


def render_container_definitions(scope: Construct, service: TaskOptions, inputs: ContainerInputs) -> str:
    containers = [app_container(service, inputs)]
    containers += [_sidecar(sidecar, inputs) for sidecar in service.sidecars]
    if service.xray:
        containers.append(_xray_daemon(inputs))
    if service.firelens:
        containers.append(_log_router(service, inputs))
    return embedded_json(scope, containers, sort_keys=True)


def app_container(service: TaskOptions, inputs: ContainerInputs) -> dict[str, Any]:
    environment = dict(service.parameters.environment)
    if service.xray:
        environment.setdefault("AWS_XRAY_DAEMON_ADDRESS", f"localhost:{XRAY_PORT}")
    container: dict[str, Any] = {
        "name": inputs.name,
        "image": inputs.image,
        "essential": service.essential,
        "portMappings": [_app_port(port) for port in service.container_ports()],
        "environment": _environment(environment),
        "environmentFiles": [{"type": "s3", "value": arn} for arn in inputs.environment_file_arns],
        "secrets": _secrets(inputs.secrets),
        "mountPoints": [
            {"sourceVolume": m.volume_name, "containerPath": m.container_path, "readOnly": m.read_only}
            for m in (service.efs_config.mount_points if service.efs_config else [])
        ]
        + [{"sourceVolume": name, "containerPath": path, "readOnly": False} for name, path in _scratch(service)]
        + ebs_mount_points(inputs.ebs_volume),
        "volumesFrom": [],
        "systemControls": [],
        "logConfiguration": _app_log_configuration(service, inputs),
    }
    if service.readonly_root_filesystem:
        container["readonlyRootFilesystem"] = True
    health_check_command = service.container_health_check_command()
    if health_check_command:
        timing = service.container_health_check
        container["healthCheck"] = {
            "command": ["CMD-SHELL", health_check_command],
            "interval": timing.interval_seconds,
            "timeout": timing.timeout_seconds,
            "retries": timing.retries,
            "startPeriod": timing.start_period_seconds,
        }
    if service.efs_config and service.efs_config.container_user:
        container["user"] = service.efs_config.container_user
    container.update(process_settings(service))
    if service.stop_timeout_seconds is not None:
        container["stopTimeout"] = service.stop_timeout_seconds
    if service.ulimits:
        container["ulimits"] = [
            {"name": u.name, "softLimit": u.soft_limit, "hardLimit": u.hard_limit} for u in service.ulimits
        ]
    if service.linux_parameters and service.linux_parameters.init_process_enabled:
        container.setdefault("linuxParameters", {})["initProcessEnabled"] = True
    if service.docker_labels:
        container["dockerLabels"] = dict(service.docker_labels)
    if service.firelens:
        container["dependsOn"] = [{"containerName": LOG_ROUTER_CONTAINER, "condition": "START"}]
    return container


def scratch_volumes(service: TaskOptions) -> list[EcsTaskDefinitionVolume]:
    """Task-local volumes (Fargate ephemeral storage) behind `scratch_paths`: writable with a read-only root."""
    names = [name for name, _ in _scratch(service)]
    if service.firelens and service.readonly_root_filesystem:
        names.append(LOG_ROUTER_SCRATCH)
    return [EcsTaskDefinitionVolume(name=name) for name in names]


def _scratch(service: TaskOptions) -> list[tuple[str, str]]:
    return [(f"scratch-{index}", path) for index, path in enumerate(service.scratch_paths)]


def _app_port(port: ContainerPort) -> dict[str, Any]:
    mapping = _port(port.port, port.protocol)
    if port.name:
        mapping.update(name=port.name, appProtocol=port.app_protocol)
    return mapping


def _port(port: int, protocol: str = "tcp") -> dict[str, Any]:
    return {"containerPort": port, "hostPort": port, "protocol": protocol}


def _environment(variables: dict[str, str]) -> list[dict[str, str]]:
    return [{"name": k, "value": v} for k, v in sorted(variables.items())]


def _secrets(value_from: dict[str, str]) -> list[dict[str, str]]:
    return [{"name": k, "valueFrom": v} for k, v in sorted(value_from.items())]


def _awslogs(inputs: ContainerInputs, stream_prefix: str, extra: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "logDriver": "awslogs",
        "options": {
            **(extra or {}),
            "awslogs-group": inputs.log_group_name,
            "awslogs-region": inputs.region,
            "awslogs-stream-prefix": stream_prefix,
        },
        "secretOptions": [],
    }


def _app_log_configuration(service: TaskOptions, inputs: ContainerInputs) -> dict[str, Any]:
    driver = service.log_driver
    if driver.name == "awslogs":
        return _awslogs(inputs, service.service_name, driver.options)
    options = dict(driver.options)
    secret_options = dict(driver.secret_options)
    if driver.name == "awsfirelens" and service.firelens:
        options = {**service.firelens.options, **options}
        secret_options = {**service.firelens.secret_options, **secret_options}
    return {"logDriver": driver.name, "options": options, "secretOptions": _secrets(secret_options)}


def _sidecar(sidecar: SidecarConfig, inputs: ContainerInputs) -> dict[str, Any]:
    container: dict[str, Any] = {
        "name": sidecar.name,
        "image": sidecar.image,
        "cpu": sidecar.cpu,
        "essential": sidecar.essential,
        "portMappings": [_port(port) for port in sidecar.ports],
        "environment": _environment(sidecar.environment),
        "secrets": _secrets(inputs.sidecar_secrets.get(sidecar.name, {})),
        "mountPoints": [],
        "volumesFrom": [],
        "systemControls": [],
        "logConfiguration": _awslogs(inputs, sidecar.name),
    }
    if sidecar.readonly_root_filesystem:
        container["readonlyRootFilesystem"] = True
    if sidecar.memory_limit_mib is not None:
        container["memory"] = sidecar.memory_limit_mib
    if sidecar.depends_on:
        container["dependsOn"] = [
            {"containerName": d.container_name, "condition": d.condition} for d in sidecar.depends_on
        ]
    container.update(process_settings(sidecar))
    return container


def _xray_daemon(inputs: ContainerInputs) -> dict[str, Any]:
    return {
        "name": XRAY_CONTAINER,
        "image": XRAY_IMAGE,
        "cpu": 32,
        "memoryReservation": 256,
        "essential": False,
        "readonlyRootFilesystem": True,  # the daemon only relays UDP to the X-Ray API
        "portMappings": [_port(XRAY_PORT, "udp")],
        "environment": [],
        "mountPoints": [],
        "volumesFrom": [],
        "systemControls": [],
        "logConfiguration": _awslogs(inputs, XRAY_CONTAINER),
    }


def _log_router(service: TaskOptions, inputs: ContainerInputs) -> dict[str, Any]:
    assert service.firelens is not None
    return {
        "name": LOG_ROUTER_CONTAINER,
        "image": service.firelens.image,
        "cpu": 0,
        "memoryReservation": 50,
        "essential": True,
        "user": "0",
        "firelensConfiguration": {"type": "fluentbit", "options": {"enable-ecs-log-metadata": "true"}},
        "portMappings": [],
        "environment": [],
        # With a read-only root, Fluent Bit buffers in a task-local volume.
        "mountPoints": (
            [{"sourceVolume": LOG_ROUTER_SCRATCH, "containerPath": "/tmp", "readOnly": False}]
            if service.readonly_root_filesystem
            else []
        ),
        "volumesFrom": [],
        "systemControls": [],
        "logConfiguration": _awslogs(inputs, LOG_ROUTER_CONTAINER),
        **({"readonlyRootFilesystem": True} if service.readonly_root_filesystem else {}),
    }
