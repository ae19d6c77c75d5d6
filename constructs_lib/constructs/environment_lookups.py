"""Finding the environment stack's resources from a service stack by their deterministic names (data sources):
the service's plan reads AWS, never the environment stack's state file."""

from __future__ import annotations

from constructs import Construct

from .._jsii.addressing import Part
from .._jsii.aws import (
    DataAwsKmsAlias,
    DataAwsLb,
    DataAwsLbListener,
    DataAwsSecurityGroup,
    DataAwsServiceDiscoveryHttpNamespace,
    DataAwsWafv2WebAcl,
)
from .load_balancer import SharedAlbAttributes
from .security_groups import HTTPS_PORT


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


class LoadBalancerByName(Part):
    """An ALB of the environment stack (`environment_resources.load_balancers`) as a service attaching to it needs
    it: the ALB by its name, its HTTPS listener by the ALB and port 443, and the security group its services admit
    by the `Name` tag the environment stack gives it, in the service's VPC."""

    def __init__(self, scope: Construct, id: str, *, name: str, security_group_name: str, vpc_id: str):
        super().__init__(scope, id)
        self.load_balancer = DataAwsLb(self, "Default", name=name)
        self.listener = DataAwsLbListener(
            self, "https", load_balancer_arn=self.ref(self.load_balancer).arn, port=HTTPS_PORT
        )
        self.security_group = DataAwsSecurityGroup(
            self, "security-group", vpc_id=vpc_id, tags={"Name": security_group_name}
        )
        # Read the usual way (cdktf tokens, not `ref`): they reach the service's connections, which other stacks read.
        alb = self.load_balancer
        self.listener_arn: str = self.listener.arn
        self.security_group_id: str = self.security_group.id
        self.attributes = SharedAlbAttributes(dns_name=alb.dns_name, zone_id=alb.zone_id, arn_suffix=alb.arn_suffix)
