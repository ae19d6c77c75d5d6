"""What the e2e's worker and scheduled task need and are: the SQS queue the worker scales on and the scheduled
task's dead-letter queue, and the `workers` / `scheduled_tasks` entries of the env file. The cluster they run in
(`JOBS_CLUSTER`) is the environment stack's, applied before them."""

from __future__ import annotations

from typing import Any

from .seed import ACCOUNT_ID, ENVIRONMENT, ORGANIZATION, REGION, client

JOBS_CLUSTER = "jobs-cluster"
CLUSTER_NAME = f"{ORGANIZATION}-{ENVIRONMENT}-{JOBS_CLUSTER}"
CLUSTER_ARN = f"arn:aws:ecs:{REGION}:{ACCOUNT_ID}:cluster/{CLUSTER_NAME}"
QUEUE = f"{ORGANIZATION}-{ENVIRONMENT}-orders"
DEAD_LETTERS = f"{ORGANIZATION}-{ENVIRONMENT}-failed-runs"
QUEUE_ARN = f"arn:aws:sqs:{REGION}:{ACCOUNT_ID}:{QUEUE}"
DEAD_LETTERS_ARN = f"arn:aws:sqs:{REGION}:{ACCOUNT_ID}:{DEAD_LETTERS}"
SCHEDULE = "cron(30 2 ? * MON-FRI *)"
TIMEZONE = "Europe/Berlin"


def seed_workloads(endpoint: str, ca_file: str) -> None:
    """The two queues."""
    sqs = client("sqs", endpoint, ca_file)
    for name in (QUEUE, DEAD_LETTERS):
        sqs.create_queue(QueueName=name)


def workloads() -> dict[str, list[dict[str, Any]]]:
    """One worker scaled on its queue (with the consume grant) and one scheduled task with retries, a flexible
    window and a dead-letter queue."""
    return {
        "workers": [{
            "service_name": "orders-worker", "cluster_name": JOBS_CLUSTER, "container_repo": "busybox:1.36",
            "health_check_command": "pgrep -f worker || exit 1", "parameters": {"environment": {"QUEUE": QUEUE}},
            "autoscaling": {"min_capacity": 1, "max_capacity": 4, "cpu_target_percent": 70, "queue_backlog": {
                "queue_arn": QUEUE_ARN, "messages_per_task": 20, "grant_consume": True}},
        }],
        "scheduled_tasks": [{
            "service_name": "nightly-report", "cluster_name": JOBS_CLUSTER, "container_repo": "busybox:1.36",
            "parameters": {"environment": {"REPORT": "daily"}}, "schedule": SCHEDULE, "timezone": TIMEZONE,
            "flexible_window_minutes": 10, "retry": {"maximum_retry_attempts": 2, "maximum_event_age_seconds": 600},
            "dead_letter_queue_arn": DEAD_LETTERS_ARN,
        }],
    }
