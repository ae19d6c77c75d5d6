"""How traffic reaches `EcsFargateService`: its own ALB (with the extra target groups of the admin port and of
blue/green deployments) or rules on a shared ALB's listener (the environment's ALB, or another service's).

A mixin of `WebService` (web_service.py), kept apart so the service reads as its steps.
"""

from __future__ import annotations

from typing import Any

from .._jsii.aws import IamRolePolicyAttachment
from ..constructs.conventions import CODEDEPLOY_TEST_LISTENER_PORT
from ..constructs.iam import service_role, source_account
from ..constructs.load_balancer import (
    ExtraTarget,
    LoadBalancerSettings,
    ServiceLoadBalancer,
    SharedListener,
    SharedLoadBalancerRoutes,
)
from ..constructs.network_load_balancer import NetworkListenerSettings, ServiceNetworkLoadBalancer
from ..constructs.port_routes import PortRoutes
from ..constructs.target_groups import TargetGroupSettings
from ..props.deployment import shifts_traffic
from ..props.limits import IAM_ROLE_NAME_MAX
from ..props.naming import fit
from ..props.resource_names import target_group_name

ECS_LOAD_BALANCER_POLICY_ARN = "arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers"


class ServiceRouting:
    """The load balancing of `WebService`: sets `load_balancer`, `target_group`, the listeners and routes."""

    _blue_green: tuple[str, str, str] | None  # (alternate target group, production rule, role) ARNs

    def _add_load_balancing(self: Any) -> None:
        target_groups = self._target_group_settings()
        self.load_balancer = self.https_listener = self.http_listener = self.alb_arn_parameter = None
        self.routes = self.alb = self.listener = None
        if self.props.shared_alb:
            self._add_shared_routes(target_groups)
        elif self.props.nlb:
            self._add_network_load_balancer(target_groups)
        else:
            self._add_application_load_balancer(target_groups)

    def _target_group_settings(self: Any) -> TargetGroupSettings:
        service = self.props
        return TargetGroupSettings(
            vpc_id=service.network.vpc_id,
            health_check_path=service.health_check_path,
            health_check=service.health_check,
            deregistration_delay_seconds=service.deregistration_delay_seconds,
            stickiness=service.stickiness,
            load_balancing_algorithm=service.load_balancing_algorithm,
            protocol_version=service.protocol_version,
            protocol=service.target_group_protocol,
            health_check_protocol=service.nlb.health_check_protocol if service.nlb else "HTTP",
            health_check_port=service.nlb.health_check_port if service.nlb else None,
        )

    def _add_shared_routes(self: Any, target_groups: TargetGroupSettings) -> None:
        """Rules on a shared ALB's listener: the environment's ALB (found by name, `self._shared_alb`) or the
        listener given."""
        service = self.props
        found = self._shared_alb
        self.routes = SharedLoadBalancerRoutes(
            self,
            "alb",
            listener=SharedListener(service.shared_alb.listener_arn, found.attributes if found else None),
            rules=service.listener_rules,
            target_group_name=self.names.target_group,
            target_port=service.application_port,
            target_groups=target_groups,
            certificate_arn=self.certificate_arn,
        )
        self.target_group = self.routes.target_group.target_group
        self.load_balancer_dns_name, self.load_balancer_zone_id = self.routes.dns_name, self.routes.zone_id
        self._routing = self.routes
        self._add_port_routes(service.shared_alb.listener_arn, target_groups)

    def _add_application_load_balancer(self: Any, target_groups: TargetGroupSettings) -> None:
        """The service's own ALB, with the admin port's and blue/green's extra target groups."""
        service, names = self.props, self.names
        extra = []
        if service.admin_public and service.admin_port is not None:
            extra.append(ExtraTarget("admin", names.admin_target_group, service.admin_port, service.admin_port))
        if service.deployment_ownership == "codedeploy":
            extra.append(
                ExtraTarget("green", names.green_target_group, service.application_port, CODEDEPLOY_TEST_LISTENER_PORT)
            )
        if shifts_traffic(service.deployment, service.deployment_ownership):
            extra.append(ExtraTarget("green", names.green_target_group, service.application_port, None))
        alb = ServiceLoadBalancer(
            self,
            "alb",
            settings=self._load_balancer_settings(),
            target_group_name=names.target_group,
            target_port=service.application_port,
            target_groups=target_groups,
            extra_targets=extra,
            deployments_switch_listeners=service.deployment_ownership == "codedeploy",
        )
        self.alb = alb
        self.load_balancer = alb.load_balancer
        self.target_group = alb.target_group.target_group
        self.https_listener = self.listener = alb.https_listener
        self.http_listener = alb.http_listener
        self.alb_arn_parameter = alb.arn_parameter
        self.load_balancer_dns_name, self.load_balancer_zone_id = alb.dns_name, alb.zone_id
        self._routing = alb
        if shifts_traffic(service.deployment, service.deployment_ownership):
            self._add_ecs_blue_green(alb)
        self._add_port_routes(self.ref(alb.https_listener).arn, target_groups)

    def _add_network_load_balancer(self: Any, target_groups: TargetGroupSettings) -> None:
        """An NLB of the service's own: one TCP, TLS or UDP listener, no HTTP redirect, no extra targets."""
        props, nlb = self.props, self.props.nlb
        self.nlb = ServiceNetworkLoadBalancer(
            self,
            "nlb",
            settings=self._load_balancer_settings(),
            listener=NetworkListenerSettings(nlb.listener_protocol, nlb.port(props.application_port), nlb.tls_policy),
            target_group_name=self.names.target_group,
            target_port=props.application_port,
            target_groups=target_groups,
        )
        self.load_balancer, self.listener = self.nlb.load_balancer, self.nlb.listener
        self.target_group = self.nlb.target_group.target_group
        self.alb_arn_parameter = self.nlb.arn_parameter
        self.load_balancer_dns_name, self.load_balancer_zone_id = self.nlb.dns_name, self.nlb.zone_id
        self._routing = self.nlb
        self.port_routes = None

    def _load_balancer_settings(self: Any) -> LoadBalancerSettings:
        """The service's own load balancer, an ALB or an NLB (which ignores the ALB-only settings)."""
        service, network = self.props, self.props.network
        return LoadBalancerSettings(
            name=self.names.load_balancer,
            arn_parameter_name=self.naming.alb_arn_parameter(service.alb_name or service.service_name),
            subnet_ids=network.private_subnet_ids if service.internal else network.public_subnet_ids,
            security_group_ids=self.security_groups.alb_ids,
            certificate_arn=self.certificate_arn,
            internal=service.internal,
            deletion_protection=service.deletion_protection,
            idle_timeout_seconds=service.alb_idle_timeout_seconds,
            access_logs=service.alb_access_logs,
            waf_web_acl_arn=service.waf_web_acl_arn,
            kms_key_arn=service.kms_key_arn,
        )

    def _add_port_routes(self: Any, listener_arn: str, target_groups: TargetGroupSettings) -> None:
        """The extra ports' target groups and listener rules, on whichever HTTPS listener serves the service."""
        props = self.props
        names = [
            target_group_name(
                self.naming, props.service_name, props.network.vpc_id, p.port, f"p{p.port}", props.protocol_version
            )
            for p in props.extra_ports
        ]
        self.port_routes = (
            PortRoutes(
                self,
                "ports",
                listener_arn=listener_arn,
                ports=list(zip(props.extra_ports, names, strict=True)),
                target_groups=target_groups,
            )
            if props.extra_ports
            else None
        )

    def _add_ecs_blue_green(self: Any, alb: ServiceLoadBalancer) -> None:
        """ECS-native blue/green, linear and canary (AWS provider 6.x): ECS itself switches the production rule
        between the target groups, through a role it assumes for the load balancer."""
        rule = alb.add_production_rule()
        role = service_role(
            self,
            "blue-green-role",
            name=fit(f"{self.names.service}-blue-green", IAM_ROLE_NAME_MAX),
            description=f"ECS switches {self.names.service} traffic between its blue and green target groups",
            principal="ecs.amazonaws.com",
            conditions=source_account(self.props.account_id),
            permissions_boundary_arn=self.props.permissions_boundary_arn,
        )
        IamRolePolicyAttachment(
            self, "blue-green-role-policy", role=self.ref(role).name, policy_arn=ECS_LOAD_BALANCER_POLICY_ARN
        )
        self._blue_green = (alb.extra_target_groups["green"].arn, self.ref(rule).arn, self.ref(role).arn)
