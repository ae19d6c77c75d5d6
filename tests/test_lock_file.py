"""The committed stacks.lock.json is what the users' CI guards with: the shipped env files replace nothing; a lock
that is not one the guard wrote is one clear line and exit 2, before any synth, and is never overwritten."""

from __future__ import annotations

import json

import pytest
from conftest import ENVS, REPO
from test_cli import assert_no_traceback, run

from constructs_lib.cli.main import main


def test_shipped_env_files_replace_nothing_recorded_in_the_committed_lock(capsys):
    env_files = [str(p) for p in sorted(ENVS.glob("*.json"))]
    lock = REPO / "stacks.lock.json"
    before = lock.read_bytes()
    assert main(["guard", *env_files, "--lock", str(lock)]) == 0, capsys.readouterr().err
    assert lock.read_bytes() == before  # a passing guard never rewrites the lock
    document = json.loads(before)
    assert document["version"] == 2
    assert {stack.split("-", 1)[0] for stack in document["stacks"]} == {"dev", "prod", "staging"}
    assert document["stacks"]["prod-app-service"]["state"] == {
        "bucket": "acme-prod-terraform-state", "key": "ecs/prod/app-service/terraform.tfstate", "region": "eu-west-1"
    }


def test_the_workflow_runs_the_guard_before_planning():
    workflow = (REPO / ".github" / "workflows" / "terraform.yml").read_text()
    assert "constructs_lib guard envs/*.json --lock stacks.lock.json" in workflow
    assert workflow.index("constructs_lib guard") < workflow.index("terraform plan")


MALFORMED = {
    "not JSON": ('{"version": 2, "stacks": {', "not valid JSON (Expecting property name enclosed in double quotes: "
                 "line 1 column 27 (char 26))"),
    "a list": ("[]", "the top level: expected an object, found []"),
    "no version": ('{"stacks": {}}', "version: None is not one of [1, 2]"),
    "stacks a list": ('{"version": 2, "stacks": []}', "stacks: expected an object, found []"),
    "resources missing": ('{"version": 2, "stacks": {"dev-docs": {"state": {}, "region": "eu-west-1"}}}',
                          "stacks.dev-docs.resources: expected an object, found null"),
    "a resource not an object": ('{"version": 2, "stacks": {"dev-docs": {"resources": {"aws_lb.alb": "x"}}}}',
                                 'stacks.dev-docs.resources.aws_lb.alb: expected an object, found "x"'),
    "a state value not a string": ('{"version": 2, "stacks": {"d": {"resources": {}, "state": {"key": 1}}}}',
                                   "stacks.d.state.key: expected a string, found 1"),
    "version 1, a stack not an object": ('{"version": 1, "stacks": {"dev-docs": 3}}',
                                         "stacks.dev-docs: expected an object, found 3"),
}


@pytest.mark.parametrize("update", [False, True], ids=["check", "update"])
@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_a_malformed_lock_is_one_line_exit_2_and_never_overwritten(tmp_path, case, update):
    text, problem = MALFORMED[case]
    lock = tmp_path / "stacks.lock.json"
    lock.write_text(text)
    result = run("guard", str(ENVS / "dev.json"), "--lock", str(lock), *(["--update"] if update else []))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"{lock}: {problem}; fix or delete it, then record it again with --update\n"
    assert_no_traceback(result)
    assert lock.read_text() == text


def test_a_version_1_lock_is_still_read_and_only_given_update_keeps_the_other_stacks(tmp_path, capsys):
    committed = json.loads((REPO / "stacks.lock.json").read_text())["stacks"]
    lock = tmp_path / "stacks.lock.json"
    version_1 = {stack: body["resources"] for stack, body in committed.items()}
    lock.write_text(json.dumps({"version": 1, "stacks": version_1}))
    dev = str(ENVS / "dev.json")
    assert main(["guard", dev, "--lock", str(lock), "--only-given"]) == 0, capsys.readouterr().err

    assert main(["guard", dev, "--lock", str(lock), "--only-given", "--update"]) == 0
    rewritten = json.loads(lock.read_text())
    assert rewritten["version"] == 2 and sorted(rewritten["stacks"]) == sorted(committed)
    assert rewritten["stacks"]["dev-docs"] == committed["dev-docs"]
    assert rewritten["stacks"]["prod-docs"] == {"state": None, "region": None, "resources": version_1["prod-docs"]}
