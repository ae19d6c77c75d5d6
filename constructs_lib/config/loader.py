"""Turns an env file into a validated `EnvConfig`, or into every problem it has, each naming file and field."""

from __future__ import annotations

import difflib
import sys
import types
import typing
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Union

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from ..props.base import RULE_ERROR_TYPE
from ..props.base import json_type as _json_type
from ..props.base import show as _show
from ..props.deployment import provider6_features
from .collisions import collisions
from .env import EnvConfig
from .errors import NOT_FINITE, ConfigError, location
from .extends import ExtendsError, origin_of, resolve_extends
from .policy import evaluate_policy
from .reading import read_json


def load_env_file(path: str | Path) -> EnvConfig:
    """Read, parse and validate one env file (with its `extends` bases); raises ConfigError listing all its
    problems, each naming the file that wrote the value."""
    path = Path(path)
    try:
        data, origins = resolve_extends(path, read_json)
    except ExtendsError as error:
        raise ConfigError([str(error)]) from None
    return validate_env_data(data, str(path), origins)


def load_env_files(paths: Sequence[str | Path], *, warn: bool = False, one_deployment: bool = True) -> list[EnvConfig]:
    """Load every file, then raise one ConfigError with the problems of all of them. With `one_deployment` (the
    files are synthesized and applied side by side), names two files would share (stacks, state keys, DNS names,
    AWS resources) are problems too; `diff` compares files instead. With `warn`, print each file's warnings."""
    envs: list[EnvConfig] = []
    loaded: list[tuple[str, EnvConfig]] = []
    problems: list[str] = []
    for path in paths:
        try:
            env = load_env_file(path)
        except ConfigError as error:
            problems += error.problems
            continue
        envs.append(env)
        loaded.append((str(path), env))
        if warn:
            for line in policy_warnings(env) + provider6_warnings(env):
                print(f"{path}: {line}", file=sys.stderr)
    problems += [
        f"{loaded[found.env_index][0]}: {location(found.loc)}: {found.message}"
        for found in (collisions(loaded) if one_deployment else [])
        if found.first_env_index != found.env_index  # within one file: reported by its EnvConfig already
    ]
    if problems:
        raise ConfigError(problems)
    return envs


def validate_env_data(data: Any, source: str, origins: dict[tuple[Any, ...], str] | None = None) -> EnvConfig:
    if not isinstance(data, dict):
        raise ConfigError([f"{source}: top level is {_json_type(data)}; an env file is a JSON object"])
    try:
        env = EnvConfig.model_validate(data)
    except ValidationError as error:
        raise ConfigError(
            [f"{_attributed(loc, origins or {}, source)}: {text}" for loc, text in describe_errors(error)]
        ) from None
    return env


def policy_warnings(env: EnvConfig) -> list[str]:
    """`path: warning: message (policy.rule)` lines of the rules set to warn."""
    return [finding.line() for finding in evaluate_policy(env) if finding.severity == "warning"]


def provider6_warnings(env: EnvConfig) -> list[str]:
    """`path: warning: ...` per service whose keys synthesize arguments only AWS provider 6.x knows: the stacks
    accept `>= 5.100`, so a 5.x user learns it here rather than from `terraform validate`."""
    lines = []
    for key, workloads in (("services", env.services), ("workers", env.workers)):
        for index, workload in enumerate(workloads):
            found = provider6_features(workload.deployment, getattr(workload, "deployment_ownership", "terraform"))
            if found:
                lines.append(
                    f"{key}[{index}]: warning: {', '.join(found)} need AWS provider 6.x (the "
                    "deployment_configuration block); terraform with provider 5.x rejects the stack"
                )
    return lines


def format_validation_error(error: ValidationError) -> list[str]:
    return [text for _, text in describe_errors(error)]


def describe_errors(error: ValidationError, root: type[BaseModel] | None = None) -> list[tuple[tuple[Any, ...], str]]:
    """(location, `path: message`) per problem."""
    return [
        (tuple(item["loc"]), f"{location(item['loc']) or '(top level)'}: {_describe(item, root or EnvConfig)}")
        for item in error.errors(include_url=False)
    ]


def _attributed(loc: tuple[Any, ...], origins: dict[tuple[Any, ...], str], source: str) -> str:
    """The file that wrote the value; a value from a base file also names the file that extends it."""
    origin = origin_of(loc, origins, source)
    return origin if origin == source else f"{origin} (extended by {source})"


def _describe(item: ErrorDetails, root: type[BaseModel]) -> str:
    kind = item["type"]
    given = item.get("input")
    if kind == RULE_ERROR_TYPE:
        return str(item["msg"])
    if kind == "missing":
        return "missing: this key is required"
    if kind == "extra_forbidden":
        return _unknown_key(item["loc"], root)
    message = item["msg"]
    if kind == "float_type" and isinstance(given, int) and not isinstance(given, bool):  # an integer past 1e308
        return f"{_show(given)} {NOT_FINITE}"
    if kind.endswith("_type"):
        return f"{_show(given)} is {_json_type(given)}; {message[0].lower()}{message[1:]}"
    if kind == "string_pattern_mismatch":
        return f"{_show(given)} is not allowed; it must match {item['ctx']['pattern']}"
    return f"{_show(given)}: {message[0].lower()}{message[1:]}"


def _unknown_key(loc: tuple[Any, ...], root: type[BaseModel]) -> str:
    key = str(loc[-1])
    model = _model_at(loc[:-1], root)
    explain = getattr(model, "unknown_key_reason", None)
    reason = explain(key) if explain is not None else None
    if reason:
        return str(reason)
    allowed = [f.alias or name for name, f in model.model_fields.items()] if model else []
    hint = (
        difflib.get_close_matches(key, allowed, n=1)
        or [a for a in allowed if key and (a.startswith(key) or key in a)][:1]
    )
    if hint:
        return f"unknown key (did you mean {hint[0]!r}?)"
    return f"unknown key; allowed keys: {', '.join(allowed) if allowed else 'none'}"


def _model_at(loc: tuple[Any, ...], root: type[BaseModel]) -> type[BaseModel] | None:
    """The model found at `loc`, walking field annotations from `root` (the EnvConfig, or a props model) down."""
    annotation: Any = root
    for part in loc:
        annotation = _unwrap(annotation)
        if isinstance(part, int) or (isinstance(part, str) and _is_mapping(annotation)):
            annotation = _element_type(annotation)
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            field = annotation.model_fields.get(part) or next(
                (f for f in annotation.model_fields.values() if f.alias == part), None
            )
            if field is None:
                return None
            annotation = field.annotation
        else:
            return None
    annotation = _unwrap(annotation)
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            members = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = members[0]
        else:
            return annotation


def _is_mapping(annotation: Any) -> bool:
    return typing.get_origin(annotation) is dict


def _element_type(annotation: Any) -> Any:
    args = typing.get_args(annotation)
    return args[-1] if args else Any
