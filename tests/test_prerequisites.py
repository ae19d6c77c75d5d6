"""`prerequisites`: what a workload's stack looks up or references and the user must create first, with the exact
names. The network (VPC and the subnets the stack places something in) always; a web ACL, an access-log bucket and a
log key only when the env file names its own instead of the environment stack's."""

from __future__ import annotations

import json
import re
from typing import Any

from conftest import REPO, read_env
from test_cli import run

from constructs_lib.config import validate_env_data
from constructs_lib.tools.prerequisites import environment_prerequisites, workload_prerequisites

VPC = "vpc-0a1b2c3d4e5f60718"
PRIVATE = ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60712"]
PUBLIC = ["subnet-0a1b2c3d4e5f60721", "subnet-0a1b2c3d4e5f60722"]
ACL = "arn:aws:wafv2:eu-west-1:111111111111:regional/webacl/acme-dev-edge/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"
KEY = "arn:aws:kms:eu-west-1:111111111111:key/3c2b1a09-8f7e-6d5c-4b3a-291807f6e5d4"
STACK = re.compile(r"^(?P<stack>\S+) \(account \d{12}, [a-z0-9-]+\):$")
ITEM = re.compile(r"^  (?P<kind>\S.*?)\s{2,}(?P<name>\S+)$")


def listed(stdout: str) -> dict[str, list[tuple[str, str, str]]]:
    """The CLI's output read back: stack -> (kind, name, why), each item two lines (the why indented under it)."""
    stacks: dict[str, list[tuple[str, str, str]]] = {}
    lines = stdout.splitlines()
    for index, line in enumerate(lines):
        if match := STACK.match(line):
            current = stacks.setdefault(match["stack"], [])
        elif match := ITEM.match(line):
            current.append((match["kind"], match["name"], lines[index + 1].strip()))
    return stacks


def network(tasks: list[str], load_balancer: list[str] | None = None) -> list[tuple[str, str, str]]:
    found = [("VPC", VPC, "holds the security groups and target groups the stack creates")]
    places = {subnet: ["the tasks"] for subnet in tasks}
    for subnet in load_balancer or []:
        places.setdefault(subnet, []).append("the load balancer")
    for subnet, users in places.items():
        kind = "private" if subnet in PRIVATE else "public"
        found.append(("subnet", subnet, f"{kind}, in {VPC}: {' and '.join(users)}"))
    return found


def test_the_cli_lists_the_network_and_the_resources_the_env_file_names():
    """envs/dev.json's docs service names its own web ACL, access-log bucket and log key: all three are listed, with
    the VPC and the subnets of its tasks and its ALB, in the CLI's two-line format."""
    done = run("prerequisites", "envs/dev.json")
    assert done.returncode == 0, done.stderr
    assert listed(done.stdout)["dev-docs"] == [
        ("S3 bucket", "acme-dev-terraform-state", "Terraform state (create it with the bootstrap command)"),
        *network(PRIVATE, PUBLIC),
        ("Route53 hosted zone", "Z1D633PJN98FT9", "zone of dev.acme.io"),
        (
            "ACM certificate",
            "arn:aws:acm:eu-west-1:111111111111:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
            "issued, in the env's region, for the HTTPS listener",
        ),
        ("security group", "acme-dev-docs-alb-cloudfront", f"ALB cloudfront group in {VPC}"),
        ("security group", "acme-dev-docs-alb-private", f"ALB private group in {VPC}"),
        (
            "S3 bucket",
            "acme-dev-access-logs",
            "the load balancer's access logs: SSE-S3, its policy lets the region's ELB log delivery write",
        ),
        ("WAF web ACL", ACL, "regional, associated with the ALB"),
        ("KMS key", KEY, "the log groups' key: its policy lets CloudWatch Logs of this account and region use it"),
    ]
    assert f"  {'VPC':<24} {VPC}\n  {'':<24} holds the security groups" in done.stdout


def plain_env(**service: Any) -> dict[str, Any]:
    """envs/dev.json's docs service with the environment stack's key, bucket and web ACL instead of its own, a worker
    and a scheduled task."""
    data = read_env("dev")
    del data["kms_key_arn"]
    docs = data["services"][1]
    for key in ("waf_web_acl_arn", "alb_access_logs"):
        docs.pop(key)
    data["services"] = [{**docs, **service}]
    workload = {"cluster_name": "jobs", "container_repo": "busybox:1.36", "parameters": {}}
    data["workers"] = [{**workload, "service_name": "worker", "assign_public_ip": True}]
    data["scheduled_tasks"] = [{**workload, "service_name": "report", "schedule": "rate(1 day)"}]
    return data


def items(env: Any, workload: Any) -> list[tuple[str, str, str]]:
    return [(p.kind, p.name, p.why) for p in workload_prerequisites(env, workload)]


def test_what_the_environment_stack_provides_is_not_listed_and_subnets_follow_placement():
    env = validate_env_data(plain_env(internal=True), "envs/dev.json")
    [docs], [worker], [report] = env.services, env.workers, env.scheduled_tasks
    found = items(env, docs)
    assert {kind for kind, _, _ in found} >= {"VPC", "subnet"}
    assert not {"WAF web ACL", "KMS key"} & {kind for kind, _, _ in found}
    assert [name for kind, name, _ in found if kind == "S3 bucket"] == ["acme-dev-terraform-state"]
    # An internal ALB sits in the private subnets beside the tasks.
    assert [i for i in found if i[0] in ("VPC", "subnet")] == [
        network([])[0],
        ("subnet", PRIVATE[0], f"private, in {VPC}: the tasks and the load balancer"),
        ("subnet", PRIVATE[1], f"private, in {VPC}: the tasks and the load balancer"),
    ]
    # A worker with public IPs runs in the public subnets; a scheduled task always in the private ones.
    assert [i for i in items(env, worker) if i[0] in ("VPC", "subnet")] == network(PUBLIC)
    assert [i for i in items(env, report) if i[0] in ("VPC", "subnet")] == network(PRIVATE)


def test_a_service_on_a_shared_alb_lists_no_load_balancer_of_its_own():
    listener = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener/app/acme-dev-shared/0123/4567"
    shared = {
        "shared_alb": {"listener_arn": listener, "security_group_id": "sg-0a1b2c3d4e5f60718"},
        "listener_rules": [{"priority": 10, "path_patterns": ["/docs/*"]}],
    }
    env = validate_env_data(plain_env(**shared) | {"trusted_listener_arns": [listener]}, "envs/dev.json")
    found = items(env, env.services[0])
    assert [i for i in found if i[0] in ("VPC", "subnet")] == network(PRIVATE)
    assert "WAF web ACL" not in {kind for kind, _, _ in found}
    # no listener of its own: its certificate is added to the shared one, for its host name
    assert [why for kind, _, why in found if kind == "ACM certificate"] == [
        "issued, in the env's region, for the shared ALB's HTTPS listener, for the service's host name"
    ]


def test_the_cluster_of_a_worker_or_task_says_who_creates_it():
    """The environment stack's by default; with environment_resources.clusters off, the stack of a service of the
    same cluster_name, or else the user."""
    data = plain_env()
    data["scheduled_tasks"][0]["cluster_name"] = data["services"][0]["cluster_name"]
    env = validate_env_data(data, "envs/dev.json")
    clusters = {w.service_name: [i for i in items(env, w) if i[0] == "ECS cluster"] for w in env.workloads[1:]}
    assert clusters == {
        "worker": [("ECS cluster", "acme-dev-jobs", "the environment stack's cluster the tasks run in")],
        "report": [("ECS cluster", "acme-dev-docs-cluster", "the environment stack's cluster the tasks run in")],
    }
    env = validate_env_data(data | {"environment_resources": {"clusters": False}}, "envs/dev.json")
    clusters = {w.service_name: [i for i in items(env, w) if i[0] == "ECS cluster"] for w in env.workloads[1:]}
    assert clusters == {
        "worker": [
            (
                "ECS cluster",
                "acme-dev-jobs",
                "an existing cluster the tasks run in: environment_resources.clusters is false and no service "
                "creates it",
            )
        ],
        "report": [
            (
                "ECS cluster",
                "acme-dev-docs-cluster",
                "created by the stack dev-docs (environment_resources.clusters is false)",
            )
        ],
    }


def test_the_environment_stack_is_listed_first_with_what_its_albs_need():
    """The environment stack applies first: its state bucket, where its ALB log bucket logs, and for an ALB of
    environment_resources.load_balancers the network it sits in and the certificate it serves."""
    done = run("prerequisites", "tests/fixtures/shared-alb.json")
    assert done.returncode == 0, done.stderr
    stacks = listed(done.stdout)
    assert next(iter(stacks)) == "shared-environment"
    fixture = json.loads((REPO / "tests" / "fixtures" / "shared-alb.json").read_text())
    [edge] = fixture["environment_resources"]["load_balancers"]
    assert stacks["shared-environment"] == [
        ("S3 bucket", fixture["state"]["bucket"], "Terraform state (create it with the bootstrap command)"),
        ("S3 bucket", fixture["state"]["access_log_bucket"], "server access logs of the ALB log bucket"),
        ("VPC", VPC, "holds the environment's ALBs and their security groups"),
        *[("subnet", subnet, f"public, in {VPC}: the ALBs") for subnet in PUBLIC],
        (
            "ACM certificate",
            edge["certificate_arn"],
            f"issued, in the env's region, for the HTTPS listener of the ALB {edge['name']!r}",
        ),
    ]


def test_an_environment_without_albs_needs_only_its_state_bucket():
    data = plain_env()
    data["state"].pop("access_log_bucket", None)
    found = environment_prerequisites(validate_env_data(data, "envs/dev.json"))
    assert [(item.kind, item.name) for item in found] == [("S3 bucket", data["state"]["bucket"])]
