"""`python -m constructs_lib` / `ecs-cdktf`: validate and synthesize env files.

Exit codes: 0 success; 2 invalid input (every problem printed, one line each, nothing written); 3 the guard
found a replacement, a destroy or an orphaned state; 1 an unexpected failure (one line; `--debug` shows the
traceback).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import tempfile
from functools import partial
from pathlib import Path
from typing import Sequence

from .config import ConfigError, EnvConfig, load_env_file
from . import config_diff, cost, diagram, output
from .config.collisions import collisions
from .config.errors import location
from .config.loader import policy_warnings
from .fast_kernel import JSII_QUIET, import_fast

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_INVALID = 2
EXIT_UNSAFE = 3



def load_env_files(paths: Sequence[str | Path], *, warn: bool = False, one_deployment: bool = True) -> list[EnvConfig]:
    """Load every file, then raise one ConfigError with the problems of all of them. With `one_deployment` (the
    files are synthesized and applied side by side), names two files would share (stacks, state keys, DNS names,
    AWS resources) are problems too; `diff` compares files instead. With `warn`, print each file's warnings."""
    envs: list[EnvConfig] = []
    loaded: list[tuple[str, EnvConfig]] = []
    problems: list[str] = []
    for path in paths:
        try:
            env = load_env_file(path)
        except ConfigError as error:
            problems += error.problems
            continue
        envs.append(env)
        loaded.append((str(path), env))
        if warn:
            for line in policy_warnings(env):
                print(f"{path}: {line}", file=sys.stderr)
    problems += [
        f"{loaded[found.env_index][0]}: {location(found.loc)}: {found.message}"
        for found in (collisions(loaded) if one_deployment else [])
        if found.first_env_index != found.env_index  # within one file: reported by its EnvConfig already
    ]
    if problems:
        raise ConfigError(problems)
    return envs


def synthesize(
    envs: list[EnvConfig], outdir: Path, *, bootstrap: bool = False, state_in_bucket: bool = False
) -> list[tuple[str, int, str]]:
    """Synthesize into `outdir`, replacing only the files synth writes there (see output.py).

    Service stacks by default; with `bootstrap`, the state-bucket stack of each env (its state in that bucket
    with `state_in_bucket`). Returns (stack, resource count, state location) per stack."""
    summary: list[tuple[str, int, str]] = []

    def synth(staging: Path) -> None:  # cdktf and jsii only once the outdir is created and locked
        app = import_fast(f"{__package__}.app")
        add_stacks = (
            partial(app.add_bootstrap_stacks, state_in_bucket=state_in_bucket) if bootstrap else app.add_service_stacks
        )
        app.build_app(envs, str(staging), add_stacks).synth()
        summary.extend(_stack_summary(path) for path in sorted((staging / "stacks").glob("*/cdk.tf.json")))

    written = output.write_outdir(outdir, synth, notify=lambda line: print(line, file=sys.stderr))
    for stack in written.kept:
        print(f"{outdir / 'stacks' / stack}: no longer synthesized; kept whole, as it holds files synth did not write "
              "(terraform destroy there first if it was applied, then remove it yourself)", file=sys.stderr)
    return summary


def _stack_summary(path: Path) -> tuple[str, int, str]:
    document = json.loads(path.read_text())
    resources = sum(len(items) for items in document.get("resource", {}).values())
    backend = document["terraform"]["backend"]
    location = backend["s3"]["key"] if "s3" in backend else f"local: {backend['local']['path']}"
    return path.parent.name, resources, location


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _cmd_validate(args: argparse.Namespace) -> int:
    envs = load_env_files(args.env_files, warn=True)
    for path, env in zip(args.env_files, envs):
        print(f"{path}: valid ({_plural(len(env.services), 'service')})")
    return EXIT_OK


def _load_for_outdir(paths: Sequence[str], outdir: Path) -> list[EnvConfig]:
    """The env files, checked together with the outdir: every problem of both in one run."""
    refused = output.refusal(outdir)
    try:
        envs = load_env_files(paths, warn=True)
    except ConfigError as error:
        raise ConfigError(error.problems + ([refused] if refused else [])) from None
    if refused:
        raise output.OutdirError(refused)
    return envs


def _cmd_synth(args: argparse.Namespace) -> int:
    envs = _load_for_outdir(args.env_files, Path(args.outdir))
    _print_summary(synthesize(envs, Path(args.outdir)), Path(args.outdir), "STATE KEY")
    return EXIT_OK


def _cmd_bootstrap(args: argparse.Namespace) -> int:
    envs = _load_for_outdir([args.env_file], Path(args.outdir))
    stack = f"bootstrap-{envs[0].environment}"  # state_bucket.bootstrap_stack_name, without importing cdktf
    kept = args.backend is None and output.previous_backend(Path(args.outdir), stack) == "s3"
    in_bucket = args.backend == "s3" or kept
    summary = synthesize(envs, Path(args.outdir), bootstrap=True, state_in_bucket=in_bucket)
    _print_summary(summary, Path(args.outdir), "STATE")
    if kept:
        print(f"{stack}: kept its s3 backend (its state is in the bucket); --backend local switches back")
    elif in_bucket:
        print("next: cd into the stack, terraform init -migrate-state (moves its terraform.tfstate into the bucket); "
              "later bootstrap runs keep the s3 backend")
    else:
        print("next: cd into the stack, terraform init && terraform apply; keep its terraform.tfstate "
              "(or move it into the bucket: bootstrap --backend s3, then terraform init -migrate-state)")
    return EXIT_OK


def _print_summary(summary: list[tuple[str, int, str]], outdir: Path, state_title: str) -> None:
    width = max(len("STACK"), *(len(stack) for stack, _, _ in summary))
    for stack, _, _ in summary:
        print(f"synthesized {stack}")
    print(f"\n{'STACK'.ljust(width)}  RESOURCES  {state_title}")
    for stack, resources, location in summary:
        print(f"{stack.ljust(width)}  {resources:>9}  {location}")
    print(f"\n{_plural(len(summary), 'stack')} in {outdir / 'stacks'}")


def _cmd_guard(args: argparse.Namespace) -> int:
    from .guard import additions, findings, fingerprint_outdir
    from .force_new import identity
    from .guard_lock import LockError, read_lock, write_lock

    lock_path = Path(args.lock)
    try:  # before the synth: a broken lock fails in a second, and `--update` never overwrites one
        lock = read_lock(lock_path)
    except LockError as error:
        print(f"{error}; fix or delete it, then record it again with --update", file=sys.stderr)
        return EXIT_INVALID
    envs = load_env_files(args.env_files, warn=True)
    with tempfile.TemporaryDirectory() as scratch:
        current = fingerprint_outdir(_synth_quietly(envs, Path(scratch) / "out"))
    locked, data = lock if lock is not None else (None, None)
    if locked is None or args.update:
        kept = {s: r for s, r in (locked or {}).items() if args.only_given and s not in current}
        write_lock(lock_path, {**kept, **current})
        print(f"{lock_path}: {'recorded' if locked is None else 'updated'} {_plural(len(current), 'stack')}")
        return EXIT_OK
    problems = findings({s: r for s, r in locked.items() if s in current or not args.only_given}, current,
                        same_data=data == identity())
    for line in problems:
        print(line, file=sys.stderr)
    new = additions(locked, current)
    if new:
        print(f"not in {lock_path} yet (run with --update to record): {', '.join(new)}")
    if problems:
        print(f"{_plural(len(problems), 'destructive change')} found; if intended, run with --update and say why "
              "in review", file=sys.stderr)
        return EXIT_UNSAFE
    print(f"{lock_path}: no resource would be replaced, destroyed or orphaned ({_plural(len(current), 'stack')})")
    return EXIT_OK


def _synth_quietly(envs: list[EnvConfig], outdir: Path) -> Path:
    synthesize(envs, outdir)
    return outdir


def _cmd_schema(args: argparse.Namespace) -> int:
    from .schema import render_schema

    text = render_schema()
    if args.output:
        Path(args.output).write_text(text)
        print(f"wrote {args.output}")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _cmd_list(args: argparse.Namespace) -> int:
    from .service_names import stack_name, state_key

    for env in load_env_files(args.env_files):
        for service in env.services:
            print(f"{stack_name(env, service)}\ts3://{env.state.bucket}/{state_key(env, service)}")
    return EXIT_OK


def _cmd_prerequisites(args: argparse.Namespace) -> int:
    from .prerequisites import service_prerequisites
    from .service_names import stack_name

    for env in load_env_files(args.env_files):
        for service in env.services:
            print(f"{stack_name(env, service)} (account {env.account_id}, {env.region}):")
            for item in service_prerequisites(env, service):
                print(f"  {item.kind:<24} {item.name}\n  {'':<24} {item.why}")
    return EXIT_OK


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
    validate.set_defaults(run=_cmd_validate)

    synth = commands.add_parser("synth", help="write OUTDIR/stacks/<environment>-<service>/cdk.tf.json")
    synth.add_argument("env_files", nargs="+", metavar="ENV_FILE")
    synth.add_argument(
        "--outdir", default="cdktf.out",
        help="output folder; on success only the files synth writes are replaced, the rest is kept (default: cdktf.out)",
    )
    synth.set_defaults(run=_cmd_synth)

    bootstrap = commands.add_parser(
        "bootstrap", help="write the stack that creates the S3 state bucket of an env (local state)"
    )
    bootstrap.add_argument("env_file", metavar="ENV_FILE")
    bootstrap.add_argument("--outdir", default="cdktf.bootstrap", help="output folder (default: cdktf.bootstrap)")
    bootstrap.add_argument(
        "--backend", choices=("local", "s3"), default=None,
        help="where the stack keeps its own state: local terraform.tfstate (the first apply), or s3: the bucket it "
        "created, after terraform init -migrate-state (default: s3 if the stack in OUTDIR has it, else local)",
    )
    bootstrap.set_defaults(run=_cmd_bootstrap)

    guard = commands.add_parser(
        "guard", help="fail when a synth would destroy or replace a resource recorded in the lock file"
    )
    guard.add_argument("env_files", nargs="+", metavar="ENV_FILE")
    guard.add_argument("--lock", default="stacks.lock.json", help="lock file (default: stacks.lock.json)")
    guard.add_argument("--update", action="store_true", help="record the current addresses and attributes on purpose")
    guard.add_argument(
        "--only-given", action="store_true",
        help="check (and with --update, record) only the stacks of the given env files; the lock keeps the others",
    )
    guard.set_defaults(run=_cmd_guard)

    schema = commands.add_parser("schema", help="print the env file's JSON Schema (envs/schema/env-file.schema.json)")
    schema.add_argument("--output", metavar="FILE", help="write it to FILE instead of standard output")
    schema.set_defaults(run=_cmd_schema)

    listing = commands.add_parser("list", help="print each stack and its state location, without synthesizing")
    listing.add_argument("env_files", nargs="+", metavar="ENV_FILE")
    listing.set_defaults(run=_cmd_list)

    prerequisites = commands.add_parser(
        "prerequisites", help="print what must exist in the account before apply, with the exact names"
    )
    prerequisites.add_argument("env_files", nargs="+", metavar="ENV_FILE")
    prerequisites.set_defaults(run=_cmd_prerequisites)

    config_diff.register(commands)
    cost.register(commands)
    diagram.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    for name, value in JSII_QUIET.items():
        os.environ.setdefault(name, value)
    try:
        return args.run(args)
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return EXIT_OK
    except ConfigError as error:
        for line in error.problems:
            print(line, file=sys.stderr)
        count = len(error.problems)
        print(f"{count} problem{'s' if count != 1 else ''} found; nothing was written", file=sys.stderr)
        return EXIT_INVALID
    except output.OutdirError as error:
        print(f"{error}; nothing was written", file=sys.stderr)
        return EXIT_INVALID
    except (output.Interrupted, KeyboardInterrupt) as interrupted:
        signum = getattr(interrupted, "signum", signal.SIGINT)
        print(f"interrupted ({signal.Signals(signum).name}): the outdir holds its previous or the complete new output",
              file=sys.stderr)
        return 128 + signum
    except Exception as error:  # noqa: BLE001 - the CLI reports, it does not crash
        if args.debug:
            raise
        print(f"error: {type(error).__name__}: {error} (run with --debug for the traceback)", file=sys.stderr)
        return EXIT_FAILURE
