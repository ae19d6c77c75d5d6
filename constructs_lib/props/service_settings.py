"""Issue 14, "Service and deployment": the ECS service's own settings beside its deployment (Fargate platform
version, Availability Zone rebalancing, tags, public IP, extra security groups), with the rules AWS enforces only
at apply: platform versions per operating system and what needs 1.4.0, Fargate-only settings on EC2, ENI limits.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from .arns import SECURITY_GROUP_ID
from .base import Problems, problem, typed

# An awsvpc task's network interface takes at most 5 security groups (AwsVpcConfiguration.securityGroups).
MAX_TASK_SECURITY_GROUPS = 5
LINUX_PLATFORM_VERSIONS = ("LATEST", "1.4.0", "1.3.0")
WINDOWS_PLATFORM_VERSIONS = ("LATEST", "1.0.0")

PlatformVersion = Annotated[
    Literal["LATEST", "1.4.0", "1.3.0", "1.0.0"] | None,
    Field(
        default=None,
        description="Fargate platform version: LATEST, 1.4.0 or 1.3.0 on Linux, LATEST or 1.0.0 on "
        "Windows. default: LATEST",
    ),
]
AvailabilityZoneRebalancing = Annotated[
    Literal["ENABLED", "DISABLED"] | None,
    Field(
        default=None,
        description="ECS moves tasks to even out Availability Zones. default: ECS's (ENABLED on new services)",
    ),
]
PropagateTags = Annotated[
    Literal["SERVICE", "TASK_DEFINITION", "NONE"],
    Field(
        default="SERVICE",
        description="Tags the tasks get from the service, the task definition or neither. default: SERVICE",
    ),
]
EnableEcsManagedTags = Annotated[
    bool,
    Field(
        default=True,
        description="ECS tags tasks with their cluster and service names. default: true",
    ),
]
AssignPublicIp = Annotated[
    bool,
    Field(
        default=False,
        description="Tasks run in the public subnets with public IPs (no NAT needed); Fargate only. "
        "A policy rule (public_task_ip) errs in production. default: false, private subnets",
    ),
]
ExtraSecurityGroupIds = Annotated[
    list[SECURITY_GROUP_ID],
    Field(
        default_factory=list,
        max_length=MAX_TASK_SECURITY_GROUPS - 1,
        description="Existing security groups the tasks join besides their own (at most 4: 5 per task). default: none",
    ),
]


def service_settings_rules(data: dict[str, Any], on_ec2: bool) -> Problems:
    problems = []
    version = typed(data, "platform_version", str)
    linux = typed(data, "operating_system_family", str, "LINUX") == "LINUX"
    if version is not None and on_ec2:
        problems.append(
            problem(
                ("platform_version",),
                "applies to Fargate only; remove it with the EC2 capacity provider",
                version,
            )
        )
    elif version is not None and version not in (LINUX_PLATFORM_VERSIONS if linux else WINDOWS_PLATFORM_VERSIONS):
        allowed = ", ".join(LINUX_PLATFORM_VERSIONS if linux else WINDOWS_PLATFORM_VERSIONS)
        system = "Linux" if linux else "Windows"
        problems.append(
            problem(
                ("platform_version",),
                f"{version!r} is not a Fargate {system} platform version; allowed: {allowed}",
                version,
            )
        )
    elif version == "1.3.0":
        problems += [
            problem(
                ("platform_version",),
                f"'1.3.0' lacks {what}; allowed: LATEST or 1.4.0",
                version,
            )
            for what in _needs_1_4(data)
        ]
    if typed(data, "assign_public_ip", bool, False) and on_ec2:
        problems.append(
            problem(
                ("assign_public_ip",),
                "EC2 tasks (awsvpc) cannot get public IPs; remove it or run on Fargate",
            )
        )
    groups = [g for g in typed(data, "extra_security_group_ids", list) or [] if isinstance(g, str)]
    for index, group in enumerate(groups):
        if groups.index(group) != index:
            problems.append(
                problem(
                    ("extra_security_group_ids", index),
                    f"{group!r} is listed twice",
                    group,
                )
            )
    return problems


def _needs_1_4(data: dict[str, Any]) -> list[str]:
    """What Fargate offers from platform version 1.4.0 on."""
    needs = []
    if (typed(data, "efs_config", dict) or {}).get("volumes"):
        needs.append("EFS volumes (efs_config)")
    if data.get("ephemeral_storage_gib") is not None:
        needs.append("ephemeral_storage_gib")
    if (typed(data, "linux_capabilities", dict) or {}).get("add"):
        needs.append("SYS_PTRACE (linux_capabilities.add)")
    return needs
