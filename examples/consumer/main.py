"""A cdktf app of its own that reuses ecs-cdktf's service construct.

One stack with its own AWS provider and S3 state: the `orders-api` service of orders.json, a DynamoDB table
this app owns, and the service's task role allowed to use exactly that table. The stack is a `PinnedStack`:
Terraform and the AWS provider constrained as ecs-cdktf's own stacks are, and plain HCL from `cdktf synth --hcl`
that `terraform fmt -check` and `terraform validate` accept. `s3_backend` adds S3-native state locking.
"""

from __future__ import annotations

import os
from pathlib import Path

# Before the first jsii import: Node 20 is past end-of-life and jsii would print a banner about it on every run.
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
os.environ.setdefault("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1")

# Import constructs_lib first: it makes the provider imports below load only the resource modules they name
# (seconds instead of the ~15 s `import cdktf_cdktf_provider_aws` takes otherwise). Either order works.
from constructs_lib import EcsFargateService, PinnedStack, load_env_file, s3_backend  # noqa: E402

from cdktf import App, TerraformOutput  # noqa: E402
from cdktf_cdktf_provider_aws.dynamodb_table import DynamodbTable, DynamodbTableAttribute, DynamodbTablePointInTimeRecovery  # noqa: E402
from cdktf_cdktf_provider_aws.provider import AwsProvider, AwsProviderDefaultTags  # noqa: E402
from constructs import Construct  # noqa: E402

HERE = Path(__file__).resolve().parent


class OrdersStack(PinnedStack):
    def __init__(self, scope: Construct, id: str, *, env_file: Path):
        super().__init__(scope, id)
        env = load_env_file(env_file)  # validated: a bad file raises ConfigError naming the file and field
        AwsProvider(
            self, "aws", region=env.region, allowed_account_ids=[env.account_id],
            default_tags=[AwsProviderDefaultTags(tags={"app": "orders", "environment": env.environment})],
        )
        s3_backend(
            self, bucket=env.state.bucket, key=f"apps/{env.environment}/{id}/terraform.tfstate", region=env.state.region
        )

        table = DynamodbTable(
            self,
            "orders-table",
            name=f"{env.organization}-{env.environment}-orders",
            billing_mode="PAY_PER_REQUEST",
            hash_key="order_id",
            attribute=[DynamodbTableAttribute(name="order_id", type="S")],
            point_in_time_recovery=DynamodbTablePointInTimeRecovery(enabled=True),
        )
        service = EcsFargateService(self, "orders-api", env=env, service=env.services[0])
        service.task_role.grant(
            "orders-table",
            actions=["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query"],
            resources=[table.arn, f"{table.arn}/index/*"],
        )
        TerraformOutput(self, "url", value=f"https://{service.names.fqdn}")
        TerraformOutput(self, "table_name", value=table.name)


app = App()
OrdersStack(app, "orders", env_file=HERE / "orders.json")
app.synth()
