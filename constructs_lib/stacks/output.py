"""What synth owns in an outdir, and how it replaces exactly that and nothing else.

An outdir is cdktf's layout: `manifest.json` and `stacks/<stack>/cdk.tf.json`. A stack folder is also where
the user runs Terraform, which leaves `.terraform/`, `.terraform.lock.hcl`, local state and saved plans there;
those are the user's. So a folder is never replaced: each run synthesizes into a staging folder inside the
outdir, then moves every file it wrote into place with `os.replace`. Synth's files are a `manifest.json` of
cdktf's shape and, in a stack folder, the files the previous manifest names for that stack (its
`synthesizedStackPath`, and the `metadata.json` of HCL output): one the new run no longer writes is removed
(`cdk.tf` after a switch to JSON), and the folder of a stack that is no longer produced is removed only when it holds
nothing else (otherwise it stays whole, its last `cdk.tf.json` included, for a `terraform destroy` there).
An outdir holding anything else outside `stacks/` (a `manifest.json` of another shape included, e.g. a web
app's) is refused: it is not a synth output.

Kills: SIGTERM, SIGINT and SIGHUP during synthesis remove the staging folder and leave the old output; during
the moves they wait until the moves are done. A SIGKILL can only leave `.ecs-cdktf-staging-*` (the old output
is intact; the next run deletes it) or, during the moves, `.ecs-cdktf-commit-*` with a journal: the next run
finishes those moves first. Two runs into one outdir take turns on an exclusive `flock` of the outdir folder
itself, so no lock file is left behind.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

from .signals import signals_handled

MANIFEST = "manifest.json"
STACKS = "stacks"
STAGING = ".ecs-cdktf-staging-"
COMMIT = ".ecs-cdktf-commit-"
STACK_FILES = ("cdk.tf.json", "cdk.tf", "metadata.json")  # what cdktf writes in a stack folder (JSON or HCL)
JOURNAL = ".ecs-cdktf-journal.json"  # inside a commit folder: what to remove once the files are moved
FOREIGN_SHOWN = 3


class OutdirError(Exception):
    """An outdir synth must not write into; the message is one line naming the folder."""


@dataclass(frozen=True)
class Written:
    stacks: list[str]  # the stacks this run produced
    kept: list[str]  # folders in stacks/ this run did not produce and left in place (they hold files not ours)


def refusal(outdir: Path) -> str | None:
    """Why synth must not write into `outdir`, or None. Reads only."""
    if outdir.is_symlink() and not outdir.exists():
        return f"{outdir}: a symlink to {os.readlink(outdir)}, which does not exist"
    if outdir.exists() and not outdir.is_dir():
        return f"{outdir}: a file, not a folder"
    if not outdir.exists():
        return _uncreatable(outdir)
    if not os.access(outdir, os.W_OK | os.X_OK):
        return f"{outdir}: not writable"
    foreign = sorted(entry.name for entry in outdir.iterdir() if not _ours_at_top(entry))
    if not foreign:
        return None
    more = len(foreign) - FOREIGN_SHOWN
    shown = ", ".join(foreign[:FOREIGN_SHOWN]) + (f" and {more} more" if more > 0 else "")
    return f"{outdir}: holds files synth did not write ({shown}); choose a new or empty folder, or one synth wrote"


def _uncreatable(outdir: Path) -> str | None:
    """Why a missing `outdir` cannot be created, from its nearest existing ancestor, or None."""
    ancestor = outdir.parent
    while not ancestor.exists() and not ancestor.is_symlink() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if ancestor.is_symlink() and not ancestor.exists():
        return f"{outdir}: {ancestor} is a symlink to {os.readlink(ancestor)}, which does not exist"
    if not ancestor.is_dir():
        return f"{outdir}: {ancestor} is a file, not a folder"
    if not os.access(ancestor, os.W_OK | os.X_OK):
        return f"{outdir}: cannot be created, {ancestor} is not writable"
    return None


@contextmanager
def _os_errors(outdir: Path) -> Iterator[None]:
    """An OSError of the outdir's own file operations (not of the synthesis) as an OutdirError: one line."""
    try:
        yield
    except OSError as error:
        reason = error.strerror or type(error).__name__
        where = f": {error.filename}" if error.filename and str(error.filename) != str(outdir) else ""
        raise OutdirError(f"{outdir}: cannot write there ({reason}{where})") from None


def _ours_at_top(entry: Path) -> bool:
    if entry.name == MANIFEST:
        return entry.is_file() and not entry.is_symlink() and _manifest_files(entry) is not None
    if entry.name == STACKS:
        return entry.is_dir() and not entry.is_symlink()
    return entry.name.startswith((STAGING, COMMIT)) and entry.is_dir() and not entry.is_symlink()


def write_outdir(
    outdir: Path, synth: Callable[[Path], None], notify: Callable[[str], None] = lambda _: None
) -> Written:
    """Run `synth(staging)`, then put the files it wrote into `outdir`, keeping everything else (see above).

    Raises OutdirError, before writing anything, when `outdir` is not a folder synth may write into.
    `notify` hears about waiting for another run's lock."""
    problem = refusal(outdir)
    if problem:
        raise OutdirError(problem)
    target = outdir.resolve()
    created = not target.exists()
    try:
        waiting = f"{outdir}: another synth is writing there; waiting for it"
        with signals_handled() as defer, _locked(target, lambda: notify(waiting), outdir):
            problem = refusal(outdir)  # again, now that no other run can change it
            if problem:
                raise OutdirError(problem)
            with defer(), _os_errors(outdir):
                recover(target)
            return _synth_and_commit(target, synth, defer, outdir)
    except BaseException:
        if created and target.is_dir() and not any(target.iterdir()):
            target.rmdir()  # nothing was written: leave no folder either
        raise


def _synth_and_commit(
    target: Path, synth: Callable[[Path], None], defer: Callable[[], AbstractContextManager[None]], outdir: Path
) -> Written:
    staging: list[Path] = []
    try:
        with defer(), _os_errors(outdir):  # a signal waits until the cleanup below knows the folder
            staging.append(Path(tempfile.mkdtemp(prefix=STAGING, dir=target)))
        synth(staging[0])
        with defer():
            with _os_errors(outdir):
                commit = _prepare_commit(target, staging[0])
            return _roll_forward(target, commit)  # an error from here on: the next run finishes the moves
    finally:
        if staging and staging[0].exists():
            shutil.rmtree(staging[0])


def recover(target: Path) -> None:
    """Clean up after a killed run (call with the lock held): finish its moves, or drop its staging folder."""
    for entry in sorted(target.iterdir()):
        if entry.name.startswith(COMMIT) and entry.is_dir():
            _roll_forward(target, entry)
        elif entry.name.startswith(STAGING) and entry.is_dir():
            shutil.rmtree(entry)


def _prepare_commit(target: Path, staging: Path) -> Path:
    produced = {path.parent.name for path in (staging / STACKS).glob("*/*")}
    written = set(_files(staging))
    remove, stale = [], []
    for stack, files in _ours_in_stacks(target).items():
        if stack in produced:
            remove += [path for path in files if path not in written]  # e.g. cdk.tf after a switch to JSON
        elif files and len(files) == len(list((target / STACKS / stack).iterdir())):
            remove += files  # a stack no longer produced whose folder holds only our files
            stale.append(stack)
    journal = {"remove": sorted(remove), "stale": sorted(stale), "stacks": sorted(produced)}
    (staging / JOURNAL).write_text(json.dumps(journal))
    commit = target / (COMMIT + staging.name[len(STAGING) :])
    staging.rename(commit)  # from here on the next run finishes the job if this one is killed
    return commit


def _roll_forward(target: Path, commit: Path) -> Written:
    journal = json.loads((commit / JOURNAL).read_text())
    files = [path for path in _files(commit) if path != JOURNAL]
    for relative in sorted(files, key=lambda path: path == MANIFEST):  # the record last
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        os.replace(commit / relative, destination)
    for relative in journal["remove"]:
        (target / relative).unlink(missing_ok=True)
    for stack in journal["stale"]:
        folder = target / STACKS / stack
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    shutil.rmtree(commit)
    stacks_dir = target / STACKS
    kept = (
        sorted(p.name for p in stacks_dir.iterdir() if p.name not in journal["stacks"]) if stacks_dir.is_dir() else []
    )
    return Written(journal["stacks"], kept)


def _ours_in_stacks(target: Path) -> dict[str, list[str]]:
    """Per folder in stacks/, the files in it the previous run wrote: those its manifest.json names (read before
    the new one replaces it). A user's own metadata.json beside a JSON stack is not ours."""
    stacks = target / STACKS
    folders = sorted(p for p in stacks.iterdir() if p.is_dir() and not p.is_symlink()) if stacks.is_dir() else []
    manifest = target / MANIFEST
    named = (_manifest_files(manifest) if manifest.is_file() and not manifest.is_symlink() else None) or {}
    return {
        folder.name: [
            relative
            for relative in named.get(folder.name, [])
            if (target / relative).is_file() and not (target / relative).is_symlink()
        ]
        for folder in folders
    }


def previous_backend(outdir: Path, stack: str) -> str | None:
    """The backend ("local", "s3") of `stack` in the output synth wrote into `outdir` before, or None. Reads only."""
    manifest = outdir / MANIFEST
    named = _manifest_files(manifest) if manifest.is_file() else None
    path = f"{STACKS}/{stack}/cdk.tf.json"
    if not named or path not in named.get(stack, []):
        return None
    try:
        backend = json.loads((outdir / path).read_text())["terraform"]["backend"]
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError):
        return None
    return next(iter(backend), None) if isinstance(backend, dict) and len(backend) == 1 else None


def _manifest_files(manifest: Path) -> dict[str, list[str]] | None:
    """Per stack folder, the files a manifest.json of cdktf's shape names (`synthesizedStackPath`, and for HCL
    output `stackMetadataPath`: cdktf writes metadata.json only beside cdk.tf); None for any other file."""
    try:
        document = json.loads(manifest.read_text())
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not (
        isinstance(document, dict)
        and isinstance(document.get("version"), str)
        and isinstance(document.get("stacks"), dict)
    ):
        return None
    files: dict[str, list[str]] = {}
    for stack in document["stacks"].values():
        path = stack.get("synthesizedStackPath") if isinstance(stack, dict) else None
        parts = path.split("/") if isinstance(path, str) else []
        if len(parts) != 3 or parts[0] != STACKS or parts[1] in ("", ".", "..") or parts[2] not in STACK_FILES[:2]:
            return None
        named = files.setdefault(parts[1], [])
        named.append(str(path))
        if parts[2] == "cdk.tf" and stack.get("stackMetadataPath") == f"{STACKS}/{parts[1]}/metadata.json":
            named.append(str(stack["stackMetadataPath"]))
    return files


def _files(root: Path) -> list[str]:
    return sorted(str(path.relative_to(root).as_posix()) for path in root.rglob("*") if path.is_file())


@contextmanager
def _locked(target: Path, on_wait: Callable[[], None], outdir: Path) -> Iterator[None]:
    """An exclusive flock on the outdir folder. A run that created the folder and failed removes it again:
    a run that was waiting for it then finds its folder gone and locks the new one."""
    while True:
        with _os_errors(outdir):
            target.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(target, os.O_RDONLY | os.O_DIRECTORY)
        try:
            with _os_errors(outdir):
                try:
                    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    on_wait()
                    fcntl.flock(descriptor, fcntl.LOCK_EX)
            if target.is_dir() and os.stat(target).st_ino == os.fstat(descriptor).st_ino:
                yield
                return
        finally:
            os.close(descriptor)
