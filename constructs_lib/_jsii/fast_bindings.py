"""Skip the Python-side type checks of the jsii bindings (the engine, constructs, the AWS provider) when this
library's own entry points synthesize.

Every binding call resolves type hints (`typing.get_type_hints`) and runs typeguard on each argument: about a
quarter of a synth. Our calls take validated config, the jsii kernel checks every value again on the Node side,
and the synthesized JSON is what the tests assert, so the CLI and `main.py` turn the Python checks off (unless
`ECS_CDKTF_FAST=off`, see fast.py). Library users composing the constructs in their own app keep them.

What this relies on, checked before anything is replaced: `publication` keeps each generated module's own
namespace (the globals of its functions) as `<module>._private`, and each holds the `check_type` and `typing`
the generated calls use. Where that differs, the checks stay on and the tricks fall back (fast.py).
"""

from __future__ import annotations

import inspect
import sys
import types
import typing
from typing import Any

from . import engine, fast

_PRIVATE = "._private"
_FAST_STRUCTS = "_ecs_cdktf_fast_structs"
_Layout = tuple[dict[str, str], frozenset[str]]  # a struct's python -> jsii property names, its required ones


class _AnyHints(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> object:
        return typing.Any


def _no_check(*_args: object, **_kwargs: object) -> None:
    return None


def skip_binding_type_checks() -> None:
    """Turn the checks off in every binding module loaded so far (call after importing the constructs)."""
    if not fast.enabled():
        return
    problem = binding_problem()
    if problem is not None:
        fast.fall_back(problem)
        return
    shim = types.ModuleType("typing")
    shim.__dict__.update(typing.__dict__)
    shim.get_type_hints = lambda *args, **kwargs: _AnyHints()  # type: ignore[attr-defined]
    for module in _binding_namespaces().values():
        module.check_type = _no_check  # type: ignore[attr-defined]
        module.typing = shim  # type: ignore[attr-defined]
    _serialize_structs_from_values()


def _serialize_structs_from_values() -> None:
    """jsii sends a struct (a resource's config, a nested block) as every one of its properties, read through
    their getters, each of which builds a `typing.cast` target again (`Optional[Union[...]]`): ~1.5 s of Python
    in a 600-stack synth, for values sitting in the struct's `_values`. The generated getters return
    `self._values.get(name)` (a required one asserts it is there), so the same request is built from `_values`
    directly; a required property that is missing is read through its getter, which raises as before."""
    kernel_module = sys.modules["jsii._kernel"]
    if getattr(kernel_module, _FAST_STRUCTS, False):
        return
    original = kernel_module._make_reference_for_native
    chosen = engine.selected()
    packages = {"constructs", chosen.core, chosen.provider}
    known: dict[type, _Layout | None] = {}

    def make_reference(kernel: Any, value: Any) -> Any:
        cls = type(value)
        if cls not in known:
            known[cls] = _struct_layout(cls, packages)
        found = known[cls]
        values = getattr(value, "__dict__", {}).get("_values") if found is not None else None
        if found is None or type(values) is not dict:
            return original(kernel, value)
        mapping, required = found
        for name in required:
            if values.get(name) is None:
                getattr(value, name)  # the generated getter's own error
        data = {jsii_name: make_reference(kernel, values.get(name)) for name, jsii_name in mapping.items()}
        return {"$jsii.struct": {"fqn": cls.__jsii_type__, "data": data}}

    kernel_module._make_reference_for_native = make_reference  # type: ignore[attr-defined]
    setattr(kernel_module, _FAST_STRUCTS, True)


def _struct_layout(cls: type, packages: set[str]) -> _Layout | None:
    """A generated struct class's (python -> jsii name mapping, required properties), or None for anything else."""
    mapping = vars(cls).get("__jsii_name_mapping__")
    if mapping is None or cls.__module__.partition(".")[0] not in packages or "__jsii_type__" not in vars(cls):
        return None
    parameters = inspect.signature(cls.__init__).parameters.values()  # type: ignore[misc]
    required = frozenset(p.name for p in parameters if p.default is p.empty and p.kind is p.KEYWORD_ONLY)
    return mapping, required


def binding_problem() -> str | None:
    """A line naming the first binding namespace that lacks what the skipping replaces, or None."""
    namespaces = _binding_namespaces()
    always_loaded = ("constructs._private", f"{engine.selected().core}._private")
    missing = [name for name in always_loaded if name not in namespaces]
    if missing:
        return f"{missing[0]} is missing (publication's namespace of the generated bindings)"
    for name, module in namespaces.items():
        if not callable(getattr(module, "check_type", None)):
            return f"{name}.check_type is missing"
        if not callable(getattr(getattr(module, "typing", None), "get_type_hints", None)):
            return f"{name}.typing.get_type_hints is missing"
    return None


def _binding_namespaces() -> dict[str, types.ModuleType]:
    """Each binding module's namespace, by its real name (on CDK Terrain `sys.modules` also holds cdktf's names
    for the same modules, engine.py)."""
    chosen = engine.selected()
    packages = ("constructs.", f"{chosen.core}.", f"{chosen.provider}.")
    return {
        name: module
        for name, module in list(sys.modules.items())
        if name.startswith(packages) and name.endswith(_PRIVATE)
    }
