"""Security rules with a severity per environment: warnings by default, errors where the env file says so."""

from __future__ import annotations

import json

import pytest

from constructs_lib.cli import main
from constructs_lib.config import ConfigError, validate_env_data
from constructs_lib.config.loader import policy_warnings

from conftest import read_env


def without_opt_ins(data):
    """envs/dev.json as the spec's minimal services: no WAF, access logs, log KMS key or read-only root."""
    data.pop("kms_key_arn")
    for service in data["services"]:
        for key in ("waf_web_acl_arn", "alb_access_logs", "readonly_root_filesystem", "scratch_paths"):
            service.pop(key)
    return data


def test_without_a_policy_block_every_rule_only_warns(dev_data):
    without_opt_ins(dev_data)
    dev_data["services"][0]["parameters"]["environment"]["DB_PASSWORD"] = "hunter2"
    env = validate_env_data(dev_data, "envs/dev.json")
    warnings = policy_warnings(env)
    assert "services[0].parameters.environment.DB_PASSWORD: warning: the name looks like a credential, and environment " \
        "values are stored in plain text in the task definition and the Terraform state; move it to " \
        "parameters.secrets (SECRET or PARAM) (policy.credentials_in_environment)" in warnings
    assert "services[1].waf_web_acl_arn: warning: the internet-facing ALB has no WAF web ACL (policy.waf_on_internet_alb)" in warnings
    assert "services[1].container_repo: warning" not in " ".join(warnings)


def test_error_rules_fail_validation_with_file_and_field(dev_data):
    without_opt_ins(dev_data)
    dev_data["policy"] = {"waf_on_internet_alb": "error", "mutable_image_tag": "error"}
    dev_data["services"][1]["container_repo"] = "nginx:latest"
    with pytest.raises(ConfigError) as error:
        validate_env_data(dev_data, "envs/dev.json")
    assert error.value.problems == [
        "envs/dev.json: services[0].waf_web_acl_arn: error: the internet-facing ALB has no WAF web ACL (policy.waf_on_internet_alb)",
        "envs/dev.json: services[1].waf_web_acl_arn: error: the internet-facing ALB has no WAF web ACL (policy.waf_on_internet_alb)",
        "envs/dev.json: services[1].container_repo: error: 'nginx:latest' can change under the same name; pin a version "
        "tag or a digest (policy.mutable_image_tag)",
    ]


def test_off_silences_a_rule(dev_data):
    dev_data["policy"] = {rule: "off" for rule in (
        "waf_on_internet_alb", "alb_access_logs", "credentials_in_environment", "log_encryption",
        "readonly_root_filesystem", "deletion_protection", "open_alb_ingress", "mutable_image_tag")}
    assert policy_warnings(validate_env_data(dev_data, "envs/dev.json")) == []


def test_unknown_rule_and_severity_are_rejected(dev_data):
    dev_data["policy"] = {"waf_on_internet_alb": "fatal", "require_waf": "error"}
    with pytest.raises(ConfigError) as error:
        validate_env_data(dev_data, "envs/dev.json")
    assert error.value.problems == [
        "envs/dev.json: policy.waf_on_internet_alb: \"fatal\": input should be 'off', 'warning' or 'error'",
        "envs/dev.json: policy.require_waf: unknown key; allowed keys: waf_on_internet_alb, alb_access_logs, "
        "credentials_in_environment, log_encryption, readonly_root_filesystem, deletion_protection, open_alb_ingress, "
        "mutable_image_tag",
    ]


def test_shipped_prod_meets_its_own_error_rules_and_validate_prints_warnings(capsys, tmp_path, dev_data):
    minimal = tmp_path / "minimal.json"
    minimal.write_text(json.dumps(without_opt_ins(dev_data)))
    assert main(["validate", "envs/prod.json", str(minimal)]) == 0
    captured = capsys.readouterr()
    assert "envs/prod.json: valid (2 services)" in captured.out
    assert f"{minimal}: services[0].alb_access_logs: warning: the ALB writes no access logs (policy.alb_access_logs)" in captured.err
    assert "envs/prod.json:" not in captured.err
    assert read_env("prod")["policy"]["waf_on_internet_alb"] == "error"
