"""What every bucket the library creates has: versioning, no public access, bucket-owner-enforced ownership,
events to EventBridge (audit trails, alerts on unexpected writes), server access logs when a target bucket is
given, and a policy that denies plain HTTP. Created as children of the bucket's construct, so the addresses are
its own (`aws_s3_bucket_versioning.<construct>_versioning`)."""

from __future__ import annotations

from typing import Any

from .._jsii.addressing import Part
from .._jsii.aws import (
    S3BucketLoggingA,
    S3BucketNotification,
    S3BucketOwnershipControls,
    S3BucketOwnershipControlsRule,
    S3BucketPublicAccessBlock,
    S3BucketVersioningA,
    S3BucketVersioningVersioningConfiguration,
)


def add_bucket_basics(part: Part, *, bucket_id: str, bucket_name: str, access_log_bucket: str | None) -> None:
    S3BucketVersioningA(
        part,
        "versioning",
        bucket=bucket_id,
        versioning_configuration=S3BucketVersioningVersioningConfiguration(status="Enabled"),
    )
    S3BucketPublicAccessBlock(
        part,
        "public-access-block",
        bucket=bucket_id,
        block_public_acls=True,
        block_public_policy=True,
        ignore_public_acls=True,
        restrict_public_buckets=True,
    )
    S3BucketOwnershipControls(
        part,
        "ownership",
        bucket=bucket_id,
        rule=S3BucketOwnershipControlsRule(object_ownership="BucketOwnerEnforced"),
    )
    S3BucketNotification(part, "events", bucket=bucket_id, eventbridge=True)
    if access_log_bucket:
        S3BucketLoggingA(
            part,
            "access-logs",
            bucket=bucket_id,
            target_bucket=access_log_bucket,
            target_prefix=f"{bucket_name}/",
        )


def deny_insecure_transport(bucket_arn: str) -> dict[str, Any]:
    """The policy statement that refuses every request not made over TLS."""
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [bucket_arn, f"{bucket_arn}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }
