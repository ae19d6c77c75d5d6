"""The names of what an environment stack owns, derived from the environment alone.

The environment stack creates each resource under its name and every service stack finds it by the same name
(a data source or a reference built from the name), so no service plan reads the environment stack's state.
"""

from __future__ import annotations

from dataclasses import dataclass

from .limits import ALB_NAME_MAX, ECS_NAME_MAX
from .naming import Naming, fit

S3_BUCKET_NAME_MAX = 63
WAF_NAME_MAX = 128
KMS_ALIAS_MAX = 256


def load_balancer_name(naming: Naming, alb_name: str) -> str:
    """An ALB's name, a service's own or one of the environment's: `{organization}-{environment}-{alb_name}`, cut to
    32. The trust rule names the ALB the constructs create with this same function, so the two always agree."""
    return naming.resource(alb_name, ALB_NAME_MAX)


@dataclass(frozen=True)
class EnvironmentNames:
    naming: Naming
    account_id: str
    region: str

    def cluster(self, cluster_name: str) -> str:
        return self.naming.resource(cluster_name, ECS_NAME_MAX)

    def cluster_arn(self, cluster_name: str) -> str:
        return f"arn:aws:ecs:{self.region}:{self.account_id}:cluster/{self.cluster(cluster_name)}"

    def exec_log_group(self, cluster_name: str) -> str:
        """ECS Exec session logs of one cluster."""
        return f"/ecs/{self.cluster(cluster_name)}/exec"

    @property
    def log_key_alias(self) -> str:
        return fit(f"alias/{self.naming.prefix}-logs", KMS_ALIAS_MAX)

    @property
    def access_log_bucket(self) -> str:
        """Bucket names are global: the account and region make the name the environment's own."""
        return fit(
            f"{self.naming.prefix}-alb-logs-{self.account_id}-{self.region}",
            S3_BUCKET_NAME_MAX,
        )

    @property
    def web_acl(self) -> str:
        return fit(f"{self.naming.prefix}-web-acl", WAF_NAME_MAX)

    @property
    def web_acl_log_group(self) -> str:
        """WAF logs to CloudWatch only into a log group whose name starts with `aws-waf-logs-`."""
        return f"aws-waf-logs-{self.naming.prefix}"

    def load_balancer(self, name: str) -> str:
        """An ALB of `environment_resources.load_balancers`: named as a service's own ALB is, so one rule (and the
        trust check reading it) covers both, and the validation keeps the two kinds apart."""
        return load_balancer_name(self.naming, name)

    def load_balancer_security_groups(self, name: str) -> tuple[str, str]:
        """Its two groups, named as a service's ALB groups: the first admits CloudFront and is the one the services
        on the ALB admit into their tasks (found by its `Name` tag), the second admits the allowed networks."""
        return self.naming.alb_security_group(name, "cloudfront"), self.naming.alb_security_group(name, "private")
