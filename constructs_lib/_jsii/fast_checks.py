"""What the fast kernel start (fast_kernel.py) relies on, checked before it patches anything: the installed jsii
is the version pyproject.toml pins, jsii's Python runtime has every internal of `JSII_INTERNALS`, and each
package's `_jsii/__init__.py` loads its assembly from a tarball beside it. Each check returns a line naming what
is wrong (for `--debug`), or None.

The pin keeps jsii's runtime (including the Node side the code cache script keys on: the kernel's `program.js`,
jsii's package cache) at the version the tricks were written and tested against; the checks catch an install
that does not follow it. The binding modules' layout is checked by fast_bindings.py, once they are imported.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path
from typing import Any

from . import engine

PROJECT = "ecs-cdktf"
_JSII_PIN = re.compile(r"jsii\s*==\s*([^\s;,]+)")
_PROCESS = "jsii._kernel.providers.process"
# What of jsii's Python runtime (1.x) the kernel tricks use, (module, attribute path). What only exists once a
# kernel runs (`_NodeProcess` instances' `_serializer` and `_process`) fails, if it changed, inside the tricks,
# which then undo themselves (fast_kernel.py).
JSII_INTERNALS = (
    ("jsii", "kernel.load"),
    ("jsii", "kernel.provider"),
    ("jsii._kernel", "_make_reference_for_native"),
    ("jsii._embedded.jsii", "EMBEDDED_FILES"),
    ("jsii._kernel.types", "LoadRequest"),
    ("jsii._kernel.types", "LoadResponse"),
    ("jsii._kernel.types", "InvokeRequest"),
    ("jsii._kernel.types", "InvokeResponse"),
    *(
        (_PROCESS, name)
        for name in (
            "_ProcessResponse",
            "_OkayResponse",
            "_CallbackResponse",
            "_stack_traces_enabled",
            "ErrorType",
            "JSIIError",
            "JavaScriptError",
            "jdefault",
            "ProcessProvider._process",
        )
    ),
    *(
        (_PROCESS, f"_NodeProcess.{name}")
        for name in ("start", "send", "handshake", "_next_message", "stop", "_jsii_runtime")
    ),
)
# How each package's `_jsii/__init__.py` loads its own assembly.
_ASSEMBLY_LOAD = re.compile(r'JSIIAssembly\.load\(\s*"([^"]+)",\s*"([^"]+)",\s*__name__\[0:-6\],\s*"([^"]+)"\s*\)')


def jsii_problem() -> str | None:
    """Why the installed jsii is not the pinned one, or None."""
    pinned = pinned_jsii()
    if pinned is None:
        return f"{PROJECT} pins no exact jsii version (jsii==X in pyproject.toml)"
    try:
        installed = metadata.version("jsii")
    except metadata.PackageNotFoundError:
        return "jsii is not installed"
    return None if installed == pinned else f"jsii {installed} is installed, {PROJECT} pins jsii=={pinned}"


def pinned_jsii() -> str | None:
    """The jsii version pyproject.toml pins, its one place. From the checkout's pyproject.toml when the package
    runs from one (an editable install's metadata is only as new as its last `pip install`), else from the
    installed distribution's metadata, which was built from it."""
    requirements = _checkout_requirements()
    if requirements is None:
        try:
            requirements = metadata.requires(PROJECT) or []
        except metadata.PackageNotFoundError:
            requirements = []
    pins = [found.group(1) for found in map(_JSII_PIN.fullmatch, (r.strip() for r in requirements)) if found]
    return pins[0] if pins else None


def _checkout_requirements() -> list[str] | None:
    top = sys.modules[__name__.partition(".")[0]]
    pyproject = Path(top.__file__ or "").resolve().parent.parent / "pyproject.toml"
    try:
        project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
    except (OSError, tomllib.TOMLDecodeError):
        return None
    return list(project.get("dependencies", [])) if project.get("name") == PROJECT else None


def missing_internal() -> str | None:
    """A line naming the first of `JSII_INTERNALS` the installed jsii lacks, or None when it has them all.
    Imports jsii, which starts nothing."""
    for module_name, path in JSII_INTERNALS:
        try:
            owner: Any = importlib.import_module(module_name)
        except ImportError:
            return f"{module_name} cannot be imported"
        names = path.split(".")
        for depth, name in enumerate(names):
            if not hasattr(owner, name):
                return f"{module_name}.{'.'.join(names[: depth + 1])} is missing"
            owner = getattr(owner, name)
    process = importlib.import_module(_PROCESS)
    if not isinstance(importlib.import_module("jsii").kernel.provider, process.ProcessProvider):
        return f"jsii.kernel.provider is not a {_PROCESS}.ProcessProvider"
    return None


def early_assemblies() -> tuple[str, ...]:
    """The packages whose assemblies every synth loads, in dependency order: constructs, then the engine's core
    and its AWS provider (cdktf's or CDK Terrain's, engine.py)."""
    chosen = engine.selected()
    return ("constructs", chosen.core, chosen.provider)


def early_loads() -> list[tuple[str, str, str]] | str:
    """(name, version, tarball) of each early assembly, read from its package's `_jsii/__init__.py` without
    importing it; or a line naming the first package whose layout differs, or why no engine can be used."""
    try:
        packages = early_assemblies()
    except engine.EngineError as error:  # the import of the engine raises it again, to the user
        return str(error)
    loads = [_assembly_load(package) for package in packages]
    for package, load in zip(packages, loads, strict=True):
        if load is None:
            return f"{package}/_jsii/__init__.py: no JSIIAssembly.load(...) of a tarball beside it"
    return loads  # type: ignore[return-value]


def _assembly_load(package: str) -> tuple[str, str, str] | None:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    jsii_dir = Path(list(spec.submodule_search_locations)[0]) / "_jsii"
    try:
        found = _ASSEMBLY_LOAD.search((jsii_dir / "__init__.py").read_text(encoding="utf-8"))
    except OSError:
        return None
    if found is None or not (jsii_dir / found.group(3)).is_file():
        return None
    return found.group(1), found.group(2), str(jsii_dir / found.group(3))
