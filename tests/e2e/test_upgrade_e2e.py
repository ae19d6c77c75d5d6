"""Issue 13's upgrade path: stacks of the release before the environment stack, applied, then upgraded as the README's
one-time sequence says, without destroying or recreating a cluster, a namespace or a running service.

The flow runs in the background of the session on an emulator of its own (conftest.py `upgrade_flow`,
tests/e2e/upgrade_flow.py); these tests join it and check what it recorded: the saved plans (`terraform show -json`),
the re-plans' exit codes and what boto3 saw running after each phase.
"""

from __future__ import annotations

import json

import pytest
import tf

from constructs_lib.config import load_env_file
from constructs_lib.stacks.migration import moved_to_environment

from .harness import REPORT
from .upgrade_flow import ENV_FILE, ENVIRONMENT_STACK, FINAL, OLD, UPGRADED, Change, UpgradeFlow

pytestmark = pytest.mark.e2e

if (MISSING := tf.missing_reason()) is not None:
    REPORT["skipped"] = MISSING
    pytest.skip(f"e2e did not run: {MISSING}", allow_module_level=True)

ENV = load_env_file(ENV_FILE)
IN_PLACE = {("no-op",), ("update",)}
# The web service keeps the release's defaults, which give the app container a read-only root filesystem and a /tmp
# scratch volume since the environment stack's release: its task definition gets a new revision (the only
# replacement, the service rolls to it in place). The api service sets the earlier defaults: nothing replaced.
NEW_REVISION = {"upgrade-web": {"aws_ecs_task_definition.task": ("container_definitions", "volume")}}


def joined(upgrade_flow: UpgradeFlow | None) -> UpgradeFlow:
    """The background flow, finished (each test names `upgrade_flow` itself: conftest.py starts the flow only when
    a collected test asks for it by name)."""
    if upgrade_flow is None:
        pytest.skip("terraform or the provider mirror is missing (the e2e says so)")
    assert upgrade_flow.done.wait(timeout=1500), "the upgrade flow did not finish within 25 minutes"
    REPORT["phases"]["upgrade (own emulator, in the background)"] = sum(upgrade_flow.timings.values())
    assert upgrade_flow.error is None, f"{upgrade_flow.error!r}\n{json.dumps(upgrade_flow.timings)}"
    return upgrade_flow


def show(changes: dict[str, Change]) -> str:
    return "\n".join(f"{address}: {change}" for address, change in changes.items() if change.actions != ("no-op",))


def test_the_environment_stack_imports_the_clusters_and_the_namespace_and_destroys_nothing(
    upgrade_flow: UpgradeFlow | None,
) -> None:
    flow = joined(upgrade_flow)
    plan = flow.plans[ENVIRONMENT_STACK]
    imported = {address: change.actions for address, change in plan.items() if change.importing}
    assert sorted(imported) == [
        "aws_ecs_cluster.cluster_api_cluster",
        "aws_ecs_cluster.cluster_web_cluster",
        "aws_ecs_cluster_capacity_providers.cluster_api_cluster_capacity_providers",
        "aws_ecs_cluster_capacity_providers.cluster_web_cluster_capacity_providers",
        "aws_service_discovery_http_namespace.namespace_acme_upgrade_internal_4fac8a",
    ], show(plan)
    # Adopted with their settings and tags updated in place; everything else is new (key, bucket, web ACL, logs).
    assert set(imported.values()) <= IN_PLACE, show(plan)
    assert {change.actions for address, change in plan.items() if address not in imported} == {("create",)}, show(plan)


@pytest.mark.parametrize("stack", ["upgrade-web", "upgrade-api"])
def test_a_service_stack_forgets_its_cluster_and_namespace_and_destroys_nothing_else(
    upgrade_flow: UpgradeFlow | None, stack: str
) -> None:
    flow = joined(upgrade_flow)
    plan = flow.plans[stack]
    [service] = [s for s in ENV.services if f"{ENV.environment}-{s.service_name}" == stack]
    forgotten = sorted(address for address, change in plan.items() if change.actions == ("forget",))
    assert forgotten == sorted(moved_to_environment(ENV, service)), show(plan)
    assert len(forgotten) == (3 if service.service_connect else 2)
    replaced = {address: change.replace_paths for address, change in plan.items() if "delete" in change.actions}
    assert replaced == NEW_REVISION.get(stack, {}), show(plan)
    assert all(plan[address].actions == ("delete", "create") for address in replaced), show(plan)
    # The running service is updated in place (its new task definition, the environment's key for its logs).
    assert plan["aws_ecs_service.service"].actions in IN_PLACE, show(plan)
    assert not any(change.importing for change in plan.values())


def test_every_stack_replans_clean_after_the_upgrade_and_after_import_existing_is_removed(
    upgrade_flow: UpgradeFlow | None,
) -> None:
    flow = joined(upgrade_flow)
    stacks = sorted([ENVIRONMENT_STACK, "upgrade-api", "upgrade-web"])
    for phase in (UPGRADED, FINAL):
        assert flow.replans[phase] == dict.fromkeys(stacks, 0), json.dumps(flow.replan_output, indent=1)
        assert sorted(flow.synthesized[phase]) == stacks
    # The final synthesis is the README's step 4: no import block left, the removed blocks stay.
    documents = flow.synthesized
    assert "import" in documents[UPGRADED][ENVIRONMENT_STACK]
    assert "import" not in documents[FINAL][ENVIRONMENT_STACK]
    assert documents[FINAL]["upgrade-web"]["removed"] == documents[UPGRADED]["upgrade-web"]["removed"]


def test_the_same_clusters_services_and_namespace_run_throughout(upgrade_flow: UpgradeFlow | None) -> None:
    flow = joined(upgrade_flow)
    old = flow.running[OLD]
    assert {name: status for name, (_, status) in old.clusters.items()} == {
        "acme-upgrade-api-cluster": "ACTIVE",
        "acme-upgrade-web-cluster": "ACTIVE",
    }
    assert {name: status for name, (_, _, status) in old.services.items()} == {
        "acme-upgrade-api": "ACTIVE",
        "acme-upgrade-web": "ACTIVE",
    }
    assert list(old.namespaces) == ["acme-upgrade.internal"]
    # Same ARNs, same creation times, same namespace id: nothing was destroyed and created again.
    assert flow.running[UPGRADED] == old
    assert flow.running[FINAL] == old
