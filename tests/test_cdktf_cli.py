"""The real cdktf CLI (npm `cdktf-cli`, pinned in package.json) runs the app of cdktf.json as users do, and so
does CDK Terrain's `cdktn` CLI (npm `cdktn-cli`, pinned in cdktn-engine/) on CDK Terrain: every test runs once
per CLI.

Each test works in a temporary copy of the repository holding only what the CLI reads: cdktf.json, main.py,
envs/, package.json, and symlinks to the CLI's node_modules/ and to its engine's virtualenv (as `.venv`, the
interpreter cdktf.json names). `cdktf synth` must write the same bytes as `python -m constructs_lib synth` on
the same engine, and `cdktf synth --hcl` must write HCL that `terraform validate` (no warning) and
`terraform fmt -check` accept. Neither synth needs terraform nor the network (the CLI runs with telemetry and
version checks off; see the README and cdktf_cli.py).
"""

from __future__ import annotations

import json
import shutil
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

import pytest
from cdktf_cli import CLIS, Cli, cli_env, run, use_test_python
from conftest import ENVS, REPO
from tf import require_terraform, terraform_problems

ENV_FILES = sorted(p for p in ENVS.glob("*.json") if not p.name.endswith(".schema.json"))
# Each CLI's pins: (package.json, {package: version} it pins, {package: version} its lockfile must hold).
PINS = {
    "cdktf": ("package.json", {"cdktf-cli": "0.21.0"}, {"cdktf-cli": "0.21.0", "cdktf": "0.21.0"}),
    "cdktn": ("cdktn-engine/package.json", {"cdktn-cli": "0.24.0", "node": "22.23.3"},
              {"cdktn-cli": "0.24.0", "cdktn": "0.24.0", "node": "22.23.3"}),
}


@pytest.fixture(scope="module", params=sorted(CLIS))
def cli(request) -> Cli:
    return CLIS[request.param]


@pytest.fixture(scope="module")
def project(cli: Cli, tmp_path_factory) -> Path:
    """A temporary copy of the repository with only what `cdktf synth` (or `cdktn synth`) reads."""
    cli.require()
    root = tmp_path_factory.mktemp(f"{cli.engine}-project")
    for name in ("cdktf.json", "main.py", "package.json"):
        shutil.copy2(REPO / name, root / name)
    (root / "envs").mkdir()
    for path in ENV_FILES:
        shutil.copy2(path, root / "envs" / path.name)
    (root / "node_modules").symlink_to(cli.node_modules, target_is_directory=True)
    use_test_python(root, cli.venv)
    return root


@pytest.fixture(scope="module")
def synthesized(cli: Cli, project: Path, tmp_path_factory) -> dict[str, Path]:
    """`cdktf synth`, `cdktf synth --hcl` and `python -m constructs_lib synth`, on one engine, side by side."""
    python_out = tmp_path_factory.mktemp("python-synth") / "cdktf.out"
    synth = [*cli.command, "synth"]
    runs = {
        "cli_json": (synth + ["--output", "cdktf.out"], project, project / "cdktf.out"),
        "cli_hcl": (synth + ["--hcl", "--output", "cdktf.hcl"], project, project / "cdktf.hcl"),
        "python_json": (
            [cli.python(), "-m", "constructs_lib", "synth", *map(str, ENV_FILES), "--outdir", str(python_out)],
            REPO, python_out,
        ),
    }
    with ThreadPoolExecutor(max_workers=len(runs)) as pool:
        futures = [pool.submit(run, args, cwd, cli_env(project / f".home-{name}", path_first=cli.path_first))
                   for name, (args, cwd, _) in runs.items()]
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


@pytest.mark.parametrize("engine", sorted(PINS))
def test_the_pinned_cli_is_installed(engine):
    package, pinned, locked = PINS[engine]
    lock = json.loads((REPO / package).with_name("package-lock.json").read_text())
    assert json.loads((REPO / package).read_text())["devDependencies"] == pinned
    # the CLI, its own engine library, and for cdktn the Node.js it runs on
    assert {name: lock["packages"][f"node_modules/{name}"]["version"] for name in locked} == locked
    config = json.loads((REPO / "cdktf.json").read_text())
    assert (config["language"], config["codeMakerOutput"], config["terraformProviders"]) == ("python", ".gen", [])


def test_cli_synth_writes_the_same_bytes_as_make_synth(cli_json, python_json):
    from_cli = _stack_files(cli_json, "cdk.tf.json")
    from_python = _stack_files(python_json, "cdk.tf.json")
    assert sorted(from_cli) == sorted(from_python)
    assert len(from_cli) >= 2
    different = [stack for stack in from_cli if from_cli[stack] != from_python[stack]]
    assert different == []


def test_cli_synth_hcl_writes_terraform_files(cli_hcl, python_json):
    hcl = {stack: text.decode() for stack, text in _stack_files(cli_hcl, "cdk.tf").items()}
    assert sorted(hcl) == sorted(_stack_files(python_json, "cdk.tf.json"))
    assert not list((cli_hcl / "stacks").glob("*/cdk.tf.json"))
    service_stack = next(text for stack, text in sorted(hcl.items()) if stack.endswith("app-service"))
    assert 'resource "aws_ecs_service" "service"' in service_stack
    assert 'backend "s3"' in service_stack


def test_cli_synth_hcl_is_valid_formatted_terraform(cli_hcl):
    """Plain Terraform as a user leaving CDKTF would keep it: no warning (no quoted references in `depends_on`
    or `ignore_changes`) and nothing `terraform fmt` would change (no `"${...}"` around a lone reference)."""
    require_terraform("terraform validate of the cdktf --hcl output")
    stack_dirs = sorted(p.parent for p in (cli_hcl / "stacks").glob("*/cdk.tf"))
    assert len(stack_dirs) >= 2
    with ThreadPoolExecutor(max_workers=2) as pool:
        found = pool.map(partial(terraform_problems, fmt=True), stack_dirs)
    problems = dict(zip((d.name for d in stack_dirs), found, strict=True))
    assert {name: found for name, found in problems.items() if found} == {}
