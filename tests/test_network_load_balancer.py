"""`load_balancer_type: network` (issue 14): the NLB, its listener, target group, security groups and DNS alias on
the synthesized JSON, what an NLB service leaves out, and the rules' exact messages."""

from __future__ import annotations

import json

import pytest
from conftest import REPO, only, synth_service


@pytest.fixture
def docs(dev_data):
    """envs/dev.json's second service (ALB access logs, WAF) turned into an NLB service."""
    service = dev_data["services"][1]
    service.pop("waf_web_acl_arn")
    service["load_balancer_type"] = "network"
    return service


def test_a_tls_nlb_terminates_with_the_certificate_and_forwards_tcp(dev_data, docs):
    alb_group_name = only(
        synth_service(dict(dev_data, services=[{**docs, "load_balancer_type": "application"}])), "aws_lb_target_group"
    )["name"]
    document = synth_service(dev_data, 1)
    nlb = only(document, "aws_lb")
    assert (nlb["load_balancer_type"], nlb["enable_cross_zone_load_balancing"], nlb["enable_deletion_protection"]) == (
        "network",
        True,
        True,
    )
    assert nlb["security_groups"] == [
        "${data.aws_security_group.security_groups_alb_cloudfront.id}",
        "${data.aws_security_group.security_groups_alb_private.id}",
    ]
    assert nlb["access_logs"] == {"bucket": "acme-dev-access-logs", "enabled": True, "prefix": "alb/docs"}
    assert "drop_invalid_header_fields" not in nlb and "idle_timeout" not in nlb
    assert only(document, "aws_lb_listener") == {
        "load_balancer_arn": "${aws_lb.nlb.arn}",
        "port": 443,
        "protocol": "TLS",
        "ssl_policy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
        "certificate_arn": "arn:aws:acm:eu-west-1:111111111111:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
        "default_action": [{"type": "forward", "target_group_arn": "${aws_lb_target_group.nlb_target_group.arn}"}],
    }
    group = only(document, "aws_lb_target_group")
    assert (group["protocol"], group["port"], group["health_check"]) == (
        "TCP",
        80,
        {
            "enabled": True,
            "protocol": "TCP",
            "port": "traffic-port",
            "interval": 30,
            "timeout": 5,
            "healthy_threshold": 5,
            "unhealthy_threshold": 2,
        },
    )
    assert "load_balancing_algorithm_type" not in group and "stickiness" not in group
    assert group["name"] != alb_group_name  # the protocol forces a replacement: a new name
    assert only(document, "aws_route53_record")["alias"] == {
        "name": "${aws_lb.nlb.dns_name}",
        "zone_id": "${aws_lb.nlb.zone_id}",
        "evaluate_target_health": True,
    }
    service = only(document, "aws_ecs_service")
    assert service["load_balancer"] == [
        {
            "target_group_arn": "${aws_lb_target_group.nlb_target_group.arn}",
            "container_name": "docs",
            "container_port": 80,
        }
    ]
    assert "aws_lb_listener.nlb_listener" in service["depends_on"]
    assert document["output"]["listener_arn"]["value"] == "${aws_lb_listener.nlb_listener.arn}"
    for kind in ("aws_lb_listener_rule", "aws_wafv2_web_acl_association"):
        assert kind not in document["resource"]


def test_the_nlb_groups_admit_the_listener_port_only(dev_data, docs):
    docs.update(
        alb_ingress_cidrs=["10.0.0.0/8"], network_load_balancer={"listener_protocol": "TCP", "listener_port": 8443}
    )
    docs.pop("ssl_certificate_id")
    ingress = document_ingress(synth_service(dev_data, 1))
    assert ingress == {
        "security_groups_alb_8443_cidr_0": ("tcp", 8443, "10.0.0.0/8"),
        "security_groups_tasks_from_alb_80": (
            "tcp",
            80,
            "${data.aws_security_group.security_groups_alb_cloudfront.id}",
        ),
    }


def test_a_udp_nlb_checks_health_over_tcp_and_maps_the_port_as_udp(dev_data, docs):
    docs.update(
        alb_ingress_cidrs=["10.0.0.0/8"],
        network_load_balancer={"listener_protocol": "UDP", "listener_port": 53, "health_check_port": 8080},
    )
    docs.pop("ssl_certificate_id")
    document = synth_service(dev_data, 1)
    assert only(document, "aws_lb")["access_logs"]["enabled"] is True  # AWS accepts it; entries log TLS only
    listener = only(document, "aws_lb_listener")
    assert (listener["protocol"], listener["port"]) == ("UDP", 53)
    assert "certificate_arn" not in listener and "ssl_policy" not in listener
    group = only(document, "aws_lb_target_group")
    assert (group["protocol"], group["health_check"]["protocol"], group["health_check"]["port"]) == (
        "UDP",
        "TCP",
        "8080",
    )
    alb_group = "${data.aws_security_group.security_groups_alb_cloudfront.id}"
    assert document_ingress(document) == {
        "security_groups_alb_udp_53_cidr_0": ("udp", 53, "10.0.0.0/8"),
        "security_groups_tasks_from_alb_8080": ("tcp", 8080, alb_group),
        "security_groups_tasks_from_alb_udp_80": ("udp", 80, alb_group),
    }
    app = json.loads(only(document, "aws_ecs_task_definition")["container_definitions"])[0]
    assert app["portMappings"] == [{"containerPort": 80, "hostPort": 80, "protocol": "udp"}]


def test_an_http_health_check_checks_the_path(dev_data, docs):
    docs.update(health_check_path="/healthz", network_load_balancer={"health_check_protocol": "HTTP"})
    check = only(synth_service(dev_data, 1), "aws_lb_target_group")["health_check"]
    assert (check["protocol"], check["path"], check["matcher"], check["port"]) == (
        "HTTP",
        "/healthz",
        "200,302",
        "traffic-port",
    )


def test_created_groups_let_the_nlb_reach_the_tasks_only():
    data = json.loads((REPO / "tests" / "fixtures" / "qa-created-groups.json").read_text())
    service = data["services"][1]
    service.update(load_balancer_type="network", network_load_balancer={"listener_protocol": "TCP"})
    for key in ("ssl_certificate_id", "waf_web_acl_arn"):
        service.pop(key)
    egress = synth_service(data, 1)["resource"]["aws_vpc_security_group_egress_rule"]
    tasks = "${aws_security_group.security_groups_tasks.id}"
    assert {name: rule.get("referenced_security_group_id") for name, rule in egress.items()} == {
        "security_groups_tasks_egress_all": None,
        f"security_groups_alb_to_tasks_{service['application_port']}": tasks,
    }


def document_ingress(document):
    return {
        name: (
            rule["ip_protocol"],
            rule["from_port"],
            rule.get("cidr_ipv4") or rule.get("referenced_security_group_id"),
        )
        for name, rule in document["resource"]["aws_vpc_security_group_ingress_rule"].items()
    }


def problems(data):
    from constructs_lib.config import ConfigError, validate_env_data

    with pytest.raises(ConfigError) as error:
        validate_env_data(data, "envs/x.json")
    return [p.removeprefix("envs/x.json: services[1].") for p in error.value.problems]


NOT_WITH_NLB = "not with load_balancer_type network: "


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        (
            {"stickiness": {"enabled": True}},
            ["stickiness: " + NOT_WITH_NLB + "cookie stickiness (lb_cookie) is an ALB feature"],
        ),
        (
            {"waf_web_acl_arn": "arn:aws:wafv2:eu-west-1:111111111111:regional/webacl/x/1"},
            ["waf_web_acl_arn: " + NOT_WITH_NLB + "AWS WAF protects ALBs, not NLBs"],
        ),
        (
            {"admin_port": 81, "admin_active": True, "admin_public": True},
            ["admin_public: " + NOT_WITH_NLB + "the public admin port is an HTTPS listener rule of the ALB"],
        ),
        (
            {"extra_ports": [{"port": 9090, "priority": 1, "path_patterns": ["/x"]}]},
            ["extra_ports: " + NOT_WITH_NLB + "extra ports are routed by HTTPS listener rules, which NLBs lack"],
        ),
        (
            {"protocol_version": "GRPC"},
            [
                "protocol_version: "
                + NOT_WITH_NLB
                + "HTTP2 and GRPC are versions of HTTP target groups; an NLB's are TCP, TLS or UDP"
            ],
        ),
        (
            {"alb_idle_timeout_seconds": 120},
            [
                "alb_idle_timeout_seconds: "
                + NOT_WITH_NLB
                + "the idle timeout is an ALB attribute; an NLB's TCP idle timeout is per listener"
            ],
        ),
        (
            {"alarms": {"target_5xx_count": 5}},
            [
                "alarms.target_5xx_count: "
                + NOT_WITH_NLB
                + "NLBs publish no HTTP status codes (HTTPCode_Target_5XX_Count is an ALB metric)"
            ],
        ),
        (
            {"autoscaling": {"min_capacity": 1, "max_capacity": 2, "requests_per_target": 100}},
            [
                "autoscaling.requests_per_target: "
                + NOT_WITH_NLB
                + "ALBRequestCountPerTarget is an ALB metric; scale on CPU, memory or metric_tracking"
            ],
        ),
        (
            {"load_balancing_algorithm": "least_outstanding_requests"},
            ["load_balancing_algorithm: " + NOT_WITH_NLB + "NLBs pick targets by flow hash"],
        ),
        (
            {"deployment_ownership": "codedeploy"},
            [
                "deployment_ownership: 'codedeploy' switches the ALB's listeners; allowed with an NLB: terraform or "
                "external_image"
            ],
        ),
        (
            {"health_check_path": "/healthz"},
            [
                "health_check_path: TCP health checks have no path; set network_load_balancer.health_check_protocol "
                "HTTP or HTTPS"
            ],
        ),
        (
            {"network_load_balancer": {"listener_protocol": "UDP"}},
            [
                "network_load_balancer.health_check_port: missing: UDP targets are health-checked over TCP or HTTP; "
                "give a TCP port of the task",
                "ssl_certificate_id: a UDP listener serves no certificate; allowed with "
                "network_load_balancer.listener_protocol TLS",
            ],
        ),
        (
            {
                "network_load_balancer": {
                    "listener_protocol": "TCP",
                    "target_protocol": "UDP",
                    "health_check_port": 81,
                    "tls_policy": "ELBSecurityPolicy-2016-08",
                }
            },
            [
                "network_load_balancer.target_protocol: 'UDP' behind a TCP listener; allowed: TCP",
                "network_load_balancer.tls_policy: a TCP listener has no TLS policy; allowed: with listener_protocol "
                "TLS",
                "ssl_certificate_id: a TCP listener serves no certificate; allowed with "
                "network_load_balancer.listener_protocol TLS",
            ],
        ),
        (
            {"load_balancer_type": "application", "network_load_balancer": {}},
            ["network_load_balancer: set only with load_balancer_type network"],
        ),
    ],
)
def test_what_an_nlb_cannot_honour_is_an_error_naming_the_limit(dev_data, docs, settings, expected):
    docs.update(settings)
    assert problems(dev_data) == expected


def test_a_tls_nlb_still_needs_a_certificate(dev_data, docs):
    docs.pop("ssl_certificate_id")
    assert problems(dev_data) == ["ssl_certificate_id: missing: this key is required (or set create_certificate: true)"]
