"""The exit codes, and the commands that only read env files: `validate`, `schema`, `list`, `prerequisites`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..config import load_env_files

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_INVALID = 2
EXIT_UNSAFE = 3


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def cmd_validate(args: argparse.Namespace) -> int:
    envs = load_env_files(args.env_files, warn=True)
    for path, env in zip(args.env_files, envs, strict=True):
        counts = [plural(len(env.services), "service")]
        counts += [
            plural(len(items), noun)
            for items, noun in ((env.workers, "worker"), (env.scheduled_tasks, "scheduled task"))
            if items
        ]
        print(f"{path}: valid ({', '.join(counts)})")
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from ..tools.schema import render_schema

    text = render_schema()
    if args.output:
        Path(args.output).write_text(text)
        print(f"wrote {args.output}")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    """The stacks in apply order: the state bucket (bootstrap, local state until moved into the bucket), the
    environment stack, then the workloads (services, workers, scheduled tasks)."""
    from ..config.service_names import (
        bootstrap_stack_name,
        environment_stack_name,
        environment_stack_state_key,
        stack_name,
        state_key,
    )

    for env in load_env_files(args.env_files):
        print(f"{bootstrap_stack_name(env)}\tlocal (bootstrap --backend s3 moves it into s3://{env.state.bucket})")
        print(f"{environment_stack_name(env)}\ts3://{env.state.bucket}/{environment_stack_state_key(env)}")
        for workload in env.workloads:
            print(f"{stack_name(env, workload)}\ts3://{env.state.bucket}/{state_key(env, workload)}")
    return EXIT_OK


def cmd_prerequisites(args: argparse.Namespace) -> int:
    from ..config.service_names import environment_stack_name, stack_name
    from ..tools.prerequisites import environment_prerequisites, workload_prerequisites

    for env in load_env_files(args.env_files):
        stacks = [(environment_stack_name(env), environment_prerequisites(env))]
        stacks += [(stack_name(env, workload), workload_prerequisites(env, workload)) for workload in env.workloads]
        for stack, items in stacks:
            print(f"{stack} (account {env.account_id}, {env.region}):")
            for item in items:
                print(f"  {item.kind:<24} {item.name}\n  {'':<24} {item.why}")
    return EXIT_OK
