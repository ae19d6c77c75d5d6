"""An EBS volume per task, configured at launch: the task definition declares the volume
(`configure_at_launch`), the service says how ECS creates it (`volume_configuration.managed_ebs_volume`), and ECS
creates, attaches and deletes each task's volume through an infrastructure role made for volumes."""

from __future__ import annotations

from typing import Any

from constructs import Construct

from .._jsii.addressing import Part
from .._jsii.aws import (
    EcsServiceVolumeConfiguration,
    EcsServiceVolumeConfigurationManagedEbsVolume,
    EcsServiceVolumeConfigurationManagedEbsVolumeTagSpecifications,
    EcsTaskDefinitionVolume,
)
from ..props.ebs import EbsVolumeConfig
from .infrastructure_role import VOLUMES_POLICY, EcsInfrastructureRole


class ManagedEbsVolume(Part):
    """The infrastructure role, the task definition's volume and the service's volume configuration; the
    volumes carry the service's tags."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        config: EbsVolumeConfig,
        role_name: str,
        account_id: str,
        service_name: str,
        permissions_boundary_arn: str | None = None,
    ):
        super().__init__(scope, id)
        self.config = config
        self.role = EcsInfrastructureRole(
            self,
            "role",
            name=role_name,
            account_id=account_id,
            managed_policy=VOLUMES_POLICY,
            description=f"ECS creates and attaches the EBS volumes of {service_name} tasks",
            permissions_boundary_arn=permissions_boundary_arn,
        )
        self.task_volume = EcsTaskDefinitionVolume(name=config.name, configure_at_launch=True)
        self.service_volume_configuration = EcsServiceVolumeConfiguration(
            name=config.name,
            managed_ebs_volume=EcsServiceVolumeConfigurationManagedEbsVolume(
                role_arn=self.ref(self.role.role).arn,
                size_in_gb=config.size_gib,
                volume_type=config.volume_type,
                iops=config.iops,
                throughput=config.throughput,
                encrypted=config.encrypted,
                kms_key_id=config.kms_key_id,
                snapshot_id=config.snapshot_id,
                file_system_type=config.file_system_type,
                tag_specifications=[
                    EcsServiceVolumeConfigurationManagedEbsVolumeTagSpecifications(
                        resource_type="volume", propagate_tags="SERVICE"
                    )
                ],
            ),
        )


def ebs_mount_points(config: EbsVolumeConfig | None) -> list[dict[str, Any]]:
    """The app container's mount of the volume, in the container definitions' normalized form."""
    return (
        [
            {
                "sourceVolume": config.name,
                "containerPath": config.container_path,
                "readOnly": False,
            }
        ]
        if config
        else []
    )
