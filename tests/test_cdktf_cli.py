"""The real cdktf CLI (npm `cdktf-cli`, pinned in package.json) runs the app of cdktf.json as users do.

Each test works in a temporary copy of the repository holding only what the CLI reads: cdktf.json, main.py,
envs/, package.json, and symlinks to node_modules/ and to the virtualenv running the tests (as `.venv`, the
interpreter cdktf.json names). `npx cdktf synth` must write the same bytes as `python -m constructs_lib synth`,
and `npx cdktf synth --hcl` must write HCL. Neither needs terraform nor the network (checked here: the CLI runs
with telemetry and version checks off; see the README).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import ENVS, REPO
from constructs_lib.fast_kernel import JSII_QUIET
from tf import init_offline, require_terraform, validate

ENV_FILES = sorted(p for p in ENVS.glob("*.json") if not p.name.endswith(".schema.json"))
CDKTF_CLI_VERSION = "0.21.0"
TIMEOUT_SECONDS = 300


def _venv_root() -> Path | None:
    """The virtualenv running the tests, when it has the `bin/python` cdktf.json's `.venv/bin/python` needs."""
    prefix = Path(sys.prefix)
    return prefix if sys.prefix != sys.base_prefix and (prefix / "bin" / "python").exists() else None


def _cli_env(home: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "CHECKPOINT_DISABLE": "1",  # no telemetry (checkpoint-api.hashicorp.com)
        "DISABLE_VERSION_CHECK": "1",  # no "a newer cdktf is available" lookup
        "CDKTF_DISABLE_PLUGIN_CACHE_ENV": "1",  # no ~/.terraform.d/plugin-cache
        "CDKTF_HOME": str(home),  # the CLI's own config.json, away from the user's ~/.cdktf
        "TF_CLI_CONFIG_FILE": os.devnull,
        **JSII_QUIET,
        "PYTHONPATH": str(REPO),  # the app imports this checkout's constructs_lib, as `python -m` below does
        "FORCE_COLOR": "0",
        "CI": "1",
    }
    env.pop("SYNTH_HCL_OUTPUT", None)
    return env


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A temporary copy of the repository with only what `npx cdktf synth` reads."""
    if shutil.which("npx") is None or not (REPO / "node_modules" / ".bin" / "cdktf").exists():
        reason = "npx or node_modules/.bin/cdktf is missing (run `make setup`)"
        print(f"\n!!!!! the cdktf CLI tests DID NOT RUN: {reason} !!!!!", file=sys.stderr)
        pytest.skip(reason)
    root = tmp_path_factory.mktemp("cdktf-project")
    for name in ("cdktf.json", "main.py", "package.json"):
        shutil.copy2(REPO / name, root / name)
    (root / "envs").mkdir()
    for path in ENV_FILES:
        shutil.copy2(path, root / "envs" / path.name)
    (root / "node_modules").symlink_to(REPO / "node_modules", target_is_directory=True)
    venv = _venv_root()
    if venv is not None:
        (root / ".venv").symlink_to(venv, target_is_directory=True)
    else:  # not a virtualenv: point the app at this interpreter instead
        config = json.loads((root / "cdktf.json").read_text())
        config["app"] = f"{sys.executable} main.py"
        (root / "cdktf.json").write_text(json.dumps(config, indent=2) + "\n")
    return root


def _run(args: list[str], cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, cwd=cwd, env=_cli_env(home), capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
    assert result.returncode == 0, f"{' '.join(args)} failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    return result


@pytest.fixture(scope="module")
def synthesized(project: Path, tmp_path_factory) -> dict[str, Path]:
    """`npx cdktf synth`, `npx cdktf synth --hcl` and `python -m constructs_lib synth`, run side by side."""
    python_out = tmp_path_factory.mktemp("python-synth") / "cdktf.out"
    npx = ["npx", "--no", "cdktf", "synth"]  # --no: never download; the pinned local CLI or nothing
    runs = {
        "cli_json": (npx + ["--output", "cdktf.out"], project, project / "cdktf.out"),
        "cli_hcl": (npx + ["--hcl", "--output", "cdktf.hcl"], project, project / "cdktf.hcl"),
        "python_json": (
            [sys.executable, "-m", "constructs_lib", "synth", *map(str, ENV_FILES), "--outdir", str(python_out)],
            REPO, python_out,
        ),
    }
    with ThreadPoolExecutor(max_workers=len(runs)) as pool:
        futures = [pool.submit(_run, args, cwd, project / f".home-{name}") for name, (args, cwd, _) in runs.items()]
        for future in futures:
            future.result()
    return {name: outdir for name, (_, _, outdir) in runs.items()}


@pytest.fixture(scope="module")
def cli_json(synthesized) -> Path:
    return synthesized["cli_json"]


@pytest.fixture(scope="module")
def cli_hcl(synthesized) -> Path:
    return synthesized["cli_hcl"]


@pytest.fixture(scope="module")
def python_json(synthesized) -> Path:
    return synthesized["python_json"]


def _stack_files(outdir: Path, name: str) -> dict[str, bytes]:
    return {path.parent.name: path.read_bytes() for path in sorted((outdir / "stacks").glob(f"*/{name}"))}


def test_the_pinned_cli_is_installed():
    lock = json.loads((REPO / "package-lock.json").read_text())
    assert json.loads((REPO / "package.json").read_text())["devDependencies"] == {"cdktf-cli": CDKTF_CLI_VERSION}
    assert lock["packages"]["node_modules/cdktf-cli"]["version"] == CDKTF_CLI_VERSION
    assert lock["packages"]["node_modules/cdktf"]["version"] == CDKTF_CLI_VERSION  # the CLI's own cdktf library
    config = json.loads((REPO / "cdktf.json").read_text())
    assert (config["language"], config["codeMakerOutput"], config["terraformProviders"]) == ("python", ".gen", [])


def test_npx_cdktf_synth_writes_the_same_bytes_as_make_synth(cli_json, python_json):
    from_cli = _stack_files(cli_json, "cdk.tf.json")
    from_python = _stack_files(python_json, "cdk.tf.json")
    assert sorted(from_cli) == sorted(from_python)
    assert len(from_cli) >= 2
    different = [stack for stack in from_cli if from_cli[stack] != from_python[stack]]
    assert different == []


def test_npx_cdktf_synth_hcl_writes_terraform_files(cli_hcl, python_json):
    hcl = {stack: text.decode() for stack, text in _stack_files(cli_hcl, "cdk.tf").items()}
    assert sorted(hcl) == sorted(_stack_files(python_json, "cdk.tf.json"))
    assert not list((cli_hcl / "stacks").glob("*/cdk.tf.json"))
    service_stack = next(text for stack, text in sorted(hcl.items()) if stack.endswith("app-service"))
    assert 'resource "aws_ecs_service" "service"' in service_stack
    assert 'backend "s3"' in service_stack


def test_npx_cdktf_synth_hcl_is_valid_terraform(cli_hcl):
    require_terraform("terraform validate of the cdktf --hcl output")
    problems = {}
    for stack_dir in sorted(p.parent for p in (cli_hcl / "stacks").glob("*/cdk.tf")):
        try:
            init_offline(stack_dir)
        except AssertionError as error:  # the parse errors surface at init
            problems[stack_dir.name] = str(error)[-2000:]
            continue
        result = validate(stack_dir)
        if not result["valid"]:
            problems[stack_dir.name] = [d["summary"] for d in result["diagnostics"]]
    assert problems == {}
