"""Issue 14, "Service and deployment": platform version, Availability Zone rebalancing, tag propagation, public IPs
and extra security groups on the synthesized service; their rules and the public_task_ip policy rule."""

from __future__ import annotations

import pytest
from conftest import only, synth_service

from constructs_lib.config import ConfigError, validate_env_data
from constructs_lib.config.loader import policy_warnings

EXTRA_GROUPS = ["sg-0123456789abcdef0", "sg-0fedcba9876543210"]


def problems(data, source="envs/x.json"):
    with pytest.raises(ConfigError) as error:
        validate_env_data(data, source)
    return error.value.problems


@pytest.fixture
def docs(dev_data):
    return dev_data["services"][1]


def test_service_settings_reach_the_service(dev_data, docs):
    docs.update(
        platform_version="1.4.0",
        availability_zone_rebalancing="ENABLED",
        propagate_tags="TASK_DEFINITION",
        enable_ecs_managed_tags=False,
        assign_public_ip=True,
        extra_security_group_ids=EXTRA_GROUPS,
    )
    service = only(synth_service(dev_data, 1), "aws_ecs_service")
    assert {
        k: service[k]
        for k in (
            "platform_version",
            "availability_zone_rebalancing",
            "propagate_tags",
            "enable_ecs_managed_tags",
        )
    } == {
        "platform_version": "1.4.0",
        "availability_zone_rebalancing": "ENABLED",
        "propagate_tags": "TASK_DEFINITION",
        "enable_ecs_managed_tags": False,
    }
    network = service["network_configuration"]
    assert network["assign_public_ip"] is True
    assert network["subnets"] == dev_data["network"]["public_subnet_ids"]
    assert network["security_groups"] == [
        "${aws_security_group.security_groups_tasks.id}",
        *EXTRA_GROUPS,
    ]


def test_defaults_keep_todays_service(dev_data):
    service = only(synth_service(dev_data, 1), "aws_ecs_service")
    assert (service["propagate_tags"], service["enable_ecs_managed_tags"]) == (
        "SERVICE",
        True,
    )
    assert (
        "platform_version" not in service
        and "availability_zone_rebalancing" not in service
    )
    network = service["network_configuration"]
    assert (network["assign_public_ip"], network["subnets"]) == (
        False,
        dev_data["network"]["private_subnet_ids"],
    )
    assert len(network["security_groups"]) == 1


def test_platform_version_rules(dev_data, docs):
    docs.update(platform_version="1.0.0")
    app = dev_data["services"][0]
    app.update(platform_version="1.3.0", ephemeral_storage_gib=30)
    assert problems(dev_data) == [
        "envs/x.json: services[0].platform_version: '1.3.0' lacks EFS volumes (efs_config); allowed: LATEST or 1.4.0",
        "envs/x.json: services[0].platform_version: '1.3.0' lacks ephemeral_storage_gib; allowed: LATEST or 1.4.0",
        ("envs/x.json: services[1].platform_version: '1.0.0' is not a Fargate Linux platform version; allowed: LATEST, "
        "1.4.0, 1.3.0"),
    ]


def test_fargate_only_settings_on_ec2(dev_data, docs):
    dev_data["ec2_capacity"] = {"instance_type": "c5.large"}
    docs.update(
        capacity_provider_strategy=[{"capacity_provider": "EC2"}],
        platform_version="LATEST",
        assign_public_ip=True,
        extra_security_group_ids=[EXTRA_GROUPS[0], EXTRA_GROUPS[0]],
    )
    assert problems(dev_data) == [
        "envs/x.json: services[1].platform_version: applies to Fargate only; remove it with the EC2 capacity provider",
        ("envs/x.json: services[1].assign_public_ip: EC2 tasks (awsvpc) cannot get public IPs; remove it or run on "
        "Fargate"),
        "envs/x.json: services[1].extra_security_group_ids[1]: 'sg-0123456789abcdef0' is listed twice",
    ]


def test_at_most_four_extra_groups_beside_the_tasks_own(dev_data, docs):
    docs["extra_security_group_ids"] = [f"sg-0000000{i}" for i in range(5)]
    found = problems(dev_data)
    assert len(found) == 1 and found[0].startswith(
        "envs/x.json: services[1].extra_security_group_ids: "
    )


def test_public_task_ip_errs_in_production_and_warns_elsewhere(dev_data, docs):
    docs["assign_public_ip"] = True
    env = validate_env_data(dev_data, "envs/dev.json")
    assert (
        "services[1].assign_public_ip: warning: the tasks get public IPs in the public subnets; keep them "
        "private behind the ALB (egress through NAT or VPC endpoints) (policy.public_task_ip)"
        in policy_warnings(env)
    )
    dev_data["environment"] = "prod"
    assert problems(dev_data) == [
        ("envs/x.json: services[1].assign_public_ip: error: the tasks get public IPs in the public subnets; keep them "
        "private behind the ALB (egress through NAT or VPC endpoints) (policy.public_task_ip)")
    ]
    dev_data["policy"] = {"public_task_ip": "warning"}
    validate_env_data(dev_data, "envs/x.json")


def test_typed_props_count_the_callers_groups_and_check_role_accounts():
    from test_web_service import props

    given = props(
        task_security_group_ids=["sg-0000000a", "sg-0000000b"],
        extra_security_group_ids=["sg-0000000c", "sg-0000000d", "sg-0000000e", "sg-0000000f"],
    )
    assert given.problems == [
        "extra_security_group_ids: the tasks would join 6 security groups with task_security_group_ids; allowed: at "
        "most 5"
    ]
    other_account = props(permissions_boundary_arn="arn:aws:iam::222222222222:policy/boundary")
    assert other_account.problems == [
        "permissions_boundary_arn: 'arn:aws:iam::222222222222:policy/boundary' is of account 222222222222; IAM and "
        "ECS use it only from the account the service runs in (111111111111)"
    ]
