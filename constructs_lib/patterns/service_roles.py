"""The roles of `EcsFargateService`: what ECS needs to start its tasks, and what the running app may do.

A mixin of `WebService` (web_service.py), kept apart so the service reads as its steps: the permissions follow
from the service's config (permissions.py, secrets.py) and are scoped to exact ARNs.
"""

from __future__ import annotations

from typing import Any

from ..constructs.efs import EfsVolumes
from ..constructs.env_files import EnvironmentFiles
from ..constructs.iam import TaskRole
from .permissions import efs_grants, execution_role_statements, service_resources, task_role_statements
from .secrets import SecretSources


class ServiceRoles:
    """The execution role and the task role of `WebService` (or the existing ones its props name, which get the
    same grants), and the task role's EFS grants."""

    def _add_roles(
        self: Any, app_secrets: SecretSources, sidecar_secrets: list[SecretSources], env_files: EnvironmentFiles
    ) -> None:
        props = self.props
        used = service_resources(
            props,
            app_secrets=app_secrets,
            sidecar_secrets=sidecar_secrets,
            log_group_arn=self.log_group.arn,
            environment_file_object_arns=env_files.object_arns,
            environment_file_bucket_arns=env_files.bucket_arns,
        )
        self.execution_role = TaskRole(
            self,
            "execution-role",
            name=self.names.execution_role,
            description=f"ECS starts {self.names.service} tasks: image pull, logs, secrets, env files",
            account_id=props.account_id,
            region=props.region,
            statements=execution_role_statements(used),
            existing_role_arn=props.execution_role_arn,
            attach_to_existing=props.grant_existing_roles,
            permissions_boundary_arn=props.permissions_boundary_arn,
        )
        self.task_role = TaskRole(
            self,
            "task-role",
            name=self.names.task_role,
            description=f"The running {self.names.service} app: its logs, secrets and data",
            account_id=props.account_id,
            region=props.region,
            statements=task_role_statements(used),
            existing_role_arn=props.task_role_arn,
            attach_to_existing=props.grant_existing_roles,
            permissions_boundary_arn=props.permissions_boundary_arn,
        )

    def _grant_efs(self: Any, efs: EfsVolumes) -> None:
        """Mounting through an access point with IAM authorization needs the task role to allow it."""
        for grant_id, statement in efs_grants(self.props.efs_config, efs.file_system_arns):
            self.task_role.grant(grant_id, actions=statement.actions, resources=statement.resources)
