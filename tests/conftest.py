"""Shared fixtures: env data to mutate, and synthesis of a service stack into parsed Terraform JSON.

`Testing` is imported only here (pytest would try to collect it from a test module).
"""

from __future__ import annotations

import copy
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from constructs_lib._jsii.fast_kernel import JSII_QUIET

for _name, _value in JSII_QUIET.items():
    os.environ.setdefault(_name, _value)

REPO = Path(__file__).resolve().parent.parent
ENVS = REPO / "envs"


def read_env(name: str) -> dict[str, Any]:
    return json.loads((ENVS / f"{name}.json").read_text())


@pytest.fixture
def dev_data() -> dict[str, Any]:
    """A fresh, mutable copy of envs/dev.json."""
    return read_env("dev")


def drop_own_alb_keys(service: dict[str, Any]) -> None:
    """Before putting a service of envs/*.json on a shared ALB: the keys of its own ALB are errors there."""
    from constructs_lib.props.service import OWN_ALB_KEYS

    for key in OWN_ALB_KEYS:
        service.pop(key, None)


def synth_service(data: dict[str, Any], service_index: int = 0) -> dict[str, Any]:
    """Validate `data` as an env file and synthesize one service's stack to parsed Terraform JSON."""
    from cdktf import Testing

    from constructs_lib.config import validate_env_data
    from constructs_lib.stacks.stack import ServiceStack

    env = validate_env_data(copy.deepcopy(data), "test.json")
    stack = ServiceStack(Testing.app(), "test", env=env, service=env.services[service_index])
    return json.loads(Testing.synth(stack))


@pytest.fixture(scope="session")
def synth() -> Callable[..., dict[str, Any]]:
    return synth_service


def only(document: dict[str, Any], kind: str, block: str = "resource") -> dict[str, Any]:
    """The single resource (or data source) of a type, without cdktf's metadata."""
    found = document.get(block, {}).get(kind, {})
    assert len(found) == 1, f"expected one {kind}, found {sorted(found)}"
    return strip_metadata(next(iter(found.values())))


def named(document: dict[str, Any], kind: str, address: str, block: str = "resource") -> dict[str, Any]:
    return strip_metadata(document[block][kind][address])


def strip_metadata(resource: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in resource.items() if k != "//"}


def addresses(document: dict[str, Any]) -> list[str]:
    """Every resource and data address of a stack: the contract the snapshot tests pin."""
    found = [f"{kind}.{name}" for kind, items in document.get("resource", {}).items() for name in items]
    found += [f"data.{kind}.{name}" for kind, items in document.get("data", {}).items() for name in items]
    return sorted(found)


# The wildcards the library itself writes into IAM statements, by statement id, each for a documented reason
# (no resource-level permissions, a log group's streams, the random suffix of a secret's ARN...). Anything else
# with `*` or `?` in a Resource came from user data, which the config rejects (config/arns.py).
LIBRARY_WILDCARDS = {
    "EcrAuthorization": r"\*", "XRay": r"\*", "EcsExec": r"\*", "DiscoverPollEndpoint": r"\*",
    "DecryptSecrets": r"arn:aws:kms:[a-z0-9-]+:\d{12}:key/\*",
    "EcsExecLogs": r"arn:aws:logs:[a-z0-9-]+:\d{12}:log-group:\*",
    "Logs": r"arn:aws:logs:[a-z0-9-]+:\d{12}:log-group:/ecs/[^*?]+:\*",
    "EcsExecSessionLogs": r"arn:aws:logs:[a-z0-9-]+:\d{12}:log-group:/ecs/[^*?]+/exec:\*",  # log streams of one group
    "Poll": r"arn:aws:ecs:[a-z0-9-]+:\d{12}:container-instance/\*",
    "SpotDraining": r"arn:aws:ecs:[a-z0-9-]+:\d{12}:container-instance/\*",
    "RdsIamConnect": r"arn:aws:rds-db:[a-z0-9-]+:\d{12}:dbuser:\*/[^*?]+",
    "Secrets": r"arn:aws:secretsmanager:[a-z0-9-]+:\d{12}:secret:[^*?]+-\?{6}",
    # A scheduled task's scheduler role: every revision of its one family, the tasks it starts in its one cluster.
    "RunTask": r"arn:aws:ecs:[a-z0-9-]+:\d{12}:task-definition/[^*?:/]+:\*",
    "TagTasks": r"arn:aws:ecs:[a-z0-9-]+:\d{12}:task/[^*?/]+/\*",
}


def iam_wildcards(document: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """(statement id, resource, written by the library?) of every Resource with `*` or `?` in a stack's policies."""
    found = []
    for role_policy in document.get("resource", {}).get("aws_iam_role_policy", {}).values():
        for statement in json.loads(role_policy["policy"])["Statement"]:
            for resource in statement["Resource"]:
                if "*" in resource or "?" in resource:
                    pattern = LIBRARY_WILDCARDS.get(statement["Sid"])
                    found.append((statement["Sid"], resource, bool(pattern and re.fullmatch(pattern, resource))))
    return found


def readable_stack(app=None):
    """A plain stack whose addresses come from construct paths, as ServiceStack's do (see addressing.py)."""
    from cdktf import TerraformStack, Testing

    from constructs_lib._jsii.addressing import ADDRESS

    stack = TerraformStack(app or Testing.app(), "test")
    setattr(stack, ADDRESS, [])
    return stack
