"""The IP target groups a workload's tasks register in, on its own load balancer or on a shared ALB's listener,
and the listener rule conditions that route to them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from constructs import Construct

from .._jsii.addressing import Part
from .._jsii.aws import (
    LbListenerRuleCondition,
    LbListenerRuleConditionHostHeader,
    LbListenerRuleConditionPathPattern,
    LbTargetGroup,
    LbTargetGroupHealthCheck,
    LbTargetGroupStickiness,
)
from .._jsii.engine import TerraformResourceLifecycle
from ..props.alb_routing import StickinessConfig
from ..props.health_checks import TargetHealthCheckConfig
from ..props.load_balancing import GRPC_HEALTHY_CODES

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
            health_check=_health_check(settings),
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


def _health_check(settings: TargetGroupSettings) -> LbTargetGroupHealthCheck:
    check = settings.health_check
    checks_path = settings.health_check_protocol != "TCP"  # a TCP check only connects
    return LbTargetGroupHealthCheck(
        enabled=True,
        path=settings.health_check_path if checks_path else None,
        matcher=(GRPC_HEALTHY_CODES if settings.protocol_version == "GRPC" else HEALTHY_CODES) if checks_path else None,
        protocol=settings.health_check_protocol,
        port=str(settings.health_check_port or "traffic-port"),
        interval=check.interval_seconds,
        timeout=check.timeout_seconds,
        healthy_threshold=check.healthy_threshold,
        unhealthy_threshold=check.unhealthy_threshold,
    )


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
