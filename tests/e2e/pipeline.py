"""Synthesize an env file with the normal CLI and apply it to moto: the bootstrap stack, then every service.

Shared by the e2e's `deployment` fixture and `make try`. Overlapped where the steps allow it: as soon as the
bootstrap apply has created the state bucket's policy, every service stack is initialized (S3 backend,
`use_lockfile`) and applied in parallel, their state passing the bucket's TLS-only policy from the start, while
the provider polls the bucket's lifecycle configuration (~1 min).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tf

from .harness import JSII_QUIET, REPO, Moto
from .overrides import write_override

BUCKET_POLICY = "aws_s3_bucket_policy."


@dataclass
class Applied:
    bootstrap: Path  # the state-bucket stack of `python -m constructs_lib bootstrap` (local state)
    stacks: dict[str, Path]  # service stack name -> folder, override written
    outputs: dict[str, dict[str, Any]]  # service stack name -> terraform outputs


def cli(args: list[str]) -> subprocess.Popen[str]:
    """`python <args>` in the repository, as a user runs the CLI."""
    return subprocess.Popen([sys.executable, *args], cwd=REPO, env={**os.environ, **JSII_QUIET},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def finish(process: subprocess.Popen[str], what: str) -> str:
    output, _ = process.communicate(timeout=600)
    if process.returncode != 0:
        raise AssertionError(f"{what} exited {process.returncode}:\n{output}")
    return output


def apply_env_file(env_file: Path, work: Path, moto: Moto, *, alongside: list[str] | None = None) -> Applied:
    """Synthesize `env_file` into `work/out` and `work/bootstrap`, write the override layer, apply it all.

    `alongside`: CLI arguments of one more run (a second synthesis) started once the first synthesis is done
    and finished before returning. Applying again into the same `work` re-applies (the bootstrap stack keeps
    its local state there; the services keep theirs in the bucket)."""
    processes: list[subprocess.Popen[str]] = []  # stopped on the way out if a step failed

    def started(process: subprocess.Popen[str]) -> subprocess.Popen[str]:
        processes.append(process)
        return process

    try:
        synth = started(cli(["-m", "constructs_lib", "synth", str(env_file), "--outdir", str(work / "out")]))
        bootstrap_synth = started(cli(["-m", "constructs_lib", "bootstrap", str(env_file),
                                       "--outdir", str(work / "bootstrap")]))
        finish(bootstrap_synth, "bootstrap synth")
        [bootstrap_dir] = sorted((work / "bootstrap" / "stacks").iterdir())
        write_override(bootstrap_dir, moto.endpoint, moto.ca_file)
        tf.terraform(["init"], bootstrap_dir)
        bootstrap = started(tf.start(["apply", "-auto-approve"], bootstrap_dir))
        watcher = _OutputWatcher(bootstrap, BUCKET_POLICY)

        finish(synth, "synth")
        stacks = {p.name: p for p in sorted((work / "out" / "stacks").iterdir())}
        for stack_dir in stacks.values():
            write_override(stack_dir, moto.endpoint, moto.ca_file)
        extra = started(cli(alongside)) if alongside else None

        watcher.wait()  # the bucket policy was created, or the apply ended (a re-apply creates nothing)
        if not watcher.seen_created():
            _require_success(bootstrap, watcher)
        # The environment stack first: the other stacks look its resources up by name.
        environments = [name for name in stacks if name.endswith("-environment")]
        outputs = {name: _init_and_apply(stacks[name]) for name in environments}
        rest = [name for name in stacks if name not in environments]
        with ThreadPoolExecutor(max_workers=max(1, len(rest))) as pool:
            outputs |= dict(zip(rest, pool.map(_init_and_apply, [stacks[name] for name in rest]), strict=True))
        _require_success(bootstrap, watcher)
        if extra:
            finish(extra, " ".join(alongside or []))
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
    return Applied(bootstrap_dir, stacks, outputs)


def _require_success(bootstrap: subprocess.Popen[str], watcher: _OutputWatcher) -> None:
    bootstrap.wait(timeout=600)
    watcher.join()
    if bootstrap.returncode != 0:
        raise AssertionError(f"the bootstrap apply failed:\n{watcher.text()}")


def _init_and_apply(stack_dir: Path) -> dict[str, Any]:
    tf.terraform(["init"], stack_dir)
    tf.terraform(["apply", "-auto-approve"], stack_dir)
    return tf.outputs(stack_dir)


def destroy(applied_stacks: list[Path]) -> None:
    """`terraform destroy` of the given stacks, in parallel (`make try-destroy`).

    A stack whose destroy fails is destroyed once more, saying so, as a user would: on a loaded machine the
    emulator can answer the AWS SDK's retry of a delete it already did with NotFound (seen: DeleteTargetGroup), and
    the second destroy's refresh drops what is gone. A second failure is raised with terraform's output. The e2e's
    own destroy steps (test_terraform_e2e.py) run once and must succeed."""
    with ThreadPoolExecutor(max_workers=max(1, len(applied_stacks))) as pool:
        list(pool.map(_destroy_stack, applied_stacks))


def _destroy_stack(stack_dir: Path) -> None:
    first = tf.terraform(["destroy", "-auto-approve"], stack_dir, check=False)
    if first.returncode != 0:
        said = [line.strip() for line in (first.stdout + first.stderr).splitlines() if line.strip().startswith("Error")]
        print(f"{stack_dir.name}: destroy failed ({said[0] if said else 'no error line'}); destroying once more",
              flush=True)
        tf.terraform(["destroy", "-auto-approve"], stack_dir)


class _OutputWatcher(threading.Thread):
    """Drains a terraform process's output and signals when a resource of a given address prefix is created."""

    def __init__(self, process: subprocess.Popen[str], address_prefix: str):
        super().__init__(daemon=True)
        self.process, self.address_prefix = process, address_prefix
        self.lines: list[str] = []
        self.seen = threading.Event()
        self.start()

    def run(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)
            if self._created(line):
                self.seen.set()
        self.seen.set()  # the process ended: stop waiting either way

    def _created(self, line: str) -> bool:
        return line.startswith(self.address_prefix) and "Creation complete" in line

    def wait(self, timeout: float = 300) -> None:
        self.seen.wait(timeout)

    def seen_created(self) -> bool:
        return any(self._created(line) for line in self.lines)

    def text(self) -> str:
        return "".join(self.lines)[-8000:]
