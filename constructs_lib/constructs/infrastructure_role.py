"""The ECS infrastructure role: a role ECS itself assumes to manage AWS resources on the service's behalf (EBS
volumes it creates and attaches to tasks, Service Connect TLS certificates), with the AWS managed policy made for
exactly that purpose."""

from __future__ import annotations

from constructs import Construct

from .._jsii.addressing import Part
from .._jsii.aws import IamRolePolicyAttachment
from .iam import service_role, source_account

MANAGED_POLICY_PREFIX = "arn:aws:iam::aws:policy/"
VOLUMES_POLICY = "AmazonECSInfrastructureRolePolicyForVolumes"
SERVICE_CONNECT_TLS_POLICY = "AmazonECSInfrastructureRolePolicyForServiceConnectTransportLayerSecurity"


class EcsInfrastructureRole(Part):
    """A role only ECS, acting for this account, may assume, with one AWS managed policy attached."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        name: str,
        description: str,
        account_id: str,
        managed_policy: str,
        permissions_boundary_arn: str | None = None,
    ):
        super().__init__(scope, id)
        self.role = service_role(
            self,
            "Default",
            name=name,
            description=description,
            principal="ecs.amazonaws.com",
            conditions=source_account(account_id),
            permissions_boundary_arn=permissions_boundary_arn,
        )
        self.policy = IamRolePolicyAttachment(
            self,
            "policy",
            role=self.ref(self.role).name,
            policy_arn=MANAGED_POLICY_PREFIX + managed_policy,
        )
        self.arn: str = self.role.arn
