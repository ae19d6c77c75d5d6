"""Fuzz cases for input AWS or Terraform would refuse only at plan or apply (issue #11, section 4): each breaks a
shipped env file in one such way and knows the field the product must name.

What makes a value invalid is built here from AWS's rules, not read from the product: a CIDR with an odd last
octet and a prefix under 32 has host bits set; an hour of 24 is not an hour; ECS runs at most 5,000 tasks per
service; Fargate logs through awslogs, splunk or awsfirelens only. Numbers JSON allows but Terraform cannot hold
(`1e400`, `Infinity`, `NaN`) and files that are not regular files (a FIFO, a device) are cases of their own.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

from conftest import drop_own_alb_keys
from fuzz_strategies import BASE_DOCS, TARGETS, Case, Mutation, case_from, get, render, show
from hypothesis import strategies as st

REAL_REGIONS = ("us-east-1", "us-west-2", "eu-central-1", "ap-southeast-2", "sa-east-1")
MADE_UP_REGIONS = ("eu-west-4", "us-east-3", "ap-north-1", "eu-central-3", "sa-west-1", "us-gov-central-1")
NOT_ON_FARGATE = ("fluentd", "gelf", "json-file", "journald", "syslog")
NON_FINITE = ("1e400", "-1e400", "1E+999", "Infinity", "-Infinity", "NaN", "123456789e999")

Breaker = Callable[[st.DrawFn, dict[str, Any], int], Mutation]


def _service(doc: dict[str, Any], index: int, kind: str, changes: dict[str, Any], *fields: Any) -> Mutation:
    """Set keys of services[index]; each of `fields` (a key or a path below the service) must be named."""
    service = {**copy.deepcopy(doc["services"][index]), **changes}
    paths = [("services", index, *(field if isinstance(field, tuple) else (field,))) for field in fields]
    return Mutation(kind, ("services", index), "set", service, expected=tuple(show(p) for p in paths))


def bad_cidr(draw: st.DrawFn, doc: dict[str, Any], index: int) -> Mutation:
    octets = draw(st.lists(st.integers(0, 255), min_size=4, max_size=4))
    how = draw(st.sampled_from(["host_bits", "octet", "prefix"]))
    prefix = draw(st.integers(1, 31) if how == "host_bits" else st.integers(33, 99) if how == "prefix" else st.integers(0, 32))
    if how == "host_bits":
        octets[3] |= 1  # the last bit is inside every prefix under 32
    if how == "octet":
        octets[draw(st.integers(0, 3))] = draw(st.integers(256, 999))
    cidr = ".".join(map(str, octets)) + f"/{prefix}"
    return _service(doc, index, "bad_cidr", {"alb_ingress_cidrs": [cidr]}, ("alb_ingress_cidrs", 0))


def shared_alb(doc: dict[str, Any], index: int) -> dict[str, str]:
    """A listener of the ALB another service of the env file creates (`{organization}-{environment}-{alb_name}`,
    exact), as shared_alb must name unless the listener is in trusted_listener_arns."""
    other = doc["services"][(index + 1) % len(doc["services"])]
    alb = f"{doc['organization']}-{doc['environment']}-{other['alb_name']}"
    listener = f"arn:aws:elasticloadbalancing:{doc['region']}:{doc['account_id']}:listener/app/{alb}/50dc6c495c0c9188/f2f7dc8efc522ab2"
    return {"listener_arn": listener, "security_group_id": "sg-0a1b2c3d4e5f60718"}


def _on_shared_alb(doc: dict[str, Any], index: int, rules: list[dict[str, Any]], field: Any) -> Mutation:
    """Another mutation may also put the other service on a shared ALB (then it creates none) or rename it: the
    listener's own problem may then follow."""
    mutation = _service(doc, index, "listener_rule", {"shared_alb": shared_alb(doc, index), "listener_rules": rules}, field)
    drop_own_alb_keys(mutation.value)  # its own ALB's keys are errors on a shared one
    mutation.also = (show(("services", index, "shared_alb", "listener_arn")),)
    return mutation


def bad_listener_rule(draw: st.DrawFn, doc: dict[str, Any], index: int) -> Mutation:
    how = draw(st.sampled_from(["same_priority", "empty_path", "long_path", "long_host"]))
    priority = draw(st.integers(1, 50000))
    if how == "same_priority":
        rules = [{"priority": priority, "path_patterns": ["/a/*"]}, {"priority": priority, "host_headers": ["b.example.com"]}]
        return _on_shared_alb(doc, index, rules, ("listener_rules", 1, "priority"))
    key = "host_headers" if how == "long_host" else "path_patterns"
    value = "" if how == "empty_path" else "/" * (how == "long_path") + "a" * draw(st.integers(129, 400))
    rules = [{"priority": priority, key: ["/ok", value] if key == "path_patterns" else [value]}]
    at = 1 if key == "path_patterns" else 0
    return _on_shared_alb(doc, index, rules, ("listener_rules", 0, key, at))


def _crons(draw: st.DrawFn) -> str:
    minute, hour, month, weekday = "0", "7", "*", "MON-FRI"
    field = draw(st.sampled_from(["minute", "hour", "month", "weekday", "both_days", "rate", "at"]))
    if field == "rate":
        return draw(st.sampled_from(["rate(0 minutes)", "rate(1 hours)", "rate(5 day)", "rate(-1 days)", "rate(2 weeks)"]))
    if field == "at":
        return draw(st.sampled_from(["at(2026-02-30T00:00:00)", "at(2026-13-01T00:00:00)", "at(2026-01-01 00:00:00)"]))
    if field == "both_days":
        return "cron(0 7 1 * MON *)"
    value = str(draw(st.integers(60 if field == "minute" else 24 if field == "hour" else 13 if field == "month" else 8, 999)))
    minute, hour, month, weekday = [value if f == field else v for f, v in zip(("minute", "hour", "month", "weekday"), (minute, hour, month, weekday), strict=True)]
    return f"cron({minute} {hour} ? {month} {weekday} *)"


def bad_capacity(draw: st.DrawFn, doc: dict[str, Any], index: int) -> Mutation:
    desired = doc["services"][index].get("desired_count", 1)
    scaling = {"min_capacity": 0, "max_capacity": max(desired, 4), "cpu_target_percent": 50}
    how = draw(st.sampled_from(["max_capacity", "schedule_capacity", "schedule"]))
    if how == "max_capacity":
        scaling["max_capacity"] = draw(st.integers(5001, 10**7))
        return _service(doc, index, "capacity", {"autoscaling": scaling}, ("autoscaling", "max_capacity"))
    night = {"name": "night", "cron": "cron(0 20 ? * MON-FRI *)", "min_capacity": 0, "max_capacity": 1}
    if how == "schedule":
        scaling["schedules"] = [{**night, "cron": _crons(draw)}]
        return _service(doc, index, "schedule", {"autoscaling": scaling}, ("autoscaling", "schedules", 0, "cron"))
    scaling["schedules"] = [{**night, "max_capacity": draw(st.integers(5001, 10**7))}]
    return _service(doc, index, "capacity", {"autoscaling": scaling}, ("autoscaling", "schedules", 0, "max_capacity"))


def duplicate_port_or_path(draw: st.DrawFn, doc: dict[str, Any], index: int) -> Mutation:
    service = doc["services"][index]
    if draw(st.booleans()):
        sidecars = [*service.get("sidecars", []), {"name": "fuzz-proxy", "image": "envoy:1.31", "ports": [service["application_port"]]}]
        return _service(doc, index, "duplicate_port", {"sidecars": sidecars}, ("sidecars", len(sidecars) - 1, "ports", 0))
    paths = service["scratch_paths"]
    again = draw(st.sampled_from(paths)) + draw(st.sampled_from(["", "/"]))
    return _service(doc, index, "duplicate_path", {"scratch_paths": [*paths, again]}, ("scratch_paths", len(paths)))


def bad_strategy(draw: st.DrawFn, doc: dict[str, Any], index: int) -> Mutation:
    if draw(st.booleans()):
        strategy = [{"capacity_provider": p, "weight": 0} for p in ("FARGATE", "FARGATE_SPOT")]
        return _service(doc, index, "zero_weights", {"capacity_provider_strategy": strategy}, "capacity_provider_strategy")
    strategy = [{"capacity_provider": "FARGATE_SPOT", "weight": draw(st.integers(1, 1000))}] * 2
    return _service(doc, index, "provider_twice", {"capacity_provider_strategy": strategy}, ("capacity_provider_strategy", 1, "capacity_provider"))


def bad_log_driver(draw: st.DrawFn, doc: dict[str, Any], index: int) -> Mutation:
    fargate = {"capacity_provider_strategy": [{"capacity_provider": "FARGATE"}]}
    if draw(st.booleans()):
        return _service(doc, index, "log_driver", {**fargate, "log_driver": {"name": draw(st.sampled_from(NOT_ON_FARGATE))}}, ("log_driver", "name"))
    driver = {"name": "awslogs", "options": {"awslogs-create-group": draw(st.sampled_from(["true", "false"]))}}
    return _service(doc, index, "log_driver", {**fargate, "log_driver": driver}, ("log_driver", "options", "awslogs-create-group"))


def foreign_certificate(draw: st.DrawFn, doc: dict[str, Any], index: int) -> Mutation:
    region = draw(st.sampled_from([r for r in REAL_REGIONS if r != doc["region"]]))
    arn = f"arn:aws:acm:{region}:{doc['account_id']}:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
    return _service(doc, index, "certificate_region", {"ssl_certificate_id": arn, "create_certificate": False}, "ssl_certificate_id")


def shared_name(draw: st.DrawFn, doc: dict[str, Any], index: int) -> Mutation:
    """A later service takes the first one's DNS name (same domain in the shipped files). Sharing a cluster is no
    collision: the environment stack owns one cluster per cluster_name for every service that names it."""
    index = max(index, 1)
    first = doc["services"][0]
    changes = {"alb_domain_prefix": first["alb_domain_prefix"], "route53": first["route53"]}
    return _service(doc, index, "shared_dns_name", changes, "alb_domain_prefix")


BREAKERS: dict[str, Breaker] = {
    "bad_cidr": bad_cidr, "listener_rule": bad_listener_rule, "capacity": bad_capacity,
    "duplicate_port_or_path": duplicate_port_or_path, "strategy": bad_strategy, "log_driver": bad_log_driver,
    "certificate_region": foreign_certificate, "shared_name": shared_name,
}
# Services a breaker cannot apply to as is: blue/green needs its own ALB; a certificate rule needs a certificate.
APPLIES: dict[str, Callable[[dict[str, Any]], bool]] = {
    "listener_rule": lambda s: s.get("deployment_ownership") not in ("codedeploy", "ecs_blue_green"),
    "certificate_region": lambda s: s.get("ssl_certificate_id") is not None,
}


@st.composite
def apply_time_mutation(draw: st.DrawFn, name: str, kinds: tuple[str, ...]) -> Mutation:
    doc = BASE_DOCS[name]
    kind = draw(st.sampled_from(kinds))
    if kind == "region":
        region = draw(st.sampled_from(MADE_UP_REGIONS))
        return Mutation("made_up_region", ("region",), "set", region, expected=("region",))
    if kind == "tags":
        return draw(bad_tags(doc))
    usable = [i for i, s in enumerate(doc["services"]) if APPLIES.get(kind, lambda _: True)(s)]
    return BREAKERS[kind](draw, doc, draw(st.sampled_from(usable)))


@st.composite
def bad_tags(draw: st.DrawFn, doc: dict[str, Any]) -> Mutation:
    tags = dict(doc.get("tags", {}))
    how = draw(st.sampled_from(["aws_prefix", "long_value", "too_many"]))
    if how == "aws_prefix":
        key = draw(st.sampled_from(["aws:", "AWS:", "Aws:"])) + draw(st.from_regex(r"[a-z]{1,10}", fullmatch=True))
        return Mutation("tags", ("tags",), "set", {**tags, key: "x"}, expected=(f"tags[{json.dumps(key)}]",))
    if how == "long_value":
        return Mutation("tags", ("tags",), "set", {**tags, "owner": "v" * draw(st.integers(257, 2000))}, expected=("tags.owner",))
    # The stacks add organization, environment, service and managed-by to every resource: 47 more keys reach 51+.
    extra = {f"team-{i}": "x" for i in range(draw(st.integers(47, 80)))}
    return Mutation("tags", ("tags",), "set", {**tags, **extra}, expected=("tags",))


@st.composite
def apply_time_cases(draw: st.DrawFn, kinds: tuple[str, ...]) -> Case:
    name = draw(st.sampled_from(sorted(BASE_DOCS)))
    return case_from(name, [draw(apply_time_mutation(name, kinds))], indent=draw(st.sampled_from([None, 2])))


@st.composite
def non_finite_cases(draw: st.DrawFn) -> Case:
    """A number Python reads as an infinity or NaN, where the file has a number or any other value."""
    name = draw(st.sampled_from(sorted(BASE_DOCS)))
    target = draw(st.sampled_from(TARGETS[name]))
    literal = draw(st.sampled_from(NON_FINITE))
    doc = copy.deepcopy(BASE_DOCS[name])
    get(doc, target.path[:-1])[target.path[-1]] = "@@NUMBER@@"
    content = render(doc, draw(st.sampled_from([None, 2])), True).replace(b'"@@NUMBER@@"', literal.encode())
    return Case("non_finite", content, expected=(show(target.path),), detail=f"{show(target.path)} = {literal}", base=name)


def oversized_case() -> Case:
    """A valid env file padded past 1 MiB: refused before parsing."""
    text = render(BASE_DOCS["dev"], 2, True)
    return Case("oversized", text[:-1] + b" " * (1024 * 1024) + b"}", word="1 MiB", detail="dev.json padded to 1 MiB + 1 KiB")


def special_file_cases() -> st.SearchStrategy[Case]:
    return st.sampled_from([
        Case("fifo", None, layout="fifo", word="FIFO", detail="a named pipe"),
        Case("fifo", None, layout="fifo_link", word="FIFO", detail="a symlink to a named pipe"),
        Case("device", None, layout="device_link", word="device", detail="a symlink to /dev/null"),
        oversized_case(),
    ])


# A family per few breakers, each with its own budget: one family over all of them spent half its examples on the
# first breaker (measured: 36 CIDRs in 70).
APPLY_TIME_FAMILIES: dict[str, tuple[int, st.SearchStrategy[Case]]] = {
    "apply_time_network": (20, apply_time_cases(("bad_cidr", "listener_rule", "certificate_region", "region"))),
    "apply_time_capacity": (15, apply_time_cases(("capacity", "strategy"))),
    "apply_time_task": (15, apply_time_cases(("duplicate_port_or_path", "log_driver"))),
    "apply_time_names": (15, apply_time_cases(("shared_name", "tags"))),
    "non_finite": (20, non_finite_cases()),
    "special_files": (10, special_file_cases()),
}
