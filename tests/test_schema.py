"""The committed JSON Schema of the env file is current, every shipped env file points at it, and an independent
validator (check-jsonschema) accepts the shipped files and rejects a broken one."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ENVS, REPO

from constructs_lib.tools.schema import SCHEMA_PATH, env_file_schema, render_schema

SHIPPED = sorted(ENVS.glob("*.json"))


def check_jsonschema(*files: Path) -> subprocess.CompletedProcess[str]:
    executable = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    assert executable, "check-jsonschema is not installed in the venv (pip install -e '.[test]')"
    return subprocess.run(
        [executable, "--schemafile", str(REPO / SCHEMA_PATH), *map(str, files)], capture_output=True, text=True
    )


def test_committed_schema_is_current():
    committed = (REPO / SCHEMA_PATH).read_text()
    assert committed == render_schema(), "stale schema: run `python -m constructs_lib schema --output envs/schema/env-file.schema.json`"


def test_every_env_file_references_the_schema():
    assert SHIPPED
    for path in SHIPPED:
        assert json.loads(path.read_text())["$schema"] == "./schema/env-file.schema.json", path


def test_descriptions_carry_the_defaults():
    service = env_file_schema()["$defs"]["ServiceConfig"]["properties"]
    assert "default: 1" in service["desired_count"]["description"]
    assert "default: devops" in service["ecr_repo_source_env"]["description"]
    assert service["cpu"]["default"] == 256


def test_check_jsonschema_accepts_the_shipped_env_files():
    result = check_jsonschema(*SHIPPED)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_jsonschema_rejects_a_typo(tmp_path):
    data = json.loads((ENVS / "dev.json").read_text())
    data["services"][0]["memroy_limit_mib"] = 1024
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(data))
    result = check_jsonschema(broken)
    assert result.returncode == 1
    assert "memroy_limit_mib" in result.stdout + result.stderr


@pytest.mark.parametrize("command", [["schema"]])
def test_schema_command_prints_the_schema(command):
    result = subprocess.run([sys.executable, "-m", "constructs_lib", *command], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0
    assert json.loads(result.stdout)["title"] == "ecs-cdktf env file"


def test_readme_env_file_reference_is_current():
    sys.path.insert(0, str(REPO / "scripts"))
    from readme_reference import with_reference

    readme = (REPO / "README.md").read_text()
    assert readme == with_reference(readme), "stale README reference: run `.venv/bin/python scripts/readme_reference.py`"
    assert readme.splitlines()[0] == "# ecs-cdktf"
    assert "make synth" in "\n".join(readme.splitlines()[:15]) and "make test" in "\n".join(readme.splitlines()[:15])
