"""`diff ENV_A ENV_B`: effective-configuration differences, field by field (config layer: no cdktf)."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from constructs_lib.config import validate_env_data
from constructs_lib.tools.config_diff import ABSENT, Difference, differences

REPO = Path(__file__).resolve().parent.parent


def env(data: dict[str, Any]):
    return validate_env_data(copy.deepcopy(data), "test.json")


def lines(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    return [d.line("A", "B") for d in differences(env(a), env(b))]


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(REPO)}  # this checkout, from any working folder
    return subprocess.run(
        [sys.executable, "-m", "constructs_lib", *args], cwd=cwd, env=environment, capture_output=True, text=True,
        timeout=120,
    )


# --------------------------------------------------------------------------------------------- the comparison


def test_identical_envs_have_no_differences(dev_data: dict[str, Any]) -> None:
    assert differences(env(dev_data), env(dev_data)) == []


def test_a_changed_service_value_is_one_line_with_its_dotted_path(dev_data: dict[str, Any]) -> None:
    other = copy.deepcopy(dev_data)
    other["services"][0]["desired_count"] = 3
    assert differences(env(dev_data), env(other)) == [Difference("services.app-service.desired_count", 2, 3)]
    assert lines(dev_data, other) == ["services.app-service.desired_count: 2 -> 3"]


def test_values_print_as_json(dev_data: dict[str, Any]) -> None:
    other = copy.deepcopy(dev_data)
    other["app_version"] = "2.0.0"
    other["services"][1]["efs_config"] = {"volumes": [{"efs_parameter_key_suffix": "s", "volume_name": "v"}]}
    assert lines(dev_data, other) == [
        'app_version: "1.4.2" -> "2.0.0"',
        'services.docs.efs_config: null -> {"container_user": null, "volumes": [{"efs_parameter_key_suffix": "s", '
        '"volume_name": "v", "ap_parameter_key_suffix": null}], "mount_points": []}',
    ]


def test_a_default_written_out_is_no_difference(dev_data: dict[str, Any]) -> None:
    """Effective configuration: a key left out equals the same key set to its default."""
    explicit = copy.deepcopy(dev_data)
    explicit["services"][1].update(log_retention_days=30, desired_count=1, cpu=256, deletion_protection=True)
    explicit["policy"] = {"waf_on_internet_alb": "warning"}
    assert lines(dev_data, explicit) == []


def test_a_value_against_the_default_shows_the_default(dev_data: dict[str, Any]) -> None:
    other = copy.deepcopy(dev_data)
    other["services"][1]["log_retention_days"] = 90
    other["services"][1]["health_check"] = {"interval_seconds": 10}
    assert lines(dev_data, other) == [
        "services.docs.log_retention_days: 30 -> 90",
        "services.docs.health_check.interval_seconds: 30 -> 10",
    ]


def test_env_level_keys_come_first_then_services_in_a_order(dev_data: dict[str, Any]) -> None:
    other = copy.deepcopy(dev_data)
    other["services"][1]["desired_count"] = 4
    other["services"][0]["desired_count"] = 5
    other["tags"]["team"] = "web"
    other["network"]["create_security_groups"] = True
    assert lines(dev_data, other) == [
        "network.create_security_groups: false -> true",
        'tags.team: only in B: "web"',
        "services.app-service.desired_count: 2 -> 5",
        "services.docs.desired_count: 1 -> 4",
    ]


def test_services_are_matched_by_name_not_position(dev_data: dict[str, Any]) -> None:
    swapped = copy.deepcopy(dev_data)
    swapped["services"].reverse()
    assert lines(dev_data, swapped) == []


def test_a_service_only_in_one_file_is_named_not_dumped(dev_data: dict[str, Any]) -> None:
    only_app = copy.deepcopy(dev_data)
    only_app["services"] = only_app["services"][:1]
    renamed = copy.deepcopy(dev_data)
    renamed["services"][1]["service_name"] = "manual"
    renamed["services"][1]["alb_name"] = "manual-alb"
    assert lines(dev_data, only_app) == ["services.docs: only in A"]
    assert lines(only_app, dev_data) == ["services.docs: only in B"]
    assert lines(dev_data, renamed) == ["services.docs: only in A", "services.manual: only in B"]
    found = differences(env(dev_data), env(only_app))[0]
    assert found.before["service_name"] == "docs" and found.after is ABSENT


def test_lists_of_objects_compare_item_by_item(dev_data: dict[str, Any]) -> None:
    other = copy.deepcopy(dev_data)
    files = other["services"][0]["environment_files"]
    files[1]["file_path"] = "common/other.env"
    files.append({"bucket_base_name": "extra", "file_path": "x.env"})
    assert lines(dev_data, other) == [
        'services.app-service.environment_files[1].file_path: "common/database.env" -> "common/other.env"',
        'services.app-service.environment_files[2]: only in B: {"bucket_base_name": "extra", "file_path": "x.env"}',
    ]


def test_lists_of_values_compare_whole(dev_data: dict[str, Any]) -> None:
    other = copy.deepcopy(dev_data)
    other["services"][1]["scratch_paths"] = ["/tmp"]
    assert lines(dev_data, other) == [
        'services.docs.scratch_paths: ["/tmp", "/var/cache/nginx", "/var/run"] -> ["/tmp"]'
    ]


def test_free_form_keys_added_removed_and_quoted(dev_data: dict[str, Any]) -> None:
    other = copy.deepcopy(dev_data)
    environment = other["services"][0]["parameters"]["environment"]
    del environment["API_VERSION"]
    environment["NEW_FLAG"] = "1"
    other["tags"]["owner.email"] = "ops@example.com"
    assert lines(dev_data, other) == [
        'tags["owner.email"]: only in B: "ops@example.com"',
        'services.app-service.parameters.environment.API_VERSION: only in A: "v1"',
        'services.app-service.parameters.environment.NEW_FLAG: only in B: "1"',
    ]


def test_extends_and_schema_are_not_compared_only_their_effect(tmp_path: Path, dev_data: dict[str, Any]) -> None:
    from constructs_lib.config import load_env_file

    base = copy.deepcopy(dev_data)
    base.pop("$schema")
    (tmp_path / "base.json").write_text(json.dumps(base))
    (tmp_path / "child.json").write_text(json.dumps({"extends": "base.json", "app_version": "9.9.9"}))
    (tmp_path / "flat.json").write_text(json.dumps(dev_data))
    found = differences(load_env_file(tmp_path / "flat.json"), load_env_file(tmp_path / "child.json"))
    assert [d.line() for d in found] == ['app_version: "1.4.2" -> "9.9.9"']


def test_colour_only_when_asked() -> None:
    difference = Difference("services.a.cpu", 256, 512)
    assert difference.line() == "services.a.cpu: 256 -> 512"
    assert difference.line(colour=True) == "services.a.cpu: \033[31m256\033[0m -> \033[32m512\033[0m"


# --------------------------------------------------------------------------------------------- the command


def test_diff_dev_and_prod() -> None:
    result = run("diff", "envs/dev.json", "envs/prod.json")
    assert result.returncode == 0, result.stderr
    out = result.stdout.splitlines()
    assert out[:3] == ["--- envs/dev.json", "+++ envs/prod.json", 'environment: "dev" -> "prod"']
    assert "services.app-service.desired_count: 2 -> 3" in out
    assert "services.docs.desired_count: 1 -> 2" in out
    assert out[-1] == f"{len([line for line in out if ': ' in line])} differences"
    assert "\033[" not in result.stdout  # not a terminal: no colours
    # a blank line between the env-level keys and each service
    assert out.index("services.app-service.desired_count: 2 -> 3") > out.index("") > 2


def test_same_file_prints_no_differences_and_exit_code_stays_0() -> None:
    result = run("diff", "envs/dev.json", "envs/dev.json", "--exit-code")
    assert (result.returncode, result.stdout, result.stderr) == (
        0, "no differences between envs/dev.json and envs/dev.json\n", ""
    )


def test_exit_code_flag_gives_1_on_differences() -> None:
    assert run("diff", "envs/dev.json", "envs/prod.json").returncode == 0
    assert run("diff", "envs/dev.json", "envs/prod.json", "--exit-code").returncode == 1


def test_an_invalid_file_gives_the_usual_file_and_field_error(tmp_path: Path, dev_data: dict[str, Any]) -> None:
    dev_data["services"][0]["cpu"] = 300
    (tmp_path / "bad.json").write_text(json.dumps(dev_data))
    result = run("diff", str(REPO / "envs/dev.json"), "bad.json", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[0].startswith("bad.json: services[0].cpu: 300 is not a Fargate CPU value")


def test_help_documents_the_exit_codes() -> None:
    result = run("diff", "--help")
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    assert "ENV_A" in text and "ENV_B" in text and "--exit-code" in text
    assert "Exit codes: 0 whether or not the files differ (1 with --exit-code when they differ)" in text


def test_diff_does_not_start_jsii() -> None:
    code = (
        "import sys\nfrom constructs_lib.cli.main import main\n"
        "assert main(['diff', 'envs/dev.json', 'envs/prod.json']) == 0\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('cdktf', 'jsii', 'constructs', 'cdktf_cdktf_provider_aws')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "[]"
