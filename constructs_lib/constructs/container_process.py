"""The keys of a container definition that say how its process runs (command, entry point, working directory,
user, restart policy, version consistency, Linux capabilities), rendered the same way for the app container and
each sidecar. Only the keys a container sets appear, so a container without them renders as before."""

from __future__ import annotations

from typing import Any, Protocol

from ..props.containers import LinuxCapabilitiesConfig, RestartPolicyConfig


class ProcessOptions(Protocol):
    """What the app container's options (`ServiceOptions`) and a sidecar's (`SidecarConfig`) both have."""

    @property
    def command(self) -> list[str] | None: ...

    @property
    def entry_point(self) -> list[str] | None: ...

    @property
    def working_directory(self) -> str | None: ...

    @property
    def user(self) -> str | None: ...

    @property
    def restart_policy(self) -> RestartPolicyConfig | None: ...

    @property
    def version_consistency(self) -> str | None: ...

    @property
    def linux_capabilities(self) -> LinuxCapabilitiesConfig | None: ...


def process_settings(options: ProcessOptions) -> dict[str, Any]:
    settings: dict[str, Any] = {}
    if options.command is not None:
        settings["command"] = list(options.command)
    if options.entry_point is not None:
        settings["entryPoint"] = list(options.entry_point)
    if options.working_directory is not None:
        settings["workingDirectory"] = options.working_directory
    if options.user is not None:
        settings["user"] = options.user
    if options.restart_policy is not None:
        settings["restartPolicy"] = _restart_policy(options.restart_policy)
    if options.version_consistency is not None:
        settings["versionConsistency"] = options.version_consistency
    if options.linux_capabilities is not None:
        capabilities = options.linux_capabilities
        settings["linuxParameters"] = {
            "capabilities": {
                "add": list(capabilities.add),
                "drop": list(capabilities.drop),
            }
        }
    return settings


def _restart_policy(policy: RestartPolicyConfig) -> dict[str, Any]:
    rendered: dict[str, Any] = {
        "enabled": policy.enabled,
        "ignoredExitCodes": list(policy.ignored_exit_codes),
    }
    if policy.restart_attempt_period_seconds is not None:
        rendered["restartAttemptPeriod"] = policy.restart_attempt_period_seconds
    return rendered
