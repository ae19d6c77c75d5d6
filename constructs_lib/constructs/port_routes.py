"""More ports of the app container behind the service's HTTPS listener: per port an IP target group (with its own
health check path) and a listener rule forwarding the matching paths or hosts to it."""

from __future__ import annotations

from dataclasses import replace

from constructs import Construct

from .._jsii.addressing import Part
from .._jsii.aws import LbListenerRule, LbListenerRuleAction
from ..props.load_balancing import ExtraPortConfig
from .target_groups import ServiceTargetGroup, TargetGroupSettings, rule_conditions


class PortRoutes(Part):
    """`targets` maps each container port to its target group after construction; `rules` are what the ECS
    service must wait for (a target group needs a listener before a service registers in it)."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        listener_arn: str,
        ports: list[tuple[ExtraPortConfig, str]],
        target_groups: TargetGroupSettings,
    ):
        super().__init__(scope, id)
        self.targets: dict[int, ServiceTargetGroup] = {}
        self.rules: list[LbListenerRule] = []
        for config, name in ports:
            group = ServiceTargetGroup(
                self,
                f"port-{config.port}",
                name=name,
                port=config.port,
                settings=replace(target_groups, health_check_path=config.health_check_path),
            )
            self.targets[config.port] = group
            self.rules.append(
                LbListenerRule(
                    self,
                    f"port-{config.port}-rule",
                    listener_arn=listener_arn,
                    priority=config.priority,
                    action=[LbListenerRuleAction(type="forward", target_group_arn=group.arn)],
                    condition=rule_conditions(config),
                )
            )
