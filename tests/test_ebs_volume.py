"""`ebs_volume` (issue 14): an EBS volume per task configured at launch, on the synthesized JSON of a service
stack (task definition volume, the app's mount, the service's managed EBS volume, the infrastructure role), and
the EBS limits of each volume type with their exact messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import named, only, synth_service
from tf import require_terraform, validated_provider_stack

KMS_ARN = "arn:aws:kms:eu-west-1:111111111111:key/3c2b1a09-8f7e-6d5c-4b3a-291807f6e5d4"


@pytest.fixture
def docs(dev_data):
    return dev_data["services"][1]


def test_the_volume_is_configured_at_launch_mounted_and_created_by_ecs_through_its_role(
    dev_data, docs
):
    docs["ebs_volume"] = {
        "name": "data",
        "container_path": "/var/lib/data",
        "size_gib": 100,
        "volume_type": "io2",
        "iops": 5000,
        "kms_key_id": KMS_ARN,
        "file_system_type": "ext4",
    }
    document = synth_service(dev_data, 1)
    task = only(document, "aws_ecs_task_definition")
    assert {"name": "data", "configure_at_launch": True} in task["volume"]
    app = {c["name"]: c for c in json.loads(task["container_definitions"])}["docs"]
    assert app["mountPoints"][-1] == {
        "sourceVolume": "data",
        "containerPath": "/var/lib/data",
        "readOnly": False,
    }
    service = only(document, "aws_ecs_service")
    assert service["volume_configuration"] == {
        "name": "data",
        "managed_ebs_volume": {
            "role_arn": "${aws_iam_role.ebs_role.arn}",
            "size_in_gb": 100,
            "volume_type": "io2",
            "iops": 5000,
            "encrypted": True,
            "kms_key_id": KMS_ARN,
            "file_system_type": "ext4",
            "tag_specifications": [
                {"resource_type": "volume", "propagate_tags": "SERVICE"}
            ],
        },
    }
    assert "aws_iam_role_policy_attachment.ebs_role_policy" in service["depends_on"]
    role = named(document, "aws_iam_role", "ebs_role")
    assert role["name"] == "acme-dev-docs-ebs"
    assert json.loads(role["assume_role_policy"])["Statement"][0]["Principal"] == {
        "Service": "ecs.amazonaws.com"
    }
    assert named(document, "aws_iam_role_policy_attachment", "ebs_role_policy")[
        "policy_arn"
    ] == ("arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForVolumes")


def test_a_volume_from_a_snapshot_needs_no_size(dev_data, docs):
    docs["ebs_volume"] = {
        "container_path": "/data",
        "snapshot_id": "snap-0123456789abcdef0",
    }
    managed = only(synth_service(dev_data, 1), "aws_ecs_service")[
        "volume_configuration"
    ]["managed_ebs_volume"]
    assert (
        managed["snapshot_id"],
        managed["volume_type"],
        "size_in_gb" in managed,
    ) == ("snap-0123456789abcdef0", "gp3", False)


def problems(data):
    from constructs_lib.config import ConfigError, validate_env_data

    with pytest.raises(ConfigError) as error:
        validate_env_data(data, "envs/x.json")
    return [p.removeprefix("envs/x.json: services[1].") for p in error.value.problems]


@pytest.mark.parametrize(
    ("volume", "expected"),
    [
        ({}, ["ebs_volume.size_gib: missing: give size_gib or snapshot_id"]),
        (
            {"size_gib": 50, "volume_type": "st1"},
            [
                "ebs_volume.size_gib: 50 is not a st1 volume size; allowed: 125-16384 GiB"
            ],
        ),
        (
            {"size_gib": 20, "volume_type": "io1"},
            ["ebs_volume.iops: missing: required for io1 volumes"],
        ),
        (
            {"size_gib": 20, "iops": 2000},
            ["ebs_volume.iops: 2000 is not a gp3 IOPS value; allowed: 3000-16000"],
        ),
        (
            {"size_gib": 20, "volume_type": "gp2", "iops": 3000},
            [
                "ebs_volume.iops: 3000 is set on a gp2 volume; allowed: on gp3, io1 and io2 only"
            ],
        ),
        (
            {"size_gib": 20, "throughput": 2000},
            [
                "ebs_volume.throughput: 2000 is not a gp3 throughput; allowed: 125-1000 MiB/s"
            ],
        ),
        (
            {"size_gib": 200, "volume_type": "sc1", "throughput": 250},
            ["ebs_volume.throughput: 250 is set on a sc1 volume; allowed: on gp3 only"],
        ),
        (
            {"size_gib": 20, "encrypted": False, "kms_key_id": KMS_ARN},
            [
                "ebs_volume.kms_key_id: set with encrypted false; a key encrypts, so drop one or the other"
            ],
        ),
        (
            {"size_gib": 20, "volume_type": "standard"},
            [
                ("ebs_volume.volume_type: 'standard' (magnetic) is not supported on Fargate; allowed: gp2, gp3, io1, io2, st1, "
                "sc1 (standard needs the EC2 capacity provider)")
            ],
        ),
        (
            {"size_gib": 20, "container_path": "/tmp"},
            [
                "ebs_volume.container_path: '/tmp' is already the mount path of scratch_paths[0]; each must be unique"
            ],
        ),
    ],
)
def test_ebs_limits(dev_data, docs, volume, expected):
    docs["ebs_volume"] = {"container_path": "/data", **volume}
    assert problems(dev_data) == expected


def test_codedeploy_services_take_no_ebs_volume(dev_data, docs):
    docs.update(
        ebs_volume={"container_path": "/data", "size_gib": 20},
        deployment_ownership="codedeploy",
    )
    assert problems(dev_data) == [
        ("ebs_volume: ECS attaches EBS volumes only to services it deploys itself; allowed: deployment_ownership other "
        "than codedeploy")
    ]


def test_terraform_validate_accepts_the_task_volume_and_the_service_configuration(
    tmp_path: Path,
):
    require_terraform("terraform validate of an EBS volume configured at launch")

    from constructs_lib._jsii.aws import EcsService, EcsTaskDefinition
    from constructs_lib.constructs.ebs import ManagedEbsVolume
    from constructs_lib.props.ebs import EbsVolumeConfig

    config = EbsVolumeConfig(
        container_path="/data",
        size_gib=100,
        volume_type="gp3",
        iops=4000,
        throughput=250,
    )
    with validated_provider_stack(tmp_path, "ebs") as stack:
        ebs = ManagedEbsVolume(
            stack,
            "ebs",
            config=config,
            role_name="api-ebs",
            account_id="111111111111",
            service_name="api",
        )
        task = EcsTaskDefinition(
            stack,
            "task",
            family="api",
            container_definitions="[]",
            volume=[ebs.task_volume],
        )
        EcsService(
            stack,
            "service",
            name="api",
            task_definition=task.arn,
            volume_configuration=ebs.service_volume_configuration,
        )
