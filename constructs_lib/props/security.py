"""Service keys for the load balancer's edge and the container's hardening (secure defaults, opt-in extras)."""

from __future__ import annotations

import ipaddress
from typing import Annotated, Any

from pydantic import AfterValidator, Field

from .base import StrictModel, rule_error, show


def _ipv4_network(value: Any) -> Any:
    """A CIDR block as AWS takes it: a real IPv4 network, without host bits (the policy reads what it covers)."""
    try:
        network = ipaddress.IPv4Network(value, strict=False)
    except ValueError:
        raise rule_error(f"{show(value)} is not an IPv4 CIDR block; allowed: e.g. 10.0.0.0/16") from None
    if str(network) != value:
        raise rule_error(f"{show(value)} has host bits set; allowed: its network {network}")
    return value


CidrV4 = Annotated[str, Field(pattern=r"^(\d{1,3}\.){3}\d{1,3}/\d{1,2}$"), AfterValidator(_ipv4_network)]


class AlbAccessLogsConfig(StrictModel):
    """ALB access logs to an existing S3 bucket (its policy must allow the regional ELB account to write)."""

    bucket: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")] = Field(description="S3 bucket name.")
    prefix: Annotated[str, Field(pattern=r"^[^/].*[^/]$|^$")] = Field(
        default="", description="Key prefix inside the bucket. default: none"
    )
