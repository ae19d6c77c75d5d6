"""Running the real cdktf CLI (npm `cdktf-cli`, pinned in package.json) as users do, in a temporary project;
and CDK Terrain's (npm `cdktn-cli`, pinned in cdktn-engine/, installed in .node-cdktn with the Node.js it needs).

The CLI runs offline, with telemetry and version checks off (see the README), and runs the app of the project's
cdktf.json with the interpreter of its engine: for cdktf the one running the tests (`.venv` links to its
virtualenv, or, outside one, cdktf.json names the interpreter itself), for CDK Terrain .venv-cdktn's. The app
imports this checkout's constructs_lib.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import REPO
from engines import CDKTN_NODE_BIN, CDKTN_PYTHON, require_cdktn

from constructs_lib._jsii.fast_kernel import JSII_QUIET

TIMEOUT_SECONDS = 300
# What the README and mk/node.mk set: no telemetry (checkpoint-api.hashicorp.com), no "a newer cdktf is
# available" lookup, no ~/.terraform.d/plugin-cache.
QUIET = {"CHECKPOINT_DISABLE": "1", "DISABLE_VERSION_CHECK": "1", "CDKTF_DISABLE_PLUGIN_CACHE_ENV": "1"}


@dataclass(frozen=True)
class Cli:
    """One engine's CLI as the tests run it in a project."""

    engine: str
    command: tuple[str, ...]  # `<command> synth` synthesizes the project's app
    node_modules: Path  # linked into the project, as a user's project has it
    venv: Path | None  # the project's `.venv` (cdktf.json's interpreter); None: the one running the tests
    path_first: Path | None = None  # put first on PATH: the Node.js the CLI needs

    def require(self) -> None:
        if self.engine == "cdktn":
            require_cdktn("the cdktn CLI tests")
        else:
            require_cli()

    def python(self) -> str:
        return sys.executable if self.venv is None else str(self.venv / "bin" / "python")


CLIS = {
    "cdktf": Cli("cdktf", ("npx", "--no", "cdktf"), REPO / "node_modules", None),  # --no: never download
    "cdktn": Cli("cdktn", (str(CDKTN_NODE_BIN / "cdktn"),), CDKTN_NODE_BIN.parent, CDKTN_PYTHON.parent.parent,
                 CDKTN_NODE_BIN),
}


def cli_installed() -> bool:
    return shutil.which("npx") is not None and (REPO / "node_modules" / ".bin" / "cdktf").exists()


def require_cli() -> None:
    if not cli_installed():
        reason = "npx or node_modules/.bin/cdktf is missing (run `make setup`)"
        print(f"\n!!!!! the cdktf CLI tests DID NOT RUN: {reason} !!!!!", file=sys.stderr)
        pytest.skip(reason)


def use_test_python(project: Path, venv: Path | None = None) -> None:
    """Make cdktf.json's `.venv/bin/python main.py` run the interpreter running the tests (or `venv`'s)."""
    if venv is not None:
        (project / ".venv").symlink_to(venv, target_is_directory=True)
        return
    prefix = Path(sys.prefix)
    if sys.prefix != sys.base_prefix and (prefix / "bin" / "python").exists():
        (project / ".venv").symlink_to(prefix, target_is_directory=True)
        return
    config = json.loads((project / "cdktf.json").read_text())
    config["app"] = f"{sys.executable} main.py"
    (project / "cdktf.json").write_text(json.dumps(config, indent=2) + "\n")


def cli_env(home: Path, quiet: dict[str, str] = QUIET, path_first: Path | None = None) -> dict[str, str]:
    env = {
        **os.environ,
        **quiet,
        "CDKTF_HOME": str(home),  # the CLI's own config.json, away from the user's ~/.cdktf
        "TF_CLI_CONFIG_FILE": os.devnull,
        **JSII_QUIET,
        "PYTHONPATH": str(REPO),
        "FORCE_COLOR": "0",
        "CI": "1",
    }
    env.pop("SYNTH_HCL_OUTPUT", None)
    if path_first is not None:
        env["PATH"] = os.pathsep.join([str(path_first), env.get("PATH", "")])
    return env


def run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
    assert result.returncode == 0, f"{' '.join(args)} failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    return result
