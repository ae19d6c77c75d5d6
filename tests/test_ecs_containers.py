"""Issue 14, "Containers": how the app container's and the sidecars' processes run, and the task's pid and IPC
modes; each key on the synthesized JSON, each rule with its exact message."""

from __future__ import annotations

import json

import pytest
from conftest import only, synth_service

from constructs_lib.config import ConfigError, validate_env_data

EC2 = {"ec2_capacity": {"instance_type": "c5.large"}}


def containers(document):
    return {
        c["name"]: c
        for c in json.loads(
            only(document, "aws_ecs_task_definition")["container_definitions"]
        )
    }


def problems(data):
    with pytest.raises(ConfigError) as error:
        validate_env_data(data, "envs/x.json")
    return error.value.problems


@pytest.fixture
def docs(dev_data):
    return dev_data["services"][1]  # an external image, no EFS


def on_ec2(data, service):
    data.update(EC2)
    service["capacity_provider_strategy"] = [{"capacity_provider": "EC2"}]


def test_process_keys_reach_the_app_container_and_a_sidecar(dev_data, docs):
    process = {
        "command": ["serve", "--port", "8080", "${HOME}"],
        "entry_point": ["/bin/tini", "--"],
        "working_directory": "/srv",
        "user": "1000:1000",
        "restart_policy": {
            "ignored_exit_codes": [0, 143],
            "restart_attempt_period_seconds": 120,
        },
        "version_consistency": "disabled",
        "linux_capabilities": {"add": ["SYS_PTRACE"], "drop": ["ALL"]},
    }
    docs.update(process, linux_parameters={"init_process_enabled": True})
    docs["sidecars"] = [
        {"name": "agent", "image": "public.ecr.aws/agent:1.0", **process}
    ]
    found = containers(synth_service(dev_data, 1))
    rendered = {
        "command": [
            "serve",
            "--port",
            "8080",
            "$${HOME}",
        ],  # literal: Terraform must not interpolate it
        "entryPoint": ["/bin/tini", "--"],
        "workingDirectory": "/srv",
        "user": "1000:1000",
        "restartPolicy": {
            "enabled": True,
            "ignoredExitCodes": [0, 143],
            "restartAttemptPeriod": 120,
        },
        "versionConsistency": "disabled",
    }
    capabilities = {"capabilities": {"add": ["SYS_PTRACE"], "drop": ["ALL"]}}
    assert {k: found["docs"][k] for k in rendered} == rendered
    assert found["docs"]["linuxParameters"] == {
        **capabilities,
        "initProcessEnabled": True,
    }
    assert {k: found["agent"][k] for k in rendered} == rendered
    assert found["agent"]["linuxParameters"] == capabilities


def test_without_the_keys_the_containers_have_none_of_them(dev_data, docs):
    app = containers(synth_service(dev_data, 1))["docs"]
    keys = {
        "command",
        "entryPoint",
        "workingDirectory",
        "user",
        "restartPolicy",
        "versionConsistency",
        "linuxParameters",
    }
    assert keys & set(app) == set()


def test_restart_policy_defaults_to_enabled_with_ecs_period(dev_data, docs):
    docs["restart_policy"] = {}
    assert containers(synth_service(dev_data, 1))["docs"]["restartPolicy"] == {
        "enabled": True,
        "ignoredExitCodes": [],
    }


def test_pid_and_ipc_modes_on_the_task_definition(dev_data, docs):
    on_ec2(dev_data, docs)
    docs.update(
        pid_mode="host", ipc_mode="task", linux_capabilities={"add": ["NET_ADMIN"]}
    )
    task = only(synth_service(dev_data, 1), "aws_ecs_task_definition")
    assert (task["pid_mode"], task["ipc_mode"]) == ("host", "task")


def test_fargate_limits(dev_data, docs):
    docs.update(
        pid_mode="host",
        ipc_mode="none",
        linux_capabilities={"add": ["SYS_PTRACE", "NET_ADMIN"]},
    )
    docs["sidecars"] = [
        {
            "name": "agent",
            "image": "busybox:1",
            "linux_capabilities": {"add": ["SYS_ADMIN"]},
        }
    ]
    assert problems(dev_data) == [
        (
            "envs/x.json: services[1].linux_capabilities.add[1]: 'NET_ADMIN' cannot be added on Fargate; allowed: "
            "SYS_PTRACE (others need the EC2 capacity provider)"
        ),
        (
            "envs/x.json: services[1].sidecars[0].linux_capabilities.add[0]: 'SYS_ADMIN' cannot be added on Fargate; "
            "allowed: SYS_PTRACE (others need the EC2 capacity provider)"
        ),
        "envs/x.json: services[1].pid_mode: 'host' is not supported on Fargate; allowed: task",
        "envs/x.json: services[1].ipc_mode: Fargate does not support ipc_mode; remove it (or run on EC2)",
    ]


def test_fargate_takes_pid_mode_task(dev_data, docs):
    docs["pid_mode"] = "task"
    assert (
        only(synth_service(dev_data, 1), "aws_ecs_task_definition")["pid_mode"]
        == "task"
    )


def test_user_must_agree_with_the_efs_container_user(dev_data):
    app = dev_data["services"][0]
    app["efs_config"]["container_user"] = "1000:1000"
    app["user"] = "root"
    assert problems(dev_data) == [
        (
            "envs/x.json: services[0].user: 'root' disagrees with efs_config.container_user '1000:1000'; set one, or the "
            "same value"
        )
    ]
    app["user"] = "1000:1000"
    assert containers(synth_service(dev_data, 0))["app-service"]["user"] == "1000:1000"


def test_aws_limits_of_the_keys(dev_data, docs):
    docs.update(
        restart_policy={
            "ignored_exit_codes": list(range(51)),
            "restart_attempt_period_seconds": 30,
        },
        working_directory="srv",
        command=[],
        version_consistency="ENABLED",
        linux_capabilities={"drop": ["CAP_NET_RAW"]},
    )
    found = problems(dev_data)
    assert (
        "envs/x.json: services[1].restart_policy.restart_attempt_period_seconds: 30 is not a restart attempt "
        "period; allowed: 60-1800" in found
    )
    assert any(
        p.startswith("envs/x.json: services[1].restart_policy.ignored_exit_codes: ")
        and "at most 50" in p
        for p in found
    )
    assert any(
        p.startswith('envs/x.json: services[1].working_directory: "srv" is not allowed')
        for p in found
    )
    assert any(p.startswith("envs/x.json: services[1].command: ") for p in found)
    assert any(
        p.startswith("envs/x.json: services[1].version_consistency: ") for p in found
    )
    assert any(
        p.startswith("envs/x.json: services[1].linux_capabilities.drop[0]: ")
        for p in found
    )
    assert len(found) == 6, found


def test_windows_takes_no_linux_capabilities(dev_data, docs):
    docs.update(
        operating_system_family="WINDOWS_SERVER_2022_CORE",
        cpu=1024,
        memory_limit_mib=2048,
        linux_capabilities={"drop": ["ALL"]},
    )
    assert problems(dev_data) == [
        "envs/x.json: services[1].linux_capabilities: Windows containers take no Linux capabilities"
    ]
