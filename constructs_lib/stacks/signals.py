"""Synth's signal handling: SIGTERM, SIGINT and SIGHUP stop a synthesis (the staging folder is removed, the old
output kept), but wait while output.py moves files into place, so an outdir is never left half moved."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


class Interrupted(BaseException):
    """A signal arrived: raised outside the moves, so the staging folder is removed and the old output kept.
    A BaseException, so that no `except Exception` on the way (jsii's, the CLI's) swallows it."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@contextmanager
def signals_handled() -> Iterator[Callable[[], AbstractContextManager[None]]]:
    """SIGTERM, SIGINT and SIGHUP raise Interrupted, except inside `defer()`, which holds them until it ends.
    Signal handlers can only be set from the main thread: elsewhere the process's own handling applies."""
    pending: list[int] = []
    deferring = threading.Event()

    def handle(signum: int, _frame: object) -> None:
        if deferring.is_set():
            pending.append(signum)
        else:
            raise Interrupted(signum)

    @contextmanager
    def defer() -> Iterator[None]:
        deferring.set()
        try:
            yield
        finally:
            deferring.clear()
        if pending:
            raise Interrupted(pending[0])

    if threading.current_thread() is not threading.main_thread():
        yield defer
        return
    previous = {signum: signal.signal(signum, handle) for signum in SIGNALS}
    try:
        yield defer
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
