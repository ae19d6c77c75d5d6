"""What runs: the ECS service (the task definition is `FargateWorkload`'s), and what runs beside it (Service Connect,
discovery, CodeDeploy, auto scaling). A mixin of `WebService` (web_service.py), kept apart so the service reads as
its steps; `connections` is what other resources and stacks wire to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..constructs.autoscaling import ServiceAutoScaling
from ..constructs.cluster import FargateCluster
from ..constructs.codedeploy import CodeDeployBlueGreen
from ..constructs.discovery import ProxyLogDestination, ServiceConnect, ServiceDiscovery
from ..constructs.fargate_service import FargateService, ServiceSettings, TargetBinding
from ..props.autoscaling import AutoscalingConfig
from ..props.limits import IAM_ROLE_NAME_MAX
from ..props.naming import fit


@dataclass(frozen=True)
class ServiceConnections:
    """A web service's ends that other resources attach to (listener rules, security group rules, alarms, ...)."""

    listener_arn: str | None  # the HTTPS listener: its own ALB's, or the shared one given in shared_alb
    load_balancer_arn: str | None  # None on a shared ALB
    target_group_arn: str
    security_group_ids: list[str]  # of the tasks
    load_balancer_security_group_ids: list[str]
    cluster_name: str
    cluster_arn: str
    service_name: str
    log_group_name: str


class ServiceRuntime:
    """The service of `WebService`: sets `service`, `autoscaling` and the rest."""

    def _add_service(self: Any) -> None:
        """The ECS service and what runs beside it: Service Connect, discovery, CodeDeploy, auto scaling."""
        props = self.props
        self._add_discovery()
        created_cluster = self.cluster if isinstance(self.cluster, FargateCluster) else None
        self.service = FargateService(
            self,
            "service",
            settings=self._service_settings(),
            cluster_id=self._cluster_arn(),
            task_definition_arn=self.ref(self.task_definition.task_definition).arn,
            depends_on=[
                self.listener or self.routes.rules[0],
                *([created_cluster.capacity_providers] if created_cluster else []),
                *(self.alarms.alarms.values() if self.alarms else []),
                *([self.ebs_volume.role.policy] if self.ebs_volume else []),
                *(self.port_routes.rules if self.port_routes else []),
            ],
        )
        self.codedeploy = self._add_codedeploy() if props.deployment_ownership == "codedeploy" else None
        self.autoscaling: ServiceAutoScaling | None = None
        if props.autoscaling:
            self._add_autoscaling(props.autoscaling)

    def _add_discovery(self: Any) -> None:
        """Service Connect or Cloud Map records: the ECS service registers in them."""
        props = self.props
        self.service_connect = (
            ServiceConnect(
                self,
                "service-connect",
                config=props.service_connect,
                default_name=props.service_name,
                app_port=props.application_port,
                logs=ProxyLogDestination(self.log_group.name, props.region),
                role_name=fit(f"{self.names.service}-service-connect-tls", IAM_ROLE_NAME_MAX),
                account_id=props.account_id,
                namespace_arn=self._namespace_arn,
            )
            if props.service_connect
            else None
        )
        self.service_discovery = (
            ServiceDiscovery(self, "service-discovery", config=props.service_discovery, default_name=props.service_name)
            if props.service_discovery
            else None
        )

    def _add_codedeploy(self: Any) -> CodeDeployBlueGreen:
        props = self.props
        return CodeDeployBlueGreen(
            self,
            "codedeploy",
            name=self.names.service,
            cluster_name=self._cluster_name(),
            service_name=self.ref(self.service.service).name,
            prod_listener_arn=self.ref(self.https_listener).arn,
            test_listener_arn=self.ref(self.alb.extra_listeners["green"]).arn,
            blue_target_group_name=self.ref(self.target_group).name,
            green_target_group_name=self.ref(self.alb.extra_target_groups["green"].target_group).name,
            bake_time_minutes=props.blue_green_bake_time_minutes,
            account_id=props.account_id,
            region=props.region,
            permissions_boundary_arn=props.permissions_boundary_arn,
        )

    def _add_autoscaling(self: Any, config: AutoscalingConfig) -> None:
        self.autoscaling = ServiceAutoScaling(
            self,
            "autoscaling",
            config=config,
            cluster_name=self._cluster_name(),
            service_name=self.ref(self.service.service).name,
            alb_arn_suffix=self._routing.arn_suffix,
            target_group_arn_suffix=self.ref(self.target_group).arn_suffix,
        )
        self.service.hand_desired_count_to_autoscaling()

    def _service_settings(self: Any) -> ServiceSettings:
        props = self.props
        targets = [TargetBinding(self.ref(self.target_group).arn, props.service_name, props.application_port)]
        if self.alb is not None and "admin" in self.alb.extra_target_groups:
            targets.append(
                TargetBinding(self.alb.extra_target_groups["admin"].arn, props.service_name, props.admin_port)
            )
        if self.port_routes:
            targets += [TargetBinding(g.arn, props.service_name, port) for port, g in self.port_routes.targets.items()]
        ec2_name = self.ec2_capacity.capacity_provider_name if self.ec2_capacity else "EC2"
        return ServiceSettings(
            **self._ecs_service_settings(ec2_name),
            targets=targets,
            health_check_grace_period_seconds=props.health_check_grace_period_seconds,
            deployment_owner=props.deployment_ownership,
            service_connect_configuration=self.service_connect.service_connect_configuration
            if self.service_connect
            else None,
            service_registry_arn=self.service_discovery.registry_arn if self.service_discovery else None,
            blue_green=self._blue_green,
            bake_time_minutes=props.blue_green_bake_time_minutes,
            service_registry_port=(
                props.application_port
                if self.service_discovery and self.service_discovery.record_type == "SRV"
                else None
            ),
        )

    def _connections(self: Any) -> ServiceConnections:
        """Read the usual way (cdktf tokens, not `ref`): another stack may read them."""
        cluster = self.cluster
        shared = self.props.shared_alb
        return ServiceConnections(
            listener_arn=shared.listener_arn if shared else self.listener.arn,
            load_balancer_arn=None if self.load_balancer is None else self.load_balancer.arn,
            target_group_arn=self.target_group.arn,
            security_group_ids=list(self.security_groups.tasks_ids),
            load_balancer_security_group_ids=list(self.security_groups.alb_ids),
            cluster_name=cluster.cluster.name if isinstance(cluster, FargateCluster) else cluster.name,
            cluster_arn=cluster.arn,
            service_name=self.service.service.name,
            log_group_name=self.log_group.name,
        )
