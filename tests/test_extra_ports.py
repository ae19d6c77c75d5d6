"""`protocol_version` and `extra_ports` (issue 14) on the synthesized JSON of a service stack, with the rules'
exact messages."""

from __future__ import annotations

import json

import pytest
from conftest import named, only, synth_service


@pytest.fixture
def docs(dev_data):
    return dev_data["services"][1]


def test_grpc_target_groups_check_grpc_status_and_get_a_new_name(dev_data, docs):
    before = only(synth_service(dev_data, 1), "aws_lb_target_group")["name"]
    docs.update(
        protocol_version="GRPC",
        health_check_path="/grpc.health.v1.Health/Check",
        service_connect={"namespace": "acme-dev"},
    )
    document = synth_service(dev_data, 1)
    group = only(document, "aws_lb_target_group")
    assert (
        group["protocol_version"],
        group["health_check"]["matcher"],
        group["health_check"]["path"],
    ) == ("GRPC", "0", "/grpc.health.v1.Health/Check")
    assert group["name"] != before and group["name"].startswith("acme-dev-docs-")
    app = json.loads(
        only(document, "aws_ecs_task_definition")["container_definitions"]
    )[0]
    assert app["portMappings"][0]["appProtocol"] == "grpc"


def test_each_extra_port_gets_a_target_group_a_listener_rule_a_binding_and_ingress(
    dev_data, docs
):
    docs["extra_ports"] = [
        {
            "port": 9090,
            "priority": 10,
            "path_patterns": ["/metrics/*"],
            "health_check_path": "/metrics/health",
        }
    ]
    document = synth_service(dev_data, 1)
    group = named(document, "aws_lb_target_group", "ports_port_9090")
    assert (group["port"], group["health_check"]["path"], group["protocol"]) == (
        9090,
        "/metrics/health",
        "HTTP",
    )
    assert named(document, "aws_lb_listener_rule", "ports_port_9090_rule") == {
        "listener_arn": "${aws_lb_listener.alb_https.arn}",
        "priority": 10,
        "action": [
            {
                "type": "forward",
                "target_group_arn": "${aws_lb_target_group.ports_port_9090.arn}",
            }
        ],
        "condition": [{"path_pattern": {"values": ["/metrics/*"]}}],
    }
    service = only(document, "aws_ecs_service")
    assert service["load_balancer"][-1] == {
        "target_group_arn": "${aws_lb_target_group.ports_port_9090.arn}",
        "container_name": "docs",
        "container_port": 9090,
    }
    assert "aws_lb_listener_rule.ports_port_9090_rule" in service["depends_on"]
    app = json.loads(
        only(document, "aws_ecs_task_definition")["container_definitions"]
    )[0]
    assert [m["containerPort"] for m in app["portMappings"]] == [80, 9090]
    ingress = document["resource"]["aws_vpc_security_group_ingress_rule"]
    assert any(rule.get("from_port") == 9090 for rule in ingress.values())


def problems(data):
    from constructs_lib.config import ConfigError, validate_env_data

    with pytest.raises(ConfigError) as error:
        validate_env_data(data, "envs/x.json")
    return [p.removeprefix("envs/x.json: services[1].") for p in error.value.problems]


@pytest.mark.parametrize(
    ("ports", "extra", "expected"),
    [
        (
            [{"port": 80, "priority": 1, "host_headers": ["a.example.com"]}],
            {},
            [
                "extra_ports[0].port: 80 is already the container port of application_port; each must be unique"
            ],
        ),
        (
            [{"port": 9090, "priority": 1}],
            {},
            [
                "extra_ports[0].path_patterns: an extra port's rule needs path_patterns or host_headers"
            ],
        ),
        (
            [
                {"port": 9000 + i, "priority": i + 1, "path_patterns": [f"/{i}"]}
                for i in range(5)
            ],
            {},
            [
                "extra_ports: 5 ports make 6 target groups; allowed: at most 5 per ECS service"
            ],
        ),
        (
            [{"port": 9090, "priority": 1, "path_patterns": ["/x"]}],
            {"deployment_ownership": "codedeploy"},
            [
                ("extra_ports: a blue/green deployment switches the listener's traffic itself; allowed: with deployment_ownership "
                "terraform or external_image")
            ],
        ),
    ],
)
def test_extra_port_rules(dev_data, docs, ports, extra, expected):
    docs.update(extra_ports=ports, **extra)
    assert problems(dev_data) == expected
