"""The environment's regional WAF web ACL for internet-facing ALBs: AWS managed rule groups (common threats,
known bad inputs including Log4j, the IP reputation list), and its logs in CloudWatch, encrypted."""

from __future__ import annotations

from constructs import Construct

from .._jsii.addressing import Part
from .._jsii.aws import (
    CloudwatchLogGroup,
    Wafv2WebAcl,
    Wafv2WebAclDefaultAction,
    Wafv2WebAclDefaultActionAllow,
    Wafv2WebAclLoggingConfiguration,
    Wafv2WebAclRule,
    Wafv2WebAclRuleOverrideAction,
    Wafv2WebAclRuleOverrideActionNone,
    Wafv2WebAclRuleVisibilityConfig,
    Wafv2WebAclVisibilityConfig,
)

# In evaluation order: priority is the index.
MANAGED_RULE_GROUPS = (
    "AWSManagedRulesAmazonIpReputationList",
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",  # includes the Log4j (CVE-2021-44228) rules
)
LOG_RETENTION_DAYS = 365


class ManagedRulesWebAcl(Part):
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        name: str,
        log_group_name: str,
        kms_key_arn: str | None,
    ):
        super().__init__(scope, id)
        self.web_acl = Wafv2WebAcl(
            self,
            "Default",
            name=name,
            scope="REGIONAL",
            description="AWS managed rules for the environment's internet-facing load balancers",
            default_action=Wafv2WebAclDefaultAction(allow=Wafv2WebAclDefaultActionAllow()),
            rule=[_managed_rule(group, priority) for priority, group in enumerate(MANAGED_RULE_GROUPS)],
            visibility_config=Wafv2WebAclVisibilityConfig(
                cloudwatch_metrics_enabled=True,
                metric_name=name,
                sampled_requests_enabled=True,
            ),
        )
        self.log_group = CloudwatchLogGroup(
            self,
            "logs",
            name=log_group_name,
            retention_in_days=LOG_RETENTION_DAYS,
            kms_key_id=kms_key_arn,
        )
        Wafv2WebAclLoggingConfiguration(
            self,
            "logging",
            resource_arn=self.ref(self.web_acl).arn,
            log_destination_configs=[self.ref(self.log_group).arn],
        )
        self.arn: str = self.ref(self.web_acl).arn


def _managed_rule(group: str, priority: int) -> Wafv2WebAclRule:
    """A managed rule group with its own actions (override none: block what it blocks)."""
    return Wafv2WebAclRule(
        name=group,
        priority=priority,
        override_action=Wafv2WebAclRuleOverrideAction(none=Wafv2WebAclRuleOverrideActionNone()),
        statement={"managed_rule_group_statement": {"name": group, "vendor_name": "AWS"}},
        visibility_config=Wafv2WebAclRuleVisibilityConfig(
            cloudwatch_metrics_enabled=True,
            metric_name=group,
            sampled_requests_enabled=True,
        ),
    )
