"""ServiceAlarms: CPU and memory on the service, 5xx count and p99 latency on its target group."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import named, readable_stack
from tf import require_terraform, validated_provider_stack

ALB_SUFFIX = "app/acme-dev-api/50dc6c495c0c9188"
TG_SUFFIX = "targetgroup/acme-dev-api/73e2d6bc24d8a067"
TOPIC = "arn:aws:sns:eu-west-1:111111111111:alerts"


def config(**overrides):
    from constructs_lib.props.alarms import AlarmsConfig

    data = {"sns_topic_arn": TOPIC, "cpu_high_percent": 80, "memory_high_percent": 90, "target_5xx_count": 5,
            "p99_latency_seconds": 1.5}
    return AlarmsConfig.model_validate({**data, **overrides})




def build(scope, alarms_config, **kwargs):
    from constructs_lib.constructs.alarms import ServiceAlarms

    arguments = {"alarm_name_prefix": "acme-dev-api", "cluster_name": "acme-dev", "service_name": "acme-dev-api",
                 "alb_arn_suffix": ALB_SUFFIX, "target_group_arn_suffix": TG_SUFFIX, **kwargs}
    return ServiceAlarms(scope, "alarms", config=alarms_config, **arguments)


def synth(alarms_config, **kwargs):
    import cdktf

    stack = readable_stack(cdktf.Testing.app())
    alarms = build(stack, alarms_config, **kwargs)
    return alarms, json.loads(cdktf.Testing.synth(stack))


SERVICE = {"ClusterName": "acme-dev", "ServiceName": "acme-dev-api"}
TARGET = {"LoadBalancer": ALB_SUFFIX, "TargetGroup": TG_SUFFIX}
NOTIFY = {"alarm_actions": [TOPIC], "ok_actions": [TOPIC]}
COMMON = {"period": 60, "treat_missing_data": "notBreaching"}


def test_alarm_names_are_plain_strings_usable_as_deployment_alarms():
    alarms, _ = synth(config())
    assert alarms.alarm_names == {
        "cpu_high": "acme-dev-api-cpu-high",
        "memory_high": "acme-dev-api-memory-high",
        "target_5xx": "acme-dev-api-target-5xx",
        "p99_latency": "acme-dev-api-p99-latency",
    }
    assert list(alarms.alarms) == list(alarms.alarm_names)


def test_service_cpu_and_memory_alarms():
    _, document = synth(config())
    assert named(document, "aws_cloudwatch_metric_alarm", "alarms_cpu_high") == {
        "alarm_name": "acme-dev-api-cpu-high",
        "alarm_description": "Service average CPU above 80% for 3 minutes",
        "namespace": "AWS/ECS",
        "metric_name": "CPUUtilization",
        "dimensions": SERVICE,
        "statistic": "Average",
        "evaluation_periods": 3,
        "threshold": 80,
        "comparison_operator": "GreaterThanThreshold",
        **COMMON,
        **NOTIFY,
    }
    assert named(document, "aws_cloudwatch_metric_alarm", "alarms_memory_high") == {
        "alarm_name": "acme-dev-api-memory-high",
        "alarm_description": "Service average memory above 90% for 3 minutes",
        "namespace": "AWS/ECS",
        "metric_name": "MemoryUtilization",
        "dimensions": SERVICE,
        "statistic": "Average",
        "evaluation_periods": 3,
        "threshold": 90,
        "comparison_operator": "GreaterThanThreshold",
        **COMMON,
        **NOTIFY,
    }


def test_target_group_5xx_and_p99_latency_alarms():
    _, document = synth(config())
    assert named(document, "aws_cloudwatch_metric_alarm", "alarms_target_5xx") == {
        "alarm_name": "acme-dev-api-target-5xx",
        "alarm_description": "5 or more target 5xx responses in a minute",
        "namespace": "AWS/ApplicationELB",
        "metric_name": "HTTPCode_Target_5XX_Count",
        "dimensions": TARGET,
        "statistic": "Sum",
        "evaluation_periods": 1,
        "threshold": 5,
        "comparison_operator": "GreaterThanOrEqualToThreshold",
        **COMMON,
        **NOTIFY,
    }
    assert named(document, "aws_cloudwatch_metric_alarm", "alarms_p99_latency") == {
        "alarm_name": "acme-dev-api-p99-latency",
        "alarm_description": "Target p99 response time above 1.5 s for 3 minutes",
        "namespace": "AWS/ApplicationELB",
        "metric_name": "TargetResponseTime",
        "dimensions": TARGET,
        "extended_statistic": "p99",
        "evaluation_periods": 3,
        "threshold": 1.5,
        "comparison_operator": "GreaterThanThreshold",
        **COMMON,
        **NOTIFY,
    }


def test_without_a_topic_no_actions_and_only_the_configured_alarms():
    alarms, document = synth(
        config(sns_topic_arn=None, memory_high_percent=None, target_5xx_count=None, p99_latency_seconds=None),
        alb_arn_suffix=None, target_group_arn_suffix=None,
    )
    assert alarms.alarm_names == {"cpu_high": "acme-dev-api-cpu-high"}
    [cpu] = document["resource"]["aws_cloudwatch_metric_alarm"].values()
    assert "alarm_actions" not in cpu and "ok_actions" not in cpu


def test_no_thresholds_no_alarms():
    alarms, document = synth(config(cpu_high_percent=None, memory_high_percent=None, target_5xx_count=None,
                                    p99_latency_seconds=None))
    assert alarms.alarm_names == {} and alarms.alarms == {}
    assert "aws_cloudwatch_metric_alarm" not in document.get("resource", {})


def test_dimensions_from_resource_attributes():
    import cdktf

    from constructs_lib._jsii.aws import EcsCluster, Lb, LbTargetGroup

    stack = readable_stack(cdktf.Testing.app())
    cluster = EcsCluster(stack, "cluster", name="acme-dev")
    alb = Lb(stack, "alb", name="acme-dev-api")
    target_group = LbTargetGroup(stack, "target-group", name="acme-dev-api", port=80, protocol="HTTP")
    alarms = build(stack, config(), cluster_name=cluster.name, alb_arn_suffix=alb.arn_suffix,
                   target_group_arn_suffix=target_group.arn_suffix)
    document = json.loads(cdktf.Testing.synth(stack))
    assert named(document, "aws_cloudwatch_metric_alarm", "alarms_cpu_high")["dimensions"] == {
        "ClusterName": "${aws_ecs_cluster.cluster.name}", "ServiceName": "acme-dev-api"}
    assert named(document, "aws_cloudwatch_metric_alarm", "alarms_target_5xx")["dimensions"] == {
        "LoadBalancer": "${aws_lb.alb.arn_suffix}", "TargetGroup": "${aws_lb_target_group.target_group.arn_suffix}"}
    assert alarms.alarm_names["target_5xx"] == "acme-dev-api-target-5xx"


@pytest.mark.parametrize("key", ["target_5xx_count", "p99_latency_seconds"])
def test_target_group_alarms_without_the_load_balancer_are_a_wiring_mistake(key):
    others = {k: None for k in ("target_5xx_count", "p99_latency_seconds") if k != key}
    with pytest.raises(ValueError) as error:
        synth(config(**others), target_group_arn_suffix=None)
    assert str(error.value) == "target_5xx_count and p99_latency_seconds need alb_arn_suffix and target_group_arn_suffix"


def test_a_token_prefix_is_a_wiring_mistake():
    import cdktf

    from constructs_lib._jsii.aws import EcsCluster

    stack = readable_stack(cdktf.Testing.app())
    cluster = EcsCluster(stack, "cluster", name="acme-dev")
    with pytest.raises(ValueError) as error:
        build(stack, config(), alarm_name_prefix=cluster.name)
    assert str(error.value) == "alarm_name_prefix must be a plain string, not a Terraform reference"


def test_terraform_validate_accepts_the_resources(tmp_path: Path):
    require_terraform("terraform validate of ServiceAlarms")

    from constructs_lib._jsii.aws import EcsCluster, Lb, LbTargetGroup

    with validated_provider_stack(tmp_path, "alarms") as stack:
        cluster = EcsCluster(stack, "cluster", name="acme-dev")
        alb = Lb(stack, "alb", name="acme-dev-api", subnets=["subnet-0a1b2c3d4e5f60721", "subnet-0a1b2c3d4e5f60722"])
        target_group = LbTargetGroup(stack, "target-group", name="acme-dev-api", port=80, protocol="HTTP")
        build(stack, config(), cluster_name=cluster.name, alb_arn_suffix=alb.arn_suffix,
              target_group_arn_suffix=target_group.arn_suffix)
