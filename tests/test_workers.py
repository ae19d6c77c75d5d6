"""Workers and scheduled tasks on the JSON they synthesize: the typed API (`WorkerService`, `ScheduledTask` in a
stack of one's own, with a cluster of that stack or an existing one and existing roles), and the env-file stacks of
envs/staging.json (`WorkerStack`, `ScheduledTaskStack`). Every resource and policy is asserted."""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import named, only, read_env

from constructs_lib import (
    ClusterReference,
    ClusterSettings,
    FargateCluster,
    NetworkConfig,
    PropsError,
    QueueBacklogConfig,
    ScheduledTask,
    ScheduledTaskProps,
    WorkerAutoscalingConfig,
    WorkerService,
    WorkerServiceProps,
)

REGION, ACCOUNT = "eu-west-1", "111111111111"
QUEUE = "arn:aws:sqs:eu-west-1:111111111111:acme-dev-orders"
DLQ = "arn:aws:sqs:eu-west-1:111111111111:acme-dev-failed-runs"
EXECUTION_ROLE = "arn:aws:iam::111111111111:role/reports-execution"
SUBNETS = ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60712"]
NETWORK = NetworkConfig(
    vpc_id="vpc-0a1b2c3d4e5f60718",
    private_subnet_ids=SUBNETS,
    public_subnet_ids=SUBNETS,
)
PLACEMENT: dict[str, Any] = {
    "organization": "acme",
    "environment": "dev",
    "region": REGION,
    "account_id": ACCOUNT,
    "network": NETWORK,
}
LEGACY = ClusterReference.from_name("acme-dev-jobs", region=REGION, account_id=ACCOUNT)


@pytest.fixture(scope="module")
def typed() -> dict[str, Any]:
    from cdktf import TerraformStack, Testing

    stack = TerraformStack(Testing.app(), "typed")
    cluster = FargateCluster(stack, "cluster", settings=ClusterSettings(name="acme-dev-workers"))
    WorkerService(
        stack,
        "orders",
        props=WorkerServiceProps(
            **PLACEMENT,
            cluster=cluster,
            service_name="orders",
            image="acme/orders-worker:1.0",
            parameters={},
            health_check_command="pgrep -f worker || exit 1",
            autoscaling=WorkerAutoscalingConfig(
                min_capacity=1,
                max_capacity=20,
                queue_backlog=QueueBacklogConfig(queue_arn=QUEUE, messages_per_task=50),
            ),
        ),
    )
    ScheduledTask(
        stack,
        "report",
        props=ScheduledTaskProps(
            **PLACEMENT,
            cluster=LEGACY,
            service_name="report",
            image="acme/report:1.0",
            parameters={},
            execution_role_arn=EXECUTION_ROLE,
            schedule="rate(6 hours)",
            flexible_window_minutes=30,
            dead_letter_queue_arn=DLQ,
            enabled=False,
        ),
    )
    return json.loads(Testing.synth(stack))


@pytest.fixture(scope="module")
def staging() -> dict[str, dict[str, Any]]:
    from cdktf import Testing

    from constructs_lib.config import validate_env_data
    from constructs_lib.stacks.workload_stacks import ScheduledTaskStack, WorkerStack

    env = validate_env_data(read_env("staging"), "envs/staging.json")
    app = Testing.app()
    stacks = [
        WorkerStack(app, "worker", env=env, worker=env.workers[0]),
        ScheduledTaskStack(app, "task", env=env, task=env.scheduled_tasks[0]),
    ]
    return {stack.node.id: json.loads(Testing.synth(stack)) for stack in stacks}


def test_a_worker_is_an_ecs_service_with_no_load_balancer_in_private_subnets(typed):
    service = named(typed, "aws_ecs_service", "orders_service")
    assert "load_balancer" not in service and "health_check_grace_period_seconds" not in service
    assert service["cluster"] == "${aws_ecs_cluster.cluster.id}"
    assert service["network_configuration"] == {
        "subnets": SUBNETS,
        "security_groups": ["${aws_security_group.orders_security_groups_tasks.id}"],
        "assign_public_ip": False,
    }
    assert service["lifecycle"] == {"ignore_changes": ["desired_count"]}
    assert service["capacity_provider_strategy"] == [
        {"capacity_provider": "FARGATE_SPOT", "weight": 2},
        {"capacity_provider": "FARGATE", "weight": 1},
    ]


def test_nothing_reaches_a_worker_or_a_scheduled_task(typed):
    assert "aws_vpc_security_group_ingress_rule" not in typed["resource"]
    groups = typed["resource"]["aws_security_group"]
    assert {name: group["description"] for name, group in groups.items()} == {
        "orders_security_groups_tasks": "ECS tasks of a worker, egress only",
        "report_security_groups_tasks": "ECS tasks of a scheduled task, egress only",
    }
    egress = typed["resource"]["aws_vpc_security_group_egress_rule"]
    assert sorted(egress) == [
        "orders_security_groups_tasks_egress_all",
        "report_security_groups_tasks_egress_all",
    ]
    assert egress["orders_security_groups_tasks_egress_all"]["cidr_ipv4"] == "0.0.0.0/0"


def test_a_worker_container_has_no_port_and_its_own_health_check(typed):
    (app,) = json.loads(named(typed, "aws_ecs_task_definition", "orders_task")["container_definitions"])
    assert app["portMappings"] == []
    assert app["healthCheck"] == {
        "command": ["CMD-SHELL", "pgrep -f worker || exit 1"],
        "interval": 30,
        "timeout": 5,
        "retries": 3,
        "startPeriod": 60,
    }
    (report,) = json.loads(named(typed, "aws_ecs_task_definition", "report_task")["container_definitions"])
    assert "healthCheck" not in report


def test_a_worker_scales_on_its_queue_backlog_per_task(typed):
    policy = named(typed, "aws_appautoscaling_policy", "orders_autoscaling_queue_backlog")
    assert policy["name"] == "${aws_ecs_service.orders_service.name}-queue-backlog"
    assert policy["resource_id"] == "${aws_appautoscaling_target.orders_autoscaling.resource_id}"
    assert policy["target_tracking_scaling_policy_configuration"] == {
        "target_value": 50,
        "scale_in_cooldown": 300,
        "scale_out_cooldown": 60,
        "customized_metric_specification": {
            "metrics": [
                {
                    "id": "visible",
                    "return_data": False,
                    "metric_stat": {
                        "stat": "Sum",
                        "metric": {
                            "namespace": "AWS/SQS",
                            "metric_name": "ApproximateNumberOfMessagesVisible",
                            "dimensions": [{"name": "QueueName", "value": "acme-dev-orders"}],
                        },
                    },
                },
                {
                    "id": "tasks",
                    "return_data": False,
                    "metric_stat": {
                        "stat": "Average",
                        "metric": {
                            "namespace": "ECS/ContainerInsights",
                            "metric_name": "RunningTaskCount",
                            "dimensions": [
                                {
                                    "name": "ClusterName",
                                    "value": "${aws_ecs_cluster.cluster.name}",
                                },
                                {
                                    "name": "ServiceName",
                                    "value": "${aws_ecs_service.orders_service.name}",
                                },
                            ],
                        },
                    },
                },
                {
                    "id": "backlog_per_task",
                    "expression": "visible / tasks",
                    "label": "Messages per task",
                    "return_data": True,
                },
            ]
        },
    }
    target = named(typed, "aws_appautoscaling_target", "orders_autoscaling")
    assert (target["min_capacity"], target["max_capacity"]) == (1, 20)


def test_the_task_role_gets_nothing_on_the_queue_unless_asked(typed, staging):
    assert "orders_task_role_queue" not in typed["resource"]["aws_iam_role_policy"]
    policy = named(staging["worker"], "aws_iam_role_policy", "task_role_queue")
    assert policy["role"] == "${aws_iam_role.task_role.id}"
    assert json.loads(policy["policy"])["Statement"] == [
        {
            "Sid": "Queue",
            "Effect": "Allow",
            "Action": [
                "sqs:ChangeMessageVisibility",
                "sqs:DeleteMessage",
                "sqs:GetQueueAttributes",
                "sqs:ReceiveMessage",
            ],
            "Resource": ["arn:aws:sqs:eu-west-1:333333333333:acme-staging-orders"],
        }
    ]


def test_a_scheduled_task_runs_on_its_schedule_in_the_cluster(typed):
    assert list(typed["resource"]["aws_ecs_service"]) == ["orders_service"]  # the scheduled task runs no service
    schedule = named(typed, "aws_scheduler_schedule", "report_schedule")
    assert schedule == {
        "name": "acme-dev-report",
        "group_name": "default",
        "schedule_expression": "rate(6 hours)",
        "schedule_expression_timezone": "UTC",
        "state": "DISABLED",
        "flexible_time_window": {"mode": "FLEXIBLE", "maximum_window_in_minutes": 30},
        "target": {
            "arn": "arn:aws:ecs:eu-west-1:111111111111:cluster/acme-dev-jobs",
            "role_arn": "${aws_iam_role.report_scheduler_role.arn}",
            "dead_letter_config": {"arn": DLQ},
            "retry_policy": {
                "maximum_retry_attempts": 185,
                "maximum_event_age_in_seconds": 86400,
            },
            "ecs_parameters": {
                "task_definition_arn": "${aws_ecs_task_definition.report_task.arn}",
                "task_count": 1,
                "network_configuration": {
                    "subnets": SUBNETS,
                    "security_groups": ["${aws_security_group.report_security_groups_tasks.id}"],
                    "assign_public_ip": False,
                },
                "capacity_provider_strategy": [
                    {"capacity_provider": "FARGATE_SPOT", "weight": 2},
                    {"capacity_provider": "FARGATE", "weight": 1},
                ],
                "enable_ecs_managed_tags": True,
                "propagate_tags": "TASK_DEFINITION",
            },
        },
    }


def test_the_scheduler_role_is_trusted_by_the_scheduler_of_this_account_only(typed):
    role = named(typed, "aws_iam_role", "report_scheduler_role")
    assert role["name"] == "acme-dev-report-scheduler"
    assert json.loads(role["assume_role_policy"]) == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "scheduler.amazonaws.com"},
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}},
            }
        ],
    }


def test_the_scheduler_role_may_run_this_family_in_this_cluster_and_pass_exactly_its_two_roles(
    typed,
):
    policy = named(typed, "aws_iam_role_policy", "report_scheduler_role_policy")
    assert policy["role"] == "${aws_iam_role.report_scheduler_role.id}"
    assert json.loads(policy["policy"])["Statement"] == [
        {
            "Sid": "RunTask",
            "Effect": "Allow",
            "Action": ["ecs:RunTask"],
            "Resource": ["arn:aws:ecs:eu-west-1:111111111111:task-definition/acme-dev-report:*"],
            "Condition": {"ArnEquals": {"ecs:cluster": "arn:aws:ecs:eu-west-1:111111111111:cluster/acme-dev-jobs"}},
        },
        {
            "Sid": "PassTaskRoles",
            "Effect": "Allow",
            "Action": ["iam:PassRole"],
            "Resource": [EXECUTION_ROLE, "${aws_iam_role.report_task_role.arn}"],
            "Condition": {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}},
        },
        {
            "Sid": "TagTasks",
            "Effect": "Allow",
            "Action": ["ecs:TagResource"],
            "Resource": ["arn:aws:ecs:eu-west-1:111111111111:task/acme-dev-jobs/*"],
            "Condition": {"StringEquals": {"ecs:CreateAction": "RunTask"}},
        },
        {
            "Sid": "DeadLetters",
            "Effect": "Allow",
            "Action": ["sqs:SendMessage"],
            "Resource": [DLQ],
        },
    ]
    # The existing execution role is used, not created: only the task role and the scheduler role are.
    assert sorted(typed["resource"]["aws_iam_role"]) == [
        "orders_execution_role",
        "orders_task_role",
        "report_scheduler_role",
        "report_task_role",
    ]


def test_a_schedule_of_an_env_with_a_customer_key_is_encrypted_with_it(staging):
    key = "arn:aws:kms:eu-west-1:333333333333:key/5e4d3c2b-1a09-8f7e-6d5c-4b3a29180f7e"
    assert only(staging["task"], "aws_scheduler_schedule")["kms_key_arn"] == key
    statements = json.loads(named(staging["task"], "aws_iam_role_policy", "scheduler_role_policy")["policy"])[
        "Statement"
    ]
    assert statements[-1] == {"Sid": "DecryptSchedule", "Effect": "Allow", "Action": ["kms:Decrypt"], "Resource": [key]}


def test_env_file_stacks_run_in_the_environments_cluster_by_name(staging):
    worker, task = staging["worker"], staging["task"]
    cluster = "arn:aws:ecs:eu-west-1:333333333333:cluster/acme-staging-app-cluster"
    assert only(worker, "aws_ecs_service")["cluster"] == cluster
    assert only(task, "aws_scheduler_schedule")["target"]["arn"] == cluster
    assert "aws_ecs_cluster" not in worker["resource"] and "aws_ecs_cluster" not in task["resource"]
    assert worker["terraform"]["backend"]["s3"]["key"] == "ecs/staging/orders-worker/terraform.tfstate"
    assert task["terraform"]["backend"]["s3"]["key"] == "ecs/staging/nightly-report/terraform.tfstate"
    assert sorted(worker["output"]) == [
        "execution_role_arn",
        "security_group_ids",
        "service_arn",
        "task_definition_arn",
        "task_role_arn",
    ]
    assert sorted(task["output"]) == [
        "execution_role_arn",
        "schedule_arn",
        "security_group_ids",
        "task_definition_arn",
        "task_role_arn",
    ]


def test_a_worker_needs_a_cluster_and_props_errors_name_the_construct():
    from cdktf import TerraformStack, Testing

    stack = TerraformStack(Testing.app(), "bad")
    with pytest.raises(PropsError) as caught:
        WorkerService(
            stack,
            "orders",
            props=WorkerServiceProps(
                **PLACEMENT,
                service_name="orders",
                image="acme/orders:1",
                parameters={},
                application_port=8080,
            ),
        )
    assert caught.value.problems == [
        "bad/orders: cluster: missing: this key is required",
        (
            "bad/orders: application_port: a worker has no load balancer, DNS name or certificate: application_port is "
            "a service key; remove it"
        ),
    ]


def test_a_worker_and_a_scheduled_task_are_named_by_one_rule():
    """Both are headless workloads: their resource names come from the same code, so a worker and a task of the same
    service_name get the same family, roles, security group and log group."""
    from constructs_lib.patterns.workload_props import HeadlessWorkloadProps

    assert WorkerServiceProps.names is ScheduledTaskProps.names is HeadlessWorkloadProps.names
    common = {**PLACEMENT, "cluster": LEGACY, "service_name": "report", "image": "acme/report:1.0", "parameters": {}}
    worker = WorkerServiceProps(**common).names
    task = ScheduledTaskProps(**common, schedule="rate(6 hours)").names
    assert worker == task
    assert (worker.service, worker.execution_role, worker.task_role, worker.log_group) == (
        "acme-dev-report",
        "acme-dev-report-execution",
        "acme-dev-report-task",
        "/ecs/acme-dev-report",
    )
