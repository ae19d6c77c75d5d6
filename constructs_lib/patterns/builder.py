"""The ECSBuilder's fluent API, for teams porting AWS CDK code: a thin layer over `EcsFargateService`.

    ECSBuilder().set_application_helper(helper).set_route53_config({...}).set_app_parameters({...})
        .set_builder_config({...}).build(scope)  # -> the service's aws_lb

The config goes through the same validation as an env file; errors name the builder call's field.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from constructs import Construct

from ..config import validate_env_data
from .service import EcsFargateService

SOURCE = "ECSBuilder"


@dataclass
class ApplicationHelper:
    """The environment a builder deploys into (the env file's keys other than `services`).

    `service_defaults` fill service keys the builder config leaves out, e.g. the organization's
    `eu_west_cloudront_prefix_list_id`, as the ECSBuilder's application helper did.
    """

    organization: str
    environment: str
    account_id: str
    region: str
    accounts: dict[str, str]
    app_version: str
    network: dict[str, Any]
    tags: dict[str, str] = field(default_factory=dict)
    trusted_account_ids: list[str] = field(default_factory=list)
    service_defaults: dict[str, Any] = field(default_factory=dict)

    def env_data(self, service: dict[str, Any]) -> dict[str, Any]:
        return {
            "organization": self.organization,
            "environment": self.environment,
            "account_id": self.account_id,
            "region": self.region,
            "accounts": dict(self.accounts),
            "trusted_account_ids": list(self.trusted_account_ids),
            "app_version": self.app_version,
            "network": dict(self.network),
            # The builder composes into the caller's stack, whose backend is the caller's: this only satisfies
            # the env model and is never synthesized.
            "state": {"bucket": f"{self.organization}-{self.environment}-terraform-state", "region": self.region},
            "tags": dict(self.tags),
            "services": [service],
        }


class ECSBuilder:
    def __init__(self) -> None:
        self._helper: ApplicationHelper | None = None
        self._route53: dict[str, Any] | None = None
        self._parameters: dict[str, Any] | None = None
        self._config: dict[str, Any] | None = None
        self.service: EcsFargateService | None = None

    def set_application_helper(self, helper: ApplicationHelper) -> ECSBuilder:
        self._helper = helper
        return self

    def set_route53_config(self, route53: dict[str, Any]) -> ECSBuilder:
        self._route53 = copy.deepcopy(route53)
        return self

    def set_app_parameters(self, parameters: dict[str, Any]) -> ECSBuilder:
        self._parameters = copy.deepcopy(parameters)
        return self

    def set_builder_config(self, config: dict[str, Any]) -> ECSBuilder:
        self._config = copy.deepcopy(config)
        return self

    def set_usage(self, *_: Any, **__: Any) -> ECSBuilder:
        raise NotImplementedError(
            "ECSBuilder.set_usage is not supported: the ECS builder derives its usage from set_builder_config; "
            "remove the set_usage call"
        )

    def build(self, scope: Construct, id: str = "ecs") -> Any:
        """Validate everything set so far and add the service to `scope`; returns its load balancer."""
        if self._helper is None or self._config is None:
            missing = [
                name
                for name, value in (("set_application_helper", self._helper), ("set_builder_config", self._config))
                if value is None
            ]
            raise ValueError(f"{SOURCE}: call {' and '.join(missing)} before build()")
        service = {**self._helper.service_defaults, **self._config}
        if self._route53 is not None:
            service["route53"] = self._route53
        if self._parameters is not None:
            service["parameters"] = self._parameters
        env = validate_env_data(self._helper.env_data(service), SOURCE)
        self.service = EcsFargateService(scope, id, env=env, service=env.services[0])
        return self.service.load_balancer
