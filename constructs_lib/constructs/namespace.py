"""A Cloud Map HTTP namespace that services of an environment join with ECS Service Connect."""

from __future__ import annotations

from constructs import Construct

from .._jsii.addressing import Part
from .._jsii.aws import ServiceDiscoveryHttpNamespace


class HttpNamespace(Part):
    def __init__(self, scope: Construct, id: str, *, name: str):
        super().__init__(scope, id)
        self.name = name
        # The description the service stacks gave the namespaces they created: an imported one stays as it is.
        self.namespace = ServiceDiscoveryHttpNamespace(
            self, "Default", name=name, description="ECS Service Connect namespace"
        )
        self.arn: str = self.ref(self.namespace).arn
