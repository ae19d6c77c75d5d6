"""The two engines in the tests: where CDK Terrain's environment is (`make setup-cdktn`), and the one way their
output may differ, which the README's "Moving to CDK Terrain" lists: each engine writes its own version into
the metadata block (`"//": {"metadata": {"version": ...}}`) of every `cdk.tf.json`.

A test that needs CDK Terrain's environment and does not find it fails under CI=true and skips locally, with a
loud line either way: it never passes without having run.
"""

from __future__ import annotations

import copy
import os
import sys
from typing import Any

import pytest
from conftest import REPO

ENGINE_VERSIONS = {"cdktf": "0.21.0", "cdktn": "0.24.0"}
CDKTN_PYTHON = REPO / ".venv-cdktn" / "bin" / "python"
CDKTN_NODE_BIN = REPO / ".node-cdktn" / "node_modules" / ".bin"  # the `cdktn` CLI and the Node.js it needs


def running_engine() -> str:
    """The engine of this test process (`cdktf` in .venv, `cdktn` in .venv-cdktn)."""
    from constructs_lib._jsii import engine

    return engine.selected().core


def cdktn_missing() -> str | None:
    """Why CDK Terrain's environment cannot be used, or None."""
    for path in (CDKTN_PYTHON, CDKTN_NODE_BIN / "cdktn", CDKTN_NODE_BIN / "node"):
        if not path.exists():
            return f"{path.relative_to(REPO)} is missing (run `make setup-cdktn`)"
    return None


def require_cdktn(what: str) -> None:
    reason = cdktn_missing()
    if reason is None:
        return
    message = f"{what} DID NOT RUN: {reason}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    print(f"\n!!!!! {message} !!!!!", file=sys.stderr)
    pytest.skip(message)


def engine_version(stack: dict[str, Any]) -> str:
    return stack["//"]["metadata"]["version"]


def as_written_by(stack: dict[str, Any], engine: str) -> dict[str, Any]:
    """`stack` (a parsed cdk.tf.json) as `engine` writes it: the metadata's engine version is the one listed
    difference. The stack must hold the running engine's version (anything else is a real difference)."""
    assert engine_version(stack) == ENGINE_VERSIONS[running_engine()]
    written = copy.deepcopy(stack)
    written["//"]["metadata"]["version"] = ENGINE_VERSIONS[engine]
    return written
