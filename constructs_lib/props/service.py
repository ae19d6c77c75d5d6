"""What a web service is, shared by both front ends: an env file's service (`config.ServiceConfig`) and a
`WebService` built in Python (`patterns.WebServiceProps`). Each field, default and rule lives here once.

The task and the ECS service are `task.EcsServiceOptions`, which workers share; here is what a web service adds:
its port, load balancing, health checks, deployments through the load balancer, discovery and its own cluster.
Field-level limits live on the fields; rules that involve several fields are checked by `cross_field_rules` (see
base.py) so that every problem is reported in the same run.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from .alb_routing import ListenerRuleConfig, StickinessConfig
from .arns import KMS_KEY
from .autoscaling import AutoscalingConfig
from .base import Bounded, Port, Problems, problem, typed
from .discovery import ServiceConnectConfig, ServiceDiscoveryConfig
from .health_checks import TargetHealthCheckConfig
from .load_balancing import ExtraPortConfig, ProtocolVersion, extra_port_rules
from .network_load_balancer import (
    LoadBalancerType,
    NetworkLoadBalancerConfig,
    network_load_balancer_rules,
    unserved_certificate_rules,
)
from .security import AlbAccessLogsConfig, CidrV4
from .shared_alb import SharedAlbConfig
from .task import ContainerPort, EcsServiceOptions

NonEmptyStr = Annotated[str, Field(min_length=1)]
BakeTime = Annotated[int, Bounded(0, 1440, "a bake time")]
GracePeriod = Annotated[int, Bounded(0, 2147483647, "a grace period")]
DeregistrationDelay = Annotated[int, Bounded(0, 3600, "a deregistration delay")]
# Service Connect's app protocol follows the target groups' protocol version (HTTP1 and unset: http).
APP_PROTOCOLS = {"HTTP2": "http2", "GRPC": "grpc"}


class ServiceOptions(EcsServiceOptions):
    """What a web service is, the same for an env file's service and a `WebService` built in Python: the task and
    service (`EcsServiceOptions`) plus its load balancing and every web capability. Where it runs, its image and
    its domain are given differently by each front end (`ServiceConfig` names them by convention,
    `WebServiceProps` takes them as values and constructs), so they are not here."""

    application_port: Port = Field(description="Port the app container listens on (1-65535).")
    admin_port: Port | None = Field(default=None, description="Admin interface port. default: none")
    admin_active: bool = Field(default=False, description="Map admin_port in the container. default: false")
    health_check_path: Annotated[str, Field(pattern=r"^/", max_length=1024)] = Field(
        default="/", description="Target group (and container) health check path. default: /"
    )
    health_check_cmd: NonEmptyStr | None = Field(
        default=None,
        description="Container health check command, run as '<cmd> http://localhost:<port><path> || exit 1'. "
        "default: no container health check (the ALB checks health_check_path)",
    )
    alb_ingress_cidrs: list[CidrV4] = Field(
        default_factory=list,
        description="Networks allowed to reach the ALB on 443 and 80 (an NLB on its listener port) besides CloudFront. "
        "default: none",
    )
    alb_access_logs: AlbAccessLogsConfig | None = Field(default=None, description="ALB access logs. default: off")
    alb_idle_timeout_seconds: Annotated[int, Field(ge=1, le=4000)] = Field(
        default=60, description="ALB idle timeout. default: 60"
    )
    waf_web_acl_arn: (
        Annotated[str, Field(pattern=r"^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:\d{12}:regional/webacl/.+$")] | None
    ) = Field(default=None, description="Regional WAFv2 web ACL associated with the ALB. default: none")
    deletion_protection: bool = Field(
        default=True,
        description="ALB deletion protection; turn off for environments you tear down. default: true",
    )
    autoscaling: AutoscalingConfig | None = Field(default=None, description="Application Auto Scaling. default: off")
    deployment_ownership: Literal["terraform", "external_image", "codedeploy", "ecs_blue_green"] = Field(
        default="terraform",
        description="Who deploys new images: terraform (task definition from this config), external_image (a CI "
        "pipeline registers revisions), codedeploy (blue/green via CodeDeploy), ecs_blue_green (ECS-native "
        "blue/green, AWS provider 6.x only). default: terraform",
    )
    blue_green_bake_time_minutes: BakeTime = Field(
        default=5, description="ecs_blue_green / codedeploy: minutes both colours stay up. default: 5"
    )
    health_check: TargetHealthCheckConfig = Field(
        default_factory=TargetHealthCheckConfig,
        description="Target group health check timing. default: 30 s / 5 s / 5 / 2",
    )
    deregistration_delay_seconds: DeregistrationDelay = Field(
        default=300, description="Draining time of a stopping task. default: 300"
    )
    stickiness: StickinessConfig | None = Field(
        default=None, description="Load balancer cookie stickiness. default: off"
    )
    load_balancing_algorithm: Literal["round_robin", "least_outstanding_requests", "weighted_random"] = Field(
        default="round_robin", description="default: round_robin"
    )
    health_check_grace_period_seconds: GracePeriod = Field(
        default=60, description="Seconds ECS ignores failing ALB health checks of a new task. default: 60"
    )
    service_connect: ServiceConnectConfig | None = Field(default=None, description="ECS Service Connect. default: off")
    service_discovery: ServiceDiscoveryConfig | None = Field(
        default=None, description="Cloud Map records. default: off"
    )
    listener_rules: list[ListenerRuleConfig] = Field(
        default_factory=list,
        description="HTTPS listener rules routing to this service (with shared_alb). default: none",
    )
    shared_alb: SharedAlbConfig | None = Field(
        default=None,
        description="Route to an ALB this service does not own (the environment's, by name, or another service's "
        "listener) with listener_rules, instead of an ALB of its own. default: own ALB",
    )
    admin_public: bool = Field(
        default=False, description="Expose admin_port through its own listener and target group. default: false"
    )
    internal: bool = Field(default=False, description="Internal ALB in the private subnets. default: internet-facing")
    create_certificate: bool = Field(
        default=False,
        description="Create an ACM certificate for the service's domain with DNS validation when "
        "ssl_certificate_id is absent. default: false",
    )
    fargate_ephemeral_storage_kms_key_id: KMS_KEY | None = Field(
        default=None,
        description="KMS key (id or ARN of the env's account and region) for Fargate ephemeral "
        "storage (cluster setting). default: AWS-owned key",
    )
    managed_storage_kms_key_id: KMS_KEY | None = Field(
        default=None,
        description="KMS key (id or ARN of the env's account and region) for the cluster's managed storage. "
        "default: none",
    )

    # Load balancing (issue 14)
    protocol_version: ProtocolVersion | None = Field(
        default=None,
        description="Target groups' protocol version: HTTP1, HTTP2 or GRPC (health checks then succeed on "
        "gRPC status 0; point health_check_path at a gRPC method). default: ELB's HTTP1",
    )
    extra_ports: list[ExtraPortConfig] = Field(
        default_factory=list,
        description="More container ports, each with its own target group and HTTPS listener "
        "rule (path or host). default: none",
    )
    load_balancer_type: LoadBalancerType = Field(
        default="application",
        description="application (HTTPS, the ALB) or network (an NLB: TCP, TLS or UDP). default: application",
    )
    network_load_balancer: NetworkLoadBalancerConfig | None = Field(
        default=None,
        description="The NLB's listener and target group (load_balancer_type network). default: TLS on 443",
    )

    @classmethod
    def cross_field_rules(cls, data: dict[str, Any]) -> Problems:
        problems = super().cross_field_rules(data)
        if typed(data, "admin_active", bool, False) and data.get("admin_port") is None:
            problems.append(problem(("admin_port",), "missing: required when admin_active is true"))
        problems += cls.certificate_rules(data) + _capability_rules(data)
        problems += extra_port_rules(data) + network_load_balancer_rules(data)
        admin_port, application_port = typed(data, "admin_port", int), typed(data, "application_port", int)
        if admin_port is not None and admin_port == application_port:
            problems.append(
                problem(("admin_port",), f"{admin_port} equals application_port; the two ports must differ", admin_port)
            )
        return problems

    @property
    def nlb(self) -> NetworkLoadBalancerConfig | None:
        """The NLB's settings, their defaults when none are given; None for an ALB."""
        return (
            (self.network_load_balancer or NetworkLoadBalancerConfig())
            if self.load_balancer_type == "network"
            else None
        )

    @property
    def target_group_protocol(self) -> str:
        return self.nlb.targets if self.nlb else "HTTP"

    @classmethod
    def certificate_rules(cls, data: dict[str, Any]) -> Problems:
        """Rules on the HTTPS certificate, which each front end names its own way."""
        return []

    def container_ports(self) -> list[ContainerPort]:
        """The app port (named for Service Connect when it is on, UDP behind a UDP NLB), the admin port when
        admin_active (the spec's rule), and the extra ports."""
        connect = self.service_connect
        ports = [
            ContainerPort(
                self.application_port,
                "udp" if self.target_group_protocol == "UDP" else "tcp",
                connect.port_name if connect else None,
                APP_PROTOCOLS.get(self.protocol_version or "", "http") if connect else None,
            )
        ]
        if self.admin_active and self.admin_port is not None:
            ports.append(ContainerPort(self.admin_port))
        return ports + [ContainerPort(p.port) for p in self.extra_ports]

    def container_health_check_command(self) -> str | None:
        if not self.health_check_cmd:
            return None
        return f"{self.health_check_cmd} http://localhost:{self.application_port}{self.health_check_path} || exit 1"


def certificate_choice_rules(data: dict[str, Any], certificate_key: str, missing: str) -> Problems:
    """The listener's certificate, named by each front end its own way (`certificate_key`): given, or created
    (`create_certificate`), never both. Required on the service's own ALB (or TLS NLB); optional on a shared ALB,
    whose listener presents the ALB's certificate and adds the service's, when it has one, for its host name."""
    unserved = unserved_certificate_rules(data, certificate_key)
    if unserved is not None:
        return unserved
    create_certificate = typed(data, "create_certificate", bool, False)
    if data.get(certificate_key) is not None and create_certificate:
        return [problem(("create_certificate",), f"true with {certificate_key} set; use one or the other")]
    if data.get(certificate_key) is None and create_certificate is False and data.get("shared_alb") is None:
        return [problem((certificate_key,), missing)]
    return []


# Keys that shape the service's own ALB: a service on a shared ALB has none, so they would be silently ignored.
OWN_ALB_KEYS = (
    "alb_ingress_cidrs",
    "alb_access_logs",
    "alb_idle_timeout_seconds",
    "waf_web_acl_arn",
    "deletion_protection",
    "internal",
)


def _capability_rules(data: dict[str, Any]) -> Problems:
    """Rules between the ECSBuilder keys and the optional capabilities."""
    problems = []
    if typed(data, "admin_public", bool, False) and typed(data, "admin_active", bool, False) is False:
        problems.append(problem(("admin_public",), "true needs admin_active true (and admin_port)"))
    if data.get("service_connect") is not None and data.get("service_discovery") is not None:
        problems.append(problem(("service_discovery",), "set either service_connect or service_discovery, not both"))
    if data.get("listener_rules") and data.get("shared_alb") is None:
        problems.append(problem(("listener_rules",), "listener rules route a shared ALB's traffic: set shared_alb too"))
    if data.get("shared_alb") is not None and not data.get("listener_rules"):
        problems.append(
            problem(("shared_alb",), "a service on a shared ALB needs listener_rules (path_patterns or host_headers)")
        )
    if data.get("shared_alb") is not None:
        problems += [
            problem((key,), "configures the service's own ALB; on a shared_alb the ALB's owner sets it: remove it")
            for key in OWN_ALB_KEYS
            if key in data
        ]
    ownership = typed(data, "deployment_ownership", str)
    if ownership in ("codedeploy", "ecs_blue_green") and data.get("shared_alb") is not None:
        problems.append(
            problem(("deployment_ownership",), f"{ownership!r} needs the service's own ALB, not shared_alb", ownership)
        )
    return problems
