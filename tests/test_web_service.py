"""The typed API: `WebService` from `WebServiceProps` in a stack of one's own, existing resources passed in, and
what a caller does after construction (auto_scale, grant, allow_from, add_container, connections). Each
scenario is a stack of one app, synthesized once per module."""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import named, only

from constructs_lib import (
    ClusterReference,
    ClusterSettings,
    Domain,
    FargateCluster,
    NetworkConfig,
    PropsError,
    WebService,
    WebServiceProps,
)

REGION, ACCOUNT = "eu-west-1", "111111111111"
CERTIFICATE = "arn:aws:acm:eu-west-1:111111111111:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
TASK_ROLE = "arn:aws:iam::111111111111:role/platform/orders-task"
EXECUTION_ROLE = "arn:aws:iam::111111111111:role/orders-execution"


def props(**overrides: Any) -> WebServiceProps:
    values: dict[str, Any] = dict(
        organization="acme", environment="dev", region=REGION, account_id=ACCOUNT,
        network=NetworkConfig(
            vpc_id="vpc-0a1b2c3d4e5f60718", private_subnet_ids=["subnet-0a1b2c3d4e5f60711"],
            public_subnet_ids=["subnet-0a1b2c3d4e5f60721", "subnet-0a1b2c3d4e5f60722"],
        ),
        service_name="orders", image="111111111111.dkr.ecr.eu-west-1.amazonaws.com/team/orders:1.2.3",
        application_port=8080, domain=Domain(zone_id="Z1D633PJN98FT9", name="orders.example.com"),
        certificate_arn=CERTIFICATE, parameters={"environment": {"GREETING": "${not a reference}"}},
    )
    return WebServiceProps(**{**values, **overrides})


@pytest.fixture(scope="module")
def stacks() -> dict[str, dict[str, Any]]:
    from cdktf import TerraformStack, Testing

    app = Testing.app()
    shared = TerraformStack(app, "shared")
    cluster = FargateCluster(shared, "cluster", settings=ClusterSettings(name="acme-dev-shared"))
    orders = WebService(shared, "orders", props=props(cluster=cluster))
    billing = WebService(shared, "billing", props=props(cluster=cluster, service_name="billing", desired_count=2))
    orders.auto_scale(min_capacity=1, max_capacity=4, cpu_target_percent=60)
    orders.task_role.grant("orders-table", actions=["dynamodb:GetItem"], resources=["arn:aws:dynamodb:eu-west-1:111111111111:table/orders"])
    orders.allow_from(billing, port=8080)
    orders.add_container(name="envoy", image="public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29.6.0-prod", essential=False)

    existing = TerraformStack(app, "existing")
    WebService(existing, "orders", props=props(
        cluster=ClusterReference.from_name("acme-dev-legacy", region=REGION, account_id=ACCOUNT),
        task_role_arn=TASK_ROLE, execution_role_arn=EXECUTION_ROLE, task_security_group_ids=["sg-0123456789abcdef0"],
    ))
    return {stack.node.id: json.loads(Testing.synth(stack)) for stack in (shared, existing)}


def test_a_shared_cluster_is_created_once_and_both_services_run_in_it(stacks):
    shared = stacks["shared"]
    assert list(shared["resource"]["aws_ecs_cluster"]) == ["cluster"]
    services = shared["resource"]["aws_ecs_service"]
    assert {name: s["cluster"] for name, s in services.items()} == {
        "orders_service": "${aws_ecs_cluster.cluster.id}", "billing_service": "${aws_ecs_cluster.cluster.id}"
    }


def test_addresses_in_a_stack_of_ones_own_are_readable(stacks):
    assert sorted(stacks["shared"]["resource"]["aws_lb"]) == ["billing_alb", "orders_alb"]
    assert sorted(stacks["existing"]["resource"]["aws_ecs_task_definition"]) == ["orders_task"]


def test_auto_scale_after_construction_hands_the_task_count_over(stacks):
    shared = stacks["shared"]
    service = named(shared, "aws_ecs_service", "orders_service")
    assert service["lifecycle"] == {"ignore_changes": ["desired_count"]}
    target = named(shared, "aws_appautoscaling_target", "orders_autoscaling")
    assert (target["min_capacity"], target["max_capacity"]) == (1, 4)
    assert target["resource_id"] == "service/${aws_ecs_cluster.cluster.name}/${aws_ecs_service.orders_service.name}"
    assert "lifecycle" not in named(shared, "aws_ecs_service", "billing_service")


def test_a_grant_after_construction_names_exactly_the_resource(stacks):
    policy = named(stacks["shared"], "aws_iam_role_policy", "orders_task_role_orders_table")
    assert policy["role"] == "${aws_iam_role.orders_task_role.id}"
    assert json.loads(policy["policy"])["Statement"] == [{
        "Sid": "OrdersTable", "Effect": "Allow", "Action": ["dynamodb:GetItem"],
        "Resource": ["arn:aws:dynamodb:eu-west-1:111111111111:table/orders"],
    }]


def test_allow_from_another_service_adds_one_ingress_rule(stacks):
    rule = named(stacks["shared"], "aws_vpc_security_group_ingress_rule", "orders_security_groups_allow_from_1")
    assert rule["security_group_id"] == "${aws_security_group.orders_security_groups_tasks.id}"
    assert rule["referenced_security_group_id"] == "${aws_security_group.billing_security_groups_tasks.id}"
    assert (rule["from_port"], rule["to_port"], rule["ip_protocol"]) == (8080, 8080, "tcp")


def test_add_container_renders_the_task_again(stacks):
    task = named(stacks["shared"], "aws_ecs_task_definition", "orders_task")
    containers = {c["name"]: c for c in json.loads(task["container_definitions"])}
    assert list(containers) == ["orders", "envoy"]
    assert containers["envoy"]["essential"] is False
    # User text stays literal; the ECR image lets the execution role pull exactly its repository.
    assert containers["orders"]["environment"] == [{"name": "GREETING", "value": "$${not a reference}"}]
    execution = named(stacks["shared"], "aws_iam_role_policy", "orders_execution_role_policy")
    pulls = [s for s in json.loads(execution["policy"])["Statement"] if "ecr:BatchGetImage" in s["Action"]]
    assert pulls[0]["Resource"] == ["arn:aws:ecr:eu-west-1:111111111111:repository/team/orders"]


def test_existing_cluster_roles_and_security_groups_are_used_not_created(stacks):
    existing = stacks["existing"]
    resources = existing["resource"]
    assert "aws_ecs_cluster" not in resources and "aws_iam_role" not in resources
    service = only(existing, "aws_ecs_service")
    assert service["cluster"] == "arn:aws:ecs:eu-west-1:111111111111:cluster/acme-dev-legacy"
    assert service["network_configuration"]["security_groups"] == ["sg-0123456789abcdef0"]
    assert "aws_security_group" not in resources  # the ALB groups are looked up, the tasks' group is the caller's
    task = only(existing, "aws_ecs_task_definition")
    assert (task["task_role_arn"], task["execution_role_arn"]) == (TASK_ROLE, EXECUTION_ROLE)
    policies = {p["name"]: p["role"] for p in resources["aws_iam_role_policy"].values()}
    assert policies == {"acme-dev-orders-execution-policy": "orders-execution", "acme-dev-orders-task-policy": "orders-task"}


def test_connections_give_what_other_resources_wire_to(stacks):
    from cdktf import TerraformStack, Testing

    stack = TerraformStack(Testing.app(), "wired")
    web = WebService(stack, "orders", props=props())
    connections = web.connections
    assert connections.cluster_arn.startswith("${TfToken[")  # cdktf tokens: usable in any stack
    from cdktf_cdktf_provider_aws.ssm_parameter import SsmParameter

    SsmParameter(stack, "listener", name="/orders/listener", type="String", value=connections.listener_arn)
    synthesized = json.loads(Testing.synth(stack))
    assert named(synthesized, "aws_ssm_parameter", "listener")["value"] == "${aws_lb_listener.orders_alb_https.arn}"


def test_bad_props_name_the_construct_and_the_prop():
    from cdktf import TerraformStack, Testing

    stack = TerraformStack(Testing.app(), "bad")
    with pytest.raises(PropsError) as error:
        WebService(stack, "orders", props=props(cpu=300, certificate_arn=None))
    assert error.value.problems == [
        "bad/orders: cpu: 300 is not a Fargate CPU value; allowed: 256, 512, 1024, 2048, 4096, 8192, 16384",
        "bad/orders: certificate_arn: missing: give an ACM certificate ARN (or set create_certificate: true)",
    ]


def test_after_construction_calls_are_validated_too():
    from cdktf import TerraformStack, Testing

    web = WebService(TerraformStack(Testing.app(), "calls"), "orders", props=props())
    with pytest.raises(PropsError) as error:
        web.auto_scale(min_capacity=5, max_capacity=2, cpu_target_percent=50)
    assert [p.split(": ", 2)[:2] for p in error.value.problems] == [["calls/orders", "auto_scale.min_capacity"]]
    with pytest.raises(ValueError, match="calls/orders: add_container: name: 'orders' is already a container"):
        web.add_container(name="orders", image="busybox:1.36")


def test_a_services_cluster_name_follows_the_environments_one_rule(monkeypatch):
    """The environment stack creates a cluster by `EnvironmentNames.cluster` and a service finds it by its names:
    both front ends (typed props and an env file) derive that name through the same rule, so changing the rule
    changes every place at once."""
    from conftest import read_env

    from constructs_lib.config import validate_env_data
    from constructs_lib.config.service_names import ServiceNames
    from constructs_lib.props.environment_names import EnvironmentNames

    env = validate_env_data(read_env("dev"), "envs/dev.json")
    assert props(cluster_name="jobs").names.cluster == "acme-dev-jobs"
    assert ServiceNames(env, env.services[0]).cluster == f"{env.naming.prefix}-app-cluster"
    monkeypatch.setattr(EnvironmentNames, "cluster", lambda self, name: f"rule:{self.naming.prefix}:{name}")
    assert props(cluster_name="jobs").names.cluster == "rule:acme-dev:jobs"
    assert ServiceNames(env, env.services[0]).cluster == f"rule:{env.naming.prefix}:app-cluster"


SIDECAR_TEXT = {"TEMPLATE": "${a} %{b} $${c} %%{d}", "${KEY}": "plain", "QUOTED": 'say "hi"\\n\tback\\slash'}


def _task_with_a_sidecar(hcl: bool) -> Any:
    """The task definition's container_definitions after add_container, in an app writing HCL (`jsonencode(...)`)
    or JSON (a JSON string), as the app's own stack document holds it."""
    from cdktf import App, TerraformStack

    stack = TerraformStack(App(hcl_output=hcl), "sidecar")
    web = WebService(stack, "orders", props=props(cluster=ClusterReference.from_name("c", region=REGION, account_id=ACCOUNT)))
    web.add_container(name="envoy", image="nginx:1.27", environment=SIDECAR_TEXT, command=["sh", "-c", "echo ${HOME}"])
    [task] = stack.to_terraform()["resource"]["aws_ecs_task_definition"].values()
    return task["container_definitions"]


def test_a_sidecar_added_after_construction_reaches_aws_literally_in_hcl_and_json(tmp_path):
    """add_container escapes the sidecar for the output the app writes: with HCL output the definitions are a
    `jsonencode()` expression, with JSON output a JSON string, and both are templates to Terraform. Terraform itself
    evaluates them here: the sidecar's `${`/`%{` text comes out byte for byte."""
    from tf import require_terraform, terraform

    require_terraform("evaluating a sidecar's container definitions")
    definitions = {"hcl": _task_with_a_sidecar(True), "json": _task_with_a_sidecar(False)}
    assert definitions["hcl"].startswith("${jsonencode(") and not definitions["json"].startswith("${")
    (tmp_path / "main.tf.json").write_text(json.dumps({"output": {k: {"value": v} for k, v in definitions.items()}}))
    terraform(["init"], tmp_path)
    terraform(["apply", "-auto-approve"], tmp_path)
    outputs = json.loads(terraform(["output", "-json"], tmp_path).stdout)
    for mode in ("hcl", "json"):
        containers = {c["name"]: c for c in json.loads(outputs[mode]["value"])}
        assert {e["name"]: e["value"] for e in containers["envoy"]["environment"]} == SIDECAR_TEXT, mode
        assert containers["envoy"]["command"] == ["sh", "-c", "echo ${HOME}"], mode
        assert containers["orders"]["environment"] == [{"name": "GREETING", "value": "${not a reference}"}], mode
