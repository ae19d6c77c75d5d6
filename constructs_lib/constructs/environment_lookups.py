"""Finding the environment stack's resources from a service stack by their deterministic names (data sources):
the service's plan reads AWS, never the environment stack's state file."""

from __future__ import annotations

from constructs import Construct

from .._jsii.addressing import Part
from .._jsii.aws import (
    DataAwsKmsAlias,
    DataAwsServiceDiscoveryHttpNamespace,
    DataAwsWafv2WebAcl,
)


class KmsKeyByAlias(Part):
    def __init__(self, scope: Construct, id: str, *, alias: str):
        super().__init__(scope, id)
        self.alias = DataAwsKmsAlias(self, "Default", name=alias)
        self.arn: str = self.ref(self.alias).target_key_arn


class WebAclByName(Part):
    def __init__(self, scope: Construct, id: str, *, name: str):
        super().__init__(scope, id)
        self.web_acl = DataAwsWafv2WebAcl(self, "Default", name=name, scope="REGIONAL")
        self.arn: str = self.ref(self.web_acl).arn


class NamespaceByName(Part):
    def __init__(self, scope: Construct, id: str, *, name: str):
        super().__init__(scope, id)
        self.namespace = DataAwsServiceDiscoveryHttpNamespace(self, "Default", name=name)
        self.arn: str = self.ref(self.namespace).arn
