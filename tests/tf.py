"""Running the real terraform binary offline against the local provider mirror.

The mirror root is `TF_PLUGIN_DIR` when set, else the folder holding `registry.terraform.io` found under a few
usual places. When terraform or the mirror is missing, `require_terraform()` skips with one loud line: a plan
is never faked.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pytest

MIRROR_CANDIDATES = ("/opt/tf-plugins", "/usr/share/terraform/plugins", "/usr/local/share/terraform/plugins")


@lru_cache(maxsize=1)
def plugin_dir() -> Path | None:
    configured = os.environ.get("TF_PLUGIN_DIR")
    candidates = [configured] if configured else list(MIRROR_CANDIDATES)
    for candidate in candidates:
        if candidate and (Path(candidate) / "registry.terraform.io" / "hashicorp" / "aws").is_dir():
            return Path(candidate)
    return None


def missing_reason() -> str | None:
    if shutil.which("terraform") is None:
        return "terraform is not on the PATH"
    if plugin_dir() is None:
        return "no AWS provider mirror (set TF_PLUGIN_DIR to a folder holding registry.terraform.io/hashicorp/aws)"
    return None


def require_terraform(what: str) -> None:
    reason = missing_reason()
    if reason:
        print(f"\n!!!!! {what} DID NOT RUN: {reason} !!!!!", file=sys.stderr)
        pytest.skip(f"{what} did not run: {reason}")


def terraform_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {**os.environ, "TF_CLI_CONFIG_FILE": os.devnull, "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1"}
    env.pop("TF_LOG", None)
    return {**env, **(extra or {})}


def terraform(args: list[str], cwd: Path, *, env: dict[str, str] | None = None, check: bool = True,
              timeout: int = 600) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        ["terraform", *args, "-no-color"] if args[0] not in ("output", "show", "state") else ["terraform", *args],
        cwd=cwd, env=terraform_env(env), capture_output=True, text=True, timeout=timeout,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"terraform {' '.join(args)} failed in {cwd}:\n{result.stdout}\n{result.stderr}")
    return result


def init_offline(stack_dir: Path, *, backend: bool = False, env: dict[str, str] | None = None) -> None:
    args = ["init", "-input=false", f"-plugin-dir={plugin_dir()}"]
    if not backend:
        args.append("-backend=false")
    terraform(args, stack_dir, env=env)


def validate(stack_dir: Path) -> dict:
    """`terraform validate -json` of an initialized stack, parsed."""
    result = terraform(["validate", "-json"], stack_dir, check=False)
    return json.loads(result.stdout)
