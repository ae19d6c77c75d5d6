"""Finding the service from other services: ECS Service Connect (a Cloud Map HTTP namespace and an Envoy proxy
ECS runs beside the task) or plain Cloud Map DNS records (A or SRV) in an existing private DNS namespace."""

from __future__ import annotations

from dataclasses import dataclass

from constructs import Construct

from .._jsii.addressing import Part
from .._jsii.aws import (
    EcsServiceServiceConnectConfiguration,
    EcsServiceServiceConnectConfigurationLogConfiguration,
    EcsServiceServiceConnectConfigurationLogConfigurationSecretOption,
    EcsServiceServiceConnectConfigurationService,
    EcsServiceServiceConnectConfigurationServiceClientAlias,
    EcsServiceServiceConnectConfigurationServiceTimeout,
    EcsServiceServiceConnectConfigurationServiceTls,
    EcsServiceServiceConnectConfigurationServiceTlsIssuerCertAuthority,
    ServiceDiscoveryHttpNamespace,
    ServiceDiscoveryService,
    ServiceDiscoveryServiceDnsConfig,
    ServiceDiscoveryServiceDnsConfigDnsRecords,
    ServiceDiscoveryServiceHealthCheckCustomConfig,
)
from ..props.discovery import ServiceConnectConfig, ServiceDiscoveryConfig
from ..props.log_drivers import LogDriverConfig
from .infrastructure_role import SERVICE_CONNECT_TLS_POLICY, EcsInfrastructureRole

SERVICE_CONNECT_STREAM_PREFIX = "service-connect"


@dataclass(frozen=True)
class ProxyLogDestination:
    """Where an awslogs proxy log goes: the service's log group, in its region."""

    log_group_name: str
    region: str


class ServiceConnect(Part):
    """The namespace (created when `config.namespace` is a name, referenced when it is an ARN or `namespace_arn`
    gives the named one's) and the `service_connect_configuration` for the service; the app's port mapping must
    be named `port_name`.

    With `config.tls` and no role given, ECS's infrastructure role for TLS is created as `role_name` (trusted by
    `account_id`); an awslogs `log_configuration` writes to `logs`."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        config: ServiceConnectConfig,
        default_name: str,
        app_port: int,
        logs: ProxyLogDestination | None = None,
        role_name: str | None = None,
        account_id: str | None = None,
        namespace_arn: str | None = None,
    ):
        super().__init__(scope, id)
        self.tls_role: EcsInfrastructureRole | None = None
        if config.tls and config.tls.role_arn is None:
            if role_name is None or account_id is None:
                raise ValueError(
                    f"{self.node.path}: tls without role_arn needs role_name and account_id for the role it creates"
                )
            self.tls_role = EcsInfrastructureRole(
                self,
                "tls-role",
                name=role_name,
                account_id=account_id,
                managed_policy=SERVICE_CONNECT_TLS_POLICY,
                description=f"ECS issues Service Connect TLS certificates for {default_name}",
            )
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
                    timeout=_timeout(config),
                    tls=self._tls(config),
                )
            ],
            log_configuration=_log_configuration(config.log_configuration, logs, self.node.path),
        )

    def _tls(self, config: ServiceConnectConfig) -> EcsServiceServiceConnectConfigurationServiceTls | None:
        if config.tls is None:
            return None
        return EcsServiceServiceConnectConfigurationServiceTls(
            issuer_cert_authority=EcsServiceServiceConnectConfigurationServiceTlsIssuerCertAuthority(
                aws_pca_authority_arn=config.tls.private_ca_arn
            ),
            kms_key=config.tls.kms_key_arn,
            role_arn=config.tls.role_arn or (self.ref(self.tls_role.role).arn if self.tls_role else None),
        )


def _timeout(config: ServiceConnectConfig) -> EcsServiceServiceConnectConfigurationServiceTimeout | None:
    if config.idle_timeout_seconds is None and config.per_request_timeout_seconds is None:
        return None
    return EcsServiceServiceConnectConfigurationServiceTimeout(
        idle_timeout_seconds=config.idle_timeout_seconds, per_request_timeout_seconds=config.per_request_timeout_seconds
    )


def _log_configuration(
    driver: LogDriverConfig | None, logs: ProxyLogDestination | None, path: str
) -> EcsServiceServiceConnectConfigurationLogConfiguration | None:
    """awslogs goes to the service's log group under its own stream prefix, as the app container's logs do."""
    if driver is None:
        return None
    options = dict(driver.options)
    if driver.name == "awslogs":
        if logs is None:
            raise ValueError(f"{path}: an awslogs log_configuration needs logs (the log group to write to)")
        options.update(
            {
                "awslogs-group": logs.log_group_name,
                "awslogs-region": logs.region,
                "awslogs-stream-prefix": SERVICE_CONNECT_STREAM_PREFIX,
            }
        )
    return EcsServiceServiceConnectConfigurationLogConfiguration(
        log_driver=driver.name,
        options=options or None,
        secret_option=[
            EcsServiceServiceConnectConfigurationLogConfigurationSecretOption(name=name, value_from=arn)
            for name, arn in driver.secret_options.items()
        ]
        or None,
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
                dns_records=[
                    ServiceDiscoveryServiceDnsConfigDnsRecords(type=config.record_type, ttl=config.ttl_seconds)
                ],
                routing_policy="MULTIVALUE",
            ),
            # ECS reports task health to Cloud Map. AWS ignores the threshold now (always 1) and provider 6.x
            # warns that it is deprecated, but an empty block is never stored and forces a replacement on every
            # plan (terraform-provider-aws #44285): keep the explicit 1.
            health_check_custom_config=ServiceDiscoveryServiceHealthCheckCustomConfig(failure_threshold=1),
        )
        self.registry_arn: str = self.service.arn
