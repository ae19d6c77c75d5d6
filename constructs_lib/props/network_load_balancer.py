"""The network load balancer (`load_balancer_type: network`): a TCP, TLS or UDP listener in front of the service's
target group, and the rules naming every ALB-only setting an NLB cannot honour, with the limit that forbids it."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from .base import Port, Problems, StrictModel, problem, typed

LoadBalancerType = Literal["application", "network"]
NlbProtocol = Literal["TCP", "TLS", "UDP"]
TLS_PORT = 443
DEFAULT_TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06"
# Which target group protocols each listener protocol may forward to (ELB's rules for IP targets).
TARGET_PROTOCOLS: dict[str, tuple[str, ...]] = {"TCP": ("TCP",), "TLS": ("TCP", "TLS"), "UDP": ("UDP",)}

# Keys of a service an NLB cannot honour, each with the limit that says why.
_ALB_ONLY: dict[tuple[str, ...], str] = {
    ("shared_alb",): "a shared load balancer routes by listener rules, which NLBs lack; an NLB is the service's own",
    ("listener_rules",): "NLBs have no listener rules; they forward a port to one target group",
    ("stickiness",): "cookie stickiness (lb_cookie) is an ALB feature",
    ("waf_web_acl_arn",): "AWS WAF protects ALBs, not NLBs",
    ("admin_public",): "the public admin port is an HTTPS listener rule of the ALB",
    ("extra_ports",): "extra ports are routed by HTTPS listener rules, which NLBs lack",
    ("protocol_version",): "HTTP2 and GRPC are versions of HTTP target groups; an NLB's are TCP, TLS or UDP",
    ("alb_idle_timeout_seconds",): "the idle timeout is an ALB attribute; an NLB's TCP idle timeout is per listener",
    ("alarms", "target_5xx_count"): "NLBs publish no HTTP status codes (HTTPCode_Target_5XX_Count is an ALB metric)",
    ("alarms", "p99_latency_seconds"): "NLBs publish no response times (TargetResponseTime is an ALB metric)",
    ("autoscaling", "requests_per_target"): "ALBRequestCountPerTarget is an ALB metric; scale on CPU, memory or "
    "metric_tracking",
}


class NetworkLoadBalancerConfig(StrictModel):
    """The NLB's listener and target group. Its security groups, DNS alias, access logs (AWS writes entries for TLS
    listeners only) and deletion protection are the service's ALB settings."""

    listener_protocol: NlbProtocol = Field(
        default="TLS",
        description="TLS terminates with the service's certificate; TCP and UDP pass through. default: TLS",
    )
    listener_port: Port | None = Field(default=None, description="default: 443 with TLS, else application_port")
    target_protocol: NlbProtocol | None = Field(
        default=None,
        description="TCP or TLS behind a TLS listener, else the listener's. default: UDP for UDP, else TCP",
    )
    tls_policy: Annotated[str, Field(pattern=r"^ELBSecurityPolicy-[A-Za-z0-9-]+$")] = Field(
        default=DEFAULT_TLS_POLICY, description=f"TLS listener security policy. default: {DEFAULT_TLS_POLICY}"
    )
    health_check_protocol: Literal["TCP", "HTTP", "HTTPS"] = Field(
        default="TCP", description="HTTP and HTTPS check health_check_path. default: TCP (a connection)"
    )
    health_check_port: Port | None = Field(
        default=None, description="A TCP port of the task; required with UDP targets. default: the traffic port"
    )

    def port(self, application_port: int) -> int:
        return self.listener_port or (TLS_PORT if self.listener_protocol == "TLS" else application_port)

    @property
    def targets(self) -> str:
        return self.target_protocol or ("UDP" if self.listener_protocol == "UDP" else "TCP")

    @classmethod
    def cross_field_rules(cls, data: dict[str, Any]) -> Problems:
        problems = []
        listener = typed(data, "listener_protocol", str, "TLS")
        target = typed(data, "target_protocol", str)
        if listener in TARGET_PROTOCOLS and target is not None and target not in TARGET_PROTOCOLS[listener]:
            allowed = " or ".join(TARGET_PROTOCOLS[listener])
            problems.append(
                problem(("target_protocol",), f"{target!r} behind a {listener} listener; allowed: {allowed}", target)
            )
        if (listener == "UDP" or target == "UDP") and data.get("health_check_port") is None:
            problems.append(
                problem(
                    ("health_check_port",),
                    "missing: UDP targets are health-checked over TCP or HTTP; give a TCP port of the task",
                )
            )
        if "tls_policy" in data and listener != "TLS":
            problems.append(
                problem(
                    ("tls_policy",), f"a {listener} listener has no TLS policy; allowed: with listener_protocol TLS"
                )
            )
        return problems


def uses_nlb(data: dict[str, Any]) -> bool:
    return bool(typed(data, "load_balancer_type", str, "application") == "network")


def unserved_certificate_rules(data: dict[str, Any], certificate_key: str) -> Problems | None:
    """None when the listener serves the service's certificate (an ALB's HTTPS, an NLB's TLS listener), so the front
    end's certificate rules apply; else, for a TCP or UDP NLB, an error for each certificate key given."""
    nlb = typed(data, "network_load_balancer", dict) or {}
    listener = typed(nlb, "listener_protocol", str, "TLS")
    if not uses_nlb(data) or listener == "TLS":
        return None
    return [
        problem(
            (key,),
            f"a {listener} listener serves no certificate; allowed with network_load_balancer.listener_protocol TLS",
        )
        for key in (certificate_key, "create_certificate")
        if _given(data, (key,))
    ]


def network_load_balancer_rules(data: dict[str, Any]) -> Problems:
    """With an NLB: every ALB-only key given is an error naming its limit; without one, no NLB settings."""
    if not uses_nlb(data):
        if data.get("network_load_balancer") is not None:
            return [problem(("network_load_balancer",), "set only with load_balancer_type network")]
        return []
    problems = [
        problem(path, f"not with load_balancer_type network: {limit}")
        for path, limit in _ALB_ONLY.items()
        if _given(data, path)
    ]
    ownership = typed(data, "deployment_ownership", str)
    if ownership in ("codedeploy", "ecs_blue_green"):
        problems.append(
            problem(
                ("deployment_ownership",),
                f"{ownership!r} switches the ALB's listeners; allowed with an NLB: terraform or external_image",
                ownership,
            )
        )
    problems += _nlb_setting_rules(data)
    return problems


def _nlb_setting_rules(data: dict[str, Any]) -> Problems:
    """The ALB keys an NLB honours only in some forms: a path with HTTP checks, Service Connect on TCP."""
    nlb = typed(data, "network_load_balancer", dict) or {}
    problems = []
    if _given(data, ("load_balancing_algorithm",)) and data["load_balancing_algorithm"] != "round_robin":
        problems.append(
            problem(
                ("load_balancing_algorithm",), "not with load_balancer_type network: NLBs pick targets by flow hash"
            )
        )
    if "health_check_path" in data and typed(nlb, "health_check_protocol", str, "TCP") == "TCP":
        problems.append(
            problem(
                ("health_check_path",),
                "TCP health checks have no path; set network_load_balancer.health_check_protocol HTTP or HTTPS",
            )
        )
    if typed(nlb, "listener_protocol", str) == "UDP" and data.get("service_connect") is not None:
        problems.append(
            problem(("service_connect",), "Service Connect proxies TCP; the UDP application_port cannot be its port")
        )
    return problems


def _given(data: dict[str, Any], path: tuple[str, ...]) -> bool:
    """A key given with a value (an empty list or false is as good as absent)."""
    value: Any = data
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value not in (None, False, [], {})
