"""The env-file front ends of `WorkerService` and `ScheduledTask`: the validated models as the user wrote them, made
literal (literal.py) before they are compiled to props (from_config.py), as `EcsFargateService` does for a web
service."""

from __future__ import annotations

from constructs import Construct

from .._jsii.embedded_json import renders_hcl
from .._jsii.literal import literal_data
from ..config import EnvConfig
from ..config.workloads import ScheduledTaskConfig, WorkerConfig
from .from_config import literal_env, scheduled_task_props, worker_props
from .scheduled_task import ScheduledTask
from .worker_service import WorkerService


def worker_from_config(scope: Construct, id: str, env: EnvConfig, worker: WorkerConfig) -> WorkerService:
    hcl = renders_hcl(scope)
    props = worker_props(literal_env(env, hcl=hcl), literal_data(worker, hcl=hcl))
    return WorkerService(scope, id, props=props, _literal=True)


def scheduled_task_from_config(scope: Construct, id: str, env: EnvConfig, task: ScheduledTaskConfig) -> ScheduledTask:
    hcl = renders_hcl(scope)
    props = scheduled_task_props(literal_env(env, hcl=hcl), literal_data(task, hcl=hcl))
    return ScheduledTask(scope, id, props=props, _literal=True)
