"""Reads one env file into JSON data, or raises ConfigError saying what is wrong with the file itself.

Only regular files are read, and only up to a size cap: a FIFO would block `validate` forever, a device or a
huge file would be read to no end. JSON numbers Python would turn into infinities or NaN (`1e400`, `Infinity`,
`NaN`) are refused with the field that holds them: Terraform and AWS take neither.
"""

from __future__ import annotations

import json
import math
import os
import stat
from pathlib import Path
from typing import Any

from ..props.limits import MAX_ENV_FILE_BYTES
from .errors import NOT_FINITE, ConfigError, location

_SPECIAL_FILES = (
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class _NotFinite:
    """A number JSON allows but Terraform cannot hold, kept until its field path is known."""

    def __init__(self, text: str):
        self.text = text


def read_json(path: Path) -> Any:
    """The parsed content of the env file at `path` (a symlink is followed)."""
    text = _read_text(path)
    if not text.strip():
        raise ConfigError([f"{path}: is empty; an env file is a JSON object"])
    duplicates: list[str] = []
    try:
        data = json.loads(
            text,
            object_pairs_hook=lambda pairs: _object_without_duplicates(pairs, duplicates),
            parse_constant=_NotFinite,
            parse_float=_float,
        )
    except json.JSONDecodeError as error:
        raise ConfigError(
            [f"{path}: not valid JSON: {error.msg} at line {error.lineno} column {error.colno}"]
        ) from None
    except RecursionError:
        raise ConfigError([f"{path}: not valid JSON: nested too deeply"]) from None
    except ValueError as error:  # e.g. an integer literal longer than Python converts
        raise ConfigError([f"{path}: not valid JSON: {error}"]) from None
    if duplicates:
        raise ConfigError(
            [
                f"{path}: duplicate key {json.dumps(k)}: a key may appear once per object (the last would win silently)"
                for k in duplicates
            ]
        )
    problems = [
        f"{path}: {location(at) or '(top level)'}: {value.text} {NOT_FINITE}" for at, value in _not_finite(data, ())
    ]
    if problems:
        raise ConfigError(problems)
    return data


def _read_text(path: Path) -> str:
    """The file's text; opened without blocking (a FIFO), checked to be a regular file before any read."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise ConfigError([f"{path}: no such file"]) from None
    except IsADirectoryError:
        raise ConfigError([f"{path}: is a directory; an env file is a JSON file"]) from None
    except OSError as error:
        raise ConfigError([f"{path}: cannot be read: {error.strerror}"]) from None
    try:
        content = _read_regular(path, descriptor)
    finally:
        os.close(descriptor)
    if len(content) > MAX_ENV_FILE_BYTES:
        raise ConfigError([f"{path}: larger than {MAX_ENV_FILE_BYTES} bytes (1 MiB), the most an env file may be"])
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ConfigError([f"{path}: not valid UTF-8: byte {error.start} cannot be decoded"]) from None


def _read_regular(path: Path, descriptor: int) -> bytes:
    """Up to one byte past the cap, after checking that the open file is a regular one."""
    mode = os.fstat(descriptor).st_mode
    if stat.S_ISDIR(mode):
        raise ConfigError([f"{path}: is a directory; an env file is a JSON file"])
    kind = next(
        (name for test, name in _SPECIAL_FILES if test(mode)), None if stat.S_ISREG(mode) else "not a regular file"
    )
    if kind is not None:
        raise ConfigError([f"{path}: is {kind}; an env file is a regular file"])
    chunks, size = [], 0
    try:
        while size <= MAX_ENV_FILE_BYTES and (chunk := os.read(descriptor, MAX_ENV_FILE_BYTES + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
    except OSError as error:
        raise ConfigError([f"{path}: cannot be read: {error.strerror}"]) from None
    return b"".join(chunks)


def _float(text: str) -> Any:
    value = float(text)
    return value if math.isfinite(value) else _NotFinite(text)


def _not_finite(data: Any, root: tuple[Any, ...]) -> list[tuple[tuple[Any, ...], _NotFinite]]:
    """Every non-finite number and its location, in file order (a loop: the data may nest deeply)."""
    found = []
    pending: list[tuple[tuple[Any, ...], Any]] = [(root, data)]
    while pending:
        at, value = pending.pop()
        if isinstance(value, _NotFinite):
            found.append((at, value))
        elif isinstance(value, dict):
            pending += reversed([((*at, key), item) for key, item in value.items()])
        elif isinstance(value, list):
            pending += reversed([((*at, index), item) for index, item in enumerate(value)])
    return found


def _object_without_duplicates(pairs: list[tuple[str, Any]], duplicates: list[str]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result and key not in duplicates:
            duplicates.append(key)
        result[key] = value
    return result
