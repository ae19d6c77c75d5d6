"""The speed tricks change how long a synth takes, never what it writes. The reference is a plain library synth
with every trick off (`ECS_CDKTF_FAST=off`, constructs_lib/_jsii/fast.py): the CLI and `main.py` with the fast kernel
start (constructs_lib/_jsii/fast_kernel.py: pipelined assembly loads, the kernel's code cache, cold and warm), the
unchecked bindings (fast_bindings.py) and the wiring references built in Python (addressing.py) write its bytes;
the switch turns each trick off; a failed load still fails; the cache can be turned off; no other process inherits
its settings. tests/test_cross_stack.py compares a consumer's two-stack app both ways.

The tricks check what they rely on (constructs_lib/_jsii/fast_checks.py, fast_bindings.py) and fall back to the plain
start when it differs or when anything in them raises: each internal is checked, and each kind of breakage is
synthesized through the CLI, with the same bytes as the plain synth and one line under `--debug`."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

import pytest
from conftest import ENVS, REPO

from constructs_lib._jsii import fast, fast_checks
from constructs_lib._jsii.fast_kernel import JSII_QUIET

ENV_FILES = sorted(str(p) for p in ENVS.glob("*.json"))


def shipped_stack_count() -> int:
    """Per env file: its environment stack and one stack per service, worker and scheduled task."""
    from constructs_lib.config import load_env_files

    envs = load_env_files(ENV_FILES)
    return sum(1 + len(env.services) + len(env.workers) + len(env.scheduled_tasks) for env in envs)

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
    assert len([name for name in files if name.endswith("cdk.tf.json")]) == shipped_stack_count()
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
import cdktf, jsii, pathlib
node = jsii.kernel.provider._process._process  # the kernel, or jsii's launcher with the kernel as its child
children = pathlib.Path(f"/proc/{node.pid}/task/{node.pid}/children").read_text().split()
print(len(children), len(cdktf.Token.as_any("x").creation_stack) > 0)
"""


@pytest.mark.parametrize("fast, tricks, kernel", [
    ("on", "True True _no_check", "0 False"),  # one Node process, no token creation stacks
    ("off", "False False check_type", "1 True"),  # jsii's launcher and its kernel; every token's creation stack
])
def test_the_switch_turns_every_trick_off_and_the_bytes_stay(plain, tmp_path, fast, tricks, kernel):
    """Early kernel start without jsii's launcher, pipelined loads, code cache, token creation stacks skipped and
    unchecked bindings as the CLI loads them: on by default, none of them with `ECS_CDKTF_FAST=off` (the wiring
    references: tests/test_cross_stack.py)."""
    cache, stats = tmp_path / "cache", tmp_path / "stats.json"
    out = run(["-c", TRICKS_PROBE, str(tmp_path / "out"), *ENV_FILES], ECS_CDKTF_FAST=fast,
              ECS_CDKTF_CODE_CACHE=str(cache), ECS_CDKTF_CODE_CACHE_STATS=str(stats)).stdout
    assert out.split("\n")[:2] == [tricks, kernel]
    assert stats.exists() == cache.exists() == (fast == "on")
    assert stack_files(tmp_path / "out") == plain


KERNEL_CONSOLE = """
from constructs_lib._jsii.fast_kernel import import_fast
cdktf = import_fast("cdktf")
print("python:", cdktf.Fn.upper("x") is not None, flush=True)
"""


def test_what_the_kernel_prints_reaches_pythons_stdout_and_stderr(tmp_path):
    """Started without jsii's launcher, the kernel's console still reaches the user: its stdout on stdout, its
    stderr on stderr, unwrapped, and the channel stays clean for jsii's requests."""
    script = tmp_path / "say.js"
    script.write_text('console.log("kernel says: out"); console.error("kernel says: err");')
    result = run(["-c", KERNEL_CONSOLE], NODE_OPTIONS=f"--require {script}", ECS_CDKTF_CODE_CACHE="off")
    assert sorted(result.stdout.splitlines()) == ["kernel says: out", "python: True"]
    assert result.stderr.splitlines() == ["kernel says: err"]


def test_with_its_stdin_closed_the_cli_still_starts_the_kernel_alone(plain, tmp_path):
    """Started with stdin closed (as some job runners do), Python's end of the channel is created on descriptor 0
    and the kernel's on 3, where the kernel reads it: it is left there, and the synth runs without falling back."""
    command = [sys.executable, "-m", "constructs_lib", "--debug", "synth", *ENV_FILES, "--outdir", str(tmp_path / "out")]
    result = subprocess.run(["sh", "-c", 'exec "$@" <&-', "sh", *command], cwd=REPO, env={**os.environ, **JSII_QUIET},
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "speed tricks off" not in result.stderr
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


CONSUMER_VOID_CALL = """
from constructs_lib._jsii.fast_kernel import fast_kernel_start
with fast_kernel_start():
    import cdktf
import constructs_lib._jsii.aws as aws
stack = cdktf.TerraformStack(cdktf.App(), "stack")
cluster = aws.EcsCluster(stack, "cluster", name="x")
cluster.fqn  # the logical id is read: overriding it now fails in cdktf
try:
    cluster.override_logical_id("renamed")
    print("override returned")
except Exception as error:
    print("override raised", type(error).__name__, str(error).splitlines()[0])
print("then", cluster.node.id)
"""


def test_a_consumers_failing_void_call_raises_where_it_is_called_as_without_the_tricks():
    """The library's own void calls go unanswered (fast_void); a consumer's are sent as jsii sends them, so a failing
    `override_logical_id` raises at the call, with cdktf's message, exactly as with every trick off."""
    fast_on = run(["-c", CONSUMER_VOID_CALL]).stdout.splitlines()
    fast_off = run(["-c", CONSUMER_VOID_CALL], ECS_CDKTF_FAST="off").stdout.splitlines()
    assert fast_on == fast_off
    assert fast_on[0].startswith("override raised RuntimeError") and "may not be overridden" in fast_on[0]
    assert fast_on[1:] == ["then cluster"]


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
# registered first, so it runs last (after the stops): how the kernel ended
atexit.register(lambda: print("kernel exit", sys.modules["jsii"].kernel.provider._process._process.returncode))
from constructs_lib._jsii.fast_kernel import start_kernel_early
start_kernel_early()
import jsii, pathlib
kernel = jsii.kernel.provider._process
early = (kernel.__dict__.get("_ecs_cdktf_pending_loads"), "pydantic" in sys.modules)
from constructs_lib.cli.main import main
code = main(["synth", sys.argv[1], "--outdir", sys.argv[2]])
node = kernel._process
children = pathlib.Path(f"/proc/{node.pid}/task/{node.pid}/children").read_text().split()
program = pathlib.Path(f"/proc/{node.pid}/cmdline").read_bytes().split(b"\\0")[-2].decode()
print(code, *early, node.poll() is None, program.endswith("/lib/program.js"), node.pid, *children)
"""
    env = {**os.environ, **JSII_QUIET, "ECS_CDKTF_CODE_CACHE": str(tmp_path / "cache")}
    result = subprocess.run([sys.executable, "-c", code, str(bad), str(tmp_path / "out")], cwd=REPO,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "bad.json: environment: missing: this key is required" in result.stderr
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr
    assert "ECONNRESET" not in result.stderr
    assert not (tmp_path / "out").exists()
    # The kernel was started before pydantic was imported, with three loads queued, and was running when the
    # CLI returned: one Node process, the kernel itself (program.js, no launcher before it, no child). Once the
    # process has exited, it is gone: stopped at once, not left to finish the provider's load (over a second).
    first, last = result.stdout.splitlines()
    exit_code, pending, pydantic_loaded, running, is_kernel, *pids = first.split()
    assert (exit_code, pending, pydantic_loaded, running, is_kernel, len(pids)) == ("2", "3", "False", "True", "True", 1)
    assert last == "kernel exit -9"  # killed: jsii's own stop would have waited for the loads (exit 0)
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


# What the tricks rely on, and how they fall back ------------------------------------------------------------


def test_jsii_is_pinned_exactly_to_the_installed_version():
    assert fast_checks.pinned_jsii() == metadata.version("jsii")
    assert fast_checks.jsii_problem() is None


def test_installed_away_from_a_checkout_the_pin_comes_from_the_package_metadata(monkeypatch, tmp_path):
    dist_info = tmp_path / "ecs_cdktf-0.1.0.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text("Metadata-Version: 2.1\nName: ecs-cdktf\nVersion: 0.1.0\n"
                                        "Requires-Dist: cdktf==0.21.0\nRequires-Dist: jsii==9.9.9\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(fast_checks, "_checkout_requirements", lambda: None)
    assert fast_checks.pinned_jsii() == "9.9.9"


def test_another_jsii_version_is_named(monkeypatch):
    real = metadata.version
    monkeypatch.setattr(metadata, "version", lambda name: "1.0.0" if name == "jsii" else real(name))
    assert fast_checks.jsii_problem() == f"jsii 1.0.0 is installed, ecs-cdktf pins jsii=={real('jsii')}"


@pytest.mark.parametrize("module, path", fast_checks.JSII_INTERNALS, ids=".".join)
def test_each_jsii_internal_the_fast_start_uses_is_checked(monkeypatch, module, path):
    assert fast_checks.missing_internal() is None
    owner = importlib.import_module(module)
    *parents, name = path.split(".")
    for parent in parents:
        owner = getattr(owner, parent)
    holder = owner if name in vars(owner) else next(k for k in type(owner).__mro__ if name in vars(k))
    monkeypatch.delattr(holder, name)
    assert fast_checks.missing_internal() == f"{module}.{path} is missing"


def test_the_fallback_line_shows_once_and_only_when_asked(monkeypatch, capsys):
    for name in ("reason", "debug", "reported"):  # this process's own tricks stay as they were
        monkeypatch.setattr(fast._Fallback, name, getattr(fast._Fallback, name))
    monkeypatch.setattr(fast._Fallback, "reason", None)
    monkeypatch.delenv(fast.DEBUG_SETTING, raising=False)
    fast.fall_back("first")
    fast.fall_back("second")
    assert (capsys.readouterr().err, fast.enabled()) == ("", False)
    monkeypatch.setenv(fast.DEBUG_SETTING, "1")  # as main.py is asked
    fast.fall_back("third")
    fast.show_fallback()  # as the CLI's --debug asks
    assert capsys.readouterr().err == "ecs-cdktf: speed tricks off, synthesizing as with ECS_CDKTF_FAST=off: first\n"


# Runs the CLI after breaking something: `breakage` runs once `target` is first imported (at once without one).
# `hide` replaces a module by a copy lacking a name (or a class attribute): what the tricks see, while jsii's own
# code keeps its globals and works, as a jsii whose internals moved would.
BREAK_THEN_RUN_CLI = """
import importlib.abc, importlib.util, runpy, sys, types
target, breakage = sys.argv[1], sys.argv[2]
sys.argv = ["constructs_lib", *sys.argv[3:]]


def hide(name, dotted):
    module = sys.modules[name]
    copy = types.ModuleType(name)
    copy.__dict__.update(vars(module))
    head, _, attribute = dotted.partition(".")
    if attribute:
        cls = getattr(module, head)
        kept = {k: v for k, v in vars(cls).items() if k not in (attribute, "__dict__", "__weakref__")}
        setattr(copy, head, type(cls.__name__, cls.__bases__, kept))
    else:
        delattr(copy, head)
    sys.modules[name] = copy
    parent, _, child = name.rpartition(".")
    if parent:
        setattr(sys.modules[parent], child, copy)


class AfterFirstImport(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target_module=None):
        if name != target:
            return None
        sys.meta_path.remove(self)  # back until the module is imported, not merely looked up
        try:
            spec = importlib.util.find_spec(name)
        finally:
            sys.meta_path.insert(0, self)
        run = spec.loader.exec_module

        def exec_module(module):
            sys.meta_path.remove(self)
            run(module)
            exec(breakage, {"module": module, "hide": hide, "sys": sys})

        spec.loader.exec_module = exec_module
        return spec


if target:
    sys.meta_path.insert(0, AfterFirstImport())
else:
    exec(breakage, {"hide": hide, "sys": sys})
runpy.run_module("constructs_lib", run_name="__main__")
"""

ANOTHER_JSII_VERSION = """
import importlib.metadata as m
real = m.version
m.version = lambda name: "1.0.0" if name == "jsii" else real(name)
"""
ANOTHER_ASSEMBLY_LOAD = """
import pathlib
real = pathlib.Path.read_text
def read_text(self, *args, **kwargs):
    text = real(self, *args, **kwargs)
    return text.replace("JSIIAssembly.load(", "JSIIAssembly.load_assembly(") if self.parts[-3:] == ("cdktf", "_jsii", "__init__.py") else text
pathlib.Path.read_text = read_text
"""
FIRST_LOAD_FAILS = """
kernel_class = type(module.kernel)
load = kernel_class.load
def failing_once(self, *args):
    kernel_class.load = load
    raise RuntimeError("injected into the first load")
kernel_class.load = failing_once
"""
FIRST_ANSWER_FAILS = """
node_process = sys.modules["jsii._kernel.providers.process"]._NodeProcess
read = node_process._next_message
def failing_once(self):
    node_process._next_message = read
    raise RuntimeError("injected into the first answer read")
node_process._next_message = failing_once
"""
CHANNEL_MOVED = """
import pathlib
real = pathlib.Path.read_bytes
def read_bytes(self):
    data = real(self)
    return data.replace(b"readFD:3,writeFD:3", b"readFD:4,writeFD:4") if self.name == "program.js" else data
pathlib.Path.read_bytes = read_bytes
"""
BREAKAGES = {  # what breaks: (target, breakage, why --debug says the tricks fell back)
    "jsii version": ("", ANOTHER_JSII_VERSION, f"jsii 1.0.0 is installed, ecs-cdktf pins jsii=={metadata.version('jsii')}"),
    "jsii internal": ("jsii", 'hide("jsii._kernel.providers.process", "_NodeProcess.handshake")',
                      "jsii._kernel.providers.process._NodeProcess.handshake is missing"),
    "assembly load layout": ("", ANOTHER_ASSEMBLY_LOAD,
                             "cdktf/_jsii/__init__.py: no JSIIAssembly.load(...) of a tarball beside it"),
    "binding layout": ("cdktf", 'hide("cdktf._private", "check_type")', "cdktf._private.check_type is missing"),
    "failure in the early start": ("jsii", FIRST_LOAD_FAILS,
                                   "RuntimeError in the early kernel start: injected into the first load"),
    "failure in the pipelined import": ("jsii", FIRST_ANSWER_FAILS,
                                        "RuntimeError in the fast import: injected into the first answer read"),
    "kernel channel": ("", CHANNEL_MOVED,
                       "RuntimeError in the early kernel start: jsii's lib/program.js does not talk on descriptor 3"),
}


@pytest.mark.parametrize("breakage, debug", [*((name, True) for name in BREAKAGES), ("jsii version", False)])
def test_a_broken_internal_falls_back_to_the_plain_start_with_the_same_bytes(plain, tmp_path, breakage, debug):
    """Exit 0, the plain synth's bytes, a kernel without the code cache (a kernel the tricks started was killed
    before it could write its stats), and one line saying why under `--debug`, none without."""
    target, code, why = BREAKAGES[breakage]
    stats = tmp_path / "stats.json"
    result = run(["-c", BREAK_THEN_RUN_CLI, target, code, *(["--debug"] if debug else []), "synth", *ENV_FILES,
                  "--outdir", str(tmp_path / "out")],
                 ECS_CDKTF_CODE_CACHE=str(tmp_path / "cache"), ECS_CDKTF_CODE_CACHE_STATS=str(stats))
    assert stack_files(tmp_path / "out") == plain
    assert not stats.exists()
    said = [f"ecs-cdktf: speed tricks off, synthesizing as with ECS_CDKTF_FAST=off: {why}"] if debug else []
    assert result.stderr.splitlines() == said
