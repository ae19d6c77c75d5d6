"""`python -m constructs_lib` / `ecs-cdktf`: validate and synthesize env files.

Exit codes: 0 success; 2 invalid input (every problem printed, one line each, nothing written); 3 the guard
found a replacement, a destroy or an orphaned state; 1 an unexpected failure (one line; `--debug` shows the
traceback).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Sequence
from typing import Any

from .._jsii import engine, fast
from .._jsii.fast_kernel import JSII_QUIET
from ..config import ConfigError
from ..stacks import output
from ..stacks.signals import Interrupted
from ..tools import changed, config_diff, cost, diagram
from .commands import EXIT_FAILURE, EXIT_INVALID, EXIT_OK, cmd_list, cmd_prerequisites, cmd_schema, cmd_validate
from .synth import cmd_bootstrap, cmd_diagram, cmd_guard, cmd_synth


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m constructs_lib",
        description="Validate env files and synthesize one Terraform stack per ECS Fargate service.",
        epilog="Exit codes: 0 success, 1 unexpected failure (or `diff --exit-code`: the files differ), "
        "2 invalid input (nothing written), 3 guard found a replacement, a destroy or an orphaned state.",
    )
    parser.add_argument("--debug", action="store_true", help="show the traceback of an unexpected failure")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", help="check env files without writing anything")
    validate.add_argument("env_files", nargs="+", metavar="ENV_FILE")
    validate.set_defaults(run=cmd_validate)

    _add_synth_commands(commands)

    schema = commands.add_parser("schema", help="print the env file's JSON Schema (envs/schema/env-file.schema.json)")
    schema.add_argument("--output", metavar="FILE", help="write it to FILE instead of standard output")
    schema.set_defaults(run=cmd_schema)

    listing = commands.add_parser("list", help="print each stack and its state location, without synthesizing")
    listing.add_argument("env_files", nargs="+", metavar="ENV_FILE")
    listing.set_defaults(run=cmd_list)

    prerequisites = commands.add_parser(
        "prerequisites", help="print what must exist in the account before apply, with the exact names"
    )
    prerequisites.add_argument("env_files", nargs="+", metavar="ENV_FILE")
    prerequisites.set_defaults(run=cmd_prerequisites)

    changed.register(commands)
    config_diff.register(commands)
    cost.register(commands)
    diagram.register(commands, cmd_diagram)
    return parser


def _add_synth_commands(commands: Any) -> None:
    """The commands that synthesize (cli/synth.py): `synth`, `bootstrap` and `guard`."""
    synth = commands.add_parser("synth", help="write OUTDIR/stacks/<environment>-<service>/cdk.tf.json")
    synth.add_argument("env_files", nargs="+", metavar="ENV_FILE")
    synth.add_argument(
        "--outdir",
        default="cdktf.out",
        help="output folder; on success only the files synth writes are replaced, the rest is kept (default: cdktf.out)",
    )
    synth.set_defaults(run=cmd_synth)

    bootstrap = commands.add_parser(
        "bootstrap", help="write the stack that creates the S3 state bucket of an env (local state)"
    )
    bootstrap.add_argument("env_file", metavar="ENV_FILE")
    bootstrap.add_argument("--outdir", default="cdktf.bootstrap", help="output folder (default: cdktf.bootstrap)")
    bootstrap.add_argument(
        "--backend",
        choices=("local", "s3"),
        default=None,
        help="where the stack keeps its own state: local terraform.tfstate (the first apply), or s3: the bucket it "
        "created, after terraform init -migrate-state (default: s3 if the stack in OUTDIR has it, else local)",
    )
    bootstrap.set_defaults(run=cmd_bootstrap)

    guard = commands.add_parser(
        "guard", help="fail when a synth would destroy or replace a resource recorded in the lock file"
    )
    guard.add_argument("env_files", nargs="+", metavar="ENV_FILE")
    guard.add_argument("--lock", default="stacks.lock.json", help="lock file (default: stacks.lock.json)")
    guard.add_argument("--update", action="store_true", help="record the current addresses and attributes on purpose")
    guard.add_argument(
        "--only-given",
        action="store_true",
        help="check (and with --update, record) only the stacks of the given env files; the lock keeps the others",
    )
    guard.set_defaults(run=cmd_guard)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.debug:
        fast.show_fallback()  # why the speed tricks are off, if they fell back
    for name, value in JSII_QUIET.items():
        os.environ.setdefault(name, value)
    try:
        return int(args.run(args))
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return EXIT_OK
    except ConfigError as error:
        for line in error.problems:
            print(line, file=sys.stderr)
        count = len(error.problems)
        print(f"{count} problem{'s' if count != 1 else ''} found; nothing was written", file=sys.stderr)
        return EXIT_INVALID
    except (output.OutdirError, engine.EngineError) as error:  # the outdir, or the engine setting or install
        print(f"{error}; nothing was written", file=sys.stderr)
        return EXIT_INVALID
    except (Interrupted, KeyboardInterrupt) as interrupted:
        signum = getattr(interrupted, "signum", signal.SIGINT)
        print(
            f"interrupted ({signal.Signals(signum).name}): the outdir holds its previous or the complete new output",
            file=sys.stderr,
        )
        return 128 + signum
    except Exception as error:  # noqa: BLE001 - the CLI reports, it does not crash
        if args.debug:
            raise
        print(f"error: {type(error).__name__}: {error} (run with --debug for the traceback)", file=sys.stderr)
        return EXIT_FAILURE
