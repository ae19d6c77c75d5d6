"""The env file as a file: only regular files under the size cap are read (a FIFO never blocks `validate`), numbers
Terraform cannot hold are refused with their field, `extends` stays in the env file's folder, and two files of
one run never claim the same stacks, state keys, DNS names or AWS resources. As a user runs it: exit 2, every
problem, nothing written."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import read_env
from test_config_rules import load_problems

from constructs_lib.cli.main import main
from constructs_lib.config import load_env_file

FINITE = "is not a finite number; allowed: numbers Terraform and AWS can hold (no Infinity, NaN or beyond 1e308)"
UNIQUE = "each service needs its own"


def write(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, indent=2))
    return path


def test_numbers_terraform_cannot_hold_are_refused_with_their_field(tmp_path: Path) -> None:
    data = read_env("dev")
    data["services"][0].update(cpu="@1", desired_count="@2")
    data["services"][1]["alarms"] = {"p99_latency_seconds": "@3"}
    data["tags"]["weight"] = "@4"
    text = json.dumps(data)
    for marker, number in (("1", "1e400"), ("2", "Infinity"), ("3", "NaN"), ("4", "-1E+999")):
        text = text.replace(f'"@{marker}"', number)
    path = tmp_path / "env.json"
    path.write_text(text)
    assert load_problems(path) == [
        f"{path}: tags.weight: -1E+999 {FINITE}",
        f"{path}: services[0].desired_count: Infinity {FINITE}",
        f"{path}: services[0].cpu: 1e400 {FINITE}",
        f"{path}: services[1].alarms.p99_latency_seconds: NaN {FINITE}",
    ]  # in the file's order


def test_an_integer_past_1e308_in_a_number_field(tmp_path: Path) -> None:
    data = read_env("dev")
    data["services"][0]["alarms"] = {"p99_latency_seconds": "@1"}
    path = tmp_path / "env.json"
    path.write_text(json.dumps(data).replace('"@1"', "1" + "0" * 400))
    assert load_problems(path) == [f"{path}: services[0].alarms.p99_latency_seconds: 1{'0' * 56}... {FINITE}"]


def test_special_files_and_huge_files_are_refused_without_blocking(tmp_path: Path) -> None:
    """A FIFO would block a plain open() forever: the subprocess would hit its timeout."""
    os.mkfifo(tmp_path / "fifo.json")
    (tmp_path / "link.json").symlink_to(tmp_path / "fifo.json")
    (tmp_path / "null.json").symlink_to(os.devnull)
    big = json.dumps(read_env("dev"), indent=2)
    (tmp_path / "big.json").write_text(big[:-1] + " " * (1024 * 1024) + "}")
    files = ["fifo.json", "link.json", "null.json", "big.json"]
    for command in (["validate"], ["synth", "--outdir", "out"]):
        done = subprocess.run(
            [sys.executable, "-m", "constructs_lib", command[0], *files, *command[1:]],
            cwd=tmp_path, capture_output=True, text=True, timeout=60,
        )
        assert (done.returncode, done.stdout) == (2, "")
        assert done.stderr.splitlines() == [
            "fifo.json: is a FIFO; an env file is a regular file",
            "link.json: is a FIFO; an env file is a regular file",
            "null.json: is a character device; an env file is a regular file",
            "big.json: larger than 1048576 bytes (1 MiB), the most an env file may be",
            "4 problems found; nothing was written",
        ]
        assert sorted(p.name for p in tmp_path.iterdir()) == ["big.json", "fifo.json", "link.json", "null.json"]


def test_a_file_at_the_cap_is_read(tmp_path: Path) -> None:
    text = json.dumps(read_env("dev"))
    path = tmp_path / "env.json"
    path.write_text(text[:-1] + " " * (1024 * 1024 - len(text)) + "}")
    assert path.stat().st_size == 1024 * 1024
    assert load_env_file(path).environment == "dev"


@pytest.mark.parametrize("base", ["../base.json", "sub/../../base.json", "ABSOLUTE"])
def test_extends_stays_in_the_env_files_folder(tmp_path: Path, base: str) -> None:
    write(tmp_path / "base.json", read_env("dev"))
    folder = tmp_path / "envs"
    folder.mkdir()
    base = str(tmp_path / "base.json") if base == "ABSOLUTE" else base
    child = write(folder / "child.json", {"extends": base, "app_version": "2.0.0"})
    assert load_problems(child) == [
        f"{child}: extends: {base!r} is outside the folder of {child}; allowed: a relative path to a file in that "
        "folder or below"
    ]


def test_extends_through_a_symlink_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "base.json", read_env("dev"))
    folder = tmp_path / "envs"
    folder.mkdir()
    (folder / "base.json").symlink_to(tmp_path / "base.json")
    child = write(folder / "child.json", {"extends": "base.json", "app_version": "2.0.0"})
    assert load_problems(child) == [
        f"{child}: extends: 'base.json' is outside the folder of {child}; allowed: a relative path to a file in that "
        "folder or below"
    ]


def test_extends_below_the_folder_is_read_at_every_level(tmp_path: Path) -> None:
    """A base's own base may go back up, as long as it stays below the env file's folder."""
    (tmp_path / "a" / "b").mkdir(parents=True)
    write(tmp_path / "root.json", read_env("dev"))
    write(tmp_path / "a" / "b" / "middle.json", {"extends": "../../root.json", "app_version": "3.0.0"})
    child = write(tmp_path / "child.json", {"extends": "./a/b/middle.json", "environment": "qa"})
    env = load_env_file(child)
    assert (env.environment, env.app_version) == ("qa", "3.0.0")


# --------------------------------------------------------------------------------------------- across files


def _other_organization(data: dict[str, Any]) -> dict[str, Any]:
    """Same environment name and state bucket, another organization and domain: only stacks and state keys clash."""
    data["organization"] = "globex"
    for service in data["services"]:
        service["route53"]["domain_name"] = "dev.globex.io"
    return data


def test_two_files_claiming_one_stack_and_state_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = write(tmp_path / "globex-dev.json", _other_organization(read_env("dev")))
    for argv in (["validate"], ["synth", "--outdir", str(tmp_path / "out")]):
        assert main([argv[0], "envs/dev.json", str(other), *argv[1:]]) == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        assert [line for line in captured.err.splitlines() if ": warning: " not in line] == [
            f"{other}: environment: {ENVIRONMENT_CLAIMS} are already used by envs/dev.json environment; "
            f"{ONE_ENVIRONMENT}",
            f"{other}: services[0].service_name: stack 'dev-app-service', state key "
            f"'ecs/dev/app-service/terraform.tfstate' are already used by envs/dev.json services[0]; {UNIQUE}",
            f"{other}: services[1].service_name: stack 'dev-docs', state key 'ecs/dev/docs/terraform.tfstate' are "
            f"already used by envs/dev.json services[1]; {UNIQUE}",
            "3 problems found; nothing was written",
        ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["globex-dev.json"]


ENVIRONMENT_CLAIMS = "stack 'dev-environment', state key 'ecs/dev/environment/terraform.tfstate'"
ONE_ENVIRONMENT = "each env file of one run needs an environment of its own"


def test_two_files_of_one_environment_are_refused_before_synth(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Workloads of their own, but one environment name: both files would write (and apply) the environment
    stack `dev-environment` under one state key. Refused with the field, not cdktf's duplicate-construct error."""
    data = _other_organization(read_env("dev"))
    for service in data["services"]:
        service["service_name"] = f"globex-{service['service_name']}"
    other = write(tmp_path / "globex-dev.json", data)
    assert main(["synth", "envs/dev.json", str(other), "--outdir", str(tmp_path / "out")]) == 2
    assert [line for line in capsys.readouterr().err.splitlines() if ": warning: " not in line] == [
        f"{other}: environment: {ENVIRONMENT_CLAIMS} are already used by envs/dev.json environment; {ONE_ENVIRONMENT}",
        "1 problem found; nothing was written",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["globex-dev.json"]


def test_two_files_claiming_one_dns_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = read_env("dev")
    data.update(environment="qa", state={**data["state"], "bucket": "acme-qa-terraform-state"})
    qa = write(tmp_path / "qa.json", data)
    assert main(["validate", str(qa), "envs/dev.json"]) == 2
    assert [line for line in capsys.readouterr().err.splitlines() if ": warning: " not in line] == [
        f"envs/dev.json: services[0].alb_domain_prefix: DNS name 'api.dev.acme.io' is already used by {qa} "
        f"services[0]; {UNIQUE}",
        f"envs/dev.json: services[1].alb_domain_prefix: DNS name 'docs.dev.acme.io' is already used by {qa} "
        f"services[1]; {UNIQUE}",
        "2 problems found; nothing was written",
    ]


def test_the_shipped_env_files_claim_distinct_names(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "envs/dev.json", "envs/staging.json", "envs/prod.json"]) == 0
