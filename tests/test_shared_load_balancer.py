"""Environment-owned shared ALBs (`environment_resources.load_balancers`) and services on them
(`shared_alb.load_balancer`): what the environment stack creates, what the service stack looks up and attaches,
and every validation error, each with its exact `FILE: path: message`.

The corpus is tests/fixtures/shared-alb.json (also scanned by `make scan` and checked by `terraform validate`):
envs/dev.json as environment `shared`, an ALB `edge` of the environment, and its `docs` service on it.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, addresses, drop_own_alb_keys, named, only, synth_service

from constructs_lib.config import ConfigError, validate_env_data

FIXTURE = REPO / "tests" / "fixtures" / "shared-alb.json"
SOURCE = "x.json"
CERTIFICATE = "arn:aws:acm:eu-west-1:111111111111:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
EDGE_LISTENER = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener/app/acme-shared-edge/50dc6c495c0c9188/f2"
ALB = "aws_lb.alb_edge"
GROUPS = "alb_edge_security_groups"


def fixture() -> dict[str, Any]:
    return json.loads(FIXTURE.read_text())


def synth_environment(data: dict[str, Any]) -> dict[str, Any]:
    from cdktf import Testing

    from constructs_lib.stacks.environment import EnvironmentStack

    env = validate_env_data(copy.deepcopy(data), SOURCE)
    return json.loads(Testing.synth(EnvironmentStack(Testing.app(), "test", env=env)))


def problems_of(data: dict[str, Any]) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        validate_env_data(copy.deepcopy(data), SOURCE)
    return caught.value.problems


def edge(data: dict[str, Any]) -> dict[str, Any]:
    return data["environment_resources"]["load_balancers"][0]


@pytest.fixture(scope="module")
def environment() -> dict[str, Any]:
    return synth_environment(fixture())


@pytest.fixture(scope="module")
def docs() -> dict[str, Any]:
    return synth_service(fixture(), 1)


# ------------------------------------------------------------------------------------- the environment's ALB


def test_the_environment_stack_owns_the_alb_its_groups_and_listeners(environment):
    assert [a for a in addresses(environment) if "alb_edge" in a] == [
        "aws_lb.alb_edge",
        "aws_lb_listener.alb_edge_http_redirect",
        "aws_lb_listener.alb_edge_https",
        f"aws_security_group.{GROUPS}_alb_cloudfront",
        f"aws_security_group.{GROUPS}_alb_private",
        f"aws_vpc_security_group_ingress_rule.{GROUPS}_alb_443_cidr_0",
        f"aws_vpc_security_group_ingress_rule.{GROUPS}_alb_80_cidr_0",
        f"aws_vpc_security_group_ingress_rule.{GROUPS}_alb_https_cloudfront",
        "aws_wafv2_web_acl_association.alb_edge_waf",
    ]


def test_the_alb_is_built_as_a_services_with_logs_after_the_bucket_policy(environment):
    assert named(environment, "aws_lb", "alb_edge") == {
        "name": "acme-shared-edge",
        "load_balancer_type": "application",
        "internal": False,
        "subnets": ["subnet-0a1b2c3d4e5f60721", "subnet-0a1b2c3d4e5f60722"],
        "security_groups": [
            f"${{aws_security_group.{GROUPS}_alb_cloudfront.id}}",
            f"${{aws_security_group.{GROUPS}_alb_private.id}}",
        ],
        "drop_invalid_header_fields": True,
        "enable_deletion_protection": True,
        "idle_timeout": 120,
        "access_logs": {"bucket": "acme-shared-alb-logs-111111111111-eu-west-1", "enabled": True},
        "depends_on": ["aws_s3_bucket_policy.alb_access_logs_policy"],
    }
    assert named(environment, "aws_wafv2_web_acl_association", "alb_edge_waf") == {
        "resource_arn": f"${{{ALB}.arn}}",
        "web_acl_arn": "${aws_wafv2_web_acl.web_acl.arn}",
    }


def test_https_answers_404_unless_a_service_rule_matches_and_http_redirects(environment):
    assert named(environment, "aws_lb_listener", "alb_edge_https") == {
        "load_balancer_arn": f"${{{ALB}.arn}}",
        "port": 443,
        "protocol": "HTTPS",
        "ssl_policy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
        "certificate_arn": CERTIFICATE,
        "default_action": [
            {
                "type": "fixed-response",
                "fixed_response": {"content_type": "text/plain", "message_body": "Not Found", "status_code": "404"},
            }
        ],
    }
    redirect = named(environment, "aws_lb_listener", "alb_edge_http_redirect")
    assert (redirect["port"], redirect["default_action"][0]["redirect"]) == (
        80,
        {"port": "443", "protocol": "HTTPS", "status_code": "HTTP_301"},
    )


def test_the_groups_are_tagged_by_name_admit_only_the_listed_sources_and_allow_no_egress(environment):
    group = named(environment, "aws_security_group", f"{GROUPS}_alb_cloudfront")
    assert (group["name_prefix"], group["tags"], group["lifecycle"]) == (
        "acme-shared-edge-cloudfront-",
        {"Name": "acme-shared-edge-cloudfront"},
        {"create_before_destroy": True},
    )
    rules = environment["resource"]["aws_vpc_security_group_ingress_rule"]
    sources = {
        address.removeprefix(f"{GROUPS}_"): (r.get("prefix_list_id") or r.get("cidr_ipv4"), r["from_port"])
        for address, r in rules.items()
        if address.startswith(GROUPS)
    }
    assert sources == {
        "alb_https_cloudfront": ("pl-4fa04526", 443),
        "alb_443_cidr_0": ("10.0.0.0/8", 443),
        "alb_80_cidr_0": ("10.0.0.0/8", 80),
    }
    assert "aws_vpc_security_group_egress_rule" not in environment["resource"]


def test_the_outputs_are_the_listener_alb_dns_name_and_group(environment):
    assert environment["output"] == {
        "alb_edge_arn": {"value": f"${{{ALB}.arn}}"},
        "alb_edge_dns_name": {"value": f"${{{ALB}.dns_name}}"},
        "alb_edge_listener_arn": {"value": "${aws_lb_listener.alb_edge_https.arn}"},
        "alb_edge_security_group_id": {"value": f"${{aws_security_group.{GROUPS}_alb_cloudfront.id}}"},
    }


def test_an_internal_alb_sits_in_the_private_subnets_without_the_web_acl_and_without_logs_when_off():
    data = fixture()
    edge(data)["internal"] = True
    data["environment_resources"]["alb_access_logs"] = False
    environment = synth_environment(data)
    alb = named(environment, "aws_lb", "alb_edge")
    assert (alb["internal"], alb["subnets"], "access_logs" in alb, "depends_on" in alb) == (
        True,
        ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60712"],
        False,
        False,
    )
    assert "aws_wafv2_web_acl_association" not in environment["resource"]


def test_no_load_balancers_by_default():
    data = fixture()
    del data["environment_resources"]
    data["services"][1] = fixture()["services"][0] | {"service_name": "docs", "alb_name": "docs-alb"}
    data["services"][1]["alb_domain_prefix"] = "docs"
    environment = synth_environment(data)
    assert "aws_lb" not in environment["resource"] and "output" not in environment


# ------------------------------------------------------------------------------------- a service on it


def test_the_service_finds_the_alb_listener_and_group_by_name_never_by_state(docs):
    assert docs["data"]["aws_lb"] == {"shared_alb": {"name": "acme-shared-edge"}}
    assert docs["data"]["aws_lb_listener"] == {
        "shared_alb_https": {"load_balancer_arn": "${data.aws_lb.shared_alb.arn}", "port": 443}
    }
    assert docs["data"]["aws_security_group"] == {
        "shared_alb_security_group": {
            "tags": {"Name": "acme-shared-edge-cloudfront"},
            "vpc_id": "vpc-0a1b2c3d4e5f60718",
        }
    }
    assert "terraform_remote_state" not in docs.get("data", {})
    assert [a for a in addresses(docs) if a.startswith(("aws_lb.", "aws_lb_listener.", "aws_wafv2"))] == []


def test_the_rule_forwards_to_the_services_target_group_on_the_found_listener(docs):
    assert only(docs, "aws_lb_listener_rule") == {
        "listener_arn": "${data.aws_lb_listener.shared_alb_https.arn}",
        "priority": 10,
        "action": [{"type": "forward", "target_group_arn": "${aws_lb_target_group.alb_target_group.arn}"}],
        "condition": [{"host_header": {"values": ["docs.shared.acme.io"]}}],
    }
    assert only(docs, "aws_ecs_service")["depends_on"][0] == "aws_lb_listener_rule.alb_rule_10"


def test_the_alb_reaches_the_tasks_by_rules_of_the_service_stack(docs):
    group = "${data.aws_security_group.shared_alb_security_group.id}"
    tasks = "${aws_security_group.security_groups_tasks.id}"
    ingress = named(docs, "aws_vpc_security_group_ingress_rule", "security_groups_tasks_from_alb_80")
    egress = named(docs, "aws_vpc_security_group_egress_rule", "security_groups_alb_to_tasks_80")
    assert (ingress["security_group_id"], ingress["referenced_security_group_id"], ingress["from_port"]) == (
        tasks,
        group,
        80,
    )
    assert (egress["security_group_id"], egress["referenced_security_group_id"], egress["to_port"]) == (
        group,
        tasks,
        80,
    )


def test_the_dns_record_and_outputs_point_at_the_shared_alb(docs):
    assert only(docs, "aws_route53_record")["alias"] == {
        "name": "${data.aws_lb.shared_alb.dns_name}",
        "zone_id": "${data.aws_lb.shared_alb.zone_id}",
        "evaluate_target_health": True,
    }
    outputs = docs["output"]
    assert outputs["listener_arn"] == {"value": "${data.aws_lb_listener.shared_alb_https.arn}"}
    assert outputs["load_balancer_security_group_ids"] == {
        "value": ["${data.aws_security_group.shared_alb_security_group.id}"]
    }
    assert "load_balancer_arn" not in outputs


def test_a_python_caller_attaches_by_name_as_an_env_file_does():
    from constructs_lib.patterns.from_config import literal_env, web_service_props

    env = validate_env_data(fixture(), SOURCE)
    props = web_service_props(literal_env(env, hcl=False), env.services[1])
    assert props.shared_alb is not None and props.shared_alb.load_balancer == "edge"
    assert props.shared_alb.listener_arn is None and props.problems == []


# ------------------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    "change, expected",
    [
        (
            lambda d: edge(d).update(name="x" * 33),
            [
                'environment_resources.load_balancers[0].name: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" is not an ALB '
                "name; allowed: 1-32 letters, digits and hyphens, not starting or ending with a hyphen"
            ],
        ),
        (
            lambda d: edge(d).update(idle_timeout_seconds=4001),
            [
                "environment_resources.load_balancers[0].idle_timeout_seconds: 4001 is not an ALB idle timeout; "
                "allowed: 1-4000"
            ],
        ),
        (
            lambda d: edge(d).update(certificate_arn="0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"),
            [
                'environment_resources.load_balancers[0].certificate_arn: "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0" is '
                "not an ACM certificate ARN; allowed: arn:aws:acm:<region>:<account>:certificate/<id>"
            ],
        ),
        (
            lambda d: edge(d).update(certificate_arn=CERTIFICATE.replace("eu-west-1", "us-east-1")),
            [
                "environment_resources.load_balancers[0].certificate_arn: the certificate is in us-east-1, the ALB in "
                "eu-west-1; allowed: a certificate of eu-west-1"
            ],
        ),
        (
            lambda d: edge(d).update(certificate_arn=CERTIFICATE.replace("111111111111", "222222222222")),
            [
                "environment_resources.load_balancers[0].certificate_arn: the certificate belongs to account "
                "222222222222, the ALB to 111111111111; allowed: a certificate of account 111111111111"
            ],
        ),
        (
            lambda d: (edge(d).pop("ingress_cidrs"), edge(d).pop("cloudfront_prefix_list_id")),
            [
                "environment_resources.load_balancers[0].ingress_cidrs: no client could reach the ALB; allowed: "
                'ingress_cidrs (["0.0.0.0/0"] for the internet) and/or cloudfront_prefix_list_id'
            ],
        ),
        (
            lambda d: d["environment_resources"]["load_balancers"].append(dict(edge(d))),
            [
                "environment_resources.load_balancers[1].name: 'edge' is already the name of load_balancers[0]; "
                "names must be unique"
            ],
        ),
        (
            lambda d: edge(d).update(name="app-alb"),
            [
                "services[1].shared_alb.load_balancer: 'edge' is not an ALB of environment_resources.load_balancers; "
                "allowed: 'app-alb'",
                "environment_resources.load_balancers[0].name: the ALB 'acme-shared-app-alb' is also the one "
                "services[0] creates (its alb_name); allowed: a name no service's own ALB has",
            ],
        ),
        (
            lambda d: (
                edge(d).update(internal=True),
                d["network"].update(private_subnet_ids=["subnet-0a1b2c3d4e5f60711"]),
            ),
            [
                "environment_resources.load_balancers[0].internal: an internal ALB goes in network.private_subnet_ids, "
                "which has 1; allowed: subnets in 2 or more Availability Zones"
            ],
        ),
        (
            lambda d: d.update(organization="internal"),
            [
                f"services[{i}].alb_name: 'internal-shared-{n}-alb' starts with 'internal-', which AWS reserves for "
                "internal ALBs' DNS names; change organization or environment"
                for i, n in ((0, "app"), (1, "docs"))
            ]
            + [
                "environment_resources.load_balancers[0].name: 'internal-shared-edge' starts with 'internal-', which "
                "AWS reserves for internal ALBs' DNS names; allowed: an ALB name that does not (change name, "
                "organization or environment)"
            ],
        ),
        (
            lambda d: d["services"][1]["shared_alb"].update(load_balancer="edgy"),
            [
                "services[1].shared_alb.load_balancer: 'edgy' is not an ALB of environment_resources.load_balancers; "
                "allowed: 'edge'"
            ],
        ),
        (
            lambda d: d.pop("environment_resources"),
            [
                "services[1].shared_alb.load_balancer: 'edge' is not an ALB of environment_resources.load_balancers; "
                "allowed: none, environment_resources.load_balancers is empty"
            ],
        ),
        (
            lambda d: d["services"][1]["shared_alb"].update(listener_arn=EDGE_LISTENER),
            [
                "services[1].shared_alb.listener_arn: set with load_balancer; give one form only: load_balancer (an ALB "
                "of environment_resources.load_balancers) or listener_arn with security_group_id"
            ],
        ),
        (
            lambda d: d["services"][1].update(shared_alb={}),
            [
                "services[1].shared_alb.load_balancer: missing: set load_balancer (an ALB of "
                "environment_resources.load_balancers) or listener_arn with security_group_id"
            ],
        ),
        (
            lambda d: d["services"][1].update(shared_alb={"listener_arn": EDGE_LISTENER}),
            ["services[1].shared_alb.security_group_id: missing: required with listener_arn"],
        ),
    ],
    ids=[
        "name too long",
        "idle timeout",
        "certificate id",
        "certificate region",
        "certificate account",
        "no ingress",
        "duplicate name",
        "a service's alb name",
        "one private subnet",
        "internal- prefix",
        "unknown name",
        "no load balancers",
        "both forms",
        "no form",
        "listener without group",
    ],
)
def test_every_problem_is_reported_with_its_path_and_what_is_allowed(change, expected):
    data = fixture()
    change(data)
    assert problems_of(data) == [f"{SOURCE}: {message}" for message in expected]


def test_a_listener_of_the_environments_alb_is_trusted_and_shares_its_priorities():
    data = fixture()
    app = data["services"][0]
    drop_own_alb_keys(app)
    app.update(
        shared_alb={"listener_arn": EDGE_LISTENER, "security_group_id": "sg-0123456789abcdef0"},
        listener_rules=[{"priority": 10, "path_patterns": ["/api/*"]}],
    )
    assert problems_of(data) == [
        f"{SOURCE}: services[1].listener_rules[0].priority: 10 is already the priority of "
        "services[0].listener_rules[0] on the same shared_alb listener; each must be unique"
    ]
    app["listener_rules"][0]["priority"] = 11
    assert validate_env_data(data, SOURCE).services[0].shared_alb.listener_arn == EDGE_LISTENER


def test_another_alb_of_the_environments_prefix_is_still_refused():
    data = fixture()
    drop_own_alb_keys(data["services"][0])
    data["services"][0].update(
        shared_alb={
            "listener_arn": EDGE_LISTENER.replace("shared-edge", "shared-other"),
            "security_group_id": "sg-0123456789abcdef0",
        },
        listener_rules=[{"priority": 11, "path_patterns": ["/api/*"]}],
    )
    assert problems_of(data) == [
        f"{SOURCE}: services[0].shared_alb.listener_arn: the ALB 'acme-shared-other' is not one of this environment's "
        "(its services create no ALB; environment_resources.load_balancers 'acme-shared-edge'); allowed: the ALB of a "
        "service of this env file (one without shared_alb) or of environment_resources.load_balancers, or list the "
        "listener ARN in trusted_listener_arns"
    ]


def test_the_policy_rules_read_the_environments_albs():
    from constructs_lib.config.policy import evaluate_policy

    data = fixture()
    data["environment"] = "prod"
    for service in data["services"]:
        service["route53"]["domain_name"] = "prod.acme.io"
    edge(data).update(ingress_cidrs=["0.0.0.0/0"], deletion_protection=False)
    data["environment_resources"].update(waf_web_acl=False, alb_access_logs=False)
    data["policy"] = {
        "waf_on_internet_alb": "warning",
        "alb_access_logs": "warning",
        "deletion_protection": "warning",
        "open_alb_ingress": "warning",
    }
    findings = [f.line() for f in evaluate_policy(validate_env_data(data, SOURCE)) if "load_balancers" in f.path]
    at = "environment_resources.load_balancers[0]"
    assert findings == [
        f"{at}.internal: warning: the internet-facing ALB has no WAF web ACL (policy.waf_on_internet_alb)",
        f"{at}.name: warning: the ALB writes no access logs (policy.alb_access_logs)",
        f"{at}.deletion_protection: warning: deletion protection is off on a production ALB (policy.deletion_protection)",
        f"{at}.ingress_cidrs: warning: 0.0.0.0/0 covers 0.0.0.0/0: the ALB is open to the whole internet; allowed: "
        "public ranges of fewer than 16,777,216 addresses (a /8) in all (policy.open_alb_ingress)",
    ]


def test_the_cli_refuses_an_unknown_alb_name_with_exit_2_and_writes_nothing(tmp_path: Path):
    data = fixture()
    data["services"][1]["shared_alb"]["load_balancer"] = "edgy"
    data["$schema"] = "./schema/env-file.schema.json"
    (tmp_path / "envs").mkdir()
    (tmp_path / "envs" / "shared.json").write_text(json.dumps(data))
    done = subprocess.run(
        [sys.executable, "-m", "constructs_lib", "synth", "envs/shared.json", "--outdir", "out"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "envs/shared.json: services[1].shared_alb.load_balancer: 'edgy' is not an ALB of "
        "environment_resources.load_balancers; allowed: 'edge'",
        "1 problem found; nothing was written",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["envs"]


# ------------------------------------------------------------------------------------- cost and diagram


def test_cost_counts_the_alb_hours_in_the_environment_stack_and_nothing_for_the_service_on_it():
    from constructs_lib.tools.cost_schedule import HOURS_PER_MONTH

    done = subprocess.run(
        [sys.executable, "-m", "constructs_lib", "cost", str(FIXTURE)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    rate = json.loads((REPO / "constructs_lib" / "data" / "prices.json").read_text())["regions"]["eu-west-1"]["alb"]
    section = done.stdout.split("shared-environment: shared by the services", 1)[1].split("\n\n", 1)[0]
    hours = f"{HOURS_PER_MONTH:,.2f} h"
    assert any(
        line.split()[:3] == ["ALB", "hours", "(edge)"]
        and hours in line
        and f"{rate['hour'] * HOURS_PER_MONTH:,.2f}" in line
        for line in section.splitlines()
    ), section
    docs = done.stdout.split("shared-docs:", 1)[1].split("\n\n", 1)[0]
    assert not [line for line in docs.splitlines() if line.strip().startswith("ALB")], docs
    assert "on the environment's ALB 'edge': its hours are counted with the environment stack" in docs, docs


def test_diagram_draws_the_alb_in_the_environment_and_the_service_on_it(tmp_path: Path):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "constructs_lib",
            "diagram",
            str(FIXTURE),
            "--format",
            "mermaid",
            "--outdir",
            str(tmp_path),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    environment = (tmp_path / "shared-environment.mmd").read_text()
    assert 'alb_edge["<b>ALB acme-shared-edge</b><br/>internet-facing<br/>WAF web ACL<br/>access logs' in environment
    assert (
        "<b>HTTPS :443</b><br/>ACM certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0<br/>404 unless a listener rule "
        "matches" in environment
    )
    assert "alb_edge --> alb_edge_https" in environment
    docs = (tmp_path / "shared-docs.mmd").read_text()
    assert "<b>ALB acme-shared-edge (the environment's)</b>" in docs
    assert "shared_alb_https --> alb_rule_10" in docs and 'alb_rule_10 -->|"forward"| alb_target_group' in docs


def test_prerequisites_name_the_environments_alb_instead_of_alb_groups():
    from constructs_lib.tools.prerequisites import Prerequisite, service_prerequisites

    env = validate_env_data(fixture(), SOURCE)
    found = service_prerequisites(env, env.services[1])
    assert (
        Prerequisite(
            "ALB",
            "acme-shared-edge",
            "the environment stack's (shared-environment), with its HTTPS listener and groups: apply it first",
        )
        in found
    )
    assert not [p for p in found if p.kind == "security group" and "docs-alb" in p.name]


# ------------------------------------------------------------------------------------- the service's certificate

OTHER_CERTIFICATE = CERTIFICATE.replace("0f1e2d3c", "9a8b7c6d")


def docs_with(**changes: Any) -> dict[str, Any]:
    data = fixture()
    data["services"][1].pop("ssl_certificate_id")
    data["services"][1].update(changes)
    return data


def test_the_albs_own_certificate_is_not_added_again(docs):
    """The fixture's docs service names the edge ALB's certificate: the listener presents it already."""
    assert "aws_lb_listener_certificate" not in docs["resource"]


def test_a_certificate_of_its_own_is_added_to_the_shared_listener_for_its_host_name():
    document = synth_service(docs_with(ssl_certificate_id=OTHER_CERTIFICATE), 1)
    assert only(document, "aws_lb_listener_certificate") == {
        "listener_arn": "${data.aws_lb_listener.shared_alb_https.arn}",
        "certificate_arn": OTHER_CERTIFICATE,
    }
    assert "aws_lb_listener_certificate.alb_listener_certificate" in addresses(document)


def test_a_created_certificate_is_validated_then_added_to_the_shared_listener():
    document = synth_service(docs_with(create_certificate=True), 1)
    assert only(document, "aws_acm_certificate")["domain_name"] == "docs.shared.acme.io"
    assert only(document, "aws_lb_listener_certificate")["certificate_arn"] == (
        "${aws_acm_certificate_validation.certificate_validation.certificate_arn}"
    )


def test_on_a_shared_alb_the_certificate_is_optional_in_env_files_and_typed_props():
    from constructs_lib.patterns.from_config import literal_env, web_service_props
    from constructs_lib.patterns.web_service_props import WebServiceProps
    from constructs_lib.tools.prerequisites import service_prerequisites

    env = validate_env_data(docs_with(), SOURCE)
    assert "aws_lb_listener_certificate" not in synth_service(docs_with(), 1)["resource"]
    assert web_service_props(literal_env(env, hcl=False), env.services[1]).certificate_arn is None
    assert WebServiceProps.certificate_rules({"shared_alb": {"load_balancer": "edge"}}) == []
    assert [(p["loc"], p["type"].message()) for p in WebServiceProps.certificate_rules({})] == [
        (("certificate_arn",), "missing: give an ACM certificate ARN (or set create_certificate: true)")
    ]
    assert [p for p in service_prerequisites(env, env.services[1]) if p.kind == "ACM certificate"] == []
    own = validate_env_data(docs_with(ssl_certificate_id=OTHER_CERTIFICATE), SOURCE)
    assert [(p.name, p.why) for p in service_prerequisites(own, own.services[1]) if p.kind == "ACM certificate"] == [
        (OTHER_CERTIFICATE, "issued, in the env's region, for the shared ALB's HTTPS listener, for the service's host name")
    ]



def test_the_stack_with_a_certificate_of_its_own_passes_terraform_validate(tmp_path: Path):
    from tf import require_terraform, terraform_problems

    from constructs_lib.cli.synth import synthesize

    require_terraform("terraform validate")
    synthesize([validate_env_data(docs_with(ssl_certificate_id=OTHER_CERTIFICATE), SOURCE)], tmp_path / "out")
    stack = tmp_path / "out" / "stacks" / "shared-docs"
    assert "aws_lb_listener_certificate" in json.loads((stack / "cdk.tf.json").read_text())["resource"]
    assert terraform_problems(stack) == []
