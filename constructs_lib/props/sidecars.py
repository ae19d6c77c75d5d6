"""Extra containers in a service's task (the `sidecars` key), e.g. a proxy or an agent, and the start order
between containers. A sidecar takes the app container's process keys (containers.py), so both read alike."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from .base import Port, StrictModel
from .containers import (
    Command,
    ContainerUser,
    EntryPoint,
    LinuxCapabilities,
    RestartPolicy,
    VersionConsistency,
    WorkingDirectory,
)
from .secrets import ContainerSecretConfig

Name = Annotated[str, Field(pattern=r"^[a-zA-Z0-9_-]{1,255}$")]


class DependsOnConfig(StrictModel):
    container_name: Name
    condition: Literal["START", "COMPLETE", "SUCCESS", "HEALTHY"] = Field(default="START", description="default: START")


class SidecarConfig(StrictModel):
    """An extra container in the task, e.g. a proxy or an agent."""

    name: Name = Field(description="Container name, unique in the task.")
    image: Annotated[str, Field(min_length=1)] = Field(description="Image, used verbatim.")
    cpu: Annotated[int, Field(ge=0)] = Field(default=0, description="CPU units reserved. default: 0 (shared)")
    memory_limit_mib: Annotated[int, Field(ge=4)] | None = Field(
        default=None, description="Hard memory limit. default: none"
    )
    ports: list[Port] = Field(default_factory=list, description="default: none")
    environment: dict[str, str] = Field(default_factory=dict, description="default: none")
    secrets: dict[str, ContainerSecretConfig] = Field(
        default_factory=dict, description="As parameters.secrets. default: none"
    )
    depends_on: list[DependsOnConfig] = Field(default_factory=list, description="default: none")
    essential: bool = Field(default=False, description="Stop the task when it stops. default: false")
    command: Command
    entry_point: EntryPoint
    working_directory: WorkingDirectory
    user: ContainerUser
    restart_policy: RestartPolicy
    version_consistency: VersionConsistency
    linux_capabilities: LinuxCapabilities
    readonly_root_filesystem: bool = Field(default=False, description="Read-only root filesystem. default: false")
