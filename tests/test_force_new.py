"""data/force_new.json cannot drift silently: a few types are planned again against the real provider (5.100.0,
from the local mirror) and must match the committed data, and every attribute path the library sets in the shipped
env files and fixtures has an entry (replace, update or unknown)."""

from __future__ import annotations

import importlib.util
import sys

import pytest
import tf
from conftest import REPO

from constructs_lib.tools.force_new import data

_spec = importlib.util.spec_from_file_location("force_new_script", REPO / "scripts" / "force_new.py")
script = importlib.util.module_from_spec(_spec)
sys.modules["force_new_script"] = script
_spec.loader.exec_module(script)

SPOT_CHECKED = ("aws_ecs_service", "aws_service_discovery_http_namespace", "aws_lb", "aws_route53_record")


@pytest.fixture(scope="module")
def planned(tmp_path_factory) -> tuple[dict, dict, dict]:
    """(the library's resource bodies by type, the provider's schemas, the statuses planned now for SPOT_CHECKED)."""
    tf.require_terraform("the force_new.json spot check")
    folder = tmp_path_factory.mktemp("force_new")
    bodies = script.corpus(folder / "out")
    workdir = folder / "plan"
    workdir.mkdir()
    schemas = script.workspace(workdir)
    return bodies, schemas, script.derive({k: bodies[k] for k in SPOT_CHECKED}, workdir, schemas)


def test_the_data_records_the_provider_the_tests_plan_with():
    assert data()["provider"] == f"registry.terraform.io/hashicorp/aws {script.PROVIDER_VERSION}"
    assert script.PROVIDER_VERSION == "5.100.0"
    mirror = tf.plugin_dir()
    if mirror is not None:
        assert (mirror / "registry.terraform.io" / "hashicorp" / "aws" / script.PROVIDER_VERSION).is_dir()


def test_a_fresh_plan_of_the_spot_checked_types_matches_the_committed_data(planned):
    _, _, statuses = planned
    for kind in SPOT_CHECKED:
        committed = {path: status for status, paths in data()["resources"][kind].items() for path in paths}
        assert statuses[kind] == committed, kind
    service = data()["resources"]["aws_ecs_service"]
    assert {"deployment_controller.*.type", "capacity_provider_strategy.*.weight", "name"} <= set(service["replace"])
    assert {"desired_count", "service_connect_configuration.*.namespace"} <= set(service["update"])


def test_every_path_the_library_sets_has_an_entry(planned):
    bodies, schemas, _ = planned
    missing = set()
    for kind, items in bodies.items():
        entry = data()["resources"].get(kind)
        known = set() if entry is None else {p for paths in entry.values() for p in paths}
        for body in items:
            state = script.shaped(schemas[kind]["block"], script.unescape(body))
            missing |= {f"{kind}: {script.general(path)}" for path, _ in script.leaves(state)} - {
                f"{kind}: {path}" for path in known}
    assert not missing, "run scripts/force_new.py and review the diff: " + ", ".join(sorted(missing))
