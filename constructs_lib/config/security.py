"""Service keys for the load balancer's edge and the container's hardening (secure defaults, opt-in extras)."""

from __future__ import annotations

import ipaddress
import re
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from .base import StrictModel, rule_error, show

CIDR_PATTERN = r"^(\d{1,3}\.){3}\d{1,3}/\d{1,2}$"


def _check_cidr(value: Any) -> Any:
    """An IPv4 CIDR block as a security group rule takes it: octets 0-255, a prefix 0-32, no host bits."""
    if not isinstance(value, str):
        return value
    try:
        network = ipaddress.IPv4Network(value, strict=False) if re.fullmatch(CIDR_PATTERN, value) else None
    except ValueError:
        network = None
    if network is None:
        raise rule_error(f"{show(value)} is not an IPv4 CIDR block; allowed: a.b.c.d/n with octets 0-255 and n 0-32, e.g. 10.0.0.0/16")
    if str(network) != value:
        raise rule_error(f"{show(value)} has host bits set; allowed: the network address, {network}")
    return value


CidrV4 = Annotated[str, Field(pattern=CIDR_PATTERN), BeforeValidator(_check_cidr)]


class AlbAccessLogsConfig(StrictModel):
    """ALB access logs to an existing S3 bucket (its policy must allow the regional ELB account to write)."""

    bucket: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")] = Field(description="S3 bucket name.")
    prefix: Annotated[str, Field(pattern=r"^[^/].*[^/]$|^$")] = Field(
        default="", description="Key prefix inside the bucket. default: none"
    )
