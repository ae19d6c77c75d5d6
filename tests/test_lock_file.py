"""The committed stacks.lock.json is what the users' CI guards with: the shipped env files replace nothing."""

from __future__ import annotations

import json

from constructs_lib.cli import main

from conftest import ENVS, REPO


def test_shipped_env_files_replace_nothing_recorded_in_the_committed_lock(capsys):
    env_files = [str(p) for p in sorted(ENVS.glob("*.json"))]
    lock = REPO / "stacks.lock.json"
    before = lock.read_bytes()
    assert main(["guard", *env_files, "--lock", str(lock)]) == 0, capsys.readouterr().err
    assert lock.read_bytes() == before  # a passing guard never rewrites the lock
    recorded = json.loads(before)["stacks"]
    assert {stack.split("-", 1)[0] for stack in recorded} == {"dev", "prod", "staging"}


def test_the_workflow_runs_the_guard_before_planning():
    workflow = (REPO / ".github" / "workflows" / "terraform.yml").read_text()
    assert "constructs_lib guard envs/*.json --lock stacks.lock.json" in workflow
    assert workflow.index("constructs_lib guard") < workflow.index("terraform plan")
