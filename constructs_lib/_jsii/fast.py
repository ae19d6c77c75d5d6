"""The one switch of the library's speed tricks: `ECS_CDKTF_FAST=off` turns every one of them off.

Each trick has a plain-cdktf equivalent that writes the same bytes, and is checked against it
(tests/test_fast_kernel.py synthesizes the shipped env files and a two-stack consumer app both ways):
the fast kernel start and its code cache (fast_kernel.py), the kernel started without jsii's launcher and
without token creation stacks (kernel_launch.py), the library's void calls written unanswered (fast_void.py),
the unchecked jsii bindings (fast_bindings.py) and the wiring references built in Python (addressing.py). Readable addresses are a feature, not a trick: they stay.
Removing the tricks is a change here: `enabled()` returning False is the library without them.

The tricks reach into jsii's Python runtime, so they also turn themselves off: the installed jsii must be the
version pyproject.toml pins, and every internal they use must be there before anything is patched
(fast_checks.py). On a mismatch, or any exception while they run, `fall_back()` makes the rest of the process run as
with `ECS_CDKTF_FAST=off`, silently unless `--debug` (or `ECS_CDKTF_DEBUG=1`) asks why: one line on stderr.
"""

from __future__ import annotations

import os
import sys

SETTING = "ECS_CDKTF_FAST"
DEBUG_SETTING = "ECS_CDKTF_DEBUG"  # for `main.py`; the CLI's `--debug` calls `show_fallback()`
OFF = frozenset({"0", "off", "false", "no", "disabled"})  # empty or unset: on


class _Fallback:
    reason: str | None = None
    debug = False
    reported = False


def enabled() -> bool:
    """Read at each use, so a process (or a test) can change it between two apps."""
    return _Fallback.reason is None and (os.environ.get(SETTING) or "").strip().lower() not in OFF


def fall_back(reason: str) -> None:
    """The tricks cannot be trusted here (`reason`, the first one given, names what): off for the rest of the
    process. The caller has not patched anything yet, or has undone it."""
    if _Fallback.reason is None:
        _Fallback.reason = reason
    _report()


def show_fallback() -> None:
    """`--debug`: say why the tricks fell back, now (the early kernel start runs before the CLI reads its
    arguments) or when they do."""
    _Fallback.debug = True
    _report()


def _report() -> None:
    debug = _Fallback.debug or (os.environ.get(DEBUG_SETTING) or "").strip().lower() not in OFF | {""}
    if _Fallback.reason is not None and debug and not _Fallback.reported:
        _Fallback.reported = True
        print(f"ecs-cdktf: speed tricks off, synthesizing as with {SETTING}=off: {_Fallback.reason}", file=sys.stderr)
