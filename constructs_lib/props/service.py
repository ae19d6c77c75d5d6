"""What a service is, shared by both front ends: an env file's service (`config.ServiceConfig`) and a
`WebService` built in Python (`patterns.WebServiceProps`). Each field, default and rule lives here once.

Field-level limits live on the fields; rules that involve several fields are checked by `cross_field_rules` (see
base.py) so that every problem is reported in the same run.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from .arns import KMS_KEY
from .aws_rules import runs_on_ec2, service_aws_rules
from .base import Bounded, Port, Problems, StrictModel, problem, typed
from .capabilities import (
    AlarmsConfig,
    AutoscalingConfig,
    CapacityProviderStrategyItem,
    ContainerHealthCheckConfig,
    DeploymentAlarmsConfig,
    FirelensConfig,
    LinuxParametersConfig,
    ListenerRuleConfig,
    LogDriverConfig,
    ServiceConnectConfig,
    ServiceDiscoveryConfig,
    SharedAlbConfig,
    SidecarConfig,
    StickinessConfig,
    TargetHealthCheckConfig,
    UlimitConfig,
)
from .containers import (
    Command,
    ContainerUser,
    EntryPoint,
    IpcMode,
    LinuxCapabilities,
    PidMode,
    RestartPolicy,
    VersionConsistency,
    WorkingDirectory,
    container_rules,
)
from .deployment import Deployment, deployment_rules
from .ebs import EbsVolumeConfig
from .iam import ExistingExecutionRoleArn, ExistingTaskRoleArn, PermissionsBoundaryArn
from .limits import FARGATE_MEMORY_BY_CPU, LOG_RETENTION_DAYS, MAX_ENVIRONMENT_FILES
from .load_balancing import ExtraPortConfig, ProtocolVersion, extra_port_rules
from .network_load_balancer import LoadBalancerType, NetworkLoadBalancerConfig, network_load_balancer_rules
from .security import AlbAccessLogsConfig, CidrV4
from .service_settings import (
    AssignPublicIp,
    AvailabilityZoneRebalancing,
    EnableEcsManagedTags,
    ExtraSecurityGroupIds,
    PlatformVersion,
    PropagateTags,
    service_settings_rules,
)
from .storage import AppParametersConfig, EcsEfsConfig, EnvironmentFileConfig

NonEmptyStr = Annotated[str, Field(min_length=1)]
FargateStopTimeout = Annotated[int, Bounded(0, 120, "a Fargate stop timeout")]
BakeTime = Annotated[int, Bounded(0, 1440, "a bake time")]
GracePeriod = Annotated[int, Bounded(0, 2147483647, "a grace period")]
DeregistrationDelay = Annotated[int, Bounded(0, 3600, "a deregistration delay")]
FargateEphemeralStorageSize = Annotated[int, Bounded(21, 200, "a Fargate ephemeral storage size")]


class ServiceOptions(StrictModel):
    """What a service is, the same for an env file's service and a `WebService` built in Python: the container,
    the task, the service, its load balancing and every optional capability. Where it runs, its image and its
    domain are given differently by each front end (`ServiceConfig` names them by convention, `WebServiceProps`
    takes them as values and constructs), so they are not here."""

    service_name: Annotated[str, Field(pattern=r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$", max_length=64)] = Field(
        description="ECS service name (lowercase, digits, hyphens); created as {organization}-{environment}-{service_name}."
    )
    use_iam_authentication: bool = Field(
        default=False, description="Grant rds-db:connect to the task role for IAM database auth. default: false"
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
    environment_files: list[EnvironmentFileConfig] | None = Field(
        default=None, json_schema_extra={"maxItems": MAX_ENVIRONMENT_FILES}, description="S3 .env files (at most 10). default: none"
    )
    efs_config: EcsEfsConfig | None = Field(default=None, description="EFS volumes and mounts. default: none")
    parameters: AppParametersConfig = Field(description="Environment variables and secrets of the app container.")

    # Beyond the ECSBuilder: optional, with the ECSBuilder's behaviour as the default.
    log_retention_days: int = Field(
        default=30, description="Log group retention in days (a CloudWatch value). default: 30, the ECSBuilder's one month"
    )
    alb_ingress_cidrs: list[CidrV4] = Field(
        default_factory=list,
        description="Networks allowed to reach the ALB on 443 and 80 (an NLB on its listener port) besides CloudFront. "
        "default: none",
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
        default=True,
        description="Mount the app container's root filesystem read-only; the app writes to scratch_paths and EFS "
        "mounts. default: true",
    )
    scratch_paths: list[Annotated[str, Field(pattern=r"^/.+")]] = Field(
        default_factory=lambda: ["/tmp"],
        description="Writable task-local (ephemeral) paths beside a read-only root filesystem. default: /tmp",
    )
    autoscaling: AutoscalingConfig | None = Field(default=None, description="Application Auto Scaling. default: off")
    enable_execute_command: bool = Field(default=False, description="ECS Exec into running tasks. default: false")
    cpu_architecture: Literal["X86_64", "ARM64"] = Field(default="X86_64", description="ARM64 runs on Graviton. default: X86_64")
    operating_system_family: Literal[
        "LINUX", "WINDOWS_SERVER_2019_CORE", "WINDOWS_SERVER_2019_FULL", "WINDOWS_SERVER_2022_CORE",
        "WINDOWS_SERVER_2022_FULL",
    ] = Field(default="LINUX", description="Task operating system. default: LINUX")
    ephemeral_storage_gib: FargateEphemeralStorageSize | None = Field(
        default=None, description="Task ephemeral storage in GiB (21-200). default: Fargate's 20 GiB"
    )
    stop_timeout_seconds: FargateStopTimeout | None = Field(
        default=None, description="Seconds between SIGTERM and SIGKILL (at most 120). default: 30"
    )
    ulimits: list[UlimitConfig] = Field(default_factory=list, description="Container ulimits. default: none")
    linux_parameters: LinuxParametersConfig | None = Field(default=None, description="default: none")
    docker_labels: dict[str, str] = Field(default_factory=dict, description="Container labels. default: none")
    essential: bool = Field(default=True, description="The task stops when the app container stops. default: true")
    sidecars: list[SidecarConfig] = Field(default_factory=list, description="Extra containers. default: none")
    xray: bool = Field(default=False, description="X-Ray daemon sidecar and task role permissions. default: false")
    firelens: FirelensConfig | None = Field(
        default=None, description="Fluent Bit log router; the app logs through awsfirelens. default: none"
    )
    log_driver: LogDriverConfig = Field(
        default_factory=LogDriverConfig, description="App container log driver. default: awslogs to the service's log group"
    )
    deployment_alarms: DeploymentAlarmsConfig | None = Field(default=None, description="default: none")
    wait_for_steady_state: bool = Field(default=False, description="apply waits for the deployment. default: false")
    force_new_deployment: bool = Field(default=False, description="Redeploy on every apply. default: false")
    deployment_ownership: Literal["terraform", "external_image", "codedeploy", "ecs_blue_green"] = Field(
        default="terraform",
        description="Who deploys new images: terraform (task definition from this config), external_image (a CI "
        "pipeline registers revisions), codedeploy (blue/green via CodeDeploy), ecs_blue_green (ECS-native "
        "blue/green, AWS provider 6.x only). default: terraform",
    )
    blue_green_bake_time_minutes: BakeTime = Field(
        default=5, description="ecs_blue_green / codedeploy: minutes both colours stay up. default: 5"
    )
    health_check: TargetHealthCheckConfig = Field(
        default_factory=TargetHealthCheckConfig, description="Target group health check timing. default: 30 s / 5 s / 5 / 2"
    )
    container_health_check: ContainerHealthCheckConfig = Field(
        default_factory=ContainerHealthCheckConfig,
        description="Timing of the container health check (health_check_cmd). default: 30 s / 5 s / 3 / 60 s",
    )
    deregistration_delay_seconds: DeregistrationDelay = Field(
        default=300, description="Draining time of a stopping task. default: 300"
    )
    stickiness: StickinessConfig | None = Field(default=None, description="Load balancer cookie stickiness. default: off")
    load_balancing_algorithm: Literal["round_robin", "least_outstanding_requests", "weighted_random"] = Field(
        default="round_robin", description="default: round_robin"
    )
    health_check_grace_period_seconds: GracePeriod = Field(
        default=60, description="Seconds ECS ignores failing ALB health checks of a new task. default: 60"
    )
    alarms: AlarmsConfig | None = Field(default=None, description="CloudWatch alarms. default: none")
    service_connect: ServiceConnectConfig | None = Field(default=None, description="ECS Service Connect. default: off")
    service_discovery: ServiceDiscoveryConfig | None = Field(default=None, description="Cloud Map records. default: off")
    listener_rules: list[ListenerRuleConfig] = Field(
        default_factory=list, description="HTTPS listener rules routing to this service (with shared_alb). default: none"
    )
    shared_alb: SharedAlbConfig | None = Field(
        default=None, description="Use another service's ALB listener instead of an own ALB. default: own ALB"
    )
    admin_public: bool = Field(
        default=False, description="Expose admin_port through its own listener and target group. default: false"
    )
    internal: bool = Field(default=False, description="Internal ALB in the private subnets. default: internet-facing")
    create_certificate: bool = Field(
        default=False,
        description="Create an ACM certificate for the service's domain with DNS validation when "
        "ssl_certificate_id is absent. default: false",
    )
    capacity_provider_strategy: list[CapacityProviderStrategyItem] | None = Field(
        default=None, description="Overrides the 2:1 FARGATE_SPOT:FARGATE default; EC2 needs the env's ec2_capacity."
    )
    fargate_ephemeral_storage_kms_key_id: KMS_KEY | None = Field(
        default=None, description="KMS key (id or ARN of the env's account and region) for Fargate ephemeral "
        "storage (cluster setting). default: AWS-owned key"
    )
    managed_storage_kms_key_id: KMS_KEY | None = Field(
        default=None, description="KMS key (id or ARN of the env's account and region) for the cluster's managed storage. "
        "default: none"
    )

    # Storage (issue 14)
    ebs_volume: EbsVolumeConfig | None = Field(
        default=None, description="An EBS volume ECS creates for each task at launch and mounts in the app container. "
        "default: none",
    )

    # Load balancing (issue 14)
    protocol_version: ProtocolVersion | None = Field(
        default=None, description="Target groups' protocol version: HTTP1, HTTP2 or GRPC (health checks then succeed on "
        "gRPC status 0; point health_check_path at a gRPC method). default: ELB's HTTP1",
    )
    extra_ports: list[ExtraPortConfig] = Field(
        default_factory=list, description="More container ports, each with its own target group and HTTPS listener "
        "rule (path or host). default: none",
    )
    load_balancer_type: LoadBalancerType = Field(
        default="application", description="application (HTTPS, the ALB) or network (an NLB: TCP, TLS or UDP). "
        "default: application",
    )
    network_load_balancer: NetworkLoadBalancerConfig | None = Field(
        default=None, description="The NLB's listener and target group (load_balancer_type network). default: TLS on 443"
    )

    # Containers (issue 14): how the app container's process runs (sidecars take the same keys), and the task's
    # process and IPC namespaces.
    command: Command
    entry_point: EntryPoint
    working_directory: WorkingDirectory
    user: ContainerUser
    restart_policy: RestartPolicy
    version_consistency: VersionConsistency
    linux_capabilities: LinuxCapabilities
    pid_mode: PidMode
    ipc_mode: IpcMode

    # Service (issue 14): the ECS service's own settings beside its deployment.
    platform_version: PlatformVersion
    availability_zone_rebalancing: AvailabilityZoneRebalancing
    propagate_tags: PropagateTags
    enable_ecs_managed_tags: EnableEcsManagedTags
    assign_public_ip: AssignPublicIp
    extra_security_group_ids: ExtraSecurityGroupIds

    # Deployment (issue 14): rolling percents, circuit breaker, the ECS-native strategies.
    deployment: Deployment

    # IAM (issue 14): a boundary on every created role; existing roles instead of created ones.
    permissions_boundary_arn: PermissionsBoundaryArn
    execution_role_arn: ExistingExecutionRoleArn
    task_role_arn: ExistingTaskRoleArn

    @classmethod
    def cross_field_rules(cls, data: dict[str, Any]) -> Problems:
        problems = cls.source_rules(data) + extra_port_rules(data) + network_load_balancer_rules(data)
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
        problems += cls.certificate_rules(data) + _capability_rules(data) + service_aws_rules(data)
        problems += container_rules(data, on_ec2=runs_on_ec2(data)) + service_settings_rules(data, on_ec2=runs_on_ec2(data))
        problems += deployment_rules(data)
        retention = typed(data, "log_retention_days", int)
        if retention is not None and retention not in LOG_RETENTION_DAYS:
            allowed = ", ".join(str(d) for d in LOG_RETENTION_DAYS)
            problems.append(problem(("log_retention_days",), f"{retention} is not a CloudWatch retention; allowed: {allowed}", retention))
        if admin_port is not None and admin_port == application_port:
            problems.append(problem(("admin_port",), f"{admin_port} equals application_port; the two ports must differ", admin_port))
        return problems

    @property
    def nlb(self) -> NetworkLoadBalancerConfig | None:
        """The NLB's settings, their defaults when none are given; None for an ALB."""
        return (self.network_load_balancer or NetworkLoadBalancerConfig()) if self.load_balancer_type == "network" else None

    @property
    def target_group_protocol(self) -> str:
        return self.nlb.targets if self.nlb else "HTTP"

    @classmethod
    def source_rules(cls, data: dict[str, Any]) -> Problems:
        """Rules on where the image comes from, which each front end names its own way."""
        return []

    @classmethod
    def certificate_rules(cls, data: dict[str, Any]) -> Problems:
        """Rules on the HTTPS certificate, which each front end names its own way."""
        return []


def _capability_rules(data: dict[str, Any]) -> Problems:
    """Rules between the ECSBuilder keys and the optional capabilities."""
    problems = []
    autoscaling = typed(data, "autoscaling", dict)
    desired = typed(data, "desired_count", int, 1)
    if autoscaling is not None and desired is not None:
        low, high = typed(autoscaling, "min_capacity", int), typed(autoscaling, "max_capacity", int)
        if low is not None and high is not None and low <= high and not low <= desired <= high:
            problems.append(problem(("desired_count",), f"{desired} is outside autoscaling {low}-{high}; allowed: {low}-{high}", desired))
    if typed(data, "admin_public", bool, False) and typed(data, "admin_active", bool, False) is False:
        problems.append(problem(("admin_public",), "true needs admin_active true (and admin_port)"))
    if data.get("service_connect") is not None and data.get("service_discovery") is not None:
        problems.append(problem(("service_discovery",), "set either service_connect or service_discovery, not both"))
    if data.get("listener_rules") and data.get("shared_alb") is None:
        problems.append(problem(("listener_rules",), "listener rules route a shared ALB's traffic: set shared_alb too"))
    if data.get("shared_alb") is not None and not data.get("listener_rules"):
        problems.append(problem(("shared_alb",), "a service on a shared ALB needs listener_rules (path_patterns or host_headers)"))
    log_driver = typed(data, "log_driver", dict) or {}
    if log_driver.get("name") == "awsfirelens" and data.get("firelens") is None:
        problems.append(problem(("log_driver", "name"), "awsfirelens needs the firelens log router: set firelens"))
    ownership = typed(data, "deployment_ownership", str)
    if ownership in ("codedeploy", "ecs_blue_green") and data.get("shared_alb") is not None:
        problems.append(problem(("deployment_ownership",), f"{ownership!r} needs the service's own ALB, not shared_alb", ownership))
    os_family = typed(data, "operating_system_family", str, "LINUX")
    if os_family and os_family != "LINUX" and (data.get("efs_config") or typed(data, "cpu_architecture", str) == "ARM64"):
        problems.append(problem(("operating_system_family",), f"{os_family!r} supports neither EFS volumes nor ARM64 on Fargate", os_family))
    providers = [i.get("capacity_provider") for i in typed(data, "capacity_provider_strategy", list) or [] if isinstance(i, dict)]
    if "EC2" in providers and any(p in ("FARGATE", "FARGATE_SPOT") for p in providers):
        problems.append(problem(("capacity_provider_strategy",), "ECS cannot mix EC2 with FARGATE or FARGATE_SPOT in one strategy"))
    unknown = [p for p in providers if isinstance(p, str) and p not in ("EC2", "FARGATE", "FARGATE_SPOT")]
    for provider in unknown:
        problems.append(problem(("capacity_provider_strategy",), f"{provider!r} is not a capacity provider here; allowed: FARGATE, FARGATE_SPOT, EC2", provider))
    names = [typed(s, "name", str) for s in typed(data, "sidecars", list) or [] if isinstance(s, dict)]
    reserved = {typed(data, "service_name", str), "xray-daemon", "log-router"}
    for index, name in enumerate(names):
        if name in reserved or names.index(name) != index:
            problems.append(problem(("sidecars", index, "name"), f"{name!r} is already a container of the task; names must be unique", name))
    return problems
