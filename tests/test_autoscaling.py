"""ServiceAutoScaling: the scalable target, one target-tracking policy per metric, scheduled actions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import named, only, readable_stack
from tf import require_terraform, validated_provider_stack

ALB_SUFFIX = "app/acme-dev-api/50dc6c495c0c9188"
TG_SUFFIX = "targetgroup/acme-dev-api/73e2d6bc24d8a067"


def config(**overrides):
    from constructs_lib.props.autoscaling import AutoscalingConfig

    data = {
        "min_capacity": 2,
        "max_capacity": 10,
        "cpu_target_percent": 60,
        "memory_target_percent": 70,
        "requests_per_target": 500,
        "scale_in_cooldown_seconds": 120,
        "scale_out_cooldown_seconds": 30,
        "schedules": [
            {"name": "night", "cron": "cron(0 20 ? * MON-FRI *)", "min_capacity": 0, "max_capacity": 1},
            {"name": "morning", "cron": "cron(0 6 ? * MON-FRI *)", "min_capacity": 2, "max_capacity": 10},
        ],
    }
    return AutoscalingConfig.model_validate({**data, **overrides})




def build(scope, autoscaling_config, **kwargs):
    from constructs_lib.constructs.autoscaling import ServiceAutoScaling

    arguments = {"cluster_name": "acme-dev", "service_name": "acme-dev-api", "alb_arn_suffix": ALB_SUFFIX,
                 "target_group_arn_suffix": TG_SUFFIX, **kwargs}
    return ServiceAutoScaling(scope, "autoscaling", config=autoscaling_config, **arguments)


def synth(autoscaling_config, **kwargs):
    import cdktf

    stack = readable_stack(cdktf.Testing.app())
    scaling = build(stack, autoscaling_config, **kwargs)
    return scaling, json.loads(cdktf.Testing.synth(stack))


TARGET_REFS = {
    "service_namespace": "${aws_appautoscaling_target.autoscaling.service_namespace}",
    "scalable_dimension": "${aws_appautoscaling_target.autoscaling.scalable_dimension}",
    "resource_id": "${aws_appautoscaling_target.autoscaling.resource_id}",
}


def policy(name, target_value, metric_type, depends_on=None, resource_label=None):
    metric = {"predefined_metric_type": metric_type}
    if resource_label:
        metric["resource_label"] = resource_label
    expected = {
        "name": name,
        "policy_type": "TargetTrackingScaling",
        **TARGET_REFS,
        "target_tracking_scaling_policy_configuration": {
            "target_value": target_value,
            "scale_in_cooldown": 120,
            "scale_out_cooldown": 30,
            "predefined_metric_specification": metric,
        },
    }
    if depends_on:
        expected["depends_on"] = [depends_on]
    return expected


def test_target_scales_the_service_desired_count():
    scaling, document = synth(config())
    assert only(document, "aws_appautoscaling_target") == {
        "service_namespace": "ecs",
        "scalable_dimension": "ecs:service:DesiredCount",
        "resource_id": "service/acme-dev/acme-dev-api",
        "min_capacity": 2,
        "max_capacity": 10,
    }
    from constructs_lib._jsii.aws import AppautoscalingPolicy, AppautoscalingTarget

    assert isinstance(scaling.target, AppautoscalingTarget)
    assert all(isinstance(p, AppautoscalingPolicy) for p in scaling.policies.values())


def test_one_target_tracking_policy_per_metric_with_cooldowns_serialized_after_the_target():
    scaling, document = synth(config())
    assert sorted(scaling.policies) == ["cpu", "memory", "requests"]
    assert document["resource"]["aws_appautoscaling_policy"].keys() == {
        "autoscaling_cpu", "autoscaling_memory", "autoscaling_requests"}
    assert named(document, "aws_appautoscaling_policy", "autoscaling_cpu") == policy(
        "acme-dev-api-cpu", 60, "ECSServiceAverageCPUUtilization")
    assert named(document, "aws_appautoscaling_policy", "autoscaling_memory") == policy(
        "acme-dev-api-memory", 70, "ECSServiceAverageMemoryUtilization",
        depends_on="aws_appautoscaling_policy.autoscaling_cpu")
    assert named(document, "aws_appautoscaling_policy", "autoscaling_requests") == policy(
        "acme-dev-api-requests", 500, "ALBRequestCountPerTarget",
        depends_on="aws_appautoscaling_policy.autoscaling_memory",
        resource_label=f"{ALB_SUFFIX}/{TG_SUFFIX}")


def test_scheduled_actions_follow_the_policies_one_at_a_time():
    scaling, document = synth(config())
    assert sorted(scaling.scheduled_actions) == ["morning", "night"]
    assert named(document, "aws_appautoscaling_scheduled_action", "autoscaling_schedule_night") == {
        "name": "night",
        **TARGET_REFS,
        "schedule": "cron(0 20 ? * MON-FRI *)",
        "scalable_target_action": {"min_capacity": "0", "max_capacity": "1"},
        "depends_on": ["aws_appautoscaling_policy.autoscaling_requests"],
    }
    assert named(document, "aws_appautoscaling_scheduled_action", "autoscaling_schedule_morning") == {
        "name": "morning",
        **TARGET_REFS,
        "schedule": "cron(0 6 ? * MON-FRI *)",
        "scalable_target_action": {"min_capacity": "2", "max_capacity": "10"},
        "depends_on": ["aws_appautoscaling_scheduled_action.autoscaling_schedule_night"],
    }


def test_only_the_configured_policies_and_a_schedule_alone_needs_no_load_balancer():
    scaling, document = synth(
        config(cpu_target_percent=None, memory_target_percent=None, requests_per_target=None,
               schedules=[{"name": "night", "cron": "cron(0 20 * * ? *)", "min_capacity": 0, "max_capacity": 1}]),
        alb_arn_suffix=None, target_group_arn_suffix=None,
    )
    assert scaling.policies == {}
    assert "aws_appautoscaling_policy" not in document["resource"]
    action = only(document, "aws_appautoscaling_scheduled_action")
    assert "depends_on" not in action
    assert action["resource_id"] == "${aws_appautoscaling_target.autoscaling.resource_id}"


def test_cpu_only():
    scaling, document = synth(config(memory_target_percent=None, requests_per_target=None, schedules=[]))
    assert list(scaling.policies) == ["cpu"]
    assert only(document, "aws_appautoscaling_policy") == policy("acme-dev-api-cpu", 60, "ECSServiceAverageCPUUtilization")
    assert "aws_appautoscaling_scheduled_action" not in document["resource"]


def test_names_and_label_from_resource_attributes_make_terraform_wait_for_them():
    import cdktf

    from constructs_lib._jsii.aws import EcsCluster, Lb, LbTargetGroup

    stack = readable_stack(cdktf.Testing.app())
    cluster = EcsCluster(stack, "cluster", name="acme-dev")
    alb = Lb(stack, "alb", name="acme-dev-api")
    target_group = LbTargetGroup(stack, "target-group", name="acme-dev-api", port=80, protocol="HTTP")
    build(stack, config(schedules=[]), cluster_name=cluster.name, alb_arn_suffix=alb.arn_suffix,
          target_group_arn_suffix=target_group.arn_suffix)
    document = json.loads(cdktf.Testing.synth(stack))
    assert only(document, "aws_appautoscaling_target")["resource_id"] == "service/${aws_ecs_cluster.cluster.name}/acme-dev-api"
    requests = named(document, "aws_appautoscaling_policy", "autoscaling_requests")
    assert requests["target_tracking_scaling_policy_configuration"]["predefined_metric_specification"] == {
        "predefined_metric_type": "ALBRequestCountPerTarget",
        "resource_label": "${aws_lb.alb.arn_suffix}/${aws_lb_target_group.target_group.arn_suffix}",
    }


@pytest.mark.parametrize("missing", ["alb_arn_suffix", "target_group_arn_suffix"])
def test_request_policy_without_the_load_balancer_is_a_wiring_mistake(missing):
    with pytest.raises(ValueError) as error:
        synth(config(), **{missing: None})
    assert str(error.value) == "requests_per_target needs alb_arn_suffix and target_group_arn_suffix"


def test_terraform_validate_accepts_the_resources(tmp_path: Path):
    require_terraform("terraform validate of ServiceAutoScaling")

    from constructs_lib._jsii.aws import EcsCluster, Lb, LbTargetGroup

    with validated_provider_stack(tmp_path, "autoscaling") as stack:
        cluster = EcsCluster(stack, "cluster", name="acme-dev")
        alb = Lb(stack, "alb", name="acme-dev-api", subnets=["subnet-0a1b2c3d4e5f60721", "subnet-0a1b2c3d4e5f60722"])
        target_group = LbTargetGroup(stack, "target-group", name="acme-dev-api", port=80, protocol="HTTP")
        build(stack, config(), cluster_name=cluster.name, alb_arn_suffix=alb.arn_suffix,
              target_group_arn_suffix=target_group.arn_suffix)
