"""Which CDK engine the library runs on, and the one place the library imports the engine's core classes from.

Two engines share one construct model: HashiCorp's CDKTF (`cdktf` 0.21.0 and the prebuilt provider
`cdktf-cdktf-provider-aws`, archived in Dec 2025; the default, the engine the product is specified with) and
its maintained fork CDK Terrain (`cdktn` 0.24 and `cdktn-provider-aws` 25.x). Only their module names differ.
The engine is, in this order: the one `ECS_CDKTF_ENGINE` names (`cdktf` or `cdktn`); the one already imported
(an app that imported `cdktn` first is a CDK Terrain app); cdktf when it is installed; else cdktn.

`from .engine import App` gives the engine's `App` (module `__getattr__`, so importing this module loads no
engine: the fast kernel start reads `selected()` before any engine is imported). aws.py imports the provider
classes from `selected().provider`.

On CDK Terrain, `alias_cdktf()` (run when `constructs_lib` is imported) makes `import cdktf` and
`import cdktf_cdktf_provider_aws[.x]` give CDK Terrain's modules, the very module objects, so a consumer's app
written for cdktf runs unchanged. It is an import alias only: nothing is copied, and with cdktf as the engine
it does nothing.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what mypy sees: cdktf's classes; CDK Terrain's have the same names and signatures
    from cdktf import (
        App as App,
    )
    from cdktf import (
        DataTerraformRemoteStateS3 as DataTerraformRemoteStateS3,
    )
    from cdktf import (
        Fn as Fn,
    )
    from cdktf import (
        ITerraformDependable as ITerraformDependable,
    )
    from cdktf import (
        LocalBackend as LocalBackend,
    )
    from cdktf import (
        S3Backend as S3Backend,
    )
    from cdktf import (
        TerraformDataSource as TerraformDataSource,
    )
    from cdktf import (
        TerraformOutput as TerraformOutput,
    )
    from cdktf import (
        TerraformResource as TerraformResource,
    )
    from cdktf import (
        TerraformResourceLifecycle as TerraformResourceLifecycle,
    )
    from cdktf import (
        TerraformStack as TerraformStack,
    )
    from cdktf import (
        Token as Token,
    )

SETTING = "ECS_CDKTF_ENGINE"


@dataclass(frozen=True)
class Engine:
    """One engine: its core Python module, its prebuilt AWS provider package, and how a user installs it."""

    core: str
    provider: str
    install: str


CDKTF = Engine(core="cdktf", provider="cdktf_cdktf_provider_aws", install="pip install ecs-cdktf")
CDKTN = Engine(core="cdktn", provider="cdktn_provider_aws", install="pip install 'ecs-cdktf[cdktn]'")
ENGINES = {engine.core: engine for engine in (CDKTF, CDKTN)}


class EngineError(ImportError):
    """No engine can be used: the setting names none, or names one that is not installed or cannot be loaded."""


def choose(setting: str | None, installed: Callable[[str], bool], imported: Mapping[str, object]) -> Engine:
    """The engine for this setting, these installed modules and these already imported ones (see the module
    docstring); raises EngineError naming what to install or to change."""
    wanted = (setting or "").strip().lower()
    if not wanted:
        return _automatic(installed, imported)
    engine = ENGINES.get(wanted)
    if engine is None:
        raise EngineError(f"{SETTING}={setting}: the engine is cdktf or cdktn")
    if not installed(engine.core):
        raise EngineError(f"{SETTING}={wanted}, but {wanted} is not installed: {engine.install}")
    other = CDKTN if engine is CDKTF else CDKTF
    if _is_real(other, imported.get(other.core)):
        raise EngineError(
            f"{SETTING}={wanted}, but {other.core} is imported already and a process runs one engine: "
            f"unset {SETTING}, or import constructs_lib before {other.core}"
        )
    return engine


def _automatic(installed: Callable[[str], bool], imported: Mapping[str, object]) -> Engine:
    """No setting: the engine already imported, else cdktf when installed, else cdktn."""
    for engine in ENGINES.values():
        if _is_real(engine, imported.get(engine.core)):
            return engine
    for engine in ENGINES.values():
        if installed(engine.core):
            return engine
    raise EngineError(f"neither cdktf nor cdktn is installed: {CDKTF.install} (or, for CDK Terrain, {CDKTN.install})")


def _is_real(engine: Engine, module: object) -> bool:
    """Whether `module` is the engine's own module (on CDK Terrain, `sys.modules["cdktf"]` is cdktn)."""
    return isinstance(module, types.ModuleType) and module.__name__ == engine.core


@cache
def selected() -> Engine:
    """The engine of this process, chosen once (its modules cannot be swapped once a construct exists)."""
    return choose(os.environ.get(SETTING), _installed, sys.modules)


def _installed(module: str) -> bool:
    """Whether a top-level module is installed, looked up on `sys.path` past the alias finder."""
    return importlib.machinery.PathFinder.find_spec(module) is not None


def core() -> types.ModuleType:
    """The engine's core module (`cdktf` or `cdktn`), imported."""
    return importlib.import_module(selected().core)


def __getattr__(name: str) -> Any:
    """`from .engine import App`: the engine's class of that name, its core module imported on first use."""
    if name.startswith("__"):
        raise AttributeError(name)
    return getattr(core(), name)


class _Alias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Resolves the names of one engine's modules to another's: `alias` top-level names to `real` ones. The
    module a name resolves to is the real module object, its `__spec__` left as it was."""

    def __init__(self, names: dict[str, str]):
        self.names = names

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        top, dot, rest = fullname.partition(".")
        real = self.names.get(top)
        if real is None:
            return None
        return importlib.util.spec_from_loader(fullname, self, origin=f"{real}{dot}{rest}")

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        module = importlib.import_module(spec.origin or "")
        spec.loader_state = module.__spec__
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        assert module.__spec__ is not None  # set by the import system before exec_module
        module.__spec__ = module.__spec__.loader_state  # the import system set the alias's spec; put the real back


def alias_cdktf() -> None:
    """On CDK Terrain, make cdktf's module names import CDK Terrain's modules (see the module docstring). Safe to
    call again; does nothing on cdktf, and nothing when no engine can be chosen (the error shows on first use)."""
    try:
        engine = selected()
    except EngineError:
        return
    if engine is CDKTF or any(isinstance(finder, _Alias) for finder in sys.meta_path):
        return
    sys.meta_path.insert(0, _Alias({CDKTF.core: CDKTN.core, CDKTF.provider: CDKTN.provider}))
