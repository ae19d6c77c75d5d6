"""The worker and the scheduled task of the e2e deployment, as moto holds them after `apply` (runs before
test_terraform_e2e.py, whose last steps destroy the deployment): the worker's ECS service in the environment's
cluster with no load balancer, its queue scaling and its consume grant; the schedule, its target and its role."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
import tf

from . import seed
from . import seed_workloads as jobs
from .harness import REPORT, Deployment

pytestmark = pytest.mark.e2e

if (MISSING := tf.missing_reason()) is not None:
    REPORT["skipped"] = MISSING
    pytest.skip(f"e2e did not run: {MISSING}", allow_module_level=True)

WORKER, NIGHTLY = "e2e-orders-worker", "e2e-nightly-report"
AWS = Callable[[str], Any]


def test_the_worker_runs_in_the_environments_cluster_with_no_load_balancer(aws: AWS, deployment: Deployment) -> None:
    out = deployment.outputs[WORKER]
    [service] = aws("ecs").describe_services(cluster=jobs.CLUSTER_ARN, services=[out["service_arn"]])["services"]
    assert (service["serviceName"], service["clusterArn"], service["desiredCount"]) == (
        "acme-e2e-orders-worker", jobs.CLUSTER_ARN, 1)
    assert service.get("loadBalancers", []) == []
    network = service["networkConfiguration"]["awsvpcConfiguration"]
    assert (sorted(network["subnets"]), network["securityGroups"], network["assignPublicIp"]) == (
        sorted(deployment.seeded.private_subnet_ids), out["security_group_ids"], "DISABLED")
    [group] = aws("ec2").describe_security_groups(GroupIds=out["security_group_ids"])["SecurityGroups"]
    assert group["IpPermissions"] == []  # nothing reaches a worker
    [container] = aws("ecs").describe_task_definition(taskDefinition=out["task_definition_arn"])[
        "taskDefinition"]["containerDefinitions"]
    assert container["healthCheck"]["command"] == ["CMD-SHELL", "pgrep -f worker || exit 1"]
    assert container.get("portMappings", []) == []


def test_the_worker_scales_on_its_queue_backlog_per_task(aws: AWS) -> None:
    policies = aws("application-autoscaling").describe_scaling_policies(ServiceNamespace="ecs")["ScalingPolicies"]
    [backlog] = [p for p in policies if p["PolicyName"] == "acme-e2e-orders-worker-queue-backlog"]
    assert backlog["ResourceId"] == f"service/{jobs.CLUSTER_NAME}/acme-e2e-orders-worker"
    configuration = backlog["TargetTrackingScalingPolicyConfiguration"]
    assert configuration["TargetValue"] == 20
    metrics = {m["Id"]: m for m in configuration["CustomizedMetricSpecification"]["Metrics"]}
    assert metrics["backlog_per_task"]["Expression"] == "visible / tasks"
    assert metrics["visible"]["MetricStat"]["Metric"]["Dimensions"] == [{"Name": "QueueName", "Value": jobs.QUEUE}]


def test_the_worker_may_consume_exactly_its_queue(aws: AWS) -> None:
    iam = aws("iam")
    policy = iam.get_role_policy(RoleName="acme-e2e-orders-worker-task", PolicyName="acme-e2e-orders-worker-task-queue")
    document = policy["PolicyDocument"]
    document = json.loads(document) if isinstance(document, str) else document
    assert document["Statement"] == [{
        "Sid": "Queue", "Effect": "Allow", "Resource": [jobs.QUEUE_ARN],
        "Action": ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"],
    }]


def test_the_schedule_runs_the_task_in_the_environments_cluster(aws: AWS, deployment: Deployment) -> None:
    out = deployment.outputs[NIGHTLY]
    schedule = aws("scheduler").get_schedule(Name="acme-e2e-nightly-report", GroupName="default")
    assert schedule["Arn"] == out["schedule_arn"]
    assert (schedule["ScheduleExpression"], schedule["ScheduleExpressionTimezone"], schedule["State"]) == (
        jobs.SCHEDULE, jobs.TIMEZONE, "ENABLED")
    assert schedule["FlexibleTimeWindow"] == {"Mode": "FLEXIBLE", "MaximumWindowInMinutes": 10}
    target = schedule["Target"]
    assert (target["Arn"], target["RoleArn"]) == (
        jobs.CLUSTER_ARN, f"arn:aws:iam::{seed.ACCOUNT_ID}:role/acme-e2e-nightly-report-scheduler")
    assert target["RetryPolicy"] == {"MaximumRetryAttempts": 2, "MaximumEventAgeInSeconds": 600}
    assert target["DeadLetterConfig"] == {"Arn": jobs.DEAD_LETTERS_ARN}
    ecs = target["EcsParameters"]
    assert (ecs["TaskDefinitionArn"], ecs["TaskCount"]) == (out["task_definition_arn"], 1)
    network = ecs["NetworkConfiguration"]["awsvpcConfiguration"]
    assert (sorted(network["Subnets"]), network["SecurityGroups"], network["AssignPublicIp"]) == (
        sorted(deployment.seeded.private_subnet_ids), out["security_group_ids"], "DISABLED")


def test_the_scheduler_role_is_scoped_to_the_family_the_cluster_and_the_two_task_roles(aws: AWS) -> None:
    iam = aws("iam")
    role = iam.get_role(RoleName="acme-e2e-nightly-report-scheduler")["Role"]
    trust = role["AssumeRolePolicyDocument"]
    trust = json.loads(trust) if isinstance(trust, str) else trust
    assert trust["Statement"][0]["Principal"] == {"Service": "scheduler.amazonaws.com"}
    assert trust["Statement"][0]["Condition"] == {"StringEquals": {"aws:SourceAccount": seed.ACCOUNT_ID}}
    policy = iam.get_role_policy(RoleName="acme-e2e-nightly-report-scheduler",
                                 PolicyName="acme-e2e-nightly-report-scheduler-policy")["PolicyDocument"]
    statements = {s["Sid"]: s for s in (json.loads(policy) if isinstance(policy, str) else policy)["Statement"]}
    family = f"arn:aws:ecs:{seed.REGION}:{seed.ACCOUNT_ID}:task-definition/acme-e2e-nightly-report:*"
    assert (statements["RunTask"]["Resource"], statements["RunTask"]["Condition"]) == (
        [family], {"ArnEquals": {"ecs:cluster": jobs.CLUSTER_ARN}})
    roles = [f"arn:aws:iam::{seed.ACCOUNT_ID}:role/acme-e2e-nightly-report-{kind}" for kind in ("execution", "task")]
    assert statements["PassTaskRoles"]["Resource"] == roles
    assert statements["DeadLetters"]["Resource"] == [jobs.DEAD_LETTERS_ARN]
