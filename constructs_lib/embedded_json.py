"""JSON held in a Terraform string (IAM policies, container definitions), rendered once from Python data.

In JSON output it is a plain string, which checkov and reviewers can read. When the app renders HCL
(`cdktf synth --hcl`), cdktf 0.21's HCL writer mangles such strings (it unescapes quotes around `${...}` and
reads `/*` as a comment), so the data goes through Terraform's `jsonencode()` instead, which it writes correctly.
"""

from __future__ import annotations

import json
from typing import Any

from constructs import Construct
from cdktf import App, Fn, TerraformStack

_CACHE_ATTRIBUTE = "_ecs_cdktf_renders_hcl"


def embedded_json(scope: Construct, data: Any, *, sort_keys: bool = False) -> str:
    if renders_hcl(scope):
        return Fn.jsonencode(data)
    return json.dumps(data, sort_keys=sort_keys, separators=(",", ":"))


def renders_hcl(scope: Construct) -> bool:
    """Whether the app writes HCL; asked once per stack (each question is a round trip to the jsii kernel)."""
    stack = TerraformStack.of(scope)
    cached = getattr(stack, _CACHE_ATTRIBUTE, None)
    if cached is None:
        cached = bool(App.of(stack).hcl_output)
        setattr(stack, _CACHE_ATTRIBUTE, cached)
    return cached
