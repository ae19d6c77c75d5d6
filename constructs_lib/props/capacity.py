"""Where tasks run: a service's capacity provider strategy (Fargate, Fargate Spot, or the env's EC2 instances) and
the env's EC2 capacity provider itself (`ec2_capacity`), with the instance types its presets stand for."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from .base import Problems, StrictModel, problem, typed


class CapacityProviderStrategyItem(StrictModel):
    capacity_provider: Annotated[str, Field(min_length=1, max_length=255)] = Field(
        description="FARGATE, FARGATE_SPOT, or EC2 (the env's ec2_capacity provider)."
    )
    weight: Annotated[int, Field(ge=0, le=1000)] = Field(default=1, description="default: 1")
    base: Annotated[int, Field(ge=0, le=100000)] = Field(default=0, description="default: 0")


class Ec2CapacityConfig(StrictModel):
    """An Auto Scaling group of ECS-optimized Amazon Linux 2023 instances as a capacity provider."""

    preset: Literal["development", "production"] | None = Field(
        default=None, description="development: t3.medium; production: c5.2xlarge. default: none (set instance_type)"
    )
    instance_type: Annotated[str, Field(pattern=r"^[a-z0-9]+\.[a-z0-9]+$")] | None = Field(
        default=None, description="EC2 instance type. default: the preset's"
    )
    min_size: Annotated[int, Field(ge=0)] = Field(default=0, description="default: 0")
    max_size: Annotated[int, Field(ge=1)] = Field(default=4, description="default: 4")
    spot: bool = Field(default=False, description="Spot instances. default: false")

    @classmethod
    def cross_field_rules(cls, data: dict[str, Any]) -> Problems:
        problems = []
        if data.get("preset") is None and data.get("instance_type") is None:
            problems.append(
                problem(("instance_type",), "missing: set instance_type or preset (development | production)")
            )
        low, high = typed(data, "min_size", int, 0), typed(data, "max_size", int, 4)
        if low is not None and high is not None and low > high:
            problems.append(problem(("min_size",), f"{low} is above max_size {high}", low))
        return problems


INSTANCE_TYPE_BY_PRESET = {"development": "t3.medium", "production": "c5.2xlarge"}
