"""Read a deployed service's outputs from another stack, through the S3 state its `ServiceStack` writes.

    from constructs_lib import load_env_file, service_outputs

    app_service = service_outputs(self, "app-service", load_env_file("envs/prod.json"), "app-service")
    SomeResource(self, "x", load_balancer_arn=app_service.load_balancer_arn)

The bucket, key and region are the ones `ServiceStack` gives its S3 backend (`service_names.state_key`), so the
reader never repeats a naming convention. Each accessor is a Terraform reference
(`${data.terraform_remote_state.<id>.outputs.<name>}`), resolved at plan time; reading needs `s3:GetObject` on
the state object (and `kms:Decrypt` when the state bucket uses a KMS key).
"""

from __future__ import annotations

from typing import Any

from constructs import Construct

from .._jsii.engine import DataTerraformRemoteStateS3
from ..config import EnvConfig, ServiceConfig
from ..config.service_names import state_key

# Every output `ServiceStack` emits; tests/test_remote_state.py fails when the two lists drift apart.
SERVICE_OUTPUTS = (
    "cluster_arn",
    "service_arn",
    "task_definition_arn",
    "load_balancer_arn",
    "load_balancer_dns_name",
    "target_group_arn",
    "task_role_arn",
    "execution_role_arn",
    "url",
    "listener_arn",
    "cluster_name",
    "security_group_ids",
    "load_balancer_security_group_ids",
)


class ServiceRemoteState(DataTerraformRemoteStateS3):
    """`data "terraform_remote_state"` of one service's stack, with a typed attribute per output.

    `options` go to `DataTerraformRemoteStateS3` as they are (`assume_role=...`, `profile=...` to read the
    state from another account)."""

    def __init__(self, scope: Construct, id: str, *, env: EnvConfig, service_name: str, **options: Any):
        service = _find_service(env, service_name)
        super().__init__(
            scope, id, bucket=env.state.bucket, key=state_key(env, service), region=env.state.region, **options
        )
        self.env = env
        self.service_name = service_name

    @property
    def cluster_arn(self) -> str:
        return self.get_string("cluster_arn")

    @property
    def service_arn(self) -> str:
        return self.get_string("service_arn")

    @property
    def task_definition_arn(self) -> str:
        return self.get_string("task_definition_arn")

    @property
    def load_balancer_arn(self) -> str:
        return self.get_string("load_balancer_arn")

    @property
    def load_balancer_dns_name(self) -> str:
        return self.get_string("load_balancer_dns_name")

    @property
    def target_group_arn(self) -> str:
        return self.get_string("target_group_arn")

    @property
    def task_role_arn(self) -> str:
        return self.get_string("task_role_arn")

    @property
    def execution_role_arn(self) -> str:
        return self.get_string("execution_role_arn")

    @property
    def url(self) -> str:
        return self.get_string("url")

    @property
    def listener_arn(self) -> str:
        """The HTTPS listener: a `shared_alb` for other services' rules."""
        return self.get_string("listener_arn")

    @property
    def cluster_name(self) -> str:
        return self.get_string("cluster_name")

    @property
    def security_group_ids(self) -> list[str]:
        """The tasks' security groups."""
        return self.get_list("security_group_ids")

    @property
    def load_balancer_security_group_ids(self) -> list[str]:
        """The ALB's groups (the first is `shared_alb.security_group_id` for services sharing it)."""
        return self.get_list("load_balancer_security_group_ids")


def service_outputs(scope: Construct, id: str, env: EnvConfig, service_name: str, **options: Any) -> ServiceRemoteState:
    """The outputs of service `service_name` of `env` (a loaded env file), read from its S3 remote state."""
    return ServiceRemoteState(scope, id, env=env, service_name=service_name, **options)


def _find_service(env: EnvConfig, service_name: str) -> ServiceConfig:
    for service in env.services:
        if service.service_name == service_name:
            return service
    known = ", ".join(s.service_name for s in env.services)
    raise ValueError(f"service_outputs: {env.environment!r} has no service {service_name!r} (its services: {known})")
