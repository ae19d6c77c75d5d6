"""The JSON Schema of the env file, generated from the pydantic models: editors validate and complete env files
with it, and every field's description carries its default."""

from __future__ import annotations

import json
from typing import Any

from .config import EnvConfig

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
