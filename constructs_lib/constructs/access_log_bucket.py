"""The environment's bucket for ALB access logs.

ALB log delivery writes only to buckets with SSE-S3 (it cannot use SSE-KMS), so the bucket encrypts with
AES256. The bucket policy lets the region's Elastic Load Balancing log delivery put objects under `AWSLogs/<account>/`
only, at the root (the environment's ALBs) or under one prefix (each service's ALB logs under its service name; ELB
writes `<prefix>/AWSLogs/<account>/...` and checks it may before it turns logging on): the regional ELB account in
regions older than August 2022, the log delivery service principal in the others. Public access is blocked, only
TLS is accepted, and logs expire.
"""

from __future__ import annotations

from constructs import Construct

from .._jsii.addressing import Part
from .._jsii.aws import (
    S3Bucket,
    S3BucketLifecycleConfiguration,
    S3BucketLifecycleConfigurationRule,
    S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload,
    S3BucketLifecycleConfigurationRuleExpiration,
    S3BucketLifecycleConfigurationRuleFilter,
    S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration,
    S3BucketPolicy,
    S3BucketServerSideEncryptionConfigurationA,
    S3BucketServerSideEncryptionConfigurationRuleA,
    S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA,
)
from .._jsii.embedded_json import embedded_json
from .bucket_basics import add_bucket_basics, deny_insecure_transport

# The Elastic Load Balancing account of each region that has one (AWS docs: "Enable access logs for your
# Application Load Balancer"); regions opened since August 2022 use the log delivery service principal.
ELB_ACCOUNTS = {
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-west-1": "027434742980",
    "us-west-2": "797873946194",
    "af-south-1": "098369216593",
    "ap-east-1": "754344448648",
    "ap-southeast-3": "589379963580",
    "ap-south-1": "718504428378",
    "ap-northeast-3": "383597477331",
    "ap-northeast-2": "600734575887",
    "ap-southeast-1": "114774131450",
    "ap-southeast-2": "783225319266",
    "ap-northeast-1": "582318560864",
    "ca-central-1": "985666609251",
    "eu-central-1": "054676820928",
    "eu-west-1": "156460612806",
    "eu-west-2": "652711504416",
    "eu-south-1": "635631232127",
    "eu-west-3": "009996457667",
    "eu-north-1": "897822967062",
    "me-south-1": "076674570225",
    "sa-east-1": "507241528517",
    "us-gov-west-1": "048591011584",
    "us-gov-east-1": "190560391635",
}
LOG_DELIVERY_SERVICE = "logdelivery.elasticloadbalancing.amazonaws.com"
INCOMPLETE_UPLOAD_DAYS = 7


def log_delivery_principal(region: str) -> dict[str, str]:
    account = ELB_ACCOUNTS.get(region)
    return {"AWS": f"arn:aws:iam::{account}:root"} if account else {"Service": LOG_DELIVERY_SERVICE}


def access_log_bucket_policy(bucket_arn: str, *, account_id: str, region: str) -> dict[str, object]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "ElbLogDelivery",
                "Effect": "Allow",
                "Principal": log_delivery_principal(region),
                "Action": "s3:PutObject",
                "Resource": [f"{bucket_arn}/AWSLogs/{account_id}/*", f"{bucket_arn}/*/AWSLogs/{account_id}/*"],
            },
            deny_insecure_transport(bucket_arn),
        ],
    }


class AccessLogBucket(Part):
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        bucket_name: str,
        account_id: str,
        region: str,
        retention_days: int,
        server_access_log_bucket: str | None,
    ):
        super().__init__(scope, id)
        self.bucket = S3Bucket(self, "Default", bucket=bucket_name)
        self.name = bucket_name
        bucket_id = self.ref(self.bucket).id
        by_default = S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA(
            sse_algorithm="AES256"
        )
        S3BucketServerSideEncryptionConfigurationA(
            self,
            "encryption",
            bucket=bucket_id,
            rule=[S3BucketServerSideEncryptionConfigurationRuleA(apply_server_side_encryption_by_default=by_default)],
        )
        add_bucket_basics(
            self,
            bucket_id=bucket_id,
            bucket_name=bucket_name,
            access_log_bucket=server_access_log_bucket,
        )
        policy = access_log_bucket_policy(self.ref(self.bucket).arn, account_id=account_id, region=region)
        # The load balancers writing here wait for it: creating one checks that log delivery may write.
        self.policy = S3BucketPolicy(self, "policy", bucket=bucket_id, policy=embedded_json(self, policy))
        S3BucketLifecycleConfiguration(
            self,
            "lifecycle",
            bucket=bucket_id,
            rule=[
                S3BucketLifecycleConfigurationRule(
                    id="expire-access-logs",
                    status="Enabled",
                    filter=[S3BucketLifecycleConfigurationRuleFilter(prefix="")],
                    expiration=[S3BucketLifecycleConfigurationRuleExpiration(days=retention_days)],
                    noncurrent_version_expiration=[
                        S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration(noncurrent_days=1)
                    ],
                    abort_incomplete_multipart_upload=[
                        S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload(
                            days_after_initiation=INCOMPLETE_UPLOAD_DAYS
                        )
                    ],
                )
            ],
        )
