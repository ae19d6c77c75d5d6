"""Start the jsii kernel (the Node process that runs cdktf and the provider) fast, for this library's own entry
points: the CLI and `main.py` import cdktf inside `fast_kernel_start()`.

Before any construct exists the kernel loads three assemblies, and the AWS provider's makes it compile ~2,200
JavaScript files: about 2.5 s of Node time, the floor of every cdktf synth with this provider. Two things cut
what we pay of it, neither changing a byte of the output (tests/test_fast_kernel.py compares):

- pipelined loads: a load request is written to the kernel without waiting for its answer, so Python imports
  the cdktf and provider modules (half a second) while Node loads; the answers are read, in order, before the
  first request of another kind, which needs the assemblies. A load that failed raises there.
- a V8 code cache (data/kernel_code_cache.js, preloaded into the kernel): compiled code is kept on disk and
  reused by the next synth instead of compiled again. It is on by default, in `$XDG_CACHE_HOME/ecs-cdktf`
  (`~/.cache/ecs-cdktf`); `ECS_CDKTF_CODE_CACHE=off` turns it off, `ECS_CDKTF_CODE_CACHE=/some/dir` moves it.

The CLI's `synth` and `main.py` go one step further and call `start_kernel_early()` first thing, before the
config models (pydantic: 0.2 s to import) are even loaded, so the kernel starts and loads while Python reads
and validates the env files. A process that then ends without using the kernel (invalid input) stops it at
once rather than waiting for its loads.

All of this reaches into jsii's Python runtime (1.x); where its layout differs it stays off and synth is just
slower.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib.util
import json
import os
import re
import sys
from pathlib import Path
from typing import Any, Iterator

# jsii warns on every start that Node 20 is past end-of-life; the warning is not actionable for our users.
JSII_QUIET = {"JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20", "JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION": "1"}

CODE_CACHE_SETTING = "ECS_CDKTF_CODE_CACHE"
_CODE_CACHE_OFF = {"", "0", "off", "false", "no", "disabled"}
_KERNEL_CACHE_DIR = "ECS_CDKTF_CODE_CACHE_DIR"  # what the preloaded script reads
_CODE_CACHE_SCRIPT = Path(__file__).parent / "data" / "kernel_code_cache.js"
_PIPELINED = "_ecs_cdktf_pipelined"
_PENDING_LOADS = "_ecs_cdktf_pending_loads"
_HELLO_PENDING = "_ecs_cdktf_hello_pending"
_USED = "_ecs_cdktf_used"
# The assemblies every synth loads, in dependency order, and how each package's `_jsii/__init__.py` loads its own.
_EARLY_ASSEMBLIES = ("constructs", "cdktf", "cdktf_cdktf_provider_aws")
_ASSEMBLY_LOAD = re.compile(r'JSIIAssembly\.load\(\s*"([^"]+)",\s*"([^"]+)",\s*__name__\[0:-6\],\s*"([^"]+)"\s*\)')


@contextlib.contextmanager
def fast_kernel_start() -> Iterator[None]:
    """Import cdktf (and the provider modules) inside this: the kernel starts with the code cache and loads its
    assemblies while Python imports. If cdktf is loaded already, nothing changes."""
    pipeline_assembly_loads()
    with _environment(_code_cache_environment()):
        yield


def start_kernel_early() -> None:
    """Start the kernel and queue the loads of constructs, cdktf and the AWS provider now, before the env files
    are read (see the module docstring). Call it first thing, before `constructs_lib.config` is imported; it
    does nothing once cdktf is imported or when an assembly cannot be found."""
    if any(name in sys.modules for name in _EARLY_ASSEMBLIES):
        return
    loads = [_assembly_load(package) for package in _EARLY_ASSEMBLIES]
    try:
        import jsii
        from jsii._kernel.providers.process import ProcessProvider
    except ImportError:
        return
    if None in loads or not isinstance(jsii.kernel.provider, ProcessProvider):
        return
    pipeline_assembly_loads()
    quiet = {name: os.environ.get(name, value) for name, value in JSII_QUIET.items()}
    with _environment({**quiet, **_code_cache_environment()}):
        kernel_process = jsii.kernel.provider._process  # spawns Node; its hello is read with the first answers
    atexit.register(_stop_if_unused, kernel_process)  # runs before jsii's own stop (atexit is last in, first out)
    for name, version, tarball in loads:  # type: ignore[misc]
        jsii.kernel.load(name, version, tarball)


def _assembly_load(package: str) -> tuple[str, str, str] | None:
    """(name, version, tarball) of the package's assembly, read from its `_jsii/__init__.py` without importing."""
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


def _stop_if_unused(kernel_process: Any) -> None:
    """At exit: a kernel that only ever got loads (the input was invalid) is killed, not waited for."""
    if kernel_process.__dict__.get(_USED):
        return
    kernel_process._process.kill()
    with contextlib.suppress(OSError):
        kernel_process._process.stdin.close()
    kernel_process.stop()


def code_cache_dir() -> Path | None:
    """Where the kernel's code cache lives, or None when `ECS_CDKTF_CODE_CACHE` turns it off."""
    setting = os.environ.get(CODE_CACHE_SETTING)
    if setting is not None and setting.strip().lower() in _CODE_CACHE_OFF:
        return None
    if setting:
        return Path(setting).expanduser()
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ecs-cdktf" / "node-code-cache"


def _code_cache_environment() -> dict[str, str]:
    directory = code_cache_dir()
    if directory is None:
        return {}
    script = '"' + str(_CODE_CACHE_SCRIPT).replace("\\", "\\\\").replace('"', '\\"') + '"'
    node_options = " ".join(filter(None, [os.environ.get("NODE_OPTIONS", ""), f"--require {script}"]))
    return {"NODE_OPTIONS": node_options, _KERNEL_CACHE_DIR: str(directory.resolve())}


@contextlib.contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    """Set `values` while the kernel starts (jsii copies `os.environ` then), and put the old ones back after,
    so no other child process inherits them."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def pipeline_assembly_loads() -> None:
    """Make the kernel's load requests (and its start) not wait for their answers (see the module docstring).

    Only loads of a tarball that stays on disk, inside its installed `_jsii` package, are pipelined: a
    zip-imported package hands the kernel a temporary copy that is deleted as soon as the import returns."""
    try:
        from jsii._kernel.providers import process
        from jsii._kernel.types import LoadRequest, LoadResponse
    except ImportError:
        return
    node_process = getattr(process, "_NodeProcess", None)
    blocking_send = getattr(node_process, "send", None)
    blocking_handshake = getattr(node_process, "handshake", None)
    if blocking_send is None or blocking_handshake is None or getattr(node_process, _PIPELINED, False):
        return

    def handshake(self: Any) -> None:  # Node's hello is read with the first answers, not awaited at start
        self.__dict__[_HELLO_PENDING] = True

    def await_loads(self: Any) -> None:
        if self.__dict__.pop(_HELLO_PENDING, False):
            blocking_handshake(self)
        pending, self.__dict__[_PENDING_LOADS] = self.__dict__.get(_PENDING_LOADS, 0), 0
        for _ in range(pending):
            response = self._serializer.structure(self._next_message(), process._ProcessResponse)
            if not isinstance(response, process._OkayResponse):
                raise process.JSIIError(response.error) from process.JavaScriptError(response.stack)

    def send(self: Any, request: Any, response_type: Any) -> Any:
        if isinstance(request, LoadRequest) and _stays_on_disk(request.tarball):
            data = json.dumps(self._serializer.unstructure(request), default=process.jdefault).encode("utf8")
            self._process.stdin.write(b"%b\n" % (data,))
            self._process.stdin.flush()
            self.__dict__[_PENDING_LOADS] = self.__dict__.get(_PENDING_LOADS, 0) + 1
            return LoadResponse(assembly=request.name, types=0)
        self.__dict__[_USED] = True
        await_loads(self)
        return blocking_send(self, request, response_type)

    node_process.send = send
    node_process.handshake = handshake
    setattr(node_process, _PIPELINED, True)


def _stays_on_disk(tarball: str) -> bool:
    return os.path.isfile(os.path.join(os.path.dirname(tarball), "__init__.py"))
