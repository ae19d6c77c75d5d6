"""An ALB the environment stack owns (`environment_resources.load_balancers`), which services of the environment
attach listener rules to by name. It is an `ApplicationLoadBalancer` like a service's own (one code path: invalid
headers dropped, HTTPS with the TLS 1.3 policy, HTTP redirected, access logs, the web ACL), with its two security
groups; its HTTPS listener answers 404 to whatever no service's rule matches, so nothing is served by accident."""

from __future__ import annotations

from dataclasses import replace

from constructs import Construct

from .._jsii.aws import LbListenerDefaultAction, LbListenerDefaultActionFixedResponse
from .._jsii.engine import ITerraformDependable
from .load_balancer import ApplicationLoadBalancer, LoadBalancerSettings
from .security_groups import HTTPS_PORT, LoadBalancerSecurityGroups

NOT_FOUND = LbListenerDefaultActionFixedResponse(content_type="text/plain", status_code="404", message_body="Not Found")


class EnvironmentLoadBalancer(ApplicationLoadBalancer):
    """`https_listener` is what services' rules attach to; `security_groups.alb_cloudfront_id` the group their tasks
    admit (and add their egress to: the groups allow none of their own)."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        settings: LoadBalancerSettings,
        vpc_id: str,
        group_names: tuple[str, str],
        cloudfront_prefix_list_id: str | None,
        ingress_cidrs: list[str],
        depends_on: list[ITerraformDependable] | None = None,
    ):
        super().__init__(scope, id)
        self.security_groups = LoadBalancerSecurityGroups(
            self,
            "security-groups",
            vpc_id=vpc_id,
            group_names=group_names,
            cloudfront_prefix_list_id=cloudfront_prefix_list_id,
            ingress_cidrs=ingress_cidrs,
        )
        self._add_load_balancer(replace(settings, security_group_ids=self.security_groups.alb_ids), depends_on)
        self.https_listener = self._https_listener(
            "https", HTTPS_PORT, LbListenerDefaultAction(type="fixed-response", fixed_response=NOT_FOUND)
        )
        self.http_listener = self._http_redirect()
