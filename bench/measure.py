"""Run one command and measure its wall time and the peak memory of its whole process tree (Linux).

Peak memory is the sum, over every process of the tree (Python and the Node child that jsii starts), of that
process's own peak resident set (`VmHWM` in `/proc/<pid>/status`). `VmHWM` only grows, so a poller that reads
it every few tens of milliseconds loses at most the growth of a process's last poll interval before it exits.
`/usr/bin/time` cannot give this: its `maxrss` is the largest single process, not the sum of the tree.
CPU time comes from `wait4`: the command's own and that of the descendants it waited for (jsii waits for
its Node process), less sensitive than wall time to other work on the machine.

Standard library only; the poller runs in a thread of this (otherwise waiting) process.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

POLL_SECONDS = 0.05  # read the peaks of the known processes this often
DISCOVER_EVERY = 4  # and rescan /proc for new descendants every this many polls (a scan costs ~1.5 ms)


@dataclass(frozen=True)
class Sample:
    """One run of one command."""

    wall_seconds: float
    peak_rss_bytes: int  # sum over the process tree of each process's peak RSS
    cpu_seconds: float  # user + system CPU time of the command and the descendants it waited for
    processes: int  # how many processes of the tree the poller saw
    returncode: int


class CommandFailed(RuntimeError):
    """The measured command failed; carries the tail of its output."""

    def __init__(self, returncode: int | None, output: str, command: Sequence[str] = ()) -> None:
        lines = [line for line in output.strip().splitlines() if line.strip()]
        self.summary = f"exited {returncode}: {lines[-1] if lines else '(no output)'}"
        if returncode is None:  # not an exit status: the check that failed says it all
            self.summary = output
        super().__init__(f"{' '.join(command)}\n{self.summary}\n{output}" if command else self.summary)


def _parent_pids() -> dict[int, int]:
    """pid -> ppid for every process visible in /proc."""
    parents: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stat:
                data = stat.read()
        except OSError:  # exited meanwhile
            continue
        # the command name (field 2) is in parentheses and may hold spaces: split after the last ')'
        fields = data[data.rindex(b")") + 2 :].split()
        parents[int(entry.name)] = int(fields[1])
    return parents


def _tree(root: int) -> list[int]:
    """The root and all its descendants, now."""
    children: dict[int, list[int]] = {}
    for pid, ppid in _parent_pids().items():
        children.setdefault(ppid, []).append(pid)
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, ()))
    return found


def _peak_rss_bytes(pid: int) -> int | None:
    """The process's peak resident set (VmHWM) in bytes, or None once it is gone or a zombie."""
    try:
        with open(f"/proc/{pid}/status", "rb") as status:
            for line in status:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def _start_time(pid: int) -> str | None:
    """Field 22 of /proc/<pid>/stat: tells a reused pid apart from the process that had it before."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            data = stat.read()
    except OSError:
        return None
    return data[data.rindex(b")") + 2 :].split()[19].decode()


class TreePeakMonitor(threading.Thread):
    """Polls a process tree and keeps, per process, its VmHWM as last seen."""

    def __init__(self, root: int, interval: float = POLL_SECONDS) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.interval = interval
        self.peaks: dict[tuple[int, str], int] = {}
        self._known: list[int] = []
        self._done = threading.Event()

    def poll(self, discover: bool = True) -> None:
        """Read the peak of every process of the tree; `discover` rescans /proc for new descendants."""
        if discover or not self._known:
            self._known = _tree(self.root)
        for pid in self._known:
            started = _start_time(pid)
            rss = _peak_rss_bytes(pid)
            if started is None or rss is None:
                continue
            # VmHWM only grows within one address space, so the latest reading is the peak; a lower reading
            # means the process has exec'd since (before that, a fork or vfork child shows its parent's pages)
            self.peaks[(pid, started)] = rss

    def run(self) -> None:
        polls = 0
        while not self._done.is_set():
            self.poll(discover=polls % DISCOVER_EVERY == 0)
            polls += 1
            self._done.wait(self.interval)

    def stop(self) -> None:
        self._done.set()
        self.join()

    @property
    def total(self) -> int:
        return sum(self.peaks.values())


def run(
    command: Sequence[str],
    *,
    cwd: str | Path | None = None,
    env: Mapping[str, str] | None = None,
    interval: float = POLL_SECONDS,
    check: bool = True,
) -> Sample:
    """Run `command` to completion; return its wall time and the summed peak RSS of its process tree.

    The command's output goes to a temporary file (a chatty command costs nothing on the terminal) and is
    shown in the error when it fails and `check` is set.
    """
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        process = subprocess.Popen(
            list(command),
            cwd=cwd,
            env=dict(env) if env is not None else None,
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        monitor = TreePeakMonitor(process.pid, interval)
        monitor.start()
        # reap the child ourselves: wait4 also gives the exact peak RSS of the largest single process of
        # the tree (the child or a descendant it waited for), a lower bound of the sum that the poller may
        # miss for a command shorter than one poll interval
        try:
            _, status, usage = os.wait4(process.pid, 0)
        except BaseException:  # interrupted: do not leave the command running (jsii's Node exits with it)
            process.kill()
            os.wait4(process.pid, 0)
            monitor.stop()
            raise
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        monitor.stop()
        total = max(monitor.total, usage.ru_maxrss * 1024)  # ru_maxrss is in KiB on Linux
        if check and process.returncode != 0:
            output.seek(0)
            tail = output.read().decode(errors="replace")[-2000:]
            raise CommandFailed(process.returncode, tail, command)
    cpu = usage.ru_utime + usage.ru_stime
    return Sample(wall, total, cpu, max(len(monitor.peaks), 1), process.returncode)
