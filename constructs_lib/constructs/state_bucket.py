"""The S3 bucket that holds every stack's Terraform state (stacks/bootstrap.py creates it).

The bucket: versioning, KMS default encryption, no public access, bucket-owner-enforced ownership, TLS-only
access, old noncurrent versions expired, and `prevent_destroy`.
"""

from __future__ import annotations

from constructs import Construct

from .._jsii.addressing import Part
from .._jsii.aws import (
    S3Bucket,
    S3BucketLifecycleConfiguration,
    S3BucketLifecycleConfigurationRule,
    S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload,
    S3BucketLifecycleConfigurationRuleFilter,
    S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration,
    S3BucketPolicy,
    S3BucketServerSideEncryptionConfigurationA,
    S3BucketServerSideEncryptionConfigurationRuleA,
    S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA,
)
from .._jsii.embedded_json import embedded_json
from .._jsii.engine import TerraformResourceLifecycle
from .bucket_basics import add_bucket_basics, deny_insecure_transport

NONCURRENT_VERSION_DAYS = 90
INCOMPLETE_UPLOAD_DAYS = 7


class StateBucket(Part):
    def __init__(
        self, scope: Construct, id: str, *, bucket_name: str, kms_key_id: str | None, access_log_bucket: str | None
    ):
        super().__init__(scope, id)
        self.bucket = S3Bucket(
            self, "Default", bucket=bucket_name, lifecycle=TerraformResourceLifecycle(prevent_destroy=True)
        )
        bucket_id = self.ref(self.bucket).id
        add_bucket_basics(self, bucket_id=bucket_id, bucket_name=bucket_name, access_log_bucket=access_log_bucket)
        S3BucketServerSideEncryptionConfigurationA(
            self,
            "encryption",
            bucket=bucket_id,
            rule=[
                S3BucketServerSideEncryptionConfigurationRuleA(
                    apply_server_side_encryption_by_default=S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA(
                        sse_algorithm="aws:kms", kms_master_key_id=kms_key_id
                    ),
                    bucket_key_enabled=True,
                )
            ],
        )
        policy = _deny_insecure_transport(self, self.ref(self.bucket).arn)
        S3BucketPolicy(self, "tls-only", bucket=bucket_id, policy=policy)
        S3BucketLifecycleConfiguration(
            self,
            "lifecycle",
            bucket=bucket_id,
            rule=[
                S3BucketLifecycleConfigurationRule(
                    id="expire-old-state-versions",
                    status="Enabled",
                    filter=[S3BucketLifecycleConfigurationRuleFilter(prefix="")],
                    noncurrent_version_expiration=[
                        S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration(
                            noncurrent_days=NONCURRENT_VERSION_DAYS
                        )
                    ],
                    abort_incomplete_multipart_upload=[
                        S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload(
                            days_after_initiation=INCOMPLETE_UPLOAD_DAYS
                        )
                    ],
                )
            ],
        )


def _deny_insecure_transport(scope: Construct, bucket_arn: str) -> str:
    return embedded_json(scope, {"Version": "2012-10-17", "Statement": [deny_insecure_transport(bucket_arn)]})
