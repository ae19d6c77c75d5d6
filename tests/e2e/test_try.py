"""`make try` (issue 15): envs/dev.json applied to the local emulator, what it prints, again, and destroyed.

The flow itself runs in the background of the e2e session from its start (conftest.py `try_flow`,
tests/e2e/try_flow.py); this file is last in order and checks what it recorded.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from constructs_lib.config import load_env_file

from .harness import REPO
from .try_flow import ENV_FILE, TryFlow, as_json, printed

pytestmark = pytest.mark.e2e


def test_try_applies_prints_reapplies_and_destroys(try_flow: TryFlow | None) -> None:
    if try_flow is None:
        pytest.skip("terraform or the provider mirror is missing (the e2e says so)")
    assert try_flow.done.wait(timeout=1200), "make try did not finish within 20 minutes"
    assert try_flow.error is None, repr(try_flow.error)
    up, again, down = (try_flow.steps.get(name) for name in ("up", "up again", "down"))
    assert up and again and down, as_json(try_flow)
    assert (up.returncode, again.returncode, down.returncode) == (0, 0, 0), as_json(try_flow)

    env = load_env_file(REPO / ENV_FILE)
    stacks = sorted(f"{env.environment}-{service.service_name}" for service in env.services)
    assert sorted(up.state) == stacks
    # What it printed is what the Terraform state holds, for every service of the env file.
    assert printed(up.output) == up.state
    assert {stack: values["URL"] for stack, values in up.state.items()} == {
        f"{env.environment}-{service.service_name}":
            f"https://{service.alb_domain_prefix}.{service.route53.domain_name}" for service in env.services
    }
    assert "make try-destroy" in up.output
    # Again: the same emulator, re-applied, the same table.
    assert up.running and again.running and again.pid == up.pid
    assert printed(again.output) == again.state == up.state
    # try-destroy: the stacks destroyed, the emulator stopped, its folder gone.
    assert f"destroying {', '.join(stacks)}" in down.output
    assert not down.running and not try_flow.folder.exists()


def test_try_without_terraform_says_so_and_fails(tmp_path: Path) -> None:
    """No terraform on the PATH: one loud line, exit 1, no emulator started, nothing written."""
    result = subprocess.run(
        [sys.executable, "scripts/try.py", "--dir", str(tmp_path / ".try"), "up", ENV_FILE], cwd=REPO,
        env={**os.environ, "PATH": str(tmp_path)}, capture_output=True, text=True, timeout=120,
    )
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == "!!!!! make try cannot run: terraform is not on the PATH !!!!!\n"
    assert not (tmp_path / ".try").exists()


def test_try_with_an_invalid_env_file_names_the_problem(tmp_path: Path) -> None:
    """A bad env file: the library's `FILE: path: message` lines, exit 2, no emulator, nothing written."""
    env_file = tmp_path / "dev.json"
    env_file.write_text((REPO / ENV_FILE).read_text().replace('"cpu": 512', '"cpu": 300'))
    result = subprocess.run(
        [sys.executable, "scripts/try.py", "--dir", str(tmp_path / ".try"), "up", str(env_file)], cwd=REPO,
        capture_output=True, text=True, timeout=300,
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith(f"{env_file}: services[0].cpu: 300 is not a Fargate CPU value")
    assert "Traceback" not in result.stderr and not (tmp_path / ".try").exists()
