"""The spec's ECSBuilder usage example, ported unchanged, builds the same service as an env file would."""

from __future__ import annotations

import json

import pytest

from constructs_lib.config import ConfigError
from constructs_lib.patterns.builder import ApplicationHelper, ECSBuilder


def helper() -> ApplicationHelper:
    return ApplicationHelper(
        organization="acme",
        environment="dev",
        account_id="111111111111",
        region="eu-west-1",
        accounts={"devops": "999999999999", "dev": "111111111111"},
        trusted_account_ids=["123456789012"],  # the spec's secret lives in its example account
        app_version="2.0.0",
        network={
            "vpc_id": "vpc-0a1b2c3d4e5f60718",
            "private_subnet_ids": ["subnet-0a1b2c3d4e5f60711"],
            "public_subnet_ids": ["subnet-0a1b2c3d4e5f60721", "subnet-0a1b2c3d4e5f60722"],
        },
        service_defaults={"eu_west_cloudront_prefix_list_id": "pl-4fa04526"},
    )


def spec_usage(app_helper, scope_from_stack):
    """Copied from the spec's Usage section, only `ecs_builder = ECSBuilder()` and the scope are ours."""
    ecs_builder = ECSBuilder()
    application_load_balancer = ecs_builder.set_application_helper(app_helper) \
        .set_route53_config({
            "hosted_zone_id": "Z2ABCDEFGHIJ123",
            "domain_name": "company.io"
        }) \
        .set_app_parameters({
            "environment": {
                "SERVICE_NAME": "user-service",
                "LOG_LEVEL": "debug",
                "METRICS_ENABLED": "true"
            },
            "secrets": {
                "JWT_SECRET": {
                    "name": "jwt-signing-key",
                    "value_from": "PARAM"
                },
                "REDIS_URL": {
                    "name": "cache-connection",
                    "value_from": "SECRET",
                    "arn": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:redis-config",
                    "suffix": "url"
                }
            }
        }) \
        .set_builder_config({
            "cluster_name": "microservices-cluster",
            "service_name": "user-service",
            "alb_name": "user-alb",
            "alb_domain_prefix": "users",
            "ecr_repo_base_name": "user-service",
            "application_port": 3000,
            "admin_port": 3001,
            "admin_active": True,
            "health_check_path": "/myapp/ping",
            "desired_count": 3,
            "cpu": 1024,
            "memory_limit_mib": 2048,
            "ssl_certificate_id": "xyz789-abc123-def456"
        }) \
        .build(scope_from_stack)
    return ecs_builder, application_load_balancer


def test_spec_usage_builds_the_service_and_returns_its_load_balancer():
    from cdktf import TerraformStack, Testing

    from constructs_lib._jsii.aws import Lb

    stack = TerraformStack(Testing.app(), "builder")
    builder, load_balancer = spec_usage(helper(), stack)
    assert isinstance(load_balancer, Lb)
    assert load_balancer is builder.service.load_balancer
    document = json.loads(Testing.synth(stack))
    services = list(document["resource"]["aws_ecs_service"].values())
    assert [s["name"] for s in services] == ["acme-dev-user-service"]
    assert services[0]["desired_count"] == 3
    [listener] = [found for found in document["resource"]["aws_lb_listener"].values() if found["port"] == 443]
    assert listener["certificate_arn"] == "arn:aws:acm:eu-west-1:111111111111:certificate/xyz789-abc123-def456"
    [record] = document["resource"]["aws_route53_record"].values()
    assert record["name"] == "users.company.io"


def test_set_usage_raises_a_clear_error():
    with pytest.raises(NotImplementedError, match="set_usage is not supported"):
        ECSBuilder().set_usage("anything")


def test_builder_reports_config_errors_with_its_field_names():
    from cdktf import TerraformStack, Testing

    builder = ECSBuilder().set_application_helper(helper()).set_builder_config({"service_name": "x", "cpu": 300})
    with pytest.raises(ConfigError) as error:
        builder.build(TerraformStack(Testing.app(), "bad"))
    assert "ECSBuilder: services[0].cpu: 300 is not a Fargate CPU value; allowed: 256, 512, 1024, 2048, 4096, 8192, 16384" in error.value.problems
    assert "ECSBuilder: services[0].route53: missing: this key is required" in error.value.problems


def test_build_before_configuration_names_the_missing_calls():
    with pytest.raises(ValueError, match="call set_application_helper and set_builder_config before build"):
        ECSBuilder().build(None)
