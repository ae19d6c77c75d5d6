"""Service Connect beyond the namespace (issue 14): proxy timeouts, the proxy's log configuration and TLS between
proxies, on the synthesized JSON of a whole service stack, with the rules' exact messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import named, only, synth_service
from tf import require_terraform, validated_provider_stack

PCA_ARN = "arn:aws:acm-pca:eu-west-1:111111111111:certificate-authority/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"
KMS_ARN = "arn:aws:kms:eu-west-1:111111111111:key/3c2b1a09-8f7e-6d5c-4b3a-291807f6e5d4"
TOKEN_ARN = "arn:aws:ssm:eu-west-1:111111111111:parameter/acme/dev/splunk-token"


@pytest.fixture
def docs(dev_data):
    docs = dev_data["services"][1]
    docs["service_connect"] = {"namespace": "acme-dev"}
    return docs


def connect_service(document):
    return only(document, "aws_ecs_service")["service_connect_configuration"]


def test_timeouts_awslogs_and_tls_with_a_role_of_its_own(dev_data, docs):
    docs["service_connect"].update(
        idle_timeout_seconds=600,
        per_request_timeout_seconds=30,
        log_configuration={"name": "awslogs"},
        tls={"private_ca_arn": PCA_ARN, "kms_key_arn": KMS_ARN},
    )
    document = synth_service(dev_data, 1)
    configuration = connect_service(document)
    assert configuration["log_configuration"] == {
        "log_driver": "awslogs",
        "options": {
            "awslogs-group": "/ecs/acme-dev-docs",
            "awslogs-region": "eu-west-1",
            "awslogs-stream-prefix": "service-connect",
        },
    }
    service = configuration["service"][0]
    assert service["timeout"] == {
        "idle_timeout_seconds": 600,
        "per_request_timeout_seconds": 30,
    }
    assert service["tls"] == {
        "issuer_cert_authority": {"aws_pca_authority_arn": PCA_ARN},
        "kms_key": KMS_ARN,
        "role_arn": "${aws_iam_role.service_connect_tls_role.arn}",
    }
    role = named(document, "aws_iam_role", "service_connect_tls_role")
    assert role["name"] == "acme-dev-docs-service-connect-tls"
    assert json.loads(role["assume_role_policy"])["Statement"] == [
        {
            "Effect": "Allow",
            "Principal": {"Service": "ecs.amazonaws.com"},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"aws:SourceAccount": "111111111111"}},
        }
    ]
    assert named(
        document, "aws_iam_role_policy_attachment", "service_connect_tls_role_policy"
    ) == {
        "role": "${aws_iam_role.service_connect_tls_role.name}",
        "policy_arn": "arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForServiceConnectTransportLayerSecurity",
    }


def test_an_existing_tls_role_and_a_splunk_log_with_a_secret_option_the_execution_role_reads(
    dev_data, docs
):
    role_arn = "arn:aws:iam::111111111111:role/service-connect-tls"
    docs["service_connect"].update(
        log_configuration={
            "name": "splunk",
            "options": {"splunk-url": "https://splunk.example.com"},
            "secret_options": {"splunk-token": TOKEN_ARN},
        },
        tls={"private_ca_arn": PCA_ARN, "role_arn": role_arn},
    )
    document = synth_service(dev_data, 1)
    configuration = connect_service(document)
    assert configuration["log_configuration"] == {
        "log_driver": "splunk",
        "options": {"splunk-url": "https://splunk.example.com"},
        "secret_option": [{"name": "splunk-token", "value_from": TOKEN_ARN}],
    }
    assert configuration["service"][0]["tls"] == {
        "issuer_cert_authority": {"aws_pca_authority_arn": PCA_ARN},
        "role_arn": role_arn,
    }
    assert "service_connect_tls_role" not in document["resource"]["aws_iam_role"]
    policy = json.loads(
        named(document, "aws_iam_role_policy", "execution_role_policy")["policy"]
    )
    assert any(
        TOKEN_ARN in s["Resource"]
        for s in policy["Statement"]
        if "ssm:GetParameters" in s["Action"]
    )


def test_without_the_new_keys_the_configuration_is_unchanged(dev_data, docs):
    service = connect_service(synth_service(dev_data, 1))["service"][0]
    assert "timeout" not in service and "tls" not in service


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"idle_timeout_seconds": 30, "per_request_timeout_seconds": 60},
            (
                "service_connect.per_request_timeout_seconds: 60 is above idle_timeout_seconds 30, which closes the connection "
                "first; allowed: at most 30 (or 0, off)"
            ),
        ),
        (
            {"idle_timeout_seconds": -1},
            (
                "service_connect.idle_timeout_seconds: -1 is not a Service Connect timeout; "
                "allowed: 0-2147483647"
            ),
        ),
        (
            {"log_configuration": {"name": "fluentd"}},
            (
                "service_connect.log_configuration.name: 'fluentd' is not supported "
                "on Fargate; allowed: awslogs, splunk, awsfirelens (others need the EC2 capacity provider)"
            ),
        ),
        (
            {
                "tls": {
                    "private_ca_arn": "arn:aws:acm:eu-west-1:111111111111:certificate/abc"
                }
            },
            (
                'service_connect.tls.private_ca_arn: "arn:aws:acm:eu-west-1:111111111111:certificate/abc" is not an AWS '
                "Private CA ARN; allowed: arn:aws:acm-pca:<region>:<account>:certificate-authority/<id>"
            ),
        ),
    ],
)
def test_rules(dev_data, docs, change, message):
    from constructs_lib.config import ConfigError, validate_env_data

    docs["service_connect"].update(change)
    with pytest.raises(ConfigError) as error:
        validate_env_data(dev_data, "envs/x.json")
    assert error.value.problems == [f"envs/x.json: services[1].{message}"]


def test_a_zero_idle_timeout_turns_it_off_and_allows_any_per_request_timeout(
    dev_data, docs
):
    docs["service_connect"].update(
        idle_timeout_seconds=0, per_request_timeout_seconds=60
    )
    service = connect_service(synth_service(dev_data, 1))["service"][0]
    assert service["timeout"] == {
        "idle_timeout_seconds": 0,
        "per_request_timeout_seconds": 60,
    }


def test_terraform_validate_accepts_timeouts_logs_and_tls(tmp_path: Path):
    require_terraform("terraform validate of Service Connect timeouts, logs and TLS")

    from constructs_lib._jsii.aws import EcsService
    from constructs_lib.constructs.discovery import ProxyLogDestination, ServiceConnect
    from constructs_lib.props.discovery import ServiceConnectConfig

    config = ServiceConnectConfig(
        namespace="acme-dev",
        idle_timeout_seconds=600,
        per_request_timeout_seconds=30,
        log_configuration={"name": "awslogs"},
        tls={"private_ca_arn": PCA_ARN, "kms_key_arn": KMS_ARN},
    )
    with validated_provider_stack(tmp_path, "connect") as stack:
        connect = ServiceConnect(
            stack,
            "connect",
            config=config,
            default_name="api",
            app_port=8080,
            logs=ProxyLogDestination("/ecs/api", "eu-west-1"),
            role_name="api-tls",
            account_id="111111111111",
        )
        EcsService(
            stack,
            "service",
            name="api",
            service_connect_configuration=connect.service_connect_configuration,
        )
