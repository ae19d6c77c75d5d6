"""The spec's own JSON examples load unchanged, and the basic one synthesizes to what the spec describes.

`spec_examples/*.json` are copied verbatim from `spec_examples/ecs-builder-spec.txt` (a copy of
`../shared/seeds/ecs-builder-spec.txt`); `test_examples_are_verbatim_copies_of_the_spec` keeps them honest.
The Usage section's dicts are Python calls in the spec: their JSON bodies are kept the same way, and the
`set_builder_config` dict (Python `True`) as `usage_builder_config.pydict`.
"""

from __future__ import annotations

import ast
import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import only, read_env

from constructs_lib.config import ConfigError, EnvConfig, validate_env_data

EXAMPLES = Path(__file__).resolve().parent / "spec_examples"
SPEC = EXAMPLES / "ecs-builder-spec.txt"
SOURCE = "envs/spec.json"


def example_text(name: str) -> str:
    return (EXAMPLES / name).read_text(encoding="utf-8")


def example(name: str) -> Any:
    return json.loads(example_text(name))


# The spec's basic example gives the ALB's HTTPS listener a us-east-1 certificate (the spec: "for CloudFront
# compatibility"); an ALB takes only a certificate of its own region, so validate refuses it (test below). The
# examples load in eu-west-1, the region of their secrets, with that one value moved there.
SPEC_CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/abc123"
CERTIFICATE = SPEC_CERTIFICATE.replace("us-east-1", "eu-west-1")


def in_env_region(service: dict[str, Any]) -> dict[str, Any]:
    service = copy.deepcopy(service)
    if service.get("ssl_certificate_id") == SPEC_CERTIFICATE:
        service["ssl_certificate_id"] = CERTIFICATE
    return service


def env_with(*services: dict[str, Any]) -> dict[str, Any]:
    """A minimal env around the services: everything but the services from envs/dev.json (acme, dev,
    eu-west-1, accounts with devops). The spec's secrets live in its example account 123456789012, which the env
    lists as trusted (an env file must name any account other than its own)."""
    env = read_env("dev")
    env["trusted_account_ids"] = ["123456789012"]
    env["services"] = [in_env_region(s) for s in services]
    return env


def load(*services: dict[str, Any]) -> EnvConfig:
    return validate_env_data(env_with(*services), SOURCE)


# --------------------------------------------------------------------------------------------- verbatim


EXAMPLE_FILES = sorted(p.name for p in EXAMPLES.iterdir() if p.suffix in (".json", ".pydict"))


def test_every_example_of_the_spec_is_kept() -> None:
    assert EXAMPLE_FILES == [
        "basic_service.json",
        "ecr_repository.json",
        "efs_configuration.json",
        "external_repository.json",
        "parameters_configuration.json",
        "route53_configuration.json",
        "usage_builder_config.pydict",
        "usage_parameters.json",
        "usage_route53.json",
    ]


@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_examples_are_verbatim_copies_of_the_spec(name: str) -> None:
    """The body between the outer braces appears in the spec character for character (the Usage dicts sit
    inside `.set_...({` ... `})` there)."""
    text = example_text(name)
    assert text.startswith("{\n") and text.endswith("}\n")
    assert text[2:-2] in SPEC.read_text(encoding="utf-8")


def test_the_basic_example_keeps_the_specs_spacing() -> None:
    assert '"eu_west_cloudront_prefix_list_id" : "pl-4fa04526",\n' in example_text("basic_service.json")


def test_the_spec_copy_is_the_spec() -> None:
    text = SPEC.read_text(encoding="utf-8")
    assert text.startswith("ECSBuilder¶\nPurpose¶\n")
    assert "| eu_west_cloudront_prefix_list_id | Yes | str |" in text


# --------------------------------------------------------------------------------------------- loading


SPEC_TABLE_KEYS = (
    "cluster_name", "service_name", "use_iam_authentication", "alb_name", "alb_domain_prefix", "ecr_repo_source_env",
    "ecr_repo_base_name", "container_repo", "application_port", "admin_port", "admin_active", "health_check_path",
    "health_check_cmd", "desired_count", "cpu", "memory_limit_mib", "ssl_certificate_id",
    "eu_west_cloudront_prefix_list_id", "environment_files", "efs_config", "route53", "parameters",
)


def test_basic_example_loads_as_a_service() -> None:
    service = load(example("basic_service.json")).services[0]
    dumped = service.model_dump(exclude_defaults=False)
    # Keys beyond the ECSBuilder's table keep their defaults; the spec's keys must come through exactly.
    assert {k: dumped[k] for k in SPEC_TABLE_KEYS} == {
        "cluster_name": "app-cluster",
        "service_name": "app-service",
        "use_iam_authentication": True,
        "alb_name": "app-alb",
        "alb_domain_prefix": "api",
        "ecr_repo_source_env": "devops",
        "ecr_repo_base_name": "app-backend",
        "container_repo": None,
        "application_port": 8000,
        "admin_port": 8001,
        "admin_active": True,
        "health_check_path": "/health",
        "health_check_cmd": "wget -q -O -",
        "desired_count": 2,
        "cpu": 512,
        "memory_limit_mib": 1024,
        "ssl_certificate_id": CERTIFICATE,
        "eu_west_cloudront_prefix_list_id": "pl-4fa04526",
        "environment_files": [
            {"bucket_base_name": "app-config", "file_path": "production/config.env"},
            {"bucket_base_name": "shared-config", "file_path": "common/database.env"},
        ],
        "efs_config": {
            "container_user": "1000:1000",
            "volumes": [
                {"efs_parameter_key_suffix": "shared", "volume_name": "shared-data", "ap_parameter_key_suffix": "app_data"}
            ],
            "mount_points": [{"volume_name": "shared-data", "container_path": "/app/data", "read_only": False}],
        },
        "route53": {"hosted_zone_id": "Z1D633PJN98FT9", "domain_name": "example.com"},
        "parameters": {
            "environment": {"NODE_ENV": "production", "API_VERSION": "v1", "LOG_LEVEL": "info"},
            "secrets": {
                "DATABASE_URL": {
                    "name": "db-connection-string",
                    "value_from": "SECRET",
                    "arn": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-credentials-abc123",
                    "suffix": "connection_string",
                },
                "API_KEY": {"name": "external-api-key", "value_from": "PARAM", "arn": None, "suffix": None},
            },
        },
    }


def test_basic_example_loads_from_an_env_file_on_disk(tmp_path: Path) -> None:
    """The example's text pasted into a file (spacing and all), not only its parsed value; only the certificate's
    region is moved to the env's."""
    from constructs_lib.config import load_env_file

    head = json.dumps({k: v for k, v in env_with().items() if k != "services"}, indent=2)[:-2]
    text = example_text("basic_service.json")
    path = tmp_path / "spec.json"
    path.write_text(f'{head},\n  "services": [\n{text.replace(SPEC_CERTIFICATE, CERTIFICATE)}]\n}}\n', encoding="utf-8")
    assert SPEC_CERTIFICATE in text
    assert load_env_file(path).services[0].eu_west_cloudront_prefix_list_id == "pl-4fa04526"


def test_the_specs_certificate_of_another_region_is_refused() -> None:
    data = env_with()
    data["services"] = [example("basic_service.json")]
    with pytest.raises(ConfigError) as caught:
        validate_env_data(data, SOURCE)
    assert caught.value.problems == [
        f"{SOURCE}: services[0].ssl_certificate_id: the certificate is in us-east-1, the services in eu-west-1; an ALB "
        "takes a certificate of its own region"
    ]


def test_efs_structure_loads_as_efs_config() -> None:
    service = example("basic_service.json") | example("efs_configuration.json")
    efs = load(service).services[0].efs_config
    assert efs is not None
    assert efs.container_user == "1000:1000"
    assert [(v.volume_name, v.efs_parameter_key_suffix, v.ap_parameter_key_suffix) for v in efs.volumes] == [
        ("shared-data", "SHARED", "APP_DATA"),
        ("app-logs", "LOGS", None),
    ]
    assert [(m.volume_name, m.container_path, m.read_only) for m in efs.mount_points] == [
        ("shared-data", "/app/data", False),
        ("app-logs", "/var/log/app", False),
    ]


@pytest.mark.parametrize("name", ["route53_configuration.json", "usage_route53.json"])
def test_route53_structure_loads_as_route53(name: str) -> None:
    service = example("basic_service.json") | {"route53": example(name)}
    route53 = load(service).services[0].route53
    assert route53.model_dump() == example(name)


def test_usage_parameters_load_as_parameters() -> None:
    service = example("basic_service.json") | {"parameters": example("usage_parameters.json")}
    parameters = load(service).services[0].parameters
    assert parameters.environment == {"SERVICE_NAME": "user-service", "LOG_LEVEL": "debug", "METRICS_ENABLED": "true"}
    assert parameters.secrets["JWT_SECRET"].value_from == "PARAM"
    assert parameters.secrets["REDIS_URL"].arn == "arn:aws:secretsmanager:eu-west-1:123456789012:secret:redis-config"
    assert parameters.secrets["REDIS_URL"].suffix == "url"


def test_usage_builder_config_with_its_route53_and_parameters_loads() -> None:
    """The Usage section's service, assembled as the builder would: config + route53 + parameters. The spec's
    call leaves out the mandatory prefix list id; it is added from the basic example."""
    config = ast.literal_eval(example_text("usage_builder_config.pydict"))
    service = config | {
        "route53": example("usage_route53.json"),
        "parameters": example("usage_parameters.json"),
        "eu_west_cloudront_prefix_list_id": "pl-4fa04526",
    }
    parsed = load(service).services[0]
    assert (parsed.service_name, parsed.cpu, parsed.memory_limit_mib, parsed.desired_count) == ("user-service", 1024, 2048, 3)
    assert (parsed.admin_active, parsed.admin_port, parsed.ssl_certificate_id) == (True, 3001, "xyz789-abc123-def456")


def test_ecr_snippet_loads() -> None:
    service = example("basic_service.json")
    service.pop("ecr_repo_base_name")
    parsed = load(service | example("ecr_repository.json")).services[0]
    assert (parsed.ecr_repo_source_env, parsed.ecr_repo_base_name, parsed.container_repo) == ("devops", "my-app", None)


def test_external_repository_snippet_loads() -> None:
    service = example("basic_service.json")
    service.pop("ecr_repo_base_name")
    parsed = load(service | example("external_repository.json")).services[0]
    assert (parsed.ecr_repo_base_name, parsed.container_repo) == (None, "nginx:latest")


def test_both_image_snippets_together_are_rejected() -> None:
    service = example("basic_service.json") | example("ecr_repository.json") | example("external_repository.json")
    with pytest.raises(ConfigError) as caught:
        load(service)
    assert caught.value.problems == [
        "envs/spec.json: services[0].ecr_repo_base_name: both are set; set exactly one of ecr_repo_base_name and container_repo"
    ]


def test_parameters_template_is_rejected_for_its_value_from() -> None:
    """'SECRET|PARAM' documents the two choices; as a value it is neither, and the message says which are allowed.
    The template's placeholder ARN is reported in the same run."""
    service = example("basic_service.json") | {"parameters": example("parameters_configuration.json")}
    with pytest.raises(ConfigError) as caught:
        load(service)
    assert caught.value.problems == [
        "envs/spec.json: services[0].parameters.secrets.SECRET_NAME.value_from: \"SECRET|PARAM\": "
        "input should be 'SECRET' or 'PARAM'",
        'envs/spec.json: services[0].parameters.secrets.SECRET_NAME.arn: "arn:aws:secretsmanager:region:account:secret:'
        'name" is not a Secrets Manager secret ARN; allowed: arn:aws:secretsmanager:<region>:<account>:secret:<name>',
    ]


def test_parameters_template_arn_is_a_placeholder() -> None:
    """The template's `region:account` are placeholders: as an ARN they would name no exact secret."""
    parameters = example("parameters_configuration.json")
    parameters["secrets"]["SECRET_NAME"]["value_from"] = "SECRET"
    with pytest.raises(ConfigError) as caught:
        load(example("basic_service.json") | {"parameters": parameters})
    assert caught.value.problems == [
        'envs/spec.json: services[0].parameters.secrets.SECRET_NAME.arn: "arn:aws:secretsmanager:region:account:secret:'
        'name" is not a Secrets Manager secret ARN; allowed: arn:aws:secretsmanager:<region>:<account>:secret:<name>'
    ]


@pytest.mark.parametrize("choice", ["SECRET", "PARAM"])
def test_parameters_template_with_one_choice(choice: str) -> None:
    parameters = example("parameters_configuration.json")
    secret = parameters["secrets"]["SECRET_NAME"]
    secret["value_from"] = choice
    if choice == "SECRET":
        secret["arn"] = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:name"  # the placeholders filled in
    else:
        del secret["arn"], secret["suffix"]
    parsed = load(example("basic_service.json") | {"parameters": parameters}).services[0].parameters
    assert parsed.environment == {"ENV_VAR_NAME": "plain_text_value"}
    assert parsed.secrets["SECRET_NAME"].value_from == choice


# --------------------------------------------------------------------------------------------- synthesis


@pytest.fixture(scope="module")
def basic_stack(synth: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    return synth(env_with(example("basic_service.json")))


@pytest.fixture(scope="module")
def container(basic_stack: dict[str, Any]) -> dict[str, Any]:
    definitions = json.loads(only(basic_stack, "aws_ecs_task_definition")["container_definitions"])
    assert len(definitions) == 1
    return definitions[0]


def test_basic_example_image_follows_the_ecr_convention(container: dict[str, Any]) -> None:
    # accounts.devops of the env, its region, {organization}-{ecr_repo_source_env}-{ecr_repo_base_name}:{app_version}
    assert container["image"] == "999999999999.dkr.ecr.eu-west-1.amazonaws.com/acme-devops-app-backend:1.4.2"


def test_basic_example_maps_the_admin_port(container: dict[str, Any]) -> None:
    assert sorted(m["containerPort"] for m in container["portMappings"]) == [8000, 8001]


def test_basic_example_secrets(container: dict[str, Any]) -> None:
    assert {s["name"]: s["valueFrom"] for s in container["secrets"]} == {
        "DATABASE_URL": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-credentials-abc123:connection_string::",
        "API_KEY": "arn:aws:ssm:eu-west-1:111111111111:parameter/acme/dev/external-api-key",
    }


def test_basic_example_environment_and_task_size(basic_stack: dict[str, Any], container: dict[str, Any]) -> None:
    assert {e["name"]: e["value"] for e in container["environment"]} == {
        "NODE_ENV": "production",
        "API_VERSION": "v1",
        "LOG_LEVEL": "info",
    }
    task = only(basic_stack, "aws_ecs_task_definition")
    assert (task["cpu"], task["memory"]) == ("512", "1024")
    assert only(basic_stack, "aws_ecs_service")["desired_count"] == 2


def test_basic_example_efs_and_user(container: dict[str, Any]) -> None:
    assert container["user"] == "1000:1000"
    assert container["mountPoints"] == [
        {"containerPath": "/app/data", "readOnly": False, "sourceVolume": "shared-data"},
        {"containerPath": "/tmp", "readOnly": False, "sourceVolume": "scratch-0"},  # beside the read-only root
    ]
    assert container["readonlyRootFilesystem"] is True


def test_basic_example_dns_record(basic_stack: dict[str, Any]) -> None:
    record = only(basic_stack, "aws_route53_record")
    assert (record["zone_id"], record["name"], record["type"]) == ("Z1D633PJN98FT9", "api.example.com", "A")


def test_the_scanned_spec_fixture_is_the_basic_example_with_env_level_keys_only() -> None:
    """tests/fixtures/spec-basic.json (scanned by `make scan`: 0 failed checks) adds nothing to the service."""
    fixture = json.loads((EXAMPLES.parent / "fixtures" / "spec-basic.json").read_text(encoding="utf-8"))
    assert fixture["services"] == [in_env_region(example("basic_service.json"))]
    assert not {"kms_key_arn", "environment_resources"} & set(fixture)  # the defaults secure it
