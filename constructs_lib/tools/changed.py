"""`changed OLD_OUTDIR NEW_OUTDIR`: the stacks a change added, removed or changed, in apply order.

CI synthesizes the base and the head of a change and plans only what this prints, so its cost grows with the
change, not with the repository. Stacks are found through each outdir's `manifest.json`; two `cdk.tf.json` are
compared as JSON values (key order and formatting do not count) without cdktf's `//` metadata (its version, the
construct paths), so a cdktf upgrade that only rewrites metadata plans nothing, while a change of any resource,
data source, provider, backend, output or local does. An empty outdir stands for "nothing synthesized yet":
every stack of the other is added.

Output: one stack per line in apply order (tools/apply_order.py), nothing when nothing changed. `--json`: the
GitHub Actions matrix of the stacks to plan, `{"include": [batch, ...], "removed": [stack, ...]}` (a removed stack
has nothing to plan in the new output; the guard reports it). Exit 0, or 2 with `PATH: message` when an outdir
or a file in it cannot be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..stacks.output import MANIFEST
from .apply_order import MATRIX_LIMIT, StackInfo, apply_order, matrix

METADATA = "//"  # cdktf's key for metadata, in the document and in each resource


class UnreadableOutdir(Exception):
    """One line, `PATH: what is wrong`."""


@dataclass(frozen=True)
class Change:
    stack: StackInfo
    kind: str  # "added", "removed" or "changed"


def stack_files(outdir: Path) -> dict[str, Path]:
    """Stack name -> its cdk.tf.json, as the outdir's manifest.json names them; {} for an empty folder."""
    if not outdir.is_dir():
        raise UnreadableOutdir(f"{outdir}: {'not a folder' if outdir.exists() else 'no such folder'}")
    manifest = outdir / MANIFEST
    if not manifest.is_file():
        if not any(outdir.iterdir()):
            return {}
        raise UnreadableOutdir(f"{manifest}: missing; {outdir} is not the output of a synth")
    stacks = _read_json(manifest).get("stacks")
    if not isinstance(stacks, dict):
        raise UnreadableOutdir(f"{manifest}: stacks: missing; not a cdktf manifest")
    files = {}
    for name, entry in stacks.items():
        path = entry.get("synthesizedStackPath") if isinstance(entry, dict) else None
        if not isinstance(path, str) or not path.endswith(".json"):
            raise UnreadableOutdir(
                f"{manifest}: stacks.{name}.synthesizedStackPath: {json.dumps(path)}, expected a cdk.tf.json "
                "(changed compares JSON output, not --hcl)"
            )
        files[name] = outdir / path
    return files


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise UnreadableOutdir(f"{path}: {error.strerror or type(error).__name__}") from None


def _read_json(path: Path, data: bytes | None = None) -> dict[str, Any]:
    """The JSON object in `path` (its bytes `data`, when already read)."""
    try:
        document = json.loads(_read_bytes(path) if data is None else data)
    except ValueError as error:
        raise UnreadableOutdir(f"{path}: not valid JSON ({error})") from None
    if not isinstance(document, dict):
        raise UnreadableOutdir(f"{path}: not a JSON object")
    return document


def without_metadata(value: Any) -> Any:
    """`value` without cdktf's `//` keys, at every depth."""
    if isinstance(value, dict):
        return {key: without_metadata(item) for key, item in value.items() if key != METADATA}
    if isinstance(value, list):
        return [without_metadata(item) for item in value]
    return value


def stack_info(name: str, path: Path, document: dict[str, Any]) -> StackInfo:
    """The stack's environment, account and region, from its AWS provider (allowed account, default tags)."""
    try:
        aws = document["provider"]["aws"][0]
        environment = aws["default_tags"][0]["tags"]["environment"]
    except (KeyError, IndexError, TypeError):
        raise UnreadableOutdir(
            f"{path}: provider.aws[0].default_tags[0].tags.environment: missing; cannot tell the stack's environment"
        ) from None
    account_ids = aws.get("allowed_account_ids") or [""]
    return StackInfo(name, str(environment), str(account_ids[0]), str(aws.get("region", "")))


def changes(old: Path, new: Path, environments: Sequence[str] = ()) -> list[Change]:
    """What differs between the two outdirs, in apply order. Raises UnreadableOutdir, and ValueError when a changed
    stack's environment is not among `environments` (when given): CI would have no apply stage for it."""
    before, after = stack_files(old), stack_files(new)
    found = []
    for name in sorted(before.keys() | after.keys()):
        if name not in after:
            found.append(Change(stack_info(name, before[name], _read_json(before[name])), "removed"))
            continue
        data = _read_bytes(after[name])
        document = _read_json(after[name], data)
        if name in before:
            old_data = _read_bytes(before[name])
            if old_data == data or without_metadata(_read_json(before[name], old_data)) == without_metadata(document):
                continue
        found.append(Change(stack_info(name, after[name], document), "changed" if name in before else "added"))
    unknown = [c.stack for c in found if environments and c.stack.environment not in environments]
    if unknown:
        raise ValueError(
            f"{unknown[0].name}: environment {unknown[0].environment!r} is not in the declared order "
            f"({', '.join(environments)}); add it there"
        )
    by_name = {change.stack.name: change for change in found}
    return [by_name[stack.name] for stack in apply_order([c.stack for c in found], environments)]


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of 1 or more")
    return int(text)


def _run(args: argparse.Namespace) -> int:
    order = [name for name in args.order.replace(",", " ").split() if name] if args.order else []
    try:
        found = changes(Path(args.old), Path(args.new), order)
        planned = [change.stack for change in found if change.kind != "removed"]
        document = {**matrix(planned, args.max_jobs), "removed": [c.stack.name for c in found if c.kind == "removed"]}
    except (UnreadableOutdir, ValueError) as error:
        print(error, file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(document, separators=(",", ":")))
    else:
        for change in found:
            print(change.stack.name)
    return 0


def register(commands: Any) -> None:
    """Add the `changed` subcommand to the CLI's subparsers."""
    parser = commands.add_parser(
        "changed",
        help="print the stacks whose cdk.tf.json a change added, removed or changed, in apply order",
        description="Compare two synth outputs (e.g. of the base and the head of a pull request) stack by stack, "
        "as JSON values without cdktf's '//' metadata, and print each stack added, removed or changed, one per "
        "line, in apply order: bootstrap stacks, then each environment (environment stack first, then its "
        "services). Nothing is printed when nothing changed. An empty OLD_OUTDIR means everything is added.",
        epilog="Exit codes: 0 whether or not stacks changed, 2 when an outdir or a stack file cannot be read or "
        "a changed stack's environment is not in --order.",
    )
    parser.add_argument("old", metavar="OLD_OUTDIR", help="the synth output of the base (an empty folder: none)")
    parser.add_argument("new", metavar="NEW_OUTDIR", help="the synth output of the change")
    parser.add_argument(
        "--order",
        metavar="ENV,ENV...",
        help="the environments in apply order, e.g. dev,staging,prod (commas or spaces); with it, a changed "
        "stack of another environment is an error (default: alphabetical)",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help='print the GitHub Actions matrix instead: {"include": [{batch, environment, phase, account_id, '
        'region, stacks}, ...], "removed": [...]}, added and changed stacks batched in apply order',
    )
    parser.add_argument(
        "--max-jobs",
        type=_positive,
        default=MATRIX_LIMIT,
        metavar="N",
        help=f"most batches in the matrix (default: {MATRIX_LIMIT}, GitHub's limit)",
    )
    parser.set_defaults(run=_run)
