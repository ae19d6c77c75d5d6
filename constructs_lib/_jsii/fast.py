"""The one switch of the library's speed tricks: `ECS_CDKTF_FAST=off` turns every one of them off.

Each trick has a plain-cdktf equivalent that writes the same bytes, and is checked against it
(tests/test_fast_kernel.py synthesizes the shipped env files and a two-stack consumer app both ways):
the fast kernel start and its code cache (fast_kernel.py), the unchecked jsii bindings (fast_bindings.py) and
the wiring references built in Python (addressing.py). Readable addresses are a feature, not a trick: they stay.
Removing the tricks is a change here: `enabled()` returning False is the library without them.
"""

from __future__ import annotations

import os

SETTING = "ECS_CDKTF_FAST"
OFF = frozenset({"0", "off", "false", "no", "disabled"})  # empty or unset: on


def enabled() -> bool:
    """Read at each use, so a process (or a test) can change it between two apps."""
    return (os.environ.get(SETTING) or "").strip().lower() not in OFF
