"""Fixtures of the e2e: moto_server, the seeded account, synthesis with the real CLI, bootstrap and apply.

The heavy work happens once per session in `deployment` (issue 3, steps 1-4); the tests then check outcomes
with boto3 and drive the later steps (re-plan, version change, locking, destroy) in file order.
"""

from __future__ import annotations

import inspect
import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import tf

from . import emulator, seed
from .harness import APP_VERSION, NEXT_APP_VERSION, REPORT, Deployment, Moto, Synthesized, Timer, loud
from .pipeline import apply_env_file
from .try_flow import TryFlow
from .upgrade_flow import UpgradeFlow


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


@pytest.fixture(scope="session", autouse=True)
def try_flow(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TryFlow | None]:
    """`make try` end to end (try_flow.py), started before anything else when a test asks for it, so that its
    waits overlap the e2e's own; the test joins it. Nothing of it outlives the session."""
    if tf.missing_reason() or not _requested(request, "try_flow"):
        yield None
        return
    flow = TryFlow(tmp_path_factory.mktemp("try") / ".try")
    flow.start()
    try:
        yield flow
    finally:
        flow.stop()


@pytest.fixture(scope="session", autouse=True)
def upgrade_flow(request: pytest.FixtureRequest,
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[UpgradeFlow | None]:
    """Issue 13's upgrade path (upgrade_flow.py) on an emulator of its own, started with the session like
    `try_flow` so that its waits overlap the deployment's; test_upgrade_e2e.py joins it."""
    if tf.missing_reason() or not _requested(request, "upgrade_flow"):
        yield None
        return
    flow = UpgradeFlow(tmp_path_factory.mktemp("upgrade"))
    flow.start()
    try:
        yield flow
    finally:
        flow.stop()


def _requested(request: pytest.FixtureRequest, fixture: str) -> bool:
    """Whether a collected test asks for `fixture` by name."""
    return any(fixture in inspect.signature(item.obj).parameters
               for item in request.session.items if isinstance(item, pytest.Function))


@pytest.fixture(scope="session")
def moto(terraform_available: None, tmp_path_factory: pytest.TempPathFactory,
         timings: dict[str, float]) -> Iterator[Moto]:
    """moto_server with the shims, on HTTPS on a free loopback port (tests/e2e/emulator.py); always stopped."""
    with Timer(timings, "moto start"):
        server_moto, server = emulator.start(tmp_path_factory.mktemp("moto"))
    try:
        yield server_moto
    finally:
        emulator.stop(server)


@pytest.fixture(scope="session")
def aws(moto: Moto) -> Callable[[str], Any]:
    """`aws("ecs")`: a boto3 client of moto."""
    return lambda service: seed.client(service, moto.endpoint, moto.ca_file)


@pytest.fixture(scope="session")
def seeded(moto: Moto, timings: dict[str, float]) -> seed.Seeded:
    with Timer(timings, "seed"):
        return seed.seed_account(moto.endpoint, moto.ca_file)


@pytest.fixture(scope="session")
def deployment(seeded: seed.Seeded, moto: Moto, tmp_path_factory: pytest.TempPathFactory,
               timings: dict[str, float]) -> Deployment:
    """Issue 3 steps 3-4: the env file written from the seeded ids, synthesized with the normal CLI, the
    override layer dropped beside each stack, the bootstrap stack then every service stack applied
    (tests/e2e/pipeline.py), while the NEXT_APP_VERSION synthesis runs alongside."""
    work = tmp_path_factory.mktemp("synth")
    env_file, next_env_file = work / "e2e.json", work / "next" / "e2e.json"
    next_env_file.parent.mkdir()
    env_file.write_text(json.dumps(seed.env_file(seeded, APP_VERSION), indent=2))
    next_env_file.write_text(json.dumps(seed.env_file(seeded, NEXT_APP_VERSION), indent=2))

    with Timer(timings, "synth + bootstrap + apply"):
        applied = apply_env_file(env_file, work, moto, alongside=[
            "-m", "constructs_lib", "synth", str(next_env_file), "--outdir", str(work / "next-out")])
    stacks, bootstrap_dir, outputs = applied.stacks, applied.bootstrap, applied.outputs
    next_stacks = {p.name: p for p in sorted((work / "next-out" / "stacks").iterdir())}

    synthesized = Synthesized(env_file, next_env_file, stacks, next_stacks, bootstrap_dir)
    deployment = Deployment(moto.endpoint, seeded, synthesized, outputs=outputs)
    for name, stack_dir in stacks.items():
        document = json.loads((stack_dir / "cdk.tf.json").read_text())
        deployment.state_keys[name] = document["terraform"]["backend"]["s3"]["key"]
    return deployment
