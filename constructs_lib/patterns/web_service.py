"""`WebService`: the ECSBuilder's shape (ALB, HTTPS, DNS, the task, the service) from typed props, composed from one
construct per AWS concern, each usable alone.

    web = WebService(stack, "orders-api", props=WebServiceProps(..., cluster=cluster, certificate_arn=...))
    web.auto_scale(min_capacity=2, max_capacity=10, cpu_target_percent=60)
    web.task_role.grant("orders-table", actions=[...], resources=[table.arn])
    web.allow_from(other.connections.security_group_ids[0], port=8080)

It reads top to bottom in the order AWS needs things: logs and roles (the `FargateWorkload` base it shares with
workers and scheduled tasks), network, load balancing (service_routing.py), cluster, task, service, DNS. An env file's service is the same construct
(`EcsFargateService`, service.py), its props compiled by `from_config.web_service_props`.
"""

from __future__ import annotations

from typing import Any

from constructs import Construct

from .._jsii.embedded_json import renders_hcl
from .._jsii.literal import literal_data
from ..constructs.alarms import ServiceAlarms
from ..constructs.certificate import DnsValidatedCertificate
from ..constructs.cluster import ClusterReference, ClusterSettings, FargateCluster
from ..constructs.dns import AliasRecord
from ..constructs.ec2_capacity import Ec2Capacity
from ..constructs.network_load_balancer import NlbPorts
from ..constructs.security_groups import ALB_PORTS, ServiceSecurityGroups
from ..props.autoscaling import AutoscalingConfig
from ..props.sidecars import SidecarConfig
from .fargate_workload import FargateWorkload
from .props_errors import validated
from .service_routing import ServiceRouting
from .service_runtime import ServiceConnections, ServiceRuntime
from .web_service_props import WebServiceProps


class WebService(ServiceRouting, ServiceRuntime, FargateWorkload):
    """`props` as the caller wrote them; `self.props` is their literal view (literal.py), the only form the
    constructs below ever see. Every object a caller may want is an attribute (`cluster`, `service`,
    `task_definition`, `load_balancer`, `target_group`, `https_listener`, `http_listener`, `execution_role`,
    `task_role`, `log_group`, `security_groups`), and `connections` holds what other stacks wire to."""

    def __init__(self, scope: Construct, id: str, *, props: WebServiceProps, _literal: bool = False):
        super().__init__(scope, id, props=props, _literal=_literal)  # logs, secrets, env files, EFS, roles
        props = self.props
        self._blue_green = None  # set by _add_ecs_blue_green
        self._allowed_peers = 0
        self._add_network()
        self._add_load_balancing()
        self._add_cluster()
        self._add_task()
        self._add_service()
        self.dns = AliasRecord(
            self,
            "dns",
            zone_id=props.domain.zone_id,
            fqdn=props.domain.name,
            dns_name=self.load_balancer_dns_name,
            zone_id_of_target=self.load_balancer_zone_id,
        )
        self._grant_task_efs()

    # After construction --------------------------------------------------------------------------------------

    def auto_scale(self, **settings: Any) -> None:
        """Application Auto Scaling between `min_capacity` and `max_capacity` (the keys of an env file's
        `autoscaling`, validated the same way); the service stops reconciling `desired_count`."""
        if self.autoscaling is not None:
            raise ValueError(f"{self.node.path}: auto_scale: the service already scales; call auto_scale once")
        config = validated(self, AutoscalingConfig, settings, "auto_scale")
        self._add_autoscaling(config)

    def allow_from(self, peer: str | WebService, *, port: int) -> None:
        """Let `peer` (a security group id, or another `WebService`'s tasks) reach the tasks on `port`."""
        group_id = peer.connections.security_group_ids[0] if isinstance(peer, WebService) else peer
        self._allowed_peers += 1
        self.security_groups.allow_from(f"allow-from-{self._allowed_peers}", group_id, port)

    def add_container(self, **sidecar: Any) -> None:
        """A sidecar container beside the app (the keys of an env file's `sidecars` entry, validated the same
        way): the task definition is rendered again with it."""
        config = validated(self, SidecarConfig, sidecar, "add_container")
        taken = {self.props.service_name, *(s.name for s in self.props.sidecars), "xray-daemon", "log-router"}
        if config.name in taken:
            raise ValueError(
                f"{self.node.path}: add_container: name: {config.name!r} is already a container of the task"
            )
        if config.secrets:
            raise ValueError(
                f"{self.node.path}: add_container: secrets: give a sidecar's secrets in the props (sidecars), where the "
                "execution role is granted exactly them"
            )
        self.props = self.props.model_copy(
            update={"sidecars": [*self.props.sidecars, literal_data(config, hcl=renders_hcl(self), keep_tokens=True)]}
        )
        self._render_containers()

    @property
    def url(self) -> str:
        return f"https://{self.props.domain.name}"

    @property
    def connections(self) -> ServiceConnections:
        """What other resources and stacks wire to: listener, target group, security groups, cluster, logs."""
        return self._connections()

    # Steps of the constructor --------------------------------------------------------------------------------

    @property
    def _shared_alb_group_is_ours(self) -> bool:
        """A shared ALB's group that this library created allows no egress but what each service on it adds: the
        environment's ALBs, and another service's ALB when the groups are created (`create_security_groups`)."""
        return self._shared_alb is not None or (
            self.props.shared_alb is not None and self.props.network.create_security_groups
        )

    def _add_network(self) -> None:
        """The security groups, and the certificate the HTTPS listener serves."""
        props, naming = self.props, self.naming
        alb_name = props.alb_name or props.service_name
        nlb_ports = NlbPorts.of(props.nlb, props.application_port) if props.nlb else None
        self.security_groups = ServiceSecurityGroups(
            self,
            "security-groups",
            vpc_id=props.network.vpc_id,
            alb_group_names=(
                naming.alb_security_group(alb_name, "cloudfront"),
                naming.alb_security_group(alb_name, "private"),
            ),
            tasks_group_name=self.names.tasks_security_group,
            existing_tasks_group_ids=props.task_security_group_ids,
            create_alb_groups=props.network.create_security_groups,
            cloudfront_prefix_list_id=props.cloudfront_prefix_list_id,
            alb_ingress_cidrs=props.alb_ingress_cidrs,
            task_ports=nlb_ports.tcp_tasks if nlb_ports else self._task_ports(),
            udp_task_ports=nlb_ports.udp_tasks if nlb_ports else (),
            listener_ports=nlb_ports.listener if nlb_ports else ALB_PORTS,
            shared_alb_group_id=props.shared_alb.security_group_id if props.shared_alb else None,
            shared_alb_reaches_tasks=self._shared_alb_group_is_ours,
            instances_group_name=naming.resource(f"{props.service_name}-instances", 200) if self._uses_ec2 else None,
        )
        self.certificate_arn = props.certificate_arn
        if props.create_certificate:
            self.certificate = DnsValidatedCertificate(
                self, "certificate", domain_name=props.domain.name, zone_id=props.domain.zone_id
            )
            self.certificate_arn = self.certificate.certificate_arn  # the listener waits for the validation

    def _add_cluster(self) -> None:
        """The alarms (the service depends on its deployment alarms), the EC2 capacity and the cluster, unless the
        props give one."""
        props, naming = self.props, self.naming
        self.cluster: FargateCluster | ClusterReference | None = props.cluster
        cluster_name = self.names.cluster if props.cluster is None else props.cluster.name
        # Alarm dimensions use the plain names, so the service can depend on its deployment alarms.
        self.alarms = (
            ServiceAlarms(
                self,
                "alarms",
                config=props.alarms,
                alarm_name_prefix=self.names.service,
                cluster_name=cluster_name,
                service_name=self.names.service,
                alb_arn_suffix=self._routing.arn_suffix,
                target_group_arn_suffix=self.ref(self.target_group).arn_suffix,
            )
            if props.alarms
            else None
        )
        self.ec2_capacity = (
            Ec2Capacity(
                self,
                "ec2-capacity",
                config=props.ec2_capacity,
                name=naming.resource(f"{props.service_name}-ec2", 255),
                cluster_name=cluster_name,
                subnet_ids=props.network.private_subnet_ids,
                security_group_ids=[group for group in [self.security_groups.instances_id] if group],
                region=props.region,
                account_id=props.account_id,
                permissions_boundary_arn=props.permissions_boundary_arn,
            )
            if self._uses_ec2 and props.ec2_capacity
            else None
        )
        if props.cluster is not None:
            return
        self.cluster = FargateCluster(
            self,
            "cluster",
            extra_capacity_providers=[self.ref(self.ec2_capacity.capacity_provider).name] if self.ec2_capacity else [],
            settings=ClusterSettings(
                name=self.names.cluster,
                exec_log_group_name=self.log_group.name if props.enable_execute_command else None,
                kms_key_arn=props.kms_key_arn,
                fargate_ephemeral_storage_kms_key_id=props.fargate_ephemeral_storage_kms_key_id,
                managed_storage_kms_key_id=props.managed_storage_kms_key_id,
            ),
        )

    def _task_ports(self) -> list[int]:
        props = self.props
        ports = [props.application_port]
        if props.admin_public and props.admin_port is not None:
            ports.append(props.admin_port)
        return ports + [p.port for p in props.extra_ports]
