"""The migration's hard-coded addresses and names against what the earlier release really wrote.

tests/e2e/fixtures/upgrade-v1/stacks holds the stacks release fcba2c2 (before the environment stack) synthesized from
the fixture's env file. The e2e applies and upgrades them; these checks need no terraform and run everywhere: the
`removed` blocks name exactly the cluster and namespace addresses of those stacks (a renamed address would make the
upgrade destroy them), and the environment stack imports each cluster under the name the earlier release gave it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from conftest import addresses

from constructs_lib.config import load_env_file, validate_env_data
from constructs_lib.stacks.migration import moved_to_environment

FIXTURE = Path(__file__).resolve().parent / "e2e" / "fixtures" / "upgrade-v1"
MOVING_TYPES = ("aws_ecs_cluster", "aws_ecs_cluster_capacity_providers", "aws_service_discovery_http_namespace")


def old_stack(name: str) -> dict[str, Any]:
    return json.loads((FIXTURE / "stacks" / name / "cdk.tf.json").read_text())


@pytest.mark.parametrize("service_index", [0, 1])
def test_the_removed_blocks_name_the_cluster_and_namespace_the_earlier_release_wrote(service_index: int) -> None:
    env = load_env_file(FIXTURE / "upgrade.json")
    service = env.services[service_index]
    old = old_stack(f"{env.environment}-{service.service_name}")
    owned = [address for address in addresses(old) if address.split(".")[0] in MOVING_TYPES]
    assert sorted(moved_to_environment(env, service)) == sorted(owned)
    assert owned  # each old stack owned a cluster (and the first its namespace)


def test_the_environment_stack_imports_each_cluster_under_the_name_the_earlier_release_gave_it() -> None:
    from cdktf import Testing

    from constructs_lib.stacks.environment import EnvironmentStack

    data = json.loads((FIXTURE / "upgrade.json").read_text())
    data["environment_resources"] = {"import_existing": True}
    env = validate_env_data(data, "upgrade.json")
    environment = json.loads(Testing.synth(EnvironmentStack(Testing.app(), "test", env=env)))
    old_clusters = sorted(
        cluster["name"]
        for service in env.services
        for cluster in old_stack(f"{env.environment}-{service.service_name}")["resource"]["aws_ecs_cluster"].values()
    )
    imported: dict[str, list[str]] = defaultdict(list)  # resource type -> the ids its import blocks name
    for block in environment["import"]:
        imported[block["to"].split(".")[0]].append(block["id"])
    assert sorted(imported["aws_ecs_cluster"]) == sorted(imported["aws_ecs_cluster_capacity_providers"]) == old_clusters
    namespaces = [
        namespace["name"]
        for namespace in old_stack("upgrade-web")["resource"]["aws_service_discovery_http_namespace"].values()
    ]
    found = environment["data"]["aws_service_discovery_http_namespace"]
    assert [lookup["name"] for lookup in found.values()] == namespaces == ["acme-upgrade.internal"]
    assert imported["aws_service_discovery_http_namespace"] == [
        f"${{data.aws_service_discovery_http_namespace.{address}.id}}" for address in found
    ]
