"""The service object of an env file: the ECSBuilder's EcsConfig and its sub-models, key for key.

Names, types, defaults and mandatory-ness follow the spec's "Configuration Parameters" table; the spec's own
JSON examples load unchanged. Field-level limits live on the fields; rules that involve several fields are
checked by `cross_field_rules` (see base.py) so that every problem is reported in the same run.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from .base import Problems, StrictModel, bounded_int, pattern_str, problem, typed
from .limits import FARGATE_MEMORY_BY_CPU, LOG_RETENTION_DAYS, MAX_ENVIRONMENT_FILES
from .security import AlbAccessLogsConfig, CidrV4

Port = bounded_int(1, 65535, "a port number")
NonEmptyStr = Annotated[str, Field(min_length=1)]


class ContainerSecretConfig(StrictModel):
    """One secret injected into the container at start-up (the spec's ContainerSecretConfig)."""

    name: NonEmptyStr = Field(
        description="Secret or SSM parameter name. For PARAM it is resolved to "
        "/{organization}/{environment}/{name} unless it starts with '/'."
    )
    value_from: Literal["SECRET", "PARAM"] = Field(
        description="SECRET: AWS Secrets Manager (needs arn); PARAM: SSM Parameter Store."
    )
    arn: NonEmptyStr | None = Field(
        default=None, description="Secrets Manager secret ARN; required when value_from is SECRET. default: none"
    )
    suffix: NonEmptyStr | None = Field(
        default=None,
        description="JSON key inside the secret; injected as '<arn>:<suffix>::'. default: the whole secret",
    )

    @classmethod
    def cross_field_rules(cls, data: dict[str, Any]) -> Problems:
        problems = []
        value_from, arn, suffix = typed(data, "value_from", str), typed(data, "arn", str), typed(data, "suffix", str)
        if value_from == "SECRET" and data.get("arn") is None:
            problems.append(problem(("arn",), "missing: value_from SECRET needs the Secrets Manager secret ARN"))
        if arn is not None and not arn.startswith("arn:aws"):
            problems.append(problem(("arn",), f"{arn!r} is not an ARN; allowed: arn:aws:secretsmanager:<region>:<account>:secret:<name>", arn))
        if value_from == "PARAM" and suffix is not None:
            problems.append(problem(("suffix",), f"{suffix!r} applies to SECRET only; an SSM parameter has no JSON keys", suffix))
        return problems


class AppParametersConfig(StrictModel):
    """Plain environment variables and secrets of the app container (the spec's AppParametersConfig)."""

    environment: dict[str, str] = Field(
        default_factory=dict, description="Plain-text environment variables. default: none"
    )
    secrets: dict[str, ContainerSecretConfig] = Field(
        default_factory=dict, description="Variables filled from Secrets Manager or SSM at start-up. default: none"
    )


class EfsVolumeConfig(StrictModel):
    """One EFS volume whose ids are read from SSM parameters named by convention."""

    efs_parameter_key_suffix: NonEmptyStr = Field(
        description="SSM parameter /{organization}/{environment}/efs/{suffix}/id holds the file system id."
    )
    volume_name: NonEmptyStr = Field(description="Task volume name that mount points refer to.")
    ap_parameter_key_suffix: NonEmptyStr | None = Field(
        default=None,
        description="SSM parameter /{organization}/{environment}/efs/access-points/{suffix}/id holds the access "
        "point id; with it, IAM authorization is on. default: root access, no access point",
    )


class EfsMountPointConfig(StrictModel):
    volume_name: NonEmptyStr = Field(description="A volume declared in efs_config.volumes.")
    container_path: Annotated[str, Field(pattern=r"^/")] = Field(description="Absolute path in the container.")
    read_only: bool = Field(default=False, description="Mount read-only. default: false")


class EcsEfsConfig(StrictModel):
    """Persistent EFS storage for the task (the spec's EcsEfsConfig)."""

    container_user: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]+(:[A-Za-z0-9_.-]+)?$")] | None = Field(
        default=None, description="'uid:gid' the container runs as, aligned with the access point. default: image user"
    )
    volumes: list[EfsVolumeConfig] = Field(default_factory=list, description="EFS volumes. default: none")
    mount_points: list[EfsMountPointConfig] = Field(default_factory=list, description="Mounts. default: none")

    @classmethod
    def cross_field_rules(cls, data: dict[str, Any]) -> Problems:
        problems = []
        volumes = typed(data, "volumes", list, []) or []
        mounts = typed(data, "mount_points", list, []) or []
        declared = [typed(v, "volume_name", str) if isinstance(v, dict) else None for v in volumes]
        for index, name in enumerate(declared):
            if name is not None and declared.index(name) != index:
                problems.append(problem(("volumes", index, "volume_name"), f"{name!r} is declared twice; volume names must be unique", name))
        for index, mount in enumerate(mounts):
            name = typed(mount, "volume_name", str) if isinstance(mount, dict) else None
            if name is not None and None not in declared and name not in declared:
                allowed = ", ".join(repr(n) for n in declared if n) or "none declared"
                problems.append(problem(("mount_points", index, "volume_name"), f"{name!r} is not a declared volume; allowed: {allowed}", name))
        return problems


class EnvironmentFileConfig(StrictModel):
    """An S3-hosted .env file; the bucket name is read from SSM by convention."""

    bucket_base_name: NonEmptyStr = Field(
        description="SSM parameter /{organization}/{environment}/s3/{bucket_base_name}/name holds the bucket name."
    )
    file_path: pattern_str(r"^[^/].*\.env$", "does not end in .env", "an S3 object key ending in .env") = Field(
        description="Object key of the file in the bucket; must end in .env."
    )


class Route53Config(StrictModel):
    hosted_zone_id: Annotated[str, Field(pattern=r"^Z[A-Z0-9]{1,31}$")] = Field(
        description="Existing public hosted zone id."
    )
    domain_name: Annotated[str, Field(pattern=r"^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}$")] = Field(
        description="The zone's domain; the record is {alb_domain_prefix}.{domain_name}."
    )


class ServiceConfig(StrictModel):
    """One ECS Fargate service behind its own ALB: the spec's EcsConfig, plus route53, parameters, efs_config
    and environment_files."""

    cluster_name: NonEmptyStr = Field(description="ECS cluster name; created as {organization}-{environment}-{cluster_name}.")
    service_name: Annotated[str, Field(pattern=r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$", max_length=64)] = Field(
        description="ECS service name (lowercase, digits, hyphens); created as {organization}-{environment}-{service_name}."
    )
    use_iam_authentication: bool = Field(
        default=False, description="Grant rds-db:connect to the task role for IAM database auth. default: false"
    )
    alb_name: Annotated[str, Field(pattern=r"^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$")] = Field(
        description="ALB name; created as {organization}-{environment}-{alb_name}, shortened with a hash to 32."
    )
    alb_domain_prefix: Annotated[str, Field(pattern=r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$")] = Field(
        description="DNS label(s) in front of route53.domain_name, e.g. 'api' for api.example.com."
    )
    ecr_repo_source_env: NonEmptyStr = Field(
        default="devops", description="Environment (a key of accounts) whose ECR holds the image. default: devops"
    )
    ecr_repo_base_name: NonEmptyStr | None = Field(
        default=None,
        description="ECR repository {organization}-{ecr_repo_source_env}-{ecr_repo_base_name}; exactly one of this "
        "and container_repo. default: none",
    )
    container_repo: NonEmptyStr | None = Field(
        default=None, description="Image used verbatim (e.g. nginx:latest); exclusive with ecr_repo_base_name. default: none"
    )
    application_port: Port = Field(description="Port the app container listens on (1-65535).")
    admin_port: Port | None = Field(default=None, description="Admin interface port. default: none")
    admin_active: bool = Field(default=False, description="Map admin_port in the container. default: false")
    health_check_path: Annotated[str, Field(pattern=r"^/", max_length=1024)] = Field(
        default="/", description="Target group (and container) health check path. default: /"
    )
    health_check_cmd: NonEmptyStr | None = Field(
        default=None,
        description="Container health check command, run as '<cmd> http://localhost:<port><path> || exit 1'. "
        "default: no container health check (the ALB checks health_check_path)",
    )
    desired_count: Annotated[int, Field(ge=0, le=5000)] = Field(default=1, description="Running tasks. default: 1")
    cpu: int = Field(default=256, description="Task CPU units: 256, 512, 1024, 2048, 4096, 8192, 16384. default: 256")
    memory_limit_mib: int = Field(default=512, description="Task memory (MiB), a Fargate combination with cpu. default: 512")
    ssl_certificate_id: NonEmptyStr = Field(
        description="ACM certificate id or full ARN for the HTTPS listener (an id is expanded in the env's region)."
    )
    eu_west_cloudront_prefix_list_id: Annotated[str, Field(pattern=r"^pl-[0-9a-f]{8,17}$")] = Field(
        description="CloudFront managed prefix list allowed to reach the ALB on 443 (spelled as in the spec)."
    )
    environment_files: list[EnvironmentFileConfig] | None = Field(
        default=None, json_schema_extra={"maxItems": MAX_ENVIRONMENT_FILES}, description="S3 .env files (at most 10). default: none"
    )
    efs_config: EcsEfsConfig | None = Field(default=None, description="EFS volumes and mounts. default: none")
    route53: Route53Config = Field(description="Hosted zone and domain of the service's A record.")
    parameters: AppParametersConfig = Field(description="Environment variables and secrets of the app container.")

    # Beyond the ECSBuilder: optional, with the ECSBuilder's behaviour as the default.
    log_retention_days: int = Field(
        default=30, description="Log group retention in days (a CloudWatch value). default: 30, the ECSBuilder's one month"
    )
    alb_ingress_cidrs: list[CidrV4] = Field(
        default_factory=list,
        description="Networks allowed to reach the ALB on 443 and 80 besides CloudFront. default: none",
    )
    alb_access_logs: AlbAccessLogsConfig | None = Field(default=None, description="ALB access logs. default: off")
    alb_idle_timeout_seconds: Annotated[int, Field(ge=1, le=4000)] = Field(
        default=60, description="ALB idle timeout. default: 60"
    )
    waf_web_acl_arn: Annotated[str, Field(pattern=r"^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:\d{12}:regional/webacl/.+$")] | None = Field(
        default=None, description="Regional WAFv2 web ACL associated with the ALB. default: none"
    )
    deletion_protection: bool = Field(
        default=True,
        description="ALB deletion protection; turn off for environments you tear down. default: true",
    )
    readonly_root_filesystem: bool = Field(
        default=False,
        description="Mount the app container's root filesystem read-only; write to EFS mounts or scratch_paths. default: false",
    )
    scratch_paths: list[Annotated[str, Field(pattern=r"^/.+")]] = Field(
        default_factory=list,
        description="Writable task-local (ephemeral) paths, e.g. /tmp, for a read-only root filesystem. default: none",
    )

    @classmethod
    def cross_field_rules(cls, data: dict[str, Any]) -> Problems:
        problems = []
        if (data.get("ecr_repo_base_name") is None) == (data.get("container_repo") is None):
            given = "both are set" if data.get("ecr_repo_base_name") is not None else "neither is set"
            problems.append(problem(("ecr_repo_base_name",), f"{given}; set exactly one of ecr_repo_base_name and container_repo"))
        cpu = typed(data, "cpu", int, 256)
        memory = typed(data, "memory_limit_mib", int, 512)
        if cpu is not None and cpu not in FARGATE_MEMORY_BY_CPU:
            allowed = ", ".join(str(c) for c in FARGATE_MEMORY_BY_CPU)
            problems.append(problem(("cpu",), f"{cpu} is not a Fargate CPU value; allowed: {allowed}", cpu))
        elif cpu is not None and memory is not None and memory not in FARGATE_MEMORY_BY_CPU[cpu]:
            allowed = ", ".join(str(m) for m in FARGATE_MEMORY_BY_CPU[cpu])
            given = memory if "memory_limit_mib" in data else f"{memory} (the default)"
            problems.append(problem(("memory_limit_mib",), f"{given} is not valid with cpu {cpu}; allowed: {allowed}", memory))
        admin_port, application_port = typed(data, "admin_port", int), typed(data, "application_port", int)
        if typed(data, "admin_active", bool, False) and data.get("admin_port") is None:
            problems.append(problem(("admin_port",), "missing: required when admin_active is true"))
        env_files = typed(data, "environment_files", list)
        if env_files is not None and len(env_files) > MAX_ENVIRONMENT_FILES:
            problems.append(problem(("environment_files",), f"{len(env_files)} files given; allowed: at most {MAX_ENVIRONMENT_FILES} per container"))
        retention = typed(data, "log_retention_days", int)
        if retention is not None and retention not in LOG_RETENTION_DAYS:
            allowed = ", ".join(str(d) for d in LOG_RETENTION_DAYS)
            problems.append(problem(("log_retention_days",), f"{retention} is not a CloudWatch retention; allowed: {allowed}", retention))
        if admin_port is not None and admin_port == application_port:
            problems.append(problem(("admin_port",), f"{admin_port} equals application_port; the two ports must differ", admin_port))
        return problems

    @property
    def uses_ecr(self) -> bool:
        return self.ecr_repo_base_name is not None
