"""The users' CI workflow: actionlint-clean, the structure a reviewer relies on, and its helper scripts run for real.

actionlint checks action inputs only for the major-version references it knows (`actions/checkout@v6`), so the
workflow is linted twice: as committed (exact versions) and with each `@vX.Y.Z` cut to `@vX`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ENVS, REPO

WORKFLOW = REPO / ".github" / "workflows" / "terraform.yml"
SCRIPTS = REPO / ".github" / "scripts"
ENV_FILES = sorted(p for p in ENVS.glob("*.json") if not p.name.endswith(".schema.json"))
VENV_BIN = Path(sys.executable).parent


def _tool(name: str) -> str | None:
    candidate = VENV_BIN / name
    return str(candidate) if candidate.exists() else shutil.which(name)


def _require(name: str) -> str:
    found = _tool(name)
    if found is None:
        print(f"\n!!!!! workflow check DID NOT RUN: {name} is missing (make setup) !!!!!", file=sys.stderr)
        pytest.skip(f"{name} is missing")
    return found


def _tool_env() -> dict[str, str]:
    """PATH with the venv first, so actionlint finds the venv's shellcheck for `run:` scripts."""
    return {**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}"}


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text())


def _actionlint(root: Path, path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_require("actionlint"), "-no-color", "-oneline", str(path.relative_to(root))],
        cwd=root, env=_tool_env(), capture_output=True, text=True, timeout=120,
    )


def test_actionlint_passes():
    _require("shellcheck")  # actionlint skips `run:` scripts silently without it
    result = _actionlint(REPO, WORKFLOW)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_actionlint_passes_with_action_inputs_checked(tmp_path):
    majors = re.sub(r"(uses: [\w./-]+@v\d+)(?:\.\d+)+", r"\1", WORKFLOW.read_text())
    copy = tmp_path / ".github" / "workflows" / WORKFLOW.name
    copy.parent.mkdir(parents=True)
    copy.write_text(majors)
    result = _actionlint(tmp_path, copy)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_helper_scripts_pass_shellcheck():
    result = subprocess.run(
        [_require("shellcheck"), *map(str, sorted(SCRIPTS.glob("*.sh")))], capture_output=True, text=True, timeout=60
    )
    assert (result.returncode, result.stdout) == (0, "")


def test_every_action_is_pinned_to_an_exact_version(workflow):
    uses = [step["uses"] for job in workflow["jobs"].values() for step in job["steps"] if "uses" in step]
    assert uses
    assert [u for u in uses if not re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+\.\d+\.\d+", u)] == []


def test_jobs_run_synth_then_plan_per_stack_then_apply_on_main(workflow):
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert set(triggers) >= {"pull_request", "push"}
    assert triggers["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {"contents": "read"}

    jobs = workflow["jobs"]
    assert list(jobs) == ["synth", "plan", "apply"]
    synth_runs = [step.get("run", "") for step in jobs["synth"]["steps"]]
    assert "make synth" in synth_runs
    assert any(".github/scripts/stack-matrix.sh" in run for run in synth_runs)

    plan, apply = jobs["plan"], jobs["apply"]
    assert plan["needs"] == "synth"
    assert plan["strategy"]["matrix"] == "${{ fromJSON(needs.synth.outputs.matrix) }}"
    assert plan["strategy"]["fail-fast"] is False
    assert plan["permissions"]["id-token"] == "write"
    plan_runs = "\n".join(step.get("run", "") for step in plan["steps"])
    assert "terraform init -input=false" in plan_runs
    assert "terraform plan -input=false -lock-timeout=5m -out=tfplan" in plan_runs
    assert ">> \"$GITHUB_STEP_SUMMARY\"" in plan_runs
    uploads = [s for s in plan["steps"] if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert [u["with"]["name"] for u in uploads] == ["plan-${{ matrix.stack }}"]
    assert "tfplan" in uploads[0]["with"]["path"] and ".terraform.lock.hcl" in uploads[0]["with"]["path"]
    comment = [s for s in plan["steps"] if s.get("uses", "").startswith("actions/github-script@")]
    assert len(comment) == 1 and comment[0]["if"] == "github.event_name == 'pull_request'"
    assert plan["permissions"]["pull-requests"] == "write"

    assert apply["needs"] == ["synth", "plan"]
    assert "github.ref == 'refs/heads/main'" in apply["if"] and "github.event_name == 'push'" in apply["if"]
    assert apply["environment"] == "${{ matrix.environment }}"
    assert apply["permissions"] == {"contents": "read", "id-token": "write"}
    assert apply["concurrency"]["cancel-in-progress"] is False
    apply_runs = [step.get("run", "") for step in apply["steps"]]
    assert "terraform init -input=false -lockfile=readonly" in apply_runs
    assert "terraform apply -input=false -lock-timeout=5m tfplan" in apply_runs
    downloads = [s["with"]["name"] for s in apply["steps"] if s.get("uses", "").startswith("actions/download-artifact@")]
    assert downloads == ["cdktf-out", "plan-${{ matrix.stack }}"]


def test_aws_credentials_come_from_oidc_role_assumption_only(workflow):
    for name in ("plan", "apply"):
        (credentials,) = [
            s for s in workflow["jobs"][name]["steps"] if s.get("uses", "").startswith("aws-actions/configure-aws-credentials@")
        ]
        assert set(credentials["with"]) == {"role-to-assume", "role-session-name", "aws-region"}
        assert credentials["with"]["role-to-assume"].startswith("arn:aws:iam::${{ matrix.account_id }}:role/")
    assert "secrets." not in WORKFLOW.read_text()  # no long-lived keys


def test_stack_matrix_lists_every_synthesized_stack(tmp_path):
    _require("jq")
    outdir = tmp_path / "cdktf.out"
    env = {**os.environ, "PYTHON": sys.executable, "PYTHONPATH": str(REPO)}
    synth = subprocess.run(
        [sys.executable, "-m", "constructs_lib", "synth", *map(str, ENV_FILES), "--outdir", str(outdir)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
    )
    assert synth.returncode == 0, synth.stderr
    result = subprocess.run(
        [str(SCRIPTS / "stack-matrix.sh"), str(outdir)], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    matrix = json.loads(result.stdout)
    stacks = sorted(p.parent.name for p in (outdir / "stacks").glob("*/cdk.tf.json"))
    assert sorted(entry["stack"] for entry in matrix["include"]) == stacks
    dev = next(entry for entry in matrix["include"] if entry["stack"] == "dev-app-service")
    assert dev == {"stack": "dev-app-service", "environment": "dev", "account_id": "111111111111", "region": "eu-west-1"}

    shutil.rmtree(outdir / "stacks" / "dev-app-service")
    missing = subprocess.run(
        [str(SCRIPTS / "stack-matrix.sh"), str(outdir)], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )
    assert missing.returncode == 1
    assert "dev-app-service is listed but" in missing.stderr


def _plan_summary(tmp_path: Path, actions: list[list[str]], text: str, **env: str) -> str:
    _require("jq")
    plan_json = tmp_path / "plan.json"
    plan_json.write_text(json.dumps({"resource_changes": [{"change": {"actions": a}} for a in actions]}))
    plan_text = tmp_path / "plan.txt"
    plan_text.write_text(text)
    result = subprocess.run(
        [str(SCRIPTS / "plan-summary.sh"), "dev-app-service", str(plan_json), str(plan_text)],
        env={**os.environ, **env}, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_plan_summary_counts_like_terraform(tmp_path):
    actions = [["create"], ["create"], ["update"], ["delete"], ["delete", "create"], ["no-op"], ["read"]]
    summary = _plan_summary(tmp_path, actions, "  # aws_ecs_service.service will be created\n")
    lines = summary.splitlines()
    assert lines[0] == "<!-- ecs-cdktf plan: dev-app-service -->"
    assert lines[1] == "### `dev-app-service`: Plan: 3 to add, 1 to change, 2 to destroy. (1 replaced)"
    assert "  # aws_ecs_service.service will be created" in lines


def test_plan_summary_of_no_changes_and_of_a_long_plan(tmp_path):
    assert _plan_summary(tmp_path, [["no-op"]], "No changes.\n").splitlines()[1] == "### `dev-app-service`: No changes."
    summary = _plan_summary(tmp_path, [["create"]], "x" * 500, PLAN_SUMMARY_MAX_CHARS="100")
    assert "x" * 101 not in summary
    assert "... cut at 100 of 500 characters: the whole plan is in the artifact plan-dev-app-service" in summary
