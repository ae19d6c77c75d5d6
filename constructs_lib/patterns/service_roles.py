"""The roles of `EcsFargateService`: what ECS needs to start its tasks, and what the running app may do.

A mixin of `WebService` (web_service.py), kept apart so the service reads as its steps: the permissions follow
from the service's config (permissions.py, secrets.py) and are scoped to exact ARNs.
"""

from __future__ import annotations

from typing import Any

from ..constructs.cluster import ClusterReference
from ..constructs.efs import EfsVolumes
from ..constructs.env_files import EnvironmentFiles
from ..constructs.iam import TaskRole
from ..props.resource_names import ecr_repository_arn, iam_db_user_arn
from .permissions import ServiceResources, execution_role_statements, task_role_statements
from .secrets import SecretSources, merge_sources, option_sources


class ServiceRoles:
    """The execution role and the task role of `WebService` (or the existing ones its props name, which get the
    same grants), and the task role's EFS grants."""

    def _add_roles(self: Any, app_secrets: SecretSources, sidecar_secrets: list[SecretSources], env_files: EnvironmentFiles) -> None:
        props = service = self.props
        option_arns = list(service.log_driver.secret_options.values())
        if service.firelens:
            option_arns += list(service.firelens.secret_options.values())
        used = ServiceResources(
            region=props.region,
            account_id=props.account_id,
            log_group_arn=self.log_group.arn,
            secrets=merge_sources(app_secrets, *sidecar_secrets, option_sources(option_arns)),
            image_repository_arn=ecr_repository_arn(props.image),
            environment_file_object_arns=env_files.object_arns,
            environment_file_bucket_arns=env_files.bucket_arns,
            iam_db_user_arn=(
                iam_db_user_arn(props.region, props.account_id, props.service_name) if props.use_iam_authentication else None
            ),
            app_bucket_names=[],
            xray=service.xray,
            execute_command=service.enable_execute_command,
            kms_key_arn=props.kms_key_arn,
            exec_log_group_arn=_exec_log_group_arn(props.cluster, props.region, props.account_id),
        )
        self.execution_role = TaskRole(
            self, "execution-role", name=self.names.execution_role,
            description=f"ECS starts {self.names.service} tasks: image pull, logs, secrets, env files",
            account_id=props.account_id, region=props.region, statements=execution_role_statements(used),
            existing_role_arn=props.execution_role_arn,
        )
        self.task_role = TaskRole(
            self, "task-role", name=self.names.task_role,
            description=f"The running {self.names.service} app: its logs, secrets and data",
            account_id=props.account_id, region=props.region, statements=task_role_statements(used),
            existing_role_arn=props.task_role_arn,
        )

    def _grant_efs(self: Any, efs: EfsVolumes) -> None:
        """Mounting through an access point with IAM authorization needs the task role to allow it."""
        service = self.props
        if not service.efs_config or not efs.file_system_arns:
            return
        writable = {m.volume_name for m in service.efs_config.mount_points if not m.read_only}
        read_arns = list(dict.fromkeys(efs.file_system_arns.values()))
        write_arns = list(dict.fromkeys(arn for name, arn in efs.file_system_arns.items() if name in writable))
        self.task_role.grant("efs-mount", actions=["elasticfilesystem:ClientMount"], resources=read_arns)
        if write_arns:
            self.task_role.grant("efs-write", actions=["elasticfilesystem:ClientWrite"], resources=write_arns)


def _exec_log_group_arn(cluster: object, region: str, account_id: str) -> str | None:
    """The log group an existing cluster's ECS Exec sessions write to, when it is not the service's own."""
    name = cluster.exec_log_group_name if isinstance(cluster, ClusterReference) else None
    return f"arn:aws:logs:{region}:{account_id}:log-group:{name}" if name else None
