"""`"extends": "base.json"`: an env file may name a base file whose keys it overrides (deep merge, lists replaced),
as Copilot's environment overrides do. Every value remembers the file it came from, so an error names the file
and field where the value was written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

Location = tuple[Any, ...]
ReadJson = Callable[[Path], Any]
MAX_DEPTH = 10


class ExtendsError(Exception):
    """A problem of the `extends` chain itself, already formatted as `FILE: extends: ...`."""


def resolve_extends(path: Path, read_json: ReadJson) -> tuple[Any, dict[Location, str]]:
    """The merged data of `path` and its bases, and for each location the file that set it. Bases lie in the
    folder of `path` or below: an env file never reads files elsewhere on the machine of whoever validates it."""
    chain = [path]
    data = read_json(path)
    layers = [(path, data)]
    while isinstance(data, dict) and "extends" in data:
        base_name = data["extends"]
        if not isinstance(base_name, str) or not base_name.endswith(".json"):
            raise ExtendsError(
                f"{chain[-1]}: extends: {base_name!r} is not a file name; allowed: a relative path to a .json file"
            )
        base = chain[-1].parent / base_name
        if Path(base_name).is_absolute() or not base.resolve().is_relative_to(path.parent.resolve()):
            raise ExtendsError(
                f"{chain[-1]}: extends: {base_name!r} is outside the folder of {path}; allowed: a relative path to a "
                "file in that folder or below"
            )
        if base.resolve() in {p.resolve() for p in chain}:
            cycle = " -> ".join(str(p) for p in [*chain, base])
            raise ExtendsError(f"{chain[-1]}: extends: {base_name!r} makes a cycle: {cycle}")
        if len(chain) > MAX_DEPTH:
            raise ExtendsError(f"{chain[-1]}: extends: more than {MAX_DEPTH} levels of bases")
        chain.append(base)
        data = read_json(base)
        layers.append((base, data))
    merged: Any = {}
    origins: dict[Location, str] = {}
    for file, layer in reversed(layers):
        if not isinstance(layer, dict):
            return layer, {(): str(file)}
        layer = {k: v for k, v in layer.items() if k != "extends"}
        merged = _merge(merged, layer, (), str(file), origins)
    return merged, origins


def _merge(base: Any, override: Any, at: Location, file: str, origins: dict[Location, str]) -> Any:
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for key, value in override.items():
            merged[key] = _merge(base.get(key), value, (*at, key), file, origins)
        return merged
    for location in [loc for loc in origins if loc[: len(at)] == at]:
        del origins[location]
    origins[at] = file
    return override


def origin_of(location: Location, origins: dict[Location, str], default: str) -> str:
    """The file that wrote the value at `location` (or its nearest written ancestor)."""
    for length in range(len(location), -1, -1):
        found = origins.get(tuple(location[:length]))
        if found is not None:
            return found
    return default
