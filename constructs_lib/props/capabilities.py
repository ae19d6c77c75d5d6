"""Attaching a web service to another service's ALB (`shared_alb`).

This module once held every optional service key; they now live by concern: autoscaling, alarms, alb_routing,
capacity, container_limits, discovery, health_checks, log_drivers and sidecars.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from .alb_routing import ListenerRuleConfig as ListenerRuleConfig
from .alb_routing import StickinessConfig as StickinessConfig
from .arns import LISTENER_ARN
from .autoscaling import AutoscalingConfig as AutoscalingConfig
from .base import StrictModel
from .health_checks import TargetHealthCheckConfig as TargetHealthCheckConfig

# The four names above are re-exported only for constructs/load_balancer.py and patterns/service_runtime.py, which
# are being split in parallel and still import them from here; import them from their own modules instead.


class SharedAlbConfig(StrictModel):
    """Attach to another service's ALB instead of creating one: its HTTPS listener and security group."""

    listener_arn: LISTENER_ARN = Field(
        description="HTTPS listener of the ALB of another service of this env file (one without shared_alb; the "
        "ALB named {organization}-{environment}-{alb_name}), or one listed in trusted_listener_arns."
    )
    security_group_id: Annotated[str, Field(pattern=r"^sg-[0-9a-f]{8,17}$")]
