"""Apply order and CI batches (tools/apply_order.py): pure, no synthesis."""

from __future__ import annotations

import pytest

from constructs_lib.tools.apply_order import StackInfo, apply_order, batches, matrix


def stack(name: str, environment: str, account: str = "1", region: str = "eu-west-1") -> StackInfo:
    return StackInfo(name, environment, account, region)


def test_bootstrap_first_then_each_environment_its_environment_stack_first():
    given = [
        stack("prod-api", "prod"), stack("dev-web", "dev"), stack("dev-environment", "dev"),
        stack("bootstrap-prod", "prod"), stack("staging-api", "staging"), stack("prod-environment", "prod"),
        stack("dev-api", "dev"), stack("bootstrap-dev", "dev"),
    ]
    ordered = [s.name for s in apply_order(given, ["dev", "staging", "prod"])]
    assert ordered == [
        "bootstrap-dev", "bootstrap-prod",
        "dev-environment", "dev-web", "dev-api",
        "staging-api",
        "prod-environment", "prod-api",
    ]
    prod_first = ["bootstrap-prod", "bootstrap-dev", "prod-environment", "prod-api"]
    assert [s.name for s in apply_order(given, ["prod"])][:4] == prod_first
    assert [s.name for s in apply_order(given)][2:5] == ["dev-environment", "dev-web", "dev-api"]  # alphabetical


def test_a_service_named_like_a_phase_in_another_environment_is_a_service():
    assert stack("dev-environment", "prod").phase == "service"
    assert stack("bootstrap-dev", "prod").phase == "service"


def test_600_stacks_fit_the_matrix_in_even_batches_of_one_environment_each():
    accounts = {"dev": "1", "staging": "2", "prod": "3"}
    stacks = [stack(f"{env}-app{i:03d}", env, account) for env, account in accounts.items() for i in range(200)]
    found = batches(apply_order(stacks, ["dev", "staging", "prod"]))
    assert len(found) <= 256
    assert {len(b.stacks) for b in found} == {3, 2}  # 200 = 66 x 3 + 2 per environment
    assert [name for b in found for name in b.stacks] == [s.name for s in stacks]
    assert all(name.startswith(f"{b.environment}-") for b in found for name in b.stacks)
    assert len(batches(stacks[:256])) == 256 and len(batches(stacks[:257])) == 129


def test_matrix_entries_and_too_many_groups():
    entries = matrix([stack("dev-a", "dev"), stack("dev-b", "dev")])["include"]
    assert entries == [
        {"batch": "001-dev-service", "environment": "dev", "phase": "service", "account_id": "1",
         "region": "eu-west-1", "stacks": "dev-a"},
        {"batch": "002-dev-service", "environment": "dev", "phase": "service", "account_id": "1",
         "region": "eu-west-1", "stacks": "dev-b"},
    ]
    assert matrix([]) == {"include": []}
    with pytest.raises(ValueError, match="3 environment/account/region groups need more than 2 jobs"):
        batches([stack("a-x", "a"), stack("b-x", "b"), stack("c-x", "c")], limit=2)
