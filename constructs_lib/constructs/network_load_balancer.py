"""The service's own network load balancer (`load_balancer_type: network`): one TCP, TLS or UDP listener forwarding
to the service's IP target group, the service's ALB-style security groups on the NLB, its ARN published in SSM.

What an ALB has and an NLB does not (HTTP redirect, listener rules, WAF, invalid-header dropping, an idle timeout)
is left out here and rejected by the props (props/network_load_balancer.py)."""

from __future__ import annotations

from dataclasses import dataclass

from constructs import Construct

from .._jsii.addressing import Part
from .._jsii.aws import Lb, LbListener, LbListenerDefaultAction
from ..props.network_load_balancer import NetworkLoadBalancerConfig
from .load_balancer import LoadBalancerSettings, access_logs, arn_parameter
from .security_groups import ListenerPorts
from .target_groups import ServiceTargetGroup, TargetGroupSettings


@dataclass(frozen=True)
class NetworkListenerSettings:
    protocol: str  # TCP, TLS or UDP
    port: int
    tls_policy: str  # TLS listeners only


@dataclass(frozen=True)
class NlbPorts:
    """Least privilege for an NLB's security groups: clients reach its one listener port (CloudFront only a TLS
    one, as an HTTPS origin); the NLB reaches the tasks on the app port (UDP for UDP targets) and, when it is
    another, the TCP health check port."""

    listener: ListenerPorts
    tcp_tasks: list[int]
    udp_tasks: tuple[int, ...]

    @classmethod
    def of(cls, nlb: NetworkLoadBalancerConfig, application_port: int) -> NlbPorts:
        port, udp = nlb.port(application_port), nlb.targets == "UDP"
        listener = ListenerPorts(
            cloudfront=(port,) if nlb.listener_protocol == "TLS" else (),
            networks=(port,),
            protocol="udp" if udp else "tcp",
        )
        tcp = [] if udp else [application_port]
        if nlb.health_check_port is not None and nlb.health_check_port not in tcp:
            tcp.append(nlb.health_check_port)
        return cls(listener, tcp, (application_port,) if udp else ())


class ServiceNetworkLoadBalancer(Part):
    """`listener` serves the service's port; `target_group` is what the ECS service registers its tasks in."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        settings: LoadBalancerSettings,
        listener: NetworkListenerSettings,
        target_group_name: str,
        target_port: int,
        target_groups: TargetGroupSettings,
    ):
        super().__init__(scope, id)
        self.target_group = ServiceTargetGroup(
            self, "target-group", name=target_group_name, port=target_port, settings=target_groups
        )
        self.load_balancer = Lb(
            self,
            "Default",
            name=settings.name,
            load_balancer_type="network",
            internal=settings.internal,
            subnets=settings.subnet_ids,
            security_groups=settings.security_group_ids,
            # Tasks may run in fewer zones than the NLB has nodes: every node reaches every task.
            enable_cross_zone_load_balancing=True,
            enable_deletion_protection=settings.deletion_protection,
            access_logs=access_logs(settings.access_logs),
        )
        self.dns_name: str = self.load_balancer.dns_name
        self.zone_id: str = self.load_balancer.zone_id
        self.arn_suffix: str = self.load_balancer.arn_suffix
        tls = listener.protocol == "TLS"
        self.listener = LbListener(
            self,
            "listener",
            load_balancer_arn=self.ref(self.load_balancer).arn,
            port=listener.port,
            protocol=listener.protocol,
            ssl_policy=listener.tls_policy if tls else None,
            certificate_arn=settings.certificate_arn if tls else None,
            default_action=[LbListenerDefaultAction(type="forward", target_group_arn=self.target_group.arn)],
        )
        self.arn_parameter = arn_parameter(self, settings, self.ref(self.load_balancer).arn, "NLB")
