"""`changed OLD NEW` as a user (and CI) runs it: a subprocess on real synth outputs, its exit code and output.

Three synths run once per module (the shipped envs/, the same with one line of envs/staging.json changed, and
envs/ without staging); the tests compare copies of them.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ENVS, REPO

ORDER = "dev,staging,prod"


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "constructs_lib", *map(str, args)], cwd=REPO, capture_output=True, text=True, timeout=300
    )


def synth(outdir: Path, *env_files: Path) -> Path:
    done = run("synth", *env_files, "--outdir", outdir)
    assert done.returncode == 0, done.stderr
    return outdir


def stacks_of(outdir: Path) -> list[str]:
    return sorted(p.parent.name for p in outdir.glob("stacks/*/cdk.tf.json"))


@pytest.fixture(scope="module")
def outdirs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """base: envs/ as shipped; one_line: envs/staging.json with app-service's desired_count changed (one line);
    no_staging: envs/ without staging.json."""
    root = tmp_path_factory.mktemp("changed")
    envs = {name: ENVS / f"{name}.json" for name in ("dev", "staging", "prod")}
    edited = root / "edited"
    shutil.copytree(ENVS, edited)
    text = envs["staging"].read_text()
    line = '      "desired_count": 2,\n'
    assert text.count(line) == 1
    (edited / "staging.json").write_text(text.replace(line, '      "desired_count": 3,\n'))
    return {
        "base": synth(root / "base", *envs.values()),
        "one_line": synth(root / "one_line", envs["dev"], edited / "staging.json", envs["prod"]),
        "no_staging": synth(root / "no_staging", envs["dev"], envs["prod"]),
    }


def test_unchanged_outdirs_print_nothing(outdirs, tmp_path):
    copy = shutil.copytree(outdirs["base"], tmp_path / "copy")
    for args in ((), ("--order", ORDER)):
        done = run("changed", outdirs["base"], copy, *args)
        assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_a_one_line_change_in_one_service_is_exactly_that_stack(outdirs):
    done = run("changed", outdirs["base"], outdirs["one_line"], "--order", ORDER)
    assert (done.returncode, done.stdout, done.stderr) == (0, "staging-app-service\n", "")
    matrix = json.loads(run("changed", outdirs["base"], outdirs["one_line"], "--json").stdout)
    assert matrix == {
        "include": [{
            "batch": "001-staging-service", "environment": "staging", "phase": "service",
            "account_id": "333333333333", "region": "eu-west-1", "stacks": "staging-app-service",
        }],
        "removed": [],
    }


def test_added_and_removed_stacks(outdirs):
    # Apply order: the environment stack first, then the environment's other stacks.
    staging = sorted((n for n in stacks_of(outdirs["base"]) if n.startswith("staging-")), key=lambda n: (n != "staging-environment", n))
    added = run("changed", outdirs["no_staging"], outdirs["base"])
    assert (added.returncode, added.stdout.split()) == (0, staging)
    removed = run("changed", outdirs["base"], outdirs["no_staging"], "--json")
    assert json.loads(removed.stdout) == {"include": [], "removed": staging}


def test_an_empty_old_outdir_adds_every_stack_in_the_declared_order(outdirs, tmp_path):
    (tmp_path / "empty").mkdir()
    done = run("changed", tmp_path / "empty", outdirs["base"], "--order", "dev staging prod")
    names = done.stdout.split()
    environments = [name.split("-")[0] for name in names]
    assert sorted(names) == stacks_of(outdirs["base"])
    assert environments == sorted(environments, key=["dev", "staging", "prod"].index)
    alphabetical = run("changed", tmp_path / "empty", outdirs["base"]).stdout.split()
    assert [name.split("-")[0] for name in alphabetical] == sorted(environments)


def test_metadata_only_changes_do_not_count_and_any_value_does(outdirs, tmp_path):
    new = shutil.copytree(outdirs["base"], tmp_path / "new")
    path = new / "stacks" / "dev-docs" / "cdk.tf.json"
    document = json.loads(path.read_text())
    document["//"]["metadata"]["version"] = "0.99.0"
    for resource in document["resource"]["aws_ecs_service"].values():
        resource["//"] = {"metadata": {"path": "moved/elsewhere"}}
    path.write_text(json.dumps(dict(reversed(list(document.items()))), indent=4))  # another key order and layout
    assert run("changed", outdirs["base"], new).stdout == ""

    for block, edit in (("terraform", lambda t: t["backend"]["s3"].update(key="moved")),
                        ("output", lambda o: o.update(extra={"value": "x"}))):
        edited = json.loads(json.dumps(document))
        edit(edited[block])
        path.write_text(json.dumps(edited))
        assert run("changed", outdirs["base"], new).stdout == "dev-docs\n", block


def test_json_batches_stacks_to_fit_the_job_limit(outdirs, tmp_path):
    (tmp_path / "empty").mkdir()
    done = run("changed", tmp_path / "empty", outdirs["base"], "--order", ORDER, "--json", "--max-jobs", "7")
    batches = json.loads(done.stdout)["include"]
    assert [(b["batch"], b["stacks"]) for b in batches] == [
        ("001-dev-environment", "dev-environment"),
        ("002-dev-service", "dev-app-service dev-docs"),
        ("003-staging-environment", "staging-environment"),
        ("004-staging-service", "staging-app-service staging-docs staging-nightly-report"),
        ("005-staging-service", "staging-orders-worker staging-reports"),
        ("006-prod-environment", "prod-environment"),
        ("007-prod-service", "prod-app-service prod-docs"),
    ]
    too_few = run("changed", tmp_path / "empty", outdirs["base"], "--json", "--max-jobs", "2")
    assert (too_few.returncode, too_few.stdout) == (2, "")
    assert too_few.stderr == "6 environment/account/region groups need more than 2 jobs\n"


def test_a_changed_stack_of_an_undeclared_environment_is_an_error(outdirs, tmp_path):
    (tmp_path / "empty").mkdir()
    done = run("changed", tmp_path / "empty", outdirs["base"], "--order", "dev,prod")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "staging-app-service: environment 'staging' is not in the declared order (dev, prod); add it there\n"
    )


def test_unreadable_outdirs_are_one_line_and_exit_2(outdirs, tmp_path):
    missing = tmp_path / "missing"
    done = run("changed", missing, outdirs["base"])
    assert (done.returncode, done.stdout, done.stderr) == (2, "", f"{missing}: no such folder\n")

    stray = tmp_path / "stray"
    stray.mkdir()
    (stray / "notes.txt").write_text("x")
    done = run("changed", outdirs["base"], stray)
    missing_manifest = f"{stray / 'manifest.json'}: missing; {stray} is not the output of a synth\n"
    assert (done.returncode, done.stderr) == (2, missing_manifest)

    broken = shutil.copytree(outdirs["base"], tmp_path / "broken")
    document = broken / "stacks" / "dev-docs" / "cdk.tf.json"
    document.write_text("{")
    done = run("changed", outdirs["base"], broken)
    assert done.returncode == 2 and done.stderr.startswith(f"{document}: not valid JSON")
    document.unlink()
    done = run("changed", outdirs["base"], broken)
    assert (done.returncode, done.stderr) == (2, f"{document}: No such file or directory\n")
