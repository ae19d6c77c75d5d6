"""The test-only override layer: points a synthesized stack at moto without touching the product's JSON.

Terraform merges `*_override.tf.json` files over the configuration of the same folder (the provider block
argument by argument; a `backend` block in an override replaces the original one whole, so the synthesized
backend settings are copied in first). The product's `cdk.tf.json` is never edited: everything moto needs is
in `e2e_override.tf.json` beside it, and the README of this folder lists each setting and why.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

OVERRIDE_FILE = "e2e_override.tf.json"
FAKE_CREDENTIALS = {"access_key": "testing", "secret_key": "testing"}
# Every AWS API the stacks (and the state backend) may call, all served by the one moto_server. A service
# missing here would be called on the real AWS endpoint, which fails loudly (no network, fake credentials).
PROVIDER_SERVICES = (
    "acm", "appautoscaling", "autoscaling", "cloudfront", "cloudwatch", "codedeploy", "ec2", "ecr", "ecs", "efs",
    "elb", "elbv2", "events", "iam", "kms", "lambda", "logs", "route53", "s3", "secretsmanager",
    "scheduler", "servicediscovery", "sns", "sqs", "ssm", "sts", "wafv2",
)


def provider_override(endpoint: str, ca_file: str) -> dict[str, Any]:
    return {
        **FAKE_CREDENTIALS,
        "custom_ca_bundle": ca_file,  # moto_server's self-signed certificate (the e2e talks TLS to moto)
        "skip_credentials_validation": True,  # moto accepts any key; there is no real STS to ask
        "skip_metadata_api_check": True,  # no EC2 instance metadata on this machine
        "s3_use_path_style": True,  # http://127.0.0.1:PORT/<bucket>, not <bucket>.127.0.0.1
        "endpoints": [{service: endpoint for service in PROVIDER_SERVICES}],
        # The account id is still asked from moto's STS (no skip_requesting_account_id): the product's
        # allowed_account_ids check and security group rule references need it.
    }


def backend_override(backend: dict[str, Any], endpoint: str, ca_file: str) -> dict[str, Any]:
    """The synthesized S3 backend, unchanged, plus moto's endpoint. An override's backend block replaces
    the original whole, so the product's own settings (bucket, key, region, encrypt, use_lockfile, kms) are
    copied, never re-typed."""
    return {
        **copy.deepcopy(backend),
        **FAKE_CREDENTIALS,
        "custom_ca_bundle": ca_file,
        "endpoints": {"s3": endpoint, "sts": endpoint},
        "use_path_style": True,
        "skip_credentials_validation": True,
        "skip_metadata_api_check": True,
        "skip_requesting_account_id": True,
    }


def override_document(document: dict[str, Any], endpoint: str, ca_file: str) -> dict[str, Any]:
    """The override for one synthesized stack (`document` is its parsed cdk.tf.json)."""
    providers = document.get("provider", {}).get("aws", [])
    override: dict[str, Any] = {
        # One entry per provider configuration, matched by alias as Terraform merges them.
        "provider": {"aws": [
            {**({"alias": p["alias"]} if "alias" in p else {}), **provider_override(endpoint, ca_file)} for p in providers
        ]},
    }
    backend = document.get("terraform", {}).get("backend", {})
    if "s3" in backend:
        override["terraform"] = {"backend": {"s3": backend_override(backend["s3"], endpoint, ca_file)}}
    return override


def write_override(stack_dir: Path, endpoint: str, ca_file: str) -> Path:
    document = json.loads((stack_dir / "cdk.tf.json").read_text())
    path = stack_dir / OVERRIDE_FILE
    path.write_text(json.dumps(override_document(document, endpoint, ca_file), indent=2) + "\n")
    return path
