"""What AWS or Terraform would reject later is rejected by `validate`, with the exact message, both ways: as an env
file through the loader, and as models built in Python (`EnvConfig(...)` holding `ServiceConfig(...)` holding
`AutoscalingConfig(...)` ...), which run the same rules. File-level checks (special files, size, numbers JSON
allows but Terraform does not, `extends` outside the folder) and names two files would share go through the
loader and the CLI as a user runs it: exit 2, every problem, nothing written.

Config layer only: no cdktf, fast. Expected names are derived here (sha256, the naming rule of the README), not
read from the product.
"""

from __future__ import annotations

import hashlib
import typing
from collections.abc import Callable
from typing import Any

import pytest
from conftest import drop_own_alb_keys, read_env
from fuzz_strategies import _unwrap
from pydantic import BaseModel, ValidationError

from constructs_lib.config import ConfigError, EnvConfig, validate_env_data
from constructs_lib.config.errors import location

SOURCE = "envs/x.json"
CERTIFICATE = "arn:aws:acm:{region}:111111111111:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
# The ALB services[0] of dev creates (acme-dev-app-alb), as a shared_alb listener must be unless it is trusted.
LISTENER = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener/app/acme-dev-app-alb/50dc6c495c0c9188/f2f7dc8efc522ab2"
CIDR_ALLOWED = "allowed: e.g. 10.0.0.0/16"
SCHEDULES_ALLOWED = (
    "allowed: cron(minutes hours day-of-month month day-of-week year), rate(<n> minute(s)|hour(s)|day(s)) "
    "or at(yyyy-mm-ddThh:mm:ss)"
)
UNIQUE = "each service needs its own"


def fit(name: str, limit: int) -> str:
    """The README's rule: a name over the limit keeps its start and ends in 6 hex digits of its SHA-256."""
    if len(name) <= limit:
        return name
    return f"{name[: limit - 7].rstrip('-_./')}-{hashlib.sha256(name.encode()).hexdigest()[:6]}"


def svc(data: dict[str, Any], index: int = 0) -> dict[str, Any]:
    return data["services"][index]


def on_shared_alb(service: dict[str, Any], *rules: dict[str, Any]) -> None:
    drop_own_alb_keys(service)
    service["shared_alb"] = {"listener_arn": LISTENER, "security_group_id": "sg-0a1b2c3d4e5f60718"}
    service["listener_rules"] = list(rules)


def autoscaling(**changes: Any) -> dict[str, Any]:
    return {"min_capacity": 1, "max_capacity": 4, "cpu_target_percent": 60, **changes}


def schedule(**changes: Any) -> dict[str, Any]:
    return {"name": "night", "cron": "cron(0 20 ? * MON-FRI *)", "min_capacity": 1, "max_capacity": 2, **changes}


def truncated_twin(data: dict[str, Any]) -> None:
    """services[1]'s alb_name is services[0]'s ALB name as cut to 32 characters: the two ALBs would be one."""
    svc(data)["alb_name"] = "a-very-long-application-load-balancer-name"
    svc(data, 1)["alb_name"] = fit("acme-dev-a-very-long-application-load-balancer-name", 32)[len("acme-dev-"):]


LONG_ALB = fit("acme-dev-a-very-long-application-load-balancer-name", 32)

# name: (change to envs/dev.json, the problems without the file name). Each is a rule of issue #11 section 4,
# or a cross-field rule a Python-built model used to skip (section 3).
CASES: dict[str, tuple[Callable[[dict[str, Any]], None], list[str]]] = {
    "duplicate service names": (
        lambda d: svc(d, 1).update(service_name="app-service"),
        [f"services[1].service_name: 'app-service' is already used by services[0]; {UNIQUE}"],
    ),
    "desired_count outside the autoscaling range": (
        lambda d: svc(d).update(desired_count=9, autoscaling=autoscaling()),
        ["services[0].desired_count: 9 is outside autoscaling 1-4; allowed: 1-4"],
    ),
    "a production policy error": (
        lambda d: (d.update(environment="prod", policy={"deletion_protection": "error"}), svc(d).update(deletion_protection=False)),
        ["services[0].deletion_protection: error: deletion protection is off on a production ALB (policy.deletion_protection)"],
    ),
    "duplicate listener priorities in a service": (
        lambda d: on_shared_alb(svc(d, 1), {"priority": 10, "path_patterns": ["/a/*"]}, {"priority": 10, "path_patterns": ["/b/*"]}),
        ["services[1].listener_rules[1].priority: 10 is already the priority of listener_rules[0]; each must be unique"],
    ),
    "duplicate listener priorities on one shared listener": (
        # both services on it, so neither creates the ALB: the listener is listed as trusted
        lambda d: (on_shared_alb(svc(d), {"priority": 7, "host_headers": ["a.example.com"]}),
                   on_shared_alb(svc(d, 1), {"priority": 7, "path_patterns": ["/docs/*"]}),
                   d.update(trusted_listener_arns=[LISTENER])),
        ["services[1].listener_rules[0].priority: 7 is already the priority of services[0].listener_rules[0] on the same "
         "shared_alb listener; each must be unique"],
    ),
    "an empty listener path": (
        lambda d: on_shared_alb(svc(d, 1), {"priority": 1, "path_patterns": [""]}),
        ['services[1].listener_rules[0].path_patterns[0]: "" (0 characters) is not a listener rule condition value; '
         "allowed: 1-128 characters"],
    ),
    "a listener path over 128 characters": (
        lambda d: on_shared_alb(svc(d, 1), {"priority": 1, "path_patterns": ["/" + "a" * 128]}),
        [f'services[1].listener_rules[0].path_patterns[0]: "/{"a" * 55}... (129 characters) is not a listener rule '
         "condition value; allowed: 1-128 characters"],
    ),
    "a CIDR with host bits": (
        lambda d: svc(d).update(alb_ingress_cidrs=["10.1.2.3/8"]),
        ['services[0].alb_ingress_cidrs[0]: "10.1.2.3/8" has host bits set; allowed: its network 10.0.0.0/8'],
    ),
    "a CIDR with an octet over 255": (
        lambda d: svc(d).update(alb_ingress_cidrs=["999.1.1.1/8"]),
        [f'services[0].alb_ingress_cidrs[0]: "999.1.1.1/8" is not an IPv4 CIDR block; {CIDR_ALLOWED}'],
    ),
    "a CIDR prefix over 32": (
        lambda d: svc(d).update(alb_ingress_cidrs=["10.0.0.0/40"]),
        [f'services[0].alb_ingress_cidrs[0]: "10.0.0.0/40" is not an IPv4 CIDR block; {CIDR_ALLOWED}'],
    ),
    "an autoscaling maximum over ECS's 5000 tasks": (
        lambda d: svc(d).update(autoscaling=autoscaling(max_capacity=5001)),
        ["services[0].autoscaling.max_capacity: 5001 is not a maximum task count of an ECS service; allowed: 1-5000"],
    ),
    "a schedule capacity over 5000": (
        lambda d: svc(d).update(autoscaling=autoscaling(schedules=[schedule(max_capacity=6000)])),
        ["services[0].autoscaling.schedules[0].max_capacity: 6000 is not a task count of an ECS service; allowed: 0-5000"],
    ),
    "a cron hour of 25": (
        lambda d: svc(d).update(autoscaling=autoscaling(schedules=[schedule(cron="cron(0 25 ? * MON-FRI *)")])),
        ['services[0].autoscaling.schedules[0].cron: "cron(0 25 ? * MON-FRI *)" is not an Application Auto Scaling '
         f"schedule (hours: '25' is not 0-23); {SCHEDULES_ALLOWED}"],
    ),
    "a cron with both day fields": (
        lambda d: svc(d).update(autoscaling=autoscaling(schedules=[schedule(cron="cron(0 7 * * MON *)")])),
        ['services[0].autoscaling.schedules[0].cron: "cron(0 7 * * MON *)" is not an Application Auto Scaling '
         f"schedule (exactly one of day-of-month and day-of-week must be ?); {SCHEDULES_ALLOWED}"],
    ),
    "a rate of 1 hours": (
        lambda d: svc(d).update(autoscaling=autoscaling(schedules=[schedule(cron="rate(1 hours)")])),
        ['services[0].autoscaling.schedules[0].cron: "rate(1 hours)" is not an Application Auto Scaling '
         f"schedule (write 1 hour); {SCHEDULES_ALLOWED}"],
    ),
    "a tag key with the aws: prefix": (
        lambda d: d["tags"].update({"aws:owner": "platform"}),
        ['tags["aws:owner"]: the key starts with \'aws:\', which AWS reserves for its own tags'],
    ),
    "a tag value over 256 characters": (
        lambda d: d["tags"].update(owner="x" * 257),
        [f'tags.owner: "{"x" * 56}... is not a tag value; allowed: 0-256 letters, digits, spaces and _.:/=+-@'],
    ),
    "more than 50 tags with the stacks' own": (
        lambda d: d["tags"].update({f"t{i}": "v" for i in range(46)}),
        ["tags: 47 tags, 51 with the stacks' own (organization, environment, service, managed-by); allowed: at most 50 "
         "per resource"],
    ),
    "a sidecar port the app already maps": (
        lambda d: svc(d).update(sidecars=[{"name": "proxy", "image": "envoy:1", "ports": [9000, 8001]}]),
        ["services[0].sidecars[0].ports[1]: 8001 is already the container port of admin_port; each must be unique"],
    ),
    "a scratch path on an EFS mount": (
        lambda d: svc(d).update(scratch_paths=["/tmp", "/app/data/"]),
        ["services[0].scratch_paths[1]: '/app/data' is already the mount path of efs_config.mount_points[0]; "
         "each must be unique"],
    ),
    "capacity weights all 0": (
        lambda d: svc(d).update(capacity_provider_strategy=[
            {"capacity_provider": "FARGATE", "weight": 0, "base": 1}, {"capacity_provider": "FARGATE_SPOT", "weight": 0}]),
        ["services[0].capacity_provider_strategy: every weight is 0; allowed: at least one provider with a weight of 1-1000"],
    ),
    "a capacity provider twice, with two bases": (
        lambda d: svc(d).update(capacity_provider_strategy=[
            {"capacity_provider": "FARGATE", "base": 1}, {"capacity_provider": "FARGATE", "base": 2}]),
        ["services[0].capacity_provider_strategy[1].capacity_provider: 'FARGATE' is already the provider of "
         "capacity_provider_strategy[0]; each must be unique",
         "services[0].capacity_provider_strategy[1].base: a base is already set on capacity_provider_strategy[0]; "
         "ECS allows a base on one provider only"],
    ),
    "a log driver Fargate does not support": (
        lambda d: svc(d).update(log_driver={"name": "gelf"}),
        ["services[0].log_driver.name: 'gelf' is not supported on Fargate; allowed: awslogs, splunk, awsfirelens "
         "(others need the EC2 capacity provider)"],
    ),
    "awslogs-create-group": (
        lambda d: svc(d).update(log_driver={"name": "awslogs", "options": {"awslogs-create-group": "true"}}),
        ["services[0].log_driver.options.awslogs-create-group: the stack creates the service's log group (with its "
         "retention and KMS key); remove this option, which would need logs:CreateLogGroup on the execution role"],
    ),
    "a certificate in another region": (
        lambda d: svc(d).update(ssl_certificate_id=CERTIFICATE.format(region="us-east-1")),
        ["services[0].ssl_certificate_id: the certificate is in us-east-1, the services in eu-west-1; an ALB takes a "
         "certificate of its own region"],
    ),
    "two services in one cluster the service stacks create": (
        lambda d: (svc(d, 1).update(cluster_name="app-cluster"), d.update(environment_resources={"clusters": False})),
        ["services[1].cluster_name: 'app-cluster' is already the cluster of services[0]; each service stack creates "
         "its own cluster (environment_resources.clusters is false), so give each service its own cluster_name"],
    ),
    "a service on EC2 sharing its cluster": (
        lambda d: (svc(d, 1).update(cluster_name="app-cluster", capacity_provider_strategy=[{"capacity_provider": "EC2"}]),
                   d.update(ec2_capacity={"preset": "development"})),
        ["services[1].cluster_name: 'app-cluster' is already the cluster of services[0]; a service on EC2 capacity "
         "creates its own cluster beside its instances, so give each service its own cluster_name"],
    ),
    "a service named like the environment stack": (
        lambda d: svc(d, 1).update(service_name="environment"),
        ["services[1].service_name: 'environment' names the environment stack (dev-environment); choose another "
         "service_name"],
    ),
    "two services with one DNS name": (
        lambda d: svc(d, 1).update(alb_domain_prefix="api"),
        [f"services[1].alb_domain_prefix: DNS name 'api.dev.acme.io' is already used by services[0]; {UNIQUE}"],
    ),
    "two ALB names equal after truncation": (
        truncated_twin,
        [f"services[1].alb_name: load balancer {LONG_ALB!r} is already used by services[0]; {UNIQUE}"],
    ),
    "a region that does not exist": (
        lambda d: d.update(region="eu-west-9"),
        ['region: "eu-west-9" is not an AWS region name; allowed: a region name like eu-west-1 or us-east-1'],
    ),
}


def changed(name: str) -> dict[str, Any]:
    data = read_env("dev")
    CASES[name][0](data)
    return data


@pytest.mark.parametrize("name", list(CASES))
def test_env_file_rule(name: str) -> None:
    with pytest.raises(ConfigError) as caught:
        validate_env_data(changed(name), SOURCE)
    assert caught.value.problems == [f"{SOURCE}: {line}" for line in CASES[name][1]]


@pytest.mark.parametrize("name", list(CASES))
def test_python_model_rule(name: str) -> None:
    built, problems = build(EnvConfig, changed(name), ())
    assert built is None
    assert problems == CASES[name][1]


def test_the_python_builder_builds_nested_models() -> None:
    """The helper below really hands models, not dicts, to the outer models (else the test above proves nothing)."""
    data = read_env("staging")
    built, problems = build(EnvConfig, data, ())
    assert problems == [] and isinstance(built, EnvConfig)
    assert built.model_dump(by_alias=True, exclude_unset=True) == EnvConfig.model_validate(data).model_dump(
        by_alias=True, exclude_unset=True
    )
    assert sum(1 for s in data["services"] if s.get("autoscaling")) == 1  # a nested model inside a nested model


def test_infinity_in_a_python_model() -> None:
    data = read_env("dev")
    svc(data)["alarms"] = {"p99_latency_seconds": float("inf")}
    assert build(EnvConfig, data, ())[1] == ["services[0].alarms.p99_latency_seconds: input should be a finite number"]


# --------------------------------------------------------------------------------------------- Python builder


def build(annotation: Any, value: Any, loc: tuple[Any, ...]) -> tuple[Any, list[str]]:
    """`value` as Python code would build it: each nested model constructed first (`AutoscalingConfig(...)`),
    then handed to its parent's constructor. Returns the object, or None and the problems as `path: message`."""
    annotation = _unwrap(annotation)
    origin = typing.get_origin(annotation)
    if origin is list and isinstance(value, list):
        items = [build(typing.get_args(annotation)[0], item, (*loc, i)) for i, item in enumerate(value)]
        problems = [p for _, found in items for p in found]
        return (None, problems) if problems else ([item for item, _ in items], [])
    if origin is dict and isinstance(value, dict):
        items = {key: build(typing.get_args(annotation)[1], item, (*loc, key)) for key, item in value.items()}
        problems = [p for _, found in items.values() for p in found]
        return (None, problems) if problems else ({key: item for key, (item, _) in items.items()}, [])
    if not (isinstance(annotation, type) and issubclass(annotation, BaseModel) and isinstance(value, dict)):
        return value, []
    fields = {f.alias or name: f for name, f in annotation.model_fields.items()}
    built = {key: build(fields[key].annotation, item, (*loc, key)) if key in fields else (item, []) for key, item in value.items()}
    problems = [p for _, found in built.values() for p in found]
    if problems:
        return None, problems
    try:
        return annotation(**{key: item for key, (item, _) in built.items()}), []
    except ValidationError as error:
        return None, [f"{location((*loc, *e['loc']))}: {_message(e)}" for e in error.errors(include_url=False)]


def _message(error: dict[str, Any]) -> str:
    return error["msg"] if error["type"] == "config_rule" else error["msg"][0].lower() + error["msg"][1:]
