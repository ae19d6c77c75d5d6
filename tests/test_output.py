"""What synth owns in an outdir (constructs_lib/stacks/output.py), without jsii: a small Python `synth` writes the
files cdktf would, in a subprocess that is killed (SIGTERM, SIGKILL) at exact moments: while it synthesizes,
and at the k-th `os.replace` of the moves. Each kill leaves the complete old or new output, the user's files,
and no folder of ours, or (SIGKILL only) one the next run recognizes and finishes or removes.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from constructs_lib.stacks.output import COMMIT, STAGING, refusal

OLD_STACKS = ("s0", "s1", "s2", "s3")
NEW_STACKS = ("s0", "s1", "s5")  # s2 gone with only our files (removed), s3 gone with the user's (kept whole)
USER_FILES = {
    "stacks/s0/.terraform/providers/aws": b"provider",
    "stacks/s0/.terraform.lock.hcl": b"lock",
    "stacks/s0/terraform.tfstate": b"state",
    "stacks/s0/plan.tfplan": b"plan",
    "stacks/s3/terraform.tfstate": b"applied",
}

# Argv: outdir, version, stacks (comma-separated), phase (synth|replace|fail|none), n, signal name, sleep.
# `synth` kills after writing n files; `replace` kills at the n-th os.replace (mid-move), then lets it run on.
SCRIPT = textwrap.dedent("""
    import os, signal, sys, time
    from pathlib import Path
    from constructs_lib.stacks.output import write_outdir

    import json
    outdir, version, stacks, phase, n, name, pause = sys.argv[1:]
    kill = lambda: os.kill(os.getpid(), getattr(signal, name))
    replace, count = os.replace, [0]

    def counted(source, destination):
        count[0] += 1
        if phase == "replace" and count[0] == int(n):
            kill()
        replace(source, destination)

    def synth(staging):
        time.sleep(float(pause))
        if phase == "fail":
            raise RuntimeError("synthesis failed")
        files = ["manifest.json"] + [f"stacks/{s}/cdk.tf.json" for s in stacks.split(",")]
        for index, relative in enumerate(files):
            if phase == "synth" and index == int(n):
                kill()
            (staging / relative).parent.mkdir(parents=True, exist_ok=True)
            (staging / relative).write_text(MANIFEST_TEXT if relative == "manifest.json" else f"{version} {relative}")

    MANIFEST_TEXT = json.dumps({"version": version, "stacks": {s: {
        "synthesizedStackPath": f"stacks/{s}/cdk.tf.json", "stackMetadataPath": f"stacks/{s}/metadata.json",
    } for s in stacks.split(",")}})
    os.replace = counted
    write_outdir(Path(outdir), synth, notify=lambda line: print(line, flush=True))
""")


def write(outdir: Path, version: str, stacks: tuple[str, ...], phase: str = "none", n: int = 0,
          name: str = "SIGTERM", pause: float = 0.0) -> subprocess.Popen[str]:
    command = [sys.executable, "-c", SCRIPT, str(outdir), version, ",".join(stacks), phase, str(n), name, str(pause)]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    stdout, stderr = process.communicate(timeout=60)
    return process.returncode, stdout, stderr


def manifest(version: str, stacks: tuple[str, ...], stack_file: str = "cdk.tf.json") -> str:
    """manifest.json as cdktf writes it (its shape; the version field marks the run)."""
    return json.dumps({"version": version, "stacks": {s: {
        "synthesizedStackPath": f"stacks/{s}/{stack_file}", "stackMetadataPath": f"stacks/{s}/metadata.json",
    } for s in stacks}})


def output_of(version: str, stacks: tuple[str, ...]) -> dict[str, bytes]:
    files = [f"stacks/{s}/cdk.tf.json" for s in stacks]
    return {"manifest.json": manifest(version, stacks).encode(), **{f: f"{version} {f}".encode() for f in files}}


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def ours_hidden(outdir: Path) -> list[str]:
    return sorted(p.name for p in outdir.iterdir() if p.name.startswith("."))


OLD = output_of("old", OLD_STACKS)
# The new output, the user's files, and s3 kept whole (its last cdk.tf.json included: terraform destroy needs it).
NEW = {**output_of("new", NEW_STACKS), "stacks/s3/cdk.tf.json": OLD["stacks/s3/cdk.tf.json"]}


@pytest.fixture
def outdir(tmp_path: Path) -> Path:
    """An outdir holding the old output and the user's Terraform files in two stack folders."""
    out = tmp_path / "out"
    assert finish(write(out, "old", OLD_STACKS))[0] == 0
    for relative, content in USER_FILES.items():
        (out / relative).parent.mkdir(parents=True, exist_ok=True)
        (out / relative).write_bytes(content)
    return out


def test_a_run_replaces_only_our_files(outdir: Path) -> None:
    assert finish(write(outdir, "new", NEW_STACKS))[0] == 0
    assert tree(outdir) == {**NEW, **USER_FILES}
    assert ours_hidden(outdir) == []


def test_a_file_of_ours_the_new_run_no_longer_writes_is_removed(outdir: Path) -> None:
    """After `cdktf synth --hcl` into the same outdir (its manifest names cdk.tf and metadata.json), a JSON synth
    must not leave cdk.tf beside cdk.tf.json (Terraform would load both), nor the HCL run's metadata.json."""
    for stack in OLD_STACKS:
        (outdir / "stacks" / stack / "cdk.tf.json").unlink()
        (outdir / "stacks" / stack / "cdk.tf").write_text("old hcl")
        (outdir / "stacks" / stack / "metadata.json").write_text("{}")
    (outdir / "manifest.json").write_text(manifest("old", OLD_STACKS, "cdk.tf"))
    assert finish(write(outdir, "new", NEW_STACKS))[0] == 0
    s3 = {"stacks/s3/cdk.tf": b"old hcl", "stacks/s3/metadata.json": b"{}"}  # kept whole: the user's state is there
    assert tree(outdir) == {**output_of("new", NEW_STACKS), **s3, **USER_FILES}


def test_files_the_previous_manifest_does_not_name_are_the_users(outdir: Path) -> None:
    """A user's own metadata.json (or cdk.tf) beside a JSON stack is not synth's: it stays, and so does the folder
    of a stack no longer produced that holds one."""
    mine = {"stacks/s0/metadata.json": b"mine", "stacks/s0/cdk.tf": b"# mine", "stacks/s2/metadata.json": b"mine"}
    for relative, content in mine.items():
        (outdir / relative).write_bytes(content)
    assert finish(write(outdir, "new", NEW_STACKS))[0] == 0
    assert tree(outdir) == {**NEW, **USER_FILES, **mine, "stacks/s2/cdk.tf.json": OLD["stacks/s2/cdk.tf.json"]}


def test_a_folder_holding_another_manifest_json_is_refused(tmp_path: Path) -> None:
    """A web app's manifest.json is not synth's: the folder is refused, the file untouched."""
    (tmp_path / "manifest.json").write_text('{"name": "My app", "icons": [], "start_url": "/"}')
    returncode, _, stderr = finish(write(tmp_path, "new", NEW_STACKS))
    assert returncode == 1 and stderr.splitlines()[-1] == (
        f"constructs_lib.stacks.output.OutdirError: {tmp_path}: holds files synth did not write (manifest.json); "
        "choose a new or empty folder, or one synth wrote")
    assert tree(tmp_path) == {"manifest.json": b'{"name": "My app", "icons": [], "start_url": "/"}'}
    for text in ('{"version": "0.21.0", "stacks": {"a": {"synthesizedStackPath": "../../etc/passwd"}}}',
                 '{"version": "0.21.0"}', "[]", "not json"):
        (tmp_path / "manifest.json").write_text(text)
        assert refusal(tmp_path) is not None, text
    (tmp_path / "manifest.json").write_text(manifest("old", ("s0",)))
    assert refusal(tmp_path) is None


@pytest.mark.parametrize("files", [0, 2, 3])
def test_sigterm_while_synthesizing_keeps_the_old_output_and_leaves_nothing(outdir: Path, files: int) -> None:
    returncode, _, _ = finish(write(outdir, "new", NEW_STACKS, "synth", files, "SIGTERM"))
    assert returncode == 1  # the script's Interrupted surfaces uncaught; the CLI turns it into 143
    assert tree(outdir) == {**OLD, **USER_FILES}
    assert ours_hidden(outdir) == []


@pytest.mark.parametrize("at", [1, 3, 4])
def test_sigterm_while_moving_waits_until_the_new_output_is_complete(outdir: Path, at: int) -> None:
    returncode, _, stderr = finish(write(outdir, "new", NEW_STACKS, "replace", at, "SIGTERM"))
    assert returncode == 1 and "Interrupted: SIGTERM" in stderr
    assert tree(outdir) == {**NEW, **USER_FILES}
    assert ours_hidden(outdir) == []


def test_sigkill_while_synthesizing_leaves_the_old_output_and_a_staging_folder_for_the_next_run(outdir: Path) -> None:
    returncode, _, _ = finish(write(outdir, "new", NEW_STACKS, "synth", 2, "SIGKILL"))
    assert returncode == -signal.SIGKILL
    [leftover] = ours_hidden(outdir)
    assert leftover.startswith(STAGING)
    assert {k: v for k, v in tree(outdir).items() if not k.startswith(".")} == {**OLD, **USER_FILES}
    assert finish(write(outdir, "next", NEW_STACKS, "fail"))[0] == 1  # even a failing next run cleans up first
    assert (tree(outdir), ours_hidden(outdir)) == ({**OLD, **USER_FILES}, [])


@pytest.mark.parametrize("at", [1, 3, 4])
def test_sigkill_while_moving_is_finished_by_the_next_run(outdir: Path, at: int) -> None:
    returncode, _, _ = finish(write(outdir, "new", NEW_STACKS, "replace", at, "SIGKILL"))
    assert returncode == -signal.SIGKILL
    [leftover] = ours_hidden(outdir)
    assert leftover.startswith(COMMIT)
    assert finish(write(outdir, "next", NEW_STACKS, "fail"))[0] == 1
    assert (tree(outdir), ours_hidden(outdir)) == ({**NEW, **USER_FILES}, [])


def test_two_runs_into_one_outdir_take_turns(outdir: Path) -> None:
    first = write(outdir, "new", NEW_STACKS, pause=3.0)
    time.sleep(0.5)  # the first holds the lock while it synthesizes
    second = write(outdir, "next", NEW_STACKS)
    (first_code, _, first_err), (second_code, second_out, second_err) = finish(first), finish(second)
    assert (first_code, first_err, second_code, second_err) == (0, "", 0, "")
    assert second_out == f"{outdir}: another synth is writing there; waiting for it\n"
    expected = {**output_of("next", NEW_STACKS), "stacks/s3/cdk.tf.json": OLD["stacks/s3/cdk.tf.json"]}
    assert (tree(outdir), ours_hidden(outdir)) == ({**expected, **USER_FILES}, [])


def test_a_failed_run_into_a_new_outdir_leaves_no_folder(tmp_path: Path) -> None:
    returncode, _, stderr = finish(write(tmp_path / "out", "new", NEW_STACKS, "fail"))
    assert returncode == 1 and "RuntimeError: synthesis failed" in stderr
    assert list(tmp_path.iterdir()) == []


def test_refusal(tmp_path: Path) -> None:
    (tmp_path / "envs").mkdir()
    for name in ("a.json", "b.json", "main.py", "manifest.json"):
        (tmp_path / name).write_text("{}")
    (tmp_path / "file").write_text("")
    (tmp_path / "dangling").symlink_to(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    assert refusal(tmp_path) == (f"{tmp_path}: holds files synth did not write (a.json, b.json, dangling and 5 more); "
                                 "choose a new or empty folder, or one synth wrote")
    assert refusal(tmp_path / "file") == f"{tmp_path / 'file'}: a file, not a folder"
    dangling = f"{tmp_path / 'dangling'}: a symlink to {tmp_path / 'missing'}, which does not exist"
    assert refusal(tmp_path / "dangling") == dangling
    assert refusal(tmp_path / "empty") is None
    assert refusal(tmp_path / "new") is None


def test_a_symlinked_outdir_is_written_through(outdir: Path, tmp_path: Path) -> None:
    link = tmp_path / "link"
    link.symlink_to(outdir, target_is_directory=True)
    assert finish(write(link, "new", NEW_STACKS))[0] == 0
    assert link.is_symlink() and os.readlink(link) == str(outdir)
    assert tree(outdir) == {**NEW, **USER_FILES}


def test_sigterm_while_waiting_for_the_lock_stops_that_run_only(outdir: Path) -> None:
    first = write(outdir, "new", NEW_STACKS, pause=3.0)
    time.sleep(0.5)
    second = write(outdir, "next", NEW_STACKS)
    assert second.stdout.readline().endswith("waiting for it\n")
    second.send_signal(signal.SIGTERM)
    (second_code, _, second_err), (first_code, _, _) = finish(second), finish(first)
    assert (second_code, first_code) == (1, 0) and "Interrupted: SIGTERM" in second_err
    assert (tree(outdir), ours_hidden(outdir)) == ({**NEW, **USER_FILES}, [])
