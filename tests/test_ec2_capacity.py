"""Ec2Capacity: ECS-optimized AL2023 launch template, Auto Scaling group, minimal agent role, capacity provider."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import only, readable_stack
from tf import require_terraform, validated_provider_stack

REGION = "eu-west-1"
ACCOUNT = "123456789012"
CLUSTER_ARN = f"arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/acme-dev-cluster"
INSTANCES = [f"arn:aws:ecs:{REGION}:{ACCOUNT}:container-instance/*"]
TEMPLATE_ID = "${aws_launch_template.ec2_capacity_launch_template.id}"
TEMPLATE_VERSION = "${aws_launch_template.ec2_capacity_launch_template.latest_version}"


def config(**overrides):
    from constructs_lib.props.capacity import Ec2CapacityConfig

    return Ec2CapacityConfig(**{"preset": "development", **overrides})


def build(stack, ec2_config, name="acme-dev-ec2", cluster_name="acme-dev-cluster"):
    from constructs_lib.constructs.ec2_capacity import Ec2Capacity

    return Ec2Capacity(
        stack, "ec2-capacity", config=ec2_config, name=name, cluster_name=cluster_name,
        subnet_ids=["subnet-0a", "subnet-0b"], security_group_ids=["sg-0123456789abcdef0"], region=REGION,
        account_id=ACCOUNT,
    )




def synth(ec2_config, **kwargs):
    import cdktf

    stack = readable_stack()
    capacity = build(stack, ec2_config, **kwargs)
    return capacity, json.loads(cdktf.Testing.synth(stack))


@pytest.fixture(scope="module")
def on_demand():
    return synth(config(min_size=1, max_size=3))


@pytest.fixture(scope="module")
def spot():
    return synth(config(preset="production", instance_type="m6i.large", spot=True))


def test_ami_is_the_recommended_ecs_optimized_al2023_from_its_public_ssm_parameter(on_demand):
    _, document = on_demand
    assert only(document, "aws_ssm_parameter", "data") == {
        "name": "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
    }


def test_instance_role_is_for_ec2_with_only_the_agents_calls_scoped_to_the_cluster(on_demand):
    _, document = on_demand
    role = only(document, "aws_iam_role")
    assert json.loads(role.pop("assume_role_policy")) == {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
    }
    assert role == {
        "name": "acme-dev-ec2-instance",
        "description": "ECS agent on the acme-dev-ec2 container instances: register, poll, report state",
    }
    policy = only(document, "aws_iam_role_policy")
    assert json.loads(policy.pop("policy")) == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "RegisterAndReport",
                "Effect": "Allow",
                "Action": [
                    "ecs:DeregisterContainerInstance",
                    "ecs:RegisterContainerInstance",
                    "ecs:SubmitAttachmentStateChanges",
                    "ecs:SubmitContainerStateChange",
                    "ecs:SubmitTaskStateChange",
                ],
                "Resource": [CLUSTER_ARN],
            },
            {
                "Sid": "Poll",
                "Effect": "Allow",
                "Action": ["ecs:Poll", "ecs:StartTelemetrySession"],
                "Resource": INSTANCES,
                "Condition": {"ArnEquals": {"ecs:cluster": CLUSTER_ARN}},
            },
            {"Sid": "DiscoverPollEndpoint", "Effect": "Allow", "Action": ["ecs:DiscoverPollEndpoint"], "Resource": ["*"]},
        ],
    }
    assert policy == {"name": "acme-dev-ec2-instance-agent", "role": "${aws_iam_role.ec2_capacity_instance_role.id}"}
    assert only(document, "aws_iam_instance_profile") == {
        "name": "acme-dev-ec2-instance",
        "role": "${aws_iam_role.ec2_capacity_instance_role.name}",
    }


def test_no_ecr_logs_or_wildcard_ecs_permissions_on_the_instances(on_demand, spot):
    for _, document in (on_demand, spot):
        statements = json.loads(only(document, "aws_iam_role_policy")["policy"])["Statement"]
        actions = {action for statement in statements for action in statement["Action"]}
        assert not any(action.startswith(("ecr:", "logs:", "ec2:")) or action.endswith("*") for action in actions)
        assert [s["Sid"] for s in statements if s["Resource"] == ["*"]] == ["DiscoverPollEndpoint"]


def test_launch_template_requires_imdsv2_encrypts_the_root_volume_and_joins_the_cluster(on_demand):
    _, document = on_demand
    assert only(document, "aws_launch_template") == {
        "name": "acme-dev-ec2",
        "description": "ECS-optimized Amazon Linux 2023 container instances of cluster acme-dev-cluster",
        "image_id": "${data.aws_ssm_parameter.ec2_capacity_ami.insecure_value}",
        "instance_type": "t3.medium",
        "vpc_security_group_ids": ["sg-0123456789abcdef0"],
        "iam_instance_profile": {"arn": "${aws_iam_instance_profile.ec2_capacity_instance_profile.arn}"},
        "metadata_options": {
            "http_endpoint": "enabled",
            "http_tokens": "required",
            "http_put_response_hop_limit": 1,
            "instance_metadata_tags": "disabled",
        },
        "block_device_mappings": [
            {
                "device_name": "/dev/xvda",
                "ebs": {"encrypted": "true", "volume_type": "gp3", "delete_on_termination": "true"},
            }
        ],
        "user_data": '${base64encode("#!/bin/bash\\ncat <<\'EOF\' >> /etc/ecs/ecs.config\\n'
        'ECS_CLUSTER=acme-dev-cluster\\nECS_AWSVPC_BLOCK_IMDS=true\\nEOF\\n")}',
        "update_default_version": True,
    }


def test_on_demand_group_uses_the_template_is_scale_in_protected_and_tagged_for_ecs(on_demand):
    _, document = on_demand
    template = {
        "id": TEMPLATE_ID,
        "version": TEMPLATE_VERSION,
    }
    assert only(document, "aws_autoscaling_group") == {
        "name": "acme-dev-ec2",
        "min_size": 1,
        "max_size": 3,
        "vpc_zone_identifier": ["subnet-0a", "subnet-0b"],
        "protect_from_scale_in": True,
        "force_delete": True,
        "health_check_type": "EC2",
        "launch_template": template,
        "tag": [
            {"key": "AmazonECSManaged", "value": "true", "propagate_at_launch": True},
            {"key": "Name", "value": "acme-dev-ec2", "propagate_at_launch": True},
        ],
    }


def test_capacity_provider_has_managed_scaling_at_100_and_managed_termination_protection(on_demand):
    capacity, document = on_demand
    assert only(document, "aws_ecs_capacity_provider") == {
        "name": "acme-dev-ec2",
        "auto_scaling_group_provider": {
            "auto_scaling_group_arn": "${aws_autoscaling_group.ec2_capacity_asg.arn}",
            "managed_termination_protection": "ENABLED",
            "managed_draining": "ENABLED",
            "managed_scaling": {"status": "ENABLED", "target_capacity": 100},
        },
    }
    assert capacity.capacity_provider_name == "acme-dev-ec2"
    assert capacity.instance_type == "t3.medium"


def test_spot_uses_a_mixed_instances_policy_all_spot_and_drains_on_interruption(spot):
    capacity, document = spot
    group = only(document, "aws_autoscaling_group")
    assert "launch_template" not in group
    assert group["mixed_instances_policy"] == {
        "instances_distribution": {
            "on_demand_base_capacity": 0,
            "on_demand_percentage_above_base_capacity": 0,
            "spot_allocation_strategy": "price-capacity-optimized",
        },
        "launch_template": {
            "launch_template_specification": {
                "launch_template_id": TEMPLATE_ID,
                "version": TEMPLATE_VERSION,
            }
        },
    }
    template = only(document, "aws_launch_template")
    assert template["instance_type"] == "m6i.large"  # instance_type wins over the preset
    assert "ECS_ENABLE_SPOT_INSTANCE_DRAINING=true" in template["user_data"]
    statements = json.loads(only(document, "aws_iam_role_policy")["policy"])["Statement"]
    assert statements[-1] == {
        "Sid": "SpotDraining",
        "Effect": "Allow",
        "Action": ["ecs:UpdateContainerInstancesState"],
        "Resource": INSTANCES,
        "Condition": {"ArnEquals": {"ecs:cluster": CLUSTER_ARN}},
    }
    assert capacity.instance_type == "m6i.large"


def test_addresses_are_readable_and_stable(on_demand):
    from conftest import addresses

    _, document = on_demand
    assert addresses(document) == [
        "aws_autoscaling_group.ec2_capacity_asg",
        "aws_ecs_capacity_provider.ec2_capacity",
        "aws_iam_instance_profile.ec2_capacity_instance_profile",
        "aws_iam_role.ec2_capacity_instance_role",
        "aws_iam_role_policy.ec2_capacity_instance_role_policy",
        "aws_launch_template.ec2_capacity_launch_template",
        "data.aws_ssm_parameter.ec2_capacity_ami",
    ]


def test_presets_pick_the_massdriver_instance_types():
    for preset, expected in (("development", "t3.medium"), ("production", "c5.2xlarge")):
        capacity = build(readable_stack(), config(preset=preset))
        assert capacity.instance_type == expected


def test_long_names_are_cut_to_the_iam_limit_with_a_hash():
    _, document = synth(config(), name="acme-dev-" + "x" * 70)
    role_name = only(document, "aws_iam_role")["name"]
    assert len(role_name) == 64 and role_name.startswith("acme-dev-xxx")
    assert only(document, "aws_iam_instance_profile")["name"] == role_name


def test_reserved_capacity_provider_prefixes_are_a_wiring_error():
    with pytest.raises(ValueError) as error:
        build(readable_stack(), config(), name="ecs-dev")
    assert str(error.value) == "capacity provider name 'ecs-dev' may not start with aws, ecs, fargate"


def test_terraform_validate_accepts_on_demand_and_spot_capacity(tmp_path: Path):
    require_terraform("terraform validate of Ec2Capacity")

    from constructs_lib._jsii.aws import EcsCluster
    from constructs_lib.constructs.ec2_capacity import Ec2Capacity

    with validated_provider_stack(tmp_path, "ec2", region=REGION) as stack:
        cluster = EcsCluster(stack, "cluster", name="acme-dev-cluster")
        for id, spot in (("on-demand", False), ("spot", True)):
            Ec2Capacity(
                stack, id, config=config(spot=spot), name=f"acme-dev-{id}", cluster_name=cluster.name,
                subnet_ids=["subnet-0a"], security_group_ids=["sg-0123456789abcdef0"], region=REGION, account_id=ACCOUNT,
            )
