"""Skip the Python-side type checks of the jsii bindings (cdktf, constructs, the AWS provider) when this
library's own entry points synthesize.

Every binding call resolves type hints (`typing.get_type_hints`) and runs typeguard on each argument: about a
quarter of a synth. Our calls take validated config, the jsii kernel checks every value again on the Node side,
and the synthesized JSON is what the tests assert, so the CLI and `main.py` turn the Python checks off (unless
`ECS_CDKTF_FAST=off`, see fast.py). Library users composing the constructs in their own app keep them.
"""

from __future__ import annotations

import sys
import types
import typing

from . import fast

BINDING_PACKAGES = ("cdktf_cdktf_provider_aws.", "cdktf", "constructs")


class _AnyHints(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> object:
        return typing.Any


def _no_check(**_: object) -> None:
    return None


def skip_binding_type_checks() -> None:
    """Turn the checks off in every binding module loaded so far (call after importing the constructs)."""
    if not fast.enabled():
        return
    shim = types.ModuleType("typing")
    shim.__dict__.update(typing.__dict__)
    shim.get_type_hints = lambda *args, **kwargs: _AnyHints()  # type: ignore[attr-defined]
    for name, module in list(sys.modules.items()):
        if name.startswith(BINDING_PACKAGES) and hasattr(module, "check_type") and hasattr(module, "typing"):
            module.check_type = _no_check  # type: ignore[attr-defined]
            module.typing = shim  # type: ignore[attr-defined]
