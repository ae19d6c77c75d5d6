"""IAM roles assumed by ECS tasks, with policies built as Python data and scoped to exact ARNs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from constructs import Construct

from .._jsii.addressing import Part
from .._jsii.aws import IamRole, IamRolePolicy
from .._jsii.embedded_json import embedded_json


@dataclass
class Statement:
    sid: str
    actions: list[str]
    resources: list[str]
    conditions: dict[str, dict[str, Any]] = field(default_factory=dict)

    def render(self) -> dict[str, Any]:
        rendered: dict[str, Any] = {
            "Sid": self.sid,
            "Effect": "Allow",
            "Action": sorted(self.actions),
            "Resource": self.resources,
        }
        if self.conditions:
            rendered["Condition"] = self.conditions
        return rendered


def policy_document(scope: Construct, statements: list[Statement]) -> str:
    return embedded_json(scope, {"Version": "2012-10-17", "Statement": [s.render() for s in statements]})


def trust_policy(scope: Construct, service_principal: str, conditions: dict[str, dict[str, Any]] | None = None) -> str:
    """A role only `service_principal` may assume, narrowed by `conditions` (confused-deputy protection)."""
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": {"Service": service_principal},
        "Action": "sts:AssumeRole",
    }
    if conditions:
        statement["Condition"] = conditions
    return embedded_json(scope, {"Version": "2012-10-17", "Statement": [statement]})


def source_account(account_id: str) -> dict[str, dict[str, Any]]:
    """The condition that lets an AWS service assume a role only when acting for this account."""
    return {"StringEquals": {"aws:SourceAccount": account_id}}


def service_role(
    scope: Construct,
    id: str,
    *,
    name: str,
    description: str,
    principal: str,
    conditions: dict[str, dict[str, Any]] | None = None,
    permissions_boundary_arn: str | None = None,
) -> IamRole:
    """How every role the library creates starts: only the AWS service `principal` may assume it, narrowed by
    `conditions`, under the permissions boundary when one is given."""
    return IamRole(
        scope,
        id,
        name=name,
        description=description,
        assume_role_policy=trust_policy(scope, principal, conditions),
        permissions_boundary=permissions_boundary_arn,
    )


class TaskRole(Part):
    """A role only ECS tasks of this account can assume, with one inline policy of its statements.

    `grant` after construction (a consumer granting access to its own resource) adds a separate inline policy,
    so the role's own policy never changes address. With `existing_role_arn` no role is created: the policies are
    added to that role (the grants the service needs go where its tasks get their credentials), or, without
    `attach_to_existing`, left to the role's owner (env files: `prerequisites` lists them).
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        name: str,
        description: str,
        account_id: str,
        region: str,
        statements: list[Statement],
        existing_role_arn: str | None = None,
        attach_to_existing: bool = True,
        permissions_boundary_arn: str | None = None,
    ):
        super().__init__(scope, id)
        self.name = name
        self.role: IamRole | None = None
        if existing_role_arn is not None:
            self.arn: str = existing_role_arn
            self._role_name = existing_role_arn.rsplit("/", 1)[-1]
            if attach_to_existing:
                self._add_policy(statements)
            return
        self.role = service_role(
            self,
            "Default",
            name=name,
            description=description,
            principal="ecs-tasks.amazonaws.com",
            # ECS tasks of this account only (confused-deputy protection through aws:SourceAccount / SourceArn).
            conditions={
                **source_account(account_id),
                "ArnLike": {"aws:SourceArn": f"arn:aws:ecs:{region}:{account_id}:*"},
            },
            permissions_boundary_arn=permissions_boundary_arn,
        )
        self.arn = self.role.arn
        self._role_name = self.ref(self.role).id
        self._add_policy(statements)

    def _add_policy(self, statements: list[Statement]) -> None:
        if statements:
            policy = policy_document(self, statements)
            IamRolePolicy(self, "policy", name=f"{self.name}-policy", role=self._role_name, policy=policy)

    def grant(self, id: str, *, actions: list[str], resources: list[str]) -> IamRolePolicy:
        """Allow `actions` on exactly `resources` through an extra inline policy named after `id`."""
        statement = Statement(sid=_sid(id), actions=actions, resources=resources)
        return IamRolePolicy(
            self, id, name=f"{self.name}-{id}", role=self._role_name, policy=policy_document(self, [statement])
        )


def _sid(id: str) -> str:
    return "".join(part.capitalize() for part in id.replace("_", "-").split("-") if part.isalnum()) or "Grant"
