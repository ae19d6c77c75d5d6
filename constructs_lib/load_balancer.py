"""The service's internet-facing ALB: HTTPS on 443 with the ACM certificate, HTTP on 80 only as a redirect,
one IP target group, and the ALB ARN published in SSM for CloudFront and other stacks."""

from __future__ import annotations

from dataclasses import dataclass

from constructs import Construct
from cdktf import TerraformResourceLifecycle

from .aws import (
    Lb,
    LbAccessLogs,
    LbListener,
    LbListenerDefaultAction,
    LbListenerDefaultActionRedirect,
    LbTargetGroup,
    LbTargetGroupHealthCheck,
    SsmParameter,
    Wafv2WebAclAssociation,
)
from .config.security import AlbAccessLogsConfig

TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06"
HEALTHY_CODES = "200,302"


@dataclass(frozen=True)
class LoadBalancerSettings:
    name: str
    target_group_name: str
    arn_parameter_name: str
    vpc_id: str
    subnet_ids: list[str]
    security_group_ids: list[str]
    certificate_arn: str
    target_port: int
    health_check_path: str
    deletion_protection: bool
    idle_timeout_seconds: int
    access_logs: AlbAccessLogsConfig | None
    waf_web_acl_arn: str | None
    kms_key_arn: str | None


class ServiceLoadBalancer(Construct):
    def __init__(self, scope: Construct, id: str, *, settings: LoadBalancerSettings):
        super().__init__(scope, id)
        self.load_balancer = Lb(
            self,
            "Default",
            name=settings.name,
            load_balancer_type="application",
            internal=False,
            subnets=settings.subnet_ids,
            security_groups=settings.security_group_ids,
            drop_invalid_header_fields=True,
            enable_deletion_protection=settings.deletion_protection,
            idle_timeout=settings.idle_timeout_seconds,
            access_logs=_access_logs(settings.access_logs),
        )
        if settings.waf_web_acl_arn:
            Wafv2WebAclAssociation(
                self, "waf", resource_arn=self.load_balancer.arn, web_acl_arn=settings.waf_web_acl_arn
            )
        # The name carries a hash of the attributes that force replacement, so a replacement gets a new name
        # and create-before-destroy never meets "DuplicateTargetGroupName" or a listener still using the old one.
        self.target_group = LbTargetGroup(
            self,
            "target-group",
            name=settings.target_group_name,
            port=settings.target_port,
            protocol="HTTP",
            target_type="ip",
            vpc_id=settings.vpc_id,
            health_check=LbTargetGroupHealthCheck(
                enabled=True, path=settings.health_check_path, matcher=HEALTHY_CODES, protocol="HTTP", port="traffic-port"
            ),
            lifecycle=TerraformResourceLifecycle(create_before_destroy=True),
        )
        self.https_listener = LbListener(
            self,
            "https",
            load_balancer_arn=self.load_balancer.arn,
            port=443,
            protocol="HTTPS",
            ssl_policy=TLS_POLICY,
            certificate_arn=settings.certificate_arn,
            default_action=[LbListenerDefaultAction(type="forward", target_group_arn=self.target_group.arn)],
        )
        self.http_listener = LbListener(
            self,
            "http-redirect",
            load_balancer_arn=self.load_balancer.arn,
            port=80,
            protocol="HTTP",
            default_action=[
                LbListenerDefaultAction(
                    type="redirect",
                    redirect=LbListenerDefaultActionRedirect(port="443", protocol="HTTPS", status_code="HTTP_301"),
                )
            ],
        )
        self.arn_parameter = SsmParameter(
            self,
            "arn-parameter",
            name=settings.arn_parameter_name,
            type="SecureString",
            key_id=settings.kms_key_arn,
            value=self.load_balancer.arn,
            description="ARN of the service's ALB, for CloudFront origins and other stacks",
        )


def _access_logs(config: AlbAccessLogsConfig | None) -> LbAccessLogs | None:
    if config is None:
        return None
    return LbAccessLogs(enabled=True, bucket=config.bucket, prefix=config.prefix or None)
