"""The ECS service's deployment settings from the typed `deployment` block: rolling percents, the circuit
breaker, and (AWS provider 6.x) the `deployment_configuration` block of the ECS-native strategies. Without the
block every value is today's: 100% healthy for one task and 50% for several, 200% at most, breaker with rollback.
"""

from __future__ import annotations

from .._jsii.aws import (
    EcsServiceDeploymentCircuitBreaker,
    EcsServiceDeploymentConfiguration,
    EcsServiceDeploymentConfigurationCanaryConfiguration,
    EcsServiceDeploymentConfigurationLifecycleHook,
    EcsServiceDeploymentConfigurationLinearConfiguration,
)
from ..props.deployment import CircuitBreakerConfig, DeploymentConfig

MAXIMUM_PERCENT = 200


def minimum_healthy_percent(desired_count: int, deployment: DeploymentConfig | None = None) -> int:
    """As given, else 100% for a single task (never drop to zero) and 50% for several (the spec's rolling update)."""
    if deployment is not None and deployment.minimum_healthy_percent is not None:
        return deployment.minimum_healthy_percent
    return 100 if desired_count <= 1 else 50


def maximum_percent(deployment: DeploymentConfig | None) -> int:
    return deployment.maximum_percent if deployment and deployment.maximum_percent is not None else MAXIMUM_PERCENT


def circuit_breaker(deployment: DeploymentConfig | None, owner: str) -> EcsServiceDeploymentCircuitBreaker | None:
    """None under CodeDeploy (its controller has no breaker)."""
    if owner == "codedeploy":
        return None
    breaker = deployment.circuit_breaker if deployment else CircuitBreakerConfig()
    return EcsServiceDeploymentCircuitBreaker(enable=breaker.enable, rollback=breaker.rollback)


def deployment_configuration(
    deployment: DeploymentConfig | None,
    *,
    blue_green: bool,
    blue_green_bake_time_minutes: int,
) -> EcsServiceDeploymentConfiguration | None:
    """The provider 6.x block, only when a key needs it (a plain rolling service keeps provider 5.x compatible)."""
    strategy = "BLUE_GREEN" if blue_green else (deployment.strategy.upper() if deployment else "ROLLING")
    bake = deployment.bake_time_minutes if deployment else None
    if blue_green and bake is None:
        bake = blue_green_bake_time_minutes
    hooks = deployment.lifecycle_hooks if deployment else []
    if strategy == "ROLLING" and bake is None and not hooks:
        return None
    linear = deployment.linear if deployment and strategy == "LINEAR" else None
    canary = deployment.canary if deployment and strategy == "CANARY" else None
    return EcsServiceDeploymentConfiguration(
        strategy=strategy,
        bake_time_in_minutes=None if bake is None else str(bake),
        linear_configuration=(
            EcsServiceDeploymentConfigurationLinearConfiguration(
                step_percent=linear.step_percent,
                step_bake_time_in_minutes=str(linear.step_bake_time_minutes),
            )
            if linear
            else None
        ),
        canary_configuration=(
            EcsServiceDeploymentConfigurationCanaryConfiguration(
                canary_percent=canary.canary_percent,
                canary_bake_time_in_minutes=str(canary.canary_bake_time_minutes),
            )
            if canary
            else None
        ),
        lifecycle_hook=[
            EcsServiceDeploymentConfigurationLifecycleHook(
                hook_target_arn=hook.hook_target_arn,
                role_arn=hook.role_arn,
                lifecycle_stages=list(hook.lifecycle_stages),
            )
            for hook in hooks
        ]
        or None,
    )
