"""The app container's parameters and its storage: environment variables and secrets, EFS volumes, S3 .env
files (the spec's AppParametersConfig and EcsEfsConfig)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from .arns import ENV_FILE_KEY
from .base import ECS_NAME, SSM_NAME_PART, Problems, StrictModel, problem, typed
from .secrets import ContainerSecretConfig


class AppParametersConfig(StrictModel):
    """Plain environment variables and secrets of the app container (the spec's AppParametersConfig)."""

    environment: dict[str, str] = Field(
        default_factory=dict, description="Plain-text environment variables. default: none"
    )
    secrets: dict[str, ContainerSecretConfig] = Field(
        default_factory=dict, description="Variables filled from Secrets Manager or SSM at start-up. default: none"
    )


class EfsVolumeConfig(StrictModel):
    """One EFS volume whose ids are read from SSM parameters named by convention."""

    efs_parameter_key_suffix: SSM_NAME_PART = Field(
        description="SSM parameter /{organization}/{environment}/efs/{suffix}/id holds the file system id."
    )
    volume_name: ECS_NAME = Field(description="Task volume name that mount points refer to.")
    ap_parameter_key_suffix: SSM_NAME_PART | None = Field(
        default=None,
        description="SSM parameter /{organization}/{environment}/efs/access-points/{suffix}/id holds the access "
        "point id; with it, IAM authorization is on. default: root access, no access point",
    )


class EfsMountPointConfig(StrictModel):
    volume_name: ECS_NAME = Field(description="A volume declared in efs_config.volumes.")
    container_path: Annotated[str, Field(pattern=r"^/")] = Field(description="Absolute path in the container.")
    read_only: bool = Field(default=False, description="Mount read-only. default: false")


class EcsEfsConfig(StrictModel):
    """Persistent EFS storage for the task (the spec's EcsEfsConfig)."""

    container_user: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]+(:[A-Za-z0-9_.-]+)?$")] | None = Field(
        default=None, description="'uid:gid' the container runs as, aligned with the access point. default: image user"
    )
    volumes: list[EfsVolumeConfig] = Field(default_factory=list, description="EFS volumes. default: none")
    mount_points: list[EfsMountPointConfig] = Field(default_factory=list, description="Mounts. default: none")

    @classmethod
    def cross_field_rules(cls, data: dict[str, Any]) -> Problems:
        problems = []
        volumes = typed(data, "volumes", list, []) or []
        mounts = typed(data, "mount_points", list, []) or []
        declared = [typed(v, "volume_name", str) if isinstance(v, dict) else None for v in volumes]
        for index, name in enumerate(declared):
            if name is not None and declared.index(name) != index:
                problems.append(
                    problem(
                        ("volumes", index, "volume_name"),
                        f"{name!r} is declared twice; volume names must be unique",
                        name,
                    )
                )
        for index, mount in enumerate(mounts):
            name = typed(mount, "volume_name", str) if isinstance(mount, dict) else None
            if name is not None and None not in declared and name not in declared:
                allowed = ", ".join(repr(n) for n in declared if n) or "none declared"
                problems.append(
                    problem(
                        ("mount_points", index, "volume_name"),
                        f"{name!r} is not a declared volume; allowed: {allowed}",
                        name,
                    )
                )
        return problems


class EnvironmentFileConfig(StrictModel):
    """An S3-hosted .env file; the bucket name is read from SSM by convention."""

    bucket_base_name: SSM_NAME_PART = Field(
        description="SSM parameter /{organization}/{environment}/s3/{bucket_base_name}/name holds the bucket name."
    )
    file_path: ENV_FILE_KEY = Field(description="Object key of the file in the bucket; must end in .env.")
