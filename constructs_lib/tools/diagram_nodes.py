"""The readable label of a block's node: title, lines and kind, read from the block and the parts drawn inside it.

A type without an entry here still gets a node (its type and name), so nothing in the stack goes undrawn.
"""

from __future__ import annotations

from collections.abc import Callable

from .diagram_environment import LABELS as ENVIRONMENT_LABELS
from .stack_document import Block, StackDocument

Label = tuple[str, list[str | None], str]  # title, lines (None: left out), kind


def label(block: Block, stack: StackDocument, parts: list[Block]) -> Label:
    describe = _LABELS.get(block.type)
    if describe is not None:
        return describe(block, stack, parts)
    kind = "security" if block.type.startswith("aws_iam") else "network"
    return (
        f"{block.type.removeprefix('aws_').replace('_', ' ')} {block.name}",
        [_existing(block), block.get("name")],
        kind,
    )


def arn_tail(arn: str) -> str:
    """The readable end of an ARN (`secret:db-credentials-abc123`, `certificate/0f1e...`)."""
    return arn.split(":", 5)[-1] if arn.startswith("arn:") else arn


def _existing(block: Block) -> str | None:
    return "exists already (looked up)" if block.existing else None


def _security_groups(parts: list[Block]) -> list[str | None]:
    return [
        f"security group {part.get('name') or part.get('name_prefix', '') + '*'}"
        + (" (existing)" if part.existing else "")
        for part in parts
        if part.type == "aws_security_group"
    ]


def _dns(block: Block, stack: StackDocument, parts: list[Block]) -> Label:
    kind = "alias" if block.get("alias") else "record"
    return f"Route53 {block.get('type')} {kind}", [block.get("name"), f"zone {block.get('zone_id')}"], "network"


def _load_balancer(block: Block, stack: StackDocument, parts: list[Block]) -> Label:
    if block.existing:
        name = block.get("name")  # the environment's shared ALB, found by name
        title = f"ALB {name} (the environment's)" if name else "ALB (existing)"
        return title, ["the shared listener's load balancer"], "network"
    logs = block.get("access_logs.bucket")
    lines: list[str | None] = ["internal" if block.get("internal") else "internet-facing"]
    lines += ["WAF web ACL" for part in parts if part.type == "aws_wafv2_web_acl_association"]
    lines += [f"access logs s3://{logs}" if logs else None]
    lines += [f"ARN in SSM {part.get('name')}" for part in parts if part.type == "aws_ssm_parameter"]
    return f"ALB {block.get('name')}", lines + _security_groups(parts), "network"


def _listener(block: Block, stack: StackDocument, parts: list[Block]) -> Label:
    if block.existing:
        port = block.get("port")  # the environment's ALB's: found by its ALB and port
        return (
            "Shared ALB listener (existing)",
            [f"HTTPS :{port}" if port else arn_tail(block.get("arn", ""))],
            "network",
        )
    certificate = block.get("certificate_arn", "")
    lines: list[str | None] = [f"ACM {arn_tail(certificate)}" if certificate.startswith("arn:") else None]
    for action in block.get("default_action", []):
        redirect, fixed = action.get("redirect"), action.get("fixed_response")
        if fixed:
            lines.append(f"{fixed.get('status_code')} unless a listener rule matches")
        if redirect:
            code = redirect.get("status_code", "").removeprefix("HTTP_")
            lines.append(f"redirect {code} to {redirect.get('protocol')} :{redirect.get('port')}")
    return f"{block.get('protocol')} :{block.get('port')}", lines, "network"


def _listener_rule(block: Block, stack: StackDocument, parts: list[Block]) -> Label:
    conditions = block.get("condition", [])
    paths = [v for c in conditions for v in c.get("path_pattern", {}).get("values", [])]
    hosts = [v for c in conditions for v in c.get("host_header", {}).get("values", [])]
    lines = [("paths " + ", ".join(paths)) if paths else None, ("hosts " + ", ".join(hosts)) if hosts else None]
    return f"Listener rule {block.get('priority')}", lines, "network"


def _target_group(block: Block, stack: StackDocument, parts: list[Block]) -> Label:
    lines = [f"{block.get('protocol')} :{block.get('port')}, {block.get('target_type')} targets"]
    path = block.get("health_check.path")
    return f"Target group {block.get('name')}", lines + [f"health {path}" if path else None], "network"


def _certificate(block: Block, stack: StackDocument, parts: list[Block]) -> Label:
    return (
        "ACM certificate (created)",
        [block.get("domain_name"), f"{block.get('validation_method')}-validated"],
        "security",
    )


def _service(block: Block, stack: StackDocument, parts: list[Block]) -> Label:
    count = block.get("desired_count", 1)
    scaling = next((p for p in parts if p.type == "aws_appautoscaling_target"), None)
    tasks = f"{count} task{'' if count == 1 else 's'}" + (
        f", autoscaling {scaling.get('min_capacity')}-{scaling.get('max_capacity')}" if scaling else ""
    )
    strategy = " : ".join(
        f"{item['capacity_provider']} {item.get('weight', 0)}" + (f" (base {item['base']})" if item.get("base") else "")
        for item in block.get("capacity_provider_strategy", [])
    ) or block.get("launch_type")
    deployments = f"deployments: {block.get('deployment_controller.type', 'ECS').lower().replace('_', '')}"
    lines = [tasks, strategy, deployments, "ECS Exec enabled" if block.get("enable_execute_command") else None]
    return f"ECS service {block.get('name')}", lines + _security_groups(parts), "compute"


def _role(block: Block, stack: StackDocument, parts: list[Block]) -> Label:
    uses = [ref.key for ref in stack.refs_to(block.address) if ref.key.endswith("role_arn")]
    title = uses[0].removesuffix("_arn").replace("_", " ").capitalize() if uses else "IAM role"
    lines: list[str | None] = [block.get("name")]
    lines += [
        f"managed policy {p.get('policy_arn', '').rsplit('/', 1)[-1]}"
        for p in parts
        if p.type == "aws_iam_role_policy_attachment"
    ]
    lines += [f"instance profile {p.get('name')}" for p in parts if p.type == "aws_iam_instance_profile"]
    return title, lines, "security"


def _log_group(block: Block, stack: StackDocument, parts: list[Block]) -> Label:
    lines = [block.get("name"), f"retention {block.get('retention_in_days')} days"]
    return "CloudWatch log group", lines + ["KMS-encrypted" if block.get("kms_key_id") else None], "observability"


def _alarm(block: Block, stack: StackDocument, parts: list[Block]) -> Label:
    return f"Alarm {block.get('alarm_name')}", [block.get("alarm_description")], "observability"


def _codedeploy(block: Block, stack: StackDocument, parts: list[Block]) -> Label:
    configs = [p.get("deployment_config_name") for p in parts if p.type == "aws_codedeploy_deployment_group"]
    return "CodeDeploy blue/green", [f"application {block.get('name')}", *configs], "compute"


def _namespace(block: Block, stack: StackDocument, parts: list[Block]) -> Label:
    return "Service Connect", [f"namespace {block.get('name')}"], "network"


def _discovery(block: Block, stack: StackDocument, parts: list[Block]) -> Label:
    records = "/".join(r.get("type", "") for r in block.get("dns_config.dns_records", []))
    return "Cloud Map", [f"{records} records {block.get('name')} in {block.get('dns_config.namespace_id')}"], "network"


def _capacity_provider(block: Block, stack: StackDocument, parts: list[Block]) -> Label:
    scaling = block.get("auto_scaling_group_provider.managed_scaling.status") == "ENABLED"
    return f"Capacity provider {block.get('name')}", ["managed scaling" if scaling else None], "compute"


def _instances(block: Block, stack: StackDocument, parts: list[Block]) -> Label:
    return (
        f"Auto Scaling group {block.get('name')}",
        [f"{block.get('min_size')}-{block.get('max_size')} instances"],
        "compute",
    )


def _launch_template(block: Block, stack: StackDocument, parts: list[Block]) -> Label:
    return f"Launch template {block.get('name')}", [block.get("instance_type"), *_security_groups(parts)], "compute"


def _schedule(block: Block, stack: StackDocument, parts: list[Block]) -> Label:
    ecs = "target.ecs_parameters"
    strategy = " : ".join(
        f"{item['capacity_provider']} {item.get('weight', 0)}"
        for item in block.get(f"{ecs}.capacity_provider_strategy", [])
    )
    retries = block.get("target.retry_policy.maximum_retry_attempts")
    lines = [
        f"{block.get('schedule_expression')} {block.get('schedule_expression_timezone', 'UTC')}",
        f"runs {block.get(f'{ecs}.task_count', 1)} task" + (f", {strategy}" if strategy else ""),
        None if retries is None else f"retries {retries}",
        f"dead letters to {arn_tail(block.get('target.dead_letter_config.arn'))}"
        if block.get("target.dead_letter_config.arn")
        else None,
        "disabled" if block.get("state") == "DISABLED" else None,
    ]
    return f"EventBridge schedule {block.get('name')}", lines, "compute"


def _parameter(block: Block, stack: StackDocument, parts: list[Block]) -> Label:
    return "SSM parameter", [block.get("name"), _existing(block)], "storage"


_LABELS: dict[str, Callable[[Block, StackDocument, list[Block]], Label]] = {
    "aws_route53_record": _dns,
    "aws_lb": _load_balancer,
    "aws_lb_listener": _listener,
    "aws_lb_listener_rule": _listener_rule,
    "aws_lb_target_group": _target_group,
    "aws_acm_certificate": _certificate,
    "aws_ecs_service": _service,
    "aws_iam_role": _role,
    "aws_cloudwatch_log_group": _log_group,
    "aws_cloudwatch_metric_alarm": _alarm,
    "aws_codedeploy_app": _codedeploy,
    "aws_service_discovery_http_namespace": _namespace,
    "aws_service_discovery_service": _discovery,
    "aws_ecs_capacity_provider": _capacity_provider,
    "aws_autoscaling_group": _instances,
    "aws_launch_template": _launch_template,
    "aws_ssm_parameter": _parameter,
    "aws_scheduler_schedule": _schedule,
    **ENVIRONMENT_LABELS,
}
