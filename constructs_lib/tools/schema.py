"""The JSON Schema of the env file, generated from the pydantic models: editors validate and complete env files
with it, and every field's description carries its default."""

from __future__ import annotations

import json
from typing import Any

from ..config import EnvConfig

SCHEMA_PATH = "envs/schema/env-file.schema.json"


def env_file_schema() -> dict[str, Any]:
    schema = EnvConfig.model_json_schema(by_alias=True, mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://ecs-cdktf.dev/schema/env-file.schema.json",
        **schema,
        "title": "ecs-cdktf env file",
    }


def render_schema() -> str:
    return json.dumps(env_file_schema(), indent=2, sort_keys=True) + "\n"


def reference_markdown() -> str:
    """The env file reference of the README: one table per object, generated from the same models."""
    schema = env_file_schema()
    definitions = schema["$defs"]
    sections = [("Env file (top level)", schema)]
    sections += [(name, definitions[name]) for name in sorted(definitions) if definitions[name].get("type") == "object"]
    lines: list[str] = []
    for title, definition in sections:
        lines += [f"#### {title}", "", "| key | type | required | description |", "|---|---|---|---|"]
        required = set(definition.get("required", []))
        for key, prop in definition.get("properties", {}).items():
            description = prop.get("description", "").replace("|", "\\|").replace("\n", " ")
            lines.append(f"| `{key}` | {_type_of(prop)} | {'yes' if key in required else 'no'} | {description} |")
        lines.append("")
    return "\n".join(lines)


def _type_of(prop: dict[str, Any]) -> str:
    if "$ref" in prop:
        return str(prop["$ref"]).rsplit("/", 1)[-1]
    if "enum" in prop:
        return " \\| ".join(json.dumps(v) for v in prop["enum"])
    if "const" in prop:
        return json.dumps(prop["const"])
    if "anyOf" in prop:
        return " \\| ".join(_type_of(p) for p in prop["anyOf"] if p.get("type") != "null")
    kind = str(prop.get("type", "any"))
    if kind == "array":
        return f"list of {_type_of(prop.get('items', {}))}"
    if kind == "object" and "additionalProperties" in prop and isinstance(prop["additionalProperties"], dict):
        return f"map of {_type_of(prop['additionalProperties'])}"
    return kind
