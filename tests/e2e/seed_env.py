"""The account an env file expects, created in moto with the env file's own ids (for `make try`).

`seed.py` makes up an account and writes an env file from its ids; this goes the other way: the env file is
taken as written (envs/dev.json) and moto is given its VPC, subnets, hosted zones, certificates, web ACLs and
secrets under exactly those ids (the `_custom_id_` shim of moto_patched.py), plus what `prerequisites` names:
the ALB security groups, SSM parameters, EFS file systems and access points, env-file buckets and their
objects, and the buckets receiving access logs. moto must play the env file's account (emulator.start(account_id=...)).
"""

from __future__ import annotations

import json
import re

from constructs_lib.config import EnvConfig, ServiceConfig
from constructs_lib.config.service_names import ServiceNames

from .moto_patched import CUSTOM_ID_TAG
from .seed import client, self_signed_certificate

# Secrets Manager ARNs end in the secret's name, a hyphen and 6 random characters.
SECRET_ARN = re.compile(r"^arn:[^:]+:secretsmanager:[^:]+:\d{12}:secret:(?P<name>.+)-(?P<suffix>[A-Za-z0-9]{6})$")
WEB_ACL_ARN = re.compile(r"^arn:[^:]+:wafv2:[^:]+:\d{12}:regional/webacl/(?P<name>[^/]+)/(?P<id>[^/]+)$")


def _custom_id(value: str) -> list[dict[str, str]]:
    return [{"Key": CUSTOM_ID_TAG, "Value": value}]


class EnvSeeder:
    """Creates each thing once, however many services name it."""

    def __init__(self, env: EnvConfig, endpoint: str, ca_file: str):
        self.env = env
        self.aws = lambda service: client(service, endpoint, ca_file)
        self.done: set[tuple[str, str]] = set()

    def first_time(self, kind: str, name: str) -> bool:
        fresh = (kind, name) not in self.done
        self.done.add((kind, name))
        return fresh

    def seed(self) -> None:
        self.network()
        if self.env.state.access_log_bucket:
            # The state bucket and the environment stack's ALB access-log bucket both log there, each under its name.
            self.server_access_logs(self.env.state.access_log_bucket, "")
        for service in self.env.services:
            self.service(service)

    def network(self) -> None:
        ec2, network = self.aws("ec2"), self.env.network
        ec2.create_vpc(CidrBlock="10.0.0.0/16", TagSpecifications=[
            {"ResourceType": "vpc", "Tags": _custom_id(network.vpc_id)}])
        subnets = [*network.private_subnet_ids, *network.public_subnet_ids]
        for index, subnet in enumerate(dict.fromkeys(subnets)):
            ec2.create_subnet(VpcId=network.vpc_id, CidrBlock=f"10.0.{index}.0/24",
                              AvailabilityZone=f"{self.env.region}{'abc'[index % 3]}",
                              TagSpecifications=[{"ResourceType": "subnet", "Tags": _custom_id(subnet)}])

    def service(self, service: ServiceConfig) -> None:
        naming = self.env.naming
        if not self.env.network.create_security_groups:
            for role in ("cloudfront", "private"):
                name = naming.alb_security_group(service.alb_name, role)
                if self.first_time("security group", name):
                    self.aws("ec2").create_security_group(GroupName=name, Description=f"pre-created {name}",
                                                          VpcId=self.env.network.vpc_id)
        zone = service.route53
        if self.first_time("zone", zone.hosted_zone_id):
            self.aws("route53").create_hosted_zone(Name=zone.domain_name,
                                                   CallerReference=f"{CUSTOM_ID_TAG}:{zone.hosted_zone_id}")
        certificate = ServiceNames(self.env, service).certificate_arn
        if certificate and self.first_time("certificate", certificate):
            pem, key = self_signed_certificate(f"*.{zone.domain_name}")
            self.aws("acm").import_certificate(Certificate=pem, PrivateKey=key,
                                               Tags=_custom_id(certificate.rsplit("/", 1)[1]))
        if service.waf_web_acl_arn and self.first_time("web acl", service.waf_web_acl_arn):
            self.web_acl(service.waf_web_acl_arn)
        if service.alb_access_logs:  # moto does not check that ALB log delivery may write there
            self.bucket(service.alb_access_logs.bucket)
        self.secrets(service)
        self.efs(service)
        self.env_files(service)

    def web_acl(self, arn: str) -> None:
        parts = WEB_ACL_ARN.match(arn)
        assert parts, f"not a regional web ACL ARN: {arn}"
        self.aws("wafv2").create_web_acl(
            Name=parts["name"], Scope="REGIONAL", DefaultAction={"Allow": {}}, Tags=_custom_id(parts["id"]),
            VisibilityConfig={"SampledRequestsEnabled": False, "CloudWatchMetricsEnabled": False,
                              "MetricName": parts["name"]},
        )

    def secrets(self, service: ServiceConfig) -> None:
        for secret in service.parameters.secrets.values():
            if secret.value_from == "SECRET" and secret.arn and self.first_time("secret", secret.arn):
                parts = SECRET_ARN.match(secret.arn)
                assert parts, f"not a Secrets Manager ARN: {secret.arn}"
                value = json.dumps({secret.suffix: "not-a-real-secret"}) if secret.suffix else "not-a-real-secret"
                self.aws("secretsmanager").create_secret(Name=parts["name"], SecretString=value,
                                                         Tags=_custom_id(parts["suffix"]))
            elif secret.value_from == "PARAM":
                self.parameter(self.env.naming.secret_parameter(secret.name), "not-a-real-secret", "SecureString")

    def efs(self, service: ServiceConfig) -> None:
        naming, efs = self.env.naming, self.aws("efs")
        for volume in service.efs_config.volumes if service.efs_config else []:
            fs_parameter = naming.efs_file_system_parameter(volume.efs_parameter_key_suffix)
            if self.first_time("file system", fs_parameter):
                file_system = efs.create_file_system(CreationToken=fs_parameter, Encrypted=True)["FileSystemId"]
                self.parameter(fs_parameter, file_system)
            if volume.ap_parameter_key_suffix:
                ap_parameter = naming.efs_access_point_parameter(volume.ap_parameter_key_suffix)
                file_system = self.aws("ssm").get_parameter(Name=fs_parameter)["Parameter"]["Value"]
                access_point = efs.create_access_point(FileSystemId=file_system)["AccessPointId"]
                self.parameter(ap_parameter, access_point)

    def env_files(self, service: ServiceConfig) -> None:
        naming = self.env.naming
        for env_file in service.environment_files or []:
            bucket = f"{naming.prefix}-{env_file.bucket_base_name}"
            self.parameter(naming.env_file_bucket_parameter(env_file.bucket_base_name), bucket)
            self.bucket(bucket)
            self.aws("s3").put_object(Bucket=bucket, Key=env_file.file_path, Body=b"FEATURE_FLAG=on\n")

    def parameter(self, name: str, value: str, kind: str = "String") -> None:
        if self.first_time("parameter", name):
            self.aws("ssm").put_parameter(Name=name, Value=value, Type=kind)

    def bucket(self, name: str) -> None:
        if self.first_time("bucket", name):
            self.aws("s3").create_bucket(Bucket=name,
                                         CreateBucketConfiguration={"LocationConstraint": self.env.region})

    def server_access_logs(self, bucket: str, prefix: str) -> None:
        """The bucket receiving S3 server access logs, its policy letting S3 logging write under `prefix` (AWS and
        moto refuse a bucket's logging configuration otherwise)."""
        self.bucket(bucket)
        statement = {"Effect": "Allow", "Principal": {"Service": "logging.s3.amazonaws.com"},
                     "Action": ["s3:PutObject"], "Resource": f"arn:aws:s3:::{bucket}/{prefix}*"}
        self.aws("s3").put_bucket_policy(Bucket=bucket, Policy=json.dumps({"Version": "2012-10-17",
                                                                          "Statement": [statement]}))

def seed_env_file(env: EnvConfig, endpoint: str, ca_file: str) -> None:
    EnvSeeder(env, endpoint, ca_file).seed()
