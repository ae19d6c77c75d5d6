"""`make try` / `make try-destroy`: an env file's stacks applied to the e2e's local emulator, no AWS account.

`up` starts moto_server with the e2e's shims in the background (once; its pid, endpoint and certificate in
`<dir>/emulator.json`), gives it the account the env file expects (seed_env.py), then synthesizes and applies
the bootstrap stack and every service stack exactly as the e2e does (pipeline.py) and prints what was created,
read from `terraform output`. Running it again re-applies into the same emulator. `down` destroys the service
stacks, stops the emulator and removes `<dir>` (the state bucket, which Terraform never destroys, goes with
the emulator). All of it lives in tests/e2e: the emulator and its shims never enter the installed package.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

import tf

from constructs_lib.config import ConfigError, load_env_file

from . import emulator
from .harness import Moto
from .pipeline import Applied, apply_env_file, destroy
from .seed_env import seed_env_file

STATE_FILE = "emulator.json"


def up(env_file: Path, folder: Path) -> int:
    reason = tf.missing_reason()
    if reason:
        print(f"!!!!! make try cannot run: {reason} !!!!!", file=sys.stderr)
        return 1
    try:
        env = load_env_file(env_file)
    except ConfigError as error:
        print("\n".join(error.problems), file=sys.stderr)
        return 2
    moto = running_emulator(folder)
    if moto is None:
        if folder.is_dir() and any(folder.iterdir()) and not (folder / STATE_FILE).exists():
            print(f"{folder} holds files that are not the emulator's: choose another --dir", file=sys.stderr)
            return 2
        print(f"starting the emulator (moto_server, account {env.account_id}) ...", flush=True)
        shutil.rmtree(folder, ignore_errors=True)  # what an earlier emulator, now gone, left behind
        folder.mkdir(parents=True)
        moto, server = emulator.start(folder, account_id=env.account_id, detached=True)
        (folder / STATE_FILE).write_text(json.dumps({"pid": server.pid, **asdict(moto)}, indent=2) + "\n")
        seed_env_file(env, moto.endpoint, moto.ca_file)
    print(f"applying {env_file} to {moto.endpoint}: the bootstrap stack, the environment stack, then "
          f"{len(env.services)} service stack(s) (a few minutes) ...", flush=True)
    applied = apply_env_file(env_file, folder, moto)
    print(report(applied, moto, folder))
    return 0


def running_emulator(folder: Path) -> Moto | None:
    """The emulator an earlier `up` left running, if it still answers."""
    try:
        state = json.loads((folder / STATE_FILE).read_text())
    except (OSError, ValueError):
        return None
    moto = Moto(state["endpoint"], state["ca_file"])
    return moto if emulator.running(state["pid"]) and emulator.answers(moto) else None


def rows(outputs: dict[str, Any]) -> list[tuple[str, str]]:
    """What one service stack created, from its terraform outputs."""
    return [
        ("cluster", outputs["cluster_arn"].rsplit("/", 1)[1]),
        ("cluster ARN", outputs["cluster_arn"]),
        ("service", outputs["service_arn"].rsplit("/", 1)[1]),
        ("load balancer DNS name", outputs["load_balancer_dns_name"]),
        ("URL", outputs["url"]),
    ]


def report(applied: Applied, moto: Moto, folder: Path) -> str:
    lines = [""]
    for stack, outputs in applied.outputs.items():
        if "service_arn" not in outputs:  # the environment stack: what the services run in, listed with them
            continue
        lines.append(stack)
        lines += [f"  {label:<23} {value}" for label, value in rows(outputs)]
    lines += [
        "",
        f"The emulator keeps running at {moto.endpoint} (log: {folder / 'moto_server.log'}); nothing answers",
        "at the URL or the DNS name, they are the emulator's records. Destroy it all: make try-destroy",
    ]
    return "\n".join(lines)


def down(folder: Path) -> int:
    try:
        pid = json.loads((folder / STATE_FILE).read_text())["pid"]
    except (OSError, ValueError):
        print(f"nothing to destroy: no emulator recorded in {folder}")
        return 0
    try:
        if running_emulator(folder):
            stacks = sorted(path for path in (folder / "out" / "stacks").glob("*") if (path / ".terraform").is_dir())
            print(f"destroying {', '.join(path.name for path in stacks) or 'nothing'} ...", flush=True)
            # The services first: the environment stack's clusters go once nothing runs in them.
            environments = [path for path in stacks if path.name.endswith("-environment")]
            destroy([path for path in stacks if path not in environments])
            destroy(environments)
    finally:  # whatever a failed destroy left goes with the emulator
        emulator.stop_pid(pid)
        shutil.rmtree(folder, ignore_errors=True)
    print(f"destroyed; the emulator (pid {pid}) is stopped and {folder} removed")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="try", description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, default=Path(".try"), help="the emulator's state (default: .try)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("up", help="apply an env file to the emulator").add_argument("env_file", type=Path)
    commands.add_parser("down", help="destroy the stacks and stop the emulator")
    args = parser.parse_args(argv)
    folder = args.dir.resolve()
    try:
        return up(args.env_file, folder) if args.command == "up" else down(folder)
    except (AssertionError, RuntimeError) as error:  # a terraform or emulator failure, with its own output
        print(f"!!!!! make try failed !!!!!\n{error}", file=sys.stderr)
        return 1
