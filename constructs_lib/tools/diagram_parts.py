"""Which blocks of a stack are drawn inside another block's node instead of a node of their own: an inline policy
inside its role, a security group and its rules inside the service or ALB they guard, scaling inside its service.

Every other block gets a node (diagram_nodes.py), so a resource a construct adds shows up without a change here.
"""

from __future__ import annotations

from .diagram_environment import PARTS as ENVIRONMENT_PARTS
from .stack_document import StackDocument

# Part type -> (its attribute that refers to the owner, owner types).
PART_OF = {
    "aws_iam_role_policy": ("role", ("aws_iam_role",)),
    "aws_iam_role_policy_attachment": ("role", ("aws_iam_role",)),
    "aws_iam_instance_profile": ("role", ("aws_iam_role",)),
    "aws_ecs_cluster_capacity_providers": ("cluster_name", ("aws_ecs_cluster",)),
    "aws_appautoscaling_target": ("resource_id", ("aws_ecs_service",)),
    "aws_appautoscaling_policy": ("resource_id", ("aws_appautoscaling_target",)),
    "aws_appautoscaling_scheduled_action": ("resource_id", ("aws_appautoscaling_target",)),
    "aws_vpc_security_group_ingress_rule": ("security_group_id", ("aws_security_group",)),
    "aws_vpc_security_group_egress_rule": ("security_group_id", ("aws_security_group",)),
    "aws_acm_certificate_validation": ("certificate_arn", ("aws_acm_certificate",)),
    "aws_route53_record": ("records", ("aws_acm_certificate",)),  # the DNS validation record
    "aws_codedeploy_deployment_group": ("app_name", ("aws_codedeploy_app",)),
    "aws_wafv2_web_acl_association": ("resource_arn", ("aws_lb",)),
    "aws_ssm_parameter": ("value", ("aws_lb",)),  # the ALB's ARN published for other stacks
    **ENVIRONMENT_PARTS,
}
# Owner type -> (its attribute that refers to its parts, part types).
HAS_PARTS = {
    "aws_ecs_service": ("network_configuration", ("aws_security_group",)),
    "aws_lb": ("security_groups", ("aws_security_group",)),
    "aws_launch_template": ("vpc_security_group_ids", ("aws_security_group",)),
}


def owners(stack: StackDocument) -> dict[str, str]:
    """Address -> the address of the block whose node draws it (itself when it has a node of its own)."""
    direct: dict[str, str] = {}
    for block in stack.blocks.values():
        for ref in stack.refs_from(block.address):
            target_type = stack.blocks[ref.target].type
            key, types = PART_OF.get(block.type, ("", ()))
            if ref.key == key and target_type in types:
                direct.setdefault(block.address, ref.target)
            key, types = HAS_PARTS.get(block.type, ("", ()))
            if ref.key == key and target_type in types:
                direct.setdefault(ref.target, block.address)
    return {address: _root(address, direct) for address in stack.blocks}


def _root(address: str, direct: dict[str, str]) -> str:
    seen = {address}
    while address in direct and direct[address] not in seen:
        address = direct[address]
        seen.add(address)
    return address


def parts_of(owner: str, owner_of: dict[str, str]) -> list[str]:
    """The addresses drawn inside `owner`'s node, besides its own, in document order."""
    return [address for address, top in owner_of.items() if top == owner and address != owner]
