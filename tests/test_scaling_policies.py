"""Step scaling on CloudWatch alarms and target tracking on any metric (issue 14), on the synthesized JSON of a
service stack, with the rules' exact messages."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import named, synth_service
from tf import require_terraform, validated_provider_stack

STEP = {
    "name": "queue-depth",
    "metric": {
        "metric_name": "ApproximateNumberOfMessagesVisible",
        "namespace": "AWS/SQS",
        "dimensions": {"QueueName": "orders"},
        "statistic": "Maximum",
    },
    "comparison_operator": "GreaterThanOrEqualToThreshold",
    "threshold": 100,
    "evaluation_periods": 2,
    "steps": [
        {"lower_bound": 0, "upper_bound": 400, "adjustment": 1},
        {"lower_bound": 400, "adjustment": 3},
    ],
}


@pytest.fixture
def docs(dev_data):
    docs = dev_data["services"][1]
    docs["autoscaling"] = {"min_capacity": 1, "max_capacity": 10}
    return docs


def test_a_step_scaling_policy_run_by_its_own_alarm(dev_data, docs):
    docs["autoscaling"]["step_scaling"] = [STEP]
    document = synth_service(dev_data, 1)
    policy = named(
        document, "aws_appautoscaling_policy", "autoscaling_step_queue_depth"
    )
    assert (policy["name"], policy["policy_type"]) == (
        "${aws_ecs_service.service.name}-queue-depth",
        "StepScaling",
    )
    assert policy["step_scaling_policy_configuration"] == {
        "adjustment_type": "ChangeInCapacity",
        "cooldown": 60,
        "metric_aggregation_type": "Maximum",
        "step_adjustment": [
            {
                "scaling_adjustment": 1,
                "metric_interval_lower_bound": "0",
                "metric_interval_upper_bound": "400",
            },
            {"scaling_adjustment": 3, "metric_interval_lower_bound": "400"},
        ],
    }
    alarm = named(
        document, "aws_cloudwatch_metric_alarm", "autoscaling_step_queue_depth_alarm"
    )
    assert {k: v for k, v in alarm.items() if k != "tags"} == {
        "alarm_name": "${aws_ecs_service.service.name}-queue-depth",
        "alarm_description": "Runs the step scaling policy ${aws_ecs_service.service.name}-queue-depth",
        "namespace": "AWS/SQS",
        "metric_name": "ApproximateNumberOfMessagesVisible",
        "statistic": "Maximum",
        "dimensions": {"QueueName": "orders"},
        "comparison_operator": "GreaterThanOrEqualToThreshold",
        "threshold": 100,
        "period": 60,
        "evaluation_periods": 2,
        "alarm_actions": [
            "${aws_appautoscaling_policy.autoscaling_step_queue_depth.arn}"
        ],
    }


def test_target_tracking_on_a_service_metric_and_on_metric_math(dev_data, docs):
    docs["autoscaling"]["metric_tracking"] = [
        {
            "name": "cpu-max",
            "target_value": 70,
            "metric": {"metric_name": "CPUUtilization", "statistic": "Maximum"},
        },
        {
            "name": "backlog",
            "target_value": 10.5,
            "disable_scale_in": True,
            "queries": [
                {
                    "id": "m1",
                    "metric": {
                        "metric_name": "ApproximateNumberOfMessagesVisible",
                        "namespace": "AWS/SQS",
                        "dimensions": {"QueueName": "orders"},
                        "statistic": "Sum",
                    },
                },
                {
                    "id": "m2",
                    "metric": {
                        "metric_name": "RunningTaskCount",
                        "namespace": "ECS/ContainerInsights",
                        "dimensions": {"ServiceName": "acme-dev-docs"},
                    },
                },
                {
                    "id": "per_task",
                    "expression": "m1 / m2",
                    "label": "backlog per task",
                    "return_data": True,
                },
            ],
        },
    ]
    document = synth_service(dev_data, 1)
    cpu = named(document, "aws_appautoscaling_policy", "autoscaling_metric_cpu_max")
    assert cpu["target_tracking_scaling_policy_configuration"] == {
        "target_value": 70,
        "scale_in_cooldown": 300,
        "scale_out_cooldown": 60,
        "customized_metric_specification": {
            "metric_name": "CPUUtilization",
            "namespace": "AWS/ECS",
            "statistic": "Maximum",
            "dimensions": [
                {"name": "ClusterName", "value": "acme-dev-docs-cluster"},  # the environment stack's
                {"name": "ServiceName", "value": "${aws_ecs_service.service.name}"},
            ],
        },
    }
    backlog = named(document, "aws_appautoscaling_policy", "autoscaling_metric_backlog")
    tracking = backlog["target_tracking_scaling_policy_configuration"]
    assert (tracking["target_value"], tracking["disable_scale_in"]) == (10.5, True)
    assert tracking["customized_metric_specification"]["metrics"] == [
        {
            "id": "m1",
            "return_data": False,
            "metric_stat": {
                "stat": "Sum",
                "metric": {
                    "metric_name": "ApproximateNumberOfMessagesVisible",
                    "namespace": "AWS/SQS",
                    "dimensions": [{"name": "QueueName", "value": "orders"}],
                },
            },
        },
        {
            "id": "m2",
            "return_data": False,
            "metric_stat": {
                "stat": "Average",
                "metric": {
                    "metric_name": "RunningTaskCount",
                    "namespace": "ECS/ContainerInsights",
                    "dimensions": [{"name": "ServiceName", "value": "acme-dev-docs"}],
                },
            },
        },
        {
            "id": "per_task",
            "expression": "m1 / m2",
            "label": "backlog per task",
            "return_data": True,
        },
    ]


def problems(data):
    from constructs_lib.config import ConfigError, validate_env_data

    with pytest.raises(ConfigError) as error:
        validate_env_data(data, "envs/x.json")
    return [
        p.removeprefix("envs/x.json: services[1].autoscaling.")
        for p in error.value.problems
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {
                "steps": [
                    {"lower_bound": 0, "upper_bound": 300, "adjustment": 1},
                    {"lower_bound": 400, "adjustment": 3},
                ]
            },
            [
                ("step_scaling[0].steps[0].upper_bound: 300 does not meet steps[1].lower_bound 400; steps must be contiguous "
                "without overlap")
            ],
        ),
        (
            {"steps": [{"adjustment": 1}]},
            [
                "step_scaling[0].steps[0]: no bounds: give lower_bound, upper_bound or both"
            ],
        ),
        (
            {"period_seconds": 45},
            [
                "step_scaling[0].period_seconds: 45 is not an alarm period; allowed: 10, 30 or a multiple of 60"
            ],
        ),
        (
            {"min_adjustment_magnitude": 2},
            [
                ("step_scaling[0].min_adjustment_magnitude: set without adjustment_type PercentChangeInCapacity, the only type it "
                "applies to")
            ],
        ),
    ],
)
def test_step_scaling_rules(dev_data, docs, change, expected):
    docs["autoscaling"]["step_scaling"] = [{**STEP, **change}]
    assert problems(dev_data) == expected


@pytest.mark.parametrize(
    ("tracking", "expected"),
    [
        (
            {},
            ["metric_tracking[0].metric: give either metric or queries (metric math)"],
        ),
        (
            {"queries": [{"id": "m1", "expression": "SUM(METRICS())"}]},
            [
                "metric_tracking[0].queries: 0 queries return data; allowed: exactly 1, the value tracked"
            ],
        ),
        (
            {"queries": [{"id": "m1", "return_data": True}]},
            ["metric_tracking[0].queries[0].metric: give either metric or expression"],
        ),
    ],
)
def test_metric_tracking_rules(dev_data, docs, tracking, expected):
    docs["autoscaling"]["metric_tracking"] = [
        {"name": "custom", "target_value": 5, **tracking}
    ]
    assert problems(dev_data) == expected


def test_policy_names_are_unique(dev_data, docs):
    docs["autoscaling"]["step_scaling"] = [STEP, STEP]
    assert problems(dev_data) == [
        "step_scaling[1].name: 'queue-depth' is already used by step_scaling[0]; names must be unique"
    ]


def test_terraform_validate_accepts_step_scaling_and_metric_math(tmp_path: Path):
    require_terraform("terraform validate of step scaling and metric tracking")

    from constructs_lib.constructs.autoscaling import ServiceAutoScaling
    from constructs_lib.props.autoscaling import AutoscalingConfig

    config = AutoscalingConfig(
        min_capacity=1,
        max_capacity=4,
        step_scaling=[STEP],
        metric_tracking=[
            {
                "name": "math",
                "target_value": 3,
                "queries": [
                    {"id": "m1", "metric": {"metric_name": "CPUUtilization"}},
                    {"id": "e1", "expression": "m1 / 10", "return_data": True},
                ],
            },
        ],
    )
    with validated_provider_stack(tmp_path, "scaling") as stack:
        ServiceAutoScaling(
            stack,
            "scaling",
            config=config,
            cluster_name="acme",
            service_name="api",
            alb_arn_suffix=None,
            target_group_arn_suffix=None,
        )
