"""What a real account already has before our stacks apply, created in moto with boto3.

The names below are the conventions of the README ("Prerequisites"), written out literally on purpose: if a
convention changes, the e2e fails instead of silently following it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.config import Config

ORGANIZATION = "acme"
ENVIRONMENT = "e2e"
REGION = "eu-west-1"
ACCOUNT_ID = "123456789012"  # moto's default account
DEVOPS_ACCOUNT_ID = "999999999999"
DOMAIN = "e2e.acme.io"
STATE_BUCKET = "acme-e2e-terraform-state"
PREFIX_LIST_ID = "pl-4fa04526"

# Pre-created security groups, looked up by name: {organization}-{environment}-{alb_name}-{cloudfront|private}.
# The docs service has no ALB of its own (it is on the environment's, whose groups the environment stack creates).
SECURITY_GROUPS = ("acme-e2e-app-alb-cloudfront", "acme-e2e-app-alb-private")
# EFS: /{org}/{env}/efs/{suffix}/id and /{org}/{env}/efs/access-points/{suffix}/id.
EFS_FILE_SYSTEMS = {"shared": "/acme/e2e/efs/shared/id", "logs": "/acme/e2e/efs/logs/id"}
EFS_ACCESS_POINTS = {"app_data": ("shared", "/acme/e2e/efs/access-points/app_data/id")}
# Env-file buckets: /{org}/{env}/s3/{bucket_base_name}/name holds the bucket name.
ENV_FILE_BUCKETS = {
    "app-config": ("/acme/e2e/s3/app-config/name", "acme-e2e-app-config-bucket", "e2e/config.env"),
    "shared-config": ("/acme/e2e/s3/shared-config/name", "acme-e2e-shared-config-bucket", "common/database.env"),
}
# Literal user data (issue 11): template sequences, escapes, quotes, newlines and unicode, read back byte for byte.
ENVIRONMENT_VARIABLES = {
    "NODE_ENV": "production", "API_VERSION": "v1", "LOG_LEVEL": "info",
    "SPRING_DATASOURCE_URL": "jdbc:postgresql://${DB_HOST}:5432/app",
    "DIRECTIVE": "%{ if true }hi%{ endif }",
    "FILE": '${file("/etc/hostname")}',
    "ESCAPED": "$${x} %%{y} $$${z} trail$",
    "QUOTES": 'C:\\dir\\${x} say "hi" \\"',
    "LINES": "line 1\nEOF\n${x}\n",
    "UNICODE": "ü é ☃ 𝄞 ${ü}",
    "NAME_${x}": "v",
}
DOCKER_LABELS = {"com.example.${x}": "%{ if true }hi%{ endif }", "quotes": 'say "hi" \\ ${x}'}
HEALTH_CHECK_PATH = "/health?probe=${x}&d=%{y}"
HEALTH_CHECK_CMD = 'wget -q -O - --header "X-Probe: ${x}"'
# AWS (and moto) accept only letters, digits, spaces and _ . : / = + - @ in tags: no template sequence is valid.
TAGS = {"cost-center": "platform", "team": "Zürich Ops: a/b=c+d@e_f.g -h"}
# A PARAM secret: /{org}/{env}/{name}.
PARAM_SECRET = ("external-api-key", "/acme/e2e/external-api-key")
SECRET_NAME = "db-credentials"
# The environment-owned ALB (environment_resources.load_balancers) the docs service is on by name, and its rule.
SHARED_ALB = "edge"
SHARED_ALB_INGRESS_CIDR = "10.0.0.0/8"
DOCS_LISTENER_RULE = {"priority": 10, "host_headers": [f"docs.{DOMAIN}"], "path_patterns": ["/", "/docs/*"]}


def client(service: str, endpoint: str, ca_file: str | None = None) -> Any:
    return boto3.client(
        service, endpoint_url=endpoint, region_name=REGION, aws_access_key_id="testing",
        aws_secret_access_key="testing", config=Config(retries={"max_attempts": 2}),
        verify=ca_file if ca_file else True,
    )


@dataclass
class Seeded:
    """Ids of everything seeded: the env file is written from these."""

    endpoint: str
    ca_file: str
    vpc_id: str = ""
    private_subnet_ids: list[str] = field(default_factory=list)
    public_subnet_ids: list[str] = field(default_factory=list)
    security_groups: dict[str, str] = field(default_factory=dict)
    hosted_zone_id: str = ""
    certificate_arn: str = ""
    secret_arn: str = ""
    file_systems: dict[str, str] = field(default_factory=dict)
    access_points: dict[str, str] = field(default_factory=dict)
    parameters: dict[str, str] = field(default_factory=dict)  # every SSM parameter seeded: name -> value

    @property
    def certificate_id(self) -> str:
        return self.certificate_arn.rsplit("/", 1)[1]


def seed_account(endpoint: str, ca_file: str) -> Seeded:
    seeded = Seeded(endpoint, ca_file)
    _network(seeded)
    _dns_and_certificate(seeded)
    _secrets(seeded)
    _efs(seeded)
    _env_file_buckets(seeded)
    from .seed_workloads import seed_workloads  # it reads this module's names

    seed_workloads(endpoint, ca_file)
    ssm = client("ssm", endpoint, ca_file)
    for name, value in seeded.parameters.items():
        kind = "SecureString" if name == PARAM_SECRET[1] else "String"
        ssm.put_parameter(Name=name, Value=value, Type=kind)
    return seeded


def _network(seeded: Seeded) -> None:
    ec2 = client("ec2", seeded.endpoint, seeded.ca_file)
    seeded.vpc_id = ec2.create_vpc(CidrBlock="10.42.0.0/16")["Vpc"]["VpcId"]
    for index, (kind, zone) in enumerate([("private", "a"), ("private", "b"), ("public", "a"), ("public", "b")]):
        subnet = ec2.create_subnet(VpcId=seeded.vpc_id, CidrBlock=f"10.42.{index}.0/24",
                                   AvailabilityZone=f"{REGION}{zone}")["Subnet"]["SubnetId"]
        (seeded.private_subnet_ids if kind == "private" else seeded.public_subnet_ids).append(subnet)
    for name in SECURITY_GROUPS:
        seeded.security_groups[name] = ec2.create_security_group(
            GroupName=name, Description=f"pre-created {name}", VpcId=seeded.vpc_id
        )["GroupId"]


def _dns_and_certificate(seeded: Seeded) -> None:
    route53 = client("route53", seeded.endpoint, seeded.ca_file)
    zone = route53.create_hosted_zone(Name=DOMAIN, CallerReference="e2e")["HostedZone"]["Id"]
    seeded.hosted_zone_id = zone.rsplit("/", 1)[-1]
    certificate, key = self_signed_certificate(f"*.{DOMAIN}")
    seeded.certificate_arn = client("acm", seeded.endpoint, seeded.ca_file).import_certificate(
        Certificate=certificate, PrivateKey=key
    )["CertificateArn"]


def self_signed_certificate(common_name: str) -> tuple[bytes, bytes]:
    """A PEM certificate and key, valid for a week, for importing into ACM."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1)).not_valid_after(now + dt.timedelta(days=7))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(common_name)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                serialization.NoEncryption())
    return certificate.public_bytes(serialization.Encoding.PEM), key_pem


def server_certificate() -> tuple[bytes, bytes]:
    """A self-signed certificate and key for https://127.0.0.1 (moto_server's TLS), PEM."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "moto_server e2e")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1)).not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(
            [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return certificate.public_bytes(serialization.Encoding.PEM), key_pem


def _secrets(seeded: Seeded) -> None:
    seeded.secret_arn = client("secretsmanager", seeded.endpoint, seeded.ca_file).create_secret(
        Name=SECRET_NAME, SecretString=json.dumps({"connection_string": "postgres://app@db/app"})
    )["ARN"]
    seeded.parameters[PARAM_SECRET[1]] = "not-a-real-key"


def _efs(seeded: Seeded) -> None:
    efs = client("efs", seeded.endpoint, seeded.ca_file)
    for suffix, parameter in EFS_FILE_SYSTEMS.items():
        file_system = efs.create_file_system(CreationToken=f"e2e-{suffix}", Encrypted=True)["FileSystemId"]
        seeded.file_systems[suffix] = file_system
        seeded.parameters[parameter] = file_system
    for suffix, (file_system_suffix, parameter) in EFS_ACCESS_POINTS.items():
        access_point = efs.create_access_point(
            FileSystemId=seeded.file_systems[file_system_suffix], PosixUser={"Uid": 1000, "Gid": 1000},
            RootDirectory={"Path": f"/{suffix}", "CreationInfo": {"OwnerUid": 1000, "OwnerGid": 1000, "Permissions": "750"}},
        )["AccessPointId"]
        seeded.access_points[suffix] = access_point
        seeded.parameters[parameter] = access_point


def _env_file_buckets(seeded: Seeded) -> None:
    s3 = client("s3", seeded.endpoint, seeded.ca_file)
    for parameter, bucket, key in ENV_FILE_BUCKETS.values():
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
        s3.put_object(Bucket=bucket, Key=key, Body=b"FEATURE_FLAG=on\n")
        seeded.parameters[parameter] = bucket


# Issue 14's keys the emulator applies (the minimal service): container process, task and service settings,
# deployment percents and breaker, a permissions boundary. tests/e2e/README.md lists what it cannot apply.
DOCS_ECS_OPTIONS: dict[str, Any] = {
    "command": ["nginx", "-g", "daemon off;"],
    "entry_point": ["/docker-entrypoint.sh"],
    "working_directory": "/usr/share/nginx/html",
    "user": "101:101",
    "restart_policy": {"ignored_exit_codes": [0], "restart_attempt_period_seconds": 120},
    "version_consistency": "disabled",
    "linux_capabilities": {"add": ["SYS_PTRACE"], "drop": ["ALL"]},
    "pid_mode": "task",
    "platform_version": "1.4.0",
    "availability_zone_rebalancing": "ENABLED",
    "propagate_tags": "TASK_DEFINITION",
    "enable_ecs_managed_tags": False,
    "deployment": {"minimum_healthy_percent": 0, "maximum_percent": 100, "circuit_breaker": {"rollback": False}},
    "permissions_boundary_arn": f"arn:aws:iam::{ACCOUNT_ID}:policy/e2e-boundary",
}


def env_file(seeded: Seeded, app_version: str) -> dict[str, Any]:
    """The env file of the e2e: one full-featured service and one minimal one on the environment's ALB, with the
    seeded ids, a worker and a scheduled task (seed_workloads.py)."""
    return {
        "organization": ORGANIZATION,
        "environment": ENVIRONMENT,
        "account_id": ACCOUNT_ID,
        "region": REGION,
        "accounts": {"devops": DEVOPS_ACCOUNT_ID, ENVIRONMENT: ACCOUNT_ID},
        "app_version": app_version,
        "network": {
            "vpc_id": seeded.vpc_id,
            "private_subnet_ids": seeded.private_subnet_ids,
            "public_subnet_ids": seeded.public_subnet_ids,
        },
        "state": {"bucket": STATE_BUCKET, "region": REGION},
        "tags": TAGS,
        "services": [
            {
                "cluster_name": "app-cluster",
                "service_name": "app-service",
                "deletion_protection": False,  # an environment the test tears down
                "use_iam_authentication": True,
                "alb_name": "app-alb",
                "alb_domain_prefix": "api",
                "ecr_repo_base_name": "app-backend",
                "application_port": 8000,
                "admin_port": 8001,
                "admin_active": True,
                "health_check_path": HEALTH_CHECK_PATH,
                "health_check_cmd": HEALTH_CHECK_CMD,
                "docker_labels": DOCKER_LABELS,
                "desired_count": 2,
                "cpu": 512,
                "memory_limit_mib": 1024,
                # an id, not an ARN: the product builds the ARN (the environment's ALB is given the ARN itself)
                "ssl_certificate_id": seeded.certificate_id,
                "eu_west_cloudront_prefix_list_id": PREFIX_LIST_ID,
                "environment_files": [
                    {"bucket_base_name": base, "file_path": key} for base, (_, _, key) in ENV_FILE_BUCKETS.items()
                ],
                "efs_config": {
                    "container_user": "1000:1000",
                    "volumes": [
                        {"efs_parameter_key_suffix": "shared", "volume_name": "shared-data",
                         "ap_parameter_key_suffix": "app_data"},
                        {"efs_parameter_key_suffix": "logs", "volume_name": "app-logs"},
                    ],
                    "mount_points": [
                        {"volume_name": "shared-data", "container_path": "/app/data", "read_only": False},
                        {"volume_name": "app-logs", "container_path": "/var/log/app", "read_only": True},
                    ],
                },
                "route53": {"hosted_zone_id": seeded.hosted_zone_id, "domain_name": DOMAIN},
                "parameters": {
                    "environment": ENVIRONMENT_VARIABLES,
                    "secrets": {
                        "DATABASE_URL": {"name": "db-connection-string", "value_from": "SECRET",
                                         "arn": seeded.secret_arn, "suffix": "connection_string"},
                        "API_KEY": {"name": PARAM_SECRET[0], "value_from": "PARAM"},
                    },
                },
            },
            {
                "cluster_name": "app-cluster",  # shared with the app: the environment stack's cluster
                "service_name": "docs",
                "alb_name": "docs-alb",
                "alb_domain_prefix": "docs",
                "container_repo": "nginx:1.27-alpine",
                "application_port": 80,
                "health_check_path": "/",
                "ssl_certificate_id": seeded.certificate_arn,
                "eu_west_cloudront_prefix_list_id": PREFIX_LIST_ID,
                "route53": {"hosted_zone_id": seeded.hosted_zone_id, "domain_name": DOMAIN},
                "parameters": {"environment": {}},
                # A CI pipeline owns this service's revisions: the e2e applies and re-plans that mode too.
                "deployment_ownership": "external_image",
                # On the environment's ALB, found by name: its listener rule, target group and group rules only.
                "shared_alb": {"load_balancer": SHARED_ALB},
                "listener_rules": [DOCS_LISTENER_RULE],
                **DOCS_ECS_OPTIONS,
                "extra_security_group_ids": [seeded.security_groups[next(iter(seeded.security_groups))]],
            },
        ],
        "environment_resources": {"load_balancers": [{
            "name": SHARED_ALB,
            "certificate_arn": seeded.certificate_arn,
            "cloudfront_prefix_list_id": PREFIX_LIST_ID,
            "ingress_cidrs": [SHARED_ALB_INGRESS_CIDR],
            "deletion_protection": False,  # an environment the test tears down
        }]},
        **_workloads(),
    }


def _workloads() -> dict[str, Any]:
    from .seed_workloads import workloads  # it reads this module's names

    return workloads()
