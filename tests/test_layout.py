"""The package's layout is its flow: env file -> config -> constructs -> patterns -> stacks, with the tools and the
CLI on top and jsii's internals in the private `_jsii`. Imports only go downward, and every public name resolves.

Read from the source with `ast` (no import, no cdktf): fast, and it sees the imports made inside functions too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import constructs_lib

PACKAGE = Path(constructs_lib.__file__).parent

# Lower layers never import higher ones; within a layer, a module imports only its own sub-package.
LAYERS = {"props": 0, "config": 1, "_jsii": 2, "constructs": 3, "patterns": 4, "stacks": 5, "tools": 6, "cli": 7}
# Constructs take typed props and construct objects, never config models (design.md): env files reach them only
# through patterns' `from_config`.
NOT_IN_CONSTRUCTS = {"config"}
# What props and config models must stay free of (design.md: config models never import cdktf).
NOT_IN_CONFIG = {"cdktf", "constructs", "jsii", "cdktf_cdktf_provider_aws"}
# Issue 12 and design.md: no function over ~60 lines, no module over ~300. A function is measured from its `def` to
# its last line (decorators aside), nested ones too; a module by its lines. The generated provider stub (aws.pyi) is
# not a module of ours to split.
MAX_FUNCTION_LINES, MAX_MODULE_LINES = 60, 300


def _modules() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if path.parent != PACKAGE)


def _imports(path: Path, source: str) -> list[tuple[int, str]]:
    """(line, absolute module) of every import in the file, at module level or inside a function."""
    package = ".".join(path.relative_to(PACKAGE.parent).parent.parts)
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            found += [(node.lineno, f"{module}.{alias.name}" if node.module is None else module) for alias in node.names]
    return found


def _upward_imports(path: Path, source: str) -> list[str]:
    layer = path.relative_to(PACKAGE).parts[0]
    wrong = []
    for line, module in _imports(path, source):
        parts = module.split(".")
        if layer in ("props", "config") and parts[0] in NOT_IN_CONFIG:
            wrong.append(f"{path.name}:{line} imports {module}")
        if layer == "constructs" and parts[0] == "constructs_lib" and len(parts) > 1 and parts[1] in NOT_IN_CONSTRUCTS:
            wrong.append(f"{path.name}:{line} imports {module}")
        if parts[0] != "constructs_lib" or len(parts) < 2 or parts[1] not in LAYERS or parts[1] == layer:
            continue
        if LAYERS[parts[1]] >= LAYERS[layer]:
            wrong.append(f"{path.name}:{line} imports {module}")
    return wrong


@pytest.mark.parametrize("path", _modules(), ids=lambda path: str(path.relative_to(PACKAGE)))
def test_imports_only_go_downward(path: Path) -> None:
    assert path.relative_to(PACKAGE).parts[0] in LAYERS  # every module sits in one of the layers
    assert _upward_imports(path, path.read_text()) == []


def test_an_upward_import_is_found() -> None:
    """The check itself: a tool importing the CLI (the old cli <-> cost cycle) is reported, even inside a function,
    and so is cdktf in a config model."""
    tool, model = PACKAGE / "tools" / "cost.py", PACKAGE / "config" / "env.py"
    source = tool.read_text() + "\n\ndef _late():\n    from ..cli.main import main\n"
    assert _upward_imports(tool, source) == [f"cost.py:{len(source.splitlines())} imports constructs_lib.cli.main"]
    assert _upward_imports(model, model.read_text() + "\nimport cdktf\n") == [
        f"env.py:{len(model.read_text().splitlines()) + 2} imports cdktf"
    ]


@pytest.mark.parametrize("name", constructs_lib.__all__)
def test_every_public_name_resolves(name: str) -> None:
    assert getattr(constructs_lib, name) is not None


def test_load_env_files_lives_in_config() -> None:
    from constructs_lib.config import load_env_files

    assert load_env_files.__module__ == "constructs_lib.config.loader"
    assert constructs_lib.load_env_files is load_env_files


def test_the_provider_stub_lists_what_aws_py_exports() -> None:
    """mypy reads `_jsii/aws.pyi`; aws.py loads the same classes at run time from the engine's provider."""
    import sys

    sys.path.insert(0, str(PACKAGE.parent / "scripts"))
    from aws_stub import STUB, render

    assert STUB.read_text() == render(), "stale stub: run `.venv/bin/python scripts/aws_stub.py`"


def _sizes(relative: str, source: str) -> dict[str, int]:
    """Lines of the module (`relative`) and of every function in it (`relative:Class.method`, `relative:outer.inner`)."""
    sizes = {relative: len(source.splitlines())}

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = f"{prefix}{child.name}"
                if not isinstance(child, ast.ClassDef):
                    sizes[f"{relative}:{name}"] = (child.end_lineno or child.lineno) - child.lineno + 1
                visit(child, f"{name}.")
            else:
                visit(child, prefix)

    visit(ast.parse(source), "")
    return sizes


def _oversized(sizes: dict[str, int]) -> dict[str, int]:
    return {
        name: size for name, size in sizes.items() if size > (MAX_FUNCTION_LINES if ":" in name else MAX_MODULE_LINES)
    }


def test_no_function_over_60_lines_and_no_module_over_300() -> None:
    sizes: dict[str, int] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        sizes |= _sizes(path.relative_to(PACKAGE).as_posix(), path.read_text())
    over = _oversized(sizes)
    assert over == {}, "split these (functions <= 60 lines, modules <= 300): " + ", ".join(
        f"{name} ({size} lines)" for name, size in sorted(over.items(), key=lambda item: -item[1])
    )


def _function(name: str, lines: int, indent: str = "") -> str:
    """The source of a function of exactly `lines` lines."""
    return f"{indent}def {name}():\n" + "".join(f"{indent}    x = {i}\n" for i in range(lines - 1))


def test_an_oversized_function_and_module_are_found() -> None:
    """The check itself: a 61-line method and a 61-line function nested in another are named, a 60-line function is
    not; a module of 301 lines is named, one of 300 is not."""
    source = "class Thing:\n" + _function("method", 61, "    ") + _function("fits", 60)
    source += "def outer():\n" + _function("inner", 61, "    ")
    functions = {"m.py:Thing.method": 61, "m.py:outer": 62, "m.py:outer.inner": 61}
    padded = source + "# padding\n" * (300 - len(source.splitlines()))
    assert _oversized(_sizes("m.py", padded)) == functions
    assert _oversized(_sizes("m.py", padded + "# one more\n")) == {**functions, "m.py": 301}
