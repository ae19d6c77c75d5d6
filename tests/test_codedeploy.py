"""CodeDeployBlueGreen: the ECS application, its service role and the blue/green deployment group."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import addresses, only, readable_stack
from tf import require_terraform, validated_provider_stack

REGION = "eu-west-1"
ACCOUNT = "123456789012"
PROD_LISTENER = f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:listener/app/acme-dev-api/50dc6c495c0c9188/f2f7dc8efc522ab2"
TEST_LISTENER = f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:listener/app/acme-dev-api/50dc6c495c0c9188/9683b2d02a6cabee"




def build(stack, **overrides):
    from constructs_lib.constructs.codedeploy import CodeDeployBlueGreen

    arguments = {
        "name": "acme-dev-api",
        "cluster_name": "acme-dev-cluster",
        "service_name": "acme-dev-api",
        "prod_listener_arn": PROD_LISTENER,
        "test_listener_arn": TEST_LISTENER,
        "blue_target_group_name": "acme-dev-api-blue",
        "green_target_group_name": "acme-dev-api-green",
        "bake_time_minutes": 15,
        "account_id": ACCOUNT,
        "region": REGION,
        **overrides,
    }
    return CodeDeployBlueGreen(stack, "codedeploy", **arguments)


def synth(**overrides):
    import cdktf

    stack = readable_stack()
    blue_green = build(stack, **overrides)
    return blue_green, json.loads(cdktf.Testing.synth(stack))


@pytest.fixture(scope="module")
def synthesized():
    return synth()


def test_application_is_an_ecs_application(synthesized):
    blue_green, document = synthesized
    assert only(document, "aws_codedeploy_app") == {"name": "acme-dev-api", "compute_platform": "ECS"}
    assert (blue_green.application_name, blue_green.deployment_group_name) == ("acme-dev-api", "acme-dev-api")


def test_service_role_trusts_codedeploy_for_this_application_only_and_has_the_ecs_managed_policy(synthesized):
    _, document = synthesized
    role = only(document, "aws_iam_role")
    assert json.loads(role.pop("assume_role_policy")) == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "codedeploy.amazonaws.com"},
                "Action": "sts:AssumeRole",
                "Condition": {
                    "StringEquals": {"aws:SourceAccount": ACCOUNT},
                    "ArnLike": {"aws:SourceArn": f"arn:aws:codedeploy:{REGION}:{ACCOUNT}:deploymentgroup:acme-dev-api/*"},
                },
            }
        ],
    }
    assert role == {
        "name": "acme-dev-api-codedeploy",
        "description": "CodeDeploy shifts acme-dev-api traffic between its blue and green target groups",
    }
    assert only(document, "aws_iam_role_policy_attachment") == {
        "role": "${aws_iam_role.codedeploy_role.name}",
        "policy_arn": "arn:aws:iam::aws:policy/AWSCodeDeployRoleForECS",
    }


def test_deployment_group_shifts_all_at_once_bakes_then_terminates_blue_and_rolls_back_on_failure(synthesized):
    _, document = synthesized
    assert only(document, "aws_codedeploy_deployment_group") == {
        "app_name": "${aws_codedeploy_app.codedeploy.name}",
        "deployment_group_name": "acme-dev-api",
        "service_role_arn": "${aws_iam_role.codedeploy_role.arn}",
        "deployment_config_name": "CodeDeployDefault.ECSAllAtOnce",
        "deployment_style": {"deployment_type": "BLUE_GREEN", "deployment_option": "WITH_TRAFFIC_CONTROL"},
        "blue_green_deployment_config": {
            "deployment_ready_option": {"action_on_timeout": "CONTINUE_DEPLOYMENT"},
            "terminate_blue_instances_on_deployment_success": {
                "action": "TERMINATE",
                "termination_wait_time_in_minutes": 15,
            },
        },
        "auto_rollback_configuration": {"enabled": True, "events": ["DEPLOYMENT_FAILURE"]},
        "ecs_service": {"cluster_name": "acme-dev-cluster", "service_name": "acme-dev-api"},
        "load_balancer_info": {
            "target_group_pair_info": {
                "prod_traffic_route": {"listener_arns": [PROD_LISTENER]},
                "test_traffic_route": {"listener_arns": [TEST_LISTENER]},
                "target_group": [{"name": "acme-dev-api-blue"}, {"name": "acme-dev-api-green"}],
            }
        },
        "depends_on": ["aws_iam_role_policy_attachment.codedeploy_role_policy"],
    }


def test_addresses_are_readable_and_stable(synthesized):
    _, document = synthesized
    assert addresses(document) == [
        "aws_codedeploy_app.codedeploy",
        "aws_codedeploy_deployment_group.codedeploy_deployment_group",
        "aws_iam_role.codedeploy_role",
        "aws_iam_role_policy_attachment.codedeploy_role_policy",
    ]


def test_long_names_are_cut_to_the_codedeploy_and_iam_limits():
    blue_green, document = synth(name="acme-dev-" + "x" * 120)
    assert len(only(document, "aws_codedeploy_app")["name"]) == 100
    assert len(only(document, "aws_iam_role")["name"]) == 64
    assert only(document, "aws_codedeploy_deployment_group")["deployment_group_name"] == blue_green.application_name


def test_terraform_validate_accepts_the_resources(tmp_path: Path):
    require_terraform("terraform validate of CodeDeployBlueGreen")

    from constructs_lib._jsii.aws import EcsCluster, EcsService, LbTargetGroup

    with validated_provider_stack(tmp_path, "test", region=REGION) as stack:
        cluster = EcsCluster(stack, "cluster", name="acme-dev-cluster")
        service = EcsService(stack, "service", name="acme-dev-api", cluster=cluster.id)
        blue = LbTargetGroup(stack, "blue", name="acme-dev-api-blue", port=80, protocol="HTTP", target_type="ip")
        green = LbTargetGroup(stack, "green", name="acme-dev-api-green", port=80, protocol="HTTP", target_type="ip")
        build(stack, cluster_name=cluster.name, service_name=service.name, blue_target_group_name=blue.name,
              green_target_group_name=green.name)
