"""The service's DNS name: an alias A record `{alb_domain_prefix}.{domain_name}` to its load balancer."""

from __future__ import annotations

from constructs import Construct

from .._jsii.addressing import Part
from .._jsii.aws import Route53Record, Route53RecordAlias


class AliasRecord(Part):
    def __init__(self, scope: Construct, id: str, *, zone_id: str, fqdn: str, dns_name: str, zone_id_of_target: str):
        super().__init__(scope, id)
        self.fqdn = fqdn
        self.record = Route53Record(
            self,
            "Default",
            zone_id=zone_id,
            name=fqdn,
            type="A",
            alias=Route53RecordAlias(name=dns_name, zone_id=zone_id_of_target, evaluate_target_health=True),
        )
