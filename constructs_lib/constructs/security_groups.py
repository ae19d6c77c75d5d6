"""Security groups of one workload: the ALB's two groups (looked up by name, or created; none for a workload without
a load balancer) and the tasks' own; and the two groups of an ALB the environment stack owns.

Rules are separate resources (`aws_vpc_security_group_*_rule`), never inline blocks, so adding one never
rewrites the others; created groups use `name_prefix` with create-before-destroy, so a rename or a new
description replaces the group without a "DependencyViolation" on the one in use.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from constructs import Construct

from .._jsii.addressing import Part
from .._jsii.aws import DataAwsSecurityGroup, SecurityGroup, VpcSecurityGroupEgressRule, VpcSecurityGroupIngressRule
from .._jsii.engine import TerraformResourceLifecycle

HTTPS_PORT = 443
HTTP_PORT = 80
_REPLACE_SAFELY = TerraformResourceLifecycle(create_before_destroy=True)


@dataclass(frozen=True)
class ListenerPorts:
    """The ports clients reach the load balancer on: CloudFront (an HTTPS origin) and the allowed networks."""

    cloudfront: tuple[int, ...]
    networks: tuple[int, ...]
    protocol: str = "tcp"  # an NLB's UDP listener: udp


ALB_PORTS = ListenerPorts(cloudfront=(HTTPS_PORT,), networks=(HTTPS_PORT, HTTP_PORT))


class SecurityGroupRules(Part):
    """Groups and their rules as the library writes them (see the module's docstring), and a load balancer's two
    groups: CloudFront into the first, the allowed networks into the second, each on the listener ports only."""

    alb_cloudfront_id: str
    alb_private_id: str
    alb_ids: list[str]

    def _add_alb_groups(self, vpc_id: str, names: tuple[str, str], *, create: bool, tagged: bool = False) -> None:
        """`tagged`: the groups carry their name as the `Name` tag, by which the stacks of other workloads find
        them (a created group's AWS name ends in a random suffix)."""
        cloudfront_name, private_name = names
        if create:
            self.alb_cloudfront_id = self._group(
                "alb-cloudfront", vpc_id, cloudfront_name, "ALB ingress from CloudFront", tagged=tagged
            )
            self.alb_private_id = self._group(
                "alb-private", vpc_id, private_name, "ALB ingress from allowed networks", tagged=tagged
            )
        else:
            self.alb_cloudfront_id = DataAwsSecurityGroup(
                self, "alb-cloudfront", vpc_id=vpc_id, name=cloudfront_name
            ).id
            self.alb_private_id = DataAwsSecurityGroup(self, "alb-private", vpc_id=vpc_id, name=private_name).id
        self.alb_ids = [self.alb_cloudfront_id, self.alb_private_id]

    def _listener_ingress(self, ports: ListenerPorts, cloudfront_prefix_list_id: str | None, cidrs: list[str]) -> None:
        """CloudFront into the first group, the allowed networks into the second, on the listener ports only."""
        for port in ports.cloudfront if cloudfront_prefix_list_id else ():
            id = "alb-https-cloudfront" if port == HTTPS_PORT else f"alb-{port}-cloudfront"
            self._ingress(id, self.alb_cloudfront_id, port, ports.protocol, prefix_list_id=cloudfront_prefix_list_id)
        prefix = "alb" if ports.protocol == "tcp" else f"alb-{ports.protocol}"
        for index, cidr in enumerate(cidrs):
            for port in ports.networks:
                self._ingress(
                    f"{prefix}-{port}-cidr-{index}", self.alb_private_id, port, ports.protocol, cidr_ipv4=cidr
                )

    def _group(self, id: str, vpc_id: str, name: str, description: str, *, tagged: bool = False) -> str:
        group = SecurityGroup(
            self,
            id,
            name_prefix=f"{name}-",
            description=description,
            vpc_id=vpc_id,
            tags={"Name": name} if tagged else None,
            lifecycle=_REPLACE_SAFELY,
        )
        return group.id

    def _ingress(self, id: str, group_id: str, port: int, protocol: str = "tcp", **peer: str | None) -> None:
        self._port_rule(VpcSecurityGroupIngressRule, id, group_id, port, protocol, **peer)

    def _egress(self, id: str, group_id: str, port: int, protocol: str = "tcp", **peer: str | None) -> None:
        self._port_rule(VpcSecurityGroupEgressRule, id, group_id, port, protocol, **peer)

    def _port_rule(self, rule: Any, id: str, group_id: str, port: int, protocol: str, **peer: str | None) -> None:
        """One port of one protocol, to or from one peer: `prefix_list_id`, `cidr_ipv4` or
        `referenced_security_group_id`."""
        rule(
            self,
            id,
            security_group_id=group_id,
            ip_protocol=protocol,
            from_port=port,
            to_port=port,
            description=f"{protocol.upper()} {port}",
            **peer,
        )


class ServiceSecurityGroups(SecurityGroupRules):
    """One workload's groups: its tasks' own (or the caller's), its EC2 instances', and its load balancer's two,
    or only the tasks' ingress from a shared ALB's group."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        vpc_id: str,
        alb_group_names: tuple[str, str] | None,
        tasks_group_name: str,
        create_alb_groups: bool,
        cloudfront_prefix_list_id: str | None,
        alb_ingress_cidrs: list[str],
        task_ports: list[int],
        shared_alb_group_id: str | None = None,
        shared_alb_reaches_tasks: bool = False,
        instances_group_name: str | None = None,
        existing_tasks_group_ids: list[str] | None = None,
        tasks_group_description: str = "ECS tasks, reachable from their ALB only",
        listener_ports: ListenerPorts = ALB_PORTS,
        udp_task_ports: tuple[int, ...] = (),
    ):
        super().__init__(scope, id)
        self.instances_id = self._add_instances(vpc_id, instances_group_name) if instances_group_name else None
        self._add_tasks(vpc_id, tasks_group_name, tasks_group_description, existing_tasks_group_ids)
        if shared_alb_group_id:
            self._attach_to_shared(shared_alb_group_id, task_ports, egress=shared_alb_reaches_tasks)
            return
        if alb_group_names is None:
            # No load balancer (a worker, a scheduled task): the tasks take no ingress at all.
            self.alb_ids = []
            return
        self._add_alb_groups(vpc_id, alb_group_names, create=create_alb_groups)
        self._listener_ingress(listener_ports, cloudfront_prefix_list_id, alb_ingress_cidrs)
        tasks = [(port, "tcp") for port in task_ports] + [(port, "udp") for port in udp_task_ports]
        self._tasks_from_alb(tasks, self.alb_cloudfront_id, egress=create_alb_groups)

    def _add_instances(self, vpc_id: str, name: str) -> str:
        """EC2 capacity: the instances only talk out (agent, images); awsvpc tasks carry their own group."""
        instances_id = self._group("instances", vpc_id, name, "ECS container instances, egress only")
        VpcSecurityGroupEgressRule(
            self,
            "instances-egress-all",
            security_group_id=instances_id,
            ip_protocol="-1",
            cidr_ipv4="0.0.0.0/0",
            description="Instances to the ECS endpoints and image registries",
        )
        return instances_id

    def _add_tasks(self, vpc_id: str, name: str, description: str, existing_ids: list[str] | None) -> None:
        if existing_ids:
            # The caller's groups: their egress is theirs; we add only the ingress our ALB needs.
            self.tasks_ids = list(existing_ids)
            self.tasks_id = self.tasks_ids[0]
        else:
            self.tasks_id = self._group("tasks", vpc_id, name, description)
            self.tasks_ids = [self.tasks_id]
            self._tasks_egress()

    def _attach_to_shared(self, group_id: str, task_ports: list[int], *, egress: bool) -> None:
        """A shared ALB: its groups and listener are another stack's; we let it reach our tasks (and, on the
        environment's ALB, whose groups allow no egress but what its services add, let it out to them)."""
        self.alb_ids = [group_id]
        self._tasks_from_alb([(port, "tcp") for port in task_ports], group_id, egress=egress)

    def _tasks_from_alb(self, tasks: list[tuple[int, str]], alb_group_id: str, *, egress: bool) -> None:
        """Ingress into the tasks from the ALB's group, and the ALB's egress to them when its group is ours."""
        for port, protocol in tasks:
            id = f"{port}" if protocol == "tcp" else f"{protocol}-{port}"
            self._ingress(
                f"tasks-from-alb-{id}", self.tasks_id, port, protocol, referenced_security_group_id=alb_group_id
            )
            if egress:
                self._egress(
                    f"alb-to-tasks-{id}", alb_group_id, port, protocol, referenced_security_group_id=self.tasks_id
                )

    def allow_from(self, id: str, group_id: str, port: int) -> None:
        """Let the security group `group_id` reach the tasks on `port` (one more ingress rule; the others stay)."""
        self._ingress(id, self.tasks_id, port, referenced_security_group_id=group_id)

    def _tasks_egress(self) -> None:
        # Tasks pull images and reach AWS APIs and their dependencies through the NAT gateway.
        VpcSecurityGroupEgressRule(
            self,
            "tasks-egress-all",
            security_group_id=self.tasks_id,
            ip_protocol="-1",
            cidr_ipv4="0.0.0.0/0",
            description="Tasks to image registries, AWS APIs and dependencies",
        )


class LoadBalancerSecurityGroups(SecurityGroupRules):
    """The two groups of an ALB the environment stack owns, named (and tagged) as a service's ALB groups are. They
    allow no egress: each service attaching to the ALB adds the egress to its own tasks in its own stack."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        vpc_id: str,
        group_names: tuple[str, str],
        cloudfront_prefix_list_id: str | None,
        ingress_cidrs: list[str],
    ):
        super().__init__(scope, id)
        self._add_alb_groups(vpc_id, group_names, create=True, tagged=True)
        self._listener_ingress(ALB_PORTS, cloudfront_prefix_list_id, ingress_cidrs)
