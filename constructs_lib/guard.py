"""Plan-safety guard: a lock file of each stack's resource addresses and the attributes that force Terraform to
destroy and recreate a resource; a later synth that would replace or drop one of them fails, naming it.

The lock changes only on purpose (`--update`), so a rename that would recreate a production ALB is caught in
review, before `terraform plan` is even run.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

LOCK_VERSION = 1

# Attributes whose change makes the AWS provider replace the resource (ForceNew), per resource type.
REPLACEMENT_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "aws_lb": ("name", "name_prefix", "internal", "load_balancer_type"),
    "aws_lb_target_group": ("name", "name_prefix", "port", "protocol", "target_type", "vpc_id"),
    "aws_ecs_cluster": ("name",),
    "aws_ecs_service": ("name", "cluster"),
    "aws_ecs_task_definition": ("family",),
    "aws_security_group": ("name", "name_prefix", "description", "vpc_id"),
    "aws_cloudwatch_log_group": ("name",),
    "aws_iam_role": ("name",),
    "aws_route53_record": ("name", "type", "zone_id"),
    "aws_ssm_parameter": ("name",),
    "aws_s3_bucket": ("bucket",),
}


def fingerprint(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every resource address of a stack, with its replacement-forcing attribute values."""
    found: dict[str, dict[str, Any]] = {}
    for kind, resources in document.get("resource", {}).items():
        for name, body in resources.items():
            found[f"{kind}.{name}"] = {a: body[a] for a in REPLACEMENT_ATTRIBUTES.get(kind, ()) if a in body}
    return dict(sorted(found.items()))


def fingerprint_outdir(outdir: Path) -> dict[str, dict[str, dict[str, Any]]]:
    return {
        path.parent.name: fingerprint(json.loads(path.read_text()))
        for path in sorted(outdir.glob("stacks/*/cdk.tf.json"))
    }


def replacements(locked: dict[str, dict[str, dict[str, Any]]], current: dict[str, dict[str, dict[str, Any]]]) -> list[str]:
    """One line per locked resource that the current synth would destroy or replace."""
    problems = []
    for stack, resources in locked.items():
        if stack not in current:
            problems.append(f"{stack}: the stack is gone: terraform would destroy all {len(resources)} resources")
            continue
        for address, attributes in resources.items():
            now = current[stack].get(address)
            if now is None:
                problems.append(f"{stack}: {address}: removed: terraform would destroy it")
                continue
            for attribute, value in attributes.items():
                if now.get(attribute) != value:
                    problems.append(
                        f"{stack}: {address}: {attribute} {json.dumps(value)} -> {json.dumps(now.get(attribute))} "
                        f"forces a replacement (destroy and recreate)"
                    )
    return problems


def additions(locked: dict[str, dict[str, dict[str, Any]]], current: dict[str, dict[str, dict[str, Any]]]) -> list[str]:
    return [
        f"{stack}: {address}"
        for stack, resources in current.items()
        for address in resources
        if address not in locked.get(stack, {})
    ]


def read_lock(path: Path) -> dict[str, dict[str, dict[str, Any]]] | None:
    if not path.exists():
        return None
    document = json.loads(path.read_text())
    if document.get("version") != LOCK_VERSION:
        raise ValueError(f"{path}: lock file version {document.get('version')!r} is not {LOCK_VERSION}")
    return document["stacks"]


def write_lock(path: Path, stacks: dict[str, dict[str, dict[str, Any]]]) -> None:
    path.write_text(json.dumps({"version": LOCK_VERSION, "stacks": stacks}, indent=2, sort_keys=True) + "\n")
