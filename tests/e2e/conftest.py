"""Fixtures of the e2e: moto_server, the seeded account, synthesis with the real CLI, bootstrap and apply.

The heavy work happens once per session in `deployment` (issue 3, steps 1-4); the tests then check outcomes
with boto3 and drive the later steps (re-plan, version change, locking, destroy) in file order.
"""

from __future__ import annotations

import json
import os
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

import tf

from . import seed
from .harness import (APP_VERSION, JSII_QUIET, NEXT_APP_VERSION, REPO, REPORT, Deployment, Moto, Synthesized,
                      Timer, loud)
from .overrides import write_override

HERE = Path(__file__).resolve().parent

def pytest_terminal_summary(terminalreporter: Any) -> None:
    """One line with the e2e's wall time per phase, or one loud line saying why it did not run."""
    if REPORT["skipped"]:
        terminalreporter.write_line(f"!!!!! E2E DID NOT RUN: {REPORT['skipped']} !!!!!", red=True, bold=True)
    elif REPORT["started"] is not None:
        total = (REPORT["ended"] or time.monotonic()) - REPORT["started"]
        phases = ", ".join(f"{name} {seconds:.0f}s" for name, seconds in REPORT["phases"].items())
        terminalreporter.write_line(f"e2e wall time {total:.0f}s: {phases}")


@pytest.fixture(scope="session")
def timings() -> Iterator[dict[str, float]]:
    """Wall time of each e2e phase, reported at the end of the session."""
    REPORT["started"] = time.monotonic()
    yield REPORT["phases"]
    REPORT["ended"] = time.monotonic()


@pytest.fixture(scope="session")
def terraform_available() -> None:
    reason = tf.missing_reason()
    if reason:
        REPORT["skipped"] = reason
        loud(f"E2E DID NOT RUN: {reason}")
        pytest.skip(f"e2e did not run: {reason}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def moto(terraform_available: None, tmp_path_factory: pytest.TempPathFactory,
         timings: dict[str, float]) -> Iterator[Moto]:
    """moto_server (with the shims of moto_patched.py) on HTTPS on a free loopback port; always stopped.

    TLS because the product's state bucket is TLS-only: its policy denies `aws:SecureTransport = false`, and
    with the shim moto enforces that, so every state read and write of the e2e goes through the policy."""
    folder = tmp_path_factory.mktemp("moto")
    certificate, key = seed.server_certificate()
    (folder / "moto.crt").write_bytes(certificate)
    (folder / "moto.key").write_bytes(key)
    port = _free_port()
    server_moto = Moto(f"https://127.0.0.1:{port}", str(folder / "moto.crt"))
    log_path = folder / "moto_server.log"
    with open(log_path, "w") as log, Timer(timings, "moto start"):
        server = subprocess.Popen(
            [sys.executable, str(HERE / "moto_patched.py"), "-H", "127.0.0.1", "-p", str(port),
             "-c", str(folder / "moto.crt"), "-k", str(folder / "moto.key")],
            stdout=log, stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_up(server_moto, server, log_path)
        except BaseException:
            _stop(server)
            raise
    try:
        yield server_moto
    finally:
        _stop(server)


def _stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def _wait_until_up(moto: Moto, server: subprocess.Popen[bytes], log_path: Path) -> None:
    context = ssl.create_default_context(cafile=moto.ca_file)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"moto_server exited {server.returncode}:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(f"{moto.endpoint}/moto-api/", timeout=1, context=context):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"moto_server did not answer on {moto.endpoint} within 30 s:\n{log_path.read_text()}")


@pytest.fixture(scope="session")
def aws(moto: Moto) -> Callable[[str], Any]:
    """`aws("ecs")`: a boto3 client of moto."""
    return lambda service: seed.client(service, moto.endpoint, moto.ca_file)


@pytest.fixture(scope="session")
def seeded(moto: Moto, timings: dict[str, float]) -> seed.Seeded:
    with Timer(timings, "seed"):
        return seed.seed_account(moto.endpoint, moto.ca_file)


def _cli(args: list[str]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, *args], cwd=REPO, env={**os.environ, **JSII_QUIET},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _finish(process: subprocess.Popen[str], what: str) -> str:
    output, _ = process.communicate(timeout=600)
    if process.returncode != 0:
        raise AssertionError(f"{what} exited {process.returncode}:\n{output}")
    return output


@pytest.fixture(scope="session")
def deployment(seeded: seed.Seeded, moto: Moto, tmp_path_factory: pytest.TempPathFactory,
               timings: dict[str, float]) -> Deployment:
    """Issue 3 steps 3-4 as one pipeline, overlapped where the steps allow it:

    - write the env file from the seeded ids and synthesize it with the normal CLI (`synth`, `bootstrap`);
    - drop the test override layer beside each stack (tests/e2e/overrides.py);
    - apply the bootstrap stack (local state); as soon as the bucket and its policy exist, init (S3 backend,
      `use_lockfile`) and apply every service stack in parallel (their state goes through the bucket's
      TLS-only policy from the start), while the bootstrap's lifecycle configuration settles (the provider
      polls it for ~1 min) and the NEXT_APP_VERSION synthesis runs.
    """
    work = tmp_path_factory.mktemp("synth")
    env_file, next_env_file = work / "e2e.json", work / "next" / "e2e.json"
    next_env_file.parent.mkdir()
    env_file.write_text(json.dumps(seed.env_file(seeded, APP_VERSION), indent=2))
    next_env_file.write_text(json.dumps(seed.env_file(seeded, NEXT_APP_VERSION), indent=2))

    processes: list[subprocess.Popen[str]] = []  # stopped on the way out if a step failed

    def started(process: subprocess.Popen[str]) -> subprocess.Popen[str]:
        processes.append(process)
        return process

    try:
        with Timer(timings, "synth + bootstrap + apply"):
            synth = started(_cli(["-m", "constructs_lib", "synth", str(env_file), "--outdir", str(work / "out")]))
            bootstrap_synth = started(_cli(["-m", "constructs_lib", "bootstrap", str(env_file),
                                            "--outdir", str(work / "bootstrap")]))
            _finish(bootstrap_synth, "bootstrap synth")
            [bootstrap_dir] = sorted((work / "bootstrap" / "stacks").iterdir())
            write_override(bootstrap_dir, moto.endpoint, moto.ca_file)
            tf.terraform(["init"], bootstrap_dir)
            bootstrap = started(tf.start(["apply", "-auto-approve"], bootstrap_dir))
            watcher = _OutputWatcher(bootstrap, "aws_s3_bucket_policy.")

            _finish(synth, "synth")
            stacks = {p.name: p for p in sorted((work / "out" / "stacks").iterdir())}
            for stack_dir in stacks.values():
                write_override(stack_dir, moto.endpoint, moto.ca_file)
            next_synth = started(_cli(["-m", "constructs_lib", "synth", str(next_env_file),
                                       "--outdir", str(work / "next-out")]))

            if not watcher.wait():
                raise AssertionError(f"the bootstrap apply created no bucket policy:\n{watcher.text()}")
            # The environment stack first: the service stacks look its resources up by name.
            environments = [name for name in stacks if name.endswith("-environment")]
            outputs = {name: _init_and_apply(stacks[name]) for name in environments}
            services = [name for name in stacks if name not in environments]
            with ThreadPoolExecutor(max_workers=len(services)) as pool:
                outputs |= dict(zip(services, pool.map(_init_and_apply, [stacks[name] for name in services])))
            bootstrap.wait(timeout=600)
            watcher.join()
            if bootstrap.returncode != 0:
                raise AssertionError(f"the bootstrap apply failed:\n{watcher.text()}")
            _finish(next_synth, "synth of the next app_version")
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
    next_stacks = {p.name: p for p in sorted((work / "next-out" / "stacks").iterdir())}

    synthesized = Synthesized(env_file, next_env_file, stacks, next_stacks, bootstrap_dir)
    deployment = Deployment(moto.endpoint, seeded, synthesized, outputs=outputs)
    for name, stack_dir in stacks.items():
        document = json.loads((stack_dir / "cdk.tf.json").read_text())
        deployment.state_keys[name] = document["terraform"]["backend"]["s3"]["key"]
    return deployment


def _init_and_apply(stack_dir: Path) -> dict[str, Any]:
    tf.terraform(["init"], stack_dir)
    tf.terraform(["apply", "-auto-approve"], stack_dir)
    return tf.outputs(stack_dir)


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
            if line.startswith(self.address_prefix) and "Creation complete" in line:
                self.seen.set()
        self.seen.set()  # the process ended: stop waiting either way

    def wait(self, timeout: float = 300) -> bool:
        self.seen.wait(timeout)
        return any(line.startswith(self.address_prefix) and "Creation complete" in line for line in self.lines)

    def text(self) -> str:
        return "".join(self.lines)[-8000:]

