"""User data is literal: template sequences (`${`, `%{`), `$${`, backslashes, quotes, newlines, unicode and long
values reach Terraform, and through it AWS, exactly as the env file wrote them (constructs_lib/_jsii/literal.py).

The corpus is tests/fixtures/hostile-literals.json: staging's richest service with a hostile value in every field
that takes free text (ROUTED adds listener paths and hosts, which need a shared ALB). test_terraform_validate.py
runs `terraform validate` on its stacks and `make scan` checkov; here its synthesized JSON is read back with
Terraform's own template rules, and the corpus goes through a real `terraform apply` in JSON and in HCL output.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import REPO
from tf import init_offline, require_terraform, terraform, validate

FIXTURE = REPO / "tests" / "fixtures" / "hostile-literals.json"
RAW = json.loads(FIXTURE.read_text())
[APP] = RAW["services"]
ROUTED = {
    "cluster_name": "routed", "service_name": "routed", "alb_name": "routed", "alb_domain_prefix": "routed",
    "container_repo": "nginx:1.27", "application_port": 80, "eu_west_cloudront_prefix_list_id": "pl-4fa04526",
    "ssl_certificate_id": "0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9",
    "route53": APP["route53"], "parameters": {"environment": {}},
    "shared_alb": {"listener_arn": "arn:aws:elasticloadbalancing:eu-west-1:333333333333:listener/app/platform-shared/0123/4567",
                   "security_group_id": "sg-0a1b2c3d4e5f60718"},
    "listener_rules": [{"priority": 10, "path_patterns": ["/api/${x}/*"], "host_headers": ["%{y}.example.com"]}],
}
CORPUS: dict[str, str] = APP["parameters"]["environment"]  # keys and values: every kind of hostile text

TEMPLATE_PART = re.compile(r"\$\$\{|%%\{|\$\{|%\{")
# What the library itself writes as a live reference: `${aws_lb.alb.arn}`, `${data.aws_ssm_parameter.x.value}`.
LIBRARY_REFERENCE = re.compile(r"\$\{(data\.)?aws_[a-z0-9_]+\.[a-z0-9_]+\.[a-z_]+\}")


def template_parts(text: str) -> tuple[str, list[str]]:
    """`text` as Terraform evaluates a template (`$${` and `%%{` are the only escapes; in `$$${` only the last
    `$${` is one), with each live `${...}` / `%{...}` left in place and also returned."""
    out, live, index = [], [], 0
    while (match := TEMPLATE_PART.search(text, index)) is not None:
        out.append(text[index:match.start()])
        if match.group() in ("$${", "%%{"):
            out.append(match.group()[1:])
            index = match.end()
            continue
        end = text.find("}", match.end()) + 1 or len(text)
        live.append(text[match.start():end])
        out.append(text[match.start():end])
        index = end
    out.append(text[index:])
    return "".join(out), live


def evaluated(text: str) -> str:
    """The text a template string stands for, library references kept as they are; fails on any other live part."""
    value, live = template_parts(text)
    foreign = [part for part in live if not LIBRARY_REFERENCE.fullmatch(part)]
    assert foreign == [], f"live template parts {foreign} in {text[:120]!r}"
    return value


def evaluated_json(text: str) -> Any:
    return json.loads(evaluated(text))


def strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every string of a synthesized document, object keys included, cdktf's `//` metadata left out."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key != "//":
                yield f"{path}/<key>", key
                yield from strings(item, f"{path}/{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from strings(item, f"{path}[{index}]")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> dict[str, dict]:
    from constructs_lib.cli.synth import synthesize
    from constructs_lib.config import load_env_files

    outdir = tmp_path_factory.mktemp("hostile") / "cdktf.out"
    synthesize(load_env_files([FIXTURE]), outdir)
    return {p.parent.name: json.loads(p.read_text()) for p in sorted((outdir / "stacks").glob("*/cdk.tf.json"))}


@pytest.fixture(scope="module")
def app_stack(hostile) -> dict:
    return hostile["hostile-app-service"]


@pytest.fixture(scope="module")
def containers(app_stack) -> dict[str, dict]:
    [task] = app_stack["resource"]["aws_ecs_task_definition"].values()
    return {c["name"]: c for c in evaluated_json(task["container_definitions"])}


def test_literal_escapes_exactly_the_template_openers():
    from constructs_lib._jsii.literal import literal

    assert literal("jdbc://${DB_HOST}:5432 %{ if } $${x} $ % {}") == "jdbc://$${DB_HOST}:5432 %%{ if } $$${x} $ % {}"
    for text in [*CORPUS, *CORPUS.values()]:
        assert evaluated(literal(text)) == text
    # HCL output: also the content of a quoted string, so cdktf's writer never needs a heredoc or an escape.
    assert literal('a\\b "q"\n\t${x}\x01', hcl=True) == 'a\\\\b \\"q\\"\\n\\t$${x}\\u0001'


def test_literal_data_escapes_keys_values_and_models_and_leaves_the_input_alone():
    from constructs_lib._jsii.literal import literal_data
    from constructs_lib.config import validate_env_data

    env = validate_env_data(json.loads(FIXTURE.read_text()), "hostile.json")
    view = literal_data(env)
    assert type(view) is type(env) and env.tags == RAW["tags"]  # validated raw values are kept
    assert view.services[0].parameters.environment["NAME_$${x}_%%{y}"] == env.services[0].parameters.environment["NAME_${x}_%{y}"]
    assert view.services[0].parameters.environment["SPRING_DATASOURCE_URL"] == "jdbc:postgresql://$${DB_HOST}:5432/app"
    assert view.services[0].cpu == env.services[0].cpu and view.naming == env.naming
    assert literal_data(env.network) == env.network  # nothing to escape


def test_only_library_references_are_live(hostile):
    """Any `${...}` or `%{...}` Terraform would evaluate is one the library built; the S3 backend block is read
    without templates in JSON syntax (checked below), so it is left out here."""
    live = {}
    for name, document in hostile.items():
        document = {**document, "terraform": {k: v for k, v in document["terraform"].items() if k != "backend"}}
        for path, text in strings(document):
            try:
                evaluated(text)
            except AssertionError as error:
                live[f"{name}{path}"] = str(error)
    assert live == {}


def test_container_definitions_carry_the_env_file_values(containers):
    app, sidecar = containers["app-service"], containers["metrics-exporter"]
    environment = {e["name"]: e["value"] for e in app["environment"]}
    assert environment == {**CORPUS, "AWS_XRAY_DAEMON_ADDRESS": "localhost:2000"}
    assert app["dockerLabels"] == APP["docker_labels"]
    assert app["healthCheck"]["command"] == [
        "CMD-SHELL", f"{APP['health_check_cmd']} http://localhost:8000{APP['health_check_path']} || exit 1"
    ]
    secret = APP["parameters"]["secrets"]["DATABASE_URL"]
    assert {"name": "DATABASE_URL", "valueFrom": f"{secret['arn']}:{secret['suffix']}::"} in app["secrets"]
    assert [m["containerPath"] for m in app["mountPoints"]] == [
        APP["efs_config"]["mount_points"][0]["container_path"], *APP["scratch_paths"]
    ]
    log = app["logConfiguration"]
    assert log["options"] == {**APP["firelens"]["options"], **APP["log_driver"]["options"]}
    assert {s["name"]: s["valueFrom"] for s in log["secretOptions"]} == {
        **APP["firelens"]["secret_options"], **APP["log_driver"]["secret_options"]
    }
    assert app["environmentFiles"][0]["value"].endswith(f"/{APP['environment_files'][0]['file_path']}")
    assert {e["name"]: e["value"] for e in sidecar["environment"]} == APP["sidecars"][0]["environment"]
    assert sidecar["secrets"] == [{"name": "SIDE", "valueFrom": APP["sidecars"][0]["secrets"]["SIDE"]["arn"]}]


def test_policies_tags_and_attributes_carry_the_env_file_values(app_stack, hostile):
    resources = app_stack["resource"]
    policy = evaluated_json(resources["aws_iam_role_policy"]["execution_role_policy"]["policy"])
    granted = {arn for statement in policy["Statement"] for arn in _as_list(statement.get("Resource", []))}
    secret_arns = [APP["parameters"]["secrets"]["DATABASE_URL"]["arn"], APP["sidecars"][0]["secrets"]["SIDE"]["arn"]]
    assert {*secret_arns, *APP["log_driver"]["secret_options"].values(), *APP["firelens"]["secret_options"].values()} <= granted
    [tags] = app_stack["provider"]["aws"][0]["default_tags"]
    assert {evaluated(k): evaluated(v) for k, v in tags["tags"].items()}.items() >= RAW["tags"].items()
    cluster = hostile["hostile-environment"]["resource"]["aws_ecs_cluster"]["cluster_app_cluster"]["configuration"]
    assert evaluated(cluster["execute_command_configuration"]["kms_key_id"]) == RAW["kms_key_arn"]
    assert evaluated(cluster["managed_storage_configuration"]["kms_key_id"]) == APP["managed_storage_kms_key_id"]
    assert evaluated(resources["aws_lb_target_group"]["alb_target_group"]["health_check"]["path"]) == APP["health_check_path"]
    assert evaluated(resources["aws_lb"]["alb"]["access_logs"]["prefix"]) == APP["alb_access_logs"]["prefix"]
    schedules = {evaluated(a["schedule"]) for a in resources["aws_appautoscaling_scheduled_action"].values()}
    assert schedules == {s["cron"] for s in APP["autoscaling"]["schedules"]}
    service = resources["aws_ecs_service"]["service"]
    assert [evaluated(n) for n in service["alarms"]["alarm_names"]] == APP["deployment_alarms"]["alarm_names"]
    alias = service["service_connect_configuration"]["service"][0]["client_alias"]
    assert evaluated(alias["dns_name"]) == APP["service_connect"]["dns_name"]
    namespace = app_stack["data"]["aws_service_discovery_http_namespace"]["namespace"]["name"]
    assert evaluated(namespace) == APP["service_connect"]["namespace"]
    environment = hostile["hostile-environment"]["resource"]["aws_service_discovery_http_namespace"]
    assert [evaluated(n["name"]) for n in environment.values()] == [APP["service_connect"]["namespace"]]


def test_listener_rule_paths_and_hosts_are_literal(synth):
    # The only service creates no ALB, so its listener (another's) is listed as trusted.
    trusted = [ROUTED["shared_alb"]["listener_arn"]]
    env = {**RAW, "policy": {}, "services": [ROUTED], "trusted_listener_arns": trusted}
    [rule] = synth(env)["resource"]["aws_lb_listener_rule"].values()
    conditions = {key: [evaluated(v) for v in c[key]["values"]] for c in rule["condition"] for key in c}
    [expected] = ROUTED["listener_rules"]
    assert conditions == {"path_pattern": expected["path_patterns"], "host_header": expected["host_headers"]}


@pytest.mark.parametrize("hcl", [False, True])
def test_s3_backend_of_a_consumers_stack_is_literal_in_json_and_hcl(hcl):
    """`s3_backend` on a stack of one's own: verbatim in JSON (no templates there), escaped for HCL (templates)."""
    from cdktf import App, TerraformStack

    from constructs_lib.stacks.stack import s3_backend

    stack = TerraformStack(App(hcl_output=hcl), "mine")
    s3_backend(stack, bucket="b", key="k/${x}%{y}", region="eu-west-1")
    key = stack.to_terraform()["terraform"]["backend"]["s3"]["key"]
    assert key == ("k/$${x}%%{y}" if hcl else "k/${x}%{y}")


def test_the_s3_backend_block_is_written_verbatim(app_stack):
    """Terraform reads a backend block in JSON syntax without templates: a `$${` there would stay two dollars."""
    assert app_stack["terraform"]["backend"]["s3"]["kms_key_id"] == RAW["state"]["kms_key_id"]


def test_the_bootstrap_stack_is_literal():
    from cdktf import Testing

    from constructs_lib.config import validate_env_data
    from constructs_lib.stacks.bootstrap import BootstrapStack

    env = validate_env_data(json.loads(FIXTURE.read_text()), "hostile.json")
    document = json.loads(Testing.synth(BootstrapStack(Testing.app(), "bootstrap", env=env)))
    [encryption] = document["resource"]["aws_s3_bucket_server_side_encryption_configuration"].values()
    default = encryption["rule"][0]["apply_server_side_encryption_by_default"]
    assert evaluated(default["kms_master_key_id"]) == RAW["state"]["kms_key_id"]
    [tags] = document["provider"]["aws"][0]["default_tags"]
    assert {evaluated(k): evaluated(v) for k, v in tags["tags"].items()}.items() >= RAW["tags"].items()


def test_python_callers_get_the_same_literal_values():
    """ECSBuilder (and anyone passing models to EcsFargateService) goes through the same boundary."""
    from cdktf import TerraformStack, Testing
    from test_builder import helper

    from constructs_lib.patterns.builder import ECSBuilder

    stack = TerraformStack(Testing.app(), "builder")
    ECSBuilder().set_application_helper(helper()).set_route53_config(
        {"hosted_zone_id": "Z2ABCDEFGHIJ123", "domain_name": "company.io"}
    ).set_app_parameters({"environment": dict(CORPUS)}).set_builder_config(
        {"cluster_name": "c", "service_name": "s", "alb_name": "a", "alb_domain_prefix": "s", "container_repo": "nginx:1.27",
         "application_port": 80, "ssl_certificate_id": "xyz789"}
    ).build(stack)
    [task] = json.loads(Testing.synth(stack))["resource"]["aws_ecs_task_definition"].values()
    [container] = evaluated_json(task["container_definitions"])
    assert {e["name"]: e["value"] for e in container["environment"]} == CORPUS


ROUND_TRIP_APP = """
import json, sys
from cdktf import App, TerraformOutput, TerraformStack
from constructs_lib._jsii.embedded_json import embedded_json, renders_hcl
from constructs_lib._jsii.literal import literal, literal_data
corpus = json.loads(sys.argv[2])
app = App(outdir=sys.argv[1])
stack = TerraformStack(app, "literal")
hcl = renders_hcl(stack)
for index, key in enumerate(sorted(corpus)):
    TerraformOutput(stack, f"value{index}", value=literal(corpus[key], hcl=hcl))
TerraformOutput(stack, "map", value=literal_data(corpus, hcl=hcl))
TerraformOutput(stack, "document", value=embedded_json(stack, literal_data({"env": corpus}, hcl=hcl)))
app.synth()
"""


@pytest.mark.parametrize("output", ["json", "hcl"])
def test_the_corpus_survives_terraform_apply(tmp_path, output):
    """Literal values, a map with literal keys and an embedded JSON document, written by cdktf as JSON or as HCL
    (`cdktf synth --hcl`), applied by the real Terraform: its outputs are the corpus, byte for byte."""
    require_terraform("the literal round trip")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("SYNTH_HCL_OUTPUT", None)
    if output == "hcl":
        env["SYNTH_HCL_OUTPUT"] = "true"
    # In tmp_path: a stack without a backend gets cdktf's local one, `<cwd>/terraform.<stack>.tfstate`.
    subprocess.run([sys.executable, "-c", ROUND_TRIP_APP, str(tmp_path), json.dumps(CORPUS)], env=env, check=True,
                   capture_output=True, timeout=300, cwd=tmp_path)
    stack_dir = tmp_path / "stacks" / "literal"
    assert (stack_dir / ("cdk.tf" if output == "hcl" else "cdk.tf.json")).exists()
    terraform(["init"], stack_dir)
    terraform(["apply", "-auto-approve"], stack_dir)
    outputs = json.loads(terraform(["output", "-json"], stack_dir).stdout)
    assert [outputs[f"value{i}"]["value"] for i in range(len(CORPUS))] == [CORPUS[k] for k in sorted(CORPUS)]
    assert outputs["map"]["value"] == CORPUS
    assert json.loads(outputs["document"]["value"]) == {"env": CORPUS}
    assert (tmp_path / "terraform.literal.tfstate").is_file() and not (REPO / "terraform.literal.tfstate").exists()


def test_the_hcl_output_of_the_hostile_stacks_is_valid(tmp_path):
    """`cdktf synth --hcl` of the corpus: cdktf's HCL writer gets strings it writes correctly."""
    require_terraform("terraform validate of the hostile HCL output")
    script = ("import sys; from constructs_lib.config import load_env_files; from constructs_lib.stacks.app import build_app; "
              "build_app(load_env_files([sys.argv[1]]), sys.argv[2]).synth()")
    env = {**os.environ, "PYTHONPATH": str(REPO), "SYNTH_HCL_OUTPUT": "true"}
    subprocess.run([sys.executable, "-c", script, str(FIXTURE), str(tmp_path)], env=env, check=True,
                   capture_output=True, timeout=300)
    problems = {}
    for stack_dir in sorted(p.parent for p in tmp_path.glob("stacks/*/cdk.tf")):
        init_offline(stack_dir)
        result = validate(stack_dir)
        if not result["valid"]:
            problems[stack_dir.name] = [f"{d['summary']}: {d.get('detail', '')}" for d in result["diagnostics"]]
    assert len(list(tmp_path.glob("stacks/*/cdk.tf"))) == 2 and problems == {}  # the environment and the service


def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def test_template_sequences_in_arns_and_key_ids_are_refused_as_aws_would():
    """Secret, parameter and KMS names cannot hold `$`, `%` or `{` in AWS: such a value is refused at validate
    (exit 2, the field named), never escaped into a grant that matches nothing."""
    data = json.loads(json.dumps(RAW))
    secret = data["services"][0]["parameters"]["secrets"]["DATABASE_URL"]
    secret["arn"] = "arn:aws:secretsmanager:eu-west-1:333333333333:secret:db-${x}-Q1w2E3"
    data["kms_key_arn"] = "arn:aws:kms:eu-west-1:333333333333:alias/logs-%{y}"
    from constructs_lib.config import ConfigError, validate_env_data

    with pytest.raises(ConfigError) as raised:
        validate_env_data(data, "hostile.json")
    assert [line.split(":")[1].strip() for line in raised.value.problems] == [
        "kms_key_arn", "services[0].parameters.secrets.DATABASE_URL.arn",
    ]
