"""The speed tricks change how long a synth takes, never what it writes. The reference is a plain library synth
with every trick off (`ECS_CDKTF_FAST=off`, constructs_lib/fast.py): the CLI and `main.py` with the fast kernel
start (constructs_lib/fast_kernel.py: pipelined assembly loads, the kernel's code cache, cold and warm), the
unchecked bindings (fast_bindings.py) and the wiring references built in Python (addressing.py) write its bytes;
the switch turns each trick off; a failed load still fails; the cache can be turned off; no other process inherits
its settings. tests/test_cross_stack.py compares a consumer's two-stack app both ways."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ENVS, REPO
from constructs_lib._jsii.fast_kernel import JSII_QUIET

ENV_FILES = sorted(str(p) for p in ENVS.glob("*.json"))

PLAIN_LIBRARY_SYNTH = """
import sys
from constructs_lib.config import load_env_files
from constructs_lib.stacks.app import build_app
build_app(load_env_files(sys.argv[2:]), sys.argv[1]).synth()
"""


def run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([sys.executable, *args], cwd=REPO, env={**os.environ, **JSII_QUIET, **env},
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return result


def stack_files(outdir: Path) -> dict[str, bytes]:
    return {str(p.relative_to(outdir)): p.read_bytes() for p in sorted((outdir / "stacks").rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The shipped envs synthesized the way a library user's app does, with every speed trick off."""
    outdir = tmp_path_factory.mktemp("plain")
    run(["-c", PLAIN_LIBRARY_SYNTH, str(outdir), *ENV_FILES], ECS_CDKTF_FAST="off")
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


TRICKS_PROBE = """
import sys
from constructs_lib._jsii.fast_kernel import import_fast, start_kernel_early
start_kernel_early()  # as the CLI and main.py load what they synthesize
early = "jsii" in sys.modules
app = import_fast("constructs_lib.stacks.app")
from jsii._kernel.providers import process
from constructs_lib._jsii.aws import LbAccessLogs  # a struct of the provider's `lb` module: it checks its arguments
from constructs_lib.config import load_env_files
checks = LbAccessLogs.__init__.__globals__["check_type"].__name__
print(early, hasattr(process._NodeProcess, "_ecs_cdktf_pipelined"), checks)
app.build_app(load_env_files(sys.argv[2:]), sys.argv[1]).synth()
"""


@pytest.mark.parametrize("fast, tricks", [("on", "True True _no_check"), ("off", "False False check_type")])
def test_the_switch_turns_every_trick_off_and_the_bytes_stay(plain, tmp_path, fast, tricks):
    """Early kernel start, pipelined loads, code cache and unchecked bindings as the CLI loads them: on by
    default, none of them with `ECS_CDKTF_FAST=off` (the wiring references: tests/test_cross_stack.py)."""
    cache, stats = tmp_path / "cache", tmp_path / "stats.json"
    out = run(["-c", TRICKS_PROBE, str(tmp_path / "out"), *ENV_FILES], ECS_CDKTF_FAST=fast,
              ECS_CDKTF_CODE_CACHE=str(cache), ECS_CDKTF_CODE_CACHE_STATS=str(stats)).stdout
    assert out.split("\n")[0] == tricks
    assert stats.exists() == cache.exists() == (fast == "on")
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


FAILED_LOAD = """
import contextlib, sys, jsii
from constructs_lib._jsii.fast_kernel import fast_kernel_start
mode = sys.argv[2]  # pipelined: inside fast_kernel_start; after: once it is over; blocking: never in it
with fast_kernel_start() if mode != "blocking" else contextlib.nullcontext():
    import cdktf
with fast_kernel_start() if mode == "pipelined" else contextlib.nullcontext():
    try:
        jsii.kernel.load("broken", "1.0.0", sys.argv[1])
        print("load returned")
    except Exception as error:
        print("load raised", type(error).__name__)
    import constructs_lib._jsii.aws  # the provider's load, queued behind the broken one
try:
    cdktf.App()
except Exception as error:
    print("next call raised", type(error).__name__)
stack = cdktf.TerraformStack(cdktf.App(), "stack")
cluster = constructs_lib._jsii.aws.EcsCluster(stack, "cluster", name="x")
print("then", cluster.node.id, cluster.terraform_resource_type)  # answers read off the kernel, in order
"""


def test_a_failed_pipelined_load_raises_at_the_next_call_as_jsii_would_and_leaves_no_stale_answer(tmp_path):
    package = tmp_path / "broken_jsii"
    package.mkdir()
    (package / "__init__.py").write_text("")
    tarball = package / "broken@1.0.0.jsii.tgz"
    tarball.write_bytes(b"not a tarball")
    out = {mode: run(["-c", FAILED_LOAD, str(tarball), mode], ECS_CDKTF_CODE_CACHE="off").stdout.splitlines()
           for mode in ("pipelined", "after", "blocking")}

    (error,) = [line.split()[-1] for line in out["blocking"] if line.startswith("load raised")]
    assert out["pipelined"] == ["load returned", f"next call raised {error}", "then cluster aws_ecs_cluster"]
    assert out["after"] == out["blocking"] == [f"load raised {error}", "then cluster aws_ecs_cluster"]


def test_a_corrupt_or_foreign_cache_entry_is_compiled_anew(plain, tmp_path):
    cache = tmp_path / "code-cache"
    cold = cli_synth(tmp_path / "cold", cache, tmp_path / "cold.json")
    entries = sorted(p for p in cache.rglob("*") if p.is_file() and p.name != "root" and p.parent.name != "tmp")
    assert len(entries) == cold["misses"]
    for entry in entries[:40]:
        entry.write_bytes(b"junk")
    for entry in entries[40:80]:
        entry.write_bytes(entry.read_bytes()[: len(entry.read_bytes()) // 2])

    repaired = cli_synth(tmp_path / "repaired", cache, tmp_path / "repaired.json")
    again = cli_synth(tmp_path / "again", cache, tmp_path / "again.json")
    assert repaired == {"hits": len(entries) - 80, "misses": 0, "rejected": 80}
    assert again == {"hits": len(entries), "misses": 0, "rejected": 0}
    assert stack_files(tmp_path / "repaired") == plain


def test_a_cache_folder_others_can_write_is_not_used(tmp_path):
    cache = tmp_path / "shared"
    cache.mkdir()
    cache.chmod(0o777)
    stats = tmp_path / "stats.json"
    run(["-m", "constructs_lib", "synth", str(ENVS / "dev.json"), "--outdir", str(tmp_path / "out")],
        ECS_CDKTF_CODE_CACHE=str(cache), ECS_CDKTF_CODE_CACHE_STATS=str(stats))
    assert not stats.exists()  # the kernel compiled as usual
    assert list(cache.iterdir()) == []


def test_the_kernel_settings_do_not_leak_into_other_processes(tmp_path):
    code = """
import os
from constructs_lib._jsii.fast_kernel import fast_kernel_start
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
import atexit, sys
# registered first, so it runs last (after the stops): how the kernel's launcher ended
atexit.register(lambda: print("launcher exit", sys.modules["jsii"].kernel.provider._process._process.returncode))
from constructs_lib._jsii.fast_kernel import start_kernel_early
start_kernel_early()
import jsii, pathlib
kernel = jsii.kernel.provider._process
early = (kernel.__dict__.get("_ecs_cdktf_pending_loads"), "pydantic" in sys.modules)
from constructs_lib.cli.main import main
code = main(["synth", sys.argv[1], "--outdir", sys.argv[2]])
launcher = kernel._process
children = pathlib.Path(f"/proc/{launcher.pid}/task/{launcher.pid}/children").read_text().split()
print(code, *early, launcher.poll() is None, launcher.pid, *children)
"""
    env = {**os.environ, **JSII_QUIET, "ECS_CDKTF_CODE_CACHE": str(tmp_path / "cache")}
    result = subprocess.run([sys.executable, "-c", code, str(bad), str(tmp_path / "out")], cwd=REPO,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "bad.json: environment: missing: this key is required" in result.stderr
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr
    assert "ECONNRESET" not in result.stderr  # the launcher dies before its child, so it reports no broken channel
    assert not (tmp_path / "out").exists()
    # The kernel was started before pydantic was imported, with three loads queued, and was running when the
    # CLI returned. Once the process has exited, both the launcher and the Node kernel it runs are gone: stopped
    # at once, not left to finish the provider's load (which alone takes over a second).
    first, last = result.stdout.splitlines()
    exit_code, pending, pydantic_loaded, running, *pids = first.split()
    assert (exit_code, pending, pydantic_loaded, running, len(pids)) == ("2", "3", "False", "True", 2)
    assert last == "launcher exit -9"  # killed: jsii's own stop would have waited for the loads (exit 0)
    deadline = time.monotonic() + 1.0
    while any(map(alive, pids)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in pids if alive(pid)]


def alive(pid: str) -> bool:
    """Running, not a zombie waiting for the machine's init to reap it (which some containers' init never does)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def test_the_cache_prunes_what_no_synth_can_use(tmp_path):
    cache = tmp_path / "cache"
    old, recent = time.time() - 40 * 24 * 3600, time.time() - 24 * 3600
    other_node = cache / "node-v18.0.0-x64-v8-10.0"
    recent_node = cache / "node-v22.0.0-x64-v8-12.0"
    for folder in (other_node, recent_node):
        folder.mkdir(parents=True)
        os.utime(folder, (recent, recent) if folder is recent_node else (old, old))
    run(["-m", "constructs_lib", "synth", str(ENVS / "dev.json"), "--outdir", str(tmp_path / "out")],
        ECS_CDKTF_CODE_CACHE=str(cache))
    (version,) = [p for p in cache.iterdir() if p not in (other_node, recent_node)]
    gone_package = version / "0123456789abcdef"
    gone_package.mkdir()
    (gone_package / "root").write_text(str(tmp_path / "no-such-package"))
    (gone_package / "entry").write_bytes(b"compiled code")
    partial = version / "tmp" / "entry.123.abc"
    partial.write_bytes(b"half")
    os.utime(partial, (old, old))
    groups = sorted(p.name for p in version.iterdir())

    run(["-m", "constructs_lib", "synth", str(ENVS / "dev.json"), "--outdir", str(tmp_path / "out")],
        ECS_CDKTF_CODE_CACHE=str(cache))
    assert sorted(p.name for p in cache.iterdir()) == sorted([version.name, recent_node.name])
    assert sorted(p.name for p in version.iterdir()) == [g for g in groups if g != gone_package.name]
    assert not partial.exists()
