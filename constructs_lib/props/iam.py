"""Issue 14, IAM: a permissions boundary on every role the stacks create, and existing task and execution roles
instead of created ones. IAM attaches a boundary only from the role's own account (or an AWS managed policy), and
ECS assumes task and execution roles of the task's account: `own_account_problems` says so before apply."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from .arns import IAM_ROLE_ARN, Exact
from .base import Problems, problem, typed

IAM_POLICY_ARN = Annotated[
    str,
    Exact(
        r"^arn:aws[a-z-]*:iam::(\d{12}|aws):policy/[A-Za-z0-9+=,.@_/-]{1,512}$",
        "is not an IAM managed policy ARN",
        "arn:aws:iam::<account>:policy/<name> (or an AWS managed policy)",
    ),
]
ROLE_KEYS = ("permissions_boundary_arn", "task_role_arn", "execution_role_arn")

PermissionsBoundaryArn = Annotated[
    IAM_POLICY_ARN | None,
    Field(
        default=None,
        description="Managed policy set as the permissions boundary of every IAM role the stack "
        "creates. default: the env's permissions_boundary_arn, else none",
    ),
]
ExistingExecutionRoleArn = Annotated[
    IAM_ROLE_ARN | None,
    Field(
        default=None,
        description="An existing execution role instead of a created one; it must allow what the "
        "service needs (env files: `prerequisites` lists it; Python: added as inline policies unless "
        "grant_existing_roles is false). default: a role of its own",
    ),
]
ExistingTaskRoleArn = Annotated[
    IAM_ROLE_ARN | None,
    Field(
        default=None,
        description="An existing task role instead of a created one; it must allow what the service "
        "needs (env files: `prerequisites` lists it; Python: added as inline policies unless grant_existing_roles "
        "is false). default: a role of its own",
    ),
]


def own_account_problems(data: dict[str, Any], account_id: str | None, at: tuple[str | int, ...] = ()) -> Problems:
    """The boundary and the roles of `data` (a service, or the env's top level) in `account_id`."""
    problems = []
    for key in ROLE_KEYS:
        value = typed(data, key, str)
        parts = value.split(":") if value else []
        owner = parts[4] if len(parts) > 5 else None
        if account_id is None or owner is None or owner in (account_id, "aws"):
            continue
        problems.append(
            problem(
                (*at, key),
                f"{value!r} is of account {owner}; IAM and ECS use it only from the account the "
                f"service runs in ({account_id})",
                value,
            )
        )
    return problems
