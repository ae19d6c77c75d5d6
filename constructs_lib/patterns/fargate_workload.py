"""`FargateWorkload`: what a web service, a worker and a scheduled task all build, in the order AWS needs it: the
log group, the secrets, env files and EFS volumes the task reads, the two roles (service_roles.py), and the task
definition with its containers. Each pattern adds what makes it what it is: a load balancer and an ECS service
(web_service.py), an ECS service without one (worker_service.py), a schedule (scheduled_task.py).
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from constructs import Construct

from .._jsii.addressing import Part
from .._jsii.embedded_json import renders_hcl
from .._jsii.literal import literal_data
from ..constructs.cluster import ClusterReference, FargateCluster
from ..constructs.container import (
    ContainerInputs,
    render_container_definitions,
    scratch_volumes,
)
from ..constructs.conventions import DEFAULT_CAPACITY_STRATEGY
from ..constructs.ebs import ManagedEbsVolume
from ..constructs.efs import EfsVolumes
from ..constructs.env_files import EnvironmentFiles
from ..constructs.logs import ServiceLogGroup
from ..constructs.security_groups import ServiceSecurityGroups
from ..constructs.task_definition import FargateTaskDefinition
from ..props.limits import IAM_ROLE_NAME_MAX
from ..props.naming import Naming, fit
from .lookups import resolve_lookups
from .props_errors import raise_problems
from .secrets import resolve_secrets
from .service_roles import ServiceRoles


class FargateWorkload(ServiceRoles, Part):
    """`props` as the caller wrote them; `self.props` is their literal view (literal.py), the only form the
    constructs below ever see. Sets `log_group`, `execution_role` and `task_role`; `_add_task` sets
    `task_definition`."""

    cluster: FargateCluster | ClusterReference | None

    def __init__(self, scope: Construct, id: str, *, props: Any, _literal: bool = False):
        super().__init__(scope, id)
        raise_problems(self, props.problems)
        self.props = props if _literal else literal_data(props, hcl=renders_hcl(self), keep_tokens=True)
        found = resolve_lookups(self, self.props)
        self.props, self._namespace_arn, self._shared_alb = found.props, found.namespace_arn, found.shared_alb
        props = self.props
        self._uses_ec2 = any(i.capacity_provider == "EC2" for i in props.capacity_provider_strategy or [])
        self.log_group = ServiceLogGroup(
            self,
            "logs",
            name=self.names.log_group,
            retention_in_days=props.log_retention_days,
            region=props.region,
            account_id=props.account_id,
            kms_key_arn=props.kms_key_arn,
        )
        naming = self.naming
        self._app_secrets = resolve_secrets(props.parameters.secrets, naming, props.region, props.account_id)
        self._sidecar_secrets = {
            s.name: resolve_secrets(s.secrets, naming, props.region, props.account_id) for s in props.sidecars
        }
        self._env_files = EnvironmentFiles(self, "env-files", files=props.environment_files or [], naming=naming)
        self._efs = EfsVolumes(
            self,
            "efs",
            volumes=props.efs_config.volumes if props.efs_config else [],
            naming=naming,
            region=props.region,
            account_id=props.account_id,
        )
        self._add_roles(self._app_secrets, list(self._sidecar_secrets.values()), self._env_files)

    @cached_property
    def names(self) -> Any:
        return self.props.names

    @cached_property
    def naming(self) -> Naming:
        naming: Naming = self.props.naming
        return naming

    def _add_task(self) -> None:
        props = self.props
        ebs_config = getattr(props, "ebs_volume", None)  # EcsServiceOptions: the ECS service attaches it at launch
        self.ebs_volume = (
            ManagedEbsVolume(
                self,
                "ebs",
                config=ebs_config,
                role_name=fit(f"{self.names.service}-ebs", IAM_ROLE_NAME_MAX),
                account_id=props.account_id,
                service_name=self.names.service,
                permissions_boundary_arn=props.permissions_boundary_arn,
            )
            if ebs_config
            else None
        )
        self._containers = ContainerInputs(
            name=props.service_name,
            image=props.image,
            log_group_name=self.log_group.name,
            region=props.region,
            secrets=self._app_secrets.value_from,
            sidecar_secrets={name: sources.value_from for name, sources in self._sidecar_secrets.items()},
            environment_file_arns=self._env_files.object_arns,
            ebs_volume=ebs_config,
        )
        self.task_definition = FargateTaskDefinition(
            self,
            "task",
            family=self.names.service,
            cpu=props.cpu,
            memory_limit_mib=props.memory_limit_mib,
            execution_role_arn=self.execution_role.arn,
            task_role_arn=self.task_role.arn,
            container_definitions=render_container_definitions(self, props, self._containers),
            volumes=self._efs.task_volumes
            + scratch_volumes(props)
            + ([self.ebs_volume.task_volume] if self.ebs_volume else []),
            cpu_architecture=props.cpu_architecture,
            operating_system_family=props.operating_system_family,
            ephemeral_storage_gib=props.ephemeral_storage_gib,
            launch_type="EC2" if self._uses_ec2 else "FARGATE",
            pid_mode=props.pid_mode,
            ipc_mode=props.ipc_mode,
        )

    def _grant_task_efs(self) -> None:
        """The task role's EFS grants, unless it is an existing role whose owner grants them."""
        if self.props.grant_existing_roles or self.props.task_role_arn is None:
            self._grant_efs(self._efs)

    def _render_containers(self) -> None:
        """The container definitions again, after `add_container` changed the props."""
        self.task_definition.task_definition.container_definitions = render_container_definitions(
            self, self.props, self._containers
        )

    def _add_private_tasks_group(self, description: str) -> None:
        """The tasks' own security group with egress only (or the caller's groups): nothing connects to them."""
        props = self.props
        self.security_groups = ServiceSecurityGroups(
            self,
            "security-groups",
            vpc_id=props.network.vpc_id,
            alb_group_names=None,
            tasks_group_name=self.names.tasks_security_group,
            existing_tasks_group_ids=props.task_security_group_ids,
            create_alb_groups=False,
            cloudfront_prefix_list_id=None,
            alb_ingress_cidrs=[],
            task_ports=[],
            tasks_group_description=description,
        )

    def _capacity_strategy(self, ec2_name: str = "EC2") -> tuple[tuple[str, int, int], ...]:
        """(provider, weight, base) of the props' strategy, EC2 named as the cluster knows it; default 2:1 Spot."""
        strategy = self.props.capacity_provider_strategy
        if not strategy:
            return DEFAULT_CAPACITY_STRATEGY
        return tuple(
            (
                ec2_name if i.capacity_provider == "EC2" else i.capacity_provider,
                i.weight,
                i.base,
            )
            for i in strategy
        )

    def _ecs_service_settings(self, ec2_name: str = "EC2") -> dict[str, Any]:
        """The `ServiceSettings` an ECS service of a long-running workload (web service, worker) takes from
        `EcsServiceOptions`: its name, task count, network, capacity, EBS volume, deployment and its alarms, tags."""
        props = self.props
        alarms = props.deployment_alarms
        network = props.network
        return {
            "name": self.names.service,
            "desired_count": props.desired_count,
            "subnet_ids": network.public_subnet_ids if props.assign_public_ip else network.private_subnet_ids,
            "security_group_ids": [*self.security_groups.tasks_ids, *props.extra_security_group_ids],
            "assign_public_ip": props.assign_public_ip,
            "platform_version": props.platform_version,
            "availability_zone_rebalancing": props.availability_zone_rebalancing,
            "propagate_tags": props.propagate_tags,
            "enable_ecs_managed_tags": props.enable_ecs_managed_tags,
            "deployment": props.deployment,
            "volume_configuration": self.ebs_volume.service_volume_configuration if self.ebs_volume else None,
            "capacity_provider_strategy": self._capacity_strategy(ec2_name),
            "autoscaled": props.autoscaling is not None,
            "enable_execute_command": props.enable_execute_command,
            "deployment_alarm_names": alarms.alarm_names if alarms else [],
            "deployment_alarm_rollback": alarms.rollback if alarms else True,
            "wait_for_steady_state": props.wait_for_steady_state,
            "force_new_deployment": props.force_new_deployment,
        }

    def _cluster_name(self) -> str:
        cluster = self.cluster
        assert cluster is not None  # every pattern sets its cluster before it wires to it
        return self.ref(cluster.cluster).name if isinstance(cluster, FargateCluster) else cluster.name

    def _cluster_arn(self) -> str:
        cluster = self.cluster
        assert cluster is not None
        return self.ref(cluster.cluster).id if isinstance(cluster, FargateCluster) else cluster.arn
