"""`environment_resources.load_balancers`: ALBs the environment stack owns, which services attach listener rules to
by name (`shared_alb.load_balancer`) instead of each creating an ALB of its own.

Each is built as a service's own ALB is (HTTPS with the TLS 1.3 policy, HTTP redirected, invalid headers dropped,
access logs to the environment's bucket, the environment's web ACL when internet-facing), with a fixed 404 as the
default action: only its services' rules route. Its rules here read the raw input like every cross-field rule (see
base.py), so their problems come in the same run as the field errors.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from ..props.arns import CERTIFICATE_ARN, parse_arn
from ..props.base import Bounded, Problems, StrictModel, problem, typed
from ..props.environment_names import load_balancer_name
from ..props.limits import ACCOUNT_ID_PATTERN, REGION_PATTERN, matches
from ..props.naming import Naming
from ..props.security import CidrV4
from ..props.shared_alb import ALB_NAME_PART, ALB_NAME_PATTERN
from .trust import own_alb_names

LOAD_BALANCERS = ("environment_resources", "load_balancers")
MIN_ALB_SUBNETS = 2  # an ALB needs subnets in two or more Availability Zones


class EnvironmentLoadBalancerConfig(StrictModel):
    """An ALB of the environment stack: `{organization}-{environment}-{name}` (cut to 32 like a service's ALB),
    HTTPS on 443 answering 404 but for its services' listener rules, HTTP on 80 redirected to HTTPS."""

    name: ALB_NAME_PART = Field(
        description="What services name in shared_alb.load_balancer; the ALB is {organization}-{environment}-{name}, "
        "cut to 32 characters with a hash as a service's ALB."
    )
    certificate_arn: CERTIFICATE_ARN = Field(
        description="ACM certificate of the HTTPS listener: an ARN of this environment's account and region."
    )
    internal: bool = Field(
        default=False, description="An internal ALB in the private subnets. default: internet-facing, public subnets"
    )
    cloudfront_prefix_list_id: Annotated[str, Field(pattern=r"^pl-[0-9a-f]{8,17}$")] | None = Field(
        default=None, description="Managed prefix list (CloudFront's) allowed to reach the ALB on 443. default: none"
    )
    ingress_cidrs: list[CidrV4] = Field(
        default_factory=list,
        description='Networks allowed to reach the ALB on 443 and 80 (["0.0.0.0/0"]: the internet). default: none',
    )
    idle_timeout_seconds: Annotated[int, Bounded(1, 4000, "an ALB idle timeout")] = Field(
        default=60, description="ALB idle timeout. default: 60"
    )
    deletion_protection: bool = Field(
        default=True,
        description="ALB deletion protection; turn off for environments you tear down. default: true",
    )

    @classmethod
    def cross_field_rules(cls, data: dict[str, Any]) -> Problems:
        if data.get("cloudfront_prefix_list_id") is None and not data.get("ingress_cidrs"):
            return [
                problem(
                    ("ingress_cidrs",),
                    'no client could reach the ALB; allowed: ingress_cidrs (["0.0.0.0/0"] for the internet) and/or '
                    "cloudfront_prefix_list_id",
                )
            ]
        return []


def load_balancer_problems(data: dict[str, Any]) -> Problems:
    """The environment's ALBs against the rest of the env file: unique names, names no service's own ALB has, the
    `internal-` prefix AWS reserves, a certificate of the ALB's account and region, subnets in two zones; and
    every `shared_alb.load_balancer` naming one of them."""
    entries = _entries(data)
    names = [typed(entry, "name", str) for _, entry in entries]
    valid = [n for n in names if n is not None and matches(ALB_NAME_PATTERN, n)]
    # A name its field refuses may be the one a service means: that field's error says it all.
    problems = _service_references(data, valid) if len(valid) == len(entries) else []
    organization, environment = typed(data, "organization", str), typed(data, "environment", str)
    if not entries or organization is None or environment is None:
        return problems
    naming = Naming(organization, environment)
    services = typed(data, "services", list) or []
    taken = dict(zip(own_alb_names(naming, services), _own_alb_indexes(services), strict=True))
    first: dict[str, int] = {}
    for index, entry in entries:
        name = typed(entry, "name", str)
        at = (*LOAD_BALANCERS, index)
        if name is not None:
            problems += _name_problems(naming, name, at + ("name",), first.setdefault(name, index), index, taken)
        problems += _certificate_problems(data, entry, at + ("certificate_arn",))
        problems += _subnet_problems(data, entry, at + ("internal",))
    return problems


def _entries(data: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    resources = typed(data, "environment_resources", dict) or {}
    return [(i, e) for i, e in enumerate(typed(resources, "load_balancers", list) or []) if isinstance(e, dict)]


def _own_alb_indexes(services: list[Any]) -> list[int]:
    """The indexes of the services that create an ALB of their own, in the order `own_alb_names` gives names."""
    return [
        i
        for i, s in enumerate(services)
        if isinstance(s, dict) and typed(s, "alb_name", str) is not None and s.get("shared_alb") is None
    ]


def _name_problems(
    naming: Naming, name: str, at: tuple[str | int, ...], first: int, index: int, taken: dict[str, int]
) -> Problems:
    aws_name = load_balancer_name(naming, name)
    if first != index:
        return [problem(at, f"{name!r} is already the name of load_balancers[{first}]; names must be unique", name)]
    if aws_name in taken:
        return [
            problem(
                at,
                f"the ALB {aws_name!r} is also the one services[{taken[aws_name]}] creates (its alb_name); allowed: a "
                "name no service's own ALB has",
                name,
            )
        ]
    if aws_name.startswith("internal-"):
        return [
            problem(
                at,
                f"{aws_name!r} starts with 'internal-', which AWS reserves for internal ALBs' DNS names; allowed: "
                "an ALB name that does not (change name, organization or environment)",
                name,
            )
        ]
    return []


def _certificate_problems(data: dict[str, Any], entry: dict[str, Any], at: tuple[str | int, ...]) -> Problems:
    """An ALB's listener takes an ACM certificate of its own region, and ACM certificates are not shared across
    accounts."""
    account, region = typed(data, "account_id", str), typed(data, "region", str)
    value = typed(entry, "certificate_arn", str)
    arn = parse_arn(value) if value else None
    if arn is None or not (account and region and matches(ACCOUNT_ID_PATTERN, account)):
        return []
    if matches(REGION_PATTERN, region) and arn.region != region:
        return [
            problem(
                at,
                f"the certificate is in {arn.region}, the ALB in {region}; allowed: a certificate of {region}",
                value,
            )
        ]
    if arn.account != account:
        return [
            problem(
                at,
                f"the certificate belongs to account {arn.account}, the ALB to {account}; allowed: a certificate of "
                f"account {account}",
                value,
            )
        ]
    return []


def _subnet_problems(data: dict[str, Any], entry: dict[str, Any], at: tuple[str | int, ...]) -> Problems:
    internal = typed(entry, "internal", bool, False)
    if internal is not True:
        return []  # public subnets: network.public_subnet_ids requires two
    subnets = typed(typed(data, "network", dict) or {}, "private_subnet_ids", list)
    if subnets is None or len(subnets) >= MIN_ALB_SUBNETS:
        return []
    return [
        problem(
            at,
            f"an internal ALB goes in network.private_subnet_ids, which has {len(subnets)}; allowed: subnets in "
            f"{MIN_ALB_SUBNETS} or more Availability Zones",
        )
    ]


def _service_references(data: dict[str, Any], names: list[str]) -> Problems:
    problems = []
    allowed = ", ".join(repr(n) for n in dict.fromkeys(names)) or "none, environment_resources.load_balancers is empty"
    for index, service in enumerate(typed(data, "services", list) or []):
        shared = typed(service, "shared_alb", dict) if isinstance(service, dict) else None
        name = typed(shared, "load_balancer", str) if shared is not None else None
        if name is not None and name not in names:
            problems.append(
                problem(
                    ("services", index, "shared_alb", "load_balancer"),
                    f"{name!r} is not an ALB of environment_resources.load_balancers; allowed: {allowed}",
                    name,
                )
            )
    return problems
