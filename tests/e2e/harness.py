"""Shared pieces of the e2e (fixtures live in conftest.py; tests import from here, never from conftest)."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from constructs_lib._jsii.fast_kernel import JSII_QUIET  # noqa: F401 - the e2e tests take it from here

from . import seed

REPO = Path(__file__).resolve().parent.parent.parent
# Filled during the session, printed by conftest.pytest_terminal_summary.
REPORT: dict[str, Any] = {"phases": {}, "skipped": None, "started": None, "ended": None}
APP_VERSION = "1.0.0"
NEXT_APP_VERSION = "1.1.0"


def loud(message: str) -> None:
    """A line that reaches the terminal even under pytest's output capture."""
    print(f"\n{'!' * 5} {message} {'!' * 5}", file=sys.__stderr__, flush=True)


class Timer:
    """Adds the wall time of a `with` block to `phases[name]`."""

    def __init__(self, phases: dict[str, float], name: str):
        self.phases, self.name = phases, name

    def __enter__(self) -> None:
        self.started = time.monotonic()

    def __exit__(self, *exc: object) -> None:
        self.phases[self.name] = self.phases.get(self.name, 0.0) + time.monotonic() - self.started


@dataclass(frozen=True)
class Moto:
    endpoint: str  # https://127.0.0.1:PORT
    ca_file: str  # the server's self-signed certificate, trusted by boto3 and (via the override) terraform


@dataclass
class Synthesized:
    env_file: Path
    next_env_file: Path  # the same with NEXT_APP_VERSION
    stacks: dict[str, Path]  # service stack name -> folder (APP_VERSION), overrides written
    next_stacks: dict[str, Path]  # the same stacks synthesized with NEXT_APP_VERSION
    bootstrap: Path  # the state-bucket stack of `python -m constructs_lib bootstrap`


@dataclass
class Deployment:
    endpoint: str
    seeded: seed.Seeded
    synthesized: Synthesized
    state_keys: dict[str, str] = field(default_factory=dict)  # stack -> S3 key of its state
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)  # stack -> terraform outputs

    @property
    def stacks(self) -> dict[str, Path]:
        return self.synthesized.stacks
