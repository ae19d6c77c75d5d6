"""DnsValidatedCertificate: an ACM certificate, its DNS validation record, and the validation it waits for."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import only, readable_stack
from tf import require_terraform, validated_provider_stack

OPTION = "tolist(aws_acm_certificate.certificate.domain_validation_options).0"




def build(scope, zone_id="Z2ABCDEFGHIJ123"):
    from constructs_lib.constructs.certificate import DnsValidatedCertificate

    return DnsValidatedCertificate(scope, "certificate", domain_name="api.company.io", zone_id=zone_id)


def synth():
    import cdktf

    stack = readable_stack(cdktf.Testing.app())
    certificate = build(stack)
    # What an HTTPS listener would receive.
    cdktf.TerraformOutput(stack, "listener_certificate_arn", value=certificate.certificate_arn)
    return certificate, json.loads(cdktf.Testing.synth(stack))


def test_certificate_is_dns_validated_and_replaced_before_destroyed():
    _, document = synth()
    assert only(document, "aws_acm_certificate") == {
        "domain_name": "api.company.io",
        "validation_method": "DNS",
        "options": {"certificate_transparency_logging_preference": "ENABLED"},
        "lifecycle": {"create_before_destroy": True},
    }


def test_validation_record_in_the_hosted_zone_from_the_first_validation_option():
    _, document = synth()
    assert only(document, "aws_route53_record") == {
        "zone_id": "Z2ABCDEFGHIJ123",
        "name": f"${{{OPTION}.resource_record_name}}",
        "type": f"${{{OPTION}.resource_record_type}}",
        "records": [f"${{{OPTION}.resource_record_value}}"],
        "ttl": 60,
        "allow_overwrite": True,
    }


def test_listeners_get_the_arn_of_the_validation_so_they_wait_for_issuance():
    certificate, document = synth()
    assert only(document, "aws_acm_certificate_validation") == {
        "certificate_arn": "${aws_acm_certificate.certificate.arn}",
        "validation_record_fqdns": ["${aws_route53_record.certificate_validation_record.fqdn}"],
    }
    assert document["output"]["listener_certificate_arn"]["value"] == (
        "${aws_acm_certificate_validation.certificate_validation.certificate_arn}"
    )
    from constructs_lib._jsii.aws import AcmCertificate, AcmCertificateValidation, Route53Record

    assert isinstance(certificate.certificate, AcmCertificate)
    assert isinstance(certificate.validation, AcmCertificateValidation)
    assert isinstance(certificate.validation_record, Route53Record)


def test_terraform_validate_accepts_the_resources(tmp_path: Path):
    require_terraform("terraform validate of DnsValidatedCertificate")

    from constructs_lib._jsii.aws import LbListener, LbListenerDefaultAction

    with validated_provider_stack(tmp_path, "certificate") as stack:
        certificate = build(stack)
        LbListener(
            stack, "https", load_balancer_arn="arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/a/1",
            port=443, protocol="HTTPS", certificate_arn=certificate.certificate_arn,
            default_action=[LbListenerDefaultAction(
                type="forward", target_group_arn="arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/t/2")],
        )
