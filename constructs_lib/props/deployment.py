"""Issue 14, "Service and deployment": the `deployment` block. How many tasks run during a rolling update, the
circuit breaker, and the ECS-native traffic-shifting strategies (linear, canary; blue/green stays
`deployment_ownership: "ecs_blue_green"`) with their bake times and lifecycle hooks.

The ECS `deploymentConfiguration.strategy`, bake time and lifecycle hooks exist in AWS provider 6.x only (the
`deployment_configuration` block); `provider6_features` names them for `validate`'s warning.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any, Literal, get_args

from annotated_types import Ge, GroupedMetadata, Le
from pydantic import BeforeValidator, Field

from .arns import IAM_ROLE_ARN, Exact
from .base import Bounded, Problems, StrictModel, problem, rule_error, typed

LifecycleStage = Literal[
    "RECONCILE_SERVICE",
    "PRE_SCALE_UP",
    "POST_SCALE_UP",
    "TEST_TRAFFIC_SHIFT",
    "POST_TEST_TRAFFIC_SHIFT",
    "PRODUCTION_TRAFFIC_SHIFT",
    "POST_PRODUCTION_TRAFFIC_SHIFT",
]
LIFECYCLE_STAGES: tuple[str, ...] = get_args(LifecycleStage)
TRAFFIC_SHIFTING_STRATEGIES = ("linear", "canary")

BakeMinutes = Annotated[int, Bounded(0, 1440, "a bake time in minutes")]
MinimumHealthyPercent = Annotated[int, Bounded(0, 100, "a minimum healthy percent")]
MaximumPercent = Annotated[int, Bounded(100, 2147483647, "a maximum percent")]
LAMBDA_FUNCTION_ARN = Annotated[
    str,
    Exact(
        r"^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]+)?$",
        "is not a Lambda function ARN",
        "arn:aws:lambda:<region>:<account>:function:<name>[:<alias or version>]",
    ),
]


@dataclass(frozen=True)
class Tenths(GroupedMetadata):
    """A percent of traffic in [low, high] in steps of 0.1 (ECS's linear and canary percents)."""

    low: float
    high: float

    def __iter__(self) -> Iterator[object]:
        def check(value: Any) -> Any:
            number = isinstance(value, (int, float)) and not isinstance(value, bool)
            if number and not (
                self.low <= value <= self.high and math.isclose(value * 10, round(value * 10), abs_tol=1e-9)
            ):
                raise rule_error(
                    f"{value} is not a multiple of 0.1 from {self.low} to {self.high}; allowed: e.g. {self.low}, {self.high}"
                )
            return value

        yield Ge(self.low)
        yield Le(self.high)
        yield BeforeValidator(check)


StepPercent = Annotated[float, Tenths(3.0, 100.0)]
CanaryPercent = Annotated[float, Tenths(0.1, 100.0)]


class CircuitBreakerConfig(StrictModel):
    enable: bool = Field(
        default=True,
        description="Fail a deployment whose tasks never reach steady state. default: true",
    )
    rollback: bool = Field(default=True, description="Roll a failed deployment back. default: true")


class LinearConfig(StrictModel):
    step_percent: StepPercent = Field(default=10.0, description="Traffic shifted per step (3.0-100.0). default: 10.0")
    step_bake_time_minutes: BakeMinutes = Field(default=6, description="Minutes between steps (0-1440). default: 6")


class CanaryConfig(StrictModel):
    canary_percent: CanaryPercent = Field(default=5.0, description="Traffic of the canary (0.1-100.0). default: 5.0")
    canary_bake_time_minutes: BakeMinutes = Field(
        default=10,
        description="Minutes before the rest of the traffic shifts (0-1440). default: 10",
    )


class LifecycleHookConfig(StrictModel):
    """A Lambda function ECS calls at deployment stages; it answers SUCCEEDED, FAILED (roll back) or IN_PROGRESS."""

    hook_target_arn: LAMBDA_FUNCTION_ARN = Field(description="The Lambda function.")
    role_arn: IAM_ROLE_ARN = Field(description="Role ECS assumes to invoke it (lambda:InvokeFunction on it).")
    lifecycle_stages: Annotated[list[LifecycleStage], Field(min_length=1)] = Field(
        description="Stages it runs at: " + ", ".join(LIFECYCLE_STAGES) + "."
    )


class DeploymentConfig(StrictModel):
    """How ECS replaces tasks. Without the block: rolling, 100% healthy for one task and 50% for several, 200%
    at most, circuit breaker with rollback."""

    minimum_healthy_percent: MinimumHealthyPercent | None = Field(
        default=None,
        description="Tasks kept running during a deployment, in % of desired_count. default: 100 for one "
        "task, 50 for several",
    )
    maximum_percent: MaximumPercent | None = Field(
        default=None,
        description="Tasks allowed running during a deployment, in % of desired_count. default: 200",
    )
    circuit_breaker: CircuitBreakerConfig = Field(
        default_factory=CircuitBreakerConfig,
        description="default: enabled, with rollback",
    )
    strategy: Literal["rolling", "linear", "canary"] = Field(
        default="rolling",
        description="rolling: replace tasks in batches; linear and canary shift the ALB's traffic to the new tasks "
        "(AWS provider 6.x only; blue/green is deployment_ownership ecs_blue_green). default: rolling",
    )
    linear: LinearConfig | None = Field(default=None, description="With strategy linear. default: ECS's 10% / 6 min")
    canary: CanaryConfig | None = Field(default=None, description="With strategy canary. default: ECS's 5% / 10 min")
    bake_time_minutes: BakeMinutes | None = Field(
        default=None,
        description="Minutes the old tasks stay up after all traffic shifted (AWS provider 6.x only). "
        "default: ECS's; with ecs_blue_green, blue_green_bake_time_minutes",
    )
    lifecycle_hooks: list[LifecycleHookConfig] = Field(
        default_factory=list,
        description="Lambda functions run at deployment stages (AWS provider 6.x only). default: none",
    )

    @classmethod
    def cross_field_rules(cls, data: dict[str, Any]) -> Problems:
        problems = []
        strategy = typed(data, "strategy", str, "rolling")
        for key in TRAFFIC_SHIFTING_STRATEGIES:
            if data.get(key) is not None and strategy != key:
                problems.append(
                    problem(
                        (key,),
                        f"applies to strategy {key!r}, not {strategy!r}; set strategy: {key!r}",
                    )
                )
        low, high = (
            typed(data, "minimum_healthy_percent", int),
            typed(data, "maximum_percent", int),
        )
        if low is not None and high is not None and low > high:
            problems.append(
                problem(
                    ("minimum_healthy_percent",),
                    f"{low} is above maximum_percent {high}; allowed: at most {high}",
                    low,
                )
            )
        return problems


Deployment = Annotated[
    DeploymentConfig | None,
    Field(
        default=None,
        description="How ECS replaces tasks. default: rolling, 100% healthy for one task and 50% for "
        "several, 200% at most, circuit breaker with rollback",
    ),
]


def deployment_rules(data: dict[str, Any]) -> Problems:
    """The block against the service: who deploys (deployment_ownership), its ALB and its task count."""
    deployment = typed(data, "deployment", dict)
    if deployment is None:
        return []
    problems = []
    ownership = typed(data, "deployment_ownership", str, "terraform")
    strategy = typed(deployment, "strategy", str, "rolling")
    ecs_native = [
        k
        for k in ("circuit_breaker", "bake_time_minutes", "lifecycle_hooks")
        if deployment.get(k) not in (None, [], {})
    ]
    if ownership == "codedeploy":
        ecs_native += ["strategy"] if strategy != "rolling" else []
        problems += [
            problem(
                ("deployment", key),
                "CodeDeploy deploys this service (deployment_ownership codedeploy); "
                "ECS's own deployment settings do not apply",
            )
            for key in ecs_native
        ]
    elif strategy in TRAFFIC_SHIFTING_STRATEGIES and ownership == "ecs_blue_green":
        problems.append(
            problem(
                ("deployment", "strategy"),
                f"{strategy!r} and deployment_ownership 'ecs_blue_green' are two strategies; choose one",
                strategy,
            )
        )
    elif strategy in TRAFFIC_SHIFTING_STRATEGIES and data.get("shared_alb") is not None:
        problems.append(
            problem(
                ("deployment", "strategy"),
                f"{strategy!r} shifts traffic on the service's own ALB, not shared_alb",
                strategy,
            )
        )
    if ownership == "ecs_blue_green" and "bake_time_minutes" in deployment and "blue_green_bake_time_minutes" in data:
        problems.append(
            problem(
                ("deployment", "bake_time_minutes"),
                "set either this or blue_green_bake_time_minutes",
            )
        )
    low = typed(deployment, "minimum_healthy_percent", int)
    high = typed(deployment, "maximum_percent", int, 200)
    desired = typed(data, "desired_count", int, 1)
    if low == 100 and high == 100 and desired:
        problems.append(
            problem(
                ("deployment", "maximum_percent"),
                "100 with minimum_healthy_percent 100: ECS can neither "
                "start a new task nor stop an old one, so the service never rolls; allowed: above 100",
                100,
            )
        )
    return problems


def shifts_traffic(deployment: DeploymentConfig | None, ownership: str) -> bool:
    """ECS moves the ALB's traffic between two target groups (blue/green, linear, canary): the service gets a
    second target group, a production listener rule and a role ECS switches them with."""
    return ownership == "ecs_blue_green" or (
        deployment is not None and deployment.strategy in TRAFFIC_SHIFTING_STRATEGIES
    )


def provider6_features(deployment: DeploymentConfig | None, ownership: str) -> list[str]:
    """The keys that synthesize the `deployment_configuration` block, which AWS provider 5.x does not know."""
    found = ["deployment_ownership: ecs_blue_green"] if ownership == "ecs_blue_green" else []
    if deployment is not None:
        found += [f"deployment.strategy: {deployment.strategy}"] if deployment.strategy != "rolling" else []
        found += ["deployment.bake_time_minutes"] if deployment.bake_time_minutes is not None else []
        found += ["deployment.lifecycle_hooks"] if deployment.lifecycle_hooks else []
    return found
