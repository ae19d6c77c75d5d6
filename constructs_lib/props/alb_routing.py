"""How requests reach a web service's tasks through an ALB beyond the default: a listener rule that routes part of
a shared ALB's traffic to the service, and sticky sessions on its target group."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from .base import Bounded, BoundedText, Problems, StrictModel, problem
from .limits import LISTENER_CONDITION_VALUE_MAX

StickinessDuration = Annotated[int, Bounded(1, 604800, "a stickiness duration")]
ConditionValue = Annotated[str, BoundedText(1, LISTENER_CONDITION_VALUE_MAX, "a listener rule condition value")]


class StickinessConfig(StrictModel):
    enabled: bool = Field(default=True, description="default: true")
    duration_seconds: StickinessDuration = Field(default=86400, description="default: 86400")


class ListenerRuleConfig(StrictModel):
    """Route part of a shared ALB's HTTPS traffic to this service."""

    priority: Annotated[int, Field(ge=1, le=50000)] = Field(description="Rule priority, unique on the listener.")
    path_patterns: list[ConditionValue] = Field(default_factory=list, description="e.g. /api/*. default: any path")
    host_headers: list[ConditionValue] = Field(
        default_factory=list, description="e.g. api.example.com. default: any host"
    )

    @classmethod
    def cross_field_rules(cls, data: dict[str, Any]) -> Problems:
        if not data.get("path_patterns") and not data.get("host_headers"):
            return [problem(("path_patterns",), "a listener rule needs path_patterns or host_headers")]
        return []
