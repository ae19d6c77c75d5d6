"""Void requests written without waiting for their answers: part of the fast kernel start's patch of jsii's kernel
process (fast_kernel.py), on while the speed tricks are (`ECS_CDKTF_FAST=off` turns it off, fast.py).

Every resource of the library sets its address with `overrideLogicalId` right after construction, and the stacks
add their `terraform` and `removed` blocks with `addOverride`: a third of the round trips to the jsii kernel in a
600-stack synth, each one a wait for Node's answer, which is empty. cdktf's `TerraformElement` methods of those
names return nothing and call nothing back in Python, so the request is written (and not even flushed), and its
answer is read, in order, before the next request that needs one: the kernel handles the requests in the order
written, exactly as before. A failure of one is raised there, by the next request that waits, with jsii's own
exception and message. Only so many answers are left waiting, so that Node never blocks on a full pipe.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from . import fast

VOID_METHODS = frozenset({"overrideLogicalId", "addOverride"})
MAX_PENDING = 256  # answers of a few bytes each: far below a pipe's 64 KiB
_LIBRARY_CALL: ContextVar[bool] = ContextVar("ecs_cdktf_library_void_call", default=False)


@contextlib.contextmanager
def unanswered() -> Iterator[None]:
    """Around the library's own void calls: they may be written without waiting for their answers."""
    token = _LIBRARY_CALL.set(True)
    try:
        yield
    finally:
        _LIBRARY_CALL.reset(token)


def write_without_answer(kernel_process: Any, request: Any, pending: int) -> Any | None:
    """Write `request` if it is a void call that may go without waiting, and give the answer jsii would have
    structured (no result); None when it must be sent as jsii sends it."""
    from jsii._kernel.providers import process
    from jsii._kernel.types import InvokeRequest, InvokeResponse

    if (
        pending >= MAX_PENDING
        or not _LIBRARY_CALL.get()
        or not isinstance(request, InvokeRequest)
        or request.method not in VOID_METHODS
        or process._stack_traces_enabled()  # jsii adds the Python stack to each request: kept as jsii sends it
        or not fast.enabled()
    ):
        return None
    data = json.dumps(kernel_process._serializer.unstructure(request), default=process.jdefault).encode("utf8")
    kernel_process._process.stdin.write(b"%b\n" % (data,))
    return InvokeResponse(result=None)
