"""The service's CloudWatch log group: ours, never created by the awslogs driver, so Terraform owns it."""

from __future__ import annotations

from constructs import Construct

from .._jsii.addressing import Part
from .._jsii.aws import CloudwatchLogGroup
from ..props.resource_names import log_group_arn


class ServiceLogGroup(Part):
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        name: str,
        retention_in_days: int,
        region: str,
        account_id: str,
        kms_key_arn: str | None = None,
    ):
        super().__init__(scope, id)
        self.name = name
        # The ARN is derived, not read from the resource: IAM statements use it without a round trip to Node.
        self.arn = log_group_arn(region, account_id, name)
        self.log_group = CloudwatchLogGroup(
            self, "Default", name=name, retention_in_days=retention_in_days, kms_key_id=kms_key_arn
        )
