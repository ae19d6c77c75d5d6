"""Start the jsii kernel (the Node process that runs cdktf and the provider) fast, for this library's own entry
points: the CLI and `main.py` import cdktf inside `fast_kernel_start()`.

Before any construct exists the kernel loads three assemblies, and the AWS provider's makes it compile ~2,200
JavaScript files: about 2.5 s of Node time, the floor of every cdktf synth with this provider. Three things cut
what we pay of it and after, none changing a byte of the output (tests/test_fast_kernel.py compares):

- pipelined loads: a load request is written to the kernel without waiting for its answer, so Python imports
  the cdktf and provider modules (half a second) while Node loads; the answers are read, in order, before the
  first request of another kind, which needs the assemblies. A load that failed raises there.
- a V8 code cache (data/kernel_code_cache.js, preloaded into the kernel): compiled code is kept on disk and
  reused by the next synth instead of compiled again. It is on by default, in `$XDG_CACHE_HOME/ecs-cdktf`
  (`~/.cache/ecs-cdktf`); `ECS_CDKTF_CODE_CACHE=off` turns it off, `ECS_CDKTF_CODE_CACHE=/some/dir` moves it.
- the kernel alone (kernel_launch.py): Python starts the kernel itself rather than through jsii's launcher, a
  second Node process that relays every request and answer; and the kernel records no creation stack for the
  tokens it makes, which only error texts read.

The CLI's `synth` and `main.py` go one step further and call `start_kernel_early()` first thing, before the
config models (pydantic: 0.2 s to import) are even loaded, so the kernel starts and loads while Python reads
and validates the env files. A process that then ends without using the kernel (invalid input) stops it at
once rather than waiting for its loads.

All of this reaches into jsii's Python runtime, so it checks first (fast_checks.py) and, on a mismatch or any
exception, undoes itself (`_give_up`) and falls back to jsii's own start, as `ECS_CDKTF_FAST=off` (fast.py) does.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import importlib
import json
import os
import sys
from collections.abc import Iterator
from types import ModuleType
from typing import Any, cast

from . import fast, fast_checks, fast_void, kernel_launch
from .code_cache import code_cache_environment

# jsii warns on every start that Node 20 is past end-of-life; the warning is not actionable for our users.
JSII_QUIET = {
    "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
    "JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION": "1",
}

_PIPELINED = "_ecs_cdktf_pipelined"
_AWAIT_LOADS = "_ecs_cdktf_await_loads"
_PENDING_LOADS = "_ecs_cdktf_pending_loads"
_HELLO_PENDING = "_ecs_cdktf_hello_pending"


class _Pipelining:
    """When load requests are pipelined: from `start_kernel_early()` to the first request of another kind, and
    inside `fast_kernel_start()`. Outside that window the patched kernel process behaves as jsii's own."""

    early = False
    depth = 0

    @classmethod
    def active(cls) -> bool:
        return cls.early or cls.depth > 0


class _Done:
    """What the kernel tricks did in this process, so that a fallback can undo it."""

    checked = False  # fast_checks found the pinned jsii, with every internal the tricks use
    owns_jsii = False  # jsii was first imported by the tricks: a fallback may forget it and start it afresh
    kernels: list[Any] = []  # the kernel processes started while jsii's process class was patched
    replaced: list[tuple[Any, str, Any]] = []  # (jsii's process class, attribute, what it was: None if absent)


@contextlib.contextmanager
def fast_kernel_start() -> Iterator[None]:
    """Import cdktf (and the provider modules) inside this: the kernel starts with the code cache and loads its
    assemblies while Python imports. If cdktf is loaded already, or `ECS_CDKTF_FAST=off`, nothing changes."""
    if not _start_tricks():
        yield
        return
    _Pipelining.depth += 1
    try:
        with _environment(code_cache_environment()):
            yield
    finally:
        _Pipelining.depth -= 1


def import_fast(module: str) -> ModuleType:
    """Import `module` (one that imports cdktf and the constructs) inside `fast_kernel_start()`, then turn off the
    bindings' Python-side type checks (fast_bindings.py): how the CLI and `main.py` load what they synthesize.

    Every answer of the pipelined loads is read before the bindings are checked, so no trick runs later. If the
    bindings differ, or anything in the tricks raised, the tricks are undone and `module` is imported plainly
    (an error of the module itself is raised there again, as jsii reports it). A jsii imported by someone else
    is left alone: only the bindings trick applies."""
    from .fast_bindings import binding_problem, skip_binding_type_checks

    if not fast.enabled() or ("jsii" in sys.modules and not _Done.owns_jsii):
        loaded = importlib.import_module(module)
    else:
        known, _Done.owns_jsii = set(sys.modules), True
        try:
            with fast_kernel_start():
                loaded = importlib.import_module(module)
                for kernel in _Done.kernels:
                    getattr(kernel, _AWAIT_LOADS)()
                _Pipelining.early = False
            problem = binding_problem() if fast.enabled() else None
        except Exception as error:  # noqa: BLE001 - whatever it was, the plain import below runs without tricks
            problem = f"{type(error).__name__} in the fast import: {error}"
        if problem is not None:
            _give_up(problem, forget=set(sys.modules) - known)
            loaded = importlib.import_module(module)
    skip_binding_type_checks()
    return loaded


def start_kernel_early() -> None:
    """Start the kernel and queue the loads of constructs, cdktf and the AWS provider now, before the env files
    are read (see the module docstring). Call it first thing, before `constructs_lib.config` is imported, then
    import cdktf inside `fast_kernel_start()`. It does nothing when jsii is loaded already (its kernel may be in
    use), and raises nothing: whatever fails here is undone, and the tricks fall back. `ECS_CDKTF_FAST=off` turns
    it off."""
    if "jsii" in sys.modules or not fast.enabled():
        return
    _Done.owns_jsii = True
    loads = fast_checks.early_loads()
    if isinstance(loads, str):
        fast.fall_back(loads)
        return
    if not _start_tricks():
        return
    try:
        import jsii

        _Pipelining.early = True
        quiet = {name: os.environ.get(name, value) for name, value in JSII_QUIET.items()}
        with _environment({**quiet, **code_cache_environment()}):
            kernel_process = getattr(jsii.kernel.provider, "_process")  # noqa: B009 - private; spawns Node; its hello is read with the first answers
        atexit.register(_stop_if_unused, kernel_process)  # runs before jsii's own stop (last in, first out)
        for name, version, tarball in loads:
            jsii.kernel.load(name, version, tarball)
    except Exception as error:  # noqa: BLE001 - undone; the import of cdktf then starts jsii as it always does
        _give_up(f"{type(error).__name__} in the early kernel start: {error}", forget=set())


def _start_tricks() -> bool:
    """Check, then patch: True when the kernel tricks are on. Otherwise nothing is left patched, and the tricks
    fell back (or `ECS_CDKTF_FAST=off`)."""
    if not fast.enabled():
        return False
    if not _Done.checked:
        problem = fast_checks.jsii_problem() or fast_checks.missing_internal()
        if problem is not None:
            fast.fall_back(problem)
            return False
        _Done.checked = True
    try:
        _patch_kernel_process()
    except Exception as error:  # noqa: BLE001 - undone below
        _give_up(f"{type(error).__name__} patching jsii's kernel process: {error}", forget=set())
        return False
    return True


def _give_up(reason: str, forget: set[str]) -> None:
    """Fall back, and leave jsii as if no trick had touched it: the kernels the tricks started are stopped, jsii's
    process class gets its own methods back, and when the tricks imported jsii, it and the modules in `forget`
    (imported while they ran) are forgotten, so the plain import that follows starts jsii afresh."""
    fast.fall_back(reason)
    _Pipelining.early = False
    for kernel in _Done.kernels:
        with contextlib.suppress(Exception):  # a kernel that did not start far enough to be stopped
            kernel_launch.kill(kernel)
    _Done.kernels.clear()
    for owner, name, value in reversed(_Done.replaced):
        if value is None:
            delattr(owner, name)
        else:
            setattr(owner, name, value)
    _Done.replaced.clear()
    if _Done.owns_jsii:
        for name in forget | {name for name in sys.modules if name == "jsii" or name.startswith("jsii.")}:
            sys.modules.pop(name, None)


def _stop_if_unused(kernel_process: Any) -> None:
    """At exit: a kernel that only ever got loads (the input was invalid) is stopped at once, not waited for."""
    if _Pipelining.early:  # otherwise the kernel got a request of another kind: it is in use, jsii stops it
        kernel_launch.kill(kernel_process)


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


def _patch_kernel_process() -> None:
    """Patch jsii's kernel process (checked by `fast_checks.missing_internal()` first) so that, while
    `_Pipelining.active`, load requests (and its start) do not wait for their answers (see the module docstring).

    Only loads of a tarball that stays on disk, inside its installed `_jsii` package, are pipelined: a
    zip-imported package hands the kernel a temporary copy that is deleted as soon as the import returns."""
    from jsii._kernel.providers import process
    from jsii._kernel.types import LoadRequest, LoadResponse

    node_process = process._NodeProcess
    if getattr(node_process, _PIPELINED, False):
        return
    blocking_send, blocking_handshake = node_process.send, node_process.handshake
    start = functools.partialmethod(kernel_launch.start, launcher_start=node_process.start)

    def handshake(self: Any) -> None:
        _Done.kernels.append(self)
        if _Pipelining.active():  # Node's hello is read with the first answers, not awaited at start
            self.__dict__[_HELLO_PENDING] = True
        else:
            blocking_handshake(self)

    def await_loads(self: Any) -> None:
        """Read every pending answer, in order; raise the first failure as jsii's `send` would: no stale answer."""
        if self.__dict__.get(_HELLO_PENDING):
            blocking_handshake(self)
            self.__dict__[_HELLO_PENDING] = False
        failure = None
        if self.__dict__.get(_PENDING_LOADS, 0):
            self._process.stdin.flush()  # void calls are written unflushed (fast_void.py)
        while self.__dict__.get(_PENDING_LOADS, 0):  # counted down per answer: an interrupt leaves no stale one
            response = self._serializer.structure(self._next_message(), process._ProcessResponse)
            self.__dict__[_PENDING_LOADS] -= 1
            if failure is None and not isinstance(response, process._OkayResponse):
                failure = response
        if isinstance(failure, process._CallbackResponse):  # a void call called back: no way to answer it now
            raise RuntimeError(f"the jsii kernel called back into Python during a call written unanswered: {failure}")
        if failure is not None:
            kind = process.JSIIError if failure.name == process.ErrorType.JSII_FAULT.value else RuntimeError
            raise kind(failure.error) from cast(Any, process.JavaScriptError)(failure.stack)

    def send(self: Any, request: Any, response_type: Any) -> Any:
        if _Pipelining.active() and isinstance(request, LoadRequest) and _stays_on_disk(request.tarball):
            data = json.dumps(self._serializer.unstructure(request), default=process.jdefault).encode("utf8")
            self._process.stdin.write(b"%b\n" % (data,))
            self._process.stdin.flush()
            self.__dict__[_PENDING_LOADS] = self.__dict__.get(_PENDING_LOADS, 0) + 1
            return LoadResponse(assembly=request.name, types=0)
        answer = fast_void.write_without_answer(self, request, self.__dict__.get(_PENDING_LOADS, 0))
        if answer is not None:
            self.__dict__[_PENDING_LOADS] = self.__dict__.get(_PENDING_LOADS, 0) + 1
            return answer
        _Pipelining.early = False
        await_loads(self)
        return blocking_send(self, request, response_type)

    patches = (("start", start), ("send", send), ("handshake", handshake), (_AWAIT_LOADS, await_loads))
    for name, value in (*patches, (_PIPELINED, True)):
        _Done.replaced.append((node_process, name, vars(node_process).get(name)))
        setattr(node_process, name, value)


def _stays_on_disk(tarball: str) -> bool:
    return os.path.isfile(os.path.join(os.path.dirname(tarball), "__init__.py"))
