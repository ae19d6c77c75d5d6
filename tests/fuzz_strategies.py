"""Hypothesis strategies for test_fuzz.py: broken env files, each paired with the problem it must cause.

Every case starts from a shipped env file (envs/*.json) and breaks it in one of these ways:

- structural mutations of the parsed document, one to three per file, each in its own scope (a service, or a
  top-level key) so that no mutation can hide another's problem: type swaps, dropped required keys, unknown
  keys, out-of-range numbers, wrong nesting (object where a list is expected and vice versa), empty strings,
  characters AWS does not allow in a name, and unset optional keys whose consequence is known (for example
  dropping `cpu` leaves the default 256, which a memory of 1024 does not fit);
- byte-level breakage: non-UTF-8 bytes, text that is not JSON, empty files, JSON that is not an object,
  integers too long to parse, nesting too deep;
- a directory, or nothing at all, where the file should be.

The expected problem of a structural mutation is derived from the mutation itself and from the spec (the
`SCHEMA` table below is written from the spec's "Configuration Parameters" table and the issue's rules, not
read from the product's models), so a model that wrongly accepts a value makes the test fail. The product's
models are read only for the set of keys an object allows (an unknown key must be outside it) and to tell an
object from a map among keys the table does not know yet (new fields only get type swaps, wrong nesting and
unknown keys, which are invalid whatever their type).
"""

from __future__ import annotations

import copy
import json
import re
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union

from hypothesis import strategies as st
from pydantic import BaseModel

from constructs_lib.config import EnvConfig

REPO = Path(__file__).resolve().parent.parent
BASE_DOCS: dict[str, dict[str, Any]] = {
    path.stem: json.loads(path.read_text()) for path in sorted((REPO / "envs").glob("*.json"))
}

# Fargate task sizes (design.md, "AWS limits to validate"): cpu -> the memory values (MiB) it allows.
FARGATE = {
    256: (512, 1024, 2048),
    512: tuple(range(1024, 4097, 1024)),
    1024: tuple(range(2048, 8193, 1024)),
    2048: tuple(range(4096, 16385, 1024)),
    4096: tuple(range(8192, 30721, 1024)),
    8192: tuple(range(16384, 61441, 4096)),
    16384: tuple(range(32768, 122881, 8192)),
}
DEFAULT_CPU, DEFAULT_MEMORY = 256, 512

# Characters that no ECS, ECR, SSM, ACM or image name allows (ECS allows "#" in an image, hence not here).
NAME_BREAKERS = (" ", "\t", "*", "!", "?", "%", "é", "\u00a0")

Path_ = tuple[Any, ...]


# --------------------------------------------------------------------------------------------- the schema


@dataclass(frozen=True)
class Spec:
    """What the spec says about one key of the env file."""

    kind: str  # str, int, bool, list, object (fixed keys), map (free keys)
    required: bool = False
    nullable: bool = False  # the spec's default is None: null means "not set" and is valid
    free_text: bool = False  # any string, the empty one included, is valid
    aws_name: bool = False  # ends up in an AWS name or identifier: a space (and the like) is invalid
    bounds: tuple[int, int] | None = None  # the valid range of an integer, inclusive
    known: bool = True  # in the table below; False: typed from the shipped value only (no null, no drop)


S = Spec
SCHEMA: dict[str, Spec] = {
    "organization": S("str", required=True, aws_name=True),
    "environment": S("str", required=True, aws_name=True),
    "account_id": S("str", required=True),
    "region": S("str", required=True),
    "accounts": S("map", required=True),
    "accounts.*": S("str"),
    "app_version": S("str", required=True),
    "network": S("object", required=True),
    "network.vpc_id": S("str", required=True),
    "network.private_subnet_ids": S("list", required=True),
    "network.private_subnet_ids[]": S("str"),
    "network.public_subnet_ids": S("list", required=True),
    "network.public_subnet_ids[]": S("str"),
    "network.create_security_groups": S("bool"),
    "state": S("object", required=True),
    "state.bucket": S("str", required=True),
    "state.region": S("str", required=True),
    "state.key_prefix": S("str"),
    "state.kms_key_id": S("str", nullable=True),
    "tags": S("map"),
    "tags.*": S("str", free_text=True),
    "services": S("list", required=True),
    "services[]": S("object"),
    "services[].cluster_name": S("str", required=True, aws_name=True),
    "services[].service_name": S("str", required=True, aws_name=True),
    "services[].use_iam_authentication": S("bool"),
    "services[].alb_name": S("str", required=True, aws_name=True),
    "services[].alb_domain_prefix": S("str", required=True, aws_name=True),
    "services[].ecr_repo_source_env": S("str"),
    "services[].ecr_repo_base_name": S("str", nullable=True, aws_name=True),  # exactly one of the two
    "services[].container_repo": S("str", nullable=True, aws_name=True),
    "services[].application_port": S("int", required=True, bounds=(1, 65535)),
    "services[].admin_port": S("int", nullable=True, bounds=(1, 65535)),
    "services[].admin_active": S("bool"),
    "services[].health_check_path": S("str"),
    "services[].health_check_cmd": S("str", nullable=True),
    "services[].desired_count": S("int", bounds=(0, 5000)),  # ECS: at most 5,000 tasks per service
    "services[].cpu": S("int"),
    "services[].memory_limit_mib": S("int"),
    "services[].ssl_certificate_id": S("str", required=True, aws_name=True),
    "services[].eu_west_cloudront_prefix_list_id": S("str", required=True, aws_name=True),
    "services[].environment_files": S("list", nullable=True),
    "services[].environment_files[]": S("object"),
    "services[].environment_files[].bucket_base_name": S("str", required=True, aws_name=True),
    "services[].environment_files[].file_path": S("str", required=True),
    "services[].efs_config": S("object", nullable=True),
    "services[].efs_config.container_user": S("str", nullable=True),
    "services[].efs_config.volumes": S("list"),
    "services[].efs_config.volumes[]": S("object"),
    "services[].efs_config.volumes[].efs_parameter_key_suffix": S("str", required=True, aws_name=True),
    "services[].efs_config.volumes[].volume_name": S("str", required=True, aws_name=True),
    "services[].efs_config.volumes[].ap_parameter_key_suffix": S("str", nullable=True, aws_name=True),
    "services[].efs_config.mount_points": S("list"),
    "services[].efs_config.mount_points[]": S("object"),
    "services[].efs_config.mount_points[].volume_name": S("str", required=True),
    "services[].efs_config.mount_points[].container_path": S("str", required=True),
    "services[].efs_config.mount_points[].read_only": S("bool"),
    "services[].route53": S("object", required=True),
    "services[].route53.hosted_zone_id": S("str", required=True),
    "services[].route53.domain_name": S("str", required=True),
    "services[].parameters": S("object", required=True),
    "services[].parameters.environment": S("map"),
    "services[].parameters.environment.*": S("str", free_text=True),
    "services[].parameters.secrets": S("map"),
    "services[].parameters.secrets.*": S("object"),
    "services[].parameters.secrets.*.name": S("str", required=True, aws_name=True),
    "services[].parameters.secrets.*.value_from": S("str", required=True),
    "services[].parameters.secrets.*.arn": S("str", nullable=True),
    "services[].parameters.secrets.*.suffix": S("str", nullable=True),
}
MAPS = {pattern for pattern, spec in SCHEMA.items() if spec.kind == "map"}


def pattern_of(path: Path_) -> str:
    """`("services", 0, "parameters", "secrets", "API_KEY")` -> `services[].parameters.secrets.*`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += "[]"
        elif text in MAPS:
            text += ".*"
        else:
            text += f".{part}" if text else part
    return text


def show(path: Path_) -> str:
    """The path as the product prints it: `services[0].parameters.secrets.API_KEY.arn`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def spec_of(path: Path_, value: Any) -> Spec | None:
    """The spec of a key; for keys the table does not know yet, only the JSON type of the shipped value (such a
    key gets type swaps, never null, never dropped)."""
    known = SCHEMA.get(pattern_of(path))
    if known is not None:
        return known
    if isinstance(value, bool):
        return Spec("bool", known=False)
    if isinstance(value, int):
        return Spec("int", known=False)
    if isinstance(value, str):
        return Spec("str", free_text=True, known=False)
    if isinstance(value, list):
        return Spec("list", known=False)
    if isinstance(value, dict):
        return Spec("object" if allowed_keys(path) else "map", known=False)
    return None


# --------------------------------------------------------------------------------------------- model keys


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
        else:
            return annotation


def _model_at(path: Path_) -> type[BaseModel] | None:
    annotation: Any = EnvConfig
    for part in path:
        annotation = _unwrap(annotation)
        origin = typing.get_origin(annotation)
        if origin in (list, dict):
            annotation = typing.get_args(annotation)[-1]
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            fields = {f.alias or name: f for name, f in annotation.model_fields.items()}
            if part not in fields:
                return None
            annotation = fields[part].annotation
        else:
            return None
    annotation = _unwrap(annotation)
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def allowed_keys(path: Path_) -> frozenset[str]:
    """The JSON keys the object at `path` accepts (aliases, e.g. `$schema`)."""
    model = _model_at(path)
    return frozenset(f.alias or name for name, f in model.model_fields.items()) if model else frozenset()


def python_only_names(path: Path_) -> list[str]:
    """Attribute names that differ from their JSON key (`schema_` for `$schema`): not keys of the file."""
    model = _model_at(path)
    return [name for name, f in model.model_fields.items() if f.alias and f.alias != name] if model else []


# --------------------------------------------------------------------------------------------- walking


def walk(value: Any, path: Path_ = ()) -> list[tuple[Path_, Any]]:
    """Every (path, value) below the root, parents before children."""
    found = []
    if isinstance(value, dict):
        for key, child in value.items():
            found.append(((*path, key), child))
            found += walk(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found.append(((*path, index), child))
            found += walk(child, (*path, index))
    return found


def get(doc: Any, path: Path_) -> Any:
    for part in path:
        doc = doc[part]
    return doc


def scope_of(path: Path_) -> Path_:
    """Mutations in different scopes cannot hide each other's problems: the product's cross-field rules read
    one service (or one top-level key) at a time."""
    return tuple(path[:2]) if path and path[0] == "services" else tuple(path[:1])


def overlaps(a: Path_, b: Path_) -> bool:
    return a[: len(b)] == b or b[: len(a)] == a


@dataclass(frozen=True)
class Target:
    path: Path_
    value: Any
    spec: Spec


def targets(doc: dict[str, Any]) -> list[Target]:
    found = []
    for path, value in walk(doc):
        spec = spec_of(path, value)
        if spec is not None:
            found.append(Target(path, value, spec))
    return found


def object_paths(doc: dict[str, Any]) -> list[Path_]:
    """The objects with fixed keys (the root included): where an unknown key is an error."""
    return [()] + [t.path for t in targets(doc) if t.spec.kind == "object"]


TARGETS = {name: targets(doc) for name, doc in BASE_DOCS.items()}
OBJECTS = {name: object_paths(doc) for name, doc in BASE_DOCS.items()}


# --------------------------------------------------------------------------------------------- mutations


@dataclass
class Mutation:
    kind: str
    path: Path_  # where it applies (the parent object for an unknown key)
    op: str  # set, drop
    value: Any = None
    expected: tuple[str, ...] = ()  # paths that must each be named by a problem
    also: tuple[str, ...] = ()  # prefixes of further problems that may follow from it
    odd_key: tuple[str, str] | None = None  # (parent path, key) of an unknown key with no plain spelling
    renames: tuple[Path_, ...] = ()  # further paths set to the same value (mount points of a renamed volume)

    def apply(self, doc: dict[str, Any]) -> None:
        parent, last = get(doc, self.path[:-1]), self.path[-1]
        if self.op == "drop":
            del parent[last]
        else:
            parent[last] = copy.deepcopy(self.value)
        for path in self.renames:
            get(doc, path[:-1])[path[-1]] = copy.deepcopy(self.value)

    def describe(self) -> str:
        what = "drop" if self.op == "drop" else f"= {_short(self.value)}"
        where = (
            show(self.path) if self.odd_key is None else f"{self.odd_key[0] or '(top level)'} key {self.odd_key[1]!r}"
        )
        return f"{self.kind} {where} {what}"


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=True)
    return text if len(text) <= 80 else text[:77] + "..."


non_integral_floats = st.one_of(
    st.integers(-(10**9), 10**9).map(lambda i: i + 0.5), st.sampled_from([0.1, -2.75, 1e-9, 6.02e-23])
)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), non_integral_floats, st.text(max_size=20))
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)),
    max_leaves=6,
)


def swapped(target: Target) -> st.SearchStrategy[Any]:
    """A value of another JSON type than the field takes (null only where null is not "not set")."""
    value, spec = target.value, target.spec
    options: list[st.SearchStrategy[Any]] = []
    if spec.kind == "str":
        options += [st.integers(), non_integral_floats, st.booleans(), st.just([value]), st.just({"value": value})]
        if value.isdigit():
            options.append(st.just(int(value)))  # an account id written as a number
    elif spec.kind == "int":
        options += [
            st.just(str(value)),
            st.just(value + 0.5),
            st.booleans(),
            st.just([value]),
            st.just({"value": value}),
        ]
    elif spec.kind == "bool":
        options += [st.just(str(value).lower()), st.just(str(value)), st.sampled_from([0, 1]), st.just([value])]
    elif spec.kind == "list":
        options += [st.just(json.dumps(value)), st.integers(), st.booleans(), st.text(max_size=10)]
    else:  # object, map
        options += [st.just(json.dumps(value)), st.integers(), st.booleans(), st.text(max_size=10)]
    if spec.known and not spec.nullable:
        options.append(st.none())
    return st.one_of(options)


def renested(target: Target) -> st.SearchStrategy[Any]:
    """An object where a list is expected, a list where an object is expected."""
    value = target.value
    if target.spec.kind == "list":
        options = [st.just({}), st.just({str(i): v for i, v in enumerate(value)})]
        if value and isinstance(value[0], dict):
            options.append(st.just(value[0]))  # the element without its list
        return st.one_of(options)
    return st.sampled_from([[value], list(value.values()), [], [[k, v] for k, v in value.items()]])


def unset_consequences(doc: dict[str, Any], path: Path_) -> tuple[str, ...]:
    """The problems that dropping an optional key (or setting a nullable one to null) must cause: the spec's
    defaults and cross-field rules, applied by hand."""
    pattern = pattern_of(path)
    if pattern.startswith("services[]."):
        service, index = doc["services"][path[1]], path[1]
        at = lambda *rest: show(("services", index, *rest))  # noqa: E731
        key = path[2] if len(path) == 3 else None
        if key in ("ecr_repo_base_name", "container_repo"):
            other = "container_repo" if key == "ecr_repo_base_name" else "ecr_repo_base_name"
            return () if service.get(other) is not None else (at("ecr_repo_base_name"),)
        if key == "admin_port":
            return (at("admin_port"),) if service.get("admin_active") is True else ()
        if key == "create_certificate":
            return (at("ssl_certificate_id"),) if service.get("ssl_certificate_id") is None else ()
        if key == "firelens":
            return (at("log_driver", "name"),) if (service.get("log_driver") or {}).get("name") == "awsfirelens" else ()
        if key == "desired_count":
            scaling = service.get("autoscaling") or {}
            low, high = scaling.get("min_capacity"), scaling.get("max_capacity")
            return (at("desired_count"),) if scaling and not low <= 1 <= high else ()
        if key == "admin_active":
            return (at("admin_public"),) if service.get("admin_public") is True else ()
        if key == "cpu":
            return (
                ()
                if service.get("memory_limit_mib", DEFAULT_MEMORY) in FARGATE[DEFAULT_CPU]
                else (at("memory_limit_mib"),)
            )
        if key == "memory_limit_mib":
            return () if DEFAULT_MEMORY in FARGATE[service.get("cpu", DEFAULT_CPU)] else (at("memory_limit_mib"),)
        if key == "ecr_repo_source_env":
            return (
                (at(key),) if service.get("ecr_repo_base_name") is not None and "devops" not in doc["accounts"] else ()
            )
        if pattern == "services[].efs_config.volumes":
            mounts = service["efs_config"].get("mount_points", [])
            return tuple(at("efs_config", "mount_points", i, "volume_name") for i in range(len(mounts)))
        if pattern == "services[].parameters.secrets.*.arn":
            secret = get(doc, path[:-1])
            return (show(path),) if secret.get("value_from") == "SECRET" else ()
    if pattern == "ec2_capacity":
        return tuple(
            show(("services", index, "capacity_provider_strategy"))
            for index, service in enumerate(doc["services"])
            if any(item.get("capacity_provider") == "EC2" for item in service.get("capacity_provider_strategy") or [])
        )
    return ()


@st.composite
def mutation(draw: st.DrawFn, name: str, kinds: tuple[str, ...]) -> Mutation:
    doc, everything = BASE_DOCS[name], TARGETS[name]
    kind = draw(st.sampled_from(kinds))
    if kind == "type_swap":
        target = draw(st.sampled_from(everything))
        return Mutation(
            kind, target.path, "set", draw(swapped(target)), expected=(show(target.path),), also=_derived(target.path)
        )
    if kind == "drop_required":
        target = draw(st.sampled_from([t for t in everything if t.spec.required]))
        return Mutation(kind, target.path, "drop", expected=(show(target.path),), also=_derived(target.path))
    if kind in ("unknown_key", "unknown_odd_key"):
        parent = draw(st.sampled_from(OBJECTS[name]))
        allowed = sorted(allowed_keys(parent) | set(get(doc, parent)))
        plain = kind == "unknown_key"
        key = draw(plain_unknown_keys(parent, allowed) if plain else odd_unknown_keys(allowed))
        return unknown_key(parent, key, draw(json_values))
    if kind == "out_of_range":
        return draw(out_of_range(name))
    if kind == "wrong_nesting":
        target = draw(st.sampled_from([t for t in everything if t.spec.kind in ("list", "object", "map")]))
        return Mutation(
            kind, target.path, "set", draw(renested(target)), expected=(show(target.path),), also=_derived(target.path)
        )
    if kind == "empty_string":
        target = draw(
            st.sampled_from(
                [
                    t
                    for t in everything
                    if t.spec.kind == "str" and not t.spec.free_text and pattern_of(t.path) in SCHEMA
                ]
            )
        )
        return Mutation(kind, target.path, "set", "", expected=(show(target.path),), also=_derived(target.path))
    if kind == "aws_name":
        target = draw(st.sampled_from([t for t in everything if t.spec.aws_name and not _unused_name(doc, t.path)]))
        at = draw(st.integers(0, len(target.value)))
        bad = target.value[:at] + draw(st.sampled_from(NAME_BREAKERS)) + target.value[at:]
        renames: tuple[Path_, ...] = ()
        if pattern_of(target.path) == "services[].efs_config.volumes[].volume_name":
            mounts = get(doc, target.path[:3]).get("mount_points", [])
            renames = tuple(
                (*target.path[:3], "mount_points", i, "volume_name")
                for i, mount in enumerate(mounts)
                if mount.get("volume_name") == target.value
            )
        # A renamed mount point carries the same bad name, so it may be reported too.
        return Mutation(
            kind, target.path, "set", bad, expected=(show(target.path),), also=tuple(show(r) for r in renames),
            renames=renames,
        )
    # unset_optional: drop an optional key the table knows, or set a nullable one to null
    candidates = [
        t for t in everything if not t.spec.required and pattern_of(t.path) in SCHEMA and not _in_list_or_map(t.path)
    ]
    target = draw(st.sampled_from(candidates))
    op = draw(st.sampled_from(["drop", "null"] if target.spec.nullable else ["drop"]))
    expected = unset_consequences(doc, target.path)
    return Mutation(f"unset_optional_{op}", target.path, "drop" if op == "drop" else "set", None, expected=expected)


def _unused_name(doc: dict[str, Any], path: Path_) -> bool:
    """A SECRET's `name` names nothing in AWS (its `arn` does); a PARAM's is the SSM parameter name."""
    return (
        pattern_of(path) == "services[].parameters.secrets.*.name" and get(doc, path[:-1]).get("value_from") != "PARAM"
    )


def _in_list_or_map(path: Path_) -> bool:
    """An element of a list or an entry of a map (not a key of an object): not "optional"."""
    return isinstance(path[-1], int) or pattern_of(path).endswith(".*")


def _derived(path: Path_) -> tuple[str, ...]:
    """A broken volume also breaks the mount points that name it: those problems may follow."""
    pattern = pattern_of(path)
    if pattern.startswith("services[].efs_config.volumes") or pattern == "services[].efs_config":
        return (show((*path[:2], "efs_config", "mount_points")),)
    return ()


PLAIN_KEY = re.compile(r"[A-Za-z0-9_$-]+")


def unknown_key(parent: Path_, key: str, value: Any) -> Mutation:
    path = (*parent, key)
    if PLAIN_KEY.fullmatch(key):
        return Mutation("unknown_key", path, "set", value, expected=(show(path),))
    return Mutation("unknown_odd_key", path, "set", value, odd_key=(show(parent), key))


def plain_unknown_keys(parent: Path_, allowed: list[str]) -> st.SearchStrategy[str]:
    """Typos of allowed keys, Python attribute names (`schema_` for `$schema`) and plain words: keys the error
    line can name exactly. Never an allowed key."""
    typo = st.tuples(
        st.sampled_from(allowed), st.integers(0, 40), st.sampled_from(["delete", "double", "upper", "dash", "swap"])
    ).map(_typo)
    strategies = [typo, st.from_regex(r"[a-z][a-z0-9_]{0,20}", fullmatch=True)]
    python_names = python_only_names(parent)
    if python_names:
        strategies.append(st.sampled_from(python_names))
    return st.one_of(strategies).filter(lambda key: key not in allowed and PLAIN_KEY.fullmatch(key) is not None)


def odd_unknown_keys(allowed: list[str]) -> st.SearchStrategy[str]:
    """Keys with spaces, dots, brackets, line breaks, other scripts: still one line per problem, still named."""
    return st.one_of(
        st.sampled_from(["a\nb", "cpu\n", "\t", "a.b", "[0]", "ключ", " ", "\u200b", "$schema ", "cpu "]),
        st.tuples(st.sampled_from(allowed), st.sampled_from([" ", "\n", ".", "é"])).map(lambda t: t[0] + t[1]),
        st.text(min_size=1, max_size=12),
    ).filter(lambda key: key not in allowed and PLAIN_KEY.fullmatch(key) is None)


def _typo(args: tuple[str, int, str]) -> str:
    key, at, how = args
    at = at % max(len(key), 1)
    if how == "delete":
        return key[:at] + key[at + 1 :]
    if how == "double":
        return key[:at] + key[at] + key[at:]
    if how == "upper":
        return key.upper()
    if how == "dash":
        return key.replace("_", "-") if "_" in key else key + "-"
    return key[:at] + key[at + 1 : at + 2] + key[at : at + 1] + key[at + 2 :]  # swap two letters


@st.composite
def out_of_range(draw: st.DrawFn, name: str) -> Mutation:
    doc = BASE_DOCS[name]
    ints = [t for t in TARGETS[name] if t.spec.kind == "int" and pattern_of(t.path) in SCHEMA]
    target = draw(st.sampled_from(ints))
    index, key = target.path[1], target.path[-1]
    service = doc["services"][index]
    memory_path = show(("services", index, "memory_limit_mib"))
    if target.spec.bounds is not None:
        low, high = target.spec.bounds
        value = draw(st.one_of(st.integers(max_value=low - 1), st.integers(min_value=high + 1)))
        return Mutation("out_of_range", target.path, "set", value, expected=(show(target.path),))
    if key == "cpu":
        memory = service.get("memory_limit_mib", DEFAULT_MEMORY)
        other_sizes = [cpu for cpu in FARGATE if memory not in FARGATE[cpu]]
        if draw(st.booleans()) and other_sizes:  # a real Fargate cpu that the memory does not fit
            return Mutation(
                "cpu_memory_mismatch", target.path, "set", draw(st.sampled_from(other_sizes)), expected=(memory_path,)
            )
        value = draw(
            st.one_of(st.integers(), st.sampled_from([0, -256, 128, 255, 257, 768, 3072, 32768])).filter(
                lambda c: c not in FARGATE
            )
        )
        return Mutation("out_of_range", target.path, "set", value, expected=(show(target.path),))
    # memory_limit_mib
    cpu = service.get("cpu", DEFAULT_CPU)
    value = draw(
        st.one_of(st.integers(), st.sampled_from([0, -512, 511, 513, 1000, 3072, 123904])).filter(
            lambda m: m not in FARGATE[cpu]
        )
    )
    return Mutation("out_of_range", target.path, "set", value, expected=(memory_path,))


# --------------------------------------------------------------------------------------------- cases


@dataclass
class Case:
    """One broken input and what the product must say about it."""

    kind: str
    content: bytes | None  # None: see layout
    layout: str = "file"  # file, directory (a folder at the path), missing (nothing at the path)
    expected: tuple[str, ...] = ()  # field paths each named by a problem line
    also: tuple[str, ...] = ()  # further problem paths that may follow
    odd_keys: tuple[tuple[str, str], ...] = ()
    word: str | None = None  # a word the problem line must contain
    json_position: tuple[int, int] | None = None  # line and column of "not valid JSON"
    utf8_offset: int | None = None  # the first byte that is not UTF-8
    valid: bool = False  # still a valid env file: validate must pass
    detail: str = ""
    base: str = ""

    @property
    def exact(self) -> bool:
        """Structural cases know every problem they cause."""
        return bool(self.expected or self.odd_keys) or self.valid

    def __repr__(self) -> str:
        if self.content is None:
            data = ""
        elif len(self.content) <= 120:
            data = f", content {self.content!r}"
        else:
            data = f", {len(self.content)} bytes"
        base = f" on envs/{self.base}.json" if self.base else ""
        return f"Case({self.kind}{base}: {self.detail}{data})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # how Hypothesis shows a failing example
        printer.text(repr(self))


def companion_doc() -> dict[str, Any]:
    """A valid env file beside the broken one: the last shipped file as another environment with its own domain,
    so that the two never claim the same stacks, state keys, DNS names or AWS resources."""
    doc = copy.deepcopy(BASE_DOCS[sorted(BASE_DOCS)[-1]])
    doc["environment"] = "companion"
    for service in doc["services"]:
        service["route53"]["domain_name"] = "companion.example.com"
    return doc


def render(doc: Any, indent: int | None, ascii_only: bool) -> bytes:
    return json.dumps(doc, indent=indent, ensure_ascii=ascii_only, allow_nan=False).encode("utf-8")


STRUCTURAL_KINDS = (
    "type_swap",
    "drop_required",
    "unknown_key",
    "unknown_odd_key",
    "out_of_range",
    "wrong_nesting",
    "empty_string",
    "aws_name",
    "unset_optional",
)


@st.composite
def structural_cases(draw: st.DrawFn, kinds: tuple[str, ...], most: int = 1) -> Case:
    """One mutation of one of `kinds`, or up to `most` in distinct scopes."""
    name = draw(st.sampled_from(sorted(BASE_DOCS)))
    count = draw(st.integers(min(2, most), most))
    chosen: list[Mutation] = []
    for _ in range(count * 3):  # a few tries to find mutations in free scopes
        if len(chosen) == count:
            break
        candidate = draw(mutation(name, kinds))
        if all(not overlaps(scope_of(candidate.path), scope_of(m.path)) for m in chosen):
            chosen.append(candidate)
    return case_from(name, chosen, indent=draw(st.sampled_from([None, 2])), ascii_only=draw(st.booleans()))


def case_from(name: str, chosen: list[Mutation], indent: int | None = 2, ascii_only: bool = True) -> Case:
    """The shipped env file `name` with the mutations applied, and the problems they must cause."""
    doc = copy.deepcopy(BASE_DOCS[name])
    for item in chosen:
        item.apply(doc)
    content = render(doc, indent, ascii_only)
    expected = tuple(p for m in chosen for p in m.expected)
    return Case(
        kind="+".join(sorted({m.kind for m in chosen})) if len(chosen) > 1 else chosen[0].kind,
        content=content,
        expected=expected,
        also=tuple(p for m in chosen for p in m.also),
        odd_keys=tuple(m.odd_key for m in chosen if m.odd_key),
        valid=not expected and not any(m.odd_key for m in chosen),
        detail="; ".join(m.describe() for m in chosen),
        base=name,
    )


def huge_integer_case(name: str, path: Path_, digits: int, negative: bool = False) -> Case:
    """An integer literal too long for Python's int parser at `path`: valid JSON, a clean problem expected."""
    sign = "-" if negative else ""
    doc = copy.deepcopy(BASE_DOCS[name])
    get(doc, path[:-1])[path[-1]] = "@@HUGE@@"
    content = render(doc, 2, True).replace(b'"@@HUGE@@"', (sign + "9" * digits).encode())
    return Case("huge_integer", content, detail=f"{show(path)} = {sign}9...9 ({digits} digits)", base=name)


def _decode_error_offset(content: bytes) -> int:
    try:
        content.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start
    raise AssertionError("the content is valid UTF-8")


@st.composite
def byte_cases(draw: st.DrawFn, kinds: tuple[str, ...]) -> Case:
    name = draw(st.sampled_from(sorted(BASE_DOCS)))
    text = render(BASE_DOCS[name], draw(st.sampled_from([None, 2])), True).decode("ascii")
    kind = draw(st.sampled_from(kinds))
    if kind == "non_utf8_bytes":
        at = draw(st.integers(0, len(text)))
        bad = draw(
            st.sampled_from(
                [
                    b"\xff",
                    b"\xfe",
                    b"\x80",
                    b"\xc3(",
                    b"\xc0\xaf",
                    b"\xed\xa0\x80",
                    b"\xf8\x88\x80\x80\x80",
                    b"\xe2\x82",
                ]
            )
        )
        content = text[:at].encode() + bad + text[at:].encode()
        return Case(
            kind,
            content,
            word="UTF-8",
            utf8_offset=_decode_error_offset(content),
            detail=f"{bad!r} at byte {at}",
            base=name,
        )
    if kind == "non_utf8_encoding":
        encoding = draw(st.sampled_from(["utf-16", "utf-16-be", "utf-32", "latin-1", "cp1252"]))
        doc = copy.deepcopy(BASE_DOCS[name])
        doc["tags"] = {**doc.get("tags", {}), "owner": "équipe café"}  # a non-ASCII character in a free-text value
        content = json.dumps(doc, ensure_ascii=False, indent=2).encode(encoding)
        return Case(
            kind,
            content,
            word="UTF-8",
            utf8_offset=_decode_error_offset(content),
            detail=f"encoded as {encoding}",
            base=name,
        )
    if kind == "not_json":
        how = draw(
            st.sampled_from(
                [
                    "truncated",
                    "trailing",
                    "trailing_comma",
                    "single_quotes",
                    "comment",
                    "control_char",
                    "bare_key",
                    "python_repr",
                    "yaml",
                ]
            )
        )
        broken = draw(_not_json(text, how, BASE_DOCS[name]))
        return _classified(f"not_json_{how}", broken.encode("utf-8"), name, how)
    if kind == "empty":
        content = draw(st.sampled_from([b"", b" ", b"\n", b"\r\n", b" \t\n \n"]))
        return Case(kind, content, word="empty", detail=repr(content), base=name)
    if kind == "not_an_object":
        value = draw(st.sampled_from([[BASE_DOCS[name]], BASE_DOCS[name]["services"], "env", 42, 1.5, None, True, []]))
        return Case(kind, render(value, None, True), detail=_short(value), base=name)
    if kind == "huge_integer":
        digits = draw(st.integers(4301, 20000))  # Python refuses to parse integers longer than 4,300 digits
        target = draw(st.sampled_from([t for t in TARGETS[name] if t.spec.kind == "int"]))
        return huge_integer_case(name, target.path, digits, negative=draw(st.booleans()))
    if kind == "too_deep":
        depth = draw(st.integers(900, 200_000))
        opener, closer = draw(st.sampled_from([("[", "]"), ('{"a":', "}")]))
        if draw(st.booleans()):  # the whole file
            content = (opener * depth + "1" + closer * depth).encode()
            return Case(kind, content, detail=f"{depth} levels", base=name)
        target = draw(st.sampled_from(TARGETS[name]))
        doc = copy.deepcopy(BASE_DOCS[name])
        get(doc, target.path[:-1])[target.path[-1]] = "@@DEEP@@"
        content = render(doc, None, True).replace(b'"@@DEEP@@"', (opener * depth + "1" + closer * depth).encode())
        return Case(kind, content, detail=f"{show(target.path)} nested {depth} levels", base=name)
    if kind == "random_bytes":
        return _classified(kind, draw(st.binary(max_size=200)), name, "random bytes")
    return _classified(kind, draw(st.text(max_size=200)).encode("utf-8"), name, "random text")


def _classified(kind: str, content: bytes, name: str, detail: str) -> Case:
    """What the product must say about bytes, by what they are."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return Case(kind, content, word="UTF-8", utf8_offset=_decode_error_offset(content), detail=detail, base=name)
    if not text.strip():
        return Case(kind, content, word="empty", detail=detail, base=name)
    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        return Case(
            kind, content, word="not valid JSON", json_position=(error.lineno, error.colno), detail=detail, base=name
        )
    except (ValueError, RecursionError):
        pass
    return Case(kind, content, detail=detail, base=name)  # valid JSON (not an env file): any clean problem line


@st.composite
def _not_json(draw: st.DrawFn, text: str, how: str, doc: dict[str, Any]) -> str:
    last = text.rindex("}")
    if how == "truncated":
        return text[: draw(st.integers(1, last))]
    if how == "trailing":
        return text + draw(st.sampled_from([",", "}", "]", "x", "{}", "\n{}", " null", "\n#"]))
    if how == "trailing_comma":
        closers = [m.start() for m in re.finditer(r"[^\[{\s]\s*[}\]]", text)]
        at = draw(st.sampled_from(closers)) + 1
        return text[:at] + "," + text[at:]
    if how == "single_quotes":
        return text.replace('"', "'")
    if how == "comment":
        return draw(st.sampled_from(["// env file\n" + text, "# env file\n" + text, text.replace("{", "{ /* c */", 1)]))
    if how == "control_char":
        at = draw(st.integers(0, len(text)))
        char = draw(st.sampled_from([chr(c) for c in range(32) if chr(c) not in "\t\n\r"]))
        return text[:at] + char + text[at:]
    if how == "bare_key":
        key = draw(st.sampled_from(sorted(doc)))
        return text.replace(f'"{key}"', key, 1)
    if how == "python_repr":
        return repr(doc)
    return "\n".join(f"{k}: {json.dumps(v)}" for k, v in doc.items())  # yaml


def layout_cases() -> st.SearchStrategy[Case]:
    return st.sampled_from(
        [
            Case("directory", None, layout="directory", word="directory", detail="an empty folder"),
            Case(
                "directory",
                None,
                layout="directory_with_json",
                word="directory",
                detail="a folder holding a valid env file",
            ),
            Case("missing", None, layout="missing", detail="no file at the path"),
        ]
    )


# Each family is its own property test with its own budget: Hypothesis spreads one combined test's examples
# unevenly (measured: 1 wrong-nesting example in 500), and one product bug would hide every other family's.
FAMILIES: dict[str, tuple[int, st.SearchStrategy[Case]]] = {
    "type_swap": (70, structural_cases(("type_swap",))),
    "drop_required": (40, structural_cases(("drop_required",))),
    "unknown_key": (40, structural_cases(("unknown_key",))),
    "unknown_odd_key": (20, structural_cases(("unknown_odd_key",))),
    "out_of_range": (40, structural_cases(("out_of_range",))),
    "wrong_nesting": (40, structural_cases(("wrong_nesting",))),
    "empty_string": (30, structural_cases(("empty_string",))),
    "aws_name": (40, structural_cases(("aws_name",))),
    "unset_optional": (30, structural_cases(("unset_optional",))),
    "several_mutations": (
        50,
        structural_cases(tuple(k for k in STRUCTURAL_KINDS if k not in ("aws_name", "unknown_odd_key")), most=3),
    ),
    "non_utf8": (35, byte_cases(("non_utf8_bytes", "non_utf8_encoding"))),
    "not_json": (40, byte_cases(("not_json",))),
    "empty_or_not_object": (20, byte_cases(("empty", "not_an_object"))),
    "huge_or_deep": (20, byte_cases(("huge_integer", "too_deep"))),
    "random_bytes": (25, byte_cases(("random_bytes", "random_text"))),
    "directory_or_missing": (15, layout_cases()),
}
