"""What every Fargate workload is (`TaskOptions`: the container, the task, its roles, logs, secrets, storage and
capacity), and what every long-running one adds (`EcsServiceOptions`: a task count kept by an ECS service).

A web service (`service.ServiceOptions`), a queue worker (`worker.WorkerOptions`) and a scheduled task
(`scheduled_task.ScheduledTaskOptions`) build on these, so a key means the same in each and its default and rules
live here once.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, NamedTuple

from pydantic import Field

from .alarms import AlarmsConfig, DeploymentAlarmsConfig
from .aws_rules import runs_on_ec2, service_aws_rules
from .base import Bounded, Problems, StrictModel, problem, typed
from .capacity import CapacityProviderStrategyItem
from .container_limits import LinuxParametersConfig, UlimitConfig
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
from .health_checks import ContainerHealthCheckConfig
from .iam import ExistingExecutionRoleArn, ExistingTaskRoleArn, PermissionsBoundaryArn
from .limits import FARGATE_MEMORY_BY_CPU, LOG_RETENTION_DAYS, MAX_ENVIRONMENT_FILES
from .log_drivers import FirelensConfig, LogDriverConfig
from .service_settings import (
    AssignPublicIp,
    AvailabilityZoneRebalancing,
    EnableEcsManagedTags,
    ExtraSecurityGroupIds,
    PlatformVersion,
    PropagateTags,
    service_settings_rules,
)
from .sidecars import SidecarConfig
from .storage import AppParametersConfig, EcsEfsConfig, EnvironmentFileConfig
from .task_rules import task_rules

FargateStopTimeout = Annotated[int, Bounded(0, 120, "a Fargate stop timeout")]
FargateEphemeralStorageSize = Annotated[int, Bounded(21, 200, "a Fargate ephemeral storage size")]


class ContainerPort(NamedTuple):
    """A port mapping of the app container; `name` and `app_protocol` when Service Connect reaches it."""

    port: int
    protocol: str = "tcp"
    name: str | None = None
    app_protocol: str | None = None


class TaskOptions(StrictModel):
    """The part every Fargate workload shares: what its task runs and may do, where its logs go, what it mounts
    and on which capacity it runs."""

    service_name: Annotated[str, Field(pattern=r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$", max_length=64)] = Field(
        description="Name of the service, worker or scheduled task (lowercase, digits, hyphens); its ECS service or "
        "task family is {organization}-{environment}-{service_name}."
    )
    use_iam_authentication: bool = Field(
        default=False,
        description="Grant rds-db:connect to the task role for IAM database auth. default: false",
    )
    cpu: int = Field(
        default=256,
        description="Task CPU units: 256, 512, 1024, 2048, 4096, 8192, 16384. default: 256",
    )
    memory_limit_mib: int = Field(
        default=512,
        description="Task memory (MiB), a Fargate combination with cpu. default: 512",
    )
    environment_files: list[EnvironmentFileConfig] | None = Field(
        default=None,
        json_schema_extra={"maxItems": MAX_ENVIRONMENT_FILES},
        description="S3 .env files (at most 10). default: none",
    )
    efs_config: EcsEfsConfig | None = Field(default=None, description="EFS volumes and mounts. default: none")
    parameters: AppParametersConfig = Field(description="Environment variables and secrets of the app container.")
    log_retention_days: int = Field(
        default=30,
        description="Log group retention in days (a CloudWatch value). default: 30, the ECSBuilder's one month",
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
    enable_execute_command: bool = Field(default=False, description="ECS Exec into running tasks. default: false")
    cpu_architecture: Literal["X86_64", "ARM64"] = Field(
        default="X86_64", description="ARM64 runs on Graviton. default: X86_64"
    )
    operating_system_family: Literal[
        "LINUX",
        "WINDOWS_SERVER_2019_CORE",
        "WINDOWS_SERVER_2019_FULL",
        "WINDOWS_SERVER_2022_CORE",
        "WINDOWS_SERVER_2022_FULL",
    ] = Field(default="LINUX", description="Task operating system. default: LINUX")
    ephemeral_storage_gib: FargateEphemeralStorageSize | None = Field(
        default=None,
        description="Task ephemeral storage in GiB (21-200). default: Fargate's 20 GiB",
    )
    stop_timeout_seconds: FargateStopTimeout | None = Field(
        default=None,
        description="Seconds between SIGTERM and SIGKILL (at most 120). default: 30",
    )
    ulimits: list[UlimitConfig] = Field(default_factory=list, description="Container ulimits. default: none")
    linux_parameters: LinuxParametersConfig | None = Field(default=None, description="default: none")
    docker_labels: dict[str, str] = Field(default_factory=dict, description="Container labels. default: none")
    essential: bool = Field(
        default=True,
        description="The task stops when the app container stops. default: true",
    )
    sidecars: list[SidecarConfig] = Field(default_factory=list, description="Extra containers. default: none")
    xray: bool = Field(
        default=False,
        description="X-Ray daemon sidecar and task role permissions. default: false",
    )
    firelens: FirelensConfig | None = Field(
        default=None,
        description="Fluent Bit log router; the app logs through awsfirelens. default: none",
    )
    log_driver: LogDriverConfig = Field(
        default_factory=LogDriverConfig,
        description="App container log driver. default: awslogs to the service's log group",
    )
    container_health_check: ContainerHealthCheckConfig = Field(
        default_factory=ContainerHealthCheckConfig,
        description="Timing of the container health check (health_check_cmd). default: 30 s / 5 s / 3 / 60 s",
    )
    capacity_provider_strategy: list[CapacityProviderStrategyItem] | None = Field(
        default=None,
        description="Overrides the 2:1 FARGATE_SPOT:FARGATE default; EC2 needs the env's ec2_capacity.",
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

    # IAM (issue 14): a boundary on every created role; existing roles instead of created ones.
    permissions_boundary_arn: PermissionsBoundaryArn
    execution_role_arn: ExistingExecutionRoleArn
    task_role_arn: ExistingTaskRoleArn

    @classmethod
    def cross_field_rules(cls, data: dict[str, Any]) -> Problems:
        problems = super().cross_field_rules(data)
        cpu = typed(data, "cpu", int, 256)
        memory = typed(data, "memory_limit_mib", int, 512)
        if cpu is not None and cpu not in FARGATE_MEMORY_BY_CPU:
            allowed = ", ".join(str(c) for c in FARGATE_MEMORY_BY_CPU)
            problems.append(
                problem(
                    ("cpu",),
                    f"{cpu} is not a Fargate CPU value; allowed: {allowed}",
                    cpu,
                )
            )
        elif cpu is not None and memory is not None and memory not in FARGATE_MEMORY_BY_CPU[cpu]:
            allowed = ", ".join(str(m) for m in FARGATE_MEMORY_BY_CPU[cpu])
            given = memory if "memory_limit_mib" in data else f"{memory} (the default)"
            problems.append(
                problem(
                    ("memory_limit_mib",),
                    f"{given} is not valid with cpu {cpu}; allowed: {allowed}",
                    memory,
                )
            )
        env_files = typed(data, "environment_files", list)
        if env_files is not None and len(env_files) > MAX_ENVIRONMENT_FILES:
            problems.append(
                problem(
                    ("environment_files",),
                    f"{len(env_files)} files given; allowed: at most {MAX_ENVIRONMENT_FILES} per container",
                )
            )
        retention = typed(data, "log_retention_days", int)
        if retention is not None and retention not in LOG_RETENTION_DAYS:
            allowed = ", ".join(str(d) for d in LOG_RETENTION_DAYS)
            problems.append(
                problem(
                    ("log_retention_days",),
                    f"{retention} is not a CloudWatch retention; allowed: {allowed}",
                    retention,
                )
            )
        problems += container_rules(data, on_ec2=runs_on_ec2(data))
        return problems + task_rules(data) + service_aws_rules(data)

    def container_ports(self) -> list[ContainerPort]:
        """The app container's port mappings, each with its Service Connect port name: none, unless a load
        balancer or Service Connect reaches the app."""
        return []

    def container_health_check_command(self) -> str | None:
        """The app container's health check, run by the shell (CMD-SHELL); None: no container health check."""
        return None


class EcsServiceOptions(TaskOptions):
    """What a long-running workload (a web service or a worker) adds: an ECS service keeping its tasks running,
    its deployments and alarms."""

    desired_count: Annotated[int, Field(ge=0, le=5000)] = Field(default=1, description="Running tasks. default: 1")
    deployment_alarms: DeploymentAlarmsConfig | None = Field(default=None, description="default: none")
    wait_for_steady_state: bool = Field(default=False, description="apply waits for the deployment. default: false")
    force_new_deployment: bool = Field(default=False, description="Redeploy on every apply. default: false")
    alarms: AlarmsConfig | None = Field(default=None, description="CloudWatch alarms. default: none")

    # Storage (issue 14): attached at launch by the ECS service.
    ebs_volume: EbsVolumeConfig | None = Field(
        default=None,
        description="An EBS volume ECS creates for each task at launch and mounts in the app container. default: none",
    )

    # Service (issue 14): the ECS service's own settings beside its deployment.
    platform_version: PlatformVersion
    availability_zone_rebalancing: AvailabilityZoneRebalancing
    propagate_tags: PropagateTags
    enable_ecs_managed_tags: EnableEcsManagedTags
    assign_public_ip: AssignPublicIp
    extra_security_group_ids: ExtraSecurityGroupIds

    # Deployment (issue 14): rolling percents, circuit breaker, the ECS-native strategies.
    deployment: Deployment

    @classmethod
    def cross_field_rules(cls, data: dict[str, Any]) -> Problems:
        problems = super().cross_field_rules(data)
        problems += service_settings_rules(data, on_ec2=runs_on_ec2(data)) + deployment_rules(data)
        autoscaling = typed(data, "autoscaling", dict)
        desired = typed(data, "desired_count", int, 1)
        if autoscaling is not None and desired is not None:
            low, high = (
                typed(autoscaling, "min_capacity", int),
                typed(autoscaling, "max_capacity", int),
            )
            if low is not None and high is not None and low <= high and not low <= desired <= high:
                problems.append(
                    problem(
                        ("desired_count",),
                        f"{desired} is outside autoscaling {low}-{high}; allowed: {low}-{high}",
                        desired,
                    )
                )
        return problems
