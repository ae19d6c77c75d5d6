"""The fast kernel start (constructs_lib/fast_kernel.py) changes how long a synth takes, never what it writes:
pipelined assembly loads and the kernel's code cache give the same bytes as a plain library synth, cold cache
and warm; a failed load still fails; the cache can be turned off; no other process inherits its settings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ENVS, REPO

ENV_FILES = sorted(str(p) for p in ENVS.glob("*.json"))
QUIET = {"JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20", "JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION": "1"}

PLAIN_LIBRARY_SYNTH = """
import sys
from constructs_lib.cli import load_env_files
from constructs_lib.app import build_app
build_app(load_env_files(sys.argv[2:]), sys.argv[1]).synth()
"""


def run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([sys.executable, *args], cwd=REPO, env={**os.environ, **QUIET, **env},
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return result


def stack_files(outdir: Path) -> dict[str, bytes]:
    return {str(p.relative_to(outdir)): p.read_bytes() for p in sorted((outdir / "stacks").rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The shipped envs synthesized the way a library user's app does: no pipelining, no code cache."""
    outdir = tmp_path_factory.mktemp("plain")
    run(["-c", PLAIN_LIBRARY_SYNTH, str(outdir), *ENV_FILES], ECS_CDKTF_CODE_CACHE="off")
    files = stack_files(outdir)
    assert len([name for name in files if name.endswith("cdk.tf.json")]) == 7
    return files


def cli_synth(outdir: Path, cache: Path, stats: Path) -> dict[str, int]:
    stats.unlink(missing_ok=True)
    run(["-m", "constructs_lib", "synth", *ENV_FILES, "--outdir", str(outdir)],
        ECS_CDKTF_CODE_CACHE=str(cache), ECS_CDKTF_CODE_CACHE_STATS=str(stats))
    return json.loads(stats.read_text())


def test_cold_and_warm_code_cache_write_the_bytes_of_a_plain_synth(plain, tmp_path):
    cache = tmp_path / "code-cache"
    cold = cli_synth(tmp_path / "cold", cache, tmp_path / "cold.json")
    warm = cli_synth(tmp_path / "warm", cache, tmp_path / "warm.json")

    assert cold["hits"] == 0 and cold["misses"] > 2000  # the provider's ~2,200 files, cdktf's and constructs'
    assert warm == {"hits": cold["misses"], "misses": 0, "rejected": 0}
    assert stack_files(tmp_path / "cold") == plain
    assert stack_files(tmp_path / "warm") == plain


def test_main_py_uses_the_cache_and_writes_the_same_bytes(plain, tmp_path):
    cache, stats = tmp_path / "code-cache", tmp_path / "stats.json"
    run([str(REPO / "main.py")], ECS_CDKTF_CODE_CACHE=str(cache), ECS_CDKTF_CODE_CACHE_STATS=str(stats),
        CDKTF_OUTDIR=str(tmp_path / "out"))
    assert json.loads(stats.read_text())["misses"] > 2000
    assert stack_files(tmp_path / "out") == plain


def test_code_cache_off_leaves_no_cache(tmp_path):
    stats = tmp_path / "stats.json"
    run(["-m", "constructs_lib", "synth", str(ENVS / "dev.json"), "--outdir", str(tmp_path / "out")],
        ECS_CDKTF_CODE_CACHE="off", ECS_CDKTF_CODE_CACHE_STATS=str(stats), XDG_CACHE_HOME=str(tmp_path / "xdg"))
    assert not stats.exists()
    assert not (tmp_path / "xdg").exists()


def test_the_default_cache_is_under_the_users_cache_folder(tmp_path):
    run(["-m", "constructs_lib", "synth", str(ENVS / "dev.json"), "--outdir", str(tmp_path / "out")],
        XDG_CACHE_HOME=str(tmp_path / "xdg"))
    entries = list((tmp_path / "xdg" / "ecs-cdktf" / "node-code-cache").rglob("*"))
    assert len(entries) > 2000


def test_a_failed_pipelined_load_raises_at_the_next_call(tmp_path):
    package = tmp_path / "broken_jsii"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "broken@1.0.0.jsii.tgz").write_bytes(b"not a tarball")
    code = f"""
import jsii
from constructs_lib.fast_kernel import fast_kernel_start
with fast_kernel_start():
    import cdktf
    jsii.kernel.load("broken", "1.0.0", {str(package / "broken@1.0.0.jsii.tgz")!r})
    print("load returned")
try:
    cdktf.App()
except Exception as error:
    print("raised:", type(error).__name__)
"""
    out = run(["-c", code], ECS_CDKTF_CODE_CACHE="off").stdout.splitlines()
    assert out == ["load returned", "raised: JSIIError"]


def test_the_kernel_settings_do_not_leak_into_other_processes(tmp_path):
    code = """
import os
from constructs_lib.fast_kernel import fast_kernel_start
with fast_kernel_start():
    import cdktf
    inside = os.environ.get("NODE_OPTIONS", "")
print(repr(inside.endswith("kernel_code_cache.js\\"")), repr(os.environ.get("NODE_OPTIONS")))
"""
    out = run(["-c", code], ECS_CDKTF_CODE_CACHE=str(tmp_path / "cache"), NODE_OPTIONS="--no-warnings").stdout
    assert out.split() == ["True", "'--no-warnings'"]


def test_invalid_input_stops_the_early_started_kernel_cleanly(tmp_path):
    """`synth` starts the kernel before reading the env files; on invalid input the CLI still exits 2 with the
    problems, writes nothing, and neither waits for nor leaves a Node process (no error at exit either)."""
    bad = tmp_path / "bad.json"
    bad.write_text('{"organization": "acme"}')
    code = """
import subprocess, sys
from constructs_lib.__main__ import run
sys.argv = ["ecs-cdktf", "synth", sys.argv[1], "--outdir", sys.argv[2]]
code = run()
import jsii, pathlib
launcher = jsii.kernel.provider._process._process
children = pathlib.Path(f"/proc/{launcher.pid}/task/{launcher.pid}/children").read_text().split()
print(code, launcher.poll() is None, launcher.pid, *children)
"""
    result = subprocess.run([sys.executable, "-c", code, str(bad), str(tmp_path / "out")], cwd=REPO,
                            env={**os.environ, **QUIET}, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "bad.json: environment: missing: this key is required" in result.stderr
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr
    assert not (tmp_path / "out").exists()
    # the kernel was started early (its launcher and Node kernel were running when `run` returned), and is gone
    # once the process has exited: killed, not left behind
    exit_code, running, *pids = result.stdout.split()
    assert (exit_code, running, len(pids)) == ("2", "True", 2)
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in pids if Path(f"/proc/{pid}").exists()]
