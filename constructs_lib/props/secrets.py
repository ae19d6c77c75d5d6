"""A secret injected into a container at start-up (the spec's ContainerSecretConfig)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from .arns import SECRET_ARN
from .base import SSM_PARAMETER_NAME, Problems, StrictModel, problem, typed

NonEmptyStr = Annotated[str, Field(min_length=1)]


class ContainerSecretConfig(StrictModel):
    """One secret injected into the container at start-up (the spec's ContainerSecretConfig)."""

    name: SSM_PARAMETER_NAME = Field(
        description="Secret or SSM parameter name. For PARAM it is resolved to "
        "/{organization}/{environment}/{name} unless it starts with '/'."
    )
    value_from: Literal["SECRET", "PARAM"] = Field(
        description="SECRET: AWS Secrets Manager (needs arn); PARAM: SSM Parameter Store."
    )
    arn: SECRET_ARN | None = Field(
        default=None,
        description="Secrets Manager secret ARN, exact (no * or ?), of the env's account and region or of a "
        "trusted_account_ids account; with or without the 6-character suffix AWS appends. Required when value_from "
        "is SECRET. default: none",
    )
    suffix: NonEmptyStr | None = Field(
        default=None,
        description="JSON key inside the secret; injected as '<arn>:<suffix>::'. default: the whole secret",
    )

    @classmethod
    def cross_field_rules(cls, data: dict[str, Any]) -> Problems:
        problems = []
        value_from, suffix = typed(data, "value_from", str), typed(data, "suffix", str)
        if value_from == "SECRET" and data.get("arn") is None:
            problems.append(problem(("arn",), "missing: value_from SECRET needs the Secrets Manager secret ARN"))
        if value_from == "PARAM" and suffix is not None:
            problems.append(
                problem(("suffix",), f"{suffix!r} applies to SECRET only; an SSM parameter has no JSON keys", suffix)
            )
        return problems
