"""Builds the cdktf app of a set of env files: one `ServiceStack` per service of each file."""

from __future__ import annotations

from cdktf import App

from .config import EnvConfig
from .stack import ServiceStack, stack_name


def build_app(envs: list[EnvConfig], outdir: str) -> App:
    app = App(outdir=outdir, skip_validation=False)
    add_service_stacks(app, envs)
    return app


def add_service_stacks(app: App, envs: list[EnvConfig]) -> list[ServiceStack]:
    return [
        ServiceStack(app, stack_name(env, service), env=env, service=service)
        for env in envs
        for service in env.services
    ]
