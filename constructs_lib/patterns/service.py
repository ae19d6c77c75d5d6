"""`EcsFargateService`: one service of an env file, as a `WebService` whose props the env file compiles to
(from_config.py). The name predates the typed API and stays for the stacks and apps that use it."""

from __future__ import annotations

from constructs import Construct

from .._jsii.embedded_json import renders_hcl
from .._jsii.literal import literal_data
from ..config import EnvConfig, ServiceConfig
from .from_config import literal_env, web_service_props
from .web_service import WebService


class EcsFargateService(WebService):
    """`env` and `service` are the validated models as the user wrote them; their strings are made literal before
    they become props (literal.py), with no exception for text that looks like a cdktf token."""

    def __init__(self, scope: Construct, id: str, *, env: EnvConfig, service: ServiceConfig):
        hcl = renders_hcl(scope)
        props = web_service_props(literal_env(env, hcl=hcl), literal_data(service, hcl=hcl))
        super().__init__(scope, id, props=props, _literal=True)
        self.env, self.config = env, service


def from_config(scope: Construct, id: str, env: EnvConfig, service: ServiceConfig) -> WebService:
    """The env-file front end of `WebService` (design.md's `WebService.from_config`)."""
    return EcsFargateService(scope, id, env=env, service=service)
