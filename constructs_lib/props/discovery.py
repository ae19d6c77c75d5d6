"""How other workloads find a service: Service Connect (a Cloud Map HTTP namespace and a proxy in each task, its
timeouts, logs and TLS in service_connect.py) or plain Cloud Map DNS records in an existing private namespace."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from .base import Port, Problems, StrictModel
from .log_drivers import LogDriverConfig
from .service_connect import ProxyTimeout, ServiceConnectTlsConfig, timeout_rules


class ServiceConnectConfig(StrictModel):
    namespace: Annotated[str, Field(min_length=1, max_length=1024)] = Field(
        description="Cloud Map HTTP namespace name (created when absent) or ARN (referenced)."
    )
    port_name: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")] = Field(
        default="app", description="Name given to the app port mapping. default: app"
    )
    discovery_name: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")] | None = Field(
        default=None, description="Cloud Map service name. default: service_name"
    )
    dns_name: Annotated[str, Field(min_length=1)] | None = Field(
        default=None, description="Client alias DNS name. default: discovery name"
    )
    port: Port | None = Field(default=None, description="Client alias port. default: application_port")
    # Proxy timeouts, logs and TLS (issue 14).
    idle_timeout_seconds: ProxyTimeout | None = Field(
        default=None,
        description="Seconds an idle connection stays open; 0 turns it off. default: ECS's 5 minutes for HTTP",
    )
    per_request_timeout_seconds: ProxyTimeout | None = Field(
        default=None, description="Seconds the proxy waits for a complete response; 0 turns it off. default: ECS's own"
    )
    log_configuration: LogDriverConfig | None = Field(
        default=None,
        description="The Service Connect proxy's logs (awslogs: the service's log group, stream prefix "
        "service-connect). default: none",
    )
    tls: ServiceConnectTlsConfig | None = Field(
        default=None, description="TLS between the proxies. default: plain text"
    )

    @classmethod
    def cross_field_rules(cls, data: dict[str, Any]) -> Problems:
        return timeout_rules(data)


class ServiceDiscoveryConfig(StrictModel):
    namespace_id: Annotated[str, Field(pattern=r"^ns-[a-z0-9]+$")] = Field(
        description="Existing private DNS namespace id."
    )
    name: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")] | None = Field(
        default=None, description="default: service_name"
    )
    record_type: Literal["A", "SRV"] = Field(default="A", description="default: A")
    ttl_seconds: Annotated[int, Field(ge=0, le=2147483647)] = Field(default=10, description="default: 10")
