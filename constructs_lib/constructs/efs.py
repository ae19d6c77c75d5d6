"""EFS volumes whose file system and access point ids live in SSM parameters named by convention.

Transit encryption is always on; with an access point, IAM authorization is on too (both required by EFS
for access points with IAM).
"""

from __future__ import annotations

from constructs import Construct

from .._jsii.addressing import Part
from .._jsii.aws import (
    DataAwsSsmParameter,
    EcsTaskDefinitionVolume,
    EcsTaskDefinitionVolumeEfsVolumeConfiguration,
    EcsTaskDefinitionVolumeEfsVolumeConfigurationAuthorizationConfig,
)
from ..props.naming import Naming
from ..props.storage import EfsVolumeConfig


class EfsVolumes(Part):
    def __init__(
        self, scope: Construct, id: str, *, volumes: list[EfsVolumeConfig], naming: Naming, region: str, account_id: str
    ):
        super().__init__(scope, id)
        self._file_system_arn_prefix = f"arn:aws:elasticfilesystem:{region}:{account_id}:file-system/"
        self.file_system_arns: dict[str, str] = {}
        self.task_volumes = [self._volume(volume, naming) for volume in volumes]

    def _volume(self, volume: EfsVolumeConfig, naming: Naming) -> EcsTaskDefinitionVolume:
        file_system = DataAwsSsmParameter(
            self, f"{volume.volume_name}-fs", name=naming.efs_file_system_parameter(volume.efs_parameter_key_suffix)
        )
        self.file_system_arns[volume.volume_name] = self._file_system_arn_prefix + file_system.value
        authorization = None
        if volume.ap_parameter_key_suffix:
            access_point = DataAwsSsmParameter(
                self,
                f"{volume.volume_name}-ap",
                name=naming.efs_access_point_parameter(volume.ap_parameter_key_suffix),
            )
            authorization = EcsTaskDefinitionVolumeEfsVolumeConfigurationAuthorizationConfig(
                access_point_id=access_point.value, iam="ENABLED"
            )
        return EcsTaskDefinitionVolume(
            name=volume.volume_name,
            efs_volume_configuration=EcsTaskDefinitionVolumeEfsVolumeConfiguration(
                file_system_id=file_system.value,
                transit_encryption="ENABLED",
                authorization_config=authorization,
            ),
        )
