"""Stacks are isolated and deterministic: adding a service leaves the other services' stacks byte-identical,
and the same config always gives the same bytes."""

from __future__ import annotations

import copy

from conftest import read_env

from constructs_lib.cli.synth import synthesize
from constructs_lib.config import validate_env_data


def stack_bytes(data, outdir):
    synthesize([validate_env_data(copy.deepcopy(data), "dev.json")], outdir)
    return {p.parent.name: p.read_bytes() for p in outdir.glob("stacks/*/cdk.tf.json")}


def test_adding_a_service_leaves_the_other_stacks_byte_identical(tmp_path):
    data = read_env("dev")
    before = stack_bytes(data, tmp_path / "before")
    extra = copy.deepcopy(data["services"][1])
    extra.update(service_name="billing", alb_name="billing-alb", cluster_name="billing-cluster", alb_domain_prefix="billing")
    data["services"].insert(0, extra)
    after = stack_bytes(data, tmp_path / "after")
    assert sorted(after) == ["dev-app-service", "dev-billing", "dev-docs", "dev-environment"]
    services = [name for name in before if name != "dev-environment"]
    assert {name: after[name] for name in services} == {name: before[name] for name in services}
    assert b"acme-dev-billing-cluster" in after["dev-environment"]  # its new cluster is the environment's


def test_same_config_gives_the_same_bytes(tmp_path):
    data = read_env("prod")
    assert stack_bytes(data, tmp_path / "one") == stack_bytes(data, tmp_path / "two")
