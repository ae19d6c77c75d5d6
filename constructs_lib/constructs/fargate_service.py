"""The ECS service: 2:1 Fargate Spot to Fargate by default, private subnets without public IPs, behind its target
group(s), rolling with a circuit breaker that rolls back.

Who owns what after deploy is one switch (`deployment_ownership`) expressed as `lifecycle.ignore_changes` on this
one resource, so switching modes never duplicates the service the way the HCL modules' copies of it do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from constructs import Construct

from .._jsii.addressing import Part
from .._jsii.aws import (
    EcsService,
    EcsServiceAlarms,
    EcsServiceCapacityProviderStrategy,
    EcsServiceDeploymentController,
    EcsServiceLoadBalancer,
    EcsServiceLoadBalancerAdvancedConfiguration,
    EcsServiceNetworkConfiguration,
    EcsServiceServiceRegistries,
)
from .._jsii.engine import ITerraformDependable, TerraformResourceLifecycle
from ..props.deployment import DeploymentConfig
from .conventions import DEFAULT_CAPACITY_STRATEGY
from .deployment_configuration import (
    circuit_breaker,
    deployment_configuration,
    maximum_percent,
    minimum_healthy_percent,
)

# What the service stops reconciling, per deployment owner (and when autoscaling owns the task count).
IGNORED_BY_OWNER = {
    "terraform": [],
    "external_image": ["task_definition"],
    "codedeploy": ["task_definition", "load_balancer"],
    "ecs_blue_green": [],
}


@dataclass(frozen=True)
class TargetBinding:
    target_group_arn: str
    container_name: str
    container_port: int


@dataclass(frozen=True)
class ServiceSettings:
    name: str
    desired_count: int
    subnet_ids: list[str]
    security_group_ids: list[str]
    targets: list[TargetBinding]
    health_check_grace_period_seconds: int | None  # None without a load balancer
    capacity_provider_strategy: tuple[tuple[str, int, int], ...] = DEFAULT_CAPACITY_STRATEGY
    deployment_owner: str = "terraform"
    autoscaled: bool = False
    enable_execute_command: bool = False
    deployment_alarm_names: list[str] = field(default_factory=list)
    deployment_alarm_rollback: bool = True
    wait_for_steady_state: bool = False
    force_new_deployment: bool = False
    service_connect_configuration: Any = None
    service_registry_arn: str | None = None
    service_registry_port: int | None = None  # SRV records name the container port
    blue_green: tuple[str, str, str] | None = None  # ECS-native: (alternate target group, production rule, role) ARNs
    bake_time_minutes: int = 5
    volume_configuration: Any = None  # an EBS volume configured at launch (ebs.py)
    assign_public_ip: bool = False
    platform_version: str | None = None
    availability_zone_rebalancing: str | None = None
    propagate_tags: str = "SERVICE"
    enable_ecs_managed_tags: bool = True
    deployment: DeploymentConfig | None = None


class FargateService(Part):
    """The one `aws_ecs_service` of a workload. `__init__` reads as the service's shape; each nested block that
    depends on several settings is built by a `_block` helper below, so no argument hides a decision inline."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        settings: ServiceSettings,
        cluster_id: str,
        task_definition_arn: str,
        depends_on: list[ITerraformDependable],
    ):
        super().__init__(scope, id)
        ignored = IGNORED_BY_OWNER[settings.deployment_owner] + (["desired_count"] if settings.autoscaled else [])
        self._ignored = ignored
        self.service = EcsService(
            self,
            "Default",
            name=settings.name,
            cluster=cluster_id,
            task_definition=task_definition_arn,
            desired_count=settings.desired_count,
            capacity_provider_strategy=_capacity_provider_strategy(settings),
            deployment_minimum_healthy_percent=minimum_healthy_percent(settings.desired_count, settings.deployment),
            deployment_maximum_percent=maximum_percent(settings.deployment),
            deployment_circuit_breaker=circuit_breaker(settings.deployment, settings.deployment_owner),
            deployment_controller=_deployment_controller(settings),
            network_configuration=EcsServiceNetworkConfiguration(
                subnets=settings.subnet_ids,
                security_groups=settings.security_group_ids,
                assign_public_ip=settings.assign_public_ip,
            ),
            load_balancer=_load_balancers(settings),
            # ECS-native blue/green, linear and canary (AWS provider 6.x): shift traffic, bake, retire the old tasks.
            deployment_configuration=deployment_configuration(
                settings.deployment,
                blue_green=settings.deployment_owner == "ecs_blue_green",
                blue_green_bake_time_minutes=settings.bake_time_minutes,
            ),
            health_check_grace_period_seconds=settings.health_check_grace_period_seconds,
            propagate_tags=settings.propagate_tags,
            enable_ecs_managed_tags=settings.enable_ecs_managed_tags,
            platform_version=settings.platform_version,
            availability_zone_rebalancing=settings.availability_zone_rebalancing,
            enable_execute_command=settings.enable_execute_command or None,
            alarms=_deployment_alarms(settings),
            wait_for_steady_state=settings.wait_for_steady_state or None,
            force_new_deployment=settings.force_new_deployment or None,
            service_connect_configuration=settings.service_connect_configuration,
            volume_configuration=settings.volume_configuration,
            service_registries=_service_registries(settings),
            lifecycle=TerraformResourceLifecycle(ignore_changes=ignored) if ignored else None,
            # The target group must be attached to a listener first ("target group does not have an associated
            # load balancer"), and the capacity providers must be on the cluster before the strategy uses them.
            depends_on=depends_on,
        )

    def hand_desired_count_to_autoscaling(self) -> None:
        """Auto scaling added after construction owns the task count from now on: Terraform stops resetting it."""
        if "desired_count" not in self._ignored:
            self._ignored = [*self._ignored, "desired_count"]
            self.service.lifecycle = TerraformResourceLifecycle(ignore_changes=self._ignored)


def _capacity_provider_strategy(settings: ServiceSettings) -> list[EcsServiceCapacityProviderStrategy]:
    """A base of 0 is left out: ECS's own default, so the plan shows no base where none was asked for."""
    return [
        EcsServiceCapacityProviderStrategy(capacity_provider=provider, weight=weight, base=base or None)
        for provider, weight, base in settings.capacity_provider_strategy
    ]


def _deployment_controller(settings: ServiceSettings) -> EcsServiceDeploymentController | None:
    """Only CodeDeploy needs a controller block; ECS (rolling and ECS-native blue/green) is the default."""
    if settings.deployment_owner == "codedeploy":
        return EcsServiceDeploymentController(type="CODE_DEPLOY")
    return None


def _load_balancers(settings: ServiceSettings) -> list[EcsServiceLoadBalancer] | None:
    """One block per target group; ECS-native blue/green swaps the first (the app port) with its alternate. A worker
    has no target group and so no block."""
    return [
        EcsServiceLoadBalancer(
            target_group_arn=t.target_group_arn,
            container_name=t.container_name,
            container_port=t.container_port,
            advanced_configuration=(
                EcsServiceLoadBalancerAdvancedConfiguration(
                    alternate_target_group_arn=settings.blue_green[0],
                    production_listener_rule=settings.blue_green[1],
                    role_arn=settings.blue_green[2],
                )
                if settings.blue_green and index == 0
                else None
            ),
        )
        for index, t in enumerate(settings.targets)
    ] or None


def _deployment_alarms(settings: ServiceSettings) -> EcsServiceAlarms | None:
    """The alarms that fail a deployment (and roll it back unless told not to); none set, no block."""
    if not settings.deployment_alarm_names:
        return None
    return EcsServiceAlarms(
        alarm_names=settings.deployment_alarm_names, enable=True, rollback=settings.deployment_alarm_rollback
    )


def _service_registries(settings: ServiceSettings) -> EcsServiceServiceRegistries | None:
    """The Cloud Map registration; SRV records name the container and port, A records name neither."""
    if not settings.service_registry_arn:
        return None
    return EcsServiceServiceRegistries(
        registry_arn=settings.service_registry_arn,
        container_name=settings.targets[0].container_name if settings.service_registry_port else None,
        container_port=settings.service_registry_port,
    )
