"""`cost` and `diagram` for workers and scheduled tasks: a worker's tasks priced without an ALB, a scheduled
task's runs counted from its schedule (or estimated, said so), and a schedule drawn with what it runs."""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import read_env
from test_cost import TEST_TABLE, assert_items

from constructs_lib.config import validate_env_data
from constructs_lib.tools.cost_estimate import Assumptions, estimate, load_prices
from constructs_lib.tools.cost_schedule import runs_per_month


@pytest.mark.parametrize(
    "expression, runs",
    [
        ("rate(5 minutes)", 730 * 12),
        ("rate(1 hour)", 730),
        ("rate(2 days)", 730 / 48),
        ("cron(0 3 * * ? *)", 730 / 24),
        ("cron(*/15 * * * ? *)", 730 / 24 * 96),
        ("cron(0 8 ? * MON-FRI *)", 730 / 24 * 5 / 7),
        ("cron(0 9,17 ? * MON,WED *)", 730 / 24 * 2 * 2 / 7),
        ("cron(0 0 1,15 * ? *)", 2),
        ("cron(0 0 1 1,7 ? *)", 2 / 12),
        ("at(2027-01-01T00:00:00)", 1),
        ("cron(0 0 L * ? *)", None),
        ("cron(0 0 ? * 2#1 *)", None),
    ],
)
def test_runs_per_month(expression: str, runs: float | None) -> None:
    assert runs_per_month(expression, 730) == (None if runs is None else pytest.approx(runs))


def workloads_env(schedule: str) -> Any:
    data = read_env("dev")
    data["services"] = [data["services"][1]]
    data["workers"] = [
        {
            "service_name": "worker",
            "cluster_name": "jobs",
            "container_repo": "busybox:1",
            "parameters": {},
            "desired_count": 3,
            "capacity_provider_strategy": [{"capacity_provider": "FARGATE"}],
        }
    ]
    data["scheduled_tasks"] = [
        {
            "service_name": "report",
            "cluster_name": "jobs",
            "container_repo": "busybox:1",
            "parameters": {},
            "schedule": schedule,
            "cpu": 1024,
            "memory_limit_mib": 2048,
            "capacity_provider_strategy": [{"capacity_provider": "FARGATE"}],
        }
    ]
    return validate_env_data(data, "test.json")


def test_a_worker_pays_its_tasks_and_logs_but_no_alb() -> None:
    env = workloads_env("rate(1 day)")
    _, worker, _ = estimate(env, Assumptions(), load_prices("eu-west-1", TEST_TABLE))
    assert worker.stack == "dev-worker" and worker.notes == []
    assert_items(
        worker,
        {
            "Fargate on-demand vCPU": (3 * 0.25 * 730, 3 * 0.25 * 730 * 0.04),
            "Fargate on-demand memory": (3 * 0.5 * 730, 3 * 0.5 * 730 * 0.004),
            "CloudWatch Logs ingestion": (6, 3.0),
        },
    )


def test_a_scheduled_task_pays_its_runs_counted_from_the_schedule() -> None:
    env = workloads_env("cron(0 3 * * ? *)")
    assumptions = Assumptions(run_minutes=30)
    *_, task = estimate(env, assumptions, load_prices("eu-west-1", TEST_TABLE))
    hours = 730 / 24 * 0.5
    assert_items(
        task,
        {
            "Fargate on-demand vCPU": (hours, hours * 0.04),
            "Fargate on-demand memory": (hours * 2, hours * 2 * 0.004),
            "CloudWatch Logs ingestion": (2 * hours / 730, 2 * hours / 730 * 0.5),
        },
    )
    assert task.notes == ["30.42 runs a month (counted from the schedule) of 30 minutes each"]


def test_a_schedule_beyond_counting_is_an_estimate_and_says_so() -> None:
    env = workloads_env("cron(0 0 L * ? *)")
    *_, task = estimate(env, Assumptions(), load_prices("eu-west-1", TEST_TABLE))
    assert task.notes == [
        "30.42 runs a month (an estimate: the schedule is beyond counting, one a day assumed) of 10 minutes each"
    ]


@pytest.fixture(scope="module")
def staging_task() -> dict[str, Any]:
    from cdktf import Testing

    from constructs_lib.stacks.workload_stacks import ScheduledTaskStack

    env = validate_env_data(read_env("staging"), "envs/staging.json")
    stack = ScheduledTaskStack(Testing.app(), "staging-nightly-report", env=env, task=env.scheduled_tasks[0])
    return json.loads(Testing.synth(stack))


def test_a_schedule_is_drawn_with_its_expression_and_what_it_runs(staging_task: dict[str, Any]) -> None:
    from constructs_lib.tools.diagram_build import build
    from constructs_lib.tools.diagram_render import to_mermaid

    diagram = build(staging_task)
    [schedule] = [node for node in diagram.nodes if node.id == "schedule"]
    text = to_mermaid(diagram)
    assert (
        "<b>EventBridge schedule acme-staging-nightly-report</b><br/>cron(0 3 * * ? *) Europe/Berlin<br/>runs 1 task, "
        "FARGATE_SPOT 2 : FARGATE 1<br/>retries 3<br/>dead letters to acme-staging-report-failures"
    ) in text
    assert schedule.kind == "compute"
    edges = [line.strip() for line in text.splitlines() if line.strip().startswith("schedule ")]
    assert edges == [
        'schedule -.->|"tasks in"| security_groups_tasks',
        'schedule -->|"runs"| task',
        'schedule -.->|"as role"| scheduler_role',
    ]
