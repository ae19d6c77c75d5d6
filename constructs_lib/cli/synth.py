"""The commands that synthesize: `synth`, `bootstrap`, `guard` and `diagram`, and `synthesize`, which they share.

Synthesis writes through stacks/output.py, which replaces only the files synth writes in an outdir.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Sequence
from functools import partial
from pathlib import Path

from .._jsii.fast_kernel import import_fast
from ..config import ConfigError, EnvConfig, load_env_files
from ..config.service_names import bootstrap_stack_name, environment_stack_name, stack_name
from ..stacks import output
from ..tools import diagram
from .commands import EXIT_INVALID, EXIT_OK, EXIT_UNSAFE, plural


def synthesize(
    envs: list[EnvConfig], outdir: Path, *, bootstrap: bool = False, state_in_bucket: bool = False
) -> list[tuple[str, int, str]]:
    """Synthesize into `outdir`, replacing only the files synth writes there (see output.py).

    Service stacks by default; with `bootstrap`, the state-bucket stack of each env (its state in that bucket
    with `state_in_bucket`). Returns (stack, resource count, state location) per stack."""
    summary: list[tuple[str, int, str]] = []

    def synth(staging: Path) -> None:  # cdktf and jsii only once the outdir is created and locked
        app = import_fast("constructs_lib.stacks.app")
        add_stacks = (
            partial(app.add_bootstrap_stacks, state_in_bucket=state_in_bucket) if bootstrap else app.add_service_stacks
        )
        app.build_app(envs, str(staging), add_stacks).synth()
        summary.extend(_stack_summary(path) for path in sorted((staging / "stacks").glob("*/cdk.tf.json")))

    written = output.write_outdir(outdir, synth, notify=lambda line: print(line, file=sys.stderr))
    for stack in written.kept:
        print(
            f"{outdir / 'stacks' / stack}: no longer synthesized; kept whole, as it holds files synth did not write "
            "(terraform destroy there first if it was applied, then remove it yourself)",
            file=sys.stderr,
        )
    return summary


def _stack_summary(path: Path) -> tuple[str, int, str]:
    document = json.loads(path.read_text())
    resources = sum(len(items) for items in document.get("resource", {}).values())
    backend = document["terraform"]["backend"]
    location = backend["s3"]["key"] if "s3" in backend else f"local: {backend['local']['path']}"
    return path.parent.name, resources, location


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


def cmd_synth(args: argparse.Namespace) -> int:
    envs = _load_for_outdir(args.env_files, Path(args.outdir))
    _print_summary(synthesize(envs, Path(args.outdir)), Path(args.outdir), "STATE KEY")
    return EXIT_OK


def cmd_bootstrap(args: argparse.Namespace) -> int:
    envs = _load_for_outdir([args.env_file], Path(args.outdir))
    stack = bootstrap_stack_name(envs[0])
    kept = args.backend is None and output.previous_backend(Path(args.outdir), stack) == "s3"
    in_bucket = args.backend == "s3" or kept
    summary = synthesize(envs, Path(args.outdir), bootstrap=True, state_in_bucket=in_bucket)
    _print_summary(summary, Path(args.outdir), "STATE")
    if kept:
        print(f"{stack}: kept its s3 backend (its state is in the bucket); --backend local switches back")
    elif in_bucket:
        print(
            "next: cd into the stack, terraform init -migrate-state (moves its terraform.tfstate into the bucket); "
            "later bootstrap runs keep the s3 backend"
        )
    else:
        print(
            "next: cd into the stack, terraform init && terraform apply; keep its terraform.tfstate "
            "(or move it into the bucket: bootstrap --backend s3, then terraform init -migrate-state)"
        )
    return EXIT_OK


def _print_summary(summary: list[tuple[str, int, str]], outdir: Path, state_title: str) -> None:
    width = max(len("STACK"), *(len(stack) for stack, _, _ in summary))
    for stack, _, _ in summary:
        print(f"synthesized {stack}")
    print(f"\n{'STACK'.ljust(width)}  RESOURCES  {state_title}")
    for stack, resources, location in summary:
        print(f"{stack.ljust(width)}  {resources:>9}  {location}")
    print(f"\n{plural(len(summary), 'stack')} in {outdir / 'stacks'}")


def cmd_guard(args: argparse.Namespace) -> int:
    from ..tools.force_new import identity
    from ..tools.guard import additions, findings, fingerprint_outdir
    from ..tools.guard_lock import LockError, read_lock, write_lock

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
        print(f"{lock_path}: {'recorded' if locked is None else 'updated'} {plural(len(current), 'stack')}")
        return EXIT_OK
    problems = findings(
        {s: r for s, r in locked.items() if s in current or not args.only_given}, current, same_data=data == identity()
    )
    for line in problems:
        print(line, file=sys.stderr)
    new = additions(locked, current)
    if new:
        print(f"not in {lock_path} yet (run with --update to record): {', '.join(new)}")
    if problems:
        print(
            f"{plural(len(problems), 'destructive change')} found; if intended, run with --update and say why "
            "in review",
            file=sys.stderr,
        )
        return EXIT_UNSAFE
    print(f"{lock_path}: no resource would be replaced, destroyed or orphaned ({plural(len(current), 'stack')})")
    return EXIT_OK


def cmd_diagram(args: argparse.Namespace) -> int:
    """Draw the stacks as synthesized, in a scratch folder: the picture is of what Terraform is given."""
    (env,) = load_env_files([args.env_file])
    format, dot = diagram.renderer(args.format)
    with tempfile.TemporaryDirectory() as scratch:
        stacks = _synth_quietly([env], Path(scratch) / "out") / "stacks"
        names = [environment_stack_name(env), *(stack_name(env, s) for s in env.workloads)]
        documents = [json.loads((stacks / name / "cdk.tf.json").read_text()) for name in names]
    for path in diagram.write_diagrams(documents, Path(args.outdir), format, dot):
        print(path)
    return EXIT_OK


def _synth_quietly(envs: list[EnvConfig], outdir: Path) -> Path:
    synthesize(envs, outdir)
    return outdir
