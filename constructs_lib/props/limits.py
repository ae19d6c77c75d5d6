"""AWS limits the config is checked against (botocore models and the AWS documentation)."""

from __future__ import annotations

import re

FARGATE_MEMORY_BY_CPU: dict[int, tuple[int, ...]] = {
    256: (512, 1024, 2048),
    512: tuple(range(1024, 4096 + 1, 1024)),
    1024: tuple(range(2048, 8192 + 1, 1024)),
    2048: tuple(range(4096, 16384 + 1, 1024)),
    4096: tuple(range(8192, 30720 + 1, 1024)),
    8192: tuple(range(16384, 61440 + 1, 4096)),
    16384: tuple(range(32768, 122880 + 1, 8192)),
}

LOG_RETENTION_DAYS = (
    1,
    3,
    5,
    7,
    14,
    30,
    60,
    90,
    120,
    150,
    180,
    365,
    400,
    545,
    731,
    1096,
    1827,
    2192,
    2557,
    2922,
    3288,
    3653,
)

ALB_NAME_MAX = 32
TARGET_GROUP_NAME_MAX = 32
ECS_NAME_MAX = 255
IAM_ROLE_NAME_MAX = 64
SECURITY_GROUP_NAME_MAX = 255
LOG_GROUP_NAME_MAX = 512
MAX_ENVIRONMENT_FILES = 10
SCHEDULE_NAME_MAX = 64  # EventBridge Scheduler

# The regions of the aws, aws-us-gov and aws-iso* partitions: botocore 1.44.8's endpoints.json, 2026-11-30 (China
# and the European Sovereign Cloud use other DNS suffixes than the image and ARN conventions here). A region that
# is not listed fails at `terraform plan`; add new regions here when AWS opens them.
AWS_REGIONS = (
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "us-gov-east-1",
    "us-gov-west-1",
    "us-iso-east-1",
    "us-iso-west-1",
    "us-isob-east-1",
    "us-isob-west-1",
    "eu-isoe-west-1",
    "us-isof-east-1",
    "us-isof-south-1",
)
ACCOUNT_ID_PATTERN = r"^\d{12}$"
REGION_PATTERN = "^(" + "|".join(AWS_REGIONS) + ")$"

# An env file is a few kilobytes; anything near this is a mistake (a log, a dump), refused before parsing.
MAX_ENV_FILE_BYTES = 1024 * 1024

# Log drivers a Fargate task may use (ECS LogConfiguration docs); the others need EC2 instances.
FARGATE_LOG_DRIVERS = ("awslogs", "splunk", "awsfirelens")

# Tags (AWS "Tagging best practices", IAM/ELB/ECS tag limits): 50 per resource, keys 1-128, values 0-256
# characters, no `aws:` prefix. The stacks add these tags to every resource (stack.py).
MAX_TAGS = 50
TAG_KEY_MAX = 128
TAG_VALUE_MAX = 256
LIBRARY_TAG_KEYS = ("organization", "environment", "service", "managed-by")

# ALB listener rule condition values (path patterns, host headers): 1-128 characters each.
LISTENER_CONDITION_VALUE_MAX = 128
# ECS: tasks per service; Application Auto Scaling capacities of a service stay within it.
MAX_TASKS_PER_SERVICE = 5000
NAME_PART_PATTERN = r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$"
ECS_NAME_PATTERN = r"^[A-Za-z0-9_-]+$"
ALB_NAME_PATTERN = r"^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$"
IMAGE_TAG_PATTERN = r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$"


def matches(pattern: str, value: str) -> bool:
    return re.fullmatch(pattern, value) is not None
