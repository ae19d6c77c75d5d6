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

WORKFLOWS = REPO / ".github" / "workflows"
WORKFLOW = WORKFLOWS / "terraform.yml"
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


def _actionlint(root: Path) -> subprocess.CompletedProcess[str]:
    paths = sorted(str(path.relative_to(root)) for path in (root / ".github" / "workflows").glob("*.yml"))
    assert len(paths) == 3
    return subprocess.run(
        [_require("actionlint"), "-no-color", "-oneline", *paths],
        cwd=root, env=_tool_env(), capture_output=True, text=True, timeout=120,
    )


def test_actionlint_passes():
    _require("shellcheck")  # actionlint skips `run:` scripts silently without it
    result = _actionlint(REPO)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_actionlint_passes_with_action_inputs_checked(tmp_path):
    """The reusable workflows are linted with their callers: actionlint checks each call's inputs against them."""
    copies = tmp_path / ".github" / "workflows"
    copies.mkdir(parents=True)
    (tmp_path / ".git").mkdir()  # actionlint resolves `uses: ./.github/workflows/...` from the project root
    for path in WORKFLOWS.glob("*.yml"):
        (copies / path.name).write_text(re.sub(r"(uses: [\w./-]+@v\d+)(?:\.\d+)+", r"\1", path.read_text()))
    result = _actionlint(tmp_path)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")

    caller = copies / WORKFLOW.name
    caller.write_text(caller.read_text().replace("required-reviewers: true", "required-reviewer: true"))
    assert 'input "required-reviewer" is not defined' in _actionlint(tmp_path).stdout


def test_helper_scripts_pass_shellcheck():
    result = subprocess.run(
        [_require("shellcheck"), *map(str, sorted(SCRIPTS.glob("*.sh")))], capture_output=True, text=True, timeout=60
    )
    assert (result.returncode, result.stdout) == (0, "")


def _workflows() -> dict[str, dict]:
    return {path.name: yaml.safe_load(path.read_text()) for path in sorted(WORKFLOWS.glob("*.yml"))}


def _steps(job: dict, action: str) -> list[dict]:
    return [step for step in job.get("steps", []) if step.get("uses", "").startswith(f"{action}@")]


def test_every_action_is_pinned_to_an_exact_version():
    uses = [step["uses"] for workflow in _workflows().values() for job in workflow["jobs"].values()
            for step in job.get("steps", []) if "uses" in step]
    assert len(uses) > 10
    assert [u for u in uses if not re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+\.\d+\.\d+", u)] == []


def test_synth_compares_the_change_with_its_base_and_plans_only_changed_stacks(workflow):
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert set(triggers) >= {"pull_request", "push", "workflow_dispatch"}
    assert triggers["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {"contents": "read"}
    jobs = workflow["jobs"]
    assert list(jobs) == ["synth", "plan", "applies", "apply-dev", "apply-staging", "apply-prod"]

    synth = jobs["synth"]
    assert synth["permissions"] == {"contents": "read", "actions": "read"}
    runs = "\n".join(step.get("run", "") for step in synth["steps"])
    assert "make synth\n" in runs + "\n" and 'make -C .base synth OUTDIR="$PWD/cdktf.base"' in runs
    assert 'constructs_lib changed cdktf.base cdktf.out --order "$ENVIRONMENT_ORDER" --json' in runs
    assert "constructs_lib guard envs/*.json --lock stacks.lock.json" in runs
    (base,) = [step for step in _steps(synth, "actions/checkout") if step["with"].get("path") == ".base"]
    assert base["with"]["ref"] == "${{ steps.base.outputs.sha }}"
    (node,) = _steps(synth, "actions/setup-node")  # jsii's Node is chosen, not the runner image's
    assert node["with"]["node-version"] == "${{ env.NODE_VERSION }}" and workflow["env"]["NODE_VERSION"]

    plan = jobs["plan"]
    assert plan["needs"] == "synth" and plan["if"] == "needs.synth.outputs.count != '0'"
    assert plan["strategy"] == {"fail-fast": False, "matrix": "${{ fromJSON(needs.synth.outputs.matrix) }}"}
    assert plan["permissions"] == {"contents": "read", "id-token": "write", "pull-requests": "write"}
    plan_runs = "\n".join(step.get("run", "") for step in plan["steps"])
    assert '.github/scripts/plan-stacks.sh cdktf.out "${stacks[@]}"' in plan_runs
    uploads = {u["with"]["name"]: u["with"]["path"] for u in _steps(plan, "actions/upload-artifact")}
    assert set(uploads) == {"plan-${{ matrix.batch }}", "changes-${{ matrix.batch }}"}
    assert "cdktf.out/stacks/*/tfplan" in uploads["plan-${{ matrix.batch }}"]
    assert "cdktf.out/stacks/*/.terraform.lock.hcl" in uploads["plan-${{ matrix.batch }}"]
    (comment,) = _steps(plan, "actions/github-script")
    assert "github.event_name == 'pull_request'" in comment["if"]


def test_applies_run_environment_by_environment_in_the_declared_order(workflow):
    jobs = workflow["jobs"]
    order = workflow["env"]["ENVIRONMENT_ORDER"].split()
    environments = {json.loads(path.read_text())["environment"] for path in ENV_FILES}
    assert environments <= set(order), "every env file's environment has a place in ENVIRONMENT_ORDER"
    stages = [name for name in jobs if name.startswith("apply-")]
    assert stages == [f"apply-{environment}" for environment in order]
    previous = None
    for name in stages:
        job = jobs[name]
        assert job["uses"] == "./.github/workflows/terraform-apply.yml"
        assert job["with"]["environment"] == name.removeprefix("apply-")
        assert job["needs"] == ["synth", "applies", *([previous] if previous else [])]
        assert "!failure()" in job["if"] and "needs.synth.outputs.apply == 'true'" in job["if"]
        assert job["permissions"] == {"contents": "read", "actions": "read", "id-token": "write"}
        previous = name
    assert jobs["apply-prod"]["with"]["required-reviewers"] is True
    synth_runs = "\n".join(step.get("run", "") for step in jobs["synth"]["steps"])
    assert "github.ref == 'refs/heads/main' && github.event_name != 'pull_request'" in json.dumps(jobs["synth"])
    assert 'echo "apply=$APPLY"' in synth_runs
    assert jobs["applies"]["needs"] == ["synth", "plan"]


def test_an_environment_applies_its_environment_stacks_then_its_services_after_the_reviewer_check():
    jobs = _workflows()["terraform-apply.yml"]["jobs"]
    assert list(jobs) == ["reviewers", "environment-stacks", "service-stacks"]
    assert "inputs.required-reviewers" in jobs["reviewers"]["if"]
    check = jobs["reviewers"]["steps"][0]["run"]
    assert 'gh api "repos/$GITHUB_REPOSITORY/environments/$ENVIRONMENT"' in check and "exit 1" in check
    assert jobs["environment-stacks"]["needs"] == "reviewers"
    assert jobs["service-stacks"]["needs"] == ["reviewers", "environment-stacks"]
    for name, phase in (("environment-stacks", "environment"), ("service-stacks", "service")):
        assert jobs[name]["uses"] == "./.github/workflows/terraform-apply-batches.yml"
        assert f"'{{0}}-{phase}'" in jobs[name]["with"]["batches"]
        assert "!failure()" in jobs[name]["if"]


def test_each_batch_applies_exactly_its_saved_plans_behind_the_environment():
    (apply,) = _workflows()["terraform-apply-batches.yml"]["jobs"].values()
    assert apply["environment"] == "${{ inputs.environment }}"
    assert apply["permissions"] == {"contents": "read", "id-token": "write"}
    assert apply["strategy"] == {"fail-fast": False, "matrix": "${{ fromJSON(inputs.batches) }}"}
    runs = "\n".join(step.get("run", "") for step in apply["steps"])
    assert 'terraform -chdir="cdktf.out/stacks/$stack" init -input=false -lockfile=readonly' in runs
    assert 'terraform -chdir="cdktf.out/stacks/$stack" apply -input=false -lock-timeout=5m tfplan' in runs
    downloads = [s["with"]["name"] for s in _steps(apply, "actions/download-artifact")]
    assert downloads == ["cdktf-out", "plan-${{ matrix.batch }}"]


def test_aws_credentials_come_from_oidc_role_assumption_only():
    workflows = _workflows()
    jobs = [workflows["terraform.yml"]["jobs"]["plan"], workflows["terraform-apply-batches.yml"]["jobs"]["apply"]]
    roles = ("TERRAFORM_PLAN_ROLE_NAME || 'terraform-plan'", "TERRAFORM_APPLY_ROLE_NAME || 'terraform-apply'")
    for job, role in zip(jobs, roles, strict=True):
        (credentials,) = _steps(job, "aws-actions/configure-aws-credentials")
        assert set(credentials["with"]) == {"role-to-assume", "role-session-name", "aws-region"}
        role_arn = f"arn:aws:iam::${{{{ matrix.account_id }}}}:role/${{{{ vars.{role} }}}}"
        assert credentials["with"]["role-to-assume"] == role_arn
    assert all("secrets." not in path.read_text() for path in WORKFLOWS.glob("*.yml"))  # no long-lived keys


def _fake_terraform(tmp_path: Path) -> Path:
    """A `terraform` that plans each stack with the exit code in its folder's `exit` file."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "terraform"
    fake.write_text(
        '#!/usr/bin/env bash\n'
        'dir="${1#-chdir=}"; echo "terraform $*" >> "$dir/calls"\n'
        'case "$2" in\n'
        '  plan) touch "$dir/tfplan"; exit "$(cat "$dir/exit")" ;;\n'
        '  show) if [ "$3" = -json ]; then echo \'{"resource_changes":[{"change":{"actions":["update"]}}]}\'; '
        'else echo "~ update"; fi ;;\n'
        'esac\n'
    )
    fake.chmod(0o755)
    return bin_dir


def test_plan_stacks_prints_the_stacks_whose_saved_plan_has_changes(tmp_path):
    _require("jq")
    outdir = tmp_path / "cdktf.out"
    for stack, code in (("dev-a", 0), ("dev-b", 2), ("dev-c", 1), ("dev-d", 2)):
        (outdir / "stacks" / stack).mkdir(parents=True)
        (outdir / "stacks" / stack / "cdk.tf.json").write_text("{}")
        (outdir / "stacks" / stack / "exit").write_text(str(code))
    summary = tmp_path / "summary.md"
    env = {**os.environ, "PATH": f"{_fake_terraform(tmp_path)}{os.pathsep}{os.environ['PATH']}",
           "GITHUB_STEP_SUMMARY": str(summary)}

    def plan(*stacks: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(SCRIPTS / "plan-stacks.sh"), str(outdir), *stacks], env=env,
                              capture_output=True, text=True, timeout=60)

    done = plan("dev-a", "dev-b", "dev-d")
    assert (done.returncode, done.stdout) == (0, "dev-b\ndev-d\n")
    calls = (outdir / "stacks" / "dev-b" / "calls").read_text().splitlines()
    assert calls[:2] == [
        f"terraform -chdir={outdir}/stacks/dev-b init -input=false",
        f"terraform -chdir={outdir}/stacks/dev-b plan -input=false -lock-timeout=5m -detailed-exitcode -out=tfplan",
    ]
    assert (outdir / "stacks" / "dev-a" / "plan.md").read_text().splitlines()[0] == "<!-- ecs-cdktf plan: dev-a -->"
    assert summary.read_text().count("<!-- ecs-cdktf plan:") == 3

    failed = plan("dev-c", "dev-b", "dev-missing")
    assert (failed.returncode, failed.stdout) == (1, "dev-b\n")  # the others are still planned
    assert failed.stderr.splitlines()[-1] == "plan-stacks: 2 of 3 plans failed: dev-c dev-missing"
    assert not (outdir / "stacks" / "dev-c" / "plan.md").exists()


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
