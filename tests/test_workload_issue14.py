"""Issue 14's keys on workers and scheduled tasks, and the environment stack's resources they find by name.

Container, task and IAM keys are `TaskOptions` (every workload); ECS service settings, deployment and the EBS
volume are `EcsServiceOptions` (services and workers); load balancing stays on web services. Each test
synthesizes an env file's worker or scheduled-task stack and asserts what reaches Terraform.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import named, only, read_env

from constructs_lib.config import ConfigError, validate_env_data

BOUNDARY = "arn:aws:iam::111111111111:policy/acme-boundary"
QUEUE = "arn:aws:sqs:eu-west-1:111111111111:acme-dev-orders"
TASK_ROLE = "arn:aws:iam::111111111111:role/orders-task"
PUBLIC_SUBNETS = ["subnet-0a1b2c3d4e5f60721", "subnet-0a1b2c3d4e5f60722"]


def worker(**keys: Any) -> dict[str, Any]:
    return {"service_name": "orders-worker", "cluster_name": "app-cluster", "container_repo": "acme/worker:1.0",
            "parameters": {}, **keys}


def task(**keys: Any) -> dict[str, Any]:
    return {"service_name": "nightly", "cluster_name": "app-cluster", "container_repo": "acme/report:1.0",
            "parameters": {}, "schedule": "cron(0 3 * * ? *)", **keys}


def env_data(workers: list[dict[str, Any]], tasks: list[dict[str, Any]], **top: Any) -> dict[str, Any]:
    data = read_env("dev")
    data.update(workers=workers, scheduled_tasks=tasks, **top)
    return data


def synth_workloads(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    from cdktf import Testing

    from constructs_lib.stacks.workload_stacks import ScheduledTaskStack, WorkerStack

    env = validate_env_data(data, "test.json")
    app = Testing.app()
    stacks = [WorkerStack(app, f"w-{w.service_name}", env=env, worker=w) for w in env.workers]
    stacks += [ScheduledTaskStack(app, f"t-{t.service_name}", env=env, task=t) for t in env.scheduled_tasks]
    return {stack.node.id: json.loads(Testing.synth(stack)) for stack in stacks}


def problems_of(data: dict[str, Any]) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        validate_env_data(data, "x.json")
    return caught.value.problems


def test_container_task_and_service_keys_reach_a_worker():
    worker_keys = worker(
        command=["run", "--fast"], pid_mode="task", ebs_volume={"name": "data", "container_path": "/data", "size_gib": 20},
        assign_public_ip=True, platform_version="1.4.0", deployment={"minimum_healthy_percent": 50},
        permissions_boundary_arn=BOUNDARY,
    )
    document = synth_workloads(env_data([worker_keys], []))["w-orders-worker"]
    definition = only(document, "aws_ecs_task_definition")
    app = json.loads(definition["container_definitions"])[0]
    assert (app["command"], definition["pid_mode"]) == (["run", "--fast"], "task")
    assert {"containerPath": "/data", "readOnly": False, "sourceVolume": "data"} in app["mountPoints"]
    assert {"configure_at_launch": True, "name": "data"} in definition["volume"]
    service = only(document, "aws_ecs_service")
    assert service["network_configuration"]["subnets"] == PUBLIC_SUBNETS
    assert service["network_configuration"]["assign_public_ip"] is True
    assert (service["platform_version"], service["deployment_minimum_healthy_percent"]) == ("1.4.0", 50)
    assert service["volume_configuration"]["name"] == "data"
    assert {role["permissions_boundary"] for role in document["resource"]["aws_iam_role"].values()} == {BOUNDARY}


def test_task_keys_reach_a_scheduled_task_and_its_scheduler_role_has_the_boundary():
    document = synth_workloads(env_data([], [task(command=["report"], pid_mode="task")], permissions_boundary_arn=BOUNDARY))
    document = document["t-nightly"]
    definition = only(document, "aws_ecs_task_definition")
    assert json.loads(definition["container_definitions"])[0]["command"] == ["report"]
    assert definition["pid_mode"] == "task"
    roles = document["resource"]["aws_iam_role"]
    assert sorted(roles) == ["execution_role", "scheduler_role", "task_role"]
    assert {role["permissions_boundary"] for role in roles.values()} == {BOUNDARY}


@pytest.mark.parametrize("key, value", [
    ("deployment", {"minimum_healthy_percent": 50}),
    ("ebs_volume", {"name": "data", "container_path": "/data", "size_gib": 20}),
    ("platform_version", "1.4.0"),
])
def test_a_scheduled_task_has_no_ecs_service_settings(key: str, value: Any):
    assert problems_of(env_data([], [task(**{key: value})])) == [
        f"x.json: scheduled_tasks[0].{key}: a scheduled task has no load balancer, DNS name, certificate or "
        f"long-running service: {key} is a service key; remove it"
    ]


@pytest.mark.parametrize("strategy", ["linear", "canary"])
def test_a_worker_has_no_traffic_to_shift(strategy: str):
    assert problems_of(env_data([worker(deployment={"strategy": strategy})], [])) == [
        f"x.json: workers[0].deployment.strategy: {strategy!r} shifts a load balancer's traffic; a worker has none; "
        "allowed: rolling"
    ]


def test_workloads_find_the_environments_cluster_and_log_key_by_name():
    data = env_data([worker()], [task()])
    del data["kms_key_arn"]  # the environment stack's log key, found by its alias
    stacks = synth_workloads(data)
    cluster = "arn:aws:ecs:eu-west-1:111111111111:cluster/acme-dev-app-cluster"
    assert only(stacks["w-orders-worker"], "aws_ecs_service")["cluster"] == cluster
    assert only(stacks["t-nightly"], "aws_scheduler_schedule")["target"]["arn"] == cluster
    for document in stacks.values():
        alias = only(document, "aws_kms_alias", "data")
        assert alias["name"] == "alias/acme-dev-logs"
        assert only(document, "aws_cloudwatch_log_group")["kms_key_id"] == "${data.aws_kms_alias.log_key.target_key_arn}"


def test_an_existing_task_role_of_an_env_file_gets_no_queue_policy_and_prerequisites_name_it():
    from constructs_lib.tools.prerequisites import workload_prerequisites

    backlog = {"queue_arn": QUEUE, "messages_per_task": 10, "grant_consume": True}
    data = env_data([worker(task_role_arn=TASK_ROLE, autoscaling={"min_capacity": 1, "max_capacity": 4,
                                                                 "queue_backlog": backlog})], [])
    document = synth_workloads(data)["w-orders-worker"]
    assert "task_role_queue" not in document["resource"]["aws_iam_role_policy"]
    assert named(document, "aws_appautoscaling_policy", "autoscaling_queue_backlog")
    env = validate_env_data(data, "x.json")
    found = [(p.kind, p.name, p.why) for p in workload_prerequisites(env, env.workers[0])]
    assert ("IAM role", TASK_ROLE, "the task role consumes the queue: allow sqs:ReceiveMessage, "
            "sqs:ChangeMessageVisibility, sqs:DeleteMessage, sqs:GetQueueAttributes on it") in found
