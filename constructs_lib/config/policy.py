"""Security rules with a severity per environment: `off`, `warning` (the default) or `error`.

An organization sets them in the env file's `policy` block, e.g. WAF and access logs required on every
internet-facing ALB in production. With no block every rule is a warning, so the ECSBuilder's own examples stay
valid in every environment while `validate` still says what a security review would flag.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from ..props.base import StrictModel
from .credential_names import is_credential_name

if TYPE_CHECKING:
    from .env import EnvConfig

Severity = Literal["off", "warning", "error"]
WIDE_PUBLIC_PREFIX = 8  # public ranges of a /8 or more in all (16,777,216 addresses) are open ingress too
PRODUCTION_ENVIRONMENTS = ("prod", "production")
# IPv4 ranges no internet client connects from (IANA special-purpose registry, not globally reachable): RFC 1918,
# shared address space (carrier-grade NAT), loopback, link-local, "this network", documentation, benchmarking,
# IETF protocol assignments, multicast and the reserved 240.0.0.0/4. Open ingress counts only the addresses outside.
NOT_PUBLIC = tuple(
    ipaddress.IPv4Network(cidr)
    for cidr in (
        "0.0.0.0/8",
        "10.0.0.0/8",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "172.16.0.0/12",
        "192.0.0.0/24",
        "192.0.2.0/24",
        "192.168.0.0/16",
        "198.18.0.0/15",
        "198.51.100.0/24",
        "203.0.113.0/24",
        "224.0.0.0/4",
        "240.0.0.0/4",
    )
)


def _rule(what: str) -> Severity:
    return Field(default="warning", description=f"{what}. off | warning | error. default: warning")


class PolicyConfig(StrictModel):
    waf_on_internet_alb: Severity = _rule("An internet-facing ALB has a WAF web ACL (waf_web_acl_arn)")
    alb_access_logs: Severity = _rule("The ALB writes access logs (alb_access_logs)")
    credentials_in_environment: Severity = _rule(
        "No credential names (PASS, PASSWORD, PWD, SECRET, TOKEN, CREDENTIALS, API_KEY, PRIVATE_KEY, *_KEY, *_AUTH as "
        "words of the name, camelCase and APIKEY-style run-together words included) in the containers' environment"
    )
    log_encryption: Severity = _rule("Log groups are encrypted with a customer KMS key (kms_key_arn)")
    readonly_root_filesystem: Severity = _rule("The app container's root filesystem is read-only")
    deletion_protection: Severity = _rule("Production ALBs keep deletion protection on (deletion_protection)")
    open_alb_ingress: Severity = _rule(
        "alb_ingress_cidrs, taken together, cover neither 0.0.0.0/0 nor public ranges of a /8 or more"
    )
    mutable_image_tag: Severity = _rule("container_repo names an immutable tag or digest, not latest or no tag")
    public_task_ip: Severity | None = Field(
        default=None,
        description="Tasks get no public IP (assign_public_ip). off | warning | error. default: error in prod and "
        "production, warning elsewhere",
    )

    def severity(self, rule: str, environment: str) -> Severity:
        """The rule's severity in `environment`: as set, else its default (production-like ones for some rules)."""
        severity: Severity | None = getattr(self, rule)
        if severity is None:
            return "error" if environment in PRODUCTION_ENVIRONMENTS else "warning"
        return severity


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    path: str
    message: str

    def line(self) -> str:
        return f"{self.path}: {self.severity}: {self.message} (policy.{self.rule})"


def evaluate_policy(env: EnvConfig) -> list[Finding]:
    findings: list[Finding] = []

    def flag(rule: str, path: str, message: str) -> None:
        severity = env.policy.severity(rule, env.environment)
        if severity != "off":
            findings.append(Finding(rule, severity, path, message))

    owned = env.environment_resources  # what the environment stack provides counts as set
    if env.kms_key_arn is None and not owned.log_kms_key:
        flag("log_encryption", "kms_key_arn", "log groups use CloudWatch's own encryption; set a customer KMS key")
    for index, service in enumerate(env.services):
        at = f"services[{index}]"
        # WAF cannot protect an NLB, and an internal ALB (private subnets) takes no internet traffic to filter.
        if service.waf_web_acl_arn is None and not owned.waf_web_acl and service.nlb is None and not service.internal:
            flag("waf_on_internet_alb", f"{at}.waf_web_acl_arn", "the internet-facing ALB has no WAF web ACL")
        if service.alb_access_logs is None and not owned.alb_access_logs:
            flag("alb_access_logs", f"{at}.alb_access_logs", "the ALB writes no access logs")
        if not service.readonly_root_filesystem:
            flag(
                "readonly_root_filesystem",
                f"{at}.readonly_root_filesystem",
                "the app container's root filesystem is writable",
            )
        if service.deletion_protection is False and env.environment in PRODUCTION_ENVIRONMENTS:
            flag("deletion_protection", f"{at}.deletion_protection", "deletion protection is off on a production ALB")
        for message in _open_ingress(service.alb_ingress_cidrs):
            flag("open_alb_ingress", f"{at}.alb_ingress_cidrs", message)
        if service.assign_public_ip:
            flag(
                "public_task_ip",
                f"{at}.assign_public_ip",
                "the tasks get public IPs in the public subnets; keep them "
                "private behind the ALB (egress through NAT or VPC endpoints)",
            )
        if service.container_repo and _mutable_tag(service.container_repo):
            flag(
                "mutable_image_tag",
                f"{at}.container_repo",
                f"{service.container_repo!r} can change under the same name; pin a version tag or a digest",
            )
        environments = {f"{at}.parameters": service.parameters.environment}
        environments |= {f"{at}.sidecars[{i}]": sidecar.environment for i, sidecar in enumerate(service.sidecars)}
        for container, environment in environments.items():
            for name in filter(is_credential_name, environment):
                flag(
                    "credentials_in_environment",
                    f"{container}.environment.{name}",
                    "the name looks like a credential, and environment values are stored in plain text in the task "
                    "definition and the Terraform state; move it to parameters.secrets (SECRET or PARAM)",
                )
    _environment_alb_findings(env, flag)
    return findings


def _environment_alb_findings(env: EnvConfig, flag: Callable[[str, str, str], None]) -> None:
    """The ALB rules on the environment's own ALBs (environment_resources.load_balancers), as on a service's."""
    owned = env.environment_resources
    for index, alb in enumerate(owned.load_balancers):
        at = f"environment_resources.load_balancers[{index}]"
        if not alb.internal and not owned.waf_web_acl:
            flag("waf_on_internet_alb", f"{at}.internal", "the internet-facing ALB has no WAF web ACL")
        if not owned.alb_access_logs:
            flag("alb_access_logs", f"{at}.name", "the ALB writes no access logs")
        if alb.deletion_protection is False and env.environment in PRODUCTION_ENVIRONMENTS:
            flag("deletion_protection", f"{at}.deletion_protection", "deletion protection is off on a production ALB")
        for message in _open_ingress(alb.ingress_cidrs):
            flag("open_alb_ingress", f"{at}.ingress_cidrs", message)


def _open_ingress(cidrs: list[str]) -> list[str]:
    """What the ranges open together, judged on the public addresses they cover (0.0.0.0/1 + 128.0.0.0/1 is
    0.0.0.0/0; 172.0.0.0/8 holds the private 172.16.0.0/12, which is not counted), not on how they are written."""
    networks = {cidr: ipaddress.ip_network(cidr) for cidr in cidrs}
    parts = {cidr: _public_parts(network) for cidr, network in networks.items()}
    public = list(ipaddress.collapse_addresses(p for found in parts.values() for p in found))
    total = sum(n.num_addresses for n in public)
    if total < 2 ** (32 - WIDE_PUBLIC_PREFIX):
        return []
    given = [cidr for cidr, found in parts.items() if found]
    covers = f"{given[0]} covers" if len(given) == 1 else f"{' + '.join(given)} together cover"
    v4 = [n for n in networks.values() if isinstance(n, ipaddress.IPv4Network)]  # alb_ingress_cidrs are IPv4
    everything = any(n.prefixlen == 0 for n in ipaddress.collapse_addresses(v4))
    reach = (
        "0.0.0.0/0: the ALB is open to the whole internet"
        if everything
        else f"{total:,} public addresses: the ALB is open to all of them"
    )
    return [
        f"{covers} {reach}; allowed: public ranges of fewer than "
        f"{2 ** (32 - WIDE_PUBLIC_PREFIX):,} addresses (a /{WIDE_PUBLIC_PREFIX}) in all"
    ]


def _public_parts(network: ipaddress.IPv4Network | ipaddress.IPv6Network) -> list[ipaddress.IPv4Network]:
    """`network` without the ranges no internet client connects from (NOT_PUBLIC)."""
    parts = [network] if isinstance(network, ipaddress.IPv4Network) else []
    for reserved in NOT_PUBLIC:
        kept: list[ipaddress.IPv4Network] = []
        for part in parts:
            if not part.overlaps(reserved):
                kept.append(part)
            elif not part.subnet_of(reserved):  # then reserved lies inside part
                kept.extend(part.address_exclude(reserved))
        parts = kept
    return parts


def _mutable_tag(image: str) -> bool:
    if "@sha256:" in image:
        return False
    name = image.rsplit("/", 1)[-1]
    return ":" not in name or name.endswith(":latest")
