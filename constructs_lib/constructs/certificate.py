"""An ACM certificate for the service's domain, validated through a DNS record in its hosted zone (Massdriver's
`create_certificate` behaviour). `certificate_arn` is read from the validation resource, so an HTTPS listener
using it waits until the certificate is issued."""

from __future__ import annotations

from constructs import Construct

from .._jsii.addressing import Part
from .._jsii.aws import AcmCertificate, AcmCertificateValidation, Route53Record
from .._jsii.engine import TerraformResourceLifecycle

VALIDATION_RECORD_TTL_SECONDS = 60


class DnsValidatedCertificate(Part):
    def __init__(self, scope: Construct, id: str, *, domain_name: str, zone_id: str):
        super().__init__(scope, id)
        self.certificate = AcmCertificate(
            self,
            "Default",
            domain_name=domain_name,
            validation_method="DNS",
            options={"certificate_transparency_logging_preference": "ENABLED"},
            # A new certificate (another domain) is issued before the listener lets go of the old one.
            lifecycle=TerraformResourceLifecycle(create_before_destroy=True),
        )
        # One domain, one validation option: read by index, one record at a fixed address (no for_each).
        option = self.certificate.domain_validation_options.get(0)
        self.validation_record = Route53Record(
            self,
            "validation-record",
            zone_id=zone_id,
            name=option.resource_record_name,
            type=option.resource_record_type,
            records=[option.resource_record_value],
            ttl=VALIDATION_RECORD_TTL_SECONDS,
            # The record may already exist: ACM gives a domain the same validation record in every certificate.
            allow_overwrite=True,
        )
        self.validation = AcmCertificateValidation(
            self,
            "validation",
            certificate_arn=self.ref(self.certificate).arn,
            validation_record_fqdns=[self.validation_record.fqdn],
        )
        self.certificate_arn: str = self.validation.certificate_arn
