"""How a container's process runs (issue 14, "Containers"): command, entry point, working directory, user, restart
policy, image version consistency and Linux capabilities. The app container (`ServiceOptions`) and every sidecar
(`SidecarConfig`) take the same keys, so each key is written once here as an annotated type with its default and
description; `container_rules` holds what AWS refuses only at apply (Fargate's limits among them).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from pydantic import Field

from .base import Bounded, Problems, StrictModel, problem, typed

# ECS KernelCapabilities: the values `add` and `drop` accept (API reference), and what Fargate lets a task add.
# fmt: off
LinuxCapability = Literal[
    "ALL", "AUDIT_CONTROL", "AUDIT_WRITE", "BLOCK_SUSPEND", "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER",
    "FSETID", "IPC_LOCK", "IPC_OWNER", "KILL", "LEASE", "LINUX_IMMUTABLE", "MAC_ADMIN", "MAC_OVERRIDE", "MKNOD",
    "NET_ADMIN", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_RAW", "SETFCAP", "SETGID", "SETPCAP", "SETUID",
    "SYS_ADMIN", "SYS_BOOT", "SYS_CHROOT", "SYS_MODULE", "SYS_NICE", "SYS_PACCT", "SYS_PTRACE", "SYS_RAWIO",
    "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "SYSLOG", "WAKE_ALARM"
]
# fmt: on
LINUX_CAPABILITIES: tuple[str, ...] = get_args(LinuxCapability)
FARGATE_ADDABLE_CAPABILITIES = ("SYS_PTRACE",)
MAX_IGNORED_EXIT_CODES = 50  # ContainerRestartPolicy.ignoredExitCodes

RestartAttemptPeriod = Annotated[int, Bounded(60, 1800, "a restart attempt period")]
ExitCode = Annotated[int, Bounded(0, 255, "a process exit code")]
Argument = Annotated[str, Field(min_length=1)]

Command = Annotated[
    list[Argument] | None,
    Field(
        default=None,
        min_length=1,
        description="Arguments replacing the image's CMD. default: the image's",
    ),
]
EntryPoint = Annotated[
    list[Argument] | None,
    Field(
        default=None,
        min_length=1,
        description="Arguments replacing the image's ENTRYPOINT. default: the image's",
    ),
]
WorkingDirectory = Annotated[
    str | None,
    Field(
        default=None,
        pattern=r"^/",
        max_length=4096,
        description="Absolute directory the process starts in. default: the image's WORKDIR",
    ),
]
ContainerUser = Annotated[
    str | None,
    Field(
        default=None,
        pattern=r"^[A-Za-z0-9_.-]+(:[A-Za-z0-9_.-]+)?$",
        description="user, uid, user:group or uid:gid the process runs as. default: the image's USER",
    ),
]
VersionConsistency = Annotated[
    Literal["enabled", "disabled"] | None,
    Field(
        default=None,
        description="enabled: ECS resolves the image tag to a digest once per deployment, so every "
        "task runs the same image; disabled: each task pulls the tag. default: ECS's (enabled)",
    ),
]


class RestartPolicyConfig(StrictModel):
    """ECS restarts the container in place when it exits, instead of replacing the task."""

    enabled: bool = Field(default=True, description="default: true")
    ignored_exit_codes: Annotated[list[ExitCode], Field(max_length=MAX_IGNORED_EXIT_CODES)] = Field(
        default_factory=list,
        description="Exit codes that do not restart it (at most 50). default: none",
    )
    restart_attempt_period_seconds: RestartAttemptPeriod | None = Field(
        default=None,
        description="Seconds it must run before it may be restarted again (60-1800). default: 300",
    )


class LinuxCapabilitiesConfig(StrictModel):
    """Linux capabilities added to or dropped from Docker's defaults (on Fargate only SYS_PTRACE may be added)."""

    add: list[LinuxCapability] = Field(default_factory=list, description="Fargate: SYS_PTRACE only. default: none")
    drop: list[LinuxCapability] = Field(default_factory=list, description='e.g. ["ALL"]. default: none')


PidMode = Annotated[
    Literal["task", "host"] | None,
    Field(
        default=None,
        description="task: the containers share one process namespace; host (EC2 only). default: "
        "each container its own",
    ),
]
IpcMode = Annotated[
    Literal["task", "host", "none"] | None,
    Field(
        default=None,
        description="IPC namespace of the containers (EC2 only; Fargate refuses it). default: Docker's",
    ),
]
RestartPolicy = Annotated[
    RestartPolicyConfig | None,
    Field(default=None, description="Restart the container in place. default: off"),
]
LinuxCapabilities = Annotated[
    LinuxCapabilitiesConfig | None,
    Field(default=None, description="Capabilities to add and drop. default: Docker's"),
]


def container_rules(data: dict[str, Any], on_ec2: bool) -> Problems:
    """The app container's and each sidecar's process keys, and the task's pid_mode and ipc_mode, against what
    Fargate (or Windows) refuses at apply."""
    problems = _user_rule(data)
    containers: list[tuple[tuple[str | int, ...], dict[str, Any]]] = [((), data)]
    containers += [
        (("sidecars", i), s) for i, s in enumerate(typed(data, "sidecars", list) or []) if isinstance(s, dict)
    ]
    linux = typed(data, "operating_system_family", str, "LINUX") == "LINUX"
    for at, container in containers:
        capabilities = typed(container, "linux_capabilities", dict)
        if capabilities is None:
            continue
        if not linux:
            problems.append(
                problem(
                    (*at, "linux_capabilities"),
                    "Windows containers take no Linux capabilities",
                )
            )
        added = [c for c in typed(capabilities, "add", list) or [] if isinstance(c, str)]
        for index, name in enumerate(added):
            if not on_ec2 and name not in FARGATE_ADDABLE_CAPABILITIES:
                problems.append(
                    problem(
                        (*at, "linux_capabilities", "add", index),
                        f"{name!r} cannot be added on Fargate; allowed: SYS_PTRACE (others need the EC2 capacity provider)",
                        name,
                    )
                )
    pid_mode, ipc_mode = typed(data, "pid_mode", str), typed(data, "ipc_mode", str)
    if pid_mode is not None and not on_ec2 and pid_mode != "task":
        problems.append(
            problem(
                ("pid_mode",),
                f"{pid_mode!r} is not supported on Fargate; allowed: task",
                pid_mode,
            )
        )
    if ipc_mode is not None and not on_ec2:
        problems.append(
            problem(
                ("ipc_mode",),
                "Fargate does not support ipc_mode; remove it (or run on EC2)",
                ipc_mode,
            )
        )
    if (pid_mode is not None or ipc_mode is not None) and not linux:
        problems.append(
            problem(
                ("pid_mode" if pid_mode else "ipc_mode",),
                "Windows tasks support neither pid_mode nor ipc_mode",
            )
        )
    return problems


def _user_rule(data: dict[str, Any]) -> Problems:
    """The EFS access point's owner (efs_config.container_user) and `user` name the same process user."""
    user = typed(data, "user", str)
    efs = typed(data, "efs_config", dict) or {}
    efs_user = typed(efs, "container_user", str)
    if user is not None and efs_user is not None and user != efs_user:
        return [
            problem(
                ("user",),
                f"{user!r} disagrees with efs_config.container_user {efs_user!r}; set one, or the same value",
                user,
            )
        ]
    return []
