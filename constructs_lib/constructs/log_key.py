"""The environment's KMS key for log groups: CloudWatch Logs of one account and region may use it, and only for
that account's log groups (the `kms:EncryptionContext:aws:logs:arn` condition); the account administers it
through IAM, as every customer key needs, so no key policy edit locks it out."""

from __future__ import annotations

from constructs import Construct

from .._jsii.addressing import Part
from .._jsii.aws import KmsAlias, KmsKey
from .._jsii.embedded_json import embedded_json

LOGS_ACTIONS = [
    "kms:Encrypt*",
    "kms:Decrypt*",
    "kms:ReEncrypt*",
    "kms:GenerateDataKey*",
    "kms:Describe*",
]
DELETION_WINDOW_DAYS = 30


def log_key_policy(*, account_id: str, region: str) -> dict[str, object]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AccountAdministersTheKeyThroughIam",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
                "Action": "kms:*",
                "Resource": "*",
            },
            {
                "Sid": "CloudWatchLogsOfThisAccountAndRegion",
                "Effect": "Allow",
                "Principal": {"Service": f"logs.{region}.amazonaws.com"},
                "Action": LOGS_ACTIONS,
                "Resource": "*",
                "Condition": {
                    "ArnLike": {"kms:EncryptionContext:aws:logs:arn": f"arn:aws:logs:{region}:{account_id}:log-group:*"}
                },
            },
        ],
    }


class LogKey(Part):
    """A symmetric key with yearly rotation and the alias services look it up by (`alias`)."""

    def __init__(self, scope: Construct, id: str, *, alias: str, account_id: str, region: str):
        super().__init__(scope, id)
        self.key = KmsKey(
            self,
            "Default",
            description=f"Encrypts the log groups of {alias.removeprefix('alias/')}",
            enable_key_rotation=True,
            deletion_window_in_days=DELETION_WINDOW_DAYS,
            policy=embedded_json(self, log_key_policy(account_id=account_id, region=region)),
        )
        self.alias = KmsAlias(self, "alias", name=alias, target_key_id=self.ref(self.key).id)
        self.arn: str = self.ref(self.key).arn
