"""The plan-safety guard sees every change that would make Terraform destroy, replace or orphan what the user has.

The issue's cases run through the CLI as a user runs it, in two guard runs shared by the module: one records the
lock of four env files, one checks their changed copies (each env file carries one kind of change):
- staging: a switch to `deployment_ownership: "codedeploy"` (reports), a `capacity_provider_strategy` change
  (docs), a Service Connect namespace rename (app-service);
- dev: a new `state.bucket`, and the `docs` service renamed `manuals`;
- prod: a new `state.key_prefix`;
- qa (tests/fixtures): a new `region`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ENVS, REPO
from test_cli import Run, assert_no_traceback, run

from constructs_lib.cli.main import main
from constructs_lib.tools.guard import findings

SOURCES = {"staging": ENVS / "staging.json", "dev": ENVS / "dev.json", "prod": ENVS / "prod.json",
           "qa": REPO / "tests" / "fixtures" / "qa-created-groups.json"}


def write_env(path, data):
    path.write_text(json.dumps(data))
    return str(path)


def changed(name: str, data: dict) -> dict:
    """Each env file's one kind of change (see the module docstring)."""
    services = {service["service_name"]: service for service in data["services"]}
    if name == "staging":
        services["reports"]["deployment_ownership"] = "codedeploy"
        services["docs"]["capacity_provider_strategy"][0]["weight"] = 2
        services["app-service"]["service_connect"]["namespace"] = "acme-staging-mesh"
    elif name == "dev":
        data["state"]["bucket"] = "acme-dev-terraform-state-2"
        services["docs"]["service_name"] = "manuals"
    elif name == "prod":
        data["state"]["key_prefix"] = "platform"
    else:  # the env moves region with its ARNs (the validator keeps them in the env's region); its state stays
        state = data.pop("state")
        data = json.loads(json.dumps(data).replace(":eu-west-1:", ":eu-central-1:"))
        data.update(region="eu-central-1", state=state)
    return data


@pytest.fixture(scope="module")
def guarded(tmp_path_factory) -> tuple[Run, Run, Path]:
    """(the recording run, the checking run of the changed copies, the lock)."""
    folder = tmp_path_factory.mktemp("guard")
    lock = folder / "stacks.lock.json"
    originals = [write_env(folder / f"{name}.json", json.loads(path.read_text())) for name, path in SOURCES.items()]
    recorded = run("guard", *originals, "--lock", str(lock))
    for name, path in SOURCES.items():
        write_env(folder / f"{name}.json", changed(name, json.loads(path.read_text())))
    checked = run("guard", *originals, "--lock", str(lock))
    return recorded, checked, lock


@pytest.fixture(scope="module")
def report(guarded) -> str:
    recorded, checked, _ = guarded
    assert recorded.returncode == 0, recorded.stderr
    assert checked.returncode == 3, checked.stdout + checked.stderr
    assert_no_traceback(checked)
    return checked.stderr


def test_the_lock_records_each_stacks_state_location_region_and_replacement_values(guarded):
    lock = json.loads(guarded[2].read_text())
    assert lock["version"] == 2 and lock["force_new"].startswith("registry.terraform.io/hashicorp/aws 5.100.0 (")
    stack = lock["stacks"]["staging-reports"]
    assert stack["state"] == {"bucket": "acme-staging-terraform-state", "key": "ecs/staging/reports/terraform.tfstate",
                              "region": "eu-west-1"}
    assert stack["region"] == "eu-west-1"
    assert stack["resources"]["aws_ecs_service.service"]["capacity_provider_strategy.*.weight"] == [1, 3]
    assert stack["resources"]["aws_ecs_task_definition.task"] == {}  # a new revision is how a deployment rolls


def test_a_switch_to_codedeploy_is_a_replacement(report):
    assert ('staging-reports: aws_ecs_service.service: deployment_controller.*.type (unset) -> ["CODE_DEPLOY"] '
            "forces a replacement (destroy and recreate)") in report


def test_a_capacity_provider_strategy_change_is_a_replacement(report):
    assert ("staging-docs: aws_ecs_service.service: capacity_provider_strategy.*.weight [1] -> [2] forces a "
            "replacement (destroy and recreate)") in report


def test_a_service_connect_namespace_rename_is_a_replacement(report):
    """The environment stack owns the namespace, at an address of its name: the old one is destroyed."""
    assert ("staging-environment: aws_service_discovery_http_namespace.namespace_acme_staging: removed: Terraform "
            "will destroy it") in report


def test_a_new_state_bucket_is_a_new_empty_state(report):
    assert ("dev-app-service: state location s3://acme-dev-terraform-state/ecs/dev/app-service/terraform.tfstate "
            "(eu-west-1) -> s3://acme-dev-terraform-state-2/ecs/dev/app-service/terraform.tfstate (eu-west-1): a "
            "new, empty state: Terraform would create everything again (20 resources) and the old state's 20 "
            "resources would be orphaned") in report
    assert "dev-app-service: aws_" not in report  # the whole stack is reported once, not resource by resource


def test_a_new_state_key_prefix_is_a_new_empty_state(report):
    for stack in ("app-service", "docs"):
        assert (f"prod-{stack}: state location s3://acme-prod-terraform-state/ecs/prod/{stack}/terraform.tfstate "
                f"(eu-west-1) -> s3://acme-prod-terraform-state/platform/prod/{stack}/terraform.tfstate (eu-west-1): "
                "a new, empty state") in report


def test_a_new_region_is_reported_for_every_stack_of_the_env(report):
    for stack in ("qa-app-service", "qa-docs"):
        line = next(line for line in report.splitlines() if line.startswith(f"{stack}: "))
        assert "eu-west-1" in line and "eu-central-1" in line and "orphaned" in line, line


def test_a_renamed_service_is_reported_as_a_rename_saying_what_terraform_and_ci_do(report):
    assert ("dev-docs -> dev-manuals: a renamed service, or one removed and another added (the two hold nearly "
            "the same addresses): dev-manuals starts on a new, empty state "
            "(s3://acme-dev-terraform-state-2/ecs/dev/manuals/terraform.tfstate (eu-west-1)), so Terraform plans to "
            "create all 18 resources (any whose AWS name did not change collides with the live one), and CI "
            "no longer plans dev-docs: its 18 resources stay in AWS, orphaned in "
            "s3://acme-dev-terraform-state/ecs/dev/docs/terraform.tfstate (eu-west-1).") in report
    assert "dev-docs: the stack is gone" not in report


def test_the_summary_counts_every_finding_and_the_lock_is_untouched(guarded, report):
    _, checked, lock = guarded
    lines = report.strip().splitlines()
    assert lines[-1] == f"{len(lines) - 1} destructive changes found; if intended, run with --update and say why in review"
    assert json.loads(lock.read_text())["stacks"]["dev-docs"]  # a failing guard never rewrites the lock


def test_guard_records_then_catches_a_renamed_alb_until_updated(tmp_path, capsys):
    data = json.loads((ENVS / "prod.json").read_text())
    env_file = write_env(tmp_path / "prod.json", data)
    lock = str(tmp_path / "stacks.lock.json")

    assert main(["guard", env_file, "--lock", lock]) == 0
    recorded = json.loads((tmp_path / "stacks.lock.json").read_text())
    # subnets: the provider replaces a network load balancer whose subnets are removed (force_new.json is per type)
    assert recorded["stacks"]["prod-app-service"]["resources"]["aws_lb.alb"] == {
        "internal": False, "load_balancer_type": "application", "name": "acme-prod-app-alb",
        "subnets": ["subnet-0b1c2d3e4f5a60821", "subnet-0b1c2d3e4f5a60822", "subnet-0b1c2d3e4f5a60823"],
    }
    capsys.readouterr()

    data["services"][0]["alb_name"] = "api-alb"
    data["services"].pop(1)
    write_env(tmp_path / "prod.json", data)
    assert main(["guard", env_file, "--lock", lock]) == 3
    err = capsys.readouterr().err
    assert 'prod-app-service: aws_lb.alb: name "acme-prod-app-alb" -> "acme-prod-api-alb" forces a replacement' in err
    for listener in ("alb_http_redirect", "alb_https"):  # what refers to the ALB at a replacement path goes with it
        assert (f"prod-app-service: aws_lb_listener.{listener}: replaced too: its load_balancer_arn refers to aws_lb.alb, "
                "which is replaced") in err
    assert ("prod-app-service: aws_wafv2_web_acl_association.alb_waf: replaced too: its resource_arn refers to "
            "aws_lb.alb, which is replaced") in err
    assert ("prod-docs: the stack is gone: CI no longer plans or applies it, so its 18 resources stay in AWS, orphaned "
            "in s3://acme-prod-terraform-state/ecs/prod/docs/terraform.tfstate (eu-west-1)") in err

    assert main(["guard", env_file, "--lock", lock, "--update"]) == 0
    assert main(["guard", env_file, "--lock", lock]) == 0


def _stack(resources, bucket="b", key="k", region="eu-west-1"):
    return {"state": {"bucket": bucket, "key": key, "region": "eu-west-1"}, "region": region, "resources": resources}


def test_ignored_changes_and_in_place_updates_are_not_findings():
    before = _stack({"aws_ecs_service.service": {"name": "a", "lifecycle.ignore_changes": ["task_definition"]},
                     "aws_lb_listener.alb_https": {"load_balancer_arn": "${aws_lb.alb.arn}"}})
    after = _stack({"aws_ecs_service.service": {"name": "a", "lifecycle.ignore_changes": ["task_definition"]},
                    "aws_lb_listener.alb_https": {"load_balancer_arn": "${aws_lb.alb.arn}"}})
    assert findings({"s": before}, {"s": after}) == []
    after["resources"]["aws_ecs_service.service"]["name"] = "b"
    assert findings({"s": before}, {"s": after}) == [
        's: aws_ecs_service.service: name "a" -> "b" forces a replacement (destroy and recreate)'
    ]
    after["resources"]["aws_ecs_service.service"]["lifecycle.ignore_changes"] = ["name"]
    assert findings({"s": before}, {"s": after}) == []


def test_a_lock_of_other_data_is_compared_on_the_values_it_holds():
    before = _stack({"aws_ecs_service.service": {"name": "a"}})
    after = _stack({"aws_ecs_service.service": {"name": "a", "deployment_controller.*.type": ["CODE_DEPLOY"]}})
    assert findings({"s": before}, {"s": after}, same_data=False) == []
    assert len(findings({"s": before}, {"s": after})) == 1


def test_a_type_never_planned_is_watched_whole_and_its_changes_are_unknown():
    before = _stack({"aws_sqs_queue.q": {"name": "a", "delay_seconds": 0}})
    after = _stack({"aws_sqs_queue.q": {"name": "a", "delay_seconds": 5}})
    assert findings({"s": before}, {"s": after}) == [
        "s: aws_sqs_queue.q: delay_seconds 0 -> 5: whether this replaces it could not be planned offline "
        "(force_new.json says unknown): treated as a replacement"
    ]


def test_what_refers_to_a_replaced_resources_new_id_is_replaced_with_it_but_not_to_an_unchanged_name():
    service = {"name": "svc", "cluster": "c"}
    before = _stack({"aws_ecs_service.service": service,
                     "aws_appautoscaling_target.autoscaling": {"resource_id": "service/c/${aws_ecs_service.service.name}"},
                     "aws_appautoscaling_policy.cpu": {"resource_id": "${aws_appautoscaling_target.autoscaling.id}"}})
    after = json.loads(json.dumps(before))
    after["resources"]["aws_ecs_service.service"]["deployment_controller.*.type"] = ["CODE_DEPLOY"]
    assert findings({"s": before}, {"s": after}) == [
        's: aws_ecs_service.service: deployment_controller.*.type (unset) -> ["CODE_DEPLOY"] forces a replacement '
        "(destroy and recreate)"
    ]
    after["resources"]["aws_ecs_service.service"]["name"] = "svc2"
    assert findings({"s": before}, {"s": after})[-2:] == [
        "s: aws_appautoscaling_target.autoscaling: replaced too: its resource_id refers to aws_ecs_service.service, "
        "which is replaced",
        "s: aws_appautoscaling_policy.cpu: replaced too: its resource_id refers to "
        "aws_appautoscaling_target.autoscaling, which is replaced",
    ]


# aws_lb.subnets: force_new.json says replace (the generator planned it so); the provider replaces only a network
# load balancer that loses or swaps a subnet (customizeDiffLoadBalancerNLB), and moves an ALB in place.
ALB_SUBNETS, ALB_SUBNETS_SWAPPED = ["subnet-0a1b2c3d4e5f60721", "subnet-0a1b2c3d4e5f60722"], [
    "subnet-0a1b2c3d4e5f60721", "subnet-0a1b2c3d4e5f60723"]


def _lb_fingerprints(data: dict, index: int, subnet_lists: list[list[str]]) -> list[dict]:
    """The service stack of `data`'s service `index`, synthesized with each list as the public subnets."""
    from conftest import synth_service

    from constructs_lib.tools.guard import fingerprint

    stacks = []
    for subnets in subnet_lists:
        copy = json.loads(json.dumps(data))
        copy["network"]["public_subnet_ids"] = subnets
        stacks.append(fingerprint(synth_service(copy, index)))
    return stacks


def test_an_alb_moves_to_other_subnets_in_place():
    data = json.loads((ENVS / "dev.json").read_text())
    before, after = _lb_fingerprints(data, 1, [ALB_SUBNETS, ALB_SUBNETS_SWAPPED])
    [alb] = [values for address, values in after["resources"].items() if address.startswith("aws_lb.")]
    assert (alb["load_balancer_type"], alb["subnets"]) == ("application", ALB_SUBNETS_SWAPPED)
    assert findings({"s": before}, {"s": after}) == []


def test_an_nlb_losing_or_swapping_a_subnet_is_replaced_and_gaining_one_is_not():
    data = json.loads((REPO / "tests" / "fixtures" / "lab-nlb.json").read_text())
    grown = [*ALB_SUBNETS, "subnet-0a1b2c3d4e5f60723"]
    two, swapped, three = _lb_fingerprints(data, 0, [ALB_SUBNETS, ALB_SUBNETS_SWAPPED, grown])
    [(address, nlb)] = [(a, v) for a, v in two["resources"].items() if a.startswith("aws_lb.")]
    assert nlb["load_balancer_type"] == "network"
    for before, after in ((two, swapped), (three, two)):
        found = findings({"s": before}, {"s": after})
        was, now = (json.dumps(s["resources"][address]["subnets"], separators=(", ", ": ")) for s in (before, after))
        assert found[0] == f"s: {address}: subnets {was} -> {now} forces a replacement (destroy and recreate)"
        assert found[1:] and all("replaced too" in line for line in found[1:])  # its listener, what refers to its id
    assert findings({"s": two}, {"s": three}) == []


def test_a_load_balancer_changing_type_is_replaced_whatever_its_subnets():
    before = _stack({"aws_lb.lb": {"load_balancer_type": "application", "name": "x", "subnets": ["a", "b"]}})
    after = _stack({"aws_lb.lb": {"load_balancer_type": "network", "name": "x", "subnets": ["a", "b", "c"]}})
    assert findings({"s": before}, {"s": after}) == [
        's: aws_lb.lb: load_balancer_type "application" -> "network" forces a replacement (destroy and recreate)',
        's: aws_lb.lb: subnets ["a", "b"] -> ["a", "b", "c"] forces a replacement (destroy and recreate)',
    ]
    unset = _stack({"aws_lb.lb": {"name": "x", "subnets": ["a", "b"]}})  # the provider's default: application
    assert findings({"s": unset}, {"s": _stack({"aws_lb.lb": {"name": "x", "subnets": ["b", "c"]}})}) == []
