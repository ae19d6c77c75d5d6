"""How traffic reaches `EcsFargateService`: its own ALB (with the extra target groups of the admin port and of
blue/green deployments) or rules on a shared ALB's listener.

A mixin of `WebService` (web_service.py), kept apart so the service reads as its steps.
"""

from __future__ import annotations

from typing import Any

from .._jsii.aws import IamRole, IamRolePolicyAttachment
from ..constructs.conventions import CODEDEPLOY_TEST_LISTENER_PORT
from ..constructs.iam import trust_policy
from ..constructs.load_balancer import (
    ExtraTarget,
    LoadBalancerSettings,
    ServiceLoadBalancer,
    SharedLoadBalancerRoutes,
    TargetGroupSettings,
)
from ..constructs.port_routes import PortRoutes
from ..props.deployment import shifts_traffic
from ..props.limits import IAM_ROLE_NAME_MAX
from ..props.naming import fit
from ..props.resource_names import target_group_name

ECS_LOAD_BALANCER_POLICY_ARN = "arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers"


class ServiceRouting:
    """The load balancing of `WebService`: sets `load_balancer`, `target_group`, the listeners and routes."""

    def _add_load_balancing(self: Any) -> None:
        service, names, network = self.props, self.names, self.props.network
        target_groups = TargetGroupSettings(
            vpc_id=network.vpc_id,
            health_check_path=service.health_check_path,
            health_check=service.health_check,
            deregistration_delay_seconds=service.deregistration_delay_seconds,
            stickiness=service.stickiness,
            load_balancing_algorithm=service.load_balancing_algorithm,
            protocol_version=service.protocol_version,
        )
        self.load_balancer = self.https_listener = self.http_listener = self.alb_arn_parameter = None
        self.routes = None
        if service.shared_alb:
            self.routes = SharedLoadBalancerRoutes(
                self, "alb", listener_arn=service.shared_alb.listener_arn, rules=service.listener_rules,
                target_group_name=names.target_group, target_port=service.application_port, target_groups=target_groups,
            )
            self.target_group = self.routes.target_group.target_group
            self.load_balancer_dns_name, self.load_balancer_zone_id = self.routes.dns_name, self.routes.zone_id
            self._routing = self.routes
            self._add_port_routes(service.shared_alb.listener_arn, target_groups)
            return
        extra = []
        if service.admin_public and service.admin_port is not None:
            extra.append(ExtraTarget("admin", names.admin_target_group, service.admin_port, service.admin_port))
        if service.deployment_ownership == "codedeploy":
            extra.append(ExtraTarget("green", names.green_target_group, service.application_port, CODEDEPLOY_TEST_LISTENER_PORT))
        if shifts_traffic(service.deployment, service.deployment_ownership):
            extra.append(ExtraTarget("green", names.green_target_group, service.application_port, None))
        alb = ServiceLoadBalancer(
            self,
            "alb",
            settings=LoadBalancerSettings(
                name=names.load_balancer,
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
            ),
            target_group_name=names.target_group,
            target_port=service.application_port,
            target_groups=target_groups,
            extra_targets=extra,
            deployments_switch_listeners=service.deployment_ownership == "codedeploy",
        )
        self.alb = alb
        self.load_balancer = alb.load_balancer
        self.target_group = alb.target_group.target_group
        self.https_listener = alb.https_listener
        self.http_listener = alb.http_listener
        self.alb_arn_parameter = alb.arn_parameter
        self.load_balancer_dns_name, self.load_balancer_zone_id = alb.dns_name, alb.zone_id
        self._routing = alb
        if shifts_traffic(service.deployment, service.deployment_ownership):
            self._add_ecs_blue_green(alb)
        self._add_port_routes(self.ref(alb.https_listener).arn, target_groups)

    def _add_port_routes(self: Any, listener_arn: str, target_groups: TargetGroupSettings) -> None:
        """The extra ports' target groups and listener rules, on whichever HTTPS listener serves the service."""
        props = self.props
        names = [
            target_group_name(self.naming, props.service_name, props.network.vpc_id, p.port, f"p{p.port}", props.protocol_version)
            for p in props.extra_ports
        ]
        self.port_routes = (
            PortRoutes(self, "ports", listener_arn=listener_arn, ports=list(zip(props.extra_ports, names)), target_groups=target_groups)
            if props.extra_ports
            else None
        )

    def _add_ecs_blue_green(self: Any, alb: ServiceLoadBalancer) -> None:
        """ECS-native blue/green, linear and canary (AWS provider 6.x): ECS itself switches the production rule
        between the target groups, through a role it assumes for the load balancer."""
        rule = alb.add_production_rule()
        role = IamRole(
            self,
            "blue-green-role",
            name=fit(f"{self.names.service}-blue-green", IAM_ROLE_NAME_MAX),
            description=f"ECS switches {self.names.service} traffic between its blue and green target groups",
            assume_role_policy=trust_policy(
                self, "ecs.amazonaws.com", {"StringEquals": {"aws:SourceAccount": self.props.account_id}}
            ),
            permissions_boundary=self.props.permissions_boundary_arn,
        )
        IamRolePolicyAttachment(
            self, "blue-green-role-policy", role=self.ref(role).name, policy_arn=ECS_LOAD_BALANCER_POLICY_ARN
        )
        self._blue_green = (alb.extra_target_groups["green"].arn, self.ref(rule).arn, self.ref(role).arn)
