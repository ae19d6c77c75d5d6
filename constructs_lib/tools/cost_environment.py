"""The environment stack's fixed monthly cost for `cost`: its log KMS key, its WAF web ACL with its rule groups
(and the requests they inspect), its ALB access-log bucket's storage and its shared ALBs' hours, from the same
dated price table. Clusters and namespaces cost nothing by themselves; a shared ALB's LCUs follow the traffic of
the services on it, which `cost` does not know (their own ALBs are charged their LCUs in the services' rows)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..config import EnvConfig
from ..config.service_names import environment_stack_name
from .cost_schedule import HOURS_PER_MONTH

# The rule groups of constructs/web_acl.py: the environment's web ACL evaluates each, and WAF bills each as a rule.
WEB_ACL_RULE_GROUPS = 3


@dataclass
class EnvironmentCost:
    stack: str
    items: list[tuple[str, float, str, float]] = field(default_factory=list)  # name, quantity, unit, rate

    @property
    def monthly(self) -> float:
        return sum(quantity * rate for _, quantity, _, rate in self.items)


def estimate_environment(
    env: EnvConfig,
    prices: dict[str, dict[str, float]],
    *,
    waf_requests_million: float,
    access_log_gb: float,
) -> EnvironmentCost:
    owned = env.environment_resources
    cost = EnvironmentCost(environment_stack_name(env))
    if owned.log_kms_key and env.kms_key_arn is None:
        cost.items.append(("KMS key (logs)", 1, "key-month", prices["kms"]["key_month"]))
    if owned.waf_web_acl:
        waf = prices["waf"]
        cost.items.append(("WAF web ACL", 1, "ACL-month", waf["web_acl_month"]))
        cost.items.append(("WAF rule groups", WEB_ACL_RULE_GROUPS, "rule-month", waf["rule_month"]))
        cost.items.append(
            (
                "WAF requests",
                waf_requests_million,
                "M requests",
                waf["requests_million"],
            )
        )
    if owned.load_balancers:
        names = ", ".join(lb.name for lb in owned.load_balancers)
        cost.items.append(
            (f"ALB hours ({names})", HOURS_PER_MONTH * len(owned.load_balancers), "h", prices["alb"]["hour"])
        )
    if owned.alb_access_logs:
        cost.items.append(
            (
                "ALB access-log storage",
                access_log_gb,
                "GB-month",
                prices["s3"]["standard_gb_month"],
            )
        )
    return cost
