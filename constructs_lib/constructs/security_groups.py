"""Security groups of one workload: the ALB's two groups (looked up by name, or created; none for a workload without
a load balancer) and the tasks' own.

Rules are separate resources (`aws_vpc_security_group_*_rule`), never inline blocks, so adding one never
rewrites the others; created groups use `name_prefix` with create-before-destroy, so a rename or a new
description replaces the group without a "DependencyViolation" on the one in use.
"""

from __future__ import annotations

from constructs import Construct
from cdktf import TerraformResourceLifecycle

from .._jsii.addressing import Part
from .._jsii.aws import DataAwsSecurityGroup, SecurityGroup, VpcSecurityGroupEgressRule, VpcSecurityGroupIngressRule

HTTPS_PORT = 443
HTTP_PORT = 80
_REPLACE_SAFELY = TerraformResourceLifecycle(create_before_destroy=True)


class ServiceSecurityGroups(Part):
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
        instances_group_name: str | None = None,
        existing_tasks_group_ids: list[str] | None = None,
        tasks_group_description: str = "ECS tasks, reachable from their ALB only",
    ):
        super().__init__(scope, id)
        self.instances_id: str | None = None
        if instances_group_name:
            # EC2 capacity: the instances only talk out (agent, images); awsvpc tasks carry their own group.
            self.instances_id = self._group("instances", vpc_id, instances_group_name, "ECS container instances, egress only")
            VpcSecurityGroupEgressRule(
                self, "instances-egress-all", security_group_id=self.instances_id, ip_protocol="-1",
                cidr_ipv4="0.0.0.0/0", description="Instances to the ECS endpoints and image registries",
            )
        if existing_tasks_group_ids:
            # The caller's groups: their egress is theirs; we add only the ingress our ALB needs.
            self.tasks_ids = list(existing_tasks_group_ids)
            self.tasks_id = self.tasks_ids[0]
        else:
            self.tasks_id = self._group("tasks", vpc_id, tasks_group_name, tasks_group_description)
            self.tasks_ids = [self.tasks_id]
            self._tasks_egress()
        if shared_alb_group_id:
            # Another service's ALB: its groups and listener rules are that stack's; we only let it reach our tasks.
            self.alb_ids = [shared_alb_group_id]
            for port in task_ports:
                self._ingress(f"tasks-from-alb-{port}", self.tasks_id, port, referenced_security_group_id=shared_alb_group_id)
            return
        if alb_group_names is None:
            # No load balancer (a worker, a scheduled task): the tasks take no ingress at all.
            self.alb_ids = []
            return
        cloudfront_name, private_name = alb_group_names
        if create_alb_groups:
            self.alb_cloudfront_id = self._group("alb-cloudfront", vpc_id, cloudfront_name, "ALB ingress from CloudFront")
            self.alb_private_id = self._group("alb-private", vpc_id, private_name, "ALB ingress from allowed networks")
        else:
            self.alb_cloudfront_id = DataAwsSecurityGroup(self, "alb-cloudfront", vpc_id=vpc_id, name=cloudfront_name).id
            self.alb_private_id = DataAwsSecurityGroup(self, "alb-private", vpc_id=vpc_id, name=private_name).id
        self.alb_ids = [self.alb_cloudfront_id, self.alb_private_id]

        if cloudfront_prefix_list_id:
            self._ingress("alb-https-cloudfront", self.alb_cloudfront_id, HTTPS_PORT, prefix_list_id=cloudfront_prefix_list_id)
        for index, cidr in enumerate(alb_ingress_cidrs):
            for port in (HTTPS_PORT, HTTP_PORT):
                self._ingress(f"alb-{port}-cidr-{index}", self.alb_private_id, port, cidr_ipv4=cidr)
        for port in task_ports:
            self._ingress(f"tasks-from-alb-{port}", self.tasks_id, port, referenced_security_group_id=self.alb_cloudfront_id)
            if create_alb_groups:
                self._egress(f"alb-to-tasks-{port}", self.alb_cloudfront_id, port, referenced_security_group_id=self.tasks_id)

    def allow_from(self, id: str, group_id: str, port: int) -> None:
        """Let the security group `group_id` reach the tasks on `port` (one more ingress rule; the others stay)."""
        self._ingress(id, self.tasks_id, port, referenced_security_group_id=group_id)

    def _tasks_egress(self) -> None:
        # Tasks pull images and reach AWS APIs and their dependencies through the NAT gateway.
        VpcSecurityGroupEgressRule(
            self, "tasks-egress-all", security_group_id=self.tasks_id, ip_protocol="-1", cidr_ipv4="0.0.0.0/0",
            description="Tasks to image registries, AWS APIs and dependencies",
        )

    def _group(self, id: str, vpc_id: str, name: str, description: str) -> str:
        group = SecurityGroup(
            self, id, name_prefix=f"{name}-", description=description, vpc_id=vpc_id, lifecycle=_REPLACE_SAFELY
        )
        return group.id

    def _ingress(self, id: str, group_id: str, port: int, **source: str) -> None:
        VpcSecurityGroupIngressRule(
            self, id, security_group_id=group_id, ip_protocol="tcp", from_port=port, to_port=port,
            description=f"TCP {port}", **source,
        )

    def _egress(self, id: str, group_id: str, port: int, **target: str) -> None:
        VpcSecurityGroupEgressRule(
            self, id, security_group_id=group_id, ip_protocol="tcp", from_port=port, to_port=port,
            description=f"TCP {port}", **target,
        )
