"""The outdir rules as a user meets them through the CLI (subprocess, exit code, output, files): refusals
before anything is written, `bootstrap` run again over an applied stack (its terraform.tfstate survives) and
`bootstrap --backend s3`, kills at random moments of a real synth, two synths into one outdir at once.

The fast, exact-moment kill tests of the same machinery are in test_output.py.
"""

from __future__ import annotations

import json
import random
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import read_env
from test_cli import REPO, assert_no_traceback, run, tree

from constructs_lib.stacks.output import COMMIT, STAGING

BOOTSTRAP_STACK = "stacks/bootstrap-dev/cdk.tf.json"
# What `terraform init && terraform apply` leaves in the bootstrap stack's folder (README step 1).
APPLIED = {
    "stacks/bootstrap-dev/terraform.tfstate": b'{"version": 4, "serial": 7}',
    "stacks/bootstrap-dev/terraform.tfstate.backup": b'{"version": 4, "serial": 6}',
    "stacks/bootstrap-dev/.terraform.lock.hcl": b"# lock",
    "stacks/bootstrap-dev/.terraform/providers/marker": b"provider",
    "stacks/bootstrap-dev/plan.tfplan": b"plan",
}


def one_line_refusal(result, line: str) -> None:
    assert (result.returncode, result.stdout, result.stderr) == (2, "", f"{line}; nothing was written\n")
    assert_no_traceback(result)


def test_synth_refuses_a_folder_holding_other_files(tmp_path: Path) -> None:
    """`synth --outdir .` in a project folder: exit 2, one line, the env files and everything else untouched."""
    (tmp_path / "envs").mkdir()
    (tmp_path / "envs" / "dev.json").write_text(json.dumps(read_env("dev")))
    (tmp_path / "README.md").write_text("mine")
    before = tree(tmp_path)
    result = run("synth", "envs/dev.json", "--outdir", ".", cwd=tmp_path)
    one_line_refusal(result, ".: holds files synth did not write (README.md, envs); "
                             "choose a new or empty folder, or one synth wrote")
    assert tree(tmp_path) == before and sorted(p.name for p in tmp_path.iterdir()) == ["README.md", "envs"]


def test_synth_refuses_a_file_and_a_dangling_symlink(tmp_path: Path) -> None:
    (tmp_path / "dev.json").write_text(json.dumps(read_env("dev")))
    (tmp_path / "out").write_text("a file")
    (tmp_path / "link").symlink_to(tmp_path / "gone")
    one_line_refusal(run("synth", "dev.json", "--outdir", "out", cwd=tmp_path), "out: a file, not a folder")
    one_line_refusal(run("bootstrap", "dev.json", "--outdir", "link", cwd=tmp_path),
                     f"link: a symlink to {tmp_path / 'gone'}, which does not exist")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dev.json", "link", "out"]


def test_synth_refuses_a_folder_holding_a_manifest_json_it_did_not_write(tmp_path: Path) -> None:
    """A web app's public/ folder: its manifest.json is not cdktf's shape, so the folder is not a synth output."""
    (tmp_path / "dev.json").write_text(json.dumps(read_env("dev")))
    (tmp_path / "public").mkdir()
    (tmp_path / "public" / "manifest.json").write_text('{"name": "My app", "start_url": "/", "icons": []}')
    before = tree(tmp_path)
    one_line_refusal(run("synth", "dev.json", "--outdir", "public", cwd=tmp_path),
                     "public: holds files synth did not write (manifest.json); "
                     "choose a new or empty folder, or one synth wrote")
    assert tree(tmp_path) == before


def test_synth_refuses_an_outdir_it_cannot_create(tmp_path: Path) -> None:
    """A file in the outdir's path, or an ancestor that cannot be written even by root: refused before the
    synthesis, exit 2, one line naming the path, nothing written."""
    (tmp_path / "dev.json").write_text(json.dumps(read_env("dev")))
    (tmp_path / "README.md").write_text("mine")
    before = tree(tmp_path)
    one_line_refusal(run("synth", "dev.json", "--outdir", "README.md/out", cwd=tmp_path),
                     "README.md/out: README.md is a file, not a folder")
    one_line_refusal(run("synth", "dev.json", "--outdir", "README.md/a/b", cwd=tmp_path),
                     "README.md/a/b: README.md is a file, not a folder")
    one_line_refusal(run("bootstrap", "dev.json", "--outdir", "/proc/sys/ecs-cdktf-test/out", cwd=tmp_path),
                     "/proc/sys/ecs-cdktf-test/out: cannot be created, /proc/sys is not writable")
    assert tree(tmp_path) == before


def test_an_outdir_whose_creation_fails_is_one_line(tmp_path: Path) -> None:
    """/sys looks writable to root but refuses a new folder (EPERM): the writer's OSError is an outdir error."""
    (tmp_path / "dev.json").write_text(json.dumps(read_env("dev")))
    result = run("bootstrap", "dev.json", "--outdir", "/sys/ecs-cdktf-test/out", cwd=tmp_path)
    one_line_refusal(result, "/sys/ecs-cdktf-test/out: cannot write there (Operation not permitted: "
                             "/sys/ecs-cdktf-test)")
    assert not Path("/sys/ecs-cdktf-test").exists() and sorted(p.name for p in tmp_path.iterdir()) == ["dev.json"]


def test_an_outdir_refusal_is_reported_with_the_env_file_problems(tmp_path: Path) -> None:
    data = read_env("dev")
    data["services"][0]["cpu"] = 300
    (tmp_path / "bad.json").write_text(json.dumps(data))
    result = run("synth", "bad.json", "--outdir", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-2:] == [
        ".: holds files synth did not write (bad.json); choose a new or empty folder, or one synth wrote",
        "2 problems found; nothing was written",
    ]


@pytest.fixture(scope="module")
def bootstrapped(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """`bootstrap` into a symlinked outdir, the apply's files planted, then `bootstrap --backend s3` into it."""
    root = tmp_path_factory.mktemp("bootstrap")
    (root / "real").mkdir()
    (root / "cdktf.bootstrap").symlink_to(root / "real", target_is_directory=True)
    env_file = str(REPO / "envs" / "dev.json")
    first = run("bootstrap", env_file, cwd=root)
    first_tree = tree(root / "real")
    for relative, content in APPLIED.items():
        (root / "real" / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / "real" / relative).write_bytes(content)
    second = run("bootstrap", env_file, "--backend", "s3", cwd=root)
    return {"root": root, "first": first, "first_tree": first_tree, "second": second, "second_tree": tree(root / "real")}


def test_bootstrap_writes_through_a_symlinked_outdir(bootstrapped: dict) -> None:
    assert bootstrapped["first"].returncode == 0, bootstrapped["first"].stderr
    assert sorted(bootstrapped["first_tree"]) == ["manifest.json", BOOTSTRAP_STACK]
    assert (bootstrapped["root"] / "cdktf.bootstrap").is_symlink()
    document = json.loads(bootstrapped["first_tree"][BOOTSTRAP_STACK])
    assert document["terraform"]["backend"] == {"local": {"path": "terraform.tfstate"}}


def test_bootstrap_again_keeps_the_applied_state(bootstrapped: dict) -> None:
    second = bootstrapped["second"]
    assert (second.returncode, second.stderr) == (0, "")
    assert {k: v for k, v in bootstrapped["second_tree"].items() if k in APPLIED} == APPLIED
    assert sorted(bootstrapped["second_tree"]) == sorted(["manifest.json", BOOTSTRAP_STACK, *APPLIED])


def test_bootstrap_backend_s3_puts_its_state_in_the_bucket_it_creates(bootstrapped: dict) -> None:
    document = json.loads(bootstrapped["second_tree"][BOOTSTRAP_STACK])
    state = read_env("dev")["state"]
    assert document["terraform"]["backend"] == {"s3": {
        "bucket": state["bucket"], "key": "ecs/dev/_bootstrap/terraform.tfstate", "region": state["region"],
        "encrypt": True, "use_lockfile": True,
    }}
    assert document["resource"] == json.loads(bootstrapped["first_tree"][BOOTSTRAP_STACK])["resource"]
    assert bootstrapped["second"].stdout.splitlines()[-1] == (
        "next: cd into the stack, terraform init -migrate-state (moves its terraform.tfstate into the bucket); "
        "later bootstrap runs keep the s3 backend"
    )


def test_bootstrap_again_keeps_the_s3_backend_unless_told(bootstrapped: dict, tmp_path: Path) -> None:
    """After `--backend s3` (and the migration), a plain `bootstrap` must not ask for local state again (the next
    terraform init would migrate back); an explicit `--backend local` still switches."""
    outdir = tmp_path / "cdktf.bootstrap"
    shutil.copytree(bootstrapped["root"] / "real", outdir)
    env_file = str(REPO / "envs" / "dev.json")
    again = run("bootstrap", env_file, cwd=tmp_path)
    assert (again.returncode, again.stderr) == (0, "")
    assert again.stdout.splitlines()[-1] == (
        "bootstrap-dev: kept its s3 backend (its state is in the bucket); --backend local switches back")
    assert tree(outdir) == bootstrapped["second_tree"]
    local = run("bootstrap", env_file, "--backend", "local", cwd=tmp_path)
    assert (local.returncode, local.stderr) == (0, "")
    assert tree(outdir) == {**bootstrapped["second_tree"], BOOTSTRAP_STACK: bootstrapped["first_tree"][BOOTSTRAP_STACK]}
    assert local.stdout.splitlines()[-1].startswith("next: cd into the stack, terraform init && terraform apply")


def _start(outdir: Path, env_file: Path) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "constructs_lib", "bootstrap", str(env_file), "--outdir", str(outdir)]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _ours_hidden(outdir: Path) -> list[str]:
    return sorted(p.name for p in outdir.iterdir() if p.name.startswith("."))


def test_a_killed_synth_leaves_the_old_or_the_new_output(tmp_path: Path) -> None:
    """Old output, then runs writing a new one killed at a random moment once they synthesize (SIGTERM, SIGKILL,
    SIGINT), then one that completes. Every kill leaves a complete old or new set; SIGTERM and SIGINT leave no
    folder of ours; SIGKILL at most one that the next run removes."""
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    data = read_env("dev")
    old.write_text(json.dumps(data))
    data["tags"] = {**data.get("tags", {}), "generation": "new"}
    new.write_text(json.dumps(data))
    outdir = tmp_path / "out"
    assert run("bootstrap", str(old), "--outdir", str(outdir)).returncode == 0
    old_tree, seen = tree(outdir), []
    for how in (signal.SIGTERM, signal.SIGKILL, signal.SIGINT):
        before = set(_ours_hidden(outdir))  # a SIGKILLed run's staging folder stays until the next run
        process = _start(outdir, new)
        while process.poll() is None and not {p for p in _ours_hidden(outdir) if p.startswith(STAGING)} - before:
            time.sleep(0.02)
        time.sleep(random.uniform(0, 0.5))
        process.send_signal(how)
        _, stderr = process.communicate(timeout=300)
        assert process.returncode in (0, 128 + how, -how), stderr
        assert "Traceback" not in stderr
        seen.append({k: v for k, v in tree(outdir).items() if not k.startswith(".")})
        leftovers = _ours_hidden(outdir)
        assert leftovers == [] if how != signal.SIGKILL else all(n.startswith((STAGING, COMMIT)) for n in leftovers)
    assert _start(outdir, new).wait(timeout=300) == 0
    new_tree = tree(outdir)
    assert _ours_hidden(outdir) == [] and new_tree != old_tree
    assert [t if t in (old_tree, new_tree) else sorted(t) for t in seen] == [t for t in seen]


def test_two_synths_into_one_outdir_at_once_both_succeed(tmp_path: Path) -> None:
    env_file = REPO / "envs" / "dev.json"
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda _: run("bootstrap", str(env_file), "--outdir", str(tmp_path / "out")), range(2)))
    for result in results:
        assert result.returncode == 0, result.stderr
        assert "Error" not in result.stderr
    waited = [line for result in results for line in result.stderr.splitlines()]
    assert waited in ([], [f"{tmp_path / 'out'}: another synth is writing there; waiting for it"])
    assert sorted(tree(tmp_path / "out")) == ["manifest.json", BOOTSTRAP_STACK]
    assert _ours_hidden(tmp_path / "out") == []
