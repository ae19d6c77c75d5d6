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

Both reach into jsii's Python runtime (1.x); where its layout differs they stay off and synth is just slower.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any, Iterator

CODE_CACHE_SETTING = "ECS_CDKTF_CODE_CACHE"
_CODE_CACHE_OFF = {"", "0", "off", "false", "no", "disabled"}
_KERNEL_CACHE_DIR = "ECS_CDKTF_CODE_CACHE_DIR"  # what the preloaded script reads
_CODE_CACHE_SCRIPT = Path(__file__).parent / "data" / "kernel_code_cache.js"
_PIPELINED = "_ecs_cdktf_pipelined"
_PENDING_LOADS = "_ecs_cdktf_pending_loads"


@contextlib.contextmanager
def fast_kernel_start() -> Iterator[None]:
    """Import cdktf (and the provider modules) inside this: the kernel starts with the code cache and loads its
    assemblies while Python imports. If cdktf is loaded already, nothing changes."""
    pipeline_assembly_loads()
    with _environment(_code_cache_environment()):
        yield


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
    """Make the kernel's load requests not wait for their answers (see the module docstring).

    Only loads of a tarball that stays on disk, inside its installed `_jsii` package, are pipelined: a
    zip-imported package hands the kernel a temporary copy that is deleted as soon as the import returns."""
    try:
        from jsii._kernel.providers import process
        from jsii._kernel.types import LoadRequest, LoadResponse
    except ImportError:
        return
    node_process = getattr(process, "_NodeProcess", None)
    blocking_send = getattr(node_process, "send", None)
    if blocking_send is None or getattr(blocking_send, _PIPELINED, False):
        return

    def await_loads(self: Any) -> None:
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
        await_loads(self)
        return blocking_send(self, request, response_type)

    setattr(send, _PIPELINED, True)
    node_process.send = send


def _stays_on_disk(tarball: str) -> bool:
    return os.path.isfile(os.path.join(os.path.dirname(tarball), "__init__.py"))
