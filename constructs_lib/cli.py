"""`python -m constructs_lib` / `ecs-cdktf`: validate and synthesize env files.

Exit codes: 0 success; 2 invalid input (every problem printed, one line each, nothing written); 1 an
unexpected failure (one line; `--debug` shows the traceback).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Sequence

from .config import ConfigError, EnvConfig, load_env_file

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_INVALID = 2

# jsii warns on every start that Node 20 is past end-of-life; the warning is not actionable for our users.
JSII_QUIET = {"JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20", "JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION": "1"}


def load_env_files(paths: Sequence[str | Path]) -> list[EnvConfig]:
    """Load every file, then raise one ConfigError with the problems of all of them."""
    envs: list[EnvConfig] = []
    problems: list[str] = []
    for path in paths:
        try:
            envs.append(load_env_file(path))
        except ConfigError as error:
            problems += error.problems
    if problems:
        raise ConfigError(problems)
    return envs


def synthesize(envs: list[EnvConfig], outdir: Path) -> list[tuple[str, int, str]]:
    """Synthesize into a temporary folder beside `outdir` and move it in place only when all stacks succeed.

    Returns (stack, resource count, state key) per stack."""
    for name, value in JSII_QUIET.items():
        os.environ.setdefault(name, value)
    from .app import build_app  # imports cdktf and jsii: only when there is something to synthesize
    from .stack import stack_name, state_key

    outdir = outdir.resolve()
    outdir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{outdir.name}-", dir=outdir.parent))
    try:
        build_app(envs, str(staging)).synth()
        summary = [
            (stack_name(env, service), _count_resources(staging, stack_name(env, service)), state_key(env, service))
            for env in envs
            for service in env.services
        ]
        if outdir.exists():
            shutil.rmtree(outdir)
        staging.rename(outdir)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return summary


def _count_resources(outdir: Path, stack: str) -> int:
    import json

    document = json.loads((outdir / "stacks" / stack / "cdk.tf.json").read_text())
    return sum(len(resources) for resources in document.get("resource", {}).values())


def _cmd_validate(args: argparse.Namespace) -> int:
    envs = load_env_files(args.env_files)
    for path, env in zip(args.env_files, envs):
        print(f"{path}: valid ({len(env.services)} service{'s' if len(env.services) != 1 else ''})")
    return EXIT_OK


def _cmd_synth(args: argparse.Namespace) -> int:
    envs = load_env_files(args.env_files)
    summary = synthesize(envs, Path(args.outdir))
    width = max(len(stack) for stack, _, _ in summary)
    for stack, resources, _ in summary:
        print(f"synthesized {stack}")
    print()
    print(f"{'STACK'.ljust(width)}  RESOURCES  STATE KEY")
    for stack, resources, key in summary:
        print(f"{stack.ljust(width)}  {resources:>9}  {key}")
    print(f"\n{len(summary)} stack{'s' if len(summary) != 1 else ''} in {Path(args.outdir) / 'stacks'}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m constructs_lib",
        description="Validate env files and synthesize one Terraform stack per ECS Fargate service.",
        epilog="Exit codes: 0 success, 1 unexpected failure, 2 invalid input (nothing written).",
    )
    parser.add_argument("--debug", action="store_true", help="show the traceback of an unexpected failure")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", help="check env files without writing anything")
    validate.add_argument("env_files", nargs="+", metavar="ENV_FILE")
    validate.set_defaults(run=_cmd_validate)

    synth = commands.add_parser("synth", help="write OUTDIR/stacks/<environment>-<service>/cdk.tf.json")
    synth.add_argument("env_files", nargs="+", metavar="ENV_FILE")
    synth.add_argument("--outdir", default="cdktf.out", help="output folder, replaced on success (default: cdktf.out)")
    synth.set_defaults(run=_cmd_synth)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except ConfigError as error:
        for line in error.problems:
            print(line, file=sys.stderr)
        count = len(error.problems)
        print(f"{count} problem{'s' if count != 1 else ''} found; nothing was written", file=sys.stderr)
        return EXIT_INVALID
    except Exception as error:  # noqa: BLE001 - the CLI reports, it does not crash
        if args.debug:
            raise
        print(f"error: {type(error).__name__}: {error} (run with --debug for the traceback)", file=sys.stderr)
        return EXIT_FAILURE
