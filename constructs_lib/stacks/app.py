"""Builds cdktf apps of env files: an `EnvironmentStack` and one stack per service, worker and scheduled task, or
one `BootstrapStack` per environment."""

from __future__ import annotations

from collections.abc import Callable

from .._jsii.engine import App, TerraformStack
from ..config import EnvConfig
from ..config.service_names import bootstrap_stack_name, environment_stack_name, stack_name
from .bootstrap import BootstrapStack
from .environment import EnvironmentStack
from .stack import ServiceStack
from .workload_stacks import ScheduledTaskStack, WorkerStack

AddStacks = Callable[[App, list[EnvConfig]], list[TerraformStack]]


def build_app(envs: list[EnvConfig], outdir: str | None, add_stacks: AddStacks | None = None) -> App:
    """A cdktf App of the env files; `outdir` None leaves it to cdktf (`CDKTF_OUTDIR`, then `cdktf.out`)."""
    app = App(outdir=outdir)
    (add_stacks or add_service_stacks)(app, envs)
    return app


def add_service_stacks(app: App, envs: list[EnvConfig]) -> list[TerraformStack]:
    """Per env file: its environment stack, then one stack per service, worker and scheduled task, in that order."""
    stacks: list[TerraformStack] = []
    for env in envs:
        stacks.append(EnvironmentStack(app, environment_stack_name(env), env=env))
        stacks += [ServiceStack(app, stack_name(env, service), env=env, service=service) for service in env.services]
        stacks += [WorkerStack(app, stack_name(env, worker), env=env, worker=worker) for worker in env.workers]
        stacks += [ScheduledTaskStack(app, stack_name(env, task), env=env, task=task) for task in env.scheduled_tasks]
    return stacks


def add_bootstrap_stacks(app: App, envs: list[EnvConfig], *, state_in_bucket: bool = False) -> list[TerraformStack]:
    return [BootstrapStack(app, bootstrap_stack_name(env), env=env, state_in_bucket=state_in_bucket) for env in envs]
