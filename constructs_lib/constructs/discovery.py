"""Finding the service from other services: ECS Service Connect (a Cloud Map HTTP namespace and an Envoy proxy
ECS runs beside the task) or plain Cloud Map DNS records (A or SRV) in an existing private DNS namespace."""

from __future__ import annotations

from constructs import Construct

from .._jsii.addressing import Part
from .._jsii.aws import (
    EcsServiceServiceConnectConfiguration,
    EcsServiceServiceConnectConfigurationService,
    EcsServiceServiceConnectConfigurationServiceClientAlias,
    ServiceDiscoveryHttpNamespace,
    ServiceDiscoveryService,
    ServiceDiscoveryServiceDnsConfig,
    ServiceDiscoveryServiceDnsConfigDnsRecords,
    ServiceDiscoveryServiceHealthCheckCustomConfig,
)
from ..props.capabilities import ServiceConnectConfig, ServiceDiscoveryConfig


class ServiceConnect(Part):
    """The namespace (created when `config.namespace` is a name, referenced when it is an ARN or `namespace_arn`
    gives the named one's) and the `service_connect_configuration` for the service; the app's port mapping must
    be named `port_name`."""

    def __init__(
        self, scope: Construct, id: str, *, config: ServiceConnectConfig, default_name: str, app_port: int,
        namespace_arn: str | None = None,
    ):
        super().__init__(scope, id)
        self.namespace: ServiceDiscoveryHttpNamespace | None = None
        if namespace_arn is not None or config.namespace.startswith("arn:"):
            self.namespace_arn: str = namespace_arn or config.namespace
        else:
            self.namespace = ServiceDiscoveryHttpNamespace(
                self, "namespace", name=config.namespace, description="ECS Service Connect namespace"
            )
            self.namespace_arn = self.namespace.arn
        self.port_name = config.port_name
        self.discovery_name = config.discovery_name or default_name
        self.dns_name = config.dns_name or self.discovery_name
        self.port = config.port or app_port
        self.service_connect_configuration = EcsServiceServiceConnectConfiguration(
            enabled=True,
            namespace=self.namespace_arn,
            service=[
                EcsServiceServiceConnectConfigurationService(
                    port_name=self.port_name,
                    discovery_name=self.discovery_name,
                    client_alias=EcsServiceServiceConnectConfigurationServiceClientAlias(
                        port=self.port, dns_name=self.dns_name
                    ),
                )
            ],
        )


class ServiceDiscovery(Part):
    """A Cloud Map service whose records ECS keeps to the healthy tasks (`service_registries.registry_arn`).

    With SRV records the service's registry entry also needs the container name and port."""

    def __init__(self, scope: Construct, id: str, *, config: ServiceDiscoveryConfig, default_name: str):
        super().__init__(scope, id)
        self.record_type = config.record_type
        self.service = ServiceDiscoveryService(
            self,
            "Default",
            name=config.name or default_name,
            dns_config=ServiceDiscoveryServiceDnsConfig(
                namespace_id=config.namespace_id,
                dns_records=[ServiceDiscoveryServiceDnsConfigDnsRecords(type=config.record_type, ttl=config.ttl_seconds)],
                routing_policy="MULTIVALUE",
            ),
            # ECS reports task health to Cloud Map. AWS ignores the threshold now (always 1) and provider 6.x
            # warns that it is deprecated, but an empty block is never stored and forces a replacement on every
            # plan (terraform-provider-aws #44285): keep the explicit 1.
            health_check_custom_config=ServiceDiscoveryServiceHealthCheckCustomConfig(failure_threshold=1),
        )
        self.registry_arn: str = self.service.arn
