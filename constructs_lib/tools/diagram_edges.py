"""The arrows of a stack's picture: one per reference between blocks drawn in different nodes, pointing the way
traffic or control flows, and one per IAM policy statement that names what another node stands for.
"""

from __future__ import annotations

from collections.abc import Callable

from .diagram_model import Diagram
from .stack_document import Reference, StackDocument, addresses_in, policy_statements

# (referring type, attribute[, referred type]) -> (label, arrow from the referred block, style); None: no arrow
# (the service sits in its cluster's box; containers, mounts and files are drawn by diagram_task.py).
Arrow = tuple[str, bool, str] | None
ARROWS: dict[tuple[str, ...], Arrow] = {
    ("aws_route53_record", "alias"): ("A alias", False, "solid"),
    ("aws_lb", "arn"): ("", False, "solid"),
    ("aws_lb_listener", "load_balancer_arn"): ("", True, "solid"),
    ("aws_lb_listener", "default_action"): ("forward", False, "solid"),
    ("aws_lb_listener", "certificate_arn"): ("certificate", False, "dashed"),
    ("aws_lb_listener_rule", "listener_arn"): ("", True, "solid"),
    ("aws_lb_listener_rule", "action"): ("forward", False, "solid"),
    ("aws_ecs_service", "cluster"): None,
    ("aws_ecs_service", "load_balancer"): ("register tasks", True, "solid"),
    ("aws_ecs_service", "task_definition"): ("runs", False, "solid"),
    ("aws_ecs_service", "service_registries"): ("registers", False, "dashed"),
    ("aws_ecs_service", "service_connect_configuration"): ("registers", False, "dashed"),
    ("aws_ecs_task_definition", "container_definitions"): None,
    ("aws_ecs_task_definition", "volume"): None,
    ("aws_ecs_task_definition", "execution_role_arn"): ("execution role", False, "dashed"),
    ("aws_ecs_task_definition", "task_role_arn"): ("task role", False, "dashed"),
    ("aws_appautoscaling_target", "resource_id", "aws_ecs_cluster"): None,
    ("aws_codedeploy_deployment_group", "ecs_service", "aws_ecs_cluster"): None,
    ("aws_codedeploy_deployment_group", "ecs_service"): ("deploys", False, "dashed"),
    ("aws_codedeploy_deployment_group", "load_balancer_info"): ("shifts traffic", False, "dashed"),
    ("aws_codedeploy_deployment_group", "service_role_arn"): ("service role", False, "dashed"),
    ("aws_cloudwatch_metric_alarm", "dimensions"): ("watches", False, "dashed"),
    ("aws_scheduler_schedule", "target", "aws_ecs_task_definition"): ("runs", False, "solid"),
    ("aws_scheduler_schedule", "target", "aws_iam_role"): ("as role", False, "dashed"),
    ("aws_scheduler_schedule", "target", "aws_security_group"): ("tasks in", False, "dashed"),
    ("aws_vpc_security_group_ingress_rule", "referenced_security_group_id"): ("allows", True, "dashed"),
    ("aws_vpc_security_group_egress_rule", "referenced_security_group_id"): ("allows", False, "dashed"),
}


def add_reference_edges(diagram: Diagram, stack: StackDocument, node_of: dict[str, str]) -> None:
    """An arrow per reference whose two ends are drawn by different nodes."""
    for ref in stack.references:
        source, target = node_of.get(ref.source), node_of.get(ref.target)
        kind = stack.blocks[ref.source].type
        arrow = ARROWS.get((kind, ref.key, stack.blocks[ref.target].type), ARROWS.get((kind, ref.key), _default(ref)))
        if source is None or target is None or source == target or arrow is None:
            continue
        label, backwards, style = arrow
        relabel = _LABELS.get((kind, ref.key))
        label = relabel(ref, stack, label) if relabel else label
        diagram.edge(target if backwards else source, source if backwards else target, label, style)


def add_policy_edges(diagram: Diagram, stack: StackDocument, node_of: dict[str, str], arns: dict[str, str]) -> None:
    """An arrow from a role to each node whose ARN one of its policies' statements names literally, labelled with
    the statement's Sid (statements that name a block through `${...}` are reference edges)."""
    for policy in stack.of_type("aws_iam_role_policy"):
        role = node_of.get(policy.address)
        for statement in policy_statements(policy.get("policy", "{}")):
            resources = statement.get("Resource", [])
            for resource in [resources] if isinstance(resources, str) else resources:
                plain = resource.split(":", 2)[-1]
                for arn, node in arns.items():
                    if role is not None and plain.startswith(arn):
                        diagram.edge(role, node, statement.get("Sid", ""), "dashed")


def _default(ref: Reference) -> Arrow:
    words = ref.key.removesuffix("_arn").removesuffix("_id").removesuffix("_name").replace("_", " ")
    return words, False, "dashed"


def _sids(ref: Reference, stack: StackDocument, label: str) -> str:
    sids = [s.get("Sid", "") for s in policy_statements(ref.text) if ref.target in addresses_in(str(s))]
    return ", ".join(sid for sid in sids if sid) or label


def _rule(ref: Reference, stack: StackDocument, label: str) -> str:
    description = stack.blocks[ref.source].get("description")
    return f"{label} {description}" if description else label


_LABELS: dict[tuple[str, str], Callable[[Reference, StackDocument, str], str]] = {
    ("aws_iam_role_policy", "policy"): _sids,
    ("aws_vpc_security_group_ingress_rule", "referenced_security_group_id"): _rule,
    ("aws_vpc_security_group_egress_rule", "referenced_security_group_id"): _rule,
}
