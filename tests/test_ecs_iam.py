"""Issue 14, IAM: permissions_boundary_arn (env level and per service) on every role the stacks create; existing
execution and task roles in env files, whose grants `prerequisites` lists instead of attaching them."""

from __future__ import annotations

import json

import pytest
from conftest import named, only, synth_service

from constructs_lib.config import ConfigError, validate_env_data

BOUNDARY = "arn:aws:iam::111111111111:policy/platform/ecs-boundary"
SERVICE_BOUNDARY = "arn:aws:iam::aws:policy/PowerUserAccess"
TASK_ROLE = "arn:aws:iam::111111111111:role/docs-task"
EXECUTION_ROLE = "arn:aws:iam::111111111111:role/docs-execution"


def problems(data):
    with pytest.raises(ConfigError) as error:
        validate_env_data(data, "envs/x.json")
    return error.value.problems


def boundaries(document):
    return {
        address: role.get("permissions_boundary")
        for address, role in document["resource"]["aws_iam_role"].items()
    }


@pytest.fixture
def docs(dev_data):
    return dev_data["services"][1]


def test_the_envs_boundary_on_every_created_role(dev_data, docs):
    dev_data["permissions_boundary_arn"] = BOUNDARY
    dev_data["ec2_capacity"] = {"instance_type": "c5.large"}
    docs.update(
        deployment_ownership="codedeploy",
        capacity_provider_strategy=[{"capacity_provider": "EC2"}],
    )
    found = boundaries(synth_service(dev_data, 1))
    assert set(found) == {
        "execution_role",
        "task_role",
        "codedeploy_role",
        "ec2_capacity_instance_role",
    }
    assert set(found.values()) == {BOUNDARY}


def test_a_services_boundary_replaces_the_envs(dev_data, docs):
    dev_data["permissions_boundary_arn"] = BOUNDARY
    docs.update(
        permissions_boundary_arn=SERVICE_BOUNDARY, deployment_ownership="ecs_blue_green"
    )
    found = boundaries(synth_service(dev_data, 1))
    assert set(found) == {"execution_role", "task_role", "blue_green_role"}
    assert set(found.values()) == {SERVICE_BOUNDARY}


def test_no_boundary_by_default(dev_data):
    assert set(boundaries(synth_service(dev_data, 1)).values()) == {None}


def test_existing_roles_replace_the_created_ones_without_attached_grants(dev_data):
    app = dev_data["services"][
        0
    ]  # EFS with an access point: the task role would get ClientMount/ClientWrite
    app.update(task_role_arn=TASK_ROLE, execution_role_arn=EXECUTION_ROLE)
    document = synth_service(dev_data, 0)
    assert "aws_iam_role" not in document["resource"]
    assert "aws_iam_role_policy" not in document["resource"]
    task = only(document, "aws_ecs_task_definition")
    assert (task["task_role_arn"], task["execution_role_arn"]) == (
        TASK_ROLE,
        EXECUTION_ROLE,
    )


def test_one_existing_role_beside_a_created_one(dev_data, docs):
    docs["task_role_arn"] = TASK_ROLE
    document = synth_service(dev_data, 1)
    assert list(document["resource"]["aws_iam_role"]) == ["execution_role"]
    assert only(document, "aws_ecs_task_definition")["task_role_arn"] == TASK_ROLE
    policy = json.loads(
        named(document, "aws_iam_role_policy", "execution_role_policy")["policy"]
    )
    assert policy["Statement"]


def test_boundary_and_roles_live_in_the_services_account(dev_data, docs):
    dev_data["permissions_boundary_arn"] = "arn:aws:iam::222222222222:policy/boundary"
    docs.update(
        task_role_arn="arn:aws:iam::222222222222:role/x",
        permissions_boundary_arn="arn:aws:iam::111111111111:role/x",
    )
    found = problems(dev_data)
    assert found[0].startswith(
        'envs/x.json: services[1].permissions_boundary_arn: "arn:aws:iam::111111111111:role/x" '
        "is not an IAM managed policy ARN"
    )
    assert found[1:] == [
        "envs/x.json: permissions_boundary_arn: 'arn:aws:iam::222222222222:policy/boundary' is of account "
        "222222222222; IAM and ECS use it only from the account the service runs in (111111111111)",
        "envs/x.json: services[1].task_role_arn: 'arn:aws:iam::222222222222:role/x' is of account 222222222222; IAM "
        "and ECS use it only from the account the service runs in (111111111111)",
    ]


def test_prerequisites_list_the_grants_of_existing_roles(dev_data):
    from constructs_lib.tools.prerequisites import existing_role_grants

    app = dev_data["services"][0]
    app.update(task_role_arn=TASK_ROLE, execution_role_arn=EXECUTION_ROLE)
    env = validate_env_data(dev_data, "envs/dev.json")
    found = existing_role_grants(env, env.services[0])
    rows = [(p.kind, p.name) for p in found]
    assert rows[0] == ("IAM role", EXECUTION_ROLE) and ("IAM role", TASK_ROLE) in rows
    task_at = rows.index(("IAM role", TASK_ROLE))
    execution = {p.name: p.why for p in found[1:task_at]}
    task = {p.name: p.why for p in found[task_at + 1 :]}
    assert execution["Logs"] == (
        "logs:CreateLogStream, logs:PutLogEvents on arn:aws:logs:eu-west-1:111111111111:log-group:/ecs/acme-dev-app-service:*"
    )
    assert execution["EnvironmentFiles"].startswith(
        "s3:GetObject on arn:aws:s3:::<app-config>/dev/config.env"
    )
    assert task["EfsMount"] == (
        "elasticfilesystem:ClientMount on arn:aws:elasticfilesystem:eu-west-1:111111111111:file-system/"
        "</acme/dev/efs/shared/id>"
    )
    assert task["EfsWrite"].startswith("elasticfilesystem:ClientWrite on ")
    assert "RdsIamConnect" in task and "DecryptSecrets" in execution
    assert existing_role_grants(env, env.services[1]) == []
