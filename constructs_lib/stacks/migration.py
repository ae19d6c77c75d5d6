"""Moving the clusters and namespaces that service stacks of earlier releases created into the environment stack,
without destroying them: each service stack forgets them (`removed` blocks, lifecycle destroy = false) and the
environment stack adopts them (`import` blocks, under `environment_resources.import_existing`).

A `removed` block for an address the state does not hold is a no-op, so the blocks stay in every service stack
whose cluster or namespace the environment owns: a service stack applied before (or without) the migration never
plans to destroy a cluster other services run in. The guard (tools/guard.py) reads them as moves.
"""

from __future__ import annotations

from .._jsii.engine import TerraformStack
from .._jsii.fast_void import unanswered
from ..config import EnvConfig, ServiceConfig
from ..config.service_names import cluster_users, owned_namespaces

# The addresses of a service stack's own cluster and namespace (constructs/cluster.py, discovery.py).
SERVICE_STACK_CLUSTER = (
    "aws_ecs_cluster.cluster",
    "aws_ecs_cluster_capacity_providers.cluster_capacity_providers",
)
SERVICE_STACK_NAMESPACE = ("aws_service_discovery_http_namespace.service_connect_namespace",)


def moved_to_environment(env: EnvConfig, service: ServiceConfig) -> list[str]:
    """The addresses of `service`'s stack whose resources the environment stack owns now."""
    moved: list[str] = []
    if service in cluster_users(env, service.cluster_name):
        moved += SERVICE_STACK_CLUSTER
    if service.service_connect and service.service_connect.namespace in owned_namespaces(env):
        moved += SERVICE_STACK_NAMESPACE
    return moved


def forget_moved_to_environment(stack: TerraformStack, env: EnvConfig, service: ServiceConfig) -> None:
    removed = [{"from": address, "lifecycle": {"destroy": False}} for address in moved_to_environment(env, service)]
    if removed:
        with unanswered():
            stack.add_override("removed", removed)
