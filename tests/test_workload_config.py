"""Workers and scheduled tasks in env files: every rule with the exact message a user reads.

Config layer only (no cdktf). Each test adds workers or scheduled tasks to a copy of envs/dev.json and asserts the
complete list of problems; the CLI tests run `validate` and `synth` as a user does.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, read_env

from constructs_lib.config import ConfigError, validate_env_data
from constructs_lib.props.schedule import ALLOWED

SOURCE = "envs/x.json"
QUEUE = "arn:aws:sqs:eu-west-1:111111111111:acme-dev-orders"


def problems_of(data: dict[str, Any]) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        validate_env_data(data, SOURCE)
    return caught.value.problems


def worker(**keys: Any) -> dict[str, Any]:
    return {
        "service_name": "orders-worker",
        "cluster_name": "app-cluster",
        "container_repo": "acme/worker:1.0",
        "parameters": {},
        **keys,
    }


def task(**keys: Any) -> dict[str, Any]:
    return {
        "service_name": "nightly",
        "cluster_name": "app-cluster",
        "container_repo": "acme/report:1.0",
        "parameters": {},
        "schedule": "cron(0 3 * * ? *)",
        **keys,
    }


def env(workers: list[dict[str, Any]] = (), tasks: list[dict[str, Any]] = ()) -> dict[str, Any]:  # type: ignore[assignment]
    data = read_env("dev")
    data["workers"], data["scheduled_tasks"] = list(workers), list(tasks)
    return data


def test_a_worker_and_a_scheduled_task_load_with_their_defaults() -> None:
    loaded = validate_env_data(env([worker()], [task()]), SOURCE)
    (w,), (t,) = loaded.workers, loaded.scheduled_tasks
    assert (w.desired_count, w.autoscaling, w.health_check_command, w.uses_ecr) == (
        1,
        None,
        None,
        False,
    )
    assert (
        t.timezone,
        t.flexible_window_minutes,
        t.enabled,
        t.dead_letter_queue_arn,
    ) == ("UTC", None, True, None)
    assert (t.retry.maximum_retry_attempts, t.retry.maximum_event_age_seconds) == (
        185,
        86400,
    )
    assert [x.service_name for x in loaded.workloads] == [
        "app-service",
        "docs",
        "orders-worker",
        "nightly",
    ]


def test_a_service_and_a_worker_with_the_same_name() -> None:
    assert problems_of(env([worker(service_name="app-service")], [task(service_name="orders-worker")])) == [
        (
            "envs/x.json: workers[0].service_name: 'app-service' is already used by services[0]; services, workers and "
            "scheduled tasks each need their own name"
        ),
    ]
    assert problems_of(env([worker()], [task(service_name="orders-worker")])) == [
        (
            "envs/x.json: scheduled_tasks[0].service_name: 'orders-worker' is already used by workers[0]; services, "
            "workers and scheduled tasks each need their own name"
        ),
    ]


def test_environment_is_the_environment_stacks_name() -> None:
    assert problems_of(env([worker(service_name="environment")])) == [
        "envs/x.json: workers[0].service_name: 'environment' names the environment stack (dev-environment); choose "
        "another service_name",
    ]


@pytest.mark.parametrize(
    "key, value",
    [
        ("alb_name", "orders"),
        ("alb_domain_prefix", "orders"),
        ("ssl_certificate_id", "0f1e2d3c"),
        ("route53", {"hosted_zone_id": "Z1", "domain_name": "example.com"}),
        ("admin_port", 8081),
        ("health_check_path", "/health"),
        ("listener_rules", []),
        ("application_port", 8080),
    ],
)
def test_a_worker_with_load_balancer_keys(key: str, value: Any) -> None:
    assert problems_of(env([worker(**{key: value})])) == [
        (
            f"envs/x.json: workers[0].{key}: a worker has no load balancer, DNS name or certificate: {key} is a service "
            "key; remove it"
        ),
    ]


@pytest.mark.parametrize(
    "key, value",
    [("desired_count", 2), ("autoscaling", {"min_capacity": 1, "max_capacity": 2})],
)
def test_a_scheduled_task_runs_no_service(key: str, value: Any) -> None:
    assert problems_of(env(tasks=[task(**{key: value})])) == [
        (
            f"envs/x.json: scheduled_tasks[0].{key}: a scheduled task has no load balancer, DNS name, certificate or "
            f"long-running service: {key} is a service key; remove it"
        ),
    ]


def test_a_typo_in_a_worker_key_is_still_a_typo() -> None:
    assert problems_of(env([worker(desired_cout=2)])) == [
        "envs/x.json: workers[0].desired_cout: unknown key (did you mean 'desired_count'?)"
    ]


@pytest.mark.parametrize(
    "schedule, reason",
    [
        ("cron(0 3 * * *)", "cron() takes 6 fields separated by single spaces, not 5"),
        ("cron(0 3 * * * *)", "exactly one of day-of-month and day-of-week must be ?"),
        ("rate(1 minutes)", "write 1 minute"),
        ("at(2027-13-01T00:00:00)", "at() takes a date and time yyyy-mm-ddThh:mm:ss"),
        ("every day", "unknown form"),
    ],
)
def test_a_schedule_that_does_not_parse(schedule: str, reason: str) -> None:
    assert problems_of(env(tasks=[task(schedule=schedule)])) == [
        (
            f"envs/x.json: scheduled_tasks[0].schedule: {json.dumps(schedule)} is not an EventBridge Scheduler schedule "
            f"({reason}); allowed: {ALLOWED}"
        ),
    ]


@pytest.mark.parametrize(
    "schedule",
    ["rate(5 minutes)", "cron(0 8 ? * MON-FRI *)", "at(2027-01-01T00:00:00)"],
)
def test_schedules_eventbridge_accepts(schedule: str) -> None:
    assert validate_env_data(env(tasks=[task(schedule=schedule)]), SOURCE).scheduled_tasks[0].schedule == schedule


def test_a_timezone_that_does_not_exist() -> None:
    assert problems_of(env(tasks=[task(timezone="Europe/Atlantis")])) == [
        (
            'envs/x.json: scheduled_tasks[0].timezone: "Europe/Atlantis" is not an IANA time zone; allowed: a name such '
            "as UTC or Europe/Berlin"
        ),
    ]


def test_retry_flexible_window_and_dead_letter_limits() -> None:
    bad = task(
        retry={"maximum_retry_attempts": 186, "maximum_event_age_seconds": 59},
        flexible_window_minutes=0,
        dead_letter_queue_arn="arn:aws:sns:eu-west-1:111111111111:dlq",
    )
    assert problems_of(env(tasks=[bad])) == [
        "envs/x.json: scheduled_tasks[0].flexible_window_minutes: 0 is not a flexible time window in minutes; allowed: 1-1440",
        "envs/x.json: scheduled_tasks[0].retry.maximum_retry_attempts: 186 is not a number of retry attempts; allowed: 0-185",
        (
            "envs/x.json: scheduled_tasks[0].retry.maximum_event_age_seconds: 59 is not a maximum event age in seconds; "
            "allowed: 60-86400"
        ),
        (
            'envs/x.json: scheduled_tasks[0].dead_letter_queue_arn: "arn:aws:sns:eu-west-1:111111111111:dlq" is not an '
            "SQS queue ARN; allowed: arn:aws:sqs:<region>:<account>:<queue name>"
        ),
    ]


def test_queue_backlog_scaling_needs_a_running_task_and_a_queue_arn() -> None:
    scaling = {
        "min_capacity": 0,
        "max_capacity": 4,
        "queue_backlog": {"queue_arn": QUEUE, "messages_per_task": 10},
    }
    assert problems_of(env([worker(autoscaling=scaling)])) == [
        (
            "envs/x.json: workers[0].autoscaling.min_capacity: 0 with queue_backlog: the backlog per task is undefined "
            "without a running task; allowed: 1 or more"
        ),
    ]
    scaling = {
        "min_capacity": 1,
        "max_capacity": 4,
        "queue_backlog": {"queue_arn": "orders", "messages_per_task": 0},
    }
    assert problems_of(env([worker(autoscaling=scaling)])) == [
        (
            'envs/x.json: workers[0].autoscaling.queue_backlog.queue_arn: "orders" is not an SQS queue ARN; allowed: '
            "arn:aws:sqs:<region>:<account>:<queue name>"
        ),
        "envs/x.json: workers[0].autoscaling.queue_backlog.messages_per_task: 0: input should be greater than or equal to 1",
    ]


def test_a_worker_scales_on_cpu_memory_or_its_queue_not_on_requests() -> None:
    assert problems_of(env([worker(autoscaling={"min_capacity": 1, "max_capacity": 4})])) == [
        (
            "envs/x.json: workers[0].autoscaling.cpu_target_percent: no scaling policy: set cpu_target_percent, "
            "memory_target_percent, queue_backlog, schedules, step_scaling or metric_tracking"
        ),
    ]
    assert problems_of(
        env(
            [
                worker(
                    autoscaling={
                        "min_capacity": 1,
                        "max_capacity": 4,
                        "requests_per_target": 9,
                    }
                )
            ]
        )
    ) == [
        (
            "envs/x.json: workers[0].autoscaling.requests_per_target: unknown key; allowed keys: min_capacity, "
            "max_capacity, cpu_target_percent, memory_target_percent, scale_in_cooldown_seconds, "
            "scale_out_cooldown_seconds, schedules, step_scaling, metric_tracking, queue_backlog"
        ),
        (
            "envs/x.json: workers[0].autoscaling.cpu_target_percent: no scaling policy: set cpu_target_percent, "
            "memory_target_percent, queue_backlog, schedules, step_scaling or metric_tracking"
        ),
    ]


def test_worker_alarms_and_capacity_without_a_load_balancer() -> None:
    bad = worker(
        alarms={"cpu_high_percent": 80, "target_5xx_count": 5},
        capacity_provider_strategy=[{"capacity_provider": "EC2"}],
        desired_count=5,
        autoscaling={"min_capacity": 1, "max_capacity": 2, "cpu_target_percent": 50},
    )
    assert problems_of(env([bad])) == [
        "envs/x.json: workers[0].desired_count: 5 is outside autoscaling 1-2; allowed: 1-2",
        (
            "envs/x.json: workers[0].capacity_provider_strategy: EC2 capacity belongs to a web service's own cluster; "
            "workers and scheduled tasks run in the environment's cluster on FARGATE or FARGATE_SPOT"
        ),
        (
            "envs/x.json: workers[0].alarms.target_5xx_count: a worker has no load balancer to measure; allowed: "
            "cpu_high_percent, memory_high_percent"
        ),
    ]


def test_a_worker_shares_the_task_rules_of_a_service() -> None:
    bad = worker(
        cpu=256,
        memory_limit_mib=4096,
        ecr_repo_base_name="worker",
        ecr_repo_source_env="nowhere",
    )
    assert problems_of(env([bad])) == [
        "envs/x.json: workers[0].memory_limit_mib: 4096 is not valid with cpu 256; allowed: 512, 1024, 2048",
        "envs/x.json: workers[0].ecr_repo_base_name: both are set; set exactly one of ecr_repo_base_name and container_repo",
        (
            "envs/x.json: workers[0].ecr_repo_source_env: 'nowhere' is not a key of accounts; allowed: 'devops', 'dev', "
            "'prod'"
        ),
    ]


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "constructs_lib", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )


def test_validate_reports_every_problem_with_exit_2_and_synth_writes_nothing(
    tmp_path: Path,
) -> None:
    data = env(
        [worker(service_name="app-service", alb_name="x")],
        [task(schedule="cron(1)", timezone="Mars/Base")],
    )
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    done = run_cli("validate", str(path))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert (
        f"{path}: workers[0].alb_name: a worker has no load balancer, DNS name or certificate: alb_name is a "
        "service key; remove it" in lines
    )
    assert (
        f'{path}: scheduled_tasks[0].timezone: "Mars/Base" is not an IANA time zone; allowed: a name such as '
        "UTC or Europe/Berlin" in lines
    )
    assert any(line.startswith(f"{path}: scheduled_tasks[0].schedule: ") for line in lines)
    assert any(line.startswith(f"{path}: workers[0].service_name: 'app-service' is already used") for line in lines)
    done = run_cli("synth", str(path), "--outdir", str(tmp_path / "out"))
    assert done.returncode == 2 and not (tmp_path / "out").exists()


def test_list_prints_a_stack_per_workload_with_its_state_key() -> None:
    done = run_cli("list", "envs/staging.json")
    assert done.returncode == 0
    assert done.stdout.splitlines()[-2:] == [
        "staging-orders-worker\ts3://acme-staging-terraform-state/ecs/staging/orders-worker/terraform.tfstate",
        "staging-nightly-report\ts3://acme-staging-terraform-state/ecs/staging/nightly-report/terraform.tfstate",
    ]
    assert (
        run_cli("validate", "envs/staging.json").stdout
        == "envs/staging.json: valid (3 services, 1 worker, 1 scheduled task)\n"
    )


def test_two_files_of_one_environment_cannot_both_deploy_a_worker(tmp_path: Path) -> None:
    from constructs_lib.config import load_env_files

    first, second = env([worker()]), env([worker()])
    other = {"service_name": "other", "alb_name": "other", "alb_domain_prefix": "other", "cluster_name": "other"}
    second["services"] = [dict(first["services"][1], **other)]
    paths = [tmp_path / "a.json", tmp_path / "b.json"]
    for path, data in zip(paths, (first, second), strict=True):
        path.write_text(json.dumps(data))
    with pytest.raises(ConfigError) as caught:
        load_env_files(paths)
    assert caught.value.problems == [
        f"{paths[1]}: environment: stack 'dev-environment', state key 'ecs/dev/environment/terraform.tfstate' are "
        f"already used by {paths[0]} environment; each env file of one run needs an environment of its own",
        f"{paths[1]}: workers[0].service_name: stack 'dev-orders-worker', state key "
        "'ecs/dev/orders-worker/terraform.tfstate', IAM role 'acme-dev-orders-worker-execution', IAM role "
        "'acme-dev-orders-worker-task', log group '/ecs/acme-dev-orders-worker', security group "
        f"'acme-dev-orders-worker-tasks' are already used by {paths[0]} workers[0]; each workload needs its own",
    ]
