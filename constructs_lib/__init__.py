"""ecs-cdktf: ECS Fargate services on Terraform from validated env files.

Public API (construct classes load cdktf and jsii on first use, so `validate` stays fast):
  EnvConfig, ServiceConfig, load_env_file(s), ConfigError - config models and loading
  WebService, WebServiceProps, PropsError                - the web service from typed props, for your own stacks
  WorkerService, WorkerServiceProps                      - a queue worker (no load balancer), scaled on its backlog
  WorkerAutoscalingConfig, QueueBacklogConfig            - a worker's scaling on CPU, memory and an SQS backlog
  ScheduledTask, ScheduledTaskProps, RetryConfig         - a task EventBridge Scheduler runs on a schedule
  FargateCluster, ClusterSettings, ClusterReference      - a cluster to share, or an existing one
  NetworkConfig, Domain                                  - where a service runs and its DNS name
  EcsFargateService                                      - the web service of an env file's service
  ServiceStack, WorkerStack, ScheduledTaskStack          - one stack per workload: provider, S3 state, outputs
  PinnedStack, s3_backend                                - a stack of your own pinned as ours, S3 state locked
  ECSBuilder, ApplicationHelper                          - the ECSBuilder fluent API
  build_app, add_service_stacks                          - a cdktf App of env files
  service_outputs, ServiceRemoteState                    - another stack's view of a deployed service
  literal, renders_hcl                                   - user text into your own constructs, byte for byte

Module paths are not the API: the modules live in config/, constructs/, patterns/, stacks/, tools/, cli/ and the
private _jsii/, and move when the layout needs it; import these names from `constructs_lib`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._jsii import engine as _engine

if TYPE_CHECKING:
    from .config import ConfigError, EnvConfig, ServiceConfig, load_env_file, load_env_files  # noqa: F401

# Loaded on first use, the config models too: `python -m constructs_lib synth` starts the jsii kernel before
# pydantic is imported (fast_kernel.start_kernel_early).
_LAZY = {
    "ConfigError": ".config",
    "EnvConfig": ".config",
    "ServiceConfig": ".config",
    "load_env_file": ".config",
    "load_env_files": ".config",
    "EcsFargateService": ".patterns.service",
    "WebService": ".patterns.web_service",
    "WebServiceProps": ".patterns.web_service_props",
    "PropsError": ".patterns.props_errors",
    "WorkerService": ".patterns.worker_service",
    "WorkerServiceProps": ".patterns.headless_props",
    "WorkerAutoscalingConfig": ".props.worker",
    "QueueBacklogConfig": ".props.worker",
    "ScheduledTask": ".patterns.scheduled_task",
    "ScheduledTaskProps": ".patterns.headless_props",
    "RetryConfig": ".props.scheduled_task",
    "FargateCluster": ".constructs.cluster",
    "ClusterSettings": ".constructs.cluster",
    "ClusterReference": ".constructs.cluster",
    "NetworkConfig": ".props.network",
    "Domain": ".props.network",
    "ServiceStack": ".stacks.stack",
    "PinnedStack": ".stacks.stack",
    "WorkerStack": ".stacks.workload_stacks",
    "ScheduledTaskStack": ".stacks.workload_stacks",
    "s3_backend": ".stacks.stack",
    "ECSBuilder": ".patterns.builder",
    "ApplicationHelper": ".patterns.builder",
    "build_app": ".stacks.app",
    "add_service_stacks": ".stacks.app",
    "service_outputs": ".stacks.remote_state",
    "ServiceRemoteState": ".stacks.remote_state",
    "literal": "._jsii.literal",
    "renders_hcl": "._jsii.embedded_json",
}

__all__ = [*_LAZY]

# On CDK Terrain, `import cdktf` (and the cdktf provider's package name) gives its modules: apps written for cdktf
# run unchanged on either engine (_jsii/engine.py). Finds the engine on disk only; imports none.
_engine.alias_cdktf()


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
