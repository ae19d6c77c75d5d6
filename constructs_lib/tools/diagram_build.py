"""One synthesized stack (`cdk.tf.json`) as a `Diagram`: every block is drawn, by a node of its own or inside its
owner's (diagram_parts.py), and every reference between blocks in different nodes is an arrow (diagram_edges.py).
The picture is read from what the constructs wrote, so it cannot drift from them.

Nodes come in reading order: clients, DNS and load balancing, the cluster, service and task, then the rest.
"""

from __future__ import annotations

from typing import Any

from .diagram_edges import add_policy_edges, add_reference_edges
from .diagram_model import Diagram, Group
from .diagram_nodes import label
from .diagram_parts import owners, parts_of
from .diagram_task import TaskDrawing
from .stack_document import Block, StackDocument, policy_statements

ORDER = (
    "aws_route53_record",
    "aws_lb",
    "aws_lb_listener",
    "aws_lb_listener_rule",
    "aws_lb_target_group",
    "aws_acm_certificate",
    "aws_ecs_cluster",
    "aws_ecs_service",
    "aws_ecs_task_definition",
    "aws_iam_role",
    "aws_cloudwatch_log_group",
)
# Policy statements whose resources are AWS services rather than blocks: action prefix -> (id, title, kind).
SERVICES = {
    "rds-db": ("rds", "RDS IAM authentication", "storage"),
    "xray": ("xray_service", "AWS X-Ray", "observability"),
    "ssmmessages": ("ecs_exec", "ECS Exec sessions", "network"),
}


def _environment_cluster(diagram: Diagram, block: Block) -> str | None:
    """The box of the cluster a service finds by its ARN (the environment stack's), drawn once."""
    arn = block.get("cluster") if block.type == "aws_ecs_service" else None
    if not isinstance(arn, str) or ":cluster/" not in arn:
        return None
    if not any(group.id == "cluster" for group in diagram.groups):
        title = f"ECS cluster {arn.split(':cluster/', 1)[1]} (environment stack)"
        diagram.groups.append(Group("cluster", title, addresses=(block.address,)))  # read from its `cluster`
    return "cluster"


def _run_in(stack: StackDocument) -> set[str]:
    """The clusters a service of this stack runs in: drawn as a box around it (an environment stack's are nodes)."""
    return {
        ref.target
        for block in stack.blocks.values()
        if block.type == "aws_ecs_service"
        for ref in stack.refs_from(block.address)
        if ref.key == "cluster"
    }


def build(document: dict[str, Any]) -> Diagram:
    """The graph of one synthesized stack."""
    stack = StackDocument(document)
    diagram = Diagram(stack.name, f"{stack.name} ({stack.account}, {stack.region})")
    owner_of = owners(stack)
    node_of: dict[str, str] = {}
    tasks: list[TaskDrawing] = []
    _clients(diagram, stack, owner_of)
    for block in _drawing_order(stack, owner_of):
        parts = parts_of(block.address, owner_of)
        if block.type == "aws_ecs_cluster" and block.address in _run_in(stack):
            diagram.groups.append(
                Group(block.name, f"ECS cluster {block.get('name')}", addresses=(block.address, *parts))
            )
            node_of[block.address] = block.name
        elif block.type == "aws_ecs_task_definition":
            tasks.append(TaskDrawing(diagram, stack, block, *_runner(stack, block, node_of)))
            node_of[block.address] = tasks[-1].group
        else:
            title, lines, kind = label(block, stack, [stack.blocks[a] for a in parts])
            group = next((node_of.get(r.target) for r in stack.refs_from(block.address) if r.key == "cluster"), None)
            group = group or _environment_cluster(diagram, block)
            node_of[block.address] = diagram.node(
                block.name, title, *lines, kind=kind, group=group, addresses=(block.address, *parts)
            )
    _client_edges(diagram, stack, node_of)
    arns = _draw_task_contents(diagram, stack, tasks, node_of)
    node_of.update({address: node_of[top] for address, top in owner_of.items() if top in node_of})
    add_reference_edges(diagram, stack, node_of)
    add_policy_edges(diagram, stack, node_of, arns)
    _service_edges(diagram, stack, node_of)
    return diagram


def _drawing_order(stack: StackDocument, owner_of: dict[str, str]) -> list[Block]:
    """The blocks with a node (or box) of their own, known types first; data sources a task draws are left out."""
    drawn_by_task = {
        ref.target
        for task in stack.of_type("aws_ecs_task_definition")
        for ref in stack.refs_from(task.address)
        if ref.key in ("container_definitions", "volume") and stack.blocks[ref.target].existing
    }
    own = [b for a, b in stack.blocks.items() if owner_of[a] == a and a not in drawn_by_task]
    rank = {kind: index for index, kind in enumerate(ORDER)}
    return sorted(own, key=lambda block: rank.get(block.type, len(ORDER)))


def _runner(stack: StackDocument, task: Block, node_of: dict[str, str]) -> tuple[str | None, str | None]:
    """(cluster box, app container) of the task, from the service that runs it."""
    for ref in stack.refs_to(task.address):
        service = stack.blocks[ref.source]
        if service.type == "aws_ecs_service":
            cluster = next(
                (node_of.get(r.target) for r in stack.refs_from(service.address) if r.key == "cluster"), None
            )
            if cluster is None and ":cluster/" in str(service.get("cluster") or ""):
                cluster = "cluster"  # the environment stack's, boxed by _environment_cluster
            balanced = service.get("load_balancer", [])
            return cluster, balanced[0]["container_name"] if balanced else None
    return None, None


def _draw_task_contents(
    diagram: Diagram, stack: StackDocument, tasks: list[TaskDrawing], node_of: dict[str, str]
) -> dict[str, str]:
    """Containers' images, stores, files and volumes; returns the ARNs the roles' policies may name -> node."""
    log_groups = {b.get("name"): node_of[b.address] for b in stack.of_type("aws_cloudwatch_log_group")}
    arns = {f"logs:{stack.region}:{stack.account}:log-group:{name}": node for name, node in log_groups.items()}
    for task in tasks:
        task.draw(log_groups)
        node_of.update(task.claimed)
        arns.update(task.arns)
    return arns


def _clients(diagram: Diagram, stack: StackDocument, owner_of: dict[str, str]) -> None:
    """Who may reach each ALB: its security groups' ingress rules from prefix lists and CIDR ranges."""
    for alb in (b for b in stack.of_type("aws_lb") if not b.existing):
        rules = [
            stack.blocks[a]
            for a in parts_of(alb.address, owner_of)
            if stack.blocks[a].type == "aws_vpc_security_group_ingress_rule"
        ]
        sources = [r for r in rules if r.get("prefix_list_id") or r.get("cidr_ipv4")]
        allowed = sorted({f"{r.get('prefix_list_id') or r.get('cidr_ipv4')} :{r.get('from_port')}" for r in sources})
        if sources:
            title = "Clients in the VPC" if alb.get("internal") else "Internet"
            diagram.node(
                "clients",
                title,
                "allowed: " + ", ".join(allowed),
                kind="client",
                addresses=tuple(r.address for r in sources),
            )


def _client_edges(diagram: Diagram, stack: StackDocument, node_of: dict[str, str]) -> None:
    """Clients resolve the ALB's DNS record."""
    clients = next((n.id for n in diagram.nodes if n.kind == "client"), None)
    for record in stack.of_type("aws_route53_record"):
        if clients and record.get("alias") and record.address in node_of:
            diagram.edge(clients, node_of[record.address], "resolve")


def _service_edges(diagram: Diagram, stack: StackDocument, node_of: dict[str, str]) -> None:
    """Roles reach the AWS services their policies name by action (X-Ray, ECS Exec, RDS IAM authentication)."""
    for policy in stack.of_type("aws_iam_role_policy"):
        for statement in policy_statements(policy.get("policy", "{}")):
            prefix = str(statement.get("Action", [""])[0]).split(":", 1)[0]
            if prefix in SERVICES:
                id, title, kind = SERVICES[prefix]
                if id not in {n.id for n in diagram.nodes}:
                    resources = [r for r in statement.get("Resource", []) if r != "*"]
                    diagram.node(id, title, *resources, kind=kind, addresses=(policy.address,))
                diagram.edge(node_of[policy.address], id, statement.get("Sid", ""), "dashed")
