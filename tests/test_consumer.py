"""examples/consumer: a separate cdktf app composes EcsFargateService into its own stack, adds a DynamoDB table of
its own and grants the service's task role access to it. Synthesized as a user runs it: `python main.py` in a
copy of the example, importing this checkout's package."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from conftest import REPO
from constructs_lib.fast_kernel import JSII_QUIET

EXAMPLE = REPO / "examples" / "consumer"
TABLE_ARN = "${aws_dynamodb_table.orders-table.arn}"


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> dict:
    app = tmp_path_factory.mktemp("consumer") / "consumer"
    shutil.copytree(EXAMPLE, app, ignore=shutil.ignore_patterns("cdktf.out", ".venv", ".gen", "__pycache__"))
    env = {**os.environ, "PYTHONPATH": str(REPO), **JSII_QUIET}
    result = subprocess.run([sys.executable, "main.py"], cwd=app, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-4000:]
    assert result.stderr == ""
    return json.loads((app / "cdktf.out" / "stacks" / "orders" / "cdk.tf.json").read_text())


def _policy(value: str) -> dict:
    """A policy attribute as data, references as "${...}" strings: a JSON string, or `${jsonencode({...})}` (HCL
    object syntax `"key" = value`, where a whole-value reference appears bare: `aws_x.y.arn`)."""
    prefix, suffix = "${jsonencode(", ")}"
    if value.startswith(prefix) and value.endswith(suffix):
        body = value[len(prefix):-len(suffix)].replace('" = ', '": ')
        body = re.sub(r'([\[,:]\s*)((?:data\.)?aws_\w+\.[\w-]+\.\w+)(?=\s*[,\]}])', r'\1"${\2}"', body)
        return json.loads(body)
    return json.loads(value)


def _only(document: dict, kind: str) -> tuple[str, dict]:
    items = document["resource"][kind]
    assert len(items) == 1, sorted(items)
    return next(iter(items.items()))


def test_the_example_is_a_cdktf_app_of_its_own():
    config = json.loads((EXAMPLE / "cdktf.json").read_text())
    assert (config["language"], config["app"], config["codeMakerOutput"]) == ("python", ".venv/bin/python main.py", ".gen")
    assert "../.." in (EXAMPLE / "requirements.txt").read_text().split()


def test_its_own_provider_state_and_table(stack):
    assert stack["provider"]["aws"][0]["region"] == "eu-west-1"
    assert stack["terraform"]["backend"]["s3"]["key"] == "apps/dev/orders/terraform.tfstate"
    address, table = _only(stack, "aws_dynamodb_table")
    assert address == "orders-table"
    assert (table["name"], table["hash_key"], table["billing_mode"]) == ("acme-dev-orders", "order_id", "PAY_PER_REQUEST")


def test_the_service_is_composed_in(stack):
    _, service = _only(stack, "aws_ecs_service")
    assert service["name"] == "acme-dev-orders-api"
    assert service["desired_count"] == 2
    assert stack["resource"]["aws_iam_role"]  # execution and task roles come with the construct


def test_the_task_role_is_granted_exactly_the_table(stack):
    policies = stack["resource"]["aws_iam_role_policy"]
    grants = {name: p for name, p in policies.items() if p["name"].endswith("-orders-table")}
    assert len(grants) == 1, sorted(policies)
    (grant,) = grants.values()
    task_role = next(
        name for name, role in stack["resource"]["aws_iam_role"].items() if role["name"] == "acme-dev-orders-api-task"
    )
    assert grant["role"] == f"${{aws_iam_role.{task_role}.id}}"
    assert grant["name"] == "acme-dev-orders-api-task-orders-table"
    assert _policy(grant["policy"]) == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "OrdersTable",
                "Effect": "Allow",
                "Action": sorted(
                    ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query"]
                ),
                "Resource": [TABLE_ARN, f"{TABLE_ARN}/index/*"],
            }
        ],
    }


def test_outputs(stack):
    assert stack["output"]["table_name"]["value"] == "${aws_dynamodb_table.orders-table.name}"
    assert stack["output"]["url"]["value"] == "https://orders.example.com"
