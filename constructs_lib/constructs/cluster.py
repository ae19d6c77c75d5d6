"""The service's ECS cluster: Container Insights on, the Fargate capacity providers (and the env's EC2 one when a
strategy uses it), ECS Exec session logging, and KMS keys for Fargate ephemeral and managed storage."""

from __future__ import annotations

from dataclasses import dataclass

from constructs import Construct

from .._jsii.addressing import Part
from .._jsii.aws import (
    EcsCluster,
    EcsClusterCapacityProviders,
    EcsClusterConfiguration,
    EcsClusterConfigurationExecuteCommandConfiguration,
    EcsClusterConfigurationExecuteCommandConfigurationLogConfiguration,
    EcsClusterConfigurationManagedStorageConfiguration,
    EcsClusterSetting,
)

FARGATE_CAPACITY_PROVIDERS = ["FARGATE", "FARGATE_SPOT"]


@dataclass(frozen=True)
class ClusterReference:
    """An existing cluster a service runs in, created elsewhere: by its name (in the service's account and region)
    or its ARN."""

    name: str
    arn: str
    exec_log_group_name: str | None = None  # where its ECS Exec sessions log: the tasks' role may write there

    @classmethod
    def from_name(
        cls, name: str, *, region: str, account_id: str, exec_log_group_name: str | None = None
    ) -> ClusterReference:
        return cls(
            name=name, arn=f"arn:aws:ecs:{region}:{account_id}:cluster/{name}", exec_log_group_name=exec_log_group_name
        )

    @classmethod
    def from_arn(cls, arn: str) -> ClusterReference:
        prefix, _, name = arn.partition(":cluster/")
        if not prefix.startswith("arn:") or not name or "/" in name:
            raise ValueError(
                f"{arn!r} is not an ECS cluster ARN; allowed: arn:aws:ecs:<region>:<account>:cluster/<name>"
            )
        return cls(name=name, arn=arn)


@dataclass(frozen=True)
class ClusterSettings:
    name: str
    exec_log_group_name: str | None = None
    kms_key_arn: str | None = None
    fargate_ephemeral_storage_kms_key_id: str | None = None
    managed_storage_kms_key_id: str | None = None


class FargateCluster(Part):
    """A cluster of its own: pass it to several services (`WebServiceProps.cluster`) to share it."""

    def __init__(
        self, scope: Construct, id: str, *, settings: ClusterSettings, extra_capacity_providers: list[str] | None = None
    ):
        super().__init__(scope, id)
        self.name = settings.name
        self.cluster = EcsCluster(
            self,
            "Default",
            name=settings.name,
            setting=[EcsClusterSetting(name="containerInsights", value="enabled")],
            configuration=_configuration(settings),
        )
        self.capacity_providers = EcsClusterCapacityProviders(
            self,
            "capacity-providers",
            cluster_name=self.ref(self.cluster).name,
            capacity_providers=FARGATE_CAPACITY_PROVIDERS + list(extra_capacity_providers or []),
        )
        self.arn: str = self.cluster.arn


def _configuration(settings: ClusterSettings) -> EcsClusterConfiguration | None:
    execute_command = None
    if settings.exec_log_group_name:
        execute_command = EcsClusterConfigurationExecuteCommandConfiguration(
            kms_key_id=settings.kms_key_arn,
            logging="OVERRIDE",
            log_configuration=EcsClusterConfigurationExecuteCommandConfigurationLogConfiguration(
                cloud_watch_log_group_name=settings.exec_log_group_name,
                cloud_watch_encryption_enabled=bool(settings.kms_key_arn),
            ),
        )
    storage = None
    if settings.fargate_ephemeral_storage_kms_key_id or settings.managed_storage_kms_key_id:
        storage = EcsClusterConfigurationManagedStorageConfiguration(
            fargate_ephemeral_storage_kms_key_id=settings.fargate_ephemeral_storage_kms_key_id,
            kms_key_id=settings.managed_storage_kms_key_id,
        )
    if execute_command is None and storage is None:
        return None
    return EcsClusterConfiguration(execute_command_configuration=execute_command, managed_storage_configuration=storage)
