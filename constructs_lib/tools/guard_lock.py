"""The guard's lock file (stacks.lock.json): read with its shape checked, so a hand-edited or merge-broken lock is
one clear line (`FILE: stacks.x.resources: expected an object`), never a traceback or a silently passing guard.

Version 2 records each stack's state location and provider region beside its resources; a version 1 lock (before
state locations were recorded) is still read, its state locations unknown until the next `--update`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .force_new import identity

LOCK_VERSION = 2
READABLE_VERSIONS = (1, 2)


class LockError(ValueError):
    """The lock file is not one this tool wrote: `FILE: field: what is wrong`."""


def read_lock(path: Path) -> tuple[dict[str, dict[str, Any]], str | None] | None:
    """The stacks recorded in the lock, in version 2 shape, and which force_new.json data chose their values;
    None when there is no lock yet."""
    if not path.exists():
        return None
    try:
        document = json.loads(path.read_text())
    except OSError as error:
        raise LockError(f"{path}: cannot be read ({error.strerror})") from None
    except ValueError as error:  # UnicodeDecodeError is one too
        raise LockError(f"{path}: not valid JSON ({error})") from None
    _expect(path, "", document, dict)
    version = document.get("version")
    if version not in READABLE_VERSIONS:
        raise LockError(f"{path}: version: {version!r} is not one of {list(READABLE_VERSIONS)}")
    stacks = _expect(path, "stacks", document.get("stacks"), dict)
    data = document.get("force_new")
    return {name: _stack(path, f"stacks.{name}", body, version) for name, body in stacks.items()}, data


def _stack(path: Path, field: str, body: Any, version: int) -> dict[str, Any]:
    _expect(path, field, body, dict)
    if version == 1:  # {address: attributes}
        resources, state, region = body, None, None
    else:
        resources = _expect(path, f"{field}.resources", body.get("resources"), dict)
        state, region = body.get("state"), body.get("region")  # null: recorded from a version 1 lock
        if state is not None:
            for key, value in _expect(path, f"{field}.state", state, dict).items():
                _expect(path, f"{field}.state.{key}", value, str)
        if region is not None:
            _expect(path, f"{field}.region", region, str)
    for address, attributes in resources.items():
        _expect(path, f"{field}.resources.{address}" if version > 1 else f"{field}.{address}", attributes, dict)
    return {"state": state, "region": region, "resources": resources}


def _expect(path: Path, field: str, value: Any, kind: type) -> Any:
    if not isinstance(value, kind):
        what = "an object" if kind is dict else "a string"
        raise LockError(f"{path}: {field or 'the top level'}: expected {what}, found {json.dumps(value)[:60]}")
    return value


def write_lock(path: Path, stacks: dict[str, dict[str, Any]]) -> None:
    document = {"version": LOCK_VERSION, "force_new": identity(), "stacks": stacks}
    path.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n")
