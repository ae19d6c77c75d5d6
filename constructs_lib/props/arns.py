"""Exact ARNs and ids for every env-file value that names a resource we grant on or attach to.

IAM reads `*` and `?` in a policy's Resource as wildcards: `arn:aws:secretsmanager:*:*:secret:*` would let a
role read every secret it can reach. So these types accept one exact resource only, with a message that says
why; `trust.py` then checks the account and region against the environment's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any, NamedTuple

from pydantic import BeforeValidator

from .base import Matching, rule_error

WILDCARDS = "*?"
ARN_START = r"^arn:aws[a-z-]*:"
REGION_ACCOUNT = r":[a-z0-9-]+:\d{12}:"
SECRET_ARN_PATTERN = ARN_START + "secretsmanager" + REGION_ACCOUNT + r"secret:[A-Za-z0-9/_+=.@-]+$"
PARAMETER_ARN_PATTERN = ARN_START + "ssm" + REGION_ACCOUNT + r"parameter/[A-Za-z0-9_./-]+$"
KMS_ARN_PATTERN = ARN_START + "kms" + REGION_ACCOUNT + r"(key/[A-Za-z0-9-]+|alias/[A-Za-z0-9/_-]+)$"
KMS_ID_PATTERN = r"^([A-Za-z0-9-]+|alias/[A-Za-z0-9/_-]+)$"
LISTENER_ARN_PATTERN = (
    ARN_START + "elasticloadbalancing" + REGION_ACCOUNT + r"listener/app/[A-Za-z0-9-]{1,32}/[0-9a-f]+/[0-9a-f]+$"
)


def _no_wildcards(value: Any) -> Any:
    if isinstance(value, str) and any(c in value for c in WILDCARDS):
        raise rule_error(
            f"{json.dumps(value)} contains * or ?, which IAM reads as wildcards (the grant would reach other "
            "resources); allowed: one exact name or ARN"
        )
    return value


@dataclass(frozen=True)
class Exact(Matching):
    """A `Matching` string that first rejects IAM wildcards with their own message (it runs first)."""

    def __iter__(self) -> Iterator[object]:
        yield from super().__iter__()
        yield BeforeValidator(_no_wildcards)


SECRET_ARN = Annotated[
    str,
    Exact(
        SECRET_ARN_PATTERN,
        "is not a Secrets Manager secret ARN",
        "arn:aws:secretsmanager:<region>:<account>:secret:<name>",
    ),
]
SECRET_OR_PARAMETER_ARN = Annotated[
    str,
    Exact(
        f"{SECRET_ARN_PATTERN}|{PARAMETER_ARN_PATTERN}",
        "is not a Secrets Manager secret or SSM parameter ARN",
        "arn:aws:secretsmanager:<region>:<account>:secret:<name> or arn:aws:ssm:<region>:<account>:parameter/<name>",
    ),
]
KMS_KEY_ARN = Annotated[
    str, Exact(KMS_ARN_PATTERN, "is not a KMS key ARN", "arn:aws:kms:<region>:<account>:key/<key id> (or alias/<name>)")
]
KMS_KEY = Annotated[
    str,
    Exact(
        f"{KMS_ARN_PATTERN}|{KMS_ID_PATTERN}",
        "is not a KMS key id or ARN",
        "a key id, alias/<name>, or arn:aws:kms:<region>:<account>:key/<key id>",
    ),
]
LISTENER_ARN = Annotated[
    str,
    Exact(
        LISTENER_ARN_PATTERN,
        "is not an ALB listener ARN",
        "arn:aws:elasticloadbalancing:<region>:<account>:listener/app/<alb name>/<alb id>/<listener id>",
    ),
]
ENV_FILE_KEY = Annotated[str, Exact(r"^[^/*?][^*?]*\.env$", "does not end in .env", "an S3 object key ending in .env")]


class Arn(NamedTuple):
    partition: str
    service: str
    region: str
    account: str
    resource: str


def parse_arn(value: str) -> Arn | None:
    """The parts of an exact ARN (`arn:<partition>:<service>:<region>:<12-digit account>:<resource>`, no IAM
    wildcard); None for a plain id or name, or a malformed ARN (its field reports it). The config layer's one ARN
    parser: every rule that reads a region, an account or a resource of an ARN goes through it."""
    found = re.match(r"^arn:(aws[a-z-]*):([a-z0-9-]+):([a-z0-9-]+):(\d{12}):([^*?]+)$", value)
    return Arn(*found.groups()) if found else None


def arn_region_account(value: str) -> tuple[str, str] | None:
    """(region, account) of an exact ARN; None for a plain id or name, or a malformed ARN (its field reports it)."""
    arn = parse_arn(value)
    return (arn.region, arn.account) if arn else None


def listener_alb_name(listener_arn: str) -> str | None:
    """`listener/app/<alb name>/<alb id>/<listener id>` -> the ALB name; None if the ARN is no ALB listener's."""
    arn = parse_arn(listener_arn)
    parts = arn.resource.split("/") if arn else []
    return parts[2] if len(parts) == 5 and parts[:2] == ["listener", "app"] else None


IAM_ROLE_ARN = Annotated[
    str,
    Exact(
        r"^arn:aws[a-z-]*:iam::\d{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}$",
        "is not an IAM role ARN",
        "arn:aws:iam::<account>:role/<name>",
    ),
]
CERTIFICATE_ARN = Annotated[
    str,
    Exact(
        ARN_START + "acm" + REGION_ACCOUNT + r"certificate/[A-Za-z0-9-]+$",
        "is not an ACM certificate ARN",
        "arn:aws:acm:<region>:<account>:certificate/<id>",
    ),
]
SECURITY_GROUP_ID = Annotated[
    str, Exact(r"^sg-[0-9a-f]{8,17}$", "is not a security group id", "sg- and 8 or 17 hex digits")
]
PRIVATE_CA_ARN = Annotated[
    str,
    Exact(
        ARN_START + "acm-pca" + REGION_ACCOUNT + r"certificate-authority/[0-9a-f-]+$",
        "is not an AWS Private CA ARN",
        "arn:aws:acm-pca:<region>:<account>:certificate-authority/<id>",
    ),
]
SQS_QUEUE_ARN = Annotated[
    str,
    Exact(
        ARN_START + "sqs" + REGION_ACCOUNT + r"[A-Za-z0-9_-]{1,80}(\.fifo)?$",
        "is not an SQS queue ARN",
        "arn:aws:sqs:<region>:<account>:<queue name>",
    ),
]
