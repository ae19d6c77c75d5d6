"""JSON held in a Terraform string (IAM policies, container definitions), rendered once from Python data.

In JSON output it is a plain string, which checkov and reviewers can read. When the app renders HCL
(`cdktf synth --hcl`), cdktf 0.21's HCL writer mangles such strings (it unescapes quotes around `${...}` and
reads `/*` as a comment), so the data goes through Terraform's `jsonencode()` instead, which it writes correctly.
User strings in `data` are already literal (see literal.py); cdktf re-escapes `${` inside the call itself.
"""

from __future__ import annotations

import json
from typing import Any

from constructs import Construct

from .addressing import RENDERS_HCL
from .engine import App, Fn, TerraformStack
from .literal import unliteral_for_expression


def embedded_json(scope: Construct, data: Any, *, sort_keys: bool = False) -> str:
    if renders_hcl(scope):
        return Fn.jsonencode(unliteral_for_expression(data))
    return json.dumps(data, sort_keys=sort_keys, separators=(",", ":"))


def renders_hcl(scope: Construct) -> bool:
    """Whether the app writes HCL. The library's constructs carry the answer from their stack (see addressing.py);
    elsewhere the stack remembers it, asked of the app once per app (each question is a round trip to the jsii
    kernel)."""
    known: bool | None = getattr(scope, RENDERS_HCL, None)
    if known is not None:
        return known
    stack = TerraformStack.of(scope)
    known = getattr(stack, RENDERS_HCL, None)
    if known is None:
        known = app_renders_hcl(App.of(stack))
        setattr(stack, RENDERS_HCL, known)
    return known


def app_renders_hcl(app: App) -> bool:
    """Asked of the app once (its `hcl_output` is fixed when it is created), not once per stack."""
    known: bool | None = getattr(app, RENDERS_HCL, None)
    if known is None:
        known = bool(app.hcl_output)
        setattr(app, RENDERS_HCL, known)
    return known
