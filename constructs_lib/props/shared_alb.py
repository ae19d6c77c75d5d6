"""`shared_alb`: a service on an ALB it does not own, by one of two forms. `load_balancer` names an ALB of the
environment stack (`environment_resources.load_balancers`), which the service's stack finds by its deterministic
name; `listener_arn` with `security_group_id` names another service's ALB (or a trusted listener) directly.

The same model serves env files and `WebServiceProps`, so a Python caller attaches to an environment's ALB by
name exactly as an env file does.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from .arns import LISTENER_ARN, SECURITY_GROUP_ID
from .base import Matching, Problems, StrictModel, problem
from .limits import ALB_NAME_MAX

# An ALB name as AWS takes it (the environment's prefix is added and the whole cut to 32 with a hash, like a
# service's alb_name): a name longer than AWS's own limit could never be read back as written.
ALB_NAME_PATTERN = rf"^[A-Za-z0-9]([A-Za-z0-9-]{{0,{ALB_NAME_MAX - 2}}}[A-Za-z0-9])?$"
ALB_NAME_PART = Annotated[
    str,
    Matching(
        ALB_NAME_PATTERN,
        "is not an ALB name",
        f"1-{ALB_NAME_MAX} letters, digits and hyphens, not starting or ending with a hyphen",
    ),
]
FORMS = "load_balancer (an ALB of environment_resources.load_balancers) or listener_arn with security_group_id"


class SharedAlbConfig(StrictModel):
    """Attach to an ALB this service does not own, in one of two forms: `load_balancer` (the environment's ALB of
    that name), or `listener_arn` and `security_group_id` (another service's ALB, or a trusted listener)."""

    load_balancer: ALB_NAME_PART | None = Field(
        default=None,
        description="Name of an ALB of environment_resources.load_balancers: its HTTPS listener and security group "
        "are found by name (data sources), never through the environment stack's state. default: none (use "
        "listener_arn)",
    )
    listener_arn: LISTENER_ARN | None = Field(
        default=None,
        description="HTTPS listener of an ALB of this environment: a service's of this env file (one without "
        "shared_alb; the ALB named {organization}-{environment}-{alb_name}) or one of environment_resources."
        "load_balancers; or one listed in trusted_listener_arns. default: none (use load_balancer)",
    )
    security_group_id: SECURITY_GROUP_ID | None = Field(
        default=None,
        description="The shared ALB's security group, which the tasks admit (with listener_arn). default: none",
    )

    @classmethod
    def cross_field_rules(cls, data: dict[str, Any]) -> Problems:
        by_name = data.get("load_balancer") is not None
        by_arn = [key for key in ("listener_arn", "security_group_id") if data.get(key) is not None]
        if by_name and by_arn:
            return [problem((by_arn[0],), f"set with load_balancer; give one form only: {FORMS}")]
        if by_name:
            return []
        if not by_arn:
            return [problem(("load_balancer",), f"missing: set {FORMS}")]
        missing = {"listener_arn", "security_group_id"} - set(by_arn)
        return [problem((key,), f"missing: required with {by_arn[0]}") for key in sorted(missing)]
