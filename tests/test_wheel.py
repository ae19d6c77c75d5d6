"""The package builds as a wheel other cdktf projects install: every module, `py.typed`, package data, the pinned
dependencies and the console script; installed from the wheel alone, it validates and lists an env file."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest
from conftest import ENVS, REPO

PACKAGE = REPO / "constructs_lib"
SOURCES = ("pyproject.toml", "README.md", "LICENSE", "MANIFEST.in", "setup.cfg")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """`pip wheel . --no-deps` of a clean copy of the sources (no build/ or egg-info left in the checkout)."""
    source = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        if (REPO / name).exists():
            shutil.copy2(REPO / name, source / name)
    shutil.copytree(PACKAGE, source / PACKAGE.name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "--quiet", "-w", str(out)],
        cwd=source, capture_output=True, text=True, timeout=600,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    (built,) = out.glob("*.whl")
    return built


def _names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def _metadata(wheel: Path, name: str) -> str:
    with zipfile.ZipFile(wheel) as archive:
        (path,) = [n for n in archive.namelist() if n.endswith(f".dist-info/{name}")]
        return archive.read(path).decode()


def test_wheel_holds_every_module_and_py_typed(wheel):
    names = _names(wheel)
    expected = {p.relative_to(REPO).as_posix() for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts}
    assert "constructs_lib/py.typed" in names
    assert {n for n in names if n.endswith(".py")} == expected
    assert {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")} == {"constructs_lib"}
    data = {p.relative_to(REPO).as_posix() for p in (PACKAGE / "data").iterdir() if p.is_file()}
    assert "constructs_lib/data/kernel_code_cache.js" in data
    assert data <= names


def test_wheel_metadata_pins_cdktf_and_the_provider_and_names_the_console_script(wheel):
    metadata = Parser().parsestr(_metadata(wheel, "METADATA"))
    requires = metadata.get_all("Requires-Dist")
    assert "cdktf==0.21.0" in requires
    assert "cdktf-cdktf-provider-aws==21.22.1" in requires
    # `pip install 'ecs-cdktf[cdktn]'`: CDK Terrain as the engine (README, "Moving to CDK Terrain")
    assert {'cdktn==0.24.0; extra == "cdktn"', 'cdktn-provider-aws==25.8.1; extra == "cdktn"'} <= set(requires)
    assert "cdktn" in metadata.get_all("Provides-Extra")
    assert metadata["Requires-Python"] == ">=3.11"
    assert "ecs-cdktf = constructs_lib.__main__:run" in _metadata(wheel, "entry_points.txt")


def test_installed_wheel_works_outside_the_checkout(wheel, tmp_path):
    """Installed from the wheel alone (dependencies from this venv), away from the checkout."""
    site = tmp_path / "site"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(site), str(wheel)],
        capture_output=True, text=True, timeout=300, env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )
    assert install.returncode == 0, install.stderr
    env = {**os.environ, "PYTHONPATH": str(site)}
    where = subprocess.run(
        [sys.executable, "-c", "import constructs_lib, sys; print(constructs_lib.__file__)"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60,
    )
    assert where.stdout.strip() == str(site / "constructs_lib" / "__init__.py")
    listing = subprocess.run(
        [sys.executable, "-m", "constructs_lib", "list", str(ENVS / "dev.json")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60,
    )
    assert listing.returncode == 0, listing.stderr
    assert "dev-app-service\ts3://acme-dev-terraform-state/ecs/dev/app-service/terraform.tfstate" in listing.stdout
