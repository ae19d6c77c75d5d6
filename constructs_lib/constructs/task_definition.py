"""The Fargate task definition: sizes, roles, the rendered container definitions and the EFS volumes."""

from __future__ import annotations

from constructs import Construct

from .._jsii.addressing import Part
from .._jsii.aws import (
    EcsTaskDefinition,
    EcsTaskDefinitionEphemeralStorage,
    EcsTaskDefinitionRuntimePlatform,
    EcsTaskDefinitionVolume,
)


class FargateTaskDefinition(Part):
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        family: str,
        cpu: int,
        memory_limit_mib: int,
        execution_role_arn: str,
        task_role_arn: str,
        container_definitions: str,
        volumes: list[EcsTaskDefinitionVolume],
        cpu_architecture: str = "X86_64",
        operating_system_family: str = "LINUX",
        ephemeral_storage_gib: int | None = None,
        launch_type: str = "FARGATE",
        pid_mode: str | None = None,
        ipc_mode: str | None = None,
    ):
        super().__init__(scope, id)
        self.family = family
        self.task_definition = EcsTaskDefinition(
            self,
            "Default",
            family=family,
            requires_compatibilities=[launch_type],
            network_mode="awsvpc",
            cpu=str(cpu),
            memory=str(memory_limit_mib),
            execution_role_arn=execution_role_arn,
            task_role_arn=task_role_arn,
            container_definitions=container_definitions,
            volume=volumes or None,
            runtime_platform=EcsTaskDefinitionRuntimePlatform(
                operating_system_family=operating_system_family, cpu_architecture=cpu_architecture
            ),
            ephemeral_storage=(
                EcsTaskDefinitionEphemeralStorage(size_in_gib=ephemeral_storage_gib) if ephemeral_storage_gib else None
            ),
            pid_mode=pid_mode,
            ipc_mode=ipc_mode,
        )
