"""A cdktf app of its own that builds an ecs-cdktf `WebService` from typed props: no env file.

One stack with its own AWS provider and S3 state: the `orders-api` web service in an existing cluster with an
existing certificate, a DynamoDB table this app owns, the service's task role allowed exactly that table (a grant
after construction), auto scaling added after construction, and a maintenance rule of this app's own on the
service's HTTPS listener (wired through `connections`). The stack is a `PinnedStack`: Terraform and the AWS
provider constrained as ecs-cdktf's own stacks are, and plain HCL from `cdktf synth --hcl` that `terraform fmt
-check` and `terraform validate` accept. `s3_backend` adds S3-native state locking.
"""

from __future__ import annotations

import os

# Before the first jsii import: Node 20 is past end-of-life and jsii would print a banner about it on every run.
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
os.environ.setdefault("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1")

# Import constructs_lib first: it makes the provider imports below load only the resource modules they name
# (seconds instead of the ~15 s `import cdktf_cdktf_provider_aws` takes otherwise). Either order works.
from constructs_lib import (  # noqa: E402
    ClusterReference,
    Domain,
    NetworkConfig,
    PinnedStack,
    WebService,
    WebServiceProps,
    s3_backend,
)

from cdktf import App, TerraformOutput  # noqa: E402
from cdktf_cdktf_provider_aws.dynamodb_table import DynamodbTable, DynamodbTableAttribute, DynamodbTablePointInTimeRecovery  # noqa: E402
from cdktf_cdktf_provider_aws.lb_listener_rule import (  # noqa: E402
    LbListenerRule,
    LbListenerRuleAction,
    LbListenerRuleActionFixedResponse,
    LbListenerRuleCondition,
    LbListenerRuleConditionPathPattern,
)
from cdktf_cdktf_provider_aws.provider import AwsProvider, AwsProviderDefaultTags  # noqa: E402
from constructs import Construct  # noqa: E402

REGION, ACCOUNT = "eu-west-1", "111111111111"


class OrdersStack(PinnedStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(
            self, "aws", region=REGION, allowed_account_ids=[ACCOUNT],
            default_tags=[AwsProviderDefaultTags(tags={"app": "orders", "environment": "dev"})],
        )
        s3_backend(self, bucket="acme-dev-terraform-state", key=f"apps/dev/{id}/terraform.tfstate", region=REGION)

        table = DynamodbTable(
            self,
            "orders-table",
            name="acme-dev-orders",
            billing_mode="PAY_PER_REQUEST",
            hash_key="order_id",
            attribute=[DynamodbTableAttribute(name="order_id", type="S")],
            point_in_time_recovery=DynamodbTablePointInTimeRecovery(enabled=True),
        )
        # Validated here, with the rules and messages of env files: a bad value raises PropsError naming
        # `orders/orders-api` and the prop.
        web = WebService(
            self,
            "orders-api",
            props=WebServiceProps(
                organization="acme",
                environment="dev",
                region=REGION,
                account_id=ACCOUNT,
                network=NetworkConfig(
                    vpc_id="vpc-0a1b2c3d4e5f60718",
                    private_subnet_ids=["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60712"],
                    public_subnet_ids=["subnet-0a1b2c3d4e5f60721", "subnet-0a1b2c3d4e5f60722"],
                ),
                cluster=ClusterReference.from_name("acme-dev-shared", region=REGION, account_id=ACCOUNT),
                service_name="orders-api",
                image="public.ecr.aws/nginx/nginx:1.27",
                application_port=8080,
                health_check_path="/health",
                desired_count=2,
                domain=Domain(zone_id="Z1D633PJN98FT9", name="orders.example.com"),
                certificate_arn="arn:aws:acm:eu-west-1:111111111111:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
                cloudfront_prefix_list_id="pl-4fa04526",
                parameters={"environment": {"ORDERS_TABLE": "acme-dev-orders"}},
            ),
        )
        web.auto_scale(min_capacity=2, max_capacity=6, cpu_target_percent=60)
        web.task_role.grant(
            "orders-table",
            actions=["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query"],
            resources=[table.arn, f"{table.arn}/index/*"],
        )
        LbListenerRule(
            self,
            "maintenance",
            listener_arn=web.connections.listener_arn,
            priority=10,
            action=[
                LbListenerRuleAction(
                    type="fixed-response",
                    fixed_response=LbListenerRuleActionFixedResponse(
                        content_type="text/plain", status_code="503", message_body="orders: down for maintenance"
                    ),
                )
            ],
            condition=[LbListenerRuleCondition(path_pattern=LbListenerRuleConditionPathPattern(values=["/maintenance"]))],
        )
        TerraformOutput(self, "url", value=web.url)
        TerraformOutput(self, "table_name", value=table.name)


app = App()
OrdersStack(app, "orders")
app.synth()
