"""Running the real terraform binary offline: the provider comes from a local mirror, never the registry.

The mirror root is `TF_PLUGIN_DIR` when set, else the parent of the first `registry.terraform.io` folder that
`find / -maxdepth 4` sees. When terraform or the mirror is missing, `require_terraform()` skips with one loud
line (and the e2e says so at the end of the run): a plan is never faked.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

TIMEOUT_SECONDS = 600


@lru_cache(maxsize=1)
def plugin_dir() -> Path | None:
    configured = os.environ.get("TF_PLUGIN_DIR")
    if configured:
        return Path(configured) if (Path(configured) / "registry.terraform.io").is_dir() else None
    found = subprocess.run(
        ["find", "/", "-maxdepth", "4", "-type", "d", "-name", "registry.terraform.io"],
        capture_output=True, text=True, check=False,
    ).stdout.split()
    for path in sorted(found):
        if (Path(path) / "hashicorp" / "aws").is_dir() and "/.terraform/" not in path:
            return Path(path).parent
    return None


def missing_reason() -> str | None:
    if shutil.which("terraform") is None:
        return "terraform is not on the PATH"
    if plugin_dir() is None:
        return ("no Terraform provider mirror: set TF_PLUGIN_DIR to a folder holding "
                "registry.terraform.io/hashicorp/aws/<version>/<platform>/")
    return None


def terraform_env(endpoint: str | None = None) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("AWS_", "TF_LOG", "TF_VAR_", "TF_CLI_ARGS"))}
    env.update(
        TF_CLI_CONFIG_FILE=os.devnull,  # the default points at a missing file; nothing may reach a registry
        TF_IN_AUTOMATION="1",
        CHECKPOINT_DISABLE="1",
        AWS_EC2_METADATA_DISABLED="true",
        # The override layer sets fake credentials too; these keep any stray AWS client away from real ones.
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION="eu-west-1",
    )
    return env


def command(args: list[str]) -> list[str]:
    """`terraform <args>`, with -no-color, and -plugin-dir for init."""
    extra = ["-no-color"]
    if args and args[0] == "init":
        extra += ["-input=false", f"-plugin-dir={plugin_dir()}"]
    elif args and args[0] in ("plan", "apply", "destroy"):
        extra += ["-input=false"]
    return ["terraform", args[0], *extra, *args[1:]]


def terraform(args: list[str], cwd: Path, *, check: bool = True,
              timeout: int = TIMEOUT_SECONDS) -> subprocess.CompletedProcess[str]:
    """Run terraform in `cwd`; with `check`, a non-zero exit fails with terraform's own output."""
    result = subprocess.run(command(args), cwd=cwd, env=terraform_env(), capture_output=True, text=True,
                            timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError(
            f"terraform {' '.join(args)} exited {result.returncode} in {cwd}:\n{result.stdout[-6000:]}\n"
            f"{result.stderr[-6000:]}"
        )
    return result


def start(args: list[str], cwd: Path) -> subprocess.Popen[str]:
    """Start terraform without waiting; stdout and stderr merged, line-buffered text."""
    return subprocess.Popen(command(args), cwd=cwd, env=terraform_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, bufsize=1)


def show_json(cwd: Path, plan_file: str | None = None) -> dict[str, Any]:
    args = ["show", "-json"] + ([plan_file] if plan_file else [])
    return json.loads(terraform(args, cwd).stdout)


def outputs(cwd: Path) -> dict[str, Any]:
    return {name: item["value"] for name, item in json.loads(terraform(["output", "-json"], cwd).stdout).items()}


def require_terraform(what: str) -> None:
    reason = missing_reason()
    if reason:
        print(f"\n!!!!! {what} DID NOT RUN: {reason} !!!!!", file=sys.stderr)
        pytest.skip(f"{what} did not run: {reason}")


def init_offline(stack_dir: Path) -> None:
    """`terraform init -backend=false` from the mirror: enough for `validate`."""
    terraform(["init", "-backend=false"], stack_dir)


def validate(stack_dir: Path) -> dict:
    """`terraform validate -json` of an initialized stack, parsed."""
    result = terraform(["validate", "-json"], stack_dir, check=False)
    return json.loads(result.stdout)


def terraform_problems(stack_dir: Path, *, fmt: bool = False) -> list[str]:
    """What `terraform init` (offline), then `terraform validate` (errors and warnings) and, with `fmt`,
    `terraform fmt -check` find in a synthesized stack; none for a clean stack."""
    try:
        init_offline(stack_dir)
    except AssertionError as error:  # parse errors surface at init
        return [str(error)[-2000:]]
    result = validate(stack_dir)
    problems = [
        f"{d['severity']}: {d['summary']} {d.get('detail', '')} "
        f"({d.get('range', {}).get('filename')}:{d.get('range', {}).get('start', {}).get('line')})"
        for d in result["diagnostics"]
    ]
    if not result["valid"] and not problems:
        problems.append("terraform validate: not valid")
    if fmt:
        formatted = terraform(["fmt", "-check", "-diff"], stack_dir, check=False)
        if formatted.returncode != 0:
            problems.append(f"terraform fmt -check:\n{formatted.stdout[-3000:]}{formatted.stderr[-1000:]}")
    return problems


@contextmanager
def validated_provider_stack(tmp_path: Path, name: str, region: str = "eu-west-1") -> Iterator[Any]:
    """A stack with the AWS provider pinned as the library's stacks pin it. The block adds resources; on leaving
    it the stack is synthesized, initialized offline and must pass `terraform validate` with no error or warning."""
    from cdktf import App

    from constructs_lib._jsii.aws import AwsProvider
    from constructs_lib.stacks.stack import PinnedStack

    app = App(outdir=str(tmp_path))
    stack = PinnedStack(app, name)
    AwsProvider(stack, "aws", region=region)
    yield stack
    app.synth()
    stack_dir = tmp_path / "stacks" / name
    init_offline(stack_dir)
    result = validate(stack_dir)
    assert (result["valid"], result["error_count"], result["warning_count"]) == (True, 0, 0), result["diagnostics"]
