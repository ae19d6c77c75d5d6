"""CDK Terrain (cdktn), the second engine, writes the stacks cdktf writes (tests/engines.py says how they may
differ), and a cdktf app runs on it unchanged.

Each engine synthesizes in its own virtualenv (.venv, and .venv-cdktn from `make setup-cdktn`), as a user runs
the CLI: a subprocess per engine, side by side. What else proves CDK Terrain in `make test`: the snapshot,
validate (`terraform validate` of the CDK Terrain output) and scan tests run on .venv-cdktn too (mk/cdktn.mk),
and tests/test_cdktf_cli.py runs the `cdktn` CLI as it runs the cdktf one.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from conftest import ENVS, REPO
from engines import CDKTN_PYTHON, ENGINE_VERSIONS, engine_version, require_cdktn

from constructs_lib._jsii import engine
from constructs_lib._jsii.fast_kernel import JSII_QUIET

ENV_FILES = sorted(p for p in ENVS.glob("*.json") if not p.name.endswith(".schema.json"))
CONSUMER = REPO / "examples" / "consumer"
TIMEOUT_SECONDS = 300
# What a process of each engine's environment reports about itself and cdktf's module names.
ALIASES = """
from constructs_lib._jsii import aws, engine
import cdktf, cdktf_cdktf_provider_aws.s3_bucket as s3_bucket
print(engine.selected().core, cdktf.__name__, cdktf.__spec__.name, s3_bucket.__name__,
      aws.S3Bucket.__mro__[1] is s3_bucket.S3Bucket)
"""


def _python_env(**settings: str) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if name not in ("ECS_CDKTF_ENGINE", "ECS_CDKTF_FAST")}
    return {**env, **JSII_QUIET, "PYTHONPATH": str(REPO), **settings}


def _run(args: list[str], cwd: Path, **settings: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, cwd=cwd, env=_python_env(**settings), capture_output=True, text=True,
                            timeout=TIMEOUT_SECONDS)
    assert result.returncode == 0, f"{' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, tuple[Path, subprocess.CompletedProcess[str]]]:
    """The shipped env files synthesized by each engine (CDK Terrain also with the speed tricks off) and the
    consumer example (a cdktf app of its own) run on each: (outdir, process) by name."""
    require_cdktn("the comparison of the two engines")
    root = tmp_path_factory.mktemp("engines")
    jobs = {}
    for name, python, settings in (("cdktf", sys.executable, {}), ("cdktn", str(CDKTN_PYTHON), {}),
                                   ("cdktn-plain", str(CDKTN_PYTHON), {"ECS_CDKTF_FAST": "off"})):
        outdir = root / name / "cdktf.out"
        synth = [python, "-m", "constructs_lib", "--debug", "synth", *map(str, ENV_FILES), "--outdir", str(outdir)]
        jobs[name] = (outdir, synth, REPO, settings)
    for name, python in (("consumer-cdktf", sys.executable), ("consumer-cdktn", str(CDKTN_PYTHON))):
        app = root / name
        shutil.copytree(CONSUMER, app, ignore=shutil.ignore_patterns("cdktf.out", "cdktf.hcl", ".venv", "__pycache__"))
        jobs[name] = (app / "cdktf.out", [python, "main.py"], app, {})
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(_run, args, cwd, **settings) for name, (_, args, cwd, settings) in jobs.items()}
        return {name: (jobs[name][0], future.result()) for name, future in futures.items()}


def _stack_files(outdir: Path) -> dict[str, bytes]:
    return {path.parent.name: path.read_bytes() for path in sorted((outdir / "stacks").glob("*/cdk.tf.json"))}


def _differing_lines(first: bytes, second: bytes) -> list[tuple[str, str]]:
    """The lines at which two files differ, in pairs; line for line (a line added or dropped is a difference
    of its own). An empty object is compared as `{}`: cdktf writes it on two lines, CDK Terrain on one (the
    README's listed whitespace difference)."""
    a, b = (re.sub(r"\{\n\s*\}", "{}", text.decode()).splitlines() for text in (first, second))
    if len(a) != len(b):
        return [(f"{len(a)} lines", f"{len(b)} lines")]
    return [(x, y) for x, y in zip(a, b, strict=True) if x != y]


def _assert_same_but_the_engine_version(cdktf_out: Path, cdktn_out: Path) -> None:
    """Every stack of both outdirs is byte for byte the same, but the one line of the engine version in its
    metadata (the README's listed difference)."""
    cdktf_stacks, cdktn_stacks = _stack_files(cdktf_out), _stack_files(cdktn_out)
    assert sorted(cdktf_stacks) == sorted(cdktn_stacks) and cdktf_stacks
    version_line = '      "version": "{}"'.format
    for stack, written in cdktf_stacks.items():
        assert (engine_version(json.loads(written)), engine_version(json.loads(cdktn_stacks[stack]))) == (
            ENGINE_VERSIONS["cdktf"], ENGINE_VERSIONS["cdktn"])
        assert _differing_lines(written, cdktn_stacks[stack]) == [
            (version_line(ENGINE_VERSIONS["cdktf"]), version_line(ENGINE_VERSIONS["cdktn"]))], stack


def test_every_shipped_env_file_gives_the_same_stacks_on_both_engines(runs):
    _assert_same_but_the_engine_version(runs["cdktf"][0], runs["cdktn"][0])
    assert len(_stack_files(runs["cdktn"][0])) >= len(ENV_FILES)


def test_the_speed_tricks_run_on_cdktn_and_change_no_byte(runs):
    """The fast kernel start supports CDK Terrain (its assemblies load pipelined, from the code cache): `--debug`
    reports no fallback, and the output is the plain start's, byte for byte."""
    (fast_out, fast), (plain_out, _) = runs["cdktn"], runs["cdktn-plain"]
    assert "speed tricks off" not in fast.stderr
    assert _stack_files(fast_out) == _stack_files(plain_out)
    assert (fast_out / "manifest.json").read_bytes() == (plain_out / "manifest.json").read_bytes()


def test_a_cdktf_app_runs_unchanged_on_cdktn(runs):
    """examples/consumer imports `cdktf` and `cdktf_cdktf_provider_aws` itself: on CDK Terrain the same file
    writes the same stack."""
    _assert_same_but_the_engine_version(runs["consumer-cdktf"][0], runs["consumer-cdktn"][0])


@pytest.mark.parametrize("name", ["cdktf", "cdktn"])
def test_cdktf_module_names_give_the_engines_own_modules(name):
    """On cdktf nothing is aliased; on CDK Terrain `import cdktf` and the cdktf provider's names give CDK
    Terrain's module objects (their own `__spec__` kept), the very classes the library uses."""
    if name == "cdktn":
        require_cdktn("the cdktf names on CDK Terrain")
    python = sys.executable if name == "cdktf" else str(CDKTN_PYTHON)
    said = _run([python, "-c", ALIASES], REPO).stdout.split()
    expected = {"cdktf": ["cdktf", "cdktf", "cdktf", "cdktf_cdktf_provider_aws.s3_bucket", "True"],
                "cdktn": ["cdktn", "cdktn", "cdktn", "cdktn_provider_aws.s3_bucket", "True"]}
    assert said == expected[name]


def test_an_unknown_engine_is_refused_and_nothing_is_written(tmp_path):
    outdir = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "constructs_lib", "synth", str(ENV_FILES[0]), "--outdir", str(outdir)],
        cwd=REPO, env=_python_env(ECS_CDKTF_ENGINE="terraform"), capture_output=True, text=True, timeout=120,
    )
    assert (result.returncode, result.stderr) == (
        2, "ECS_CDKTF_ENGINE=terraform: the engine is cdktf or cdktn; nothing was written\n")
    assert not outdir.exists()


def _modules(*names: str) -> dict[str, Any]:
    """A `sys.modules` holding each engine's real module of these names."""
    return {name: type(sys)(name) for name in names}


@pytest.mark.parametrize("setting, installed, imported, chosen", [
    (None, {"cdktf", "cdktn"}, {}, "cdktf"),  # the default, the engine the product is specified with
    ("", {"cdktn"}, {}, "cdktn"),  # only CDK Terrain installed: no setting needed
    ("cdktn", {"cdktf", "cdktn"}, {}, "cdktn"),
    (" CDKTF ", {"cdktf", "cdktn"}, {}, "cdktf"),
    (None, {"cdktf", "cdktn"}, _modules("cdktn"), "cdktn"),  # an app that imported cdktn is a CDK Terrain app
    ("cdktn", {"cdktf", "cdktn"}, {"cdktf": _modules("cdktn")["cdktn"]}, "cdktn"),  # cdktf's name, aliased
])
def test_the_engine_is_the_setting_then_the_imported_then_cdktf(setting, installed, imported, chosen):
    assert engine.choose(setting, installed.__contains__, imported).core == chosen


@pytest.mark.parametrize("setting, installed, imported, message", [
    ("cdktn", {"cdktf"}, {}, "ECS_CDKTF_ENGINE=cdktn, but cdktn is not installed: pip install 'ecs-cdktf[cdktn]'"),
    ("terraform", {"cdktf"}, {}, "ECS_CDKTF_ENGINE=terraform: the engine is cdktf or cdktn"),
    (None, set(), {}, "neither cdktf nor cdktn is installed: pip install ecs-cdktf "
                      "(or, for CDK Terrain, pip install 'ecs-cdktf[cdktn]')"),
    ("cdktn", {"cdktf", "cdktn"}, _modules("cdktf"),
     "ECS_CDKTF_ENGINE=cdktn, but cdktf is imported already and a process runs one engine: "
     "unset ECS_CDKTF_ENGINE, or import constructs_lib before cdktf"),
])
def test_an_engine_that_cannot_run_is_named_with_the_fix(setting, installed, imported, message):
    with pytest.raises(engine.EngineError) as raised:
        engine.choose(setting, installed.__contains__, imported)
    assert str(raised.value) == message


def test_only_the_engine_module_names_an_engine():
    """Every import of cdktf, CDK Terrain or their providers in the library goes through _jsii/engine.py (core
    classes: `from .._jsii.engine import App`) or _jsii/aws.py (provider classes, by the engine's package name).
    engine.py's `if TYPE_CHECKING:` block is what mypy reads (cdktf's classes as the static types); it never runs."""
    engine_modules = {name for chosen in engine.ENGINES.values() for name in (chosen.core, chosen.provider)}
    direct = []
    for path in sorted((REPO / "constructs_lib").rglob("*.py")):
        tree = ast.parse(path.read_text())
        static = {
            id(inner) for node in tree.body
            if path.name == "engine.py" and isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING"
            for inner in ast.walk(node)
        }
        for node in ast.walk(tree):
            if id(node) in static:
                continue
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else (
                [node.module] if isinstance(node, ast.ImportFrom) and node.module and not node.level else [])
            direct += [f"{path.relative_to(REPO)}:{node.lineno}" for name in names
                       if name.partition(".")[0] in engine_modules]
    assert direct == []


def _pins(lines: list[str]) -> dict[str, str]:
    found = (re.fullmatch(r"([A-Za-z0-9_.-]+)==(\S+)", line.split("#")[0].strip()) for line in lines)
    return {match.group(1).lower(): match.group(2) for match in found if match}


def test_the_cdktn_environment_pins_what_the_package_pins():
    """The `[cdktn]` extra, .venv-cdktn's requirements and the versions the tests expect agree, and so does jsii
    (the fast kernel start checks the installed jsii against pyproject.toml's pin)."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    package = _pins(project["dependencies"])
    extra = _pins(project["optional-dependencies"]["cdktn"])
    requirements = _pins((REPO / "cdktn-engine" / "requirements.txt").read_text().splitlines())
    assert extra == {"cdktn": ENGINE_VERSIONS["cdktn"], "cdktn-provider-aws": requirements["cdktn-provider-aws"]}
    assert {name: requirements[name] for name in (*extra, "jsii")} == {**extra, "jsii": package["jsii"]}
    assert "cdktf" not in requirements and package["cdktf"] == ENGINE_VERSIONS["cdktf"]
