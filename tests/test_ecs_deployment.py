"""Issue 14, `deployment`: rolling percents and the circuit breaker (provider 5.x), and the ECS-native linear and
canary strategies with bake time and lifecycle hooks (provider 6.x: tested on the synthesized JSON, and named by
validate's warning)."""

from __future__ import annotations

import pytest
from conftest import only, synth_service

from constructs_lib.config import ConfigError, validate_env_data
from constructs_lib.config.loader import provider6_warnings

HOOK = {
    "hook_target_arn": "arn:aws:lambda:eu-west-1:111111111111:function:smoke-test",
    "role_arn": "arn:aws:iam::111111111111:role/ecs-hooks",
    "lifecycle_stages": ["POST_TEST_TRAFFIC_SHIFT", "PRODUCTION_TRAFFIC_SHIFT"],
}
ADVANCED = {
    "alternate_target_group_arn": "${aws_lb_target_group.alb_green_target_group.arn}",
    "production_listener_rule": "${aws_lb_listener_rule.alb_production_rule.arn}",
    "role_arn": "${aws_iam_role.blue_green_role.arn}",
}


def problems(data):
    with pytest.raises(ConfigError) as error:
        validate_env_data(data, "envs/x.json")
    return error.value.problems


@pytest.fixture
def docs(dev_data):
    return dev_data["services"][1]


def service_of(data):
    return only(synth_service(data, 1), "aws_ecs_service")


def test_rolling_percents_and_circuit_breaker(dev_data, docs):
    docs["deployment"] = {
        "minimum_healthy_percent": 0,
        "maximum_percent": 150,
        "circuit_breaker": {"enable": True, "rollback": False},
    }
    service = service_of(dev_data)
    assert (
        service["deployment_minimum_healthy_percent"],
        service["deployment_maximum_percent"],
    ) == (0, 150)
    assert service["deployment_circuit_breaker"] == {"enable": True, "rollback": False}
    assert "deployment_configuration" not in service  # provider 5.x compatible


def test_an_empty_block_is_todays_deployment(dev_data, docs):
    before = service_of(dev_data)
    docs["deployment"] = {}
    assert service_of(dev_data) == before


def test_linear_shifts_the_albs_traffic_with_hooks(dev_data, docs):
    docs["deployment"] = {
        "strategy": "linear",
        "linear": {"step_percent": 20.5, "step_bake_time_minutes": 3},
        "bake_time_minutes": 30,
        "lifecycle_hooks": [HOOK],
    }
    document = synth_service(dev_data, 1)
    service = only(document, "aws_ecs_service")
    assert service["deployment_configuration"] == {
        "strategy": "LINEAR",
        "bake_time_in_minutes": "30",
        "linear_configuration": {
            "step_percent": 20.5,
            "step_bake_time_in_minutes": "3",
        },
        "lifecycle_hook": [HOOK],
    }
    assert service["load_balancer"][0]["advanced_configuration"] == ADVANCED
    assert only(document, "aws_lb_listener_rule")["lifecycle"] == {
        "ignore_changes": ["action"]
    }


def test_canary_with_ecs_defaults(dev_data, docs):
    docs["deployment"] = {"strategy": "canary"}
    service = service_of(dev_data)
    assert service["deployment_configuration"] == {"strategy": "CANARY"}
    docs["deployment"]["canary"] = {"canary_percent": 0.5}
    assert service_of(dev_data)["deployment_configuration"] == {
        "strategy": "CANARY",
        "canary_configuration": {
            "canary_percent": 0.5,
            "canary_bake_time_in_minutes": "10",
        },
    }


def test_ecs_blue_green_takes_the_blocks_bake_time_and_hooks(dev_data, docs):
    docs.update(
        deployment_ownership="ecs_blue_green",
        deployment={"bake_time_minutes": 0, "lifecycle_hooks": [HOOK]},
    )
    assert service_of(dev_data)["deployment_configuration"] == {
        "strategy": "BLUE_GREEN",
        "bake_time_in_minutes": "0",
        "lifecycle_hook": [HOOK],
    }


def test_rules(dev_data, docs):
    docs.update(
        desired_count=2,
        deployment={
            "minimum_healthy_percent": 100,
            "maximum_percent": 100,
            "linear": {"step_percent": 2.0},
            "canary": {"canary_percent": 0.25},
        },
    )
    assert problems(dev_data) == [
        ("envs/x.json: services[1].deployment.linear.step_percent: 2.0 is not a multiple of 0.1 from 3.0 to 100.0; "
        "allowed: e.g. 3.0, 100.0"),
        ("envs/x.json: services[1].deployment.canary.canary_percent: 0.25 is not a multiple of 0.1 from 0.1 to 100.0; "
        "allowed: e.g. 0.1, 100.0"),
        "envs/x.json: services[1].deployment.linear: applies to strategy 'linear', not 'rolling'; set strategy: 'linear'",
        "envs/x.json: services[1].deployment.canary: applies to strategy 'canary', not 'rolling'; set strategy: 'canary'",
        ("envs/x.json: services[1].deployment.maximum_percent: 100 with minimum_healthy_percent 100: ECS can neither "
        "start a new task nor stop an old one, so the service never rolls; allowed: above 100"),
    ]


def test_strategies_against_the_owner(dev_data, docs):
    docs.update(
        deployment_ownership="codedeploy",
        deployment={
            "strategy": "canary",
            "lifecycle_hooks": [HOOK],
            "bake_time_minutes": 0,
        },
    )
    assert problems(dev_data) == [
        f"envs/x.json: services[1].deployment.{key}: CodeDeploy deploys this service (deployment_ownership "
        "codedeploy); ECS's own deployment settings do not apply"
        for key in ("bake_time_minutes", "lifecycle_hooks", "strategy")
    ]
    docs.update(
        deployment_ownership="ecs_blue_green",
        blue_green_bake_time_minutes=5,
        deployment={"strategy": "linear", "bake_time_minutes": 1},
    )
    assert problems(dev_data) == [
        ("envs/x.json: services[1].deployment.strategy: 'linear' and deployment_ownership 'ecs_blue_green' are two "
        "strategies; choose one"),
        "envs/x.json: services[1].deployment.bake_time_minutes: set either this or blue_green_bake_time_minutes",
    ]


def test_hook_arns_are_exact(dev_data, docs):
    docs["deployment"] = {
        "lifecycle_hooks": [
            {
                **HOOK,
                "hook_target_arn": "arn:aws:lambda:eu-west-1:111111111111:function:*",
            }
        ]
    }
    found = problems(dev_data)
    assert len(found) == 1 and "contains * or ?" in found[0], found


def test_validate_warns_where_provider_6_is_needed(dev_data, docs):
    docs["deployment"] = {"strategy": "canary", "lifecycle_hooks": [HOOK]}
    env = validate_env_data(dev_data, "envs/dev.json")
    assert provider6_warnings(env) == [
        ("services[1]: warning: deployment.strategy: canary, deployment.lifecycle_hooks need AWS provider "
        "6.x (the deployment_configuration block); terraform with provider 5.x rejects the stack")
    ]
