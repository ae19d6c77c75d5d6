"""Whose resources an env file may name: this environment's account and region, plus what it lists explicitly.

A secret, parameter or KMS key ARN of another account (a copy-paste from another env file, a typo) would make the
roles reach into that account; a listener of another team's ALB would let a `/*` rule take its traffic. So every
such ARN must be of `account_id` (or an account of `trusted_account_ids`) and of the environment's region, and a
shared ALB must be one that a service of this env file or its environment stack (`environment_resources.
load_balancers`) creates (or its listener be listed in `trusted_listener_arns`). A name prefix would not do: organization and environment both allow hyphens, so `acme-prod-eu-shared` starts with
acme/prod's `acme-prod-` and may still be environment prod-eu's ALB, or organization acme-prod's.

Like every cross-field rule (see base.py) this reads the raw input, so its problems come with the field errors
in one run; it also reads model instances, for Python callers who build `EnvConfig` from `ServiceConfig`s.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from ..props.arns import arn_region_account, listener_alb_name
from ..props.base import Problems, problem
from ..props.environment_names import load_balancer_name
from ..props.limits import ACCOUNT_ID_PATTERN, REGION_PATTERN, matches
from ..props.naming import Naming

Loc = tuple[str | int, ...]
OWN_ALBS_LISTED = 5  # more make the message too long to read; it then gives the count and the naming rule


def trust_problems(data: dict[str, Any]) -> Problems:
    account, region = _text(data, "account_id"), _text(data, "region")
    if not (account and region and matches(ACCOUNT_ID_PATTERN, account) and matches(REGION_PATTERN, region)):
        return []  # the field errors say why
    trusted = [a for a in _items(data.get("trusted_account_ids")) if isinstance(a, str)]
    problems: Problems = []
    owned: list[tuple[tuple[str | int, ...], Any, str]] = [(("kms_key_arn",), data.get("kms_key_arn"), region)]
    state, state_region = data.get("state"), _text(data.get("state"), "region")
    if state_region and matches(REGION_PATTERN, state_region):  # the state bucket's key lives in its region
        owned.append((("state", "kms_key_id"), _field(state, "kms_key_id"), state_region))
    for index, service in enumerate(_items(data.get("services"))):
        owned += [(("services", index, *path), value, region) for path, value in _service_arns(service)]
        problems += _listener_problems(data, index, service, account, region)
    for path, value, expected_region in owned:
        message = _foreign(value, account, expected_region, trusted) if isinstance(value, str) else None
        if message:
            problems.append(problem(path, message, value))
    return problems


def _service_arns(service: Any) -> Iterator[tuple[Loc, Any]]:
    """Every ARN of a service that reaches an IAM statement or names a KMS key."""
    yield from _secret_arns(("parameters", "secrets"), _field(_field(service, "parameters"), "secrets"))
    for index, sidecar in enumerate(_items(_field(service, "sidecars"))):
        yield from _secret_arns(("sidecars", index, "secrets"), _field(sidecar, "secrets"))
    for key in ("log_driver", "firelens"):
        options = _field(_field(service, key), "secret_options")
        for name, value in options.items() if isinstance(options, dict) else ():
            yield (key, "secret_options", name), value
    proxy_options = _field(_field(_field(service, "service_connect"), "log_configuration"), "secret_options")
    for name, value in proxy_options.items() if isinstance(proxy_options, dict) else ():
        yield ("service_connect", "log_configuration", "secret_options", name), value
    for key in ("fargate_ephemeral_storage_kms_key_id", "managed_storage_kms_key_id"):
        yield (key,), _field(service, key)


def _secret_arns(at: Loc, secrets: Any) -> Iterator[tuple[Loc, Any]]:
    for name, secret in secrets.items() if isinstance(secrets, dict) else ():
        yield (*at, name, "arn"), _field(secret, "arn")


def _foreign(value: str, account: str, region: str, trusted: list[str]) -> str | None:
    owner = arn_region_account(value)
    if owner is None:
        return None
    arn_region, arn_account = owner
    if arn_region != region:
        return f"{value!r} is in region {arn_region!r}, not this environment's {region!r}; allowed: an ARN in {region}"
    if arn_account != account and arn_account not in trusted:
        return (
            f"{value!r} belongs to account {arn_account}, not this environment's {account}; allowed: account "
            f"{account} or one listed in trusted_account_ids"
        )
    return None


def _listener_problems(data: dict[str, Any], index: int, service: Any, account: str, region: str) -> Problems:
    """A listener rule may only attach to an ALB of this environment, or to a listener the env file lists."""
    listener = _text(_field(service, "shared_alb"), "listener_arn")
    owner = arn_region_account(listener) if listener else None
    if listener is None or owner is None:
        return []
    path = ("services", index, "shared_alb", "listener_arn")
    if owner != (region, account):
        return [
            problem(
                path,
                f"{listener!r} is not in this environment's account {account} and region {region}; "
                "a listener rule can only attach to an ALB there",
                listener,
            )
        ]
    organization, environment = _text(data, "organization"), _text(data, "environment")
    trusted = _items(data.get("trusted_listener_arns"))
    if organization is None or environment is None or listener in trusted:
        return []
    naming = Naming(organization, environment)
    own = own_alb_names(naming, _items(data.get("services")))
    environment_albs = environment_alb_names(naming, data)
    alb = listener_alb_name(listener)
    if alb is None or alb in own or alb in environment_albs:  # None: not a listener ARN, which its field reports
        return []
    return [
        problem(
            path,
            f"the ALB {alb!r} is not one of this environment's ({_described(own, environment_albs)}); allowed: the "
            "ALB of a service of this env file (one without shared_alb) or of environment_resources.load_balancers, "
            "or list the listener ARN in trusted_listener_arns",
            listener,
        )
    ]


def own_alb_names(naming: Naming, services: list[Any]) -> list[str]:
    """The ALB names this env file's services create (each service without shared_alb), in the services' order."""
    names = []
    for service in services:
        alb_name = _text(service, "alb_name")
        if alb_name is not None and _field(service, "shared_alb") is None:
            names.append(load_balancer_name(naming, alb_name))
    return names


def environment_alb_names(naming: Naming, data: dict[str, Any]) -> list[str]:
    """The AWS names of the ALBs of `environment_resources.load_balancers` (named as services' ALBs are)."""
    entries = _items(_field(data.get("environment_resources"), "load_balancers"))
    return [load_balancer_name(naming, name) for name in (_text(e, "name") for e in entries) if name is not None]


def _described(names: list[str], environment_albs: list[str]) -> str:
    if not names:
        described = "its services create no ALB"
    elif len(names) > OWN_ALBS_LISTED:
        described = f"its services create {len(names)} ALBs, each named {{organization}}-{{environment}}-{{alb_name}}"
    else:
        described = "its services create " + ", ".join(repr(name) for name in names)
    if len(environment_albs) > OWN_ALBS_LISTED:
        return f"{described}; environment_resources.load_balancers {len(environment_albs)}"
    if environment_albs:
        return f"{described}; environment_resources.load_balancers " + ", ".join(repr(n) for n in environment_albs)
    return described


def _field(obj: Any, key: str) -> Any:
    if isinstance(obj, dict):
        return obj.get(key)
    return getattr(obj, key, None) if isinstance(obj, BaseModel) else None


def _text(obj: Any, key: str) -> str | None:
    value = _field(obj, key)
    return value if isinstance(value, str) else None


def _items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
