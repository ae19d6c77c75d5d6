"""Labels of what an environment stack owns (stacks/environment.py): its clusters (no service runs in them in
that stack: nodes, not boxes), the log key, the access-log bucket with its configuration and the web ACL with its
rule groups, each one node (diagram_nodes.py looks them up here)."""

from __future__ import annotations

from .stack_document import Block, StackDocument

Label = tuple[str, list[str | None], str]


def log_key(block: Block, stack: StackDocument, parts: list[Block]) -> Label:
    aliases = [part.get("name") for part in parts if part.type == "aws_kms_alias"]
    rotation = "yearly rotation" if block.get("enable_key_rotation") else None
    return (
        "KMS key",
        [*aliases, rotation, "CloudWatch Logs of this account and region"],
        "security",
    )


def bucket(block: Block, stack: StackDocument, parts: list[Block]) -> Label:
    lines: list[str | None] = [block.get("bucket")]
    for part in parts:
        if part.type == "aws_s3_bucket_server_side_encryption_configuration":
            rule = (part.get("rule") or [{}])[0]
            lines.append(f"encryption {rule.get('apply_server_side_encryption_by_default', {}).get('sse_algorithm')}")
        elif part.type == "aws_s3_bucket_lifecycle_configuration":
            days = [e.get("days") for r in part.get("rule") or [] for e in r.get("expiration") or []]
            lines += [f"objects expire after {d} days" for d in days]
        elif part.type == "aws_s3_bucket_public_access_block":
            lines.append("public access blocked")
        elif part.type == "aws_s3_bucket_logging":
            lines.append(f"access logs to {part.get('target_bucket')}")
    return "S3 bucket", lines, "storage"


def web_acl(block: Block, stack: StackDocument, parts: list[Block]) -> Label:
    groups = [rule.get("name") for rule in block.get("rule") or []]
    return (
        f"WAF web ACL {block.get('name')}",
        [f"{block.get('scope', '').lower()}", *groups],
        "security",
    )


def cluster(block: Block, stack: StackDocument, parts: list[Block]) -> Label:
    providers = [
        ", ".join(part.get("capacity_providers") or [])
        for part in parts
        if part.type == "aws_ecs_cluster_capacity_providers"
    ]
    exec_logs = (block.get("configuration") or {}).get("execute_command_configuration", {}).get("log_configuration")
    lines = [
        *providers,
        f"ECS Exec logs to {exec_logs['cloud_watch_log_group_name']}" if exec_logs else None,
    ]
    return f"ECS cluster {block.get('name')}", lines, "compute"


LABELS = {
    "aws_ecs_cluster": cluster,
    "aws_kms_key": log_key,
    "aws_s3_bucket": bucket,
    "aws_wafv2_web_acl": web_acl,
}
# Part type -> (its attribute that refers to the owner, owner types), as diagram_parts.PART_OF.
PARTS = {
    "aws_kms_alias": ("target_key_id", ("aws_kms_key",)),
    "aws_wafv2_web_acl_logging_configuration": ("resource_arn", ("aws_wafv2_web_acl",)),
    **{
        f"aws_s3_bucket_{kind}": ("bucket", ("aws_s3_bucket",))
        for kind in (
            "lifecycle_configuration",
            "logging",
            "notification",
            "ownership_controls",
            "policy",
            "public_access_block",
            "server_side_encryption_configuration",
            "versioning",
        )
    },
}
