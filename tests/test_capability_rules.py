"""Every rule of the optional capability keys, with its exact message (config layer only, no cdktf)."""

from __future__ import annotations

import pytest
from conftest import drop_own_alb_keys

from constructs_lib.config import ConfigError, validate_env_data


def problems(data):
    with pytest.raises(ConfigError) as error:
        validate_env_data(data, "envs/x.json")
    return error.value.problems


@pytest.fixture
def docs(dev_data):
    return dev_data["services"][1]


def test_desired_count_within_the_autoscaling_range(dev_data, docs):
    docs["desired_count"] = 9
    docs["autoscaling"] = {"min_capacity": 1, "max_capacity": 4, "cpu_target_percent": 60}
    assert problems(dev_data) == ["envs/x.json: services[1].desired_count: 9 is outside autoscaling 1-4; allowed: 1-4"]


def test_autoscaling_needs_a_policy_and_ordered_bounds(dev_data, docs):
    docs["autoscaling"] = {"min_capacity": 5, "max_capacity": 2}
    assert problems(dev_data) == [
        "envs/x.json: services[1].autoscaling.min_capacity: 5 is above max_capacity 2; allowed: at most 2",
        "envs/x.json: services[1].autoscaling.cpu_target_percent: no scaling policy: set cpu_target_percent, "
        "memory_target_percent, requests_per_target, schedules, step_scaling or metric_tracking",
    ]


def test_schedule_names_are_unique(dev_data, docs):
    schedule = {"name": "night", "cron": "cron(0 20 * * ? *)", "min_capacity": 1, "max_capacity": 1}
    docs["autoscaling"] = {"min_capacity": 1, "max_capacity": 2, "schedules": [schedule, dict(schedule)]}
    assert problems(dev_data) == [
        "envs/x.json: services[1].autoscaling.schedules[1].name: 'night' is already used by schedules[0]; names must be unique"
    ]


def test_target_health_check_timeout_below_interval(dev_data, docs):
    docs["health_check"] = {"interval_seconds": 10, "timeout_seconds": 10}
    assert problems(dev_data) == [
        "envs/x.json: services[1].health_check.timeout_seconds: 10 is not below interval_seconds 10; allowed: less than 10"
    ]


@pytest.mark.parametrize(("key", "value", "message"), [
    ("ephemeral_storage_gib", 300, "300 is not a Fargate ephemeral storage size; allowed: 21-200"),
    ("stop_timeout_seconds", 121, "121 is not a Fargate stop timeout; allowed: 0-120"),
    ("deregistration_delay_seconds", 4000, "4000 is not a deregistration delay; allowed: 0-3600"),
])
def test_ranges(dev_data, docs, key, value, message):
    docs[key] = value
    assert problems(dev_data) == [f"envs/x.json: services[1].{key}: {message}"]


def test_certificate_is_given_or_created_not_both(dev_data, docs):
    docs["create_certificate"] = True
    assert problems(dev_data) == [
        "envs/x.json: services[1].create_certificate: true with ssl_certificate_id set; use one or the other"
    ]
    docs.pop("ssl_certificate_id")
    docs["create_certificate"] = False
    assert problems(dev_data) == [
        "envs/x.json: services[1].ssl_certificate_id: missing: this key is required (or set create_certificate: true)"
    ]


def test_admin_public_needs_admin_active(dev_data, docs):
    docs["admin_public"] = True
    assert problems(dev_data) == ["envs/x.json: services[1].admin_public: true needs admin_active true (and admin_port)"]


def test_service_connect_or_discovery_not_both(dev_data, docs):
    docs["service_connect"] = {"namespace": "acme"}
    docs["service_discovery"] = {"namespace_id": "ns-abc"}
    assert problems(dev_data) == [
        "envs/x.json: services[1].service_discovery: set either service_connect or service_discovery, not both"
    ]


def test_shared_alb_and_listener_rules_go_together(dev_data, docs):
    docs["listener_rules"] = [{"priority": 5, "path_patterns": ["/docs/*"]}]
    assert problems(dev_data) == [
        "envs/x.json: services[1].listener_rules: listener rules route a shared ALB's traffic: set shared_alb too"
    ]


def test_own_alb_keys_on_a_shared_alb_are_errors_not_ignored(dev_data, docs):
    drop_own_alb_keys(docs)
    docs["shared_alb"] = {
        "listener_arn": "arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener/app/acme-dev-app-alb/1/2",
        "security_group_id": "sg-0123456789abcdef0",
    }
    docs["listener_rules"] = [{"priority": 5, "path_patterns": ["/docs/*"]}]
    docs["waf_web_acl_arn"] = "arn:aws:wafv2:eu-west-1:111111111111:regional/webacl/acme/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
    docs["internal"] = True
    message = "configures the service's own ALB; on a shared_alb the ALB's owner sets it: remove it"
    assert problems(dev_data) == [
        f"envs/x.json: services[1].waf_web_acl_arn: {message}",
        f"envs/x.json: services[1].internal: {message}",
    ]


def test_a_listener_rule_needs_a_condition(dev_data, docs):
    drop_own_alb_keys(docs)
    docs["shared_alb"] = {
        "listener_arn": "arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener/app/acme-dev-app-alb/1/2",
        "security_group_id": "sg-0123456789abcdef0",
    }
    docs["listener_rules"] = [{"priority": 5}]
    assert problems(dev_data) == [
        "envs/x.json: services[1].listener_rules[0].path_patterns: a listener rule needs path_patterns or host_headers"
    ]


def test_awsfirelens_needs_the_log_router(dev_data, docs):
    docs["log_driver"] = {"name": "awsfirelens"}
    assert problems(dev_data) == ["envs/x.json: services[1].log_driver.name: awsfirelens needs the firelens log router: set firelens"]


def test_ec2_strategy_needs_env_capacity_and_known_providers(dev_data, docs):
    docs["capacity_provider_strategy"] = [{"capacity_provider": "EC2"}, {"capacity_provider": "GPU"}]
    assert problems(dev_data) == [
        "envs/x.json: services[1].capacity_provider_strategy: 'GPU' is not a capacity provider here; allowed: FARGATE, FARGATE_SPOT, EC2",
        "envs/x.json: services[1].capacity_provider_strategy: EC2 needs the env's ec2_capacity: set ec2_capacity at the top level",
    ]


def test_ec2_capacity_needs_an_instance_type_or_preset(dev_data):
    dev_data["ec2_capacity"] = {"min_size": 3, "max_size": 2}
    assert problems(dev_data) == [
        "envs/x.json: ec2_capacity.instance_type: missing: set instance_type or preset (development | production)",
        "envs/x.json: ec2_capacity.min_size: 3 is above max_size 2",
    ]


def test_sidecar_names_are_unique_in_the_task(dev_data, docs):
    docs["sidecars"] = [{"name": "docs", "image": "busybox:1.36"}, {"name": "xray-daemon", "image": "busybox:1.36"}]
    assert problems(dev_data) == [
        "envs/x.json: services[1].sidecars[0].name: 'docs' is already a container of the task; names must be unique",
        "envs/x.json: services[1].sidecars[1].name: 'xray-daemon' is already a container of the task; names must be unique",
    ]


def test_windows_has_no_efs_or_graviton(dev_data):
    dev_data["services"][0]["operating_system_family"] = "WINDOWS_SERVER_2022_CORE"
    assert problems(dev_data) == [
        "envs/x.json: services[0].operating_system_family: 'WINDOWS_SERVER_2022_CORE' supports neither EFS volumes "
        "nor ARM64 on Fargate"
    ]


def test_blue_green_modes_need_their_own_alb(dev_data, docs):
    docs["deployment_ownership"] = "codedeploy"
    drop_own_alb_keys(docs)
    docs["shared_alb"] = {
        "listener_arn": "arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener/app/acme-dev-app-alb/1/2",
        "security_group_id": "sg-0123456789abcdef0",
    }
    docs["listener_rules"] = [{"priority": 5, "path_patterns": ["/docs/*"]}]
    assert problems(dev_data) == [
        "envs/x.json: services[1].deployment_ownership: 'codedeploy' needs the service's own ALB, not shared_alb"
    ]
