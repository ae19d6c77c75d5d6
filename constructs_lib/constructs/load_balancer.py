"""The service's load balancing: its own ALB (internet-facing by default: HTTPS on 443 with the ACM certificate,
HTTP on 80 only as a redirect, the ALB ARN published in SSM), or listener rules on another service's shared ALB;
and the IP target groups the service registers in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from constructs import Construct

from .._jsii.addressing import Part
from .._jsii.aws import (
    DataAwsLb,
    DataAwsLbListener,
    Lb,
    LbAccessLogs,
    LbListener,
    LbListenerDefaultAction,
    LbListenerDefaultActionRedirect,
    LbListenerRule,
    LbListenerRuleAction,
    LbListenerRuleCondition,
    LbListenerRuleConditionHostHeader,
    LbListenerRuleConditionPathPattern,
    LbTargetGroup,
    LbTargetGroupHealthCheck,
    LbTargetGroupStickiness,
    SsmParameter,
    Wafv2WebAclAssociation,
)
from .._jsii.engine import TerraformResourceLifecycle
from ..props.capabilities import ListenerRuleConfig, StickinessConfig, TargetHealthCheckConfig
from ..props.load_balancing import GRPC_HEALTHY_CODES
from ..props.security import AlbAccessLogsConfig

TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06"
HEALTHY_CODES = "200,302"


@dataclass(frozen=True)
class TargetGroupSettings:
    vpc_id: str
    health_check_path: str
    health_check: TargetHealthCheckConfig
    deregistration_delay_seconds: int
    stickiness: StickinessConfig | None
    load_balancing_algorithm: str
    protocol_version: str | None = None  # HTTP1 (ELB's default), HTTP2 or GRPC
    protocol: str = "HTTP"  # an NLB's: TCP, TLS or UDP
    health_check_protocol: str = "HTTP"  # an NLB's: TCP, HTTP or HTTPS
    health_check_port: int | None = None  # None: the traffic port

    @property
    def is_http(self) -> bool:
        return self.protocol == "HTTP"


class ServiceTargetGroup(Part):
    """An IP target group whose name carries a hash of what forces its replacement, so a replacement gets a new
    name and create-before-destroy never meets "DuplicateTargetGroupName" or a listener still using the old one."""

    def __init__(self, scope: Construct, id: str, *, name: str, port: int, settings: TargetGroupSettings):
        super().__init__(scope, id)
        check = settings.health_check
        checks_path = settings.health_check_protocol != "TCP"  # a TCP check only connects
        self.target_group = LbTargetGroup(
            self,
            "Default",
            name=name,
            port=port,
            protocol=settings.protocol,
            protocol_version=settings.protocol_version,
            target_type="ip",
            vpc_id=settings.vpc_id,
            deregistration_delay=str(settings.deregistration_delay_seconds),
            load_balancing_algorithm_type=settings.load_balancing_algorithm if settings.is_http else None,
            health_check=LbTargetGroupHealthCheck(
                enabled=True,
                path=settings.health_check_path if checks_path else None,
                matcher=(GRPC_HEALTHY_CODES if settings.protocol_version == "GRPC" else HEALTHY_CODES)
                if checks_path
                else None,
                protocol=settings.health_check_protocol,
                port=str(settings.health_check_port or "traffic-port"),
                interval=check.interval_seconds,
                timeout=check.timeout_seconds,
                healthy_threshold=check.healthy_threshold,
                unhealthy_threshold=check.unhealthy_threshold,
            ),
            stickiness=(
                LbTargetGroupStickiness(
                    type="lb_cookie",
                    enabled=settings.stickiness.enabled,
                    cookie_duration=settings.stickiness.duration_seconds,
                )
                if settings.stickiness
                else None
            ),
            lifecycle=TerraformResourceLifecycle(create_before_destroy=True),
        )
        self.arn: str = self.target_group.arn


@dataclass(frozen=True)
class ExtraTarget:
    """Another target group of the service with its own HTTPS listener: the public admin port, or the green
    side (test listener) of a CodeDeploy blue/green deployment."""

    id: str
    target_group_name: str
    target_port: int
    listener_port: int | None  # None: a target group only (ECS-native blue/green's alternate)


@dataclass(frozen=True)
class LoadBalancerSettings:
    name: str
    arn_parameter_name: str
    subnet_ids: list[str]
    security_group_ids: list[str]
    certificate_arn: str | None  # None: an NLB's TCP or UDP listener
    internal: bool
    deletion_protection: bool
    idle_timeout_seconds: int
    access_logs: AlbAccessLogsConfig | None
    waf_web_acl_arn: str | None
    kms_key_arn: str | None


class ServiceLoadBalancer(Part):
    """The service's own ALB with its HTTPS and HTTP-redirect listeners, forwarding to its target group."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        settings: LoadBalancerSettings,
        target_group_name: str,
        target_port: int,
        target_groups: TargetGroupSettings,
        extra_targets: list[ExtraTarget],
        deployments_switch_listeners: bool = False,
    ):
        super().__init__(scope, id)
        self.settings = settings
        # CodeDeploy moves the listeners between blue and green: Terraform must not switch them back.
        self._listener_lifecycle = (
            TerraformResourceLifecycle(ignore_changes=["default_action"]) if deployments_switch_listeners else None
        )
        self.target_group = ServiceTargetGroup(
            self, "target-group", name=target_group_name, port=target_port, settings=target_groups
        )
        self.load_balancer = Lb(
            self,
            "Default",
            name=settings.name,
            load_balancer_type="application",
            internal=settings.internal,
            subnets=settings.subnet_ids,
            security_groups=settings.security_group_ids,
            drop_invalid_header_fields=True,
            enable_deletion_protection=settings.deletion_protection,
            idle_timeout=settings.idle_timeout_seconds,
            access_logs=access_logs(settings.access_logs),
        )
        self.dns_name: str = self.load_balancer.dns_name
        self.zone_id: str = self.load_balancer.zone_id
        self.arn_suffix: str = self.load_balancer.arn_suffix
        if settings.waf_web_acl_arn:
            Wafv2WebAclAssociation(
                self, "waf", resource_arn=self.ref(self.load_balancer).arn, web_acl_arn=settings.waf_web_acl_arn
            )
        self.https_listener = self._https_listener("https", 443, self.target_group.arn)
        self.http_listener = LbListener(
            self,
            "http-redirect",
            load_balancer_arn=self.ref(self.load_balancer).arn,
            port=80,
            protocol="HTTP",
            default_action=[
                LbListenerDefaultAction(
                    type="redirect",
                    redirect=LbListenerDefaultActionRedirect(port="443", protocol="HTTPS", status_code="HTTP_301"),
                )
            ],
        )
        self.arn_parameter = arn_parameter(self, settings, self.ref(self.load_balancer).arn, "ALB")
        self.extra_target_groups: dict[str, ServiceTargetGroup] = {}
        self.extra_listeners: dict[str, LbListener] = {}
        for extra in extra_targets:
            group = ServiceTargetGroup(
                self,
                f"{extra.id}-target-group",
                name=extra.target_group_name,
                port=extra.target_port,
                settings=target_groups,
            )
            self.extra_target_groups[extra.id] = group
            if extra.listener_port is not None:
                self.extra_listeners[extra.id] = self._https_listener(
                    f"{extra.id}-https", extra.listener_port, group.arn
                )

    def add_production_rule(self) -> LbListenerRule:
        """ECS-native blue/green shifts traffic by rewriting this rule's forward weights: Terraform leaves the
        action alone after creation."""
        return LbListenerRule(
            self,
            "production-rule",
            listener_arn=self.ref(self.https_listener).arn,
            priority=1,
            action=[LbListenerRuleAction(type="forward", target_group_arn=self.target_group.arn)],
            condition=[LbListenerRuleCondition(path_pattern=LbListenerRuleConditionPathPattern(values=["/*"]))],
            lifecycle=TerraformResourceLifecycle(ignore_changes=["action"]),
        )

    def _https_listener(self, id: str, port: int, target_group_arn: str) -> LbListener:
        return LbListener(
            self,
            id,
            load_balancer_arn=self.ref(self.load_balancer).arn,
            port=port,
            protocol="HTTPS",
            ssl_policy=TLS_POLICY,
            certificate_arn=self.settings.certificate_arn,
            default_action=[LbListenerDefaultAction(type="forward", target_group_arn=target_group_arn)],
            lifecycle=self._listener_lifecycle,
        )


class SharedLoadBalancerRoutes(Part):
    """Listener rules on another service's HTTPS listener, forwarding matching requests to this service."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        listener_arn: str,
        rules: list[ListenerRuleConfig],
        target_group_name: str,
        target_port: int,
        target_groups: TargetGroupSettings,
    ):
        super().__init__(scope, id)
        self.target_group = ServiceTargetGroup(
            self, "target-group", name=target_group_name, port=target_port, settings=target_groups
        )
        target_group_arn = self.target_group.arn
        listener = DataAwsLbListener(self, "listener", arn=listener_arn)
        shared = DataAwsLb(self, "alb", arn=listener.load_balancer_arn)
        self.arn_suffix: str = shared.arn_suffix
        self.dns_name: str = shared.dns_name
        self.zone_id: str = shared.zone_id
        self.rules = [
            LbListenerRule(
                self,
                f"rule-{rule.priority}",
                listener_arn=listener_arn,
                priority=rule.priority,
                action=[LbListenerRuleAction(type="forward", target_group_arn=target_group_arn)],
                condition=rule_conditions(rule),
            )
            for rule in rules
        ]


class RuleConditions(Protocol):
    """What a listener rule and an extra port both have (read-only: the props are frozen)."""

    @property
    def path_patterns(self) -> list[str]: ...

    @property
    def host_headers(self) -> list[str]: ...


def rule_conditions(rule: RuleConditions) -> list[LbListenerRuleCondition]:
    conditions = []
    if rule.path_patterns:
        conditions.append(
            LbListenerRuleCondition(path_pattern=LbListenerRuleConditionPathPattern(values=rule.path_patterns))
        )
    if rule.host_headers:
        conditions.append(
            LbListenerRuleCondition(host_header=LbListenerRuleConditionHostHeader(values=rule.host_headers))
        )
    return conditions


def arn_parameter(scope: Construct, settings: LoadBalancerSettings, arn: str, kind: str) -> SsmParameter:
    """The load balancer's ARN in SSM (encrypted with the env's key), where CloudFront origins and other stacks
    find it."""
    return SsmParameter(
        scope,
        "arn-parameter",
        name=settings.arn_parameter_name,
        type="SecureString",
        key_id=settings.kms_key_arn,
        value=arn,
        description=f"ARN of the service's {kind}, for CloudFront origins and other stacks",
    )


def access_logs(config: AlbAccessLogsConfig | None) -> LbAccessLogs | None:
    if config is None:
        return None
    return LbAccessLogs(enabled=True, bucket=config.bucket, prefix=config.prefix or None)
