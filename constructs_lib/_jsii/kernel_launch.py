"""Start the jsii kernel as one Node process instead of two, with the engine's token creation stacks skipped: part
of the fast kernel start (fast_kernel.py), on while the speed tricks are (`ECS_CDKTF_FAST=off` turns it off,
fast.py).

jsii's Python runtime starts `node jsii-runtime.js`, a launcher whose only job is to start the kernel
(`node --preserve-symlinks program.js`) as its own child and relay: Python's requests from its stdin to the
kernel's channel on file descriptor 3, the answers back to its stdout, and the kernel's own stdout and stderr,
wrapped as JSON lines, to its stderr. That second Node process holds about 45 MiB, and every request and answer
crosses its event loop twice: about a tenth of a 600-stack synth's time.

Here Python starts the kernel itself, with the arguments the launcher gives it, and is the other end of its
channel: a Unix socket pair, as the launcher's is, put on the kernel's descriptor 3 by `sh` (`exec ... 3<&N`),
which then runs Node in its own place. The kernel's stdout and stderr reach Python's `sys.stdout` and
`sys.stderr`, as they did through the launcher. Left out: the launcher's warning about the Node version, which
the library silences anyway (fast_kernel.JSII_QUIET), and its forwarding of signals, which now reach the kernel
directly, as nothing stands between.

The kernel also preloads data/kernel_token_stacks.js, which stops cdktf from recording a full stack trace for
every token it creates: they are read only by the text of an error (see that file).

Only on POSIX, with jsii's own runtime (no `JSII_RUNTIME` of the user's); otherwise jsii starts as it always does.
Either way, `kill` stops a kernel at once (an input that turned out invalid needs no kernel).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from . import fast

PROGRAM = "lib/program.js"  # the kernel, among jsii's embedded files
CHANNEL_FD = 3  # where program.js reads requests and writes answers
_CHANNEL_MARK = b"readFD:3,writeFD:3"
_TOKEN_STACKS_SCRIPT = Path(__file__).parent.parent / "data" / "kernel_token_stacks.js"


def launch_problem() -> str | None:
    """Why the kernel cannot be started directly here (jsii's launcher then starts it), or None."""
    if os.name != "posix" or shutil.which("sh") is None:
        return "no POSIX sh to hand the kernel its channel"
    if os.environ.get("JSII_RUNTIME"):
        return "JSII_RUNTIME names a runtime of its own"
    import jsii._embedded.jsii as embedded

    if PROGRAM not in embedded.EMBEDDED_FILES.values():
        return f"jsii embeds no {PROGRAM}"
    return None


def start(node_process: Any, launcher_start: Callable[[Any], None]) -> None:
    """jsii's `_NodeProcess.start` as the fast kernel start patches it: the kernel alone where it can be, else
    through jsii's launcher (`launcher_start`, jsii's own)."""
    if not fast.enabled() or launch_problem() is not None:
        launcher_start(node_process)
        return
    try:
        _start_alone(node_process)
    except BaseException:
        if not hasattr(node_process, "_process"):  # nothing started: jsii's finalizer must not try to stop it
            node_process.stop = lambda: None
        raise


def _start_alone(node_process: Any) -> None:
    """What jsii's `_NodeProcess.start` does, without the launcher: `node_process._process` is the kernel, and its
    `stdin` and `stdout` are the two directions of the channel, written and read as jsii does."""
    program = Path(node_process._jsii_runtime()).parent.parent / PROGRAM
    if _CHANNEL_MARK not in program.read_bytes():
        raise RuntimeError(f"jsii's {PROGRAM} does not talk on descriptor {CHANNEL_FD}")
    environ = {**os.environ, "JSII_AGENT": f"Python/{platform.python_version()}"}
    ours, theirs = socket.socketpair()
    with ours, theirs:  # the files made of `ours` keep it open; `theirs` is the kernel's
        fd = theirs.fileno()  # 3 itself when Python runs with its stdin closed: then it stays where it is
        moved = "" if fd == CHANNEL_FD else f" {CHANNEL_FD}<&{fd} {fd}<&-"
        kernel = subprocess.Popen(
            [
                shutil.which("sh") or "sh",
                "-c",
                f'exec "$@"{moved}',
                "jsii-kernel",
                environ.get("JSII_NODE", "node"),
                "--max-old-space-size=4069",  # jsii's, given to the launcher and by it to the kernel
                "--require",
                str(_TOKEN_STACKS_SCRIPT),
                "--preserve-symlinks",
                str(program),
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=environ,
            pass_fds=(fd,),
        )
        printed, errors = kernel.stdout, kernel.stderr
        kernel.stdin, kernel.stdout = ours.makefile("wb"), ours.makefile("rb")
    node_process._process = kernel
    # jsii's stop waits for its `sink_thread`: this one ends once both streams are copied to their end
    node_process.sink_thread = _relay(errors, "stderr", after=_relay(printed, "stdout"))
    atexit.register(node_process.stop)
    node_process.handshake()


def _relay(source: IO[bytes] | None, stream: str, after: threading.Thread | None = None) -> threading.Thread:
    """Copy what the kernel prints to Python's stream of that name, as jsii's launcher and stderr sink do; then
    wait for `after`."""

    def copy() -> None:
        assert source is not None
        with source:
            for line in iter(source.readline, b""):
                target = getattr(sys, stream)
                target.buffer.write(line)
                target.flush()
        if after is not None:
            after.join()

    thread = threading.Thread(name=f"jsii-kernel-{stream}", target=copy, daemon=True)
    thread.start()
    return thread


def kill(kernel_process: Any) -> None:
    """Stop a kernel without waiting for its loads: the kernel started alone, or jsii's launcher and its child, the
    Node kernel. Both are killed, the launcher first and silently (SIGTERM would make it print a channel error;
    killing it alone would leave the kernel to finish its load). Where /proc lists no children (not Linux), the
    launcher's kernel ends on its own once its load is done."""
    launcher = kernel_process._process  # the kernel itself when started alone
    try:
        children = Path(f"/proc/{launcher.pid}/task/{launcher.pid}/children").read_text().split()
    except OSError:
        children = []
    with contextlib.suppress(OSError):  # the launcher first: a child dying before it makes it print ECONNRESET
        launcher.kill()
    for child in children:
        with contextlib.suppress(OSError):
            os.kill(int(child), signal.SIGKILL)
    with contextlib.suppress(OSError):
        launcher.stdin.close()
    kernel_process.stop()
