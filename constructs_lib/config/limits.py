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
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
)

ALB_NAME_MAX = 32
TARGET_GROUP_NAME_MAX = 32
ECS_NAME_MAX = 255
IAM_ROLE_NAME_MAX = 64
SECURITY_GROUP_NAME_MAX = 255
LOG_GROUP_NAME_MAX = 512
MAX_ENVIRONMENT_FILES = 10

ACCOUNT_ID_PATTERN = r"^\d{12}$"
REGION_PATTERN = r"^(us|eu|ap|sa|ca|me|af|il|mx)(-gov|-iso[a-z]*)?-(north|south|east|west|central|northeast|northwest|southeast|southwest)-\d$"
NAME_PART_PATTERN = r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$"
ECS_NAME_PATTERN = r"^[A-Za-z0-9_-]+$"
ALB_NAME_PATTERN = r"^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$"
IMAGE_TAG_PATTERN = r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$"


def matches(pattern: str, value: str) -> bool:
    return re.fullmatch(pattern, value) is not None
