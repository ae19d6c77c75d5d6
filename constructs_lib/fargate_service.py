"""The ECS service: 2:1 Fargate Spot to Fargate, private subnets without public IPs, behind its target group,
rolling with a circuit breaker that rolls back."""

from __future__ import annotations

from dataclasses import dataclass

from constructs import Construct
from cdktf import ITerraformDependable

from .aws import (
    EcsService,
    EcsServiceCapacityProviderStrategy,
    EcsServiceDeploymentCircuitBreaker,
    EcsServiceLoadBalancer,
    EcsServiceNetworkConfiguration,
)

SPOT_WEIGHT = 2
ON_DEMAND_WEIGHT = 1
MAXIMUM_PERCENT = 200


def minimum_healthy_percent(desired_count: int) -> int:
    """100% for a single task (never drop to zero), 50% when there are several (the spec's rolling update)."""
    return 100 if desired_count <= 1 else 50


@dataclass(frozen=True)
class ServiceSettings:
    name: str
    desired_count: int
    subnet_ids: list[str]
    security_group_ids: list[str]
    container_name: str
    container_port: int
    health_check_grace_period_seconds: int


class FargateService(Construct):
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        settings: ServiceSettings,
        cluster_id: str,
        task_definition_arn: str,
        target_group_arn: str,
        depends_on: list[ITerraformDependable],
    ):
        super().__init__(scope, id)
        self.service = EcsService(
            self,
            "Default",
            name=settings.name,
            cluster=cluster_id,
            task_definition=task_definition_arn,
            desired_count=settings.desired_count,
            capacity_provider_strategy=[
                EcsServiceCapacityProviderStrategy(capacity_provider="FARGATE_SPOT", weight=SPOT_WEIGHT),
                EcsServiceCapacityProviderStrategy(capacity_provider="FARGATE", weight=ON_DEMAND_WEIGHT),
            ],
            deployment_minimum_healthy_percent=minimum_healthy_percent(settings.desired_count),
            deployment_maximum_percent=MAXIMUM_PERCENT,
            deployment_circuit_breaker=EcsServiceDeploymentCircuitBreaker(enable=True, rollback=True),
            network_configuration=EcsServiceNetworkConfiguration(
                subnets=settings.subnet_ids, security_groups=settings.security_group_ids, assign_public_ip=False
            ),
            load_balancer=[
                EcsServiceLoadBalancer(
                    target_group_arn=target_group_arn,
                    container_name=settings.container_name,
                    container_port=settings.container_port,
                )
            ],
            health_check_grace_period_seconds=settings.health_check_grace_period_seconds,
            propagate_tags="SERVICE",
            enable_ecs_managed_tags=True,
            # The target group must be attached to a listener first ("target group does not have an associated
            # load balancer"), and the capacity providers must be on the cluster before the strategy uses them.
            depends_on=depends_on,
        )
