"""`diff ENV_A ENV_B`: the effective-configuration differences of two env files, field by field.

Both files are loaded as `validate` loads them (their `extends` bases merged, every default filled in), then
compared as the validated models dump them, so a key left out on one side and set to its default on the other is
no difference, and a changed default shows up everywhere it applies. Services are matched by `service_name`.

Output: one line per difference, `dotted.path: A-value -> B-value`, values as JSON; env-level keys first (in
the model's order), then each service (in A's order, then services only in B). `$schema` and `extends` are how
a file is written, not what it configures, and are not compared.

Exit codes: 0 whether or not the files differ (with `--exit-code`, 1 when they differ, as `git diff --exit-code`
does), 2 when a file is invalid.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from dataclasses import dataclass
from typing import Any

from ..config import EnvConfig, load_env_files

NOT_COMPARED = ("schema_", "extends")
ABSENT = object()  # a key or list item that one side does not have
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_$-]+")


@dataclass(frozen=True)
class Difference:
    path: str
    before: Any  # ABSENT when only B has it
    after: Any  # ABSENT when only A has it

    whole_service: bool = False  # a service only one env has: named, not printed key by key

    def line(self, a_name: str = "A", b_name: str = "B", colour: bool = False) -> str:
        red, green, reset = ("\033[31m", "\033[32m", "\033[0m") if colour else ("", "", "")
        if self.whole_service:
            side = f"{green}{b_name}{reset}" if self.before is ABSENT else f"{red}{a_name}{reset}"
            return f"{self.path}: only in {side}"
        if self.before is ABSENT:
            return f"{self.path}: only in {b_name}: {green}{_show(self.after)}{reset}"
        if self.after is ABSENT:
            return f"{self.path}: only in {a_name}: {red}{_show(self.before)}{reset}"
        return f"{self.path}: {red}{_show(self.before)}{reset} -> {green}{_show(self.after)}{reset}"


def effective(env: EnvConfig) -> dict[str, Any]:
    """The env as its validated model dumps it (defaults filled in), services keyed by service_name."""
    data = env.model_dump(mode="json", exclude=set(NOT_COMPARED))
    data["services"] = {service["service_name"]: service for service in data["services"]}
    return data


def differences(a: EnvConfig, b: EnvConfig) -> list[Difference]:
    """Every difference between the effective configurations of `a` and `b`, env-level keys first, then per
    service; a service only in one env is one difference (its whole configuration, printed by name)."""
    left, right = effective(a), effective(b)
    found: list[Difference] = []
    for key in _keys(left, right):
        if key != "services":
            _compare(_join("", key), left.get(key, ABSENT), right.get(key, ABSENT), found)
    for name in _keys(left["services"], right["services"]):
        path = _join("services", name)
        before, after = left["services"].get(name, ABSENT), right["services"].get(name, ABSENT)
        if before is ABSENT or after is ABSENT:
            found.append(Difference(path, before, after, whole_service=True))
        else:
            _compare(path, before, after, found)
    return found


def _compare(path: str, before: Any, after: Any, found: list[Difference]) -> None:
    if isinstance(before, dict) and isinstance(after, dict):
        for key in _keys(before, after):
            _compare(_join(path, key), before.get(key, ABSENT), after.get(key, ABSENT), found)
    elif _records(before) and _records(after):
        # Lists of objects (sidecars, volumes, environment files) item by item, so one changed key shows as one line.
        for index in range(max(len(before), len(after))):
            item_before = before[index] if index < len(before) else ABSENT
            item_after = after[index] if index < len(after) else ABSENT
            _compare(f"{path}[{index}]", item_before, item_after, found)
    elif before != after or type(before) is not type(after):
        found.append(Difference(path, before, after))


def _records(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(item, dict) for item in value)


def _keys(left: dict[str, Any], right: dict[str, Any]) -> list[str]:
    """A's keys in A's order, then B's other keys in B's order: stable, and the models' field order."""
    return list(left) + [key for key in right if key not in left]


def _join(path: str, key: str) -> str:
    if not _PLAIN_KEY.fullmatch(key):
        return f"{path}[{json.dumps(key)}]"
    return f"{path}.{key}" if path else key


def _show(value: Any) -> str:
    return json.dumps(value, sort_keys=False, ensure_ascii=False)


def _use_colour() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def _run(args: argparse.Namespace) -> int:
    a, b = load_env_files([args.env_a, args.env_b], one_deployment=False)  # two versions of one environment
    found = differences(a, b)
    if not found:
        print(f"no differences between {args.env_a} and {args.env_b}")
        return 0
    colour = _use_colour()
    print(f"--- {args.env_a}\n+++ {args.env_b}")
    group = None
    for difference in found:
        parts = difference.path.split(".")
        current = ".".join(parts[:2]) if parts[0] == "services" else "env"
        if group is not None and current != group:
            print()
        group = current
        print(difference.line(args.env_a, args.env_b, colour))
    print(f"\n{len(found)} difference{'' if len(found) == 1 else 's'}")
    return 1 if args.exit_code else 0


def register(commands: Any) -> None:
    """Add the `diff` subcommand to the CLI's subparsers."""
    parser = commands.add_parser(
        "diff",
        help="print the effective-configuration differences of two env files, per service, field by field",
        description="Compare two env files after `extends` and defaults: one line per difference, "
        "'dotted.path: A -> B' (values as JSON), env-level keys first, then each service matched by "
        "service_name; a service only in one file is named as such. $schema and extends are not compared.",
        epilog="Exit codes: 0 whether or not the files differ (1 with --exit-code when they differ), "
        "2 when a file is invalid.",
    )
    parser.add_argument("env_a", metavar="ENV_A", help="the env file compared from (e.g. envs/dev.json)")
    parser.add_argument("env_b", metavar="ENV_B", help="the env file compared to (e.g. envs/prod.json)")
    parser.add_argument(
        "--exit-code", action="store_true", help="exit 1 when the files differ, as `git diff --exit-code` does"
    )
    parser.set_defaults(run=_run)
