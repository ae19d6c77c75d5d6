"""Security rules with a severity per environment: warnings by default, errors where the env file says so."""

from __future__ import annotations

import json

import pytest
from conftest import read_env
from pydantic import ValidationError

from constructs_lib.cli.main import main
from constructs_lib.config import ConfigError, EnvConfig, ServiceConfig, validate_env_data
from constructs_lib.config.credential_names import is_credential_name
from constructs_lib.config.loader import format_validation_error, policy_warnings
from constructs_lib.config.policy import evaluate_policy


def without_opt_ins(data):
    """envs/dev.json with none of the secure settings: no WAF, access logs, log KMS key (neither the env file's nor
    the environment stack's) and a writable root filesystem."""
    data.pop("kms_key_arn")
    data["environment_resources"] = {"log_kms_key": False, "alb_access_logs": False, "waf_web_acl": False}
    for service in data["services"]:
        for key in ("waf_web_acl_arn", "alb_access_logs", "scratch_paths"):
            service.pop(key)
        service["readonly_root_filesystem"] = False
    return data


def test_the_environment_stack_and_the_defaults_satisfy_every_rule(dev_data):
    """No key for a WAF, access logs, a KMS key or a read-only root: the environment stack and the defaults."""
    dev_data.pop("kms_key_arn")
    for service in dev_data["services"]:
        for key in ("waf_web_acl_arn", "alb_access_logs", "readonly_root_filesystem", "scratch_paths"):
            service.pop(key)
    assert evaluate_policy(validate_env_data(dev_data, "envs/dev.json")) == []


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
        "mutable_image_tag, public_task_ip",
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


# --------------------------------------------------------------------------------------------- rules on meaning

WHOLE_INTERNET = "0.0.0.0/0: the ALB is open to the whole internet; allowed: public ranges of fewer than 16,777,216 addresses (a /8) in all"


@pytest.mark.parametrize("cidrs, message", [
    (["0.0.0.0/0"], f"0.0.0.0/0 covers {WHOLE_INTERNET}"),
    (["0.0.0.0/1", "128.0.0.0/1"], f"0.0.0.0/1 + 128.0.0.0/1 together cover {WHOLE_INTERNET}"),
    (["10.0.0.0/8", "0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/1"],
     f"0.0.0.0/2 + 64.0.0.0/2 + 128.0.0.0/1 together cover {WHOLE_INTERNET}"),
    (["11.0.0.0/8"], "11.0.0.0/8 covers 16,777,216 public addresses: the ALB is open to all of them; allowed: public "
                     "ranges of fewer than 16,777,216 addresses (a /8) in all"),
    (["11.0.0.0/9", "12.0.0.0/9"], "11.0.0.0/9 + 12.0.0.0/9 together cover 16,777,216 public addresses: the ALB is "
                                   "open to all of them; allowed: public ranges of fewer than 16,777,216 addresses "
                                   "(a /8) in all"),

    # 172.0.0.0/8 holds the private 172.16.0.0/12: 16,777,216 - 1,048,576 = 15,728,640 public addresses, under the
    # /8 threshold alone (see below); with 173.0.0.0/12 (1,048,576 more) the public total reaches 16,777,216.
    (["172.0.0.0/8", "173.0.0.0/12"], "172.0.0.0/8 + 173.0.0.0/12 together cover 16,777,216 public addresses: the "
                                      "ALB is open to all of them; allowed: public ranges of fewer than 16,777,216 "
                                      "addresses (a /8) in all"),
    # 2^31 less 0.0.0.0/8, 10.0.0.0/8, 127.0.0.0/8 (3 x 16,777,216) and 100.64.0.0/10 (4,194,304): 2,092,957,696
    (["0.0.0.0/1"], "0.0.0.0/1 covers 2,092,957,696 public addresses: the ALB is open to all of them; allowed: public "
                    "ranges of fewer than 16,777,216 addresses (a /8) in all"),
    # a private range written beside public ones is not named: it opens nothing to the internet
    (["192.168.0.0/16", "11.0.0.0/8"], "11.0.0.0/8 covers 16,777,216 public addresses: the ALB is open to all of "
                                       "them; allowed: public ranges of fewer than 16,777,216 addresses (a /8) in all"),
])
def test_open_ingress_is_judged_on_the_addresses_covered(dev_data, cidrs, message):
    dev_data["services"][0]["alb_ingress_cidrs"] = cidrs
    dev_data["policy"] = {"open_alb_ingress": "error"}
    with pytest.raises(ConfigError) as error:
        validate_env_data(dev_data, "envs/dev.json")
    assert error.value.problems == [f"envs/dev.json: services[0].alb_ingress_cidrs: error: {message} (policy.open_alb_ingress)"]


@pytest.mark.parametrize("cidrs", [["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"], ["11.0.0.0/9"],
                                   ["203.0.113.0/24", "198.51.100.0/24"],
                                   # 15,728,640 public addresses (its 172.16.0.0/12 is private): under the /8 threshold
                                   ["172.0.0.0/8"], ["100.0.0.0/8"], ["172.0.0.0/8", "10.0.0.0/8"]])
def test_private_and_narrow_public_ranges_are_not_open_ingress(dev_data, cidrs):
    dev_data["services"][0]["alb_ingress_cidrs"] = cidrs
    dev_data["policy"] = {"open_alb_ingress": "error"}
    assert validate_env_data(dev_data, "envs/dev.json").services[0].alb_ingress_cidrs == cidrs


@pytest.mark.parametrize("cidr, message", [
    ("10.0.0.1/8", '"10.0.0.1/8" has host bits set; allowed: its network 10.0.0.0/8'),
    ("300.0.0.0/8", '"300.0.0.0/8" is not an IPv4 CIDR block; allowed: e.g. 10.0.0.0/16'),
    ("10.0.0.0/33", '"10.0.0.0/33" is not an IPv4 CIDR block; allowed: e.g. 10.0.0.0/16'),
])
def test_an_ingress_cidr_is_a_real_network(dev_data, cidr, message):
    dev_data["services"][0]["alb_ingress_cidrs"] = [cidr]
    with pytest.raises(ConfigError) as error:
        validate_env_data(dev_data, "envs/dev.json")
    assert error.value.problems == [f"envs/dev.json: services[0].alb_ingress_cidrs[0]: {message}"]


CREDENTIALS = ["DB_PASS", "DB_PASSWORD", "dbPassword", "db-pass", "DB_PWD", "PASSWD", "PASSPHRASE", "APIKEY",
               "API_KEY", "apiKey", "X_APIKEY", "PRIVATE_KEY_PEM", "privateKey", "AWS_SECRET_ACCESS_KEY",
               "SECRET_KEY_BASE", "JWT_SECRET", "clientSecret", "GITHUB_TOKEN", "OAuth2Token", "AuthToken",
               "REDIS_CREDENTIALS", "STRIPE_KEY", "KEY", "BASIC_AUTH", "MYSQL_ROOT_PASSWORD"]
NOT_CREDENTIALS = ["PASSENGER_COUNT", "BYPASS_CACHE", "PASSPORT_STRATEGY", "COMPASS_URL", "PWD", "TOKEN_URL",
                   "PASSWORD_FILE", "SECRET_ARN", "AUTH_URL", "AUTH_ENABLED", "MAX_TOKENS", "TOKENIZER_MODEL",
                   "KEYCLOAK_URL", "MONKEY", "KEYBOARD_LAYOUT", "SECRETARY_EMAIL", "CACHE_KEY", "SORT_KEY",
                   "AWS_ACCESS_KEY_ID", "NODE_ENV", "LOG_LEVEL"]


@pytest.mark.parametrize("name", CREDENTIALS)
def test_credential_names_are_read_word_by_word(name):
    assert is_credential_name(name)


@pytest.mark.parametrize("name", NOT_CREDENTIALS)
def test_names_that_only_contain_a_credential_word_are_not_credentials(name):
    assert not is_credential_name(name)


def test_credentials_in_any_containers_environment_are_flagged(dev_data):
    """Through the loader, in the app's and in a sidecar's environment, as errors where the env file says so."""
    dev_data["policy"] = {"credentials_in_environment": "error"}
    dev_data["services"][1]["parameters"]["environment"] = {"DB_PASS": "x", "PASSENGER_COUNT": "4"}
    dev_data["services"][1]["sidecars"] = [{"name": "agent", "image": "busybox:1.36", "environment": {"APIKEY": "x"}}]
    with pytest.raises(ConfigError) as error:
        validate_env_data(dev_data, "envs/dev.json")
    advice = ("error: the name looks like a credential, and environment values are stored in plain text in the task "
              "definition and the Terraform state; move it to parameters.secrets (SECRET or PARAM) "
              "(policy.credentials_in_environment)")
    assert error.value.problems == [
        f"envs/dev.json: services[1].parameters.environment.DB_PASS: {advice}",
        f"envs/dev.json: services[1].sidecars[0].environment.APIKEY: {advice}",
    ]


def test_rules_on_meaning_apply_to_models_built_in_python(dev_data):
    dev_data["services"][0]["alb_ingress_cidrs"] = ["0.0.0.0/1", "128.0.0.0/1"]
    dev_data["services"][0]["parameters"]["environment"]["PRIVATE_KEY_PEM"] = "x"
    services = [ServiceConfig(**service) for service in dev_data.pop("services")]
    findings = evaluate_policy(EnvConfig(**dev_data, services=services))
    assert [(f.rule, f.path) for f in findings] == [
        ("open_alb_ingress", "services[0].alb_ingress_cidrs"),
        ("credentials_in_environment", "services[0].parameters.environment.PRIVATE_KEY_PEM"),
    ]


def test_a_range_holding_a_private_one_counts_only_its_public_addresses_in_python_models(dev_data):
    """The review's case through models built in Python: 172.0.0.0/8 is not 16,777,216 public addresses."""
    dev_data["policy"] = {"open_alb_ingress": "error"}
    dev_data["services"][0]["alb_ingress_cidrs"] = ["172.0.0.0/8"]
    services = [ServiceConfig(**service) for service in dev_data.pop("services")]
    assert "open_alb_ingress" not in [f.rule for f in evaluate_policy(EnvConfig(**dev_data, services=services))]
    services[0] = ServiceConfig(**{**services[0].model_dump(exclude_unset=True),
                                   "alb_ingress_cidrs": ["172.0.0.0/8", "173.0.0.0/12"]})
    with pytest.raises(ValidationError) as caught:
        EnvConfig(**dev_data, services=services)
    assert format_validation_error(caught.value) == [
        "services[0].alb_ingress_cidrs: error: 172.0.0.0/8 + 173.0.0.0/12 together cover 16,777,216 public addresses: "
        "the ALB is open to all of them; allowed: public ranges of fewer than 16,777,216 addresses (a /8) in all "
        "(policy.open_alb_ingress)"
    ]


def test_the_waf_rule_is_for_internet_facing_albs_only(dev_data):
    """An internal ALB (private subnets) is not reachable from the internet and the environment's web ACL is not
    associated with it: no WAF is expected there, while the internet-facing ALB beside it is still flagged."""
    without_opt_ins(dev_data)
    dev_data["policy"] = {"waf_on_internet_alb": "error"}
    dev_data["services"][0]["internal"] = True
    with pytest.raises(ConfigError) as error:
        validate_env_data(dev_data, "envs/dev.json")
    assert [p for p in error.value.problems if "waf_on_internet_alb" in p] == [
        "envs/dev.json: services[1].waf_web_acl_arn: error: the internet-facing ALB has no WAF web ACL "
        "(policy.waf_on_internet_alb)",
    ]
    dev_data["services"][1]["internal"] = True
    env = validate_env_data(dev_data, "envs/dev.json")
    assert [f for f in evaluate_policy(env) if f.rule == "waf_on_internet_alb"] == []
