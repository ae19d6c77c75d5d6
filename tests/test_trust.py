"""Least privilege that an env file cannot widen: every ARN or key that reaches an IAM statement (or names a KMS
key or a listener we attach to) is exact, of this environment's account and region or of an account it lists.

Config layer only (no cdktf): each rule through the loader with its exact message, through the CLI as a user
runs it (exit 2, nothing written), and through the Python models. The synthesized statements are checked in
test_service_stack.py (`test_iam_statements_name_exact_arns_of_trusted_accounts`) and test_snapshots.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import drop_own_alb_keys, read_env
from pydantic import ValidationError

from constructs_lib.config import ConfigError, ContainerSecretConfig, EnvConfig, ServiceConfig, validate_env_data
from constructs_lib.config.loader import format_validation_error
from constructs_lib.config.service_names import ServiceNames
from constructs_lib.config.trust import own_alb_names
from constructs_lib.props.arns import Arn, arn_region_account, listener_alb_name, parse_arn
from constructs_lib.props.naming import Naming

SOURCE = "envs/x.json"
WILDCARD = (
    "contains * or ?, which IAM reads as wildcards (the grant would reach other resources); allowed: one exact name or ARN"
)
OWN_ACCOUNT = "allowed: account 111111111111 or one listed in trusted_account_ids"
OWN_LISTENER = (
    "arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener/app/acme-dev-app-alb/50dc6c495c0c9188/f2f7dc8efc522ab2"
)
OTHER_TEAMS_LISTENER = OWN_LISTENER.replace("acme-dev-app-alb", "platform-edge")
NOT_OURS = (
    "allowed: the ALB of a service of this env file (one without shared_alb) or of "
    "environment_resources.load_balancers, or list the listener ARN in trusted_listener_arns"
)


def problems_of(data: dict[str, Any]) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        validate_env_data(data, SOURCE)
    return caught.value.problems


def app(data: dict[str, Any]) -> dict[str, Any]:
    return data["services"][0]


def docs(data: dict[str, Any]) -> dict[str, Any]:
    return data["services"][1]


def secret(arn: str) -> dict[str, Any]:
    return {"name": "x", "value_from": "SECRET", "arn": arn}


def on_shared_alb(data: dict[str, Any], listener: str) -> None:
    drop_own_alb_keys(docs(data))
    docs(data)["shared_alb"] = {"listener_arn": listener, "security_group_id": "sg-0123456789abcdef0"}
    docs(data)["listener_rules"] = [{"priority": 5, "path_patterns": ["/*"]}]


# Each setter writes one user-given value that would reach an IAM Resource (or a KMS key / listener) and returns
# its path; the value is the wildcard the issue names or its closest kin.
WILDCARDS: dict[str, tuple[Callable[[dict[str, Any], str], str], str]] = {
    "secret": (lambda d, v: app(d)["parameters"]["secrets"]["DATABASE_URL"].update(arn=v)
               or "services[0].parameters.secrets.DATABASE_URL.arn", "arn:aws:secretsmanager:*:*:secret:*"),
    "secret suffix": (lambda d, v: app(d)["parameters"]["secrets"]["DATABASE_URL"].update(arn=v)
                      or "services[0].parameters.secrets.DATABASE_URL.arn",
                      "arn:aws:secretsmanager:eu-west-1:111111111111:secret:db-credentials-??????"),
    "sidecar secret": (lambda d, v: docs(d).update(sidecars=[{"name": "agent", "image": "busybox:1.36",
                                                              "secrets": {"KEY": secret(v)}}])
                       or "services[1].sidecars[0].secrets.KEY.arn",
                       "arn:aws:secretsmanager:eu-west-1:111111111111:secret:*"),
    "log driver parameter": (lambda d, v: docs(d).update(log_driver={"name": "splunk", "secret_options": {"token": v}})
                             or "services[1].log_driver.secret_options.token",
                             "arn:aws:ssm:eu-west-1:111111111111:parameter/*"),
    "firelens secret": (lambda d, v: docs(d).update(firelens={"secret_options": {"apikey": v}})
                        or "services[1].firelens.secret_options.apikey",
                        "arn:aws:secretsmanager:eu-west-1:111111111111:secret:datadog-*"),
    "log KMS key": (lambda d, v: d.update(kms_key_arn=v) or "kms_key_arn", "arn:aws:kms:eu-west-1:111111111111:key/*"),
    "state KMS key": (lambda d, v: d["state"].update(kms_key_id=v) or "state.kms_key_id",
                      "arn:aws:kms:eu-west-1:111111111111:alias/*"),
    "ephemeral storage KMS key": (lambda d, v: docs(d).update(fargate_ephemeral_storage_kms_key_id=v)
                                  or "services[1].fargate_ephemeral_storage_kms_key_id", "key/*"),
    "managed storage KMS key": (lambda d, v: docs(d).update(managed_storage_kms_key_id=v)
                                or "services[1].managed_storage_kms_key_id", "*"),
    "env file key": (lambda d, v: app(d)["environment_files"][0].update(file_path=v)
                     or "services[0].environment_files[0].file_path", "dev/*.env"),
    "env file key ?": (lambda d, v: app(d)["environment_files"][0].update(file_path=v)
                       or "services[0].environment_files[0].file_path", "dev/config?.env"),
    "listener": (lambda d, v: on_shared_alb(d, v) or "services[1].shared_alb.listener_arn",
                 "arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener/app/*/*/*"),
    "trusted listener": (lambda d, v: d.update(trusted_listener_arns=[v]) or "trusted_listener_arns[0]",
                         "arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener/app/acme-dev-*/1/2"),
}


@pytest.mark.parametrize("case", WILDCARDS)
def test_a_wildcard_is_rejected_where_it_is_written(dev_data: dict[str, Any], case: str) -> None:
    setter, value = WILDCARDS[case]
    path = setter(dev_data, value)
    assert problems_of(dev_data) == [f"{SOURCE}: {path}: {json.dumps(value)} {WILDCARD}"]


def test_a_param_secret_name_cannot_be_a_wildcard(dev_data: dict[str, Any]) -> None:
    """PARAM names become `arn:aws:ssm:...:parameter/<name>`; the name allows no `*` (`parameter/*`)."""
    app(dev_data)["parameters"]["secrets"]["API_KEY"]["name"] = "/acme/*"
    assert problems_of(dev_data) == [
        f'{SOURCE}: services[0].parameters.secrets.API_KEY.name: "/acme/*" is not an SSM parameter name; '
        "allowed: letters, digits, '_', '.', '-' and '/'"
    ]


def test_a_log_secret_option_must_be_an_arn(dev_data: dict[str, Any]) -> None:
    docs(dev_data)["log_driver"] = {"name": "splunk", "secret_options": {"token": "splunk-token"}}
    assert problems_of(dev_data) == [
        f'{SOURCE}: services[1].log_driver.secret_options.token: "splunk-token" is not a Secrets Manager secret or '
        "SSM parameter ARN; allowed: arn:aws:secretsmanager:<region>:<account>:secret:<name> or "
        "arn:aws:ssm:<region>:<account>:parameter/<name>"
    ]


# --------------------------------------------------------------------------------------------- account and region


def test_arns_of_another_account_or_region_are_rejected(dev_data: dict[str, Any]) -> None:
    """A copy-paste from the prod env file (account 222222222222) or another region, in every kind of field."""
    secrets = app(dev_data)["parameters"]["secrets"]
    secrets["DATABASE_URL"]["arn"] = "arn:aws:secretsmanager:eu-west-1:222222222222:secret:db-credentials-Xy12Zq"
    secrets["REPLICA_URL"] = secret("arn:aws:secretsmanager:us-east-1:111111111111:secret:replica-AbCdEf")
    docs(dev_data)["log_driver"] = {
        "name": "splunk", "secret_options": {"token": "arn:aws:ssm:eu-west-1:999999999999:parameter/splunk/token"}
    }
    docs(dev_data)["fargate_ephemeral_storage_kms_key_id"] = "arn:aws:kms:eu-west-2:111111111111:key/1a2b3c4d"
    dev_data["kms_key_arn"] = "arn:aws:kms:eu-west-1:222222222222:key/7f6e5d4c-3b2a-1908-f7e6-d5c4b3a29180"
    dev_data["state"].update(region="eu-central-1", kms_key_id="arn:aws:kms:eu-west-1:111111111111:key/1a2b3c4d")
    assert problems_of(dev_data) == [
        f"{SOURCE}: kms_key_arn: 'arn:aws:kms:eu-west-1:222222222222:key/7f6e5d4c-3b2a-1908-f7e6-d5c4b3a29180' "
        f"belongs to account 222222222222, not this environment's 111111111111; {OWN_ACCOUNT}",
        f"{SOURCE}: state.kms_key_id: 'arn:aws:kms:eu-west-1:111111111111:key/1a2b3c4d' is in region 'eu-west-1', "
        "not this environment's 'eu-central-1'; allowed: an ARN in eu-central-1",
        f"{SOURCE}: services[0].parameters.secrets.DATABASE_URL.arn: "
        "'arn:aws:secretsmanager:eu-west-1:222222222222:secret:db-credentials-Xy12Zq' belongs to account "
        f"222222222222, not this environment's 111111111111; {OWN_ACCOUNT}",
        f"{SOURCE}: services[0].parameters.secrets.REPLICA_URL.arn: "
        "'arn:aws:secretsmanager:us-east-1:111111111111:secret:replica-AbCdEf' is in region 'us-east-1', not this "
        "environment's 'eu-west-1'; allowed: an ARN in eu-west-1",
        f"{SOURCE}: services[1].log_driver.secret_options.token: 'arn:aws:ssm:eu-west-1:999999999999:parameter/"
        f"splunk/token' belongs to account 999999999999, not this environment's 111111111111; {OWN_ACCOUNT}",
        f"{SOURCE}: services[1].fargate_ephemeral_storage_kms_key_id: 'arn:aws:kms:eu-west-2:111111111111:key/"
        "1a2b3c4d' is in region 'eu-west-2', not this environment's 'eu-west-1'; allowed: an ARN in eu-west-1",
    ]


def test_an_account_listed_in_trusted_account_ids_is_allowed(dev_data: dict[str, Any]) -> None:
    shared = "arn:aws:secretsmanager:eu-west-1:999999999999:secret:shared/datadog-AbCdEf"
    app(dev_data)["parameters"]["secrets"]["DD_API_KEY"] = secret(shared)
    dev_data["trusted_account_ids"] = ["999999999999"]
    env = validate_env_data(dev_data, SOURCE)
    assert env.trusted_account_ids == ["999999999999"]
    assert env.services[0].parameters.secrets["DD_API_KEY"].arn == shared


def test_accounts_does_not_trust_an_account(dev_data: dict[str, Any]) -> None:
    """`accounts` says where images come from; it grants no secret of those accounts (prod is listed in dev)."""
    assert dev_data["accounts"]["prod"] == "222222222222"
    app(dev_data)["parameters"]["secrets"]["DATABASE_URL"]["arn"] = "arn:aws:secretsmanager:eu-west-1:222222222222:secret:db"
    assert [p.split(": ", 2)[1] for p in problems_of(dev_data)] == ["services[0].parameters.secrets.DATABASE_URL.arn"]


# --------------------------------------------------------------------------------------------- shared ALB listener


def test_a_listener_of_an_alb_of_this_environment_is_accepted(dev_data: dict[str, Any]) -> None:
    on_shared_alb(dev_data, OWN_LISTENER)
    assert validate_env_data(dev_data, SOURCE).services[1].shared_alb.listener_arn == OWN_LISTENER


def test_another_teams_listener_is_rejected_with_the_rule(dev_data: dict[str, Any]) -> None:
    on_shared_alb(dev_data, OTHER_TEAMS_LISTENER)
    assert problems_of(dev_data) == [
        f"{SOURCE}: services[1].shared_alb.listener_arn: the ALB 'platform-edge' is not one of this environment's "
        f"(its services create 'acme-dev-app-alb'); {NOT_OURS}"
    ]


def test_another_environments_alb_is_not_this_ones(dev_data: dict[str, Any]) -> None:
    """`acme-devops-...` starts with `acme-dev` but not with `acme-dev-`."""
    on_shared_alb(dev_data, OWN_LISTENER.replace("acme-dev-app-alb", "acme-devops-app-alb"))
    assert problems_of(dev_data) == [
        f"{SOURCE}: services[1].shared_alb.listener_arn: the ALB 'acme-devops-app-alb' is not one of this "
        f"environment's (its services create 'acme-dev-app-alb'); {NOT_OURS}"
    ]


@pytest.mark.parametrize("alb", ["acme-dev-eu-shared", "acme-dev-app-alb-2", "acme-dev-docs-alb"])
def test_an_alb_with_this_environments_prefix_is_not_enough(dev_data: dict[str, Any], alb: str) -> None:
    """Organization and environment allow hyphens: `acme-dev-eu-shared` starts with acme/dev's `acme-dev-` but may be
    environment `dev-eu`'s ALB (org acme) or org `acme-dev`'s. Only a name a service of this file creates is ours;
    `acme-dev-docs-alb` is not created either, since docs itself is on the shared ALB."""
    listener = OWN_LISTENER.replace("acme-dev-app-alb", alb)
    on_shared_alb(dev_data, listener)
    assert problems_of(dev_data) == [
        f"{SOURCE}: services[1].shared_alb.listener_arn: the ALB {alb!r} is not one of this environment's "
        f"(its services create 'acme-dev-app-alb'); {NOT_OURS}"
    ]
    dev_data["trusted_listener_arns"] = [listener]
    assert validate_env_data(dev_data, SOURCE).services[1].shared_alb.listener_arn == listener


def test_another_environment_with_a_hyphen_cannot_take_the_listener(dev_data: dict[str, Any]) -> None:
    """The review's case: acme/prod's prefix `acme-prod-` is a prefix of acme/prod-eu's ALB `acme-prod-eu-shared`."""
    dev_data.update(environment="prod", accounts={**dev_data["accounts"], "prod": "111111111111"})
    listener = OWN_LISTENER.replace("acme-dev-app-alb", "acme-prod-eu-shared")
    on_shared_alb(dev_data, listener)
    assert problems_of(dev_data) == [
        f"{SOURCE}: services[1].shared_alb.listener_arn: the ALB 'acme-prod-eu-shared' is not one of this "
        f"environment's (its services create 'acme-prod-app-alb'); {NOT_OURS}"
    ]
    on_shared_alb(dev_data, OWN_LISTENER.replace("acme-dev-app-alb", "acme-prod-app-alb"))
    assert validate_env_data(dev_data, SOURCE).environment == "prod"


def test_an_env_file_whose_services_create_no_alb_says_so(dev_data: dict[str, Any]) -> None:
    on_shared_alb(dev_data, OWN_LISTENER)
    drop_own_alb_keys(app(dev_data))
    app(dev_data).update(shared_alb=docs(dev_data)["shared_alb"], listener_rules=[{"priority": 6, "path_patterns": ["/a"]}])
    problems = problems_of(dev_data)
    assert problems == [
        f"{SOURCE}: services[{index}].shared_alb.listener_arn: the ALB 'acme-dev-app-alb' is not one of this "
        f"environment's (its services create no ALB); {NOT_OURS}"
        for index in (0, 1)
    ]


def test_many_albs_are_counted_not_listed(dev_data: dict[str, Any]) -> None:
    on_shared_alb(dev_data, OWN_LISTENER.replace("acme-dev-app-alb", "acme-dev-eu-shared"))
    dev_data["services"][:1] = [
        {**app(dev_data), "service_name": f"s{i}", "cluster_name": f"c{i}", "alb_name": f"alb-{i}", "alb_domain_prefix": f"s{i}"}
        for i in range(6)
    ]
    assert problems_of(dev_data) == [
        f"{SOURCE}: services[6].shared_alb.listener_arn: the ALB 'acme-dev-eu-shared' is not one of this "
        "environment's (its services create 6 ALBs, each named {organization}-{environment}-{alb_name}); "
        f"{NOT_OURS}"
    ]
    dev_data["services"][6]["shared_alb"]["listener_arn"] = OWN_LISTENER.replace("acme-dev-app-alb", "acme-dev-alb-5")
    assert validate_env_data(dev_data, SOURCE).services[6].shared_alb is not None


def test_a_listed_listener_may_be_shared(dev_data: dict[str, Any]) -> None:
    on_shared_alb(dev_data, OTHER_TEAMS_LISTENER)
    dev_data["trusted_listener_arns"] = [OTHER_TEAMS_LISTENER]
    assert validate_env_data(dev_data, SOURCE).services[1].shared_alb.listener_arn == OTHER_TEAMS_LISTENER


def test_a_listener_of_another_account_is_rejected_even_when_listed(dev_data: dict[str, Any]) -> None:
    foreign = OTHER_TEAMS_LISTENER.replace("111111111111", "222222222222")
    on_shared_alb(dev_data, foreign)
    dev_data["trusted_listener_arns"] = [foreign]
    dev_data["trusted_account_ids"] = ["222222222222"]
    assert problems_of(dev_data) == [
        f"{SOURCE}: services[1].shared_alb.listener_arn: {foreign!r} is not in this environment's account "
        "111111111111 and region eu-west-1; a listener rule can only attach to an ALB there"
    ]


@pytest.mark.parametrize("organization, environment", [("acme", "dev"), ("averyveryverylongorg", "production"),
                                                       ("a" * 20, "b" * 20), ("acme", "abcdefghijklmnopqrs")])
def test_the_rule_knows_the_alb_names_the_constructs_create(organization: str, environment: str) -> None:
    """The names the trust rule accepts are exactly ServiceNames' ALB names (cut to 32 with a hash when long)."""
    data = read_env("dev")
    data.update(organization=organization, environment=environment)
    data["services"][1]["alb_name"] = "-".join(["part"] * 9)
    env = EnvConfig(**data)
    expected = [ServiceNames(env, service).load_balancer for service in env.services]
    assert own_alb_names(Naming(organization, environment), env.services) == expected
    assert own_alb_names(Naming(organization, environment), data["services"]) == expected
    assert all(len(name) <= 32 for name in expected)


# --------------------------------------------------------------------------------------------- Python models


def test_the_models_reject_a_wildcard_secret_arn() -> None:
    with pytest.raises(ValidationError) as caught:
        ContainerSecretConfig(name="db", value_from="SECRET", arn="arn:aws:secretsmanager:*:*:secret:*")
    assert format_validation_error(caught.value) == [f'arn: "arn:aws:secretsmanager:*:*:secret:*" {WILDCARD}']


def test_the_models_reject_a_foreign_secret_given_as_a_service_model() -> None:
    """A Python caller building EnvConfig from ServiceConfig objects gets the same account rule."""
    data = read_env("dev")
    app(data)["parameters"]["secrets"]["DATABASE_URL"]["arn"] = "arn:aws:secretsmanager:eu-west-1:222222222222:secret:db"
    services = [ServiceConfig(**service) for service in data.pop("services")]
    with pytest.raises(ValidationError) as caught:
        EnvConfig(**data, services=services)
    assert format_validation_error(caught.value) == [
        "services[0].parameters.secrets.DATABASE_URL.arn: 'arn:aws:secretsmanager:eu-west-1:222222222222:secret:db' "
        f"belongs to account 222222222222, not this environment's 111111111111; {OWN_ACCOUNT}"
    ]
    assert EnvConfig(**data, services=services, trusted_account_ids=["222222222222"]).services == services


def test_the_models_refuse_a_listener_on_an_alb_that_only_shares_the_prefix() -> None:
    """The same rule for a Python caller building EnvConfig from ServiceConfig objects."""
    data = read_env("dev")
    on_shared_alb(data, OWN_LISTENER.replace("acme-dev-app-alb", "acme-dev-eu-shared"))
    services = [ServiceConfig(**service) for service in data.pop("services")]
    with pytest.raises(ValidationError) as caught:
        EnvConfig(**data, services=services)
    assert format_validation_error(caught.value) == [
        "services[1].shared_alb.listener_arn: the ALB 'acme-dev-eu-shared' is not one of this environment's "
        f"(its services create 'acme-dev-app-alb'); {NOT_OURS}"
    ]
    services[1] = ServiceConfig(**{**services[1].model_dump(exclude_unset=True),
                                   "shared_alb": {"listener_arn": OWN_LISTENER, "security_group_id": "sg-0123456789abcdef0"}})
    assert EnvConfig(**data, services=services).services[1].shared_alb.listener_arn == OWN_LISTENER


# --------------------------------------------------------------------------------------------- the CLI


def test_synth_of_a_wildcard_secret_exits_2_and_writes_nothing(tmp_path: Path, dev_data: dict[str, Any]) -> None:
    app(dev_data)["parameters"]["secrets"]["DATABASE_URL"]["arn"] = "arn:aws:secretsmanager:*:*:secret:*"
    on_shared_alb(dev_data, OTHER_TEAMS_LISTENER)
    (tmp_path / "envs").mkdir()
    (tmp_path / "envs" / "dev.json").write_text(json.dumps(dev_data))
    done = subprocess.run(
        [sys.executable, "-m", "constructs_lib", "synth", "envs/dev.json", "--outdir", "out"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f'envs/dev.json: services[0].parameters.secrets.DATABASE_URL.arn: "arn:aws:secretsmanager:*:*:secret:*" '
        f"{WILDCARD}",
        "envs/dev.json: services[1].shared_alb.listener_arn: the ALB 'platform-edge' is not one of this "
        f"environment's (its services create 'acme-dev-app-alb'); {NOT_OURS}",
        "2 problems found; nothing was written",
    ]
    assert "Traceback" not in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["envs"]


def test_a_bad_state_region_is_reported_once(dev_data: dict[str, Any]) -> None:
    """The state key's region is checked against a valid state.region only: no second, misleading message."""
    dev_data["state"].update(region="Ireland", kms_key_id="arn:aws:kms:eu-west-1:111111111111:key/1a2b3c4d")
    assert problems_of(dev_data) == [
        f'{SOURCE}: state.region: "Ireland" is not an AWS region name; allowed: a region name like eu-west-1 or us-east-1'
    ]


# --------------------------------------------------------------------------------------------- the one ARN parser


@pytest.mark.parametrize("value, parsed", [
    ("arn:aws:acm:us-east-1:111111111111:certificate/0f1e", ("aws", "acm", "us-east-1", "111111111111", "certificate/0f1e")),
    ("arn:aws-us-gov:kms:us-gov-west-1:111111111111:key/1a2b", ("aws-us-gov", "kms", "us-gov-west-1", "111111111111", "key/1a2b")),
    ("arn:aws:kms:eu-west-1:1111:key/1a2b", None),  # not a 12-digit account
    ("arn:aws:secretsmanager:eu-west-1:111111111111:secret:*", None),  # an IAM wildcard
    ("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", None),  # a plain id
])
def test_config_rules_read_arns_through_one_parser(value: str, parsed: tuple[str, ...] | None) -> None:
    assert parse_arn(value) == (None if parsed is None else Arn(*parsed))
    assert arn_region_account(value) == (None if parsed is None else (parsed[2], parsed[3]))


def test_the_alb_name_of_a_listener_arn() -> None:
    assert listener_alb_name(OWN_LISTENER) == "acme-dev-app-alb"
    assert listener_alb_name("arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/tg/1") is None
