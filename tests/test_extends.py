"""`extends`: one service, several environments, declared once; errors name the file that wrote the value."""

from __future__ import annotations

import json

import pytest
from conftest import read_env

from constructs_lib.config import ConfigError, load_env_file


@pytest.fixture
def layered(tmp_path):
    base = read_env("dev")
    for key in ("environment", "account_id", "app_version", "state", "$schema", "kms_key_arn"):
        base.pop(key)
    del base["services"][0]["parameters"]["secrets"]["DATABASE_URL"]  # a base shared by accounts names no account's ARNs
    (tmp_path / "base").mkdir()
    (tmp_path / "base" / "common.json").write_text(json.dumps(base))
    child = {
        "extends": "base/common.json",
        "environment": "test",
        "account_id": "333333333333",
        "app_version": "2.0.0",
        "state": {"bucket": "acme-test-terraform-state", "region": "eu-west-1"},
        "network": {"vpc_id": "vpc-0c1d2e3f4a5b60918"},
        "tags": {"cost-center": "qa"},
    }
    return tmp_path, base, child


def write(path, data):
    path.write_text(json.dumps(data))
    return path


def test_child_overrides_and_objects_merge(layered):
    folder, base, child = layered
    env = load_env_file(write(folder / "test.json", child))
    assert env.environment == "test" and env.account_id == "333333333333"
    assert env.network.vpc_id == "vpc-0c1d2e3f4a5b60918"
    assert env.network.private_subnet_ids == base["network"]["private_subnet_ids"]  # merged, not dropped
    assert env.tags == {"cost-center": "qa"}
    assert [s.service_name for s in env.services] == ["app-service", "docs"]


def test_an_arn_of_another_account_in_the_base_names_the_base_file(layered):
    folder, base, child = layered
    base["kms_key_arn"] = "arn:aws:kms:eu-west-1:111111111111:key/3c2b1a09-8f7e-6d5c-4b3a-291807f6e5d4"
    write(folder / "base" / "common.json", base)
    child_path = write(folder / "test.json", child)
    with pytest.raises(ConfigError) as error:
        load_env_file(child_path)
    assert error.value.problems == [
        f"{folder / 'base' / 'common.json'} (extended by {child_path}): kms_key_arn: "
        "'arn:aws:kms:eu-west-1:111111111111:key/3c2b1a09-8f7e-6d5c-4b3a-291807f6e5d4' belongs to account "
        "111111111111, not this environment's 333333333333; allowed: account 333333333333 or one listed in "
        "trusted_account_ids"
    ]


def test_lists_are_replaced_not_appended(layered):
    folder, base, child = layered
    child["network"]["public_subnet_ids"] = ["subnet-0c1d2e3f4a5b60921", "subnet-0c1d2e3f4a5b60922"]
    child["services"] = [base["services"][1]]
    env = load_env_file(write(folder / "test.json", child))
    assert env.network.public_subnet_ids == ["subnet-0c1d2e3f4a5b60921", "subnet-0c1d2e3f4a5b60922"]
    assert [s.service_name for s in env.services] == ["docs"]


def test_errors_name_the_file_that_wrote_the_value(layered):
    folder, base, child = layered
    base["services"][1]["cpu"] = 300
    write(folder / "base" / "common.json", base)
    child["account_id"] = "3333"
    child_path = write(folder / "test.json", child)
    with pytest.raises(ConfigError) as error:
        load_env_file(child_path)
    assert error.value.problems == [
        f"{child_path}: account_id: \"3333\" is not an AWS account id; allowed: a string of 12 digits",
        f"{folder / 'base' / 'common.json'} (extended by {child_path}): services[1].cpu: 300 is not a Fargate CPU "
        "value; allowed: 256, 512, 1024, 2048, 4096, 8192, 16384",
    ]


def test_a_cycle_is_reported(tmp_path):
    write(tmp_path / "a.json", {"extends": "b.json"})
    write(tmp_path / "b.json", {"extends": "a.json"})
    with pytest.raises(ConfigError) as error:
        load_env_file(tmp_path / "a.json")
    assert error.value.problems == [
        f"{tmp_path / 'b.json'}: extends: 'a.json' makes a cycle: {tmp_path / 'a.json'} -> {tmp_path / 'b.json'} -> {tmp_path / 'a.json'}"
    ]


def test_a_missing_base_names_the_base(tmp_path):
    write(tmp_path / "a.json", {"extends": "missing.json"})
    with pytest.raises(ConfigError) as error:
        load_env_file(tmp_path / "a.json")
    assert error.value.problems == [f"{tmp_path / 'missing.json'}: no such file"]


def test_extends_must_name_a_json_file(tmp_path):
    write(tmp_path / "a.json", {"extends": 3})
    with pytest.raises(ConfigError) as error:
        load_env_file(tmp_path / "a.json")
    assert error.value.problems == [f"{tmp_path / 'a.json'}: extends: 3 is not a file name; allowed: a relative path to a .json file"]
