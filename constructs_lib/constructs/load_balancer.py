"""The service's load balancing: its own ALB (internet-facing by default: HTTPS on 443 with the ACM certificate,
HTTP on 80 only as a redirect, the ALB ARN published in SSM), or listener rules on a shared ALB (another service's,
or one the environment stack owns). `ApplicationLoadBalancer` is what every ALB of the library is, the service's
and the environment's alike; target groups are in target_groups.py."""

from __future__ import annotations

from dataclasses import dataclass

from constructs import Construct

from .._jsii.addressing import Part
from .._jsii.aws import (
    DataAwsLb,
    DataAwsLbListener,
    Lb,
    LbAccessLogs,
    LbListener,
    LbListenerCertificate,
    LbListenerDefaultAction,
    LbListenerDefaultActionRedirect,
    LbListenerRule,
    LbListenerRuleAction,
    LbListenerRuleCondition,
    LbListenerRuleConditionPathPattern,
    SsmParameter,
    Wafv2WebAclAssociation,
)
from .._jsii.engine import ITerraformDependable, TerraformResourceLifecycle
from ..props.alb_routing import ListenerRuleConfig
from ..props.security import AlbAccessLogsConfig
from .target_groups import ServiceTargetGroup, TargetGroupSettings, rule_conditions

TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06"


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
    subnet_ids: list[str]
    security_group_ids: list[str]
    certificate_arn: str | None  # None: an NLB's TCP or UDP listener
    internal: bool
    deletion_protection: bool
    idle_timeout_seconds: int
    access_logs: AlbAccessLogsConfig | None
    waf_web_acl_arn: str | None
    arn_parameter_name: str | None = None  # a service's load balancer publishes its ARN in SSM
    kms_key_arn: str | None = None  # of that parameter


class ApplicationLoadBalancer(Part):
    """An ALB as the library builds every one: invalid headers dropped, HTTPS with the TLS 1.3 policy, HTTP only
    as a redirect to HTTPS, the web ACL associated when there is one. Subclasses say what the HTTPS listener
    does by default (forward to the service, or a fixed 404 on a shared ALB whose rules belong to others)."""

    _listener_lifecycle: TerraformResourceLifecycle | None = None

    def _add_load_balancer(
        self, settings: LoadBalancerSettings, depends_on: list[ITerraformDependable] | None = None
    ) -> None:
        self.settings = settings
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
            depends_on=depends_on,
        )
        self.dns_name: str = self.load_balancer.dns_name
        self.zone_id: str = self.load_balancer.zone_id
        self.arn_suffix: str = self.load_balancer.arn_suffix
        if settings.waf_web_acl_arn:
            Wafv2WebAclAssociation(
                self, "waf", resource_arn=self.ref(self.load_balancer).arn, web_acl_arn=settings.waf_web_acl_arn
            )

    def _https_listener(self, id: str, port: int, default_action: LbListenerDefaultAction) -> LbListener:
        return LbListener(
            self,
            id,
            load_balancer_arn=self.ref(self.load_balancer).arn,
            port=port,
            protocol="HTTPS",
            ssl_policy=TLS_POLICY,
            certificate_arn=self.settings.certificate_arn,
            default_action=[default_action],
            lifecycle=self._listener_lifecycle,
        )

    def _http_redirect(self) -> LbListener:
        return LbListener(
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


def forward_to(target_group_arn: str) -> LbListenerDefaultAction:
    return LbListenerDefaultAction(type="forward", target_group_arn=target_group_arn)


class ServiceLoadBalancer(ApplicationLoadBalancer):
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
        # CodeDeploy moves the listeners between blue and green: Terraform must not switch them back.
        self._listener_lifecycle = (
            TerraformResourceLifecycle(ignore_changes=["default_action"]) if deployments_switch_listeners else None
        )
        self.target_group = ServiceTargetGroup(
            self, "target-group", name=target_group_name, port=target_port, settings=target_groups
        )
        self._add_load_balancer(settings)
        self.https_listener = self._https_listener("https", 443, forward_to(self.target_group.arn))
        self.http_listener = self._http_redirect()
        self.arn_parameter = arn_parameter(self, settings, self.ref(self.load_balancer).arn, "ALB")
        self.extra_target_groups: dict[str, ServiceTargetGroup] = {}
        self.extra_listeners: dict[str, LbListener] = {}
        for extra in extra_targets:
            self._add_extra_target(extra, target_groups)

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

    def _add_extra_target(self, extra: ExtraTarget, target_groups: TargetGroupSettings) -> None:
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
                f"{extra.id}-https", extra.listener_port, forward_to(group.arn)
            )


@dataclass(frozen=True)
class SharedListener:
    """A shared ALB's HTTPS listener as a service on it sees it. `load_balancer` holds the ALB's DNS name, zone
    and ARN suffix when they are known already (an environment's ALB, looked up by name); None: looked up from
    the listener."""

    listener_arn: str
    load_balancer: SharedAlbAttributes | None = None


@dataclass(frozen=True)
class SharedAlbAttributes:
    dns_name: str
    zone_id: str
    arn_suffix: str


class SharedLoadBalancerRoutes(Part):
    """Listener rules on a shared ALB's HTTPS listener (another service's or the environment's), forwarding
    matching requests to this service; and the service's own certificate, when it has one, added to that listener,
    which then presents it to clients asking for the service's host name (SNI) instead of the ALB's default."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        listener: SharedListener,
        rules: list[ListenerRuleConfig],
        target_group_name: str,
        target_port: int,
        target_groups: TargetGroupSettings,
        certificate_arn: str | None = None,
    ):
        super().__init__(scope, id)
        self.target_group = ServiceTargetGroup(
            self, "target-group", name=target_group_name, port=target_port, settings=target_groups
        )
        target_group_arn = self.target_group.arn
        alb = listener.load_balancer or self._look_up(listener.listener_arn)
        self.arn_suffix, self.dns_name, self.zone_id = alb.arn_suffix, alb.dns_name, alb.zone_id
        self.rules = [
            LbListenerRule(
                self,
                f"rule-{rule.priority}",
                listener_arn=listener.listener_arn,
                priority=rule.priority,
                action=[LbListenerRuleAction(type="forward", target_group_arn=target_group_arn)],
                condition=rule_conditions(rule),
            )
            for rule in rules
        ]
        self.listener_certificate = (
            None
            if certificate_arn is None
            else LbListenerCertificate(
                self, "listener-certificate", listener_arn=listener.listener_arn, certificate_arn=certificate_arn
            )
        )

    def _look_up(self, listener_arn: str) -> SharedAlbAttributes:
        listener = DataAwsLbListener(self, "listener", arn=listener_arn)
        shared = DataAwsLb(self, "alb", arn=listener.load_balancer_arn)
        return SharedAlbAttributes(dns_name=shared.dns_name, zone_id=shared.zone_id, arn_suffix=shared.arn_suffix)


def arn_parameter(scope: Construct, settings: LoadBalancerSettings, arn: str, kind: str) -> SsmParameter:
    """The load balancer's ARN in SSM (encrypted with the env's key), where CloudFront origins and other stacks
    find it."""
    assert settings.arn_parameter_name is not None  # a service's load balancer always names its parameter
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
