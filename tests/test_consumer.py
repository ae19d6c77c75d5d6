"""examples/consumer: a separate cdktf app builds a WebService from typed props (no env file) in its own stack, in an
existing cluster with an existing certificate, adds a DynamoDB table of its own, grants the task role exactly that
table and adds auto scaling after construction, and wires a listener rule of its own to the service's listener. Run as its README says, in a copy of the example beside
a link to this checkout's node_modules, importing this checkout's package: `python main.py` (JSON) and the
README's `npx ... cdktf synth --hcl` line with the README's environment, side by side. Both outputs must pass
`terraform validate` against the mirror's provider 5.100, and the HCL `terraform fmt -check`."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from cdktf_cli import cli_env, cli_installed, require_cli, run, use_test_python
from conftest import REPO
from tf import require_terraform, terraform_problems

from constructs_lib._jsii.fast_kernel import JSII_QUIET
from constructs_lib.stacks.stack import AWS_PROVIDER_CONSTRAINT, TERRAFORM_VERSION_CONSTRAINT

EXAMPLE = REPO / "examples" / "consumer"
TABLE_ARN = "${aws_dynamodb_table.orders-table.arn}"


def _readme_steps() -> list[list[str]]:
    """The README's shell steps, each split as the shell would, comments dropped."""
    block = re.search(r"```sh\n(.*?)```", (EXAMPLE / "README.md").read_text(), re.S)
    assert block is not None, "examples/consumer/README.md has no ```sh block"
    return [words for line in block.group(1).splitlines() if (words := shlex.split(line, comments=True))]


def _readme_step(first: str, *contains: str) -> list[str]:
    (step,) = [words for words in _readme_steps() if words[0] == first and all(w in words for w in contains)]
    return step


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> Path:
    """`python main.py` and (when the CLI is installed) the README's `npx ... cdktf synth --hcl`, in parallel, in a
    copy of the example."""
    root = tmp_path_factory.mktemp("consumer")
    app = root / "examples" / "consumer"
    shutil.copytree(EXAMPLE, app, ignore=shutil.ignore_patterns("cdktf.out", "cdktf.hcl", ".venv", ".gen", "__pycache__"))
    (root / "node_modules").symlink_to(REPO / "node_modules", target_is_directory=True)
    use_test_python(app)
    readme_env = dict(word.split("=", 1) for word in _readme_step("export")[1:])
    python_env = {**os.environ, "PYTHONPATH": str(REPO), **JSII_QUIET}
    with ThreadPoolExecutor(max_workers=2) as pool:
        python = pool.submit(subprocess.run, [sys.executable, "main.py"], cwd=app, env=python_env,
                             capture_output=True, text=True, timeout=300)
        if cli_installed():
            pool.submit(run, _readme_step("npx", "--hcl"), app, cli_env(root / ".home", readme_env)).result()
        result = python.result()
    assert result.returncode == 0, result.stderr[-4000:]
    assert result.stderr == ""
    return app


@pytest.fixture(scope="module")
def stack(app) -> dict:
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


def test_the_readme_lists_every_step():
    """From a fresh checkout: the virtualenv cdktf.json runs, the package, the CLI's node_modules, telemetry off
    (the steps the fixture runs come from the README too)."""
    steps = _readme_steps()
    assert steps[:3] == [["cd", "examples/consumer"], ["python3", "-m", "venv", ".venv"],
                         [".venv/bin/pip", "install", "-r", "requirements.txt"]]
    assert ["(cd", "../..", "&&", "npm", "ci)"] in steps
    assert dict(word.split("=", 1) for word in _readme_step("export")[1:]) == {
        "CHECKPOINT_DISABLE": "1", "DISABLE_VERSION_CHECK": "1", "CDKTF_DISABLE_PLUGIN_CACHE_ENV": "1"
    }
    cli = ["npx", "--prefix", "../..", "--no", "cdktf", "synth"]  # the checkout's node_modules, never a download
    assert [words[:6] for words in steps if words[0] == "npx"] == [cli, cli]


def test_its_own_provider_state_and_table(stack):
    assert stack["provider"]["aws"][0]["region"] == "eu-west-1"
    assert stack["terraform"]["backend"]["s3"]["key"] == "apps/dev/orders/terraform.tfstate"
    address, table = _only(stack, "aws_dynamodb_table")
    assert address == "orders-table"
    assert (table["name"], table["hash_key"], table["billing_mode"]) == ("acme-dev-orders", "order_id", "PAY_PER_REQUEST")


def test_the_service_is_composed_in_with_readable_addresses(stack):
    address, service = _only(stack, "aws_ecs_service")
    assert (address, service["name"], service["desired_count"]) == ("orders_api_service", "acme-dev-orders-api", 2)
    assert sorted(stack["resource"]["aws_iam_role"]) == ["orders_api_execution_role", "orders_api_task_role"]


def test_it_runs_in_the_existing_cluster_with_the_existing_certificate(stack):
    assert "aws_ecs_cluster" not in stack["resource"]
    _, service = _only(stack, "aws_ecs_service")
    assert service["cluster"] == "arn:aws:ecs:eu-west-1:111111111111:cluster/acme-dev-shared"
    https = stack["resource"]["aws_lb_listener"]["orders_api_alb_https"]
    assert https["certificate_arn"] == "arn:aws:acm:eu-west-1:111111111111:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
    assert "aws_acm_certificate" not in stack["resource"]


def test_autoscaling_added_after_construction(stack):
    _, service = _only(stack, "aws_ecs_service")
    assert service["lifecycle"] == {"ignore_changes": ["desired_count"]}
    _, target = _only(stack, "aws_appautoscaling_target")
    assert (target["min_capacity"], target["max_capacity"]) == (2, 6)
    _, policy = _only(stack, "aws_appautoscaling_policy")
    assert policy["target_tracking_scaling_policy_configuration"]["target_value"] == 60


def test_its_own_listener_rule_is_wired_to_the_service_listener(stack):
    address, rule = _only(stack, "aws_lb_listener_rule")
    assert address == "maintenance"
    assert rule["listener_arn"] == "${aws_lb_listener.orders_api_alb_https.arn}"


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


def test_terraform_and_the_provider_are_constrained_as_the_library_does(stack):
    assert stack["terraform"]["required_providers"]["aws"] == {"source": "hashicorp/aws", "version": AWS_PROVIDER_CONSTRAINT}
    assert stack["terraform"]["required_version"] == TERRAFORM_VERSION_CONSTRAINT


def test_its_state_is_encrypted_and_locked_in_s3(stack):
    backend = stack["terraform"]["backend"]["s3"]
    assert (backend["encrypt"], backend["use_lockfile"]) == (True, True)
    assert "dynamodb_table" not in backend


@pytest.mark.parametrize("output, fmt", [("cdktf.out", False), ("cdktf.hcl", True)], ids=["json", "hcl"])
def test_its_output_is_valid_terraform(app, output, fmt):
    """`terraform init` against provider 5.100 (the exact 6.25.0 pin of the prebuilt bindings could not), then
    `validate` with no error or warning; the HCL also unchanged by `terraform fmt`."""
    require_terraform("terraform validate of the consumer example")
    if fmt:
        require_cli()
    assert terraform_problems(app / output / "stacks" / "orders", fmt=fmt) == []
