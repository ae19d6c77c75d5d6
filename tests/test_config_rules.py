"""Every validation rule of an env file, with the exact message a user reads.

Config layer only: no cdktf, no jsii, fast. Each test mutates a copy of envs/dev.json and asserts the complete
list of problems (`ConfigError.problems`), so a rule that fires too often, too rarely, at the wrong field or
with other words fails here. Messages follow `FILE: services[0].cpu: <the value given, what is wrong, what is
allowed>`.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import read_env

from constructs_lib.config import (
    ConfigError,
    EnvConfig,
    ServiceConfig,
    load_env_file,
    load_env_files,
    validate_env_data,
)

SOURCE = "envs/x.json"

# AWS Fargate task sizes (docs: "Task CPU and memory"), written out independently of constructs_lib.props.limits.
FARGATE_MEMORY_BY_CPU = {
    256: [512, 1024, 2048],
    512: [1024, 2048, 3072, 4096],
    1024: list(range(2048, 8192 + 1, 1024)),
    2048: list(range(4096, 16384 + 1, 1024)),
    4096: list(range(8192, 30720 + 1, 1024)),
    8192: list(range(16384, 61440 + 1, 4096)),
    16384: list(range(32768, 122880 + 1, 8192)),
}
VALID_COMBINATIONS = [(cpu, memory) for cpu, memories in FARGATE_MEMORY_BY_CPU.items() for memory in memories]
CPU_VALUES = "256, 512, 1024, 2048, 4096, 8192, 16384"

TOP_KEYS = (
    "$schema, extends, organization, environment, account_id, region, accounts, trusted_account_ids, "
    "trusted_listener_arns, app_version, network, state, tags, kms_key_arn, ec2_capacity, "
    "permissions_boundary_arn, environment_resources, policy, services, workers, scheduled_tasks"
)
SERVICE_KEYS = (
    "cluster_name, ecr_repo_source_env, ecr_repo_base_name, container_repo, service_name, "
    "use_iam_authentication, cpu, memory_limit_mib, environment_files, efs_config, parameters, "
    "log_retention_days, readonly_root_filesystem, scratch_paths, enable_execute_command, cpu_architecture, "
    "operating_system_family, ephemeral_storage_gib, stop_timeout_seconds, ulimits, linux_parameters, "
    "docker_labels, essential, sidecars, xray, firelens, log_driver, container_health_check, "
    "capacity_provider_strategy, command, entry_point, working_directory, user, restart_policy, "
    "version_consistency, linux_capabilities, pid_mode, ipc_mode, permissions_boundary_arn, "
    "execution_role_arn, task_role_arn, desired_count, deployment_alarms, wait_for_steady_state, "
    "force_new_deployment, alarms, ebs_volume, platform_version, availability_zone_rebalancing, "
    "propagate_tags, enable_ecs_managed_tags, assign_public_ip, extra_security_group_ids, deployment, "
    "application_port, admin_port, admin_active, health_check_path, health_check_cmd, alb_ingress_cidrs, "
    "alb_access_logs, alb_idle_timeout_seconds, waf_web_acl_arn, deletion_protection, autoscaling, "
    "deployment_ownership, blue_green_bake_time_minutes, health_check, deregistration_delay_seconds, "
    "stickiness, load_balancing_algorithm, health_check_grace_period_seconds, service_connect, "
    "service_discovery, listener_rules, shared_alb, admin_public, internal, create_certificate, "
    "fargate_ephemeral_storage_kms_key_id, managed_storage_kms_key_id, protocol_version, extra_ports, "
    "load_balancer_type, network_load_balancer, alb_name, alb_domain_prefix, ssl_certificate_id, "
    "eu_west_cloudront_prefix_list_id, route53"
)

# The spec's "Configuration Parameters" table: the keys marked Mandatory "Yes". ecr_repo_base_name is marked Yes
# too, but the spec also allows container_repo instead: its absence is the "neither is set" rule.
SPEC_MANDATORY_SERVICE_KEYS = [
    "cluster_name",
    "service_name",
    "alb_name",
    "alb_domain_prefix",
    "application_port",
    "ssl_certificate_id",
    "eu_west_cloudront_prefix_list_id",
    "route53",
    "parameters",
]
ISSUE_MANDATORY_TOP_KEYS = [
    "organization",
    "environment",
    "account_id",
    "region",
    "accounts",
    "app_version",
    "network",
    "state",
    "services",
]


@pytest.fixture
def data() -> dict[str, Any]:
    """A fresh copy of envs/dev.json (two services: app-service from ECR with everything, docs from nginx)."""
    return read_env("dev")


def service(data: dict[str, Any], index: int = 0) -> dict[str, Any]:
    return data["services"][index]


def problems_of(data: Any, source: str = SOURCE) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        validate_env_data(data, source)
    assert str(caught.value) == "\n".join(caught.value.problems)
    return caught.value.problems


def valid(data: dict[str, Any]) -> EnvConfig:
    return validate_env_data(copy.deepcopy(data), SOURCE)


def minimal_service() -> dict[str, Any]:
    """Only the keys the spec marks mandatory."""
    return {
        "cluster_name": "c",
        "service_name": "s",
        "alb_name": "a",
        "alb_domain_prefix": "www",
        "ecr_repo_base_name": "repo",
        "application_port": 8080,
        "ssl_certificate_id": "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
        "eu_west_cloudront_prefix_list_id": "pl-4fa04526",
        "route53": {"hosted_zone_id": "Z1D633PJN98FT9", "domain_name": "example.com"},
        "parameters": {},
    }


# --------------------------------------------------------------------------------------------- baseline


@pytest.mark.parametrize("name", ["dev", "prod"])
def test_shipped_env_files_are_valid(name: str) -> None:
    env = load_env_file(Path(__file__).resolve().parent.parent / "envs" / f"{name}.json")
    assert env.environment == name
    assert [s.service_name for s in env.services] == ["app-service", "docs"]


# --------------------------------------------------------------------------------------------- image source


def test_both_image_sources_is_an_error(data: dict[str, Any]) -> None:
    service(data)["container_repo"] = "nginx:latest"
    assert problems_of(data) == [
        "envs/x.json: services[0].ecr_repo_base_name: both are set; set exactly one of ecr_repo_base_name and container_repo"
    ]


def test_neither_image_source_is_an_error(data: dict[str, Any]) -> None:
    del service(data)["ecr_repo_base_name"]
    assert problems_of(data) == [
        "envs/x.json: services[0].ecr_repo_base_name: neither is set; set exactly one of ecr_repo_base_name and container_repo"
    ]


def test_explicit_null_counts_as_not_set(data: dict[str, Any]) -> None:
    service(data)["ecr_repo_base_name"] = None
    service(data)["container_repo"] = "nginx:latest"
    assert valid(data).services[0].container_repo == "nginx:latest"


# --------------------------------------------------------------------------------------------- Fargate sizes


def test_the_fargate_table_has_every_documented_size() -> None:
    assert len(VALID_COMBINATIONS) == 3 + 4 + 7 + 13 + 23 + 12 + 12


@pytest.mark.parametrize(("cpu", "memory"), VALID_COMBINATIONS)
def test_every_fargate_combination_is_accepted(data: dict[str, Any], cpu: int, memory: int) -> None:
    service(data)["cpu"] = cpu
    service(data)["memory_limit_mib"] = memory
    parsed = valid(data).services[0]
    assert (parsed.cpu, parsed.memory_limit_mib) == (cpu, memory)


@pytest.mark.parametrize("cpu", [0, 128, 300, 1000, 3072, 32768, -256])
def test_cpu_outside_the_table(data: dict[str, Any], cpu: int) -> None:
    service(data)["cpu"] = cpu
    assert problems_of(data) == [f"envs/x.json: services[0].cpu: {cpu} is not a Fargate CPU value; allowed: {CPU_VALUES}"]


@pytest.mark.parametrize(
    ("cpu", "memory"),
    [
        (256, 256),
        (256, 3072),
        (512, 512),
        (512, 5120),
        (1024, 1024),
        (1024, 9216),
        (1024, 2500),
        (2048, 2048),
        (2048, 17408),
        (4096, 4096),
        (4096, 31744),
        (8192, 18432),
        (8192, 65536),
        (16384, 36864),
        (16384, 131072),
    ],
)
def test_memory_not_allowed_with_the_cpu(data: dict[str, Any], cpu: int, memory: int) -> None:
    service(data)["cpu"] = cpu
    service(data)["memory_limit_mib"] = memory
    allowed = ", ".join(str(m) for m in FARGATE_MEMORY_BY_CPU[cpu])
    assert problems_of(data) == [
        f"envs/x.json: services[0].memory_limit_mib: {memory} is not valid with cpu {cpu}; allowed: {allowed}"
    ]


def test_cpu_raised_without_memory_checks_the_default_memory(data: dict[str, Any]) -> None:
    service(data)["cpu"] = 1024
    del service(data)["memory_limit_mib"]
    assert problems_of(data) == [
        "envs/x.json: services[0].memory_limit_mib: 512 (the default) is not valid with cpu 1024; "
        "allowed: 2048, 3072, 4096, 5120, 6144, 7168, 8192"
    ]


# --------------------------------------------------------------------------------------------- ports


@pytest.mark.parametrize("field", ["application_port", "admin_port"])
@pytest.mark.parametrize("port", [0, 65536, -1, 100000])
def test_port_out_of_range(data: dict[str, Any], field: str, port: int) -> None:
    service(data)[field] = port
    assert problems_of(data) == [f"envs/x.json: services[0].{field}: {port} is not a port number; allowed: 1-65535"]


@pytest.mark.parametrize(("application_port", "admin_port"), [(1, 65535), (65535, 1)])
def test_port_bounds_are_accepted(data: dict[str, Any], application_port: int, admin_port: int) -> None:
    service(data)["application_port"] = application_port
    service(data)["admin_port"] = admin_port
    parsed = valid(data).services[0]
    assert (parsed.application_port, parsed.admin_port) == (application_port, admin_port)


def test_admin_port_required_when_admin_active(data: dict[str, Any]) -> None:
    del service(data)["admin_port"]
    assert problems_of(data) == ["envs/x.json: services[0].admin_port: missing: required when admin_active is true"]


def test_admin_port_null_when_admin_active(data: dict[str, Any]) -> None:
    service(data)["admin_port"] = None
    assert problems_of(data) == ["envs/x.json: services[0].admin_port: missing: required when admin_active is true"]


def test_admin_port_not_needed_when_admin_inactive(data: dict[str, Any]) -> None:
    service(data)["admin_active"] = False
    del service(data)["admin_port"]
    parsed = valid(data).services[0]
    assert (parsed.admin_active, parsed.admin_port) == (False, None)


def test_admin_port_may_be_set_while_inactive(data: dict[str, Any]) -> None:
    service(data)["admin_active"] = False
    assert valid(data).services[0].admin_port == 8001


def test_admin_port_equal_to_application_port(data: dict[str, Any]) -> None:
    service(data)["admin_port"] = 8000
    assert problems_of(data) == [
        "envs/x.json: services[0].admin_port: 8000 equals application_port; the two ports must differ"
    ]


# --------------------------------------------------------------------------------------------- secrets

SECRETS = "services[0].parameters.secrets"


@pytest.mark.parametrize("value_from", ["SSM", "secret", "param", "SECRET|PARAM", ""])
def test_value_from_is_secret_or_param(data: dict[str, Any], value_from: str) -> None:
    service(data)["parameters"]["secrets"]["API_KEY"]["value_from"] = value_from
    assert problems_of(data) == [
        f"envs/x.json: {SECRETS}.API_KEY.value_from: {json.dumps(value_from)}: input should be 'SECRET' or 'PARAM'"
    ]


@pytest.mark.parametrize("how", ["absent", "null"])
def test_secret_needs_arn(data: dict[str, Any], how: str) -> None:
    secret = service(data)["parameters"]["secrets"]["DATABASE_URL"]
    if how == "absent":
        del secret["arn"]
    else:
        secret["arn"] = None
    assert problems_of(data) == [
        f"envs/x.json: {SECRETS}.DATABASE_URL.arn: missing: value_from SECRET needs the Secrets Manager secret ARN"
    ]


def test_secret_arn_must_be_an_arn(data: dict[str, Any]) -> None:
    service(data)["parameters"]["secrets"]["DATABASE_URL"]["arn"] = "db-credentials"
    assert problems_of(data) == [
        f'envs/x.json: {SECRETS}.DATABASE_URL.arn: "db-credentials" is not a Secrets Manager secret ARN; '
        "allowed: arn:aws:secretsmanager:<region>:<account>:secret:<name>"
    ]


def test_suffix_on_param_is_an_error(data: dict[str, Any]) -> None:
    service(data)["parameters"]["secrets"]["API_KEY"]["suffix"] = "key"
    assert problems_of(data) == [
        f"envs/x.json: {SECRETS}.API_KEY.suffix: 'key' applies to SECRET only; an SSM parameter has no JSON keys"
    ]


def test_secret_without_suffix_and_param_with_arn_are_accepted(data: dict[str, Any]) -> None:
    del service(data)["parameters"]["secrets"]["DATABASE_URL"]["suffix"]
    secrets = valid(data).services[0].parameters.secrets
    assert secrets["DATABASE_URL"].suffix is None
    assert secrets["API_KEY"].value_from == "PARAM"


# --------------------------------------------------------------------------------------------- EFS


def test_mount_point_names_an_undeclared_volume(data: dict[str, Any]) -> None:
    service(data)["efs_config"]["mount_points"][0]["volume_name"] = "shared"
    assert problems_of(data) == [
        "envs/x.json: services[0].efs_config.mount_points[0].volume_name: 'shared' is not a declared volume; "
        "allowed: 'shared-data'"
    ]


def test_mount_point_without_any_volume(data: dict[str, Any]) -> None:
    service(data)["efs_config"]["volumes"] = []
    assert problems_of(data) == [
        "envs/x.json: services[0].efs_config.mount_points[0].volume_name: 'shared-data' is not a declared volume; "
        "allowed: none declared"
    ]


def test_volume_declared_twice(data: dict[str, Any]) -> None:
    volumes = service(data)["efs_config"]["volumes"]
    volumes.append({"efs_parameter_key_suffix": "other", "volume_name": "shared-data"})
    assert problems_of(data) == [
        "envs/x.json: services[0].efs_config.volumes[1].volume_name: 'shared-data' is declared twice; "
        "volume names must be unique"
    ]


def test_a_volume_without_a_name_is_reported_once(data: dict[str, Any]) -> None:
    """The mount point's volume cannot be checked against a volume whose name is missing: one problem, not a
    second one claiming no volume is declared."""
    del service(data)["efs_config"]["volumes"][0]["volume_name"]
    assert problems_of(data) == [
        "envs/x.json: services[0].efs_config.volumes[0].volume_name: missing: this key is required"
    ]


# --------------------------------------------------------------------------------------------- account and region

ACCOUNT_ALLOWED = "allowed: a string of 12 digits"


@pytest.mark.parametrize("account", ["12345", "1111111111111", "11111111111a", "", "1111-1111-1111"])
def test_account_id_is_twelve_digits(data: dict[str, Any], account: str) -> None:
    data["account_id"] = account
    assert problems_of(data) == [f"envs/x.json: account_id: {json.dumps(account)} is not an AWS account id; {ACCOUNT_ALLOWED}"]


def test_account_id_given_as_a_number(data: dict[str, Any]) -> None:
    data["account_id"] = 111111111111
    assert problems_of(data) == [
        f'envs/x.json: account_id: 111111111111 is a number; {ACCOUNT_ALLOWED}, e.g. "111111111111"'
    ]


def test_accounts_value_is_twelve_digits(data: dict[str, Any]) -> None:
    data["accounts"]["devops"] = "99999999999"
    assert problems_of(data) == [
        f'envs/x.json: accounts.devops: "99999999999" is not an AWS account id; {ACCOUNT_ALLOWED}'
    ]


def test_accounts_value_given_as_a_number(data: dict[str, Any]) -> None:
    data["accounts"]["prod"] = 222222222222
    assert problems_of(data) == [
        f'envs/x.json: accounts.prod: 222222222222 is a number; {ACCOUNT_ALLOWED}, e.g. "222222222222"'
    ]


@pytest.mark.parametrize("region", ["eu-wset-1", "Ireland", "EU-WEST-1", "eu-west", "eu-west-1a", ""])
def test_region_is_a_region_name(data: dict[str, Any], region: str) -> None:
    data["region"] = region
    assert problems_of(data) == [
        f"envs/x.json: region: {json.dumps(region)} is not an AWS region name; "
        "allowed: a region name like eu-west-1 or us-east-1"
    ]


@pytest.mark.parametrize(
    "region",
    ["us-east-1", "eu-west-3", "eu-central-2", "eu-south-1", "eu-north-1", "ap-southeast-4", "ap-northeast-3",
     "ca-west-1", "sa-east-1", "me-central-1", "af-south-1", "il-central-1", "mx-central-1", "us-gov-west-1"],
)
def test_real_regions_are_accepted(data: dict[str, Any], region: str) -> None:
    # The env's own ARNs (KMS key, secret) move with it: an ARN of another region is an error (test_trust.py).
    data = json.loads(json.dumps(data).replace(":eu-west-1:", f":{region}:"))
    data["region"] = region
    data["state"]["region"] = region
    env = valid(data)
    assert (env.region, env.state.region) == (region, region)


# --------------------------------------------------------------------------------------------- unknown keys


@pytest.mark.parametrize(
    ("path", "key", "location", "expected"),
    [
        ((), "regoin", "regoin", "(did you mean 'region'?)"),
        ((), "servcies", "servcies", "(did you mean 'services'?)"),
        (("network",), "vpc", "network.vpc",
         "(did you mean 'vpc_id'?)"),
        (("state",), "kms_key", "state.kms_key",
         "(did you mean 'kms_key_id'?)"),
        (("services", 0), "desired_cout", "services[0].desired_cout",
         "(did you mean 'desired_count'?)"),
        (("services", 0), "eu_west_cloudfront_prefix_list_id", "services[0].eu_west_cloudfront_prefix_list_id",
         "(did you mean 'eu_west_cloudront_prefix_list_id'?)"),
        (("services", 1), "memory_limit", "services[1].memory_limit",
         "(did you mean 'memory_limit_mib'?)"),
        (("services", 0, "route53"), "hosted_zone", "services[0].route53.hosted_zone",
         "(did you mean 'hosted_zone_id'?)"),
        (("services", 0, "efs_config"), "mountpoints", "services[0].efs_config.mountpoints",
         "(did you mean 'mount_points'?)"),
        (("services", 0, "efs_config", "volumes", 0), "volume_nam", "services[0].efs_config.volumes[0].volume_nam",
         "(did you mean 'volume_name'?)"),
        (("services", 0, "efs_config", "mount_points", 0), "readonly",
         "services[0].efs_config.mount_points[0].readonly",
         "(did you mean 'read_only'?)"),
        (("services", 0, "environment_files", 1), "bucket_name", "services[0].environment_files[1].bucket_name",
         "(did you mean 'bucket_base_name'?)"),
        (("services", 0, "parameters"), "secret", "services[0].parameters.secret",
         "(did you mean 'secrets'?)"),
        (("services", 0, "parameters", "secrets", "API_KEY"), "valuefrom",
         "services[0].parameters.secrets.API_KEY.valuefrom",
         "(did you mean 'value_from'?)"),
    ],
)
def test_unknown_key_with_hint(
    data: dict[str, Any], path: tuple[Any, ...], key: str, location: str, expected: str
) -> None:
    target: Any = data
    for part in path:
        target = target[part]
    target[key] = "x"
    assert problems_of(data) == [f"envs/x.json: {location}: unknown key {expected}"]


def test_unknown_key_without_a_close_match_lists_the_allowed_keys(data: dict[str, Any]) -> None:
    service(data)["zzzz"] = 1
    assert problems_of(data) == [f"envs/x.json: services[0].zzzz: unknown key; allowed keys: {SERVICE_KEYS}"]


# --------------------------------------------------------------------------------------------- types


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("cpu", "512", '"512" is a string; input should be a valid integer'),
        ("memory_limit_mib", "1024", '"1024" is a string; input should be a valid integer'),
        ("application_port", "8000", '"8000" is a string; input should be a valid integer'),
        ("cpu", 512.0, "512.0 is a number; input should be a valid integer"),
        ("desired_count", True, "true is a boolean; input should be a valid integer"),
        ("cpu", False, "false is a boolean; input should be a valid integer"),
        ("admin_active", "true", '"true" is a string; input should be a valid boolean'),
        ("use_iam_authentication", 1, "1 is a number; input should be a valid boolean"),
        ("service_name", 42, "42 is a number; input should be a valid string"),
    ],
)
def test_type_swaps_are_errors_not_coercions(data: dict[str, Any], field: str, value: Any, expected: str) -> None:
    service(data)[field] = value
    assert problems_of(data) == [f"envs/x.json: services[0].{field}: {expected}"]


def test_environment_variable_values_are_strings(data: dict[str, Any]) -> None:
    service(data)["parameters"]["environment"]["WORKERS"] = 4
    assert problems_of(data) == [
        "envs/x.json: services[0].parameters.environment.WORKERS: 4 is a number; input should be a valid string"
    ]


# --------------------------------------------------------------------------------------------- required keys


@pytest.mark.parametrize("key", SPEC_MANDATORY_SERVICE_KEYS)
def test_each_mandatory_service_key_is_required(data: dict[str, Any], key: str) -> None:
    del service(data)[key]
    extra = " (or set create_certificate: true)" if key == "ssl_certificate_id" else ""
    assert problems_of(data) == [f"envs/x.json: services[0].{key}: missing: this key is required{extra}"]


@pytest.mark.parametrize("key", ISSUE_MANDATORY_TOP_KEYS)
def test_each_mandatory_top_level_key_is_required(data: dict[str, Any], key: str) -> None:
    del data[key]
    assert problems_of(data) == [f"envs/x.json: {key}: missing: this key is required"]


@pytest.mark.parametrize(
    ("path", "key", "location"),
    [
        (("network",), "vpc_id", "network.vpc_id"),
        (("network",), "private_subnet_ids", "network.private_subnet_ids"),
        (("network",), "public_subnet_ids", "network.public_subnet_ids"),
        (("state",), "bucket", "state.bucket"),
        (("state",), "region", "state.region"),
        (("services", 0, "route53"), "hosted_zone_id", "services[0].route53.hosted_zone_id"),
        (("services", 0, "route53"), "domain_name", "services[0].route53.domain_name"),
        (("services", 0, "parameters", "secrets", "API_KEY"), "name", "services[0].parameters.secrets.API_KEY.name"),
        (("services", 0, "parameters", "secrets", "API_KEY"), "value_from",
         "services[0].parameters.secrets.API_KEY.value_from"),
        (("services", 0, "efs_config", "volumes", 0), "efs_parameter_key_suffix",
         "services[0].efs_config.volumes[0].efs_parameter_key_suffix"),
        (("services", 0, "efs_config", "mount_points", 0), "container_path",
         "services[0].efs_config.mount_points[0].container_path"),
        (("services", 0, "environment_files", 0), "file_path", "services[0].environment_files[0].file_path"),
        (("services", 0, "environment_files", 0), "bucket_base_name", "services[0].environment_files[0].bucket_base_name"),
    ],
)
def test_nested_required_keys(data: dict[str, Any], path: tuple[Any, ...], key: str, location: str) -> None:
    target: Any = data
    for part in path:
        target = target[part]
    del target[key]
    assert problems_of(data) == [f"envs/x.json: {location}: missing: this key is required"]


def test_only_the_mandatory_keys_are_needed_and_defaults_are_the_specs(data: dict[str, Any]) -> None:
    data["services"] = [minimal_service()]
    parsed = valid(data).services[0]
    assert parsed.use_iam_authentication is False
    assert parsed.ecr_repo_source_env == "devops"
    assert parsed.container_repo is None
    assert parsed.admin_port is None
    assert parsed.admin_active is False
    assert parsed.health_check_cmd is None
    assert parsed.desired_count == 1
    assert parsed.cpu == 256
    assert parsed.memory_limit_mib == 512
    assert parsed.environment_files is None
    assert parsed.efs_config is None
    # The spec's table gives no default path; its features say "health checks on root path".
    assert parsed.health_check_path == "/"
    assert parsed.parameters.environment == {} and parsed.parameters.secrets == {}


def test_defaults_are_declared_on_the_model() -> None:
    """The same defaults, read from the model fields themselves (the single place a default lives)."""
    fields = ServiceConfig.model_fields
    expected = {
        "use_iam_authentication": False,
        "ecr_repo_source_env": "devops",
        "container_repo": None,
        "admin_port": None,
        "admin_active": False,
        "health_check_cmd": None,
        "desired_count": 1,
        "cpu": 256,
        "memory_limit_mib": 512,
        "environment_files": None,
        "efs_config": None,
    }
    assert {name: fields[name].get_default(call_default_factory=True) for name in expected} == expected
    required = {name for name, field in fields.items() if field.is_required()}
    # ssl_certificate_id stays mandatory through a rule: it may be left out only with create_certificate.
    assert required | {"ssl_certificate_id"} == set(SPEC_MANDATORY_SERVICE_KEYS)


# --------------------------------------------------------------------------------------------- cross-service rules


def test_duplicate_service_name(data: dict[str, Any]) -> None:
    service(data, 1)["service_name"] = "app-service"
    assert problems_of(data) == [
        "envs/x.json: services[1].service_name: 'app-service' is already used by services[0]; each service needs its own"
    ]


def test_duplicate_alb_name(data: dict[str, Any]) -> None:
    service(data, 1)["alb_name"] = "app-alb"
    assert problems_of(data) == [
        "envs/x.json: services[1].alb_name: 'app-alb' is already used by services[0]; each service needs its own"
    ]


def test_ecr_source_environment_must_be_in_accounts(data: dict[str, Any]) -> None:
    service(data)["ecr_repo_source_env"] = "ops"
    assert problems_of(data) == [
        "envs/x.json: services[0].ecr_repo_source_env: 'ops' is not a key of accounts; allowed: 'devops', 'dev', 'prod'"
    ]


def test_default_ecr_source_environment_must_be_in_accounts(data: dict[str, Any]) -> None:
    del data["accounts"]["devops"]
    assert problems_of(data) == [
        "envs/x.json: services[0].ecr_repo_source_env: 'devops' is not a key of accounts; allowed: 'dev', 'prod'"
    ]


def test_ecr_source_environment_is_not_needed_for_an_external_image(data: dict[str, Any]) -> None:
    del data["accounts"]["devops"]
    data["services"] = [service(data, 1)]
    assert valid(data).services[0].container_repo == "nginx:1.27-alpine"


# --------------------------------------------------------------------------------------------- names AWS cannot take


def test_alb_name_that_would_start_with_internal(data: dict[str, Any]) -> None:
    data["organization"] = "internal"
    assert problems_of(data) == [
        f"envs/x.json: services[{index}].alb_name: 'internal-dev-{alb}' starts with 'internal-', which AWS reserves "
        "for internal ALBs' DNS names; change organization or environment"
        for index, alb in enumerate(["app-alb", "docs-alb"])
    ]


def test_fqdn_longer_than_253_characters(data: dict[str, Any]) -> None:
    domain = ".".join(["a" * 62] * 4) + ".com"  # 255 characters
    service(data)["route53"]["domain_name"] = domain
    assert problems_of(data) == [
        f"envs/x.json: services[0].alb_domain_prefix: 'api.{domain}' exceeds DNS limits (253 characters, 63 per label)"
    ]


def test_dns_label_longer_than_63_characters(data: dict[str, Any]) -> None:
    service(data)["alb_domain_prefix"] = "a" * 64
    assert problems_of(data) == [
        f"envs/x.json: services[0].alb_domain_prefix: '{'a' * 64}.dev.acme.io' exceeds DNS limits "
        "(253 characters, 63 per label)"
    ]


def test_long_names_that_fit_after_truncation_are_accepted(data: dict[str, Any]) -> None:
    service(data)["alb_name"] = "a-very-long-application-load-balancer-name"
    service(data)["service_name"] = "a-very-long-service-name-" + "x" * 39
    assert len(valid(data).services[0].service_name) == 64


# --------------------------------------------------------------------------------------------- environment files


def _env_files(count: int) -> list[dict[str, str]]:
    return [{"bucket_base_name": "app-config", "file_path": f"dev/file{i}.env"} for i in range(count)]


def test_at_most_ten_environment_files(data: dict[str, Any]) -> None:
    service(data)["environment_files"] = _env_files(11)
    assert problems_of(data) == [
        "envs/x.json: services[0].environment_files: 11 files given; allowed: at most 10 per container"
    ]


def test_ten_environment_files_are_accepted(data: dict[str, Any]) -> None:
    service(data)["environment_files"] = _env_files(10)
    assert len(valid(data).services[0].environment_files or []) == 10


@pytest.mark.parametrize("file_path", ["dev/config.txt", "dev/config", "dev/.env.bak"])
def test_environment_file_ends_in_dot_env(data: dict[str, Any], file_path: str) -> None:
    service(data)["environment_files"][0]["file_path"] = file_path
    assert problems_of(data) == [
        f"envs/x.json: services[0].environment_files[0].file_path: {json.dumps(file_path)} does not end in .env; "
        "allowed: an S3 object key ending in .env"
    ]


# --------------------------------------------------------------------------------------------- all problems at once


def test_every_problem_of_a_file_is_reported_in_one_run(data: dict[str, Any]) -> None:
    data["tags"]["owner"] = 7
    data["tpyo"] = True
    service(data)["cpu"] = "512"
    service(data)["container_repo"] = "nginx:latest"
    service(data)["admin_port"] = 8000
    service(data)["parameters"]["secrets"]["API_KEY"]["value_from"] = "SSM"
    del service(data)["efs_config"]["mount_points"][0]["container_path"]
    del service(data, 1)["route53"]
    service(data, 1)["service_name"] = "app-service"
    assert problems_of(data) == [
        "envs/x.json: tags.owner: 7 is a number; input should be a valid string",
        'envs/x.json: services[0].cpu: "512" is a string; input should be a valid integer',
        "envs/x.json: services[0].efs_config.mount_points[0].container_path: missing: this key is required",
        'envs/x.json: services[0].parameters.secrets.API_KEY.value_from: "SSM": input should be \'SECRET\' or \'PARAM\'',
        "envs/x.json: services[0].ecr_repo_base_name: both are set; set exactly one of ecr_repo_base_name and container_repo",
        "envs/x.json: services[0].admin_port: 8000 equals application_port; the two ports must differ",
        "envs/x.json: services[1].route53: missing: this key is required",
        f"envs/x.json: tpyo: unknown key; allowed keys: {TOP_KEYS}",
        "envs/x.json: services[1].service_name: 'app-service' is already used by services[0]; each service needs its own",
    ]


def test_problems_of_several_files_are_reported_together(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "envs").mkdir()
    first, second = read_env("dev"), read_env("prod")
    first["services"][0]["cpu"] = 300
    second["services"][0]["ecr_repo_source_env"] = "ops"
    (tmp_path / "envs" / "dev.json").write_text(json.dumps(first))
    (tmp_path / "envs" / "good.json").write_text(json.dumps(read_env("dev")))
    (tmp_path / "envs" / "prod.json").write_text(json.dumps(second))
    (tmp_path / "envs" / "broken.json").write_text('{"organization": "acme",\n}')
    with pytest.raises(ConfigError) as caught:
        load_env_files(["envs/dev.json", "envs/good.json", "envs/prod.json", "envs/broken.json"])
    assert caught.value.problems == [
        f"envs/dev.json: services[0].cpu: 300 is not a Fargate CPU value; allowed: {CPU_VALUES}",
        "envs/prod.json: services[0].ecr_repo_source_env: 'ops' is not a key of accounts; allowed: 'devops', 'dev', 'prod'",
        "envs/broken.json: not valid JSON: Expecting property name enclosed in double quotes at line 2 column 1",
    ]


def test_valid_files_load_in_order() -> None:
    envs = load_env_files([_repo_env("prod"), _repo_env("dev")])
    assert [env.environment for env in envs] == ["prod", "dev"]


def _repo_env(name: str) -> Path:
    return Path(__file__).resolve().parent.parent / "envs" / f"{name}.json"


# --------------------------------------------------------------------------------------------- the file itself


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """cwd is a fresh folder with an empty envs/; files are named relative to it, as a user types them."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "envs").mkdir()
    return tmp_path


def load_problems(path: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_env_file(path)
    return caught.value.problems


def test_not_valid_json_reports_line_and_column(in_tmp: Path) -> None:
    (in_tmp / "envs" / "x.json").write_text('{\n  "organization": "acme",\n  "environment": dev\n}\n')
    assert load_problems("envs/x.json") == ["envs/x.json: not valid JSON: Expecting value at line 3 column 18"]


def test_trailing_comma_reports_line_and_column(in_tmp: Path) -> None:
    text = json.dumps(read_env("dev"), indent=2)
    text = text.replace('"region": "eu-west-1",\n  "accounts"', '"region": "eu-west-1",,\n  "accounts"', 1)
    (in_tmp / "envs" / "x.json").write_text(text)
    line = text.splitlines().index('  "region": "eu-west-1",,') + 1
    column = len('  "region": "eu-west-1",,')  # the second comma, 1-based
    assert load_problems("envs/x.json") == [
        f"envs/x.json: not valid JSON: Expecting property name enclosed in double quotes at line {line} column {column}"
    ]


@pytest.mark.parametrize("content", ["", "  \n\t\n"])
def test_empty_file(in_tmp: Path, content: str) -> None:
    (in_tmp / "envs" / "x.json").write_text(content)
    assert load_problems("envs/x.json") == ["envs/x.json: is empty; an env file is a JSON object"]


def test_a_directory(in_tmp: Path) -> None:
    (in_tmp / "envs" / "x.json").mkdir()
    assert load_problems("envs/x.json") == ["envs/x.json: is a directory; an env file is a JSON file"]


def test_a_missing_file(in_tmp: Path) -> None:
    assert load_problems("envs/x.json") == ["envs/x.json: no such file"]


def test_non_utf8_bytes(in_tmp: Path) -> None:
    content = b'{"organization": "acm\xe9"}'
    (in_tmp / "envs" / "x.json").write_bytes(content)
    assert content.index(b"\xe9") == 21
    assert load_problems("envs/x.json") == ["envs/x.json: not valid UTF-8: byte 21 cannot be decoded"]


@pytest.mark.parametrize(
    ("content", "kind"), [("[]", "a list"), ('[{"organization": "acme"}]', "a list"), ('"dev"', "a string"),
                          ("42", "a number"), ("null", "null"), ("true", "a boolean")]
)
def test_top_level_is_not_an_object(in_tmp: Path, content: str, kind: str) -> None:
    (in_tmp / "envs" / "x.json").write_text(content)
    assert load_problems("envs/x.json") == [f"envs/x.json: top level is {kind}; an env file is a JSON object"]


def test_a_file_loads_into_the_same_model_as_its_data(in_tmp: Path) -> None:
    (in_tmp / "envs" / "x.json").write_text(json.dumps(read_env("dev")))
    assert load_env_file("envs/x.json") == validate_env_data(read_env("dev"), "other")
