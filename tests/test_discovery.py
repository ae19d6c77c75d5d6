"""ServiceConnect (Cloud Map HTTP namespace + the service's service_connect_configuration) and ServiceDiscovery
(Cloud Map A/SRV records whose registry the service joins)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import addresses, only, readable_stack
from tf import require_terraform, validated_provider_stack

NAMESPACE_ARN = "arn:aws:servicediscovery:eu-west-1:123456789012:namespace/ns-0123456789abcdef"




def connect(**config):
    """A ServiceConnect and the synthesized stack, its configuration set on a bare aws_ecs_service."""
    import cdktf

    from constructs_lib._jsii.aws import EcsService
    from constructs_lib.constructs.discovery import ServiceConnect
    from constructs_lib.props.discovery import ServiceConnectConfig

    stack = readable_stack()
    service_connect = ServiceConnect(
        stack, "service-connect", config=ServiceConnectConfig(**config), default_name="api", app_port=8080
    )
    EcsService(stack, "service", name="acme-dev-api", service_connect_configuration=service_connect.service_connect_configuration)
    return service_connect, json.loads(cdktf.Testing.synth(stack))


def discovery(**config):
    """A ServiceDiscovery and the synthesized stack, its registry set on a bare aws_ecs_service."""
    import cdktf

    from constructs_lib._jsii.aws import EcsService, EcsServiceServiceRegistries
    from constructs_lib.constructs.discovery import ServiceDiscovery
    from constructs_lib.props.discovery import ServiceDiscoveryConfig

    stack = readable_stack()
    service_discovery = ServiceDiscovery(
        stack, "service-discovery", config=ServiceDiscoveryConfig(**config), default_name="api"
    )
    EcsService(stack, "service", name="acme-dev-api",
               service_registries=EcsServiceServiceRegistries(registry_arn=service_discovery.registry_arn))
    return service_discovery, json.loads(cdktf.Testing.synth(stack))


def test_a_namespace_name_creates_the_http_namespace_and_defaults_follow_the_service():
    service_connect, document = connect(namespace="acme-dev")
    assert only(document, "aws_service_discovery_http_namespace") == {
        "name": "acme-dev",
        "description": "ECS Service Connect namespace",
    }
    namespace_arn = "${aws_service_discovery_http_namespace.service_connect_namespace.arn}"
    assert only(document, "aws_ecs_service")["service_connect_configuration"] == {
        "enabled": True,
        "namespace": namespace_arn,
        "service": [{"port_name": "app", "discovery_name": "api", "client_alias": {"port": 8080, "dns_name": "api"}}],
    }
    assert service_connect.port_name == "app"
    assert addresses(document) == [
        "aws_ecs_service.service",
        "aws_service_discovery_http_namespace.service_connect_namespace",
    ]


def test_a_namespace_arn_is_referenced_and_every_name_and_port_can_be_set():
    service_connect, document = connect(
        namespace=NAMESPACE_ARN, port_name="http", discovery_name="orders", dns_name="orders.internal", port=80
    )
    assert "aws_service_discovery_http_namespace" not in document.get("resource", {})
    assert service_connect.namespace is None
    assert only(document, "aws_ecs_service")["service_connect_configuration"] == {
        "enabled": True,
        "namespace": NAMESPACE_ARN,
        "service": [
            {"port_name": "http", "discovery_name": "orders", "client_alias": {"port": 80, "dns_name": "orders.internal"}}
        ],
    }
    assert (service_connect.port_name, service_connect.namespace_arn) == ("http", NAMESPACE_ARN)


def test_dns_name_defaults_to_the_discovery_name():
    _, document = connect(namespace="acme-dev", discovery_name="orders")
    service = only(document, "aws_ecs_service")["service_connect_configuration"]["service"][0]
    assert service["client_alias"] == {"port": 8080, "dns_name": "orders"}


def test_service_discovery_keeps_a_records_of_healthy_tasks_in_the_namespace():
    service_discovery, document = discovery(namespace_id="ns-abc123")
    assert only(document, "aws_service_discovery_service") == {
        "name": "api",
        "dns_config": {
            "namespace_id": "ns-abc123",
            "dns_records": [{"type": "A", "ttl": 10}],
            "routing_policy": "MULTIVALUE",
        },
        "health_check_custom_config": {"failure_threshold": 1},
    }
    assert only(document, "aws_ecs_service")["service_registries"] == {
        "registry_arn": "${aws_service_discovery_service.service_discovery.arn}"
    }
    assert service_discovery.record_type == "A"
    assert addresses(document) == ["aws_ecs_service.service", "aws_service_discovery_service.service_discovery"]


def test_service_discovery_srv_records_with_name_and_ttl():
    service_discovery, document = discovery(namespace_id="ns-abc123", name="orders", record_type="SRV", ttl_seconds=60)
    assert only(document, "aws_service_discovery_service")["name"] == "orders"
    assert only(document, "aws_service_discovery_service")["dns_config"]["dns_records"] == [{"type": "SRV", "ttl": 60}]
    assert service_discovery.record_type == "SRV"


@pytest.mark.parametrize("kind", ["service_connect", "service_discovery"])
def test_terraform_validate_accepts_the_resources_and_the_service_wiring(tmp_path: Path, kind: str):
    require_terraform("terraform validate of ServiceConnect / ServiceDiscovery")

    from constructs_lib._jsii.aws import EcsService, EcsServiceServiceRegistries
    from constructs_lib.constructs.discovery import ServiceConnect, ServiceDiscovery
    from constructs_lib.props.discovery import ServiceConnectConfig, ServiceDiscoveryConfig

    with validated_provider_stack(tmp_path, "discovery") as stack:
        if kind == "service_connect":
            connect_ = ServiceConnect(stack, "connect", config=ServiceConnectConfig(namespace="acme-dev"), default_name="api",
                                      app_port=8080)
            EcsService(stack, "service", name="api", service_connect_configuration=connect_.service_connect_configuration)
        else:
            registry = ServiceDiscovery(stack, "discovery", config=ServiceDiscoveryConfig(namespace_id="ns-abc123"),
                                        default_name="api")
            EcsService(stack, "service", name="api",
                       service_registries=EcsServiceServiceRegistries(registry_arn=registry.registry_arn))
