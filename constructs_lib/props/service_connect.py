"""Service Connect beyond the namespace and the client alias: the proxy's timeouts, its logs and TLS between
proxies (the ECS `ServiceConnectService.timeout` / `.tls` and `ServiceConnectConfiguration.logConfiguration`)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from .arns import IAM_ROLE_ARN, KMS_KEY_ARN, PRIVATE_CA_ARN
from .base import Bounded, Problems, StrictModel, problem, typed

# ECS TimeoutConfiguration: 0 (turned off) to 2147483647 seconds.
ProxyTimeout = Annotated[int, Bounded(0, 2147483647, "a Service Connect timeout")]


class ServiceConnectTlsConfig(StrictModel):
    """TLS between Service Connect proxies, with certificates AWS Private CA issues and ECS rotates."""

    private_ca_arn: PRIVATE_CA_ARN = Field(
        description="AWS Private CA certificate authority that signs the proxies' certificates."
    )
    kms_key_arn: KMS_KEY_ARN | None = Field(
        default=None,
        description="Customer managed key for the certificates' private keys. default: an AWS-owned key",
    )
    role_arn: IAM_ROLE_ARN | None = Field(
        default=None,
        description="Existing ECS infrastructure role for Service Connect TLS. default: a role of its own with "
        "AmazonECSInfrastructureRolePolicyForServiceConnectTransportLayerSecurity",
    )


def timeout_rules(data: dict[str, Any]) -> Problems:
    """ECS: "If idleTimeout is set to a time that is less than perRequestTimeout, the connection will close when
    the idleTimeout is reached": a per-request timeout above a non-zero idle timeout never takes effect."""
    idle, per_request = (
        typed(data, "idle_timeout_seconds", int),
        typed(data, "per_request_timeout_seconds", int),
    )
    if idle and per_request and per_request > idle:
        return [
            problem(
                ("per_request_timeout_seconds",),
                f"{per_request} is above idle_timeout_seconds {idle}, which closes the connection first; allowed: at most {idle} (or 0, off)",
                per_request,
            )
        ]
    return []
